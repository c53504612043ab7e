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

from hdslint.rules import Rule

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


def check(ctx):
    sources = [ctx.terraform.unknown_providers] + [p.unknown_providers for p in ctx.plans]
    for unknown in sources:
        for name in sorted(unknown):
            up = unknown[name]
            shown = ", ".join(up.resources[:5]) + (f" and {len(up.resources) - 5} more" if len(up.resources) > 5 else "")
            yield RULE.finding(
                ctx, file=up.file, line=up.line,
                message=f"hdslint does not know the Terraform provider '{name}': {len(up.resources)} resource(s) "
                        f"not placed ({shown}).",
                attribute=f"provider:{name}",
            )
