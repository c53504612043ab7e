"""--format github: GitHub Actions workflow commands, one annotation per finding, on its line."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hdslint.report.escape import visible
from hdslint.report.summary import summary

if TYPE_CHECKING:
    from hdslint.report import RenderOptions
    from hdslint.rules.context import ScanResult

COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def _data(text: object) -> str:
    """Workflow-command data: one line (control characters written as escapes, so no terminal
    colour either), with the runner's own escapes for %, CR and LF."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: ScanResult, options: RenderOptions) -> str:
    lines = []
    for f in result.findings:
        if f.suppressed:
            continue
        title = f"{f.rule_id} {f.resource}".strip()
        lines.append(f"::{COMMAND[f.severity]} file={_prop(f.file)},line={max(f.line, 1)},title={_prop(title)}::"
                     f"{_data(f.message + ' Fix: ' + f.remediation)}")
    s = summary(result, options.fail_on)
    lines.append(f"hdslint: {s['findings']} finding(s), {s['suppressed']} suppressed, "
                 f"{s['failing']} at or above {options.fail_on}")
    return "\n".join(lines) + "\n"
