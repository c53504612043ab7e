"""HDS coverage: is every perimeter a resource needs performed by someone certified for it?

Each resource type says which perimeters (R.1111-9 activities) it needs from its provider
(policies/terraform). Each need is covered by a team declaration (the team itself, or its
contracted managed-service provider, in .hdslint.yaml) or by the provider's certificate
(policies/catalog): certified, valid at the scan date, for that perimeter, that service and
that region. The result feeds the coverage rules and the perimeter x provider matrix.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hdslint.analysis.location import in_regions
from hdslint.i18n import Msg, Text, _, join
from hdslint.knowledge.catalog import (
    at_date,
    catalog,
    certificate_words,
    declared_certificate,
    evidence,
    lapsed_referentiel,
    service_for,
    standing,
)
from hdslint.model import PERIMETERS, Resource

if TYPE_CHECKING:
    from hdslint.analysis.scan import ScanView

# Cell statuses, worst first.
# unverified: a certified provider whose certificate's perimeters are not published (paperwork).
ORDER = ["not_covered", "expired", "unknown", "unverified", "declared", "covered"]


@dataclass
class Gap:
    """A need not covered: kind is not_in_certificate, service_excluded, region_out_of_scope,
    not_certified, expired, not_yet_valid, unknown_status, unknown_perimeters, unknown_provider."""

    resource: Resource
    perimeters: tuple[int, ...]
    kind: str
    detail: Text = ""


@dataclass
class Coverage:
    entries: dict[str, dict[str, Any]]
    gaps: list[Gap] = field(default_factory=list)
    # (perimeter, provider) -> {"status", "resources", "evidence"}
    cells: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    # (resource, service, subcontractor) with non-EEA access
    subcontracted: list[tuple[Resource, str, str]] = field(default_factory=list)
    declarations_expired: list[dict[str, Any]] = field(default_factory=list)
    # id(resource) -> [(perimeter, status, evidence)]: one resource's row of the matrix (its ledger)
    of_resource: dict[int, list[tuple[int, str, Text]]] = field(default_factory=dict)
    # provider -> (its entry at the scan date, its evidence), made once: the resources of one
    # provider share one evidence, which the sets of evidence then hold once without comparing
    _dated: dict[str, tuple[dict[str, Any], Msg]] = field(default_factory=dict, repr=False)

    def gaps_of(self, *kinds: str) -> list[Gap]:
        return [g for g in self.gaps if g.kind in kinds]


def _declarations(declarations: list[dict[str, Any]], res: Resource) -> dict[int, dict[str, Any]]:
    """perimeter -> declaration that covers it for this resource."""
    out: dict[int, dict[str, Any]] = {}
    for d in declarations:
        providers = d.get("providers")
        if providers and res.catalog not in providers and res.provider not in providers:
            continue
        for p in d["perimeters"]:
            out.setdefault(p, d)
    return out


def _primary_codes(res: Resource) -> list[str]:
    return [p.region.code for p in res.location.places if p.role == "primary"]


def evaluate(ctx: ScanView) -> Coverage:
    entries = catalog(ctx.config.catalog_overrides, ctx.config.source and ctx.config.origin("catalog_overrides"))
    cov = Coverage(entries)
    for d in ctx.config.declarations:
        until = d.get("valid_until")
        if until and dt.date.fromisoformat(str(until)) < ctx.today:
            cov.declarations_expired.append(d)
    expired_decl = {id(d) for d in cov.declarations_expired}
    for res in ctx.resources:
        if res.data_role == "none" or not res.catalog:
            continue
        wanted = set((res.facts or {}).get("perimeters", ()))
        if not wanted:
            continue
        backup = ctx.verdict(res, "backup")
        if backup is not None and backup.state == "on" and backup.how != "companion":
            wanted.add(6)  # the provider keeps the backups: perimeter 6 (backup of health data)
        needs = tuple(sorted(wanted))
        declared = _declarations(ctx.config.declarations, res)
        provider_needs: list[int] = []
        for p in needs:
            decl = declared.get(p)
            if decl is None:
                provider_needs.append(p)
                continue
            status = "expired" if id(decl) in expired_decl else "declared"
            _cell(cov, p, res, status, _declaration_evidence(decl))
        if provider_needs:
            _provider_coverage(cov, ctx, res, tuple(provider_needs))
    return cov


def _declaration_evidence(d: dict[str, Any]) -> Msg:
    if d.get("by") == "self":
        who: Text = _("the team itself")
    else:
        who = d["by"] if "by" in d else _("a declared provider")
    parts: list[Text] = [_("declared: performed by {who}", who=who)]
    parts += certificate_words(d.get("certificate"), d.get("issuer"), d.get("valid_until"))
    return join(parts, ", ")


def _cell(cov: Coverage, perimeter: int, res: Resource, status: str, ev: Text) -> None:
    cell = cov.cells.setdefault((perimeter, res.catalog), {"status": "covered", "resources": [], "evidence": set()})
    if ORDER.index(status) < ORDER.index(cell["status"]):
        cell["status"] = status
    cell["resources"].append(res.address)
    cov.of_resource.setdefault(id(res), []).append((perimeter, status, ev))
    if ev:
        cell["evidence"].add(ev)


def _provider_coverage(cov: Coverage, ctx: ScanView, res: Resource, needs: tuple[int, ...]) -> None:
    entry = cov.entries.get(res.catalog)
    if entry is None:
        cov.gaps.append(Gap(res, needs, "unknown_provider"))
        for p in needs:
            _cell(cov, p, res, "unknown", _("not in hdslint's certification catalog"))
        return
    dated = cov._dated.get(res.catalog)
    if dated is None:  # a previous certificate when the scan date is before the current one
        dated = cov._dated[res.catalog] = (entry := at_date(entry, ctx.today), evidence(entry))
    entry, ev = dated
    cert = entry["certification"]
    if cert["status"] == "unknown":
        cov.gaps.append(Gap(res, needs, "unknown_status"))
        for p in needs:
            _cell(cov, p, res, "unknown", _("HDS status unknown ({evidence})", evidence=ev) if ev
                  else _("HDS status unknown"))
        return
    if cert["status"] == "not_certified":
        cov.gaps.append(Gap(res, needs, "not_certified", cert.get("note", "")))
        for p in needs:
            _cell(cov, p, res, "not_covered", _("not HDS-certified ({evidence})", evidence=ev))
        return
    lapsed = lapsed_referentiel(entry, ctx.today)
    if lapsed is not None:
        cov.gaps.append(Gap(res, needs, "outdated_referentiel", lapsed["name"]))
        for p in needs:
            _cell(cov, p, res, "expired", _("certificate under the {referentiel} référentiel, whose certificates "
                                            "lapsed on {date} ({evidence})", referentiel=lapsed["name"],
                                            date=lapsed["certificates_valid_until"], evidence=ev))
        # and the certificate's scope is still checked below: a region outside it is its own finding
    state, date = standing(entry, ctx.today)
    if state == "expired":
        cov.gaps.append(Gap(res, needs, "expired", date))
        for p in needs:
            _cell(cov, p, res, "expired", ev)
        return
    if state == "not_yet_valid":
        cov.gaps.append(Gap(res, needs, "not_yet_valid", date))
        for p in needs:
            _cell(cov, p, res, "not_covered", _("not yet HDS-certified at the scan date: certified from {date} "
                                                "({evidence})", date=date, evidence=ev))
        return
    service = service_for(entry, res.type)
    if service is not None and service["status"] == "excluded":
        cov.gaps.append(Gap(res, needs, "service_excluded", service["name"] + (f": {service['note']}"
                                                                                if service.get("note") else "")))
        for p in needs:
            _cell(cov, p, res, "not_covered", _("{service} is excluded from the certificate", service=service["name"]))
        return
    performed = None
    subcontracted: dict[int, dict[str, Any]] = {}
    if service is not None and service.get("perimeters"):
        performed = set(service["perimeters"])
        for sub in service.get("subcontractors", []):
            for p in sub["perimeters"]:
                subcontracted[p] = sub
    elif cert.get("perimeters") is not None:
        performed = set(cert["perimeters"])
    if performed is None:
        cov.gaps.append(Gap(res, needs, "unknown_perimeters"))
        for p in needs:
            _cell(cov, p, res, "unverified", _("perimeters not published ({evidence})", evidence=ev))
        return
    regions = (service or {}).get("regions") or cert.get("regions")
    if regions:
        inside = in_regions(res, regions)
        if inside is False:
            where = ", ".join(_primary_codes(res))
            cov.gaps.append(Gap(res, needs, "region_out_of_scope",
                                _("{region} is not among the certified regions ({regions})", region=where,
                                  regions=", ".join(regions))))
            for p in needs:
                _cell(cov, p, res, "not_covered", _("region {region} outside the certificate's scope", region=where))
            return
    missing = tuple(p for p in needs if p not in performed and p not in subcontracted)
    if missing:
        cov.gaps.append(Gap(res, missing, "not_in_certificate", service["name"] if service else ""))
    for p in needs:
        if p in missing:
            _cell(cov, p, res, "not_covered",
                  _("perimeter {perimeter} not on the certificate ({evidence})", perimeter=p, evidence=ev))
        elif p in subcontracted and p not in performed:
            sub = subcontracted[p]
            if service and sub.get("non_eea_access") and (res, service["name"], sub["name"]) not in cov.subcontracted:
                cov.subcontracted.append((res, service["name"], sub["name"]))
            _cell(cov, p, res, "covered", _("performed by subcontractor {subcontractor} under {provider}'s "
                                            "certificate ({evidence})", subcontractor=sub["name"],
                                            provider=entry["name"], evidence=ev))
        else:
            _cell(cov, p, res, "declared" if declared_certificate(entry) else "covered", ev)


def matrix(cov: Coverage) -> list[dict[str, Any]]:
    """The JSON form: perimeters 1-6, each with one entry per provider in use, written in the
    language in use (a report calls it)."""
    providers = sorted({prov for (_perimeter, prov) in cov.cells})
    out = []
    for number, name in PERIMETERS.items():
        cells = []
        for prov in providers:
            cell = cov.cells.get((number, prov))
            if cell is None:
                continue
            entry = cov.entries.get(prov)
            cells.append({
                "provider": prov,
                "name": entry["name"] if entry else prov,
                "status": cell["status"],
                "required_by": sorted(set(cell["resources"]))[:50],
                "required_by_count": len(set(cell["resources"])),
                "evidence": sorted(str(e) for e in cell["evidence"]),
            })
        status = min((c["status"] for c in cells), key=ORDER.index) if cells else "not_required"
        out.append({"perimeter": number, "name": name, "status": status, "providers": cells})
    return out
