"""Open items: what the code cannot prove but the HDS audit will ask about.

Each item names the provider it concerns, its topic, what to produce or decide, and what it
rests on. They come from the scan's coverage and from the catalog, never from a guess:

- certificate: a provider whose certificate's perimeters (or status) hdslint cannot verify
  (matrix cells `unverified`, HDS-COV-007; unknown status or provider, HDS-COV-003), with where
  its certificate is obtained (catalog `certificate_access`) and the provider's own words when
  its catalog entry has a condition of topic `certificate`;
- contract: the HDS contract (or annex) with each provider the scan uses, and with each
  managed-service provider the team declares (coverage.declarations);
- health_professional_contact: a provider whose catalog conditions require one (Scalingo);
- administration: a provider that does not perform perimeter 5 for the resources scanned
  there, when no declaration says who does;
- subcontractor_access: a subcontractor with access from outside the EEA, from the catalog
  (EXI 29, EXI 30);
- provider_condition: a provider's condition that code cannot show (catalog conditions of
  topic `provider_condition`, narrowed by `applies_to` to the resource types it concerns);
- undocumented: services with no setting for encryption or backups whose provider's
  documentation does not say (HDS-ENC-007, HDS-BAK-007 findings not suppressed): ask the provider.

Texts are written in the language in use (a report calls this inside i18n.using).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from hdslint.i18n import say as _
from hdslint.knowledge.regions import country_names
from hdslint.report import labels

if TYPE_CHECKING:
    from collections.abc import Iterable

    from hdslint.analysis.coverage import Coverage
    from hdslint.model import Finding, Resource
    from hdslint.rules.context import ScanContext

TOPICS = ("certificate", "contract", "health_professional_contact", "administration", "subcontractor_access",
          "provider_condition", "undocumented")
UNDOCUMENTED = {"HDS-ENC-007": "encryption", "HDS-BAK-007": "backup"}  # rule -> what to ask the provider
UNVERIFIED = ("unknown_perimeters", "unknown_status", "unknown_provider")  # the gaps of HDS-COV-003


@dataclass
class OpenItem:
    id: str
    provider: str | None  # catalog id, or the name a declaration gives
    topic: str  # one of TOPICS
    text: str
    basis: str
    source: str | None = None  # the document the item rests on, when one does

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def open_items(ctx: ScanContext, findings: Iterable[Finding] = ()) -> list[OpenItem]:
    cov = ctx.coverage
    asks = _undocumented(ctx, findings)
    used = _providers_in_use(ctx)
    out: list[OpenItem] = []
    for provider, resources in used.items():
        entry = cov.entries.get(provider)
        name = str(entry["name"]) if entry else provider
        conditions = [c for c in (entry or {}).get("conditions", []) if "check" not in c and c.get("topic")]
        out += _certificate(cov, provider, name, entry, conditions)
        out.append(_contract(provider, name, entry, conditions))
        for c in conditions:
            if c["topic"] == "health_professional_contact" and _applies(c, resources):
                out.append(OpenItem(
                    f"health_professional_contact:{provider}", provider, "health_professional_contact",
                    _("{provider} requires a health-professional point of contact for its HDS service: name one, "
                      "keep the proof, and keep it up to date.", provider=name),
                    _quote(name, c), _source(entry, c)))
        admin = _administration(ctx, provider, name, resources)
        if admin is not None:
            out.append(admin)
        out += _subcontractors(cov, provider, name, entry)
        for c in conditions:
            if c["topic"] == "provider_condition" and _applies(c, resources):
                out.append(OpenItem(
                    f"provider_condition:{provider}:{c['id']}", provider, "provider_condition",
                    _("Show that {provider}'s HDS condition is met (hdslint cannot see it in the code): “{condition}”",
                      provider=name, condition=c["text"]),
                    _("{provider}'s own HDS conditions", provider=name), _source(entry, c)))
        out += [_ask(provider, name, what, services) for (p, what), services in asks.items() if p == provider]
    out += _declared_contracts(ctx)
    return out


def _providers_in_use(ctx: ScanContext) -> dict[str, list[Resource]]:
    """catalog id -> the scanned resources that need perimeters from it, in matrix order."""
    out: dict[str, list[Resource]] = {}
    for res in ctx.resources:
        if res.catalog and id(res) in ctx.coverage.of_resource:
            out.setdefault(res.catalog, []).append(res)
    return dict(sorted(out.items()))


def _applies(condition: dict[str, Any], resources: list[Resource]) -> bool:
    patterns = condition.get("applies_to")
    return not patterns or any(re.fullmatch(p, r.type) for p in patterns for r in resources)


def _source(entry: dict[str, Any] | None, fact: dict[str, Any]) -> str | None:
    sources = {s["id"]: s["url"] for s in (entry or {}).get("sources", [])}
    return sources.get(fact.get("source", ""), fact.get("source")) or None


def _quote(name: str, condition: dict[str, Any]) -> str:
    return _("{provider}'s own HDS condition: “{condition}”", provider=name, condition=condition["text"])


def _perimeters(numbers: set[int] | list[int]) -> str:
    return ", ".join(f"{p}. {labels.perimeter_name(p)}" for p in sorted(numbers))


def _certificate(cov: Coverage, provider: str, name: str, entry: dict[str, Any] | None,
                 conditions: list[dict[str, Any]]) -> list[OpenItem]:
    """A provider whose certificate hdslint cannot verify: perimeters not published (cells
    `unverified`, HDS-COV-007), status unknown or provider not in the catalog (HDS-COV-003);
    with where the provider's certificate is obtained (catalog `certificate_access`)."""
    gaps = [g for g in cov.gaps if g.kind in UNVERIFIED and g.resource.catalog == provider]
    if not gaps:
        return []
    needed = _perimeters({p for g in gaps for p in g.perimeters})
    count = len({g.resource.address for g in gaps})
    kind = gaps[0].kind
    if kind == "unknown_perimeters":
        text = _("{provider} is HDS-certified, but the perimeters of its certificate are not published (certified, "
                 "perimeters not verified): obtain the certificate and check that it covers {perimeters} for the "
                 "services and regions used ({count} resource(s)).", provider=name, perimeters=needed, count=count)
    elif kind == "unknown_status":
        text = _("hdslint could not establish whether {provider} is HDS-certified: obtain its certificate and check "
                 "that it covers {perimeters} for the services and regions used ({count} resource(s)).",
                 provider=name, perimeters=needed, count=count)
    else:
        text = _("{provider} is not in hdslint's certification catalog: obtain its HDS certificate and check that "
                 "it covers {perimeters} for the services and regions used ({count} resource(s)).",
                 provider=name, perimeters=needed, count=count)
    access = (entry or {}).get("certificate_access") or {}
    if access.get("where"):
        text = f"{text} {_('Where to obtain it: {where}.', where=access['where'])}"
    basis = _("Code de la santé publique L.1111-8 and R.1111-9: a host of health data is certified for the "
              "activities it performs; record the certificate in coverage.catalog_overrides ({rule}).",
              rule="HDS-COV-007" if kind == "unknown_perimeters" else "HDS-COV-003")
    said = [c for c in conditions if c["topic"] == "certificate"]
    if said:
        basis = f"{basis} {_quote(name, said[0])}"
    source = (access.get("url") or _source(entry, access) if access else None) or (
        _source(entry, said[0]) if said else _source(entry, (entry or {}).get("certification", {})))
    return [OpenItem(f"certificate:{provider}", provider, "certificate", text, basis, source)]


def _contract(provider: str, name: str, entry: dict[str, Any] | None,
              conditions: list[dict[str, Any]]) -> OpenItem:
    text = _("Keep the HDS hosting contract signed with {provider} (or its HDS annex): it states the perimeter of "
             "the provider's certificate and the services it provides.", provider=name)
    basis = _("Code de la santé publique L.1111-8 and R.1111-11: hosting health data takes a contract with the "
              "certified host, with mandatory clauses.")
    said = [c for c in conditions if c["topic"] == "contract"]
    if said:
        basis = f"{basis} {_quote(name, said[0])}"
    return OpenItem(f"contract:{provider}", provider, "contract", text, basis,
                    _source(entry, said[0]) if said else None)


def _performs_5(ctx: ScanContext, provider: str) -> bool:
    """A declaration says who performs perimeter 5 for this provider's resources."""
    return any(5 in d["perimeters"] and (not d.get("providers") or provider in d["providers"])
               for d in ctx.config.declarations)


def _administration(ctx: ScanContext, provider: str, name: str, resources: list[Resource]) -> OpenItem | None:
    if (5, provider) in ctx.coverage.cells or _performs_5(ctx, provider):
        return None
    return OpenItem(
        f"administration:{provider}", provider, "administration",
        _("{provider} does not perform perimeter 5 (administration and operation of the information system) for "
          "the {count} resource(s) scanned there: say who does, your own team or a managed-service provider "
          "certified for it, and record it in coverage.declarations.", provider=name, count=len(resources)),
        _("Code de la santé publique R.1111-9, 5°: administering and operating the information system that holds "
          "health data is a hosting activity."))


def _subcontractors(cov: Coverage, provider: str, name: str, entry: dict[str, Any] | None) -> list[OpenItem]:
    names = country_names()
    seen: dict[tuple[str, str], int] = {}
    for res, service, sub in cov.subcontracted:
        if res.catalog == provider:
            seen[(service, sub)] = seen.get((service, sub), 0) + 1
    out = []
    for (service, sub_name), count in seen.items():
        svc = next(s for s in (entry or {}).get("services", []) if s["name"] == service)
        sub = next(x for x in svc.get("subcontractors", []) if x["name"] == sub_name)
        basis_words = {"adequacy": _("an adequacy decision (art. 45 GDPR)"),
                       "safeguards": _("appropriate safeguards (art. 46 GDPR)")}
        legal = basis_words.get(sub.get("legal_basis", ""), _("not stated by the provider"))
        out.append(OpenItem(
            f"subcontractor_access:{provider}:{_slug(sub_name)}", provider, "subcontractor_access",
            _("{subcontractor}, subcontractor of {provider} for {service}, performs perimeter(s) {perimeters} with "
              "access from {countries} ({count} resource(s)): record it in the map of transfers with its legal "
              "basis, {legal_basis}, and the risk of access under the law of those countries.",
              subcontractor=sub_name, provider=name, service=service, perimeters=", ".join(map(str, sub["perimeters"])),
              countries=", ".join(names.get(c, c) for c in sub["non_eea_access"]), count=count, legal_basis=legal),
            _("HDS référentiel 2024, EXI 29 (remote access from outside the EEA) and EXI 30 (non-EEA laws); the "
              "access is declared by {provider}.", provider=name), _source(entry, svc)))
    return out


def _undocumented(ctx: ScanContext, findings: Iterable[Finding]) -> dict[tuple[str, str], dict[str, int]]:
    """(provider, encryption | backup) -> service -> resources, from the HDS-ENC-007 and
    HDS-BAK-007 findings the team has not settled (a suppression records the provider's answer)."""
    by_key = {r.key: r for r in ctx.resources}
    out: dict[tuple[str, str], dict[str, int]] = {}
    seen = set()
    for f in findings:
        what = UNDOCUMENTED.get(f.rule_id)
        res = by_key.get((f.root, f.resource))
        if what is None or f.suppressed or res is None or not res.catalog or (what, res.key) in seen:
            continue
        seen.add((what, res.key))
        service = str((res.facts or {}).get("service") or res.type)
        services = out.setdefault((res.catalog, what), {})
        services[service] = services.get(service, 0) + 1
    return out


def _ask(provider: str, name: str, what: str, services: dict[str, int]) -> OpenItem:
    listed, count = ", ".join(sorted(services)), sum(services.values())
    text = (_("Ask {provider} whether these services encrypt the data: {services} ({count} resource(s) scanned). "
              "They have no encryption setting, and the provider's documentation read by hdslint does not say. "
              "Record the answer as a suppression of HDS-ENC-007 with its reason.",
              provider=name, services=listed, count=count) if what == "encryption" else
            _("Ask {provider} whether and where these services keep backups: {services} ({count} resource(s) "
              "scanned). They have no backup setting, and the provider's documentation read by hdslint does not "
              "say. Record the answer as a suppression of HDS-BAK-007 with its reason.",
              provider=name, services=listed, count=count))
    basis = (_("ISO/IEC 27001:2022 A.8.24 through the certified ISMS (HDS EXI 01): the control must be shown")
             if what == "encryption" else
             _("Perimeter 6 (backup of health data) in the ISMS scope (HDS EXI 04): the control must be shown"))
    return OpenItem(f"undocumented:{provider}:{what}", provider, "undocumented", text, basis)


def _declared_contracts(ctx: ScanContext) -> list[OpenItem]:
    """The HDS contract with each managed-service provider the team declares."""
    out: list[OpenItem] = []
    seen = set()
    for d in ctx.config.declarations:
        who = str(d.get("by", ""))
        if not who or who == "self" or who in seen:
            continue
        seen.add(who)
        perimeters = sorted({p for x in ctx.config.declarations if x.get("by") == who for p in x["perimeters"]})
        out.append(OpenItem(
            f"contract:declared:{_slug(who)}", who, "contract",
            _("Keep the HDS hosting contract signed with {provider}, declared as performing {perimeters}: it states "
              "the perimeter of its certificate and the services it provides.", provider=who,
              perimeters=_perimeters(perimeters)),
            _("Code de la santé publique L.1111-8 and R.1111-11: hosting health data takes a contract with the "
              "certified host, with mandatory clauses.")))
    return out


def _slug(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "unnamed"


def topic(name: str) -> str:
    """A topic in words."""
    return {
        "certificate": _("certificate"), "contract": _("contract"),
        "health_professional_contact": _("health-professional contact"),
        "administration": _("administration (perimeter 5)"), "subcontractor_access": _("subcontractor access"),
        "provider_condition": _("provider condition"), "undocumented": _("ask the provider"),
    }.get(name, name)
