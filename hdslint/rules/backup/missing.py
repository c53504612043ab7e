"""HDS-BAK-001 no-backup: data stored without backups.

Why: backup of health data is perimeter 6 of the HDS certification (R.1111-9), within the
scope of the certified ISMS (EXI 04), and ISO/IEC 27001:2022 A.8.13 (information backup)
requires backups tested and kept. A database whose automated backups are off, a sandbox plan
without backups, a volume that nothing snapshots: the data has no copy to restore from.

What it checks: each data store against its facts in policies/terraform: automated backup
switches and their defaults (RDS backup_retention_period = 0, DynamoDB point-in-time recovery
off by default, Scaleway RDB disable_backup, Scalingo sandbox plans), and the companion
resources that back it up (aws_backup_selection, snapshot policies, replication), wherever
they are written.

Passing example:   resource "aws_db_instance" "x" { backup_retention_period = 7 }
Failing example:   resource "aws_db_instance" "x" { backup_retention_period = 0 }
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import fix_for
from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule, line_within
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-BAK-001",
    name="no-backup",
    family="backup",
    severity="high",
    title="Data stored without backups",
    basis="Perimeter 6 (backup of health data, R.1111-9) in the ISMS scope (HDS EXI 04); ISO/IEC 27001:2022 A.8.13",
    remediation="Turn automated backups on, or back the resource up with the provider's backup service.",
    perimeters=(6,),
    knows="backup",
    looks_at="data_store",
    judges=("backup",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    v = ctx.verdict(res, "backup")
    if v is None or v.state != "off":
        return
    yield RULE.finding(ctx, resource=res, file=res.file, line=line_within(res, v.line), perimeters=(6,),
                       message=_("{address} has no backups: {detail}.", address=res.address, detail=v.detail),
                       remediation=fix_for(res, "backup", v), attribute="backup:exists")
