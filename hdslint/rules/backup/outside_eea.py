"""HDS-BAK-003 backup-outside-eea: a backup copy stored outside the EEA.

Why: backups are health data too: EXI 28 requires them to be stored only in the EEA, like the
data (and EXI 04 puts them in the ISMS scope). A copy sent to London, Zurich or a US region
breaks it even when the primary data is in Paris. The copy is also a locality finding
(HDS-LOC-001) on the resource that holds it; this rule reports it on the data it protects.

Passing example:   copy_action destination_vault_arn in eu-central-1
Failing example:   aws_db_instance_automated_backups_replication through a provider in us-east-1
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hdslint.analysis.protection import site
from hdslint.i18n import _
from hdslint.knowledge.regions import lookup_region
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.backup.common import copies
from hdslint.rules.context import ScanContext
from hdslint.rules.locality import where

if TYPE_CHECKING:
    from hdslint.model.resources import Region

RULE = Rule(
    id="HDS-BAK-003",
    name="backup-outside-eea",
    family="backup",
    severity="high",
    title="Backup copy stored outside the EEA",
    basis="HDS référentiel 2024, EXI 28 (storage only in the EEA) and EXI 04 (backups in the ISMS scope)",
    remediation="Keep every backup copy in an EEA region.",
    perimeters=(6,),
    knows="backup",
    looks_at="data_store",
    judges=("backup",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    v = ctx.verdict(res, "backup")
    if v is not None and v.state == "off":
        return
    seen = set()
    for place, via in copies(res, v):
        if place.region.eea or (place.region.code, via) in seen:
            continue
        seen.add((place.region.code, via))
        made_by = _(" (made by {via})", via=via) if via else ""
        yield RULE.finding(
            ctx, resource=res, file=res.file, line=res.line, perimeters=(6,),
            message=_("A backup copy of {address} is stored in {place}, outside the EEA{made_by}. "
                      "Resolved from: {chain}.", address=res.address, place=where(place), made_by=made_by,
                      chain=place.chain),
            attribute=f"backup:copy:{place.region.code}", chain=place.hops)
    if v is None or v.state != "on":
        return
    side = (res.facts or {}).get("backup")
    if side is None:  # backed up by another object of the scan (a Velero schedule), judged there
        return
    where_, _why = site(res, side)
    if where_ != "paired_region":
        return
    for place in res.location.places:
        if place.role != "primary" or not place.region.eea:
            continue
        table_region = lookup_region(res.catalog, place.region.parent or place.region.code)
        pair = _pair(res.catalog, table_region.code if table_region else place.region.code)
        if pair is not None and not pair.eea:
            yield RULE.finding(
                ctx, resource=res, file=res.file, line=res.line, perimeters=(6,),
                message=_("The geo-redundant backups of {address} go to {region}'s paired region {pair}, "
                          "outside the EEA.", address=res.address, region=place.region.code,
                          pair=where_pair(pair)),
                attribute="backup:paired")


def _pair(catalog: str, code: str) -> Region | None:
    from hdslint.knowledge.regions import region_tables

    table = region_tables().get(catalog)
    if table is None:
        return None
    paired = table.pairs.get(code)
    return table.lookup(paired) if paired else None


def where_pair(region) -> str:
    from hdslint.knowledge.regions import country_names

    return region.describe(country_names())
