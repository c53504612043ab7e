"""Counts shared by every report."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hdslint.model import SEVERITIES
from hdslint.report.ledger import Entry, breadth

if TYPE_CHECKING:
    from hdslint.rules.context import ScanResult


def summary(result: ScanResult, fail_on: str, ledger: dict[int, dict[str, Entry]] | None = None) -> dict:
    active = [f for f in result.findings if not f.suppressed]
    by_severity = {s: sum(1 for f in active if f.severity == s) for s in SEVERITIES}
    by_family: dict = {}
    for f in active:
        by_family[f.family] = by_family.get(f.family, 0) + 1
    failing = result.failing(fail_on)
    out = {
        "findings": len(active),
        "suppressed": len(result.findings) - len(active),
        "by_severity": by_severity,
        "by_family": dict(sorted(by_family.items())),
        "files": {
            "discovered": result.files_discovered,
            "analysed": result.files_analysed,
            "reported": result.files_reported,
        },
        "resources": len(result.context.resources),
        "assessment": breadth(result, ledger),
        "modules": {"analysed_installed": len(result.context.terraform.installed_modules),
                    "not_analysed": len(result.context.terraform.remote_modules)},
        "fail_on": fail_on,
        "failing": len(failing),
        "exit_code": 1 if failing else 0,
    }
    if result.context.checkov is not None:
        out["checkov"] = result.context.checkov
    if result.context.rendering is not None:
        out["rendering"] = rendering(result)
    return out


def rendering(result: ScanResult) -> dict:
    """Helm charts and kustomizations: how many renderings were made, not made (no program),
    failed; ApplicationSets not expanded; Application sources outside the scan; seconds spent."""
    r = result.context.rendering
    assert r is not None
    counts = {kind: {state: r.count(state, kind) for state in ("rendered", "not_rendered", "failed")}
              for kind in ("helm", "kustomize")}
    return {**counts, "not_expanded": len(r.not_expanded), "remote_sources": len(r.remote),
            "seconds": round(r.seconds, 2)}
