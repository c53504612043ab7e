"""One scan: discover -> parse -> resource model -> checks -> suppressions -> findings."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from hdslint.config import Config, ConfigError
from hdslint.formats import discover
from hdslint.formats.terraform.project import TerraformProject
from hdslint.i18n import _, join
from hdslint.model import Finding, Hop, Rule
from hdslint.model.rule import PHASES
from hdslint.report import words
from hdslint.rules import all_rules
from hdslint.rules.context import ScanContext, ScanResult
from hdslint.triage import rootcause, suppress

if TYPE_CHECKING:
    from hdslint.formats import render

# The readers of plans, Scalingo and Kubernetes manifests, and the renderers of Helm charts and
# kustomizations, are imported when a scan meets their files: a Terraform scan (a pre-commit
# run) does not pay for them.


def scan(paths: list[str], config: Config, today: dt.date | None = None, env: dict[str, str] | None = None,
         stdin_text: str | None = None, checkov_reports: list[Any] | None = None) -> ScanResult:
    """Scan paths ("-" is standard input, read by the caller into stdin_text); checkov_reports
    are checkov's JSON reports on the same paths, merged in (hdslint.triage.checkov). The
    findings' messages are written in config.lang, last."""
    return _scan(paths, config, today, env, stdin_text, checkov_reports)


def _scan(paths: list[str], config: Config, today: dt.date | None, env: dict[str, str] | None, stdin_text: str | None,
          checkov_reports: list[Any] | None) -> ScanResult:
    if config.helm_bin or config.kustomize_bin:
        from hdslint.formats import programs

        programs.find(config)  # a program named explicitly that cannot be run: a usage error, at once
    given = list(paths) or ["."]
    paths = [p for p in paths if p != "-"] or (["."] if stdin_text is None else [])
    root = discover.scan_root(paths or ["."])
    found = (discover.discover(paths, root, config.exclude, config.directory) if paths
             else discover.Discovery(only_files=[]))
    ctx = ScanContext(root=root, config=config, today=today or dt.date.today(), discovery=found)

    project = TerraformProject(root, var_files=config.var_files, cli_vars=config.vars, env=env,
                               max_bytes=config.max_file_size, time_budget=config.file_time_budget)
    ctx.terraform = project.run(found.terraform_dirs)
    for rel in found.tfvars:
        project.check_syntax(rel)
    ctx.resources.extend(ctx.terraform.resources)
    if found.plans:
        from hdslint.formats.terraform.plan import read_plan
    for plan_file in found.plans:
        plan = read_plan(os.path.join(root, plan_file), plan_file, config.max_file_size)
        ctx.plans.append(plan)
        ctx.resources.extend(plan.resources)
    if found.scalingo:
        from hdslint.formats import scalingo

        ctx.manifests = scalingo.read(scalingo.select(found.scalingo), root, config.max_file_size)
        ctx.resources.extend(ctx.manifests.resources)
    if found.manifests or stdin_text is not None or found.charts or found.kustomizations:
        from hdslint.analysis import cluster
        from hdslint.formats import kubernetes

        renderer: render.Renderer | None = None
        held: set[str] = set()
        if found.charts or found.kustomizations:  # the renderers are imported when there is something to render
            from hdslint.formats import render

            renderer = render.Renderer(root, found, config)
            held = renderer.held & set(found.manifests)  # read through their kustomization's build
        ctx.kubernetes = kubernetes.read([m for m in found.manifests if m not in held], root, config.max_file_size,
                                         stdin_text)
        if renderer is not None or any(kubernetes.is_argocd(r) for r in ctx.kubernetes.resources):
            from hdslint.formats import render

            renderer = renderer or render.Renderer(root, found, config)
            try:
                ctx.rendering = render.run(renderer, found, config, ctx.kubernetes)
            except ConfigError:
                raise
            except Exception as e:  # noqa: BLE001 - a bug while rendering: reported, the scan goes on
                ctx.internal_errors.append((".", 1, _("rendering Helm charts and kustomizations"),
                                            f"{type(e).__name__}: {e}"))
        ctx.cluster, ctx.cluster_note = cluster.cluster_context(config, ctx.resources)
        cluster.place(ctx.kubernetes.resources, ctx.cluster)
        ctx.resources.extend(ctx.kubernetes.resources)
        if stdin_text is not None and found.only_files is not None:
            found.only_files.append("<stdin>")

    ctx.internal_errors.extend(ctx.terraform.internal_errors)
    findings = run_rules(ctx)
    if checkov_reports is not None:
        from hdslint.triage import checkov

        imported = checkov.merge(checkov_reports, ctx, findings)
        findings.extend(imported.findings)
        ctx.external_rules, ctx.checkov = imported.rules, imported.summary

    if ctx.rendering:
        _rendered_by(findings, ctx.rendering)

    comments = dict(ctx.terraform.comments)
    if ctx.kubernetes:
        comments.update(ctx.kubernetes.comments)
    findings = suppress.apply(findings, ctx.resources, comments, ctx, inline=config.inline_suppressions)
    findings = rootcause.fold(findings, ctx)

    if found.only_files is not None:
        # Files named explicitly (a pre-commit hook): report the findings located in them or
        # caused by them (a terraform.tfvars change moves resources written elsewhere).
        keep = set(found.only_files)
        findings = [f for f in findings if f.file in keep or any(h.file in keep for h in f.chain)]

    findings = words.written(findings, config.lang)
    findings.sort(key=Finding.sort_key)
    analysed = set(ctx.terraform.analysed_files)
    for plan in ctx.plans:
        if not plan.problems:
            analysed.add(plan.file)
    if ctx.kubernetes:
        analysed |= ctx.kubernetes.analysed_files
    if ctx.manifests:
        analysed |= ctx.manifests.analysed_files
    reported = {p.file for p in ctx.problems}
    if ctx.kubernetes:
        reported |= {p.file for p in ctx.kubernetes.helm_templates}
    for file, chart in found.chart_files.items():
        if file in analysed or (ctx.rendering and chart in ctx.rendering.covered_charts):
            analysed.add(file)
        else:
            reported.add(file)
    if ctx.rendering:
        analysed |= ctx.rendering.covered_files
        reported |= ctx.rendering.unread_files
    discovered = set(found.all_files) | analysed | reported
    cwd = os.getcwd()  # the trace is made later, maybe elsewhere: relative paths are read from here

    def tracer() -> dict[str, Any]:
        from hdslint.report import trace  # git and hashing: only for the reports that print a trace

        return trace.record(given, root, sorted(discovered), stdin_text, config.source, cwd)

    return ScanResult(root, findings, ctx, len(discovered), len(analysed - reported), len(reported), tracer=tracer)


def _rendered_by(findings: list[Finding], rendering: render.RenderResult) -> None:
    """Findings on rendered objects say which rendering made them (the command, the Application,
    the values files), and carry them in their chain: a change to a values file brings back the
    findings it causes (pre-commit on that file)."""
    by_address: dict[str, render.Rendering] = {}
    for r in rendering.renderings:
        for res in r.resources:
            by_address.setdefault(res.address, r)
    for i, f in enumerate(findings):
        found = by_address.get(f.resource) if f.resource else None
        if found is None:
            continue
        r, t = found, found.target
        command = r.command.removesuffix(" | hdslint scan -")
        hops = [Hop(_("values file"), v, 1) for v in r.values_files]
        values = join(r.values_files) if r.values_files else _("none")
        if t.app is not None:
            by = _("{kind} {name} ({file}:{line})", kind=t.app.kind, name=t.app.name, file=t.app.file, line=t.app.line)
            hops.insert(0, Hop(_("rendered for {kind} {name}", kind=t.app.kind, name=t.app.name), t.app.file,
                               t.app.line))
            if t.kind == "helm":
                note = _("Rendered with `{command}` (values files: {values}) for {by}.", command=command,
                         values=values, by=by)
            elif t.kustomize:
                options = join([f"{k}={json.dumps(v) if not isinstance(v, str) else v}" for k, v in t.kustomize])
                note = _("Built with `{command}` and the Application's kustomize options ({options}) for {by}.",
                         command=command, options=options, by=by)
            else:
                note = _("Built with `{command}` for {by}.", command=command, by=by)
        elif t.kind == "helm":
            note = _("Rendered with `{command}` (values files: {values}; no Application points at the chart).",
                     command=command, values=values)
        else:
            note = _("Built with `{command}` (no Application points at it).", command=command)
        findings[i] = dataclasses.replace(f, message=join((f.message, note), " "), chain=f.chain + tuple(hops))


def run_rules(ctx: ScanContext) -> list[Finding]:
    """Every enabled rule, phase by phase, called once per subject it looks at. A rule that
    fails on one subject is an internal error (reported by a rule of the last phase), never an
    interrupted scan."""
    findings: list[Finding] = []
    for phase in PHASES:
        for mod in all_rules():
            rule = mod.RULE
            if rule.phase != phase or phase == "triage" or not ctx.config.rule_enabled(rule.id):
                continue
            if rule.profile and not ctx.config.has_profile(rule.profile):
                continue
            if phase == "review":
                findings = _review(ctx, findings, rule, mod)
                continue
            if rule.looks_at == "scan":
                _run(ctx, findings, rule, mod.check, (ctx,), (".", 1))
                continue
            for res in ctx.subjects(rule.looks_at):
                if not rule.types or res.type in rule.types:
                    _run(ctx, findings, rule, mod.check, (ctx, res), (res.file, res.line))
    return findings


def _review(ctx: ScanContext, findings: list[Finding], rule: Rule, mod: Any) -> list[Finding]:
    """A rule of the review phase revises the findings; if it fails they stay as they were."""
    try:
        return list(mod.review(ctx, list(findings)))
    except Exception as e:  # noqa: BLE001 - a bug in one rule must not hide the others
        ctx.internal_errors.append((".", 1, f"rule {rule.id}", f"{type(e).__name__}: {e}"))
        return findings


def _run(ctx: ScanContext, findings: list[Finding], rule: Rule, check: Callable[..., Iterable[Finding]],
         args: tuple, where: tuple[str, int]) -> None:
    try:
        findings.extend(check(*args))
    except Exception as e:  # noqa: BLE001 - a bug in one rule must not hide the others
        ctx.internal_errors.append((where[0], where[1], f"rule {rule.id}", f"{type(e).__name__}: {e}"))
