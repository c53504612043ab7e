"""HDS-COV-006 outdated-referentiel: the provider's certificate is under a superseded référentiel.

Why: the 2024 HDS référentiel (v2) replaced the 2018 one (v1.1); hosts certified under v1.1 had
until 16 May 2026 to be certified under v2 (policies/referentiels.yaml). After that date a v1.1
certificate no longer attests anything: either the provider holds a v2 certificate that the
catalog does not know yet, or it is no longer certified. Reported once per provider, listing the
resources concerned. A certificate recorded in coverage.catalog_overrides under the current
référentiel settles it.

Passing example:   a provider whose catalog entry has referentiel "2024 (v2)"
Failing example:   a provider whose catalog entry has referentiel "2018 (v1.1)", scanned after 2026-05-16
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.knowledge.catalog import referentiels
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext
from hdslint.rules.coverage import by_provider, listing, provider_name

RULE = Rule(
    id="HDS-COV-006",
    name="outdated-referentiel",
    family="coverage",
    severity="medium",
    title="HDS certificate under a superseded référentiel",
    basis="Code de la santé publique L.1111-8, R.1111-10: certification against the référentiel in force "
          "(arrêté of 26 April 2024; v1.1 certificates lapsed on 16 May 2026)",
    remediation="Get the provider's certificate under the 2024 référentiel (v2) and record it in "
                "coverage.catalog_overrides, or choose a provider certified under it.",
    knows="perimeters",
    judges=("coverage",),
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    for catalog_id, gaps in by_provider(ctx.coverage.gaps_of("outdated_referentiel")).items():
        first = gaps[0].resource
        name = str(gaps[0].detail)
        ref = referentiels().get(name, {})
        yield RULE.finding(
            ctx, file=first.file, line=first.line,
            message=_("{provider}'s HDS certificate in hdslint's catalog is under the {referentiel} référentiel, "
                      "whose certificates lapsed on {date}: {count} resource(s) rely on it ({resources}).",
                      provider=provider_name(ctx, catalog_id), referentiel=name,
                      date=ref.get("certificates_valid_until", "?"), count=len(gaps), resources=listing(gaps)),
            perimeters=sorted({p for g in gaps for p in g.perimeters}), attribute=f"provider:{catalog_id}")
