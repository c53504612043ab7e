"""HDS-COV-002 certificate-expired: no certificate relied upon is in force at the scan date.

Why: an HDS certificate lasts three years, with yearly surveillance audits; hosting health
data on a provider whose certificate has expired, or who was not yet certified on that date, is
hosting it on an uncertified provider. The certificate in force may be a previous one recorded in
the catalog (certification.previous_certificates). The same holds for a managed-service provider
the team declares (coverage.declarations). Use --today YYYY-MM-DD to make the date reproducible.

Passing example:   Scalingo scanned on 2025-06-01 (its 2022-09-12 to 2025-09-11 certificate) or in 2026
Failing example:   a declaration `valid_until: 2025-01-31`, scanned in 2026; Scalingo scanned on 2022-01-01
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext
from hdslint.rules.coverage import by_provider, listing, perimeters_text, provider_name

RULE = Rule(
    id="HDS-COV-002",
    name="certificate-expired",
    family="coverage",
    severity="high",
    title="No HDS certificate in force at the scan date",
    basis="Code de la santé publique L.1111-8: hosting health data requires a valid certificate",
    remediation="Obtain the renewed certificate (and update the catalog or your declaration), or move the resources.",
    knows="perimeters",
    judges=("coverage",),
)

# The coverage gaps (hdslint.analysis.coverage.Gap.kind) this rule reports.
GAPS = ("expired", "not_yet_valid")


def check(ctx: ScanContext) -> Iterator[Finding]:
    for catalog_id, gaps in by_provider(ctx.coverage.gaps_of(*GAPS)).items():
        first = gaps[0].resource
        remediation = None
        if gaps[0].kind == "not_yet_valid":
            remediation = _("Check the scan date (--today). If the provider held an earlier certificate, record it "
                            "(certification.previous_certificates in coverage.catalog_overrides); otherwise the "
                            "resources were on an uncertified provider on that date.")
            message = _("{provider} was not yet HDS-certified on {today}: its first certificate recorded in hdslint's "
                        "catalog is valid from {date}; {count} resource(s) rely on it ({resources}).",
                        provider=provider_name(ctx, catalog_id), today=ctx.today.isoformat(), date=gaps[0].detail,
                        count=len(gaps), resources=listing(gaps))
        else:
            message = _("{provider}'s HDS certificate expired on {date}: {count} resource(s) rely on it ({resources}).",
                        provider=provider_name(ctx, catalog_id), date=gaps[0].detail, count=len(gaps),
                        resources=listing(gaps))
        yield RULE.finding(ctx, file=first.file, line=first.line, message=message, remediation=remediation,
                           perimeters=sorted({p for g in gaps for p in g.perimeters}),
                           attribute=f"provider:{catalog_id}")
    for d in ctx.coverage.declarations_expired:
        yield RULE.finding(
            ctx, file=_config_file(ctx), line=1,
            message=_("The declaration that {by} performs perimeter(s) {perimeters} expired on {date} "
                      "(coverage.declarations).", by=d["by"], perimeters=perimeters_text(d["perimeters"]),
                      date=d["valid_until"]),
            perimeters=d["perimeters"], attribute=f"declaration:{d['by']}")


def _config_file(ctx: ScanContext) -> str:
    import os

    source = ctx.config.source
    return os.path.relpath(source, ctx.root).replace(os.sep, "/") if source else ".hdslint.yaml"
