"""HDS-BAK-007 backup-undocumented: only the provider can say whether the data is backed up.

Why: some services have no backup setting and no backup resource, and their provider's
documentation does not say whether it keeps copies. No change of code can settle that: the
answer is the provider's (its documentation, its HDS contract: perimeter 6). So this is low by
default, with an open item saying whom to ask; `profile: audit` raises it to medium. Where a
setting exists but is not written, or a value cannot be resolved, the finding is HDS-BAK-005
(medium), which a change of code settles.

Passing example:   ovh_cloud_project_database (the provider documents its daily backups)
Failing example:   a service with no backup argument whose provider's pages read say nothing
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import fix_for
from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-BAK-007",
    name="backup-undocumented",
    family="backup",
    severity="low",
    audit_severity="medium",
    title="Backups only the provider can establish: no setting, nothing documented",
    basis="Perimeter 6 (backup of health data) in the ISMS scope (HDS EXI 04): the control must be shown",
    remediation="Ask the provider whether and where the service keeps backups (its HDS contract, perimeter 6), then "
                "record the answer as a suppression with its reason; if it keeps none, back the data up yourself to "
                "another EEA site.",
    perimeters=(6,),
    knows="backup",
    looks_at="data_store",
    judges=("backup",),
    outcome="unknown",
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    v = ctx.verdict(res, "backup")
    if v is None or not v.undocumented:
        return
    yield RULE.finding(ctx, resource=res, file=res.file, line=res.line, perimeters=(6,),
                       message=_("Only the provider can say whether {address} is backed up: {detail}.",
                                 address=res.address, detail=v.detail),
                       remediation=fix_for(res, "backup", v), attribute="backup:exists", cause=v.cause)
