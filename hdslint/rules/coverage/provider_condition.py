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

import re

from hdslint.coverage import _in_regions
from hdslint.rules import Rule
from hdslint.terraform.values import Unknown

RULE = Rule(
    id="HDS-COV-004",
    name="provider-condition",
    family="coverage",
    severity="high",
    title="Provider's own HDS condition not met",
    basis="The provider's HDS conditions of use (each condition cites its source)",
    remediation="Meet the provider's condition quoted in the message.",
)


def check(ctx):
    for res in ctx.resources:
        entry = ctx.coverage.entries.get(res.catalog)
        if not entry or res.data_role == "none" and not _has_condition(entry, res.type):
            continue
        for cond in entry.get("conditions", []):
            chk = cond.get("check")
            if not chk or not any(re.fullmatch(rx, res.type) for rx in chk["resource_types"]):
                continue
            if not all(evaluate(res, t, "fail")[0] is True for t in chk.get("when", [])):
                continue
            verdict, found = evaluate(res, chk["require"], chk.get("absent_means", "fail"))
            if verdict is True:
                continue
            severity = cond.get("severity") or ctx.severity_of(RULE)
            if verdict is None:
                severity = "medium" if severity in ("critical", "high") else severity
                message = (f"Cannot verify {entry['name']}'s HDS condition on {res.address}: {cond['text']} "
                           f"({found}).")
            else:
                message = f"{res.address} breaks {entry['name']}'s HDS condition: {cond['text']} (found: {found})."
            yield RULE.finding(ctx, resource=res, file=res.file, line=_line(res, chk["require"]), message=message,
                               remediation=cond.get("remediation") or RULE.remediation,
                               attribute=f"condition:{cond['id']}", severity=severity)


def _has_condition(entry, rtype: str) -> bool:
    return any(c.get("check") and any(re.fullmatch(rx, rtype) for rx in c["check"]["resource_types"])
               for c in entry.get("conditions", []))


def _line(res, test) -> int:
    path = test.get("attribute")
    if path:
        for v in res.values(path):
            if v.line and v.file == res.file:
                return v.line
    return res.line


def evaluate(res, test: dict, absent_means: str):
    """(True | False | None for unknown, what was found)."""
    if "region_in" in test:
        inside = _in_regions(res, test["region_in"])
        codes = ", ".join(p.region.code for p in res.location.places if p.role == "primary") or "undetermined"
        return inside, f"location {codes}"
    path = test["attribute"]
    values = [v.value for v in res.values(path)]
    if "present" in test:
        present = bool(values) and not all(v is None for v in values)
        return present == test["present"], f"{path} {'set' if present else 'not set'}"
    values = [v for v in values if v is not None]
    if not values:
        verdict = {"pass": True, "fail": False, "unknown": None}[absent_means]
        return verdict, f"{path} not set"
    results = []
    for v in values:
        if isinstance(v, Unknown):
            return None, f"{path}: {v.reason}"
        results.append(_compare(v, test))
    shown = ", ".join(repr(v) if not isinstance(v, str) else f'"{v}"' for v in values[:3])
    return all(results), f"{path} = {shown}"


def _compare(v, test: dict) -> bool:
    if "equals" in test and v != test["equals"]:
        return False
    if "one_of" in test and v not in test["one_of"]:
        return False
    if "matches" in test and not re.search(test["matches"], str(v)):
        return False
    if "not_matches" in test and re.search(test["not_matches"], str(v)):
        return False
    if "min" in test:
        try:
            if float(v) < test["min"]:
                return False
        except (TypeError, ValueError):
            return False
    return True
