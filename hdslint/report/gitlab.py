"""--format gitlab: GitLab Code Quality report (a JSON array of issues)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hdslint.report import RenderOptions
    from hdslint.rules.context import ScanResult

SEVERITY = {"critical": "blocker", "high": "critical", "medium": "major", "low": "minor", "info": "info"}


def render(result: ScanResult, options: RenderOptions) -> str:
    issues = []
    for f in result.findings:
        if f.suppressed:
            continue
        issues.append({
            "type": "issue",
            "check_name": f.rule_id,
            "description": f"{f.rule_id} {f.resource + ': ' if f.resource else ''}{f.message}",
            "content": {"body": f"{f.message}\n\nFix: {f.remediation}\n\nBasis: {f.basis}"},
            "categories": ["Security", "Compliance"],
            "fingerprint": f.fingerprint,
            "severity": SEVERITY[f.severity],
            "location": {"path": f.file, "lines": {"begin": max(f.line, 1)}},
        })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
