"""Human output, grouped by file: line, severity, rule, resource, message, remediation."""
from __future__ import annotations

import click

from hdslint.model import SEVERITIES
from hdslint.report.summary import summary

COLOURS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "blue", "info": "cyan"}


def render(result, options) -> str:
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
            lines.append(style(f.file or "(scan)", bold=True))
            current = f.file
        sev = style(f"{f.severity:<8}", fg=COLOURS[f.severity], bold=f.severity in ("critical", "high"))
        head = f"  {f.line:>4}  {sev} {f.rule_id}"
        if f.resource:
            head += f"  {style(f.resource, bold=True)}"
        lines.append(head)
        lines.append(f"        {f.message}")
        if f.related:
            lines.append(f"        also found by checkov: {', '.join(f.related)}")
        lines.append(style(f"        fix: {f.remediation}", dim=True))
    s = summary(result, options.fail_on)
    if shown:
        lines.append("")
    lines.extend(_matrix(result, style))
    counts = ", ".join(f"{s['by_severity'][sev]} {sev}" for sev in SEVERITIES if s["by_severity"][sev])
    head = f"{s['findings']} finding{'s' if s['findings'] != 1 else ''}" + (f" ({counts})" if counts else "")
    if s["suppressed"]:
        head += f", {s['suppressed']} suppressed"
    files = s["files"]
    head += (f" · {_n(s['resources'], 'resource')} from {_n(files['discovered'], 'file')} "
             f"({files['analysed']} analysed, {files['reported']} reported)")
    if options.fail_on == "none":
        verdict = "not failing (--fail-on none)"
    elif s["failing"]:
        verdict = style(f"FAILED: {s['failing']} at or above {options.fail_on}", fg="red", bold=True)
    else:
        verdict = style(f"passed (nothing at or above {options.fail_on})", fg="green")
    lines.append(f"{head} · {verdict}")
    if s.get("checkov"):
        c = s["checkov"]
        lines.append(f"checkov {', '.join(c['versions']) or '(version unknown)'}: {c['imported']} finding(s) imported, "
                     f"{c['merged']} already reported by hdslint, {c['not_mapped']} failed check(s) outside the HDS "
                     f"mapping left to checkov's own report")
    return "\n".join(lines) + "\n"


CELL = {"covered": "certified", "declared": "declared", "not_covered": "NOT COVERED", "expired": "EXPIRED",
        "unknown": "unknown"}
CELL_COLOURS = {"covered": "green", "declared": "green", "not_covered": "red", "expired": "red", "unknown": "yellow"}


def _matrix(result, style) -> list:
    """The perimeter x provider table, when resources need perimeters."""
    from hdslint.coverage import matrix

    rows = matrix(result.context.coverage)
    providers = sorted({c["provider"] for r in rows for c in r["providers"]})
    if not providers:
        return []
    width = max(len(f"{r['perimeter']} {r['name']}") for r in rows) + 2
    col = max(12, *(len(p) + 2 for p in providers))
    out = [style(("HDS coverage".ljust(width + 2) + "".join(p.ljust(col) for p in providers)).rstrip(), bold=True)]
    for r in rows:
        cells = {c["provider"]: c["status"] for c in r["providers"]}
        line = f"  {r['perimeter']} {r['name']}".ljust(width + 2)
        for p in providers:
            status = cells.get(p)
            text = CELL.get(status, "-").ljust(col)
            line += style(text, fg=CELL_COLOURS[status]) if status else text
        out.append(line.rstrip())
    return out + [""]


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
