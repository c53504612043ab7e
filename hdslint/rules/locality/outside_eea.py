"""HDS-LOC-001 outside-eea: data stored or processed outside the EEA.

Why: the 2024 HDS référentiel (EXI 28) requires a certified host and its subcontractors to
store health data exclusively in the European Economic Area: the 27 EU member states,
Iceland, Liechtenstein and Norway. The United Kingdom and Switzerland are not in the EEA,
even though both have an adequacy decision (which matters for remote access, EXI 29, not
for storage).

What it checks: every resource that stores, processes or moves data, and every place where
copies of it live (replicas, backup regions), as resolved statically from the code: the
resource's own location attributes, its parent resource, its provider block, variables,
tfvars files and module arguments. Global services served from edge locations worldwide
(CloudFront, Front Door) count as outside the EEA. A resource type hdslint does not know is
treated as holding data (fail closed); types known to hold no data (IAM, DNS records,
policies) are not checked.

Passing example:   provider "aws" { region = "eu-west-3" }
Failing example:   provider "aws" { region = "us-east-1" }
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import place_fix
from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule, line_within
from hdslint.rules.context import ScanContext
from hdslint.rules.locality import doing, resolved, suggestion, unknown_type_note, where

RULE = Rule(
    id="HDS-LOC-001",
    name="outside-eea",
    family="locality",
    severity="high",
    title="Data stored or processed outside the EEA",
    basis="HDS référentiel 2024, EXI 28: health data is stored only in the EEA",
    remediation="Place the resource in an EEA region.",
    perimeters=(1, 2),
    knows="data",
    looks_at="data",
    judges=("location",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    for place in res.location.places:
        if place.region.eea:
            continue
        yield RULE.finding(
            ctx, resource=res, file=res.file, line=line_within(res, place.line, place.file),
            message=_("{address} {doing} {where}, outside the EEA.", address=res.address, doing=doing(res, place),
                      where=where(place)) + resolved(place) + unknown_type_note(res),
            remediation=(_("{type} is a global service, with no region to choose: keep health data out of it "
                           "(serve or send only what is not personal health data), or use a regional service in "
                           "the EEA instead.", type=res.type) if place.region.code == "global" else
                         place_fix(res, place) or
                         _("Place it in an EEA region{suggestion}: HDS EXI 28 requires health data to be stored "
                           "only in the EEA.", suggestion=suggestion(res))),
            attribute=f"location:{place.role}", chain=place.hops,
        )

