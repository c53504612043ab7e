"""The verdict ledger: for every data store, its five properties (location, encryption at rest
and in transit, backup, HDS coverage), each ok, a finding, unknown, not assessed or not
applicable, with the rule that decided and the fact, attribute or companion it rests on.

A clean scan proves something only if every data store was judged: the ledger says which were
not, and why. It is read from what the scan already holds: the findings (a rule says which
property it judges and what its findings mean: Rule.judges, Rule.outcome), the verdicts and
locations of the analyses, and the coverage matrix."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hdslint.analysis.assessment import modelled
from hdslint.analysis.coverage import ORDER
from hdslint.analysis.protection import derivation
from hdslint.i18n import Msg, Text, _
from hdslint.model import Finding, Resource
from hdslint.model.rule import PROPERTIES
from hdslint.rules import all_rules

if TYPE_CHECKING:
    from hdslint.rules.context import ScanContext, ScanResult

STATUSES = ("ok", "finding", "unknown", "not_assessed", "not_applicable")
_KIND = {"encryption_at_rest": "at_rest", "encryption_in_transit": "in_transit", "backup": "backup"}
_RANK = {"finding": 0, "unknown": 1, "not_assessed": 2}  # which finding decides when several judge a property
_COVERAGE = {"not_covered": "finding", "expired": "finding", "unknown": "unknown", "unverified": "unknown",
             "declared": "ok", "covered": "ok"}


@dataclass
class Entry:
    status: str  # one of STATUSES
    basis: Text
    rule_id: str | None = None
    source: str = ""  # the fact's documentation, when a fact decided
    suppressed: bool = False

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"status": self.status, "rule_id": self.rule_id, "basis": str(self.basis)}
        if self.source:
            d["source"] = self.source
        if self.suppressed:
            d["suppressed"] = True
        return d


_ENCRYPTION_KIND = {"encryption:at_rest": "encryption_at_rest", "encryption:in_transit": "encryption_in_transit"}


def ledger(result: ScanResult) -> dict[int, dict[str, Entry]]:
    """id(resource) -> property -> Entry, for every data store of the scan."""
    rules = {m.RULE.id: m for m in all_rules()}
    judged: dict[tuple[str, str], dict[str, list[Finding]]] = {}
    for f in result.findings:
        mod = rules.get(f.rule_id)
        if mod is None or not f.resource:
            continue
        # a finding that absorbed others of the same root cause (hdslint.triage.rootcause) judges for them too
        props = dict.fromkeys(mod.RULE.judges + tuple(p for r in f.also if r in rules for p in rules[r].RULE.judges))
        # a rule that judges both kinds of encryption says which one a finding is about
        if f.attribute in _ENCRYPTION_KIND and _ENCRYPTION_KIND[f.attribute] in props and not f.also:
            props = {_ENCRYPTION_KIND[f.attribute]: None}
        for prop in props:
            judged.setdefault((f.root, f.resource), {}).setdefault(prop, []).append(f)
    gap_rules = {kind: rid for rid, m in rules.items() for kind in getattr(m, "GAPS", ())}
    gaps: dict[int, list[tuple[str, Text]]] = {}
    for g in result.context.coverage.gaps:
        gaps.setdefault(id(g.resource), []).append((g.kind, g.detail))
    out = {}
    written: dict[Msg | int, str] = {}  # an evidence -> its words: the resources of a provider share a few
    for res in result.context.resources:
        if res.data_role != "stores":
            continue
        found = judged.get(res.key, {})
        row = {}
        for prop in PROPERTIES:
            entry = _from_findings(found.get(prop, []), rules)
            judged_inputs = result.context.input_verdicts.get(res.key, {}).get(prop)
            if entry is None and judged_inputs is not None:
                entry = Entry(*judged_inputs)
            if entry is None:
                if prop == "location":
                    entry = _location(res)
                elif prop == "coverage":
                    entry = _coverage(result.context, res, gaps.get(id(res), []), gap_rules, rules, written)
                else:
                    entry = _protection(result.context, res, _KIND[prop])
            row[prop] = entry
        out[id(res)] = row
    return out


def _from_findings(findings: list[Finding], rules: dict[str, Any]) -> Entry | None:
    if not findings:
        return None
    f = min(findings, key=lambda f: (f.suppressed, _RANK[rules[f.rule_id].RULE.outcome]))
    return Entry(rules[f.rule_id].RULE.outcome, f.message, f.rule_id, suppressed=f.suppressed)


def _location(res: Resource) -> Entry:
    if res.location.undetermined:
        return Entry("unknown", res.location.undetermined[0].reason)
    if not res.location.places:
        return Entry("not_assessed", _("no region in the code or hdslint's knowledge"))
    where = ", ".join(dict.fromkeys(f"{p.region.code} ({p.role})" for p in res.location.places))
    if all(p.region.eea for p in res.location.places):
        return Entry("ok", _("in the EEA: {places}", places=where))
    return Entry("finding", _("outside the EEA: {places}", places=where))


def _protection(ctx: ScanContext, res: Resource, kind: str) -> Entry:
    v = ctx.verdict(res, kind)
    if v is not None:
        status = {"on": "ok", "off": "finding"}.get(v.state, "unknown")
        return Entry(status, v.detail, source=v.source)
    entry = derivation(res)
    if kind == "backup" and entry is not None and entry.get("backup") == "not_needed":
        return Entry("not_applicable", _("a copy of another resource, whose backups count"),
                     source=str(entry.get("source", "")))
    if modelled(res, kind):
        facts = res.facts or {}
        side = facts.get("backup") if kind == "backup" else (facts.get("encryption") or {}).get(kind) or {}
        note = str(side.get("note", "")) if isinstance(side, dict) else ""
        return Entry("not_applicable", note or _("not a property of this type"),
                     source=str(side.get("source", "")) if isinstance(side, dict) else "")
    return Entry("not_assessed", _("hdslint holds no fact on this property of {type}", type=res.type))


def _coverage(ctx: ScanContext, res: Resource, gaps: list[tuple[str, Text]], gap_rules: dict[str, str],
              rules: dict[str, Any], written: dict[Msg | int, str]) -> Entry:
    cells = ctx.coverage.of_resource.get(id(res))
    if not cells:
        if not res.catalog:
            return Entry("not_assessed", _("no provider hdslint knows"))
        return Entry("not_assessed", _("hdslint holds no perimeters for {type}", type=res.type))
    worst = min((c[1] for c in cells), key=ORDER.index)
    perimeters = ", ".join(str(p) for p in sorted({c[0] for c in cells}))
    evidence = "; ".join(dict.fromkeys(_written(c[2], written) for c in cells if c[2] and c[1] == worst))
    basis = _("perimeters {perimeters}: {evidence}", perimeters=perimeters, evidence=evidence or worst)
    for kind, _detail in gaps:  # a gap no finding of this resource names: reported per provider
        rid = gap_rules.get(kind)
        status = rules[rid].RULE.outcome if rid else "unknown"
        return Entry(status, basis, rid if rid is not None and ctx.config.rule_enabled(rid) else None)
    return Entry(_COVERAGE[worst], basis)


def _written(text: Text, written: dict[Msg | int, str]) -> str:
    """str(text), once for equal texts (the ledger is made inside one language): by identity
    first (the texts live as long as the ledger), then by value."""
    if isinstance(text, str):
        return text
    out = written.get(id(text))
    if out is None:
        out = written.get(text)
        if out is None:
            out = written[text] = str(text)
        written[id(text)] = out
    return out


def breadth(result: ScanResult, rows: dict[int, dict[str, Entry]] | None = None) -> dict[str, Any]:
    """Per property, how many data stores have each status, and the types not assessed."""
    rows = ledger(result) if rows is None else rows
    by_id = {id(r): r for r in result.context.resources}
    out: dict[str, Any] = {}
    for prop in PROPERTIES:
        counts = dict.fromkeys(STATUSES, 0)
        types: set[str] = set()
        for rid, row in rows.items():
            counts[row[prop].status] += 1
            if row[prop].status == "not_assessed":
                types.add(by_id[rid].type)
        out[prop] = {"counts": counts, "not_assessed_types": sorted(types)}
    return out
