"""HDS-LOC-004 unknown-provider: resources of a provider hdslint knows nothing about.

Why: hdslint can only place resources of providers whose regions and resource types it knows
(policies/terraform/). A SaaS provider (monitoring, error tracking, e-mail) may still receive
health data, and its location is then unknown to hdslint. This finding says so once per
provider instead of staying silent. Utility providers that create nothing anywhere (random,
null, tls, local, time, archive...) are not reported.

Passing example:   resources of aws, azurerm, google, ovh, scaleway, outscale, scalingo...
Failing example:   resource "datadog_monitor" "x" { ... }
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext
from hdslint.rules.locality import more

RULE = Rule(
    id="HDS-LOC-004",
    name="unknown-provider",
    family="locality",
    severity="info",
    title="Provider unknown to hdslint: its resources are not placed",
    basis="No HDS requirement by itself: a gap in what hdslint can vouch for (EXI 28 needs every location known)",
    remediation="Check where this provider keeps data (its EU region or endpoint) and record it in your HDS "
                "documentation; open an issue so hdslint learns it.",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    sources = [ctx.terraform.unknown_providers] + [p.unknown_providers for p in ctx.plans]
    for unknown in sources:
        for name in sorted(unknown):
            up = unknown[name]
            shown = ", ".join(up.resources[:5]) + more(up.resources[:5], len(up.resources))
            yield RULE.finding(
                ctx, file=up.file, line=up.line,
                message=_("hdslint does not know the Terraform provider '{name}': {count} resource(s) not placed "
                          "({shown}).", name=name, count=len(up.resources), shown=shown),
                attribute=f"provider:{name}",
            )
