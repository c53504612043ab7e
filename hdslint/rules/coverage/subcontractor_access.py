"""HDS-COV-005 subcontractor-access: a subcontractor performs perimeters with access from outside the EEA.

Why: EXI 29 allows remote access to health data from outside the EEA only on an adequacy
decision (art. 45 GDPR) or appropriate safeguards (art. 46), described in the hosting
contract; EXI 30 requires the risks of non-EEA laws to be stated. Some certified services
rely on a subcontractor that declares such access, e.g. OVHcloud's managed databases, where
Aiven performs perimeters 4 to 6 with access from Canada and the United Kingdom (adequacy
decisions). This is lawful when documented; the finding (info) makes sure it is known and
written in the team's transfer register.

Passing example:   scalingo_addon (Scalingo performs all six perimeters itself)
Failing example:   ovh_cloud_project_database with engine postgresql (Aiven, access from CA and GB)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.knowledge.regions import country_names
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-COV-005",
    name="subcontractor-access",
    family="coverage",
    severity="info",
    title="A certified service relies on a subcontractor with access from outside the EEA",
    basis="HDS référentiel 2024, EXI 29 (remote access from outside the EEA) and EXI 30 (non-EEA laws)",
    remediation="Record the subcontractor, the countries and the legal basis (adequacy decision or safeguards) in "
                "your HDS documentation and transfer register; check the provider's contract states them.",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    names = country_names()
    for res, service, sub_name in ctx.coverage.subcontracted:
        entry = ctx.coverage.entries[res.catalog]
        svc = next(s for s in entry.get("services", []) if s["name"] == service)
        sub = next(x for x in svc.get("subcontractors", []) if x["name"] == sub_name)
        countries = ", ".join(names.get(c, c) for c in sub["non_eea_access"])
        perims = ", ".join(map(str, sub["perimeters"]))
        yield RULE.finding(
            ctx, resource=res, file=res.file, line=res.line, perimeters=sub["perimeters"],
            message=_("{address} uses {provider} {service}, where subcontractor {subcontractor} performs "
                      "perimeter(s) {perimeters} with access from {countries}.", address=res.address,
                      provider=entry["name"], service=service, subcontractor=sub_name, perimeters=perims,
                      countries=countries)
                    + (f" {sub['note']}" if sub.get("note") else ""),
            attribute=f"subcontractor:{sub_name}")
