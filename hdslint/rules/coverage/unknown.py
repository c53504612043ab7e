"""HDS-COV-003 certification-unknown: hdslint cannot tell whether the provider is certified.

Why: the catalog never certifies by guess. When a provider is missing from it, or its HDS
status is unknown, the coverage of the resources hosted there cannot be shown, and health data
may sit with a host that is not certified at all: this fails the build. (A certified provider
whose perimeters are not published is HDS-COV-007, paperwork.) Reported once per provider,
listing the resources concerned.

Passing example:   resources of a provider whose certificate and perimeters the catalog holds
Failing example:   hcloud_server (Hetzner: no evidence of an HDS certificate found)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import Msg, _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext
from hdslint.rules.coverage import by_provider, listing, provider_name

RULE = Rule(
    id="HDS-COV-003",
    name="certification-unknown",
    family="coverage",
    severity="medium",
    title="Provider's HDS certification unknown to hdslint",
    basis="Code de la santé publique L.1111-8: the certificate must be checked (ANS list of certified hosts)",
    remediation="Get the provider's HDS certificate (perimeters, regions, services, validity) and record it in "
                "coverage.catalog_overrides, or choose a provider whose certificate is published.",
    knows="perimeters",
    judges=("coverage",),
    outcome="unknown",
)

# The coverage gaps (hdslint.analysis.coverage.Gap.kind) this rule reports.
GAPS = ("unknown_provider", "unknown_status")


def _message(kind: str, **values: object) -> Msg:
    if kind == "unknown_provider":
        return _("{provider} is not in hdslint's certification catalog: {count} resource(s) need perimeters from it "
                 "({resources}).", **values)
    return _("{provider} has an HDS status hdslint could not establish from public sources: {count} resource(s) "
             "need perimeters from it ({resources}).", **values)


def check(ctx: ScanContext) -> Iterator[Finding]:
    gaps = ctx.coverage.gaps_of(*GAPS)
    for catalog_id, items in by_provider(gaps).items():
        first = items[0].resource
        kind = items[0].kind
        yield RULE.finding(
            ctx, file=first.file, line=first.line,
            message=_message(kind, provider=provider_name(ctx, catalog_id), count=len(items),
                             resources=listing(items)),
            perimeters=sorted({p for g in items for p in g.perimeters}), attribute=f"provider:{catalog_id}")
