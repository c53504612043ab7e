"""HDS-COV-004 provider-condition: a provider's own condition for HDS use is not met.

Why: a provider's HDS certificate covers its services only when they are used as it says.
Scalingo: an app must be created with `hds_resource = true`, `web` must run at least two
containers, databases must use Business or Enterprise plans, and Elasticsearch, MongoDB and
InfluxDB are not HDS-eligible. Scaleway: HDS object storage only in fr-par, private, without
lifecycle rules or the Glacier class. OVHcloud: managed databases on Essential or Discovery
plans are outside the certificate. Clever Cloud: HDS zones only. The conditions live in
policies/catalog/<provider>.yaml, each with its source; this rule checks the ones that code
can show. A value hdslint cannot resolve is reported as unverifiable (medium), not passed.

Passing example:   resource "scalingo_app" "api" { name = "api"  hds_resource = true }
Failing example:   resource "scalingo_app" "api" { name = "api" }
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hdslint.analysis.conditions import line_of
from hdslint.analysis.conditions import run as evaluate
from hdslint.i18n import _
from hdslint.knowledge.literals import type_matches
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-COV-004",
    name="provider-condition",
    family="coverage",
    severity="high",
    title="Provider's own HDS condition not met",
    basis="The provider's HDS conditions of use (each condition cites its source)",
    remediation="Meet the provider's condition quoted in the message.",
    looks_at="resource",
    judges=("coverage",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    entry = ctx.coverage.entries.get(res.catalog)
    if not entry or (res.data_role == "none" and not _has_condition(entry, res.type)):
        return
    for cond in entry.get("conditions", []):
        chk = cond.get("check")
        if not chk or not any(type_matches(rx, res.type) for rx in chk["resource_types"]):
            continue
        if not all(evaluate(res, t, "fail")[0] is True for t in chk.get("when", [])):
            continue
        verdict, found = evaluate(res, chk["require"], chk.get("absent_means", "fail"))
        if verdict is True:
            continue
        severity = cond.get("severity") or ctx.severity_of(RULE)
        if verdict is None:
            severity = "medium" if severity in ("critical", "high") else severity
            message = _("Cannot verify {provider}'s HDS condition on {address}: {condition} ({found}).",
                        provider=entry["name"], address=res.address, condition=cond["text"], found=found.words())
        else:
            message = _("{address} breaks {provider}'s HDS condition: {condition} (found: {found}).",
                        address=res.address, provider=entry["name"], condition=cond["text"], found=found.words())
        yield RULE.finding(ctx, resource=res, file=res.file, line=line_of(res, chk["require"]) or res.line,
                           message=message,
                           remediation=(cond.get("remediation_for") or {}).get(res.type) or cond.get("remediation"),
                           attribute=f"condition:{cond['id']}", severity=severity)


def _has_condition(entry: dict[str, Any], rtype: str) -> bool:
    return any(c.get("check") and any(type_matches(rx, rtype) for rx in c["check"]["resource_types"])
               for c in entry.get("conditions", []))
