"""One root cause, one finding.

A resource placed outside the EEA also breaks its provider's region condition (Azure's HDS
regions), falls outside the regions of the provider's certificate, and keeps its own backup
copies (a bucket's versions, a snapshot in the same region) outside the EEA. A region outside a
provider's certificate also breaks the provider's own "HDS zones only" condition (Clever Cloud
`region = "par"`). Each is one change in the code, so one finding: the most specific one is kept
(the locality finding, else the certificate's scope), the others are named in its message and
listed in `also`. A region condition's own fix replaces the kept one's: it satisfies both causes
(Azure: "francecentral", not any EEA region).

The same holds across resources: volumes that all use the cluster's default StorageClass, absent
from the scan, or that no Velero schedule of the scan can take, are one unknown with one fix.
Findings of one rule with the same `cause` become one finding that lists the objects (and keeps
their places in its chain, so a pre-commit run on any of their files still shows it).

Runs after suppressions: a suppressed finding neither absorbs nor is absorbed, so a
suppression never hides a second reason silently.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from itertools import groupby
from typing import Any

from hdslint.i18n import Text, _, join
from hdslint.model import Finding, Hop, Resource
from hdslint.rules.context import ScanContext
from hdslint.rules.coverage import provider_name

LOC_OUTSIDE, NOT_COVERED, CONDITION, COPY_OUTSIDE = "HDS-LOC-001", "HDS-COV-001", "HDS-COV-004", "HDS-BAK-003"
REGION_GAP = "coverage:region_out_of_scope"


def _region_condition(ctx: ScanContext, res: Resource, f: Finding) -> dict[str, Any] | None:
    """The catalog condition of a HDS-COV-004 finding when it is about the region, else None."""
    if f.rule_id != CONDITION or not f.attribute.startswith("condition:"):
        return None
    entry = ctx.coverage.entries.get(res.catalog) or {}
    cond_id = f.attribute.removeprefix("condition:")
    for cond in entry.get("conditions", []):
        if cond["id"] == cond_id and "region_in" in ((cond.get("check") or {}).get("require") or {}):
            return cond
    return None


def _copy_in_place(res: Resource, f: Finding) -> bool:
    """A HDS-BAK-003 copy kept where the resource itself is (its versions, a same-region snapshot)."""
    if f.rule_id != COPY_OUTSIDE or not f.attribute.startswith("backup:copy:"):
        return False
    code = f.attribute.removeprefix("backup:copy:")
    return any(code in (p.region.code, p.region.parent) or p.region.code.startswith(code)
               for p in res.location.places if not p.region.eea)


def _mention(ctx: ScanContext, res: Resource, kept: Finding, f: Finding,
             cond: dict[str, Any] | None) -> Text | None:
    """What the kept finding says of a folded one (cond: its region condition, if it is one), or
    None when f is not the same root cause."""
    provider = provider_name(ctx, res.catalog)
    if cond is not None:
        return _("It also breaks {provider}'s HDS condition: {condition}", provider=provider, condition=cond["text"])
    if kept.rule_id == LOC_OUTSIDE and f.rule_id == NOT_COVERED and f.attribute == REGION_GAP:
        return _("The HDS certificate of {provider} does not cover that region either.", provider=provider)
    if kept.rule_id == LOC_OUTSIDE and _copy_in_place(res, f):
        return _("Its backup copies are kept in the same place, outside the EEA too.")
    return None


# The findings that absorb others, most specific first.
KEEPERS: tuple[Callable[[Finding], bool], ...] = (
    lambda f: f.rule_id == LOC_OUTSIDE,
    lambda f: f.rule_id == NOT_COVERED and f.attribute == REGION_GAP,
)


def fold(findings: list[Finding], ctx: ScanContext) -> list[Finding]:
    return _shared(_same_resource(findings, ctx))


# Objects listed by name in a finding that stands for several; the rest are counted.
LISTED = 10


def _shared(findings: list[Finding]) -> list[Finding]:
    """One finding per (rule, cause) shared by several objects."""
    def key(f: Finding) -> tuple[str, str]:
        return (f.rule_id, f.cause)

    shared = sorted((f for f in findings if f.cause and not f.suppressed), key=lambda f: (key(f), f.sort_key()))
    out = [f for f in findings if not f.cause or f.suppressed]
    for _key, group in groupby(shared, key=key):
        first, *others = list(group)
        if not others:
            out.append(first)
            continue
        names = [f.resource or f"{f.file}:{f.line}" for f in others]
        listed = ", ".join(names[:LISTED])
        more = (_("The same holds for {count} other object(s): {names} and {rest} more.", count=len(names),
                  names=listed, rest=len(names) - LISTED) if len(names) > LISTED else
                _("The same holds for {count} other object(s): {names}.", count=len(names), names=listed))
        hops = tuple(Hop(f.resource or f.file, f.file, f.line) for f in others)
        out.append(dataclasses.replace(first, message=join([first.message, more], " "), chain=first.chain + hops))
    return out


def _same_resource(findings: list[Finding], ctx: ScanContext) -> list[Finding]:
    by_resource: dict[tuple[str, str], list[int]] = {}
    for i, f in enumerate(findings):
        if f.resource and not f.suppressed and f.source == "hdslint":
            by_resource.setdefault((f.root, f.resource), []).append(i)
    resources = {r.key: r for r in ctx.resources}
    dropped: set[int] = set()
    for key, indexes in by_resource.items():
        res = resources.get(key)
        if res is None or len(indexes) < 2:
            continue
        keeper = next((i for test in KEEPERS for i in indexes if test(findings[i])), None)
        if keeper is None:
            continue
        kept = findings[keeper]
        mentions: list[Text] = []
        also: list[str] = []
        remediation = kept.remediation
        for i in indexes:
            f = findings[i]
            if i == keeper or i in dropped:
                continue
            cond = _region_condition(ctx, res, f)
            said = _mention(ctx, res, kept, f, cond)
            if said is None:
                continue
            dropped.add(i)
            mentions.append(said)
            also.append(f.rule_id)
            if cond is not None and cond.get("remediation"):
                remediation = f.remediation
        if also:
            findings[keeper] = dataclasses.replace(
                kept, message=join([kept.message, *mentions], " "), remediation=remediation,
                also=tuple(dict.fromkeys(kept.also + tuple(also))))
    return [f for i, f in enumerate(findings) if i not in dropped]
