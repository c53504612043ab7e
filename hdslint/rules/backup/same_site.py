"""HDS-BAK-002 backup-same-site: every backup copy on the same site as the data.

Why: a backup kept in the datacenter that holds the data is lost with it. A geographically
separate copy is ISO/IEC 27001:2022 good practice (A.8.13, A.5.30 ICT readiness for business
continuity), not a numbered HDS requirement: the message says so. "Separate site" means, by
default, a distinct datacenter: another availability zone or region, as the provider documents
where it keeps backups; `backup.separate_site: region` in .hdslint.yaml demands another region.

What it checks: where the provider keeps backups by default (RDS, S3 Standard and Azure ZRS:
several zones of the region; Azure LRS: one datacenter; GRS: the paired region; OVHcloud
databases: another region), the attributes that change it, and copies made elsewhere by other
resources (aws_db_instance_automated_backups_replication, AWS Backup copy_action, S3
replication), across files, aliased providers and local modules.

Passing example:   account_replication_type = "GZRS"
Failing example:   account_replication_type = "LRS"   (one datacenter)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import site_fix
from hdslint.analysis.protection import site
from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.backup.common import copies, primary_regions, site_words
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-BAK-002",
    name="backup-same-site",
    family="backup",
    severity="medium",
    title="Backups not on a separate site",
    basis="ISO/IEC 27001:2022 A.8.13 and A.5.30 (good practice, not a numbered HDS requirement)",
    remediation="Keep a backup copy in another availability zone or region inside the EEA.",
    perimeters=(6,),
    knows="backup",
    looks_at="data_store",
    judges=("backup",),
)

GOOD = {"zone": {"other_zone", "other_region", "paired_region"}, "region": {"other_region", "paired_region"}}


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    want = ctx.config.separate_site
    v = ctx.verdict(res, "backup")
    if v is None or v.state != "on":
        return
    side = (res.facts or {}).get("backup")
    if side is None:  # backed up by another object of the scan (a Velero schedule), judged there
        return
    where, why = site(res, side)
    if where in GOOD[want] or where == "unknown" or (where == "same_region" and want == "zone"):
        return  # same_region: the datacenter is not documented, so only a region demand can fail
    here = primary_regions(res)
    elsewhere = [(p, via) for p, via in copies(res, v) if (p.region.parent or p.region.code) not in here
                 or (want == "zone" and p.region.kind == "zone" and p.region.code not in here)]
    if elsewhere:
        return
    if want == "region":
        message = _("The backups of {address} are kept {site} ({why}), and no copy is made in another region. "
                    "A separate site is ISO 27001 good practice, not a numbered HDS requirement.",
                    address=res.address, site=site_words(where), why=why)
    else:
        message = _("The backups of {address} are kept {site} ({why}), and no copy is made in another "
                    "availability zone or region. A separate site is ISO 27001 good practice, not a numbered "
                    "HDS requirement.", address=res.address, site=site_words(where), why=why)
    yield RULE.finding(
        ctx, resource=res, file=res.file, line=res.line, perimeters=(6,), message=message,
        remediation=site_fix(res, side, GOOD[want]), attribute="backup:site")
