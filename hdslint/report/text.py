"""Human output, grouped by file: line, severity, rule, resource, message, remediation."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from hdslint.i18n import say as _
from hdslint.model import SEVERITIES
from hdslint.report import labels
from hdslint.report.escape import visible
from hdslint.report.summary import summary

if TYPE_CHECKING:
    from hdslint.report import RenderOptions
    from hdslint.rules.context import ScanResult

COLOURS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "blue", "info": "cyan"}


def render(result: ScanResult, options: RenderOptions) -> str:
    colour = options.color

    def style(text, **kw):
        return click.style(text, **kw) if colour else text

    lines = []
    current = None
    shown = [f for f in result.findings if not f.suppressed]
    for f in shown:
        if f.file != current:
            if current is not None:
                lines.append("")
            lines.append(style(visible(f.file) or "(scan)", bold=True))
            current = f.file
        sev = style(f"{labels.severity(f.severity):<8}", fg=COLOURS[f.severity],
                    bold=f.severity in ("critical", "high"))
        head = f"  {f.line:>4}  {sev} {f.rule_id}"
        if f.resource:
            head += f"  {style(visible(f.resource), bold=True)}"
        if f.root and f.root != "." and not f.file.startswith(f.root.rstrip("/") + "/"):
            head += "  " + _("(root {root})", root=visible(f.root))  # a shared module's resource: say which root
        lines.append(head)
        lines.append(f"        {visible(f.message)}")
        if f.related:
            lines.append("        " + _("also found by checkov: {ids}", ids=", ".join(f.related)))
        lines.append(style("        " + _("fix: {remediation}", remediation=visible(f.remediation)), dim=True))
    s = summary(result, options.fail_on)
    if shown:
        lines.append("")
    lines.extend(_matrix(result, style))
    counts = ", ".join(f"{s['by_severity'][sev]} {labels.severity(sev)}" for sev in SEVERITIES if s["by_severity"][sev])
    head = (_("1 finding") if s["findings"] == 1 else _("{count} findings", count=s["findings"]))
    head += f" ({counts})" if counts else ""
    if s["suppressed"]:
        head += _(", {count} suppressed", count=s["suppressed"])
    files = s["files"]
    head += " · " + _("{resources} from {files} ({analysed} analysed, {reported} reported)",
                      resources=_n(s["resources"], _("resource"), _("resources")),
                      files=_n(files["discovered"], _("file"), _("files")),
                      analysed=files["analysed"], reported=files["reported"])
    fail_on = labels.severity(options.fail_on) if options.fail_on != "none" else "none"
    if not files["discovered"]:
        verdict = style(labels.nothing_checked(), fg="yellow", bold=True)
    elif options.fail_on == "none":
        verdict = _("not failing (--fail-on none)")
    elif s["failing"]:
        verdict = style(_("FAILED: {count} at or above {severity}", count=s["failing"], severity=fail_on), fg="red",
                        bold=True)
    else:
        verdict = style(_("passed (nothing at or above {severity})", severity=fail_on), fg="green")
    lines.extend(_open_items(result))
    lines.append(f"{head} · {verdict}")
    lines.extend(_not_judged(s))
    if s.get("rendering"):
        r = s["rendering"]
        lines.append(_("rendered in {seconds:g} s: {helm} Helm chart rendering(s) ({helm_no} not rendered, "
                       "{helm_failed} failed), {kustomize} kustomize build(s) ({kustomize_no} not built, "
                       "{kustomize_failed} failed)",
                       seconds=r["seconds"], helm=r["helm"]["rendered"], helm_no=r["helm"]["not_rendered"],
                       helm_failed=r["helm"]["failed"], kustomize=r["kustomize"]["rendered"],
                       kustomize_no=r["kustomize"]["not_rendered"], kustomize_failed=r["kustomize"]["failed"]))
    if s.get("checkov"):
        c = s["checkov"]
        lines.append(_("checkov {versions}: {imported} finding(s) imported, {merged} already reported by hdslint, "
                       "{not_mapped} failed check(s) outside the HDS mapping left to checkov's own report",
                       versions=", ".join(c["versions"]) or "?", imported=c["imported"], merged=c["merged"],
                       not_mapped=c["not_mapped"]))
    return "\n".join(lines) + "\n"


def _not_judged(s: dict) -> list[str]:
    """What a clean run does not prove: data stores whose types hdslint holds no fact on, and
    module calls it could not read."""
    out = []
    for prop, a in s["assessment"].items():
        if a["counts"]["not_assessed"]:
            types = a["not_assessed_types"]
            shown = ", ".join(types[:6]) + (f", +{len(types) - 6}" if len(types) > 6 else "")
            out.append(_("not assessed, {property}: {count} data store(s) ({types})",
                         property=labels.ledger_property(prop), count=a["counts"]["not_assessed"], types=shown))
    if s["modules"]["not_analysed"]:
        out.append(_("{count} module call(s) not analysed: run terraform init to read them from .terraform/modules",
                     count=s["modules"]["not_analysed"]))
    return out


def _open_items(result: ScanResult) -> list[str]:
    """One line: what the audit will ask that the code cannot show (hdslint.report.open_items)."""
    from hdslint.report.open_items import TOPICS, open_items, topic

    items = open_items(result.context, result.findings)
    if not items:
        return []
    counts = [(t, sum(1 for i in items if i.topic == t)) for t in TOPICS]
    topics = ", ".join(f"{topic(t)} ({n})" for t, n in counts if n)
    return [_("{count} open item(s) for the audit, which the code cannot show ({topics}): listed in the HTML and "
              "JSON reports", count=len(items), topics=topics)]



CELL_COLOURS = {"covered": "green", "declared": "green", "not_covered": "red", "expired": "red", "unknown": "yellow",
                "unverified": "yellow"}


def _matrix(result: ScanResult, style: Callable) -> list:
    """The perimeter x provider table, when resources need perimeters."""
    from hdslint.analysis.coverage import matrix

    rows = matrix(result.context.coverage)
    providers = sorted({c["provider"] for r in rows for c in r["providers"]})
    if not providers:
        return []
    names = {r["perimeter"]: labels.perimeter_name(r["perimeter"]) for r in rows}
    width = max(len(f"{n} {name}") for n, name in names.items()) + 2
    words = [labels.status(c["status"]) for r in rows for c in r["providers"] if c["status"]]
    col = max(12, *(len(p) + 2 for p in providers), *(len(w) + 2 for w in words))  # a long status keeps its column
    out = [style((_("HDS coverage").ljust(width + 2) + "".join(p.ljust(col) for p in providers)).rstrip(), bold=True)]
    for r in rows:
        cells = {c["provider"]: c["status"] for c in r["providers"]}
        line = f"  {r['perimeter']} {names[r['perimeter']]}".ljust(width + 2)
        for p in providers:
            status = cells.get(p)
            word = labels.status(status) if status else "-"
            text = (word.upper() if status in ("not_covered", "expired") else word).ljust(col)
            line += style(text, fg=CELL_COLOURS[status]) if status else text
        out.append(line.rstrip())
    return out + [""]


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
