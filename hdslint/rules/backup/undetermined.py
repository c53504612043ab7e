"""HDS-BAK-005 backup-undetermined: whether backups exist cannot be established from the code.

Why: perimeter 6 must be shown; a value hdslint cannot resolve (a variable without value, a
data source) leaves it unproven. The finding says which value was missing.

Passing example:   backup_retention_period = 7
Failing example:   backup_retention_period = var.retention   (no default, no tfvars value)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import fix_for
from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-BAK-005",
    name="backup-undetermined",
    family="backup",
    severity="medium",
    title="Backups cannot be established from the code",
    basis="Perimeter 6 (backup of health data) in the ISMS scope (HDS EXI 04): the control must be shown",
    remediation="Make the backups visible in the code (the attribute or the backup resource that takes them); where "
                "only the provider decides, check its documentation and record what it says as a suppression with "
                "its reason.",
    perimeters=(6,),
    knows="backup",
    looks_at="data_store",
    judges=("backup",),
    outcome="unknown",
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    v = ctx.verdict(res, "backup")
    if v is None or v.state != "unknown" or v.undocumented:  # HDS-BAK-007 says those
        return
    yield RULE.finding(ctx, resource=res, file=res.file, line=res.line, perimeters=(6,),
                       message=_("Cannot tell whether {address} is backed up: {detail}.", address=res.address,
                                 detail=v.detail),
                       remediation=fix_for(res, "backup", v), attribute="backup:exists", cause=v.cause)
