"""HDS-COV-007 perimeters-not-verified: a certified provider whose certificate's perimeters are not public.

Why: AWS, Azure, Scaleway and OVHcloud (per product) are HDS-certified, but do not publish which
of the six hosting activities their certificate covers, or not in a form hdslint can read. The
code is not at fault and cannot change it: the team settles it with paperwork (the certificate,
or the HDS contract's annex). So this is low by default: a red build must mean the code has to
change. `profile: audit` raises it to medium for teams that want the build to enforce the
paperwork. Recording the certificate's perimeters in coverage.catalog_overrides (`hdslint init`
writes the entry, with where to obtain the certificate) settles it. Reported once per provider.

Passing example:   coverage.catalog_overrides: {aws: {certification: {perimeters: [1, 2, 3, 4, 5, 6]}}}
Failing example:   aws_db_instance in eu-west-3 with no override (AWS does not publish its perimeters)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext
from hdslint.rules.coverage import by_provider, listing, provider_name

RULE = Rule(
    id="HDS-COV-007",
    name="perimeters-not-verified",
    family="coverage",
    severity="low",
    audit_severity="medium",
    title="Certified provider whose certificate's perimeters are not verified",
    basis="Code de la santé publique L.1111-8 and R.1111-9: each activity must be on the host's certificate",
    remediation="Obtain the provider's HDS certificate (or the HDS contract's annex) and record its perimeters in "
                "coverage.catalog_overrides.",
    knows="perimeters",
    judges=("coverage",),
    outcome="unknown",
)

# The coverage gaps (hdslint.analysis.coverage.Gap.kind) this rule reports.
GAPS = ("unknown_perimeters",)


def check(ctx: ScanContext) -> Iterator[Finding]:
    for catalog_id, items in by_provider(ctx.coverage.gaps_of(*GAPS)).items():
        first = items[0].resource
        access = (ctx.coverage.entries.get(catalog_id) or {}).get("certificate_access") or {}
        where = access.get("where") or ""
        remediation = (_("Record the perimeters of the HDS certificate of {provider} under coverage."
                         "catalog_overrides.{id}.certification.perimeters (hdslint init writes the entry). Where to "
                         "obtain the certificate: {where}.", provider=provider_name(ctx, catalog_id), where=where,
                         id=catalog_id) if where else None)
        yield RULE.finding(
            ctx, file=first.file, line=first.line,
            message=_("{provider} is HDS-certified, but the perimeters of its certificate are not published: {count} "
                      "resource(s) need perimeters {perimeters} from it ({resources}). Paperwork, not code, settles "
                      "it.", provider=provider_name(ctx, catalog_id), count=len(items),
                      perimeters=", ".join(str(p) for p in sorted({p for g in items for p in g.perimeters})),
                      resources=listing(items)),
            remediation=remediation,
            perimeters=sorted({p for g in items for p in g.perimeters}), attribute=f"provider:{catalog_id}")
