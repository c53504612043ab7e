"""HDS-ENC-003 in-transit-not-enforced: data can travel unencrypted.

Why: EXI 05 requires the risk analysis to cover the compromise of flows; ISO/IEC 27001:2022
A.8.24 and A.8.20 (network security) are how certified hosts answer it. Not a numbered HDS
requirement by itself: this rule says so.

What it checks: listeners, endpoints and databases that accept plain HTTP or weak TLS
versions, from the facts in policies/terraform: HTTPS-only flags (App Service https_only,
Scalingo force_https), minimum TLS versions (min_tls_version below 1.2), database SSL
enforcement (Cloud SQL ssl_mode, Scalingo force-ssl), load balancer listener protocols,
and the provider's default when nothing is set.

Passing example:   resource "azurerm_linux_web_app" "x" { https_only = true ... }
Failing example:   resource "azurerm_linux_web_app" "x" { ... }   (https_only defaults to false)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import fix_for
from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule, line_within
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-ENC-003",
    name="in-transit-not-enforced",
    family="encryption",
    severity="high",
    title="Encryption in transit not enforced",
    basis="ISO/IEC 27001:2022 A.8.24 and A.8.20 through the certified ISMS (HDS EXI 01, flows in EXI 05). "
          "Not a numbered HDS requirement by itself",
    remediation="Accept only TLS 1.2 or later, and redirect or refuse plain HTTP.",
    knows="in_transit",
    looks_at="data",
    judges=("encryption_in_transit",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    v = ctx.verdict(res, "in_transit")
    if v is None or v.state != "off":
        return
    yield RULE.finding(
        ctx, resource=res, file=res.file, line=line_within(res, v.line),
        message=_("{address} lets data travel without enforced encryption: {detail}.", address=res.address,
                  detail=v.detail),
        remediation=fix_for(res, "in_transit", v), attribute="encryption:in_transit")
