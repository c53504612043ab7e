"""HDS-PARSE-004 helm-template: a Helm chart, a kustomization or a template that was not
rendered, so not checked.

Why: a template such as `replicas: {{ .Values.replicas }}` is not YAML until Helm renders it.
hdslint renders charts with `helm template` and kustomizations with `kubectl kustomize` (or
`kustomize build`), as ArgoCD Applications say, when those programs are there (on PATH, or
--helm-bin / --kustomize-bin). Without them, each chart or kustomization is reported once, with
the command to run and pipe into `hdslint scan -`. An ArgoCD ApplicationSet whose generator
needs a running ArgoCD (clusters, plugins, pull requests) cannot be expanded from the code:
reported with the reason. A template outside a chart's `templates/` folder, and a manifest with `{{ }}`
placeholders of another tool (envsubst, mustache, Jinja) that is not valid YAML as written, are
reported the same way rather than as syntax errors.

Passing example:   charts/api/ rendered (helm on PATH), or its output piped into `hdslint scan -`
Failing example:   charts/api/Chart.yaml with no helm on PATH   (info)
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hdslint.i18n import _, join
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

if TYPE_CHECKING:
    from hdslint.formats.targets import Rendering

RULE = Rule(
    id="HDS-PARSE-004",
    name="helm-template",
    family="parse",
    severity="info",
    title="Template not rendered (Helm chart, kustomization or other templating)",
    basis="hdslint cannot vouch for code it does not read",
    remediation="Install helm (and kubectl or kustomize) so that hdslint renders charts and kustomizations, or render "
                "them yourself and pipe the result: helm template RELEASE CHART -f VALUES | hdslint scan -",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    if ctx.rendering:
        yield from _not_rendered(ctx)
        for n in ctx.rendering.not_expanded:
            yield RULE.finding(
                ctx, file=n.file, line=n.line, attribute=f"applicationset:{n.name}",
                message=_("ApplicationSet {name} is not expanded, so the Applications it generates are not rendered: "
                          "{reason}.", name=n.name, reason=n.reason))
    if not ctx.kubernetes:
        return
    for p in ctx.kubernetes.helm_templates:
        if p.message == "template":
            yield RULE.finding(
                ctx, file=p.file, line=p.line, attribute="file",
                message=_("{file} is a template ({{{{ }}}} placeholders) that is not YAML as written: render it with "
                          "its tool and pipe the result into `hdslint scan -`.", file=p.file))
            continue
        charts = [c for c in (ctx.discovery.charts if ctx.discovery else [])
                  if c == "." or p.file.startswith(c + "/")]
        chart = max(charts, key=len) if charts else (p.file.rsplit("/templates/", 1)[0] if "/templates/" in p.file
                                                      else ".")
        yield RULE.finding(
            ctx, file=p.file, line=p.line, attribute="file",
            message=_("{file} is a Helm template outside a chart's templates/ folder: hdslint does not render it. "
                      "Render it with its chart (`helm template my-release {chart} | hdslint scan -`) to check the "
                      "rendered manifests.", file=p.file, chart=chart))


def _not_rendered(ctx: ScanContext) -> Iterator[Finding]:
    """One finding per chart or kustomization, with the command of each rendering it needs."""
    from hdslint.formats.targets import NOT_RENDERED  # imported by scans that render

    assert ctx.rendering is not None
    groups: dict[tuple[str, str], list[Rendering]] = {}
    for r in ctx.rendering.renderings:
        if r.state == NOT_RENDERED:
            groups.setdefault((r.target.kind, r.target.path), []).append(r)
    for (kind, path), group in groups.items():
        commands = join([_("`{command}` ({kind} {name})", command=r.command, kind=r.target.app.kind,
                           name=r.target.app.name) if r.target.app else _("`{command}`", command=r.command)
                         for r in group], "; ")
        if kind == "helm":
            message = _("The Helm chart {path} is not rendered, so not checked: {reason}. Run {commands}.", path=path,
                        reason=group[0].reason, commands=commands)
        else:
            message = _("The kustomization {path} is not built, so not checked: {reason}. Run {commands}.", path=path,
                        reason=group[0].reason, commands=commands)
        yield RULE.finding(ctx, file=group[0].target.file, line=1, attribute=f"{kind}:{path}", message=message)
