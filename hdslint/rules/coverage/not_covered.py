"""HDS-COV-001 perimeter-not-covered: a perimeter a resource needs is outside its provider's certificate.

Why: article L.1111-8 of the Code de la santé publique requires whoever hosts health data to
be certified for each hosting activity (perimeter, R.1111-9) it performs. A managed database
needs perimeters 1 to 4 from its provider; a VM 1 to 3; a backup vault 6. The provider's
certificate must cover each of them, for that service and in that region.

What it checks, per resource, against policies/catalog: the provider is certified (with
evidence); the service is not excluded from the certificate (OVHcloud VPS, Web Hosting);
the provider (or a subcontractor named in its certificate) performs each perimeter the
resource needs; the resource is in a region the certificate covers where the provider
publishes that list (Azure's four regions, Scaleway fr-par, Clever Cloud's HDS zones).
Perimeters the team declares it performs itself, or through a certified managed-service
provider (`coverage.declarations` in .hdslint.yaml), are not asked of the provider.

Passing example:   scaleway_object_bucket in fr-par
Failing example:   azurerm_storage_account in germanywestcentral (outside Azure's listed HDS scope)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext
from hdslint.rules.coverage import perimeters_text, provider_name

RULE = Rule(
    id="HDS-COV-001",
    name="perimeter-not-covered",
    family="coverage",
    severity="high",
    title="A perimeter the resource needs is outside its provider's HDS certificate",
    basis="Code de la santé publique L.1111-8 and R.1111-9: a host is certified for each activity it performs",
    remediation="Use a service and region inside the provider's HDS certificate, or a certified provider; if the "
                "team or its managed-service provider performs the perimeter, declare it in coverage.declarations.",
    knows="perimeters",
    judges=("coverage",),
)

# The coverage gaps (hdslint.analysis.coverage.Gap.kind) this rule reports.
GAPS = ("not_in_certificate", "service_excluded", "region_out_of_scope", "not_certified")


def check(ctx: ScanContext) -> Iterator[Finding]:
    for gap in ctx.coverage.gaps_of(*GAPS):
        res = gap.resource
        name = provider_name(ctx, res.catalog)
        values = {"address": res.address, "provider": name, "perimeters": perimeters_text(gap.perimeters),
                  "detail": gap.detail}
        if gap.kind == "not_in_certificate" and gap.detail:
            message = _("{address} needs perimeter(s) {perimeters} from {provider}, whose HDS certificate does not "
                        "cover them for {detail}.", **values)
        elif gap.kind == "not_in_certificate":
            message = _("{address} needs perimeter(s) {perimeters} from {provider}, whose HDS certificate does not "
                        "cover them.", **values)
        elif gap.kind == "service_excluded":
            message = _("{address} uses a service {provider} excludes from its HDS certificate: {detail}.", **values)
        elif gap.kind == "region_out_of_scope":
            message = _("{address} is hosted where {provider}'s HDS certificate does not apply: {detail}; it needs "
                        "perimeter(s) {perimeters}.", **values)
        elif gap.detail:
            message = _("{provider} is not HDS-certified: {detail}; {address} needs perimeter(s) {perimeters} "
                        "from it.", **values)
        else:
            message = _("{provider} is not HDS-certified; {address} needs perimeter(s) {perimeters} from it.",
                        **values)
        yield RULE.finding(ctx, resource=res, file=res.file, line=res.line, message=message,
                           perimeters=gap.perimeters, attribute=f"coverage:{gap.kind}")
