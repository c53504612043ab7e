"""HDS-BAK-004 retention-too-short: backups kept fewer days than the team's minimum.

Why: a backup kept one day does not survive a problem noticed on Monday. The minimum is the
team's policy (`backup.min_retention_days`, default 7), typically set by its restore
objectives and its contracts; HDS sets no figure (ISO/IEC 27001:2022 A.8.13 asks for a
backup policy).

Passing example:   backup_retention_period = 14
Failing example:   backup_retention_period = 1
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import set_on
from hdslint.analysis.protection import retention
from hdslint.i18n import Text, _
from hdslint.model import Finding, Resource, Rule, line_within
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-BAK-004",
    name="retention-too-short",
    family="backup",
    severity="medium",
    title="Backups kept fewer days than the configured minimum",
    basis="Team backup policy (backup.min_retention_days); ISO/IEC 27001:2022 A.8.13",
    remediation="Keep backups at least the configured number of days.",
    perimeters=(6,),
    knows="backup",
    looks_at="data_store",
    judges=("backup",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    minimum = ctx.config.min_retention_days
    v = ctx.verdict(res, "backup")
    if v is None or v.state != "on":
        return
    side = (res.facts or {}).get("backup")
    if side is None:  # backed up by another object of the scan (a Velero schedule), judged there
        return
    days, line, unknown, written = retention(res, side)
    if days is None or unknown or days >= minimum or days == 0:
        return
    spec = side["retention"]
    how = f"{spec['attribute']} = {written}" if line else _("the provider's default of {days:g} days", days=days)
    yield RULE.finding(
        ctx, resource=res, file=res.file,
        line=line_within(res, line), perimeters=(6,),
        message=_("{address} keeps backups {days:g} day(s) ({how}), fewer than the minimum of {minimum:g}.",
                  address=res.address, days=days, how=how, minimum=minimum),
        remediation=_fix(res, spec, minimum), attribute="backup:retention")


def _fix(res: Resource, spec: dict, minimum: float) -> Text | None:
    """Name the retention attribute and the value, in its own unit (days, hours, a duration)."""
    unit = spec.get("unit", "days")
    if unit == "days":
        value = f"{minimum:g}"
    elif unit == "hours":
        value = f"{minimum * 24:g}"
    else:
        return None  # a duration string or another unit: the rule's own words
    return set_on(res, {"attribute": spec["attribute"], "min": value})
