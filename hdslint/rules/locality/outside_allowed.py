"""HDS-LOC-003 outside-allowed-countries: data in a country the team does not allow.

Why: many health-data teams go further than the EEA rule and keep data in France only (for
a contract, a hospital's requirement or a SecNumCloud-qualified offer). With
`locality.allowed_countries: [FR]` in .hdslint.yaml, every place outside those countries is
reported. Places already outside the EEA are reported by HDS-LOC-001 only.

Passing example (allowed_countries: [FR]):   location = "francecentral"
Failing example (allowed_countries: [FR]):   location = "westeurope"   (Netherlands)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.knowledge.regions import country_names
from hdslint.model import Finding, Resource, Rule, line_within
from hdslint.rules.context import ScanContext
from hdslint.rules.locality import doing, resolved, where

RULE = Rule(
    id="HDS-LOC-003",
    name="outside-allowed-countries",
    family="locality",
    severity="high",
    title="Data outside the countries allowed by the team's configuration",
    basis="Team policy (locality.allowed_countries in .hdslint.yaml), stricter than HDS EXI 28",
    remediation="Place the resource in one of the allowed countries.",
    perimeters=(1, 2),
    knows="data",
    looks_at="data",
    judges=("location",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    allowed = ctx.config.allowed_countries
    if not allowed:
        return
    names = country_names()
    allowed_text = ", ".join(f"{names.get(c, c)} ({c})" for c in allowed)
    for place in res.location.places:
        if not place.region.eea:
            continue  # HDS-LOC-001 reports it
        outside = [c for c in place.region.countries if c not in allowed]
        if not outside:
            continue
        yield RULE.finding(
            ctx, resource=res, file=res.file,
            line=line_within(res, place.line, place.file),
            message=_("{address} {doing} {where}, outside the allowed countries ({allowed}).",
                      address=res.address, doing=doing(res, place), where=where(place), allowed=allowed_text)
            + resolved(place),
            remediation=_("Place it in {allowed}, or extend locality.allowed_countries if this is intended.",
                          allowed=allowed_text),
            attribute=f"location:{place.role}", chain=place.hops,
        )
