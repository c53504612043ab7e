"""The map of transfers of health data outside the EEA, drawn from the scan.

Since décret n° 2026-209 (art. R.1111-11 of the Code de la santé publique; HDS référentiel 2024,
EXI 29 to 31) an HDS host publishes, and keeps up to date, the map of its transfers of health
data outside the EEA, remote access included, with the legal basis of each and the risks of
non-EEA laws. One Transfer per flow and destination country:

- a place outside the EEA of a resource that holds data: its region, a replica or backup region,
  a SaaS endpoint it sends data to (stored data, or processing): status "transfer";
- a subcontractor of a certified service with access from outside the EEA (the catalog's EXI 29
  and 30 answers): remote access, status "transfer";
- a flow whose destination hdslint cannot place, never dropped: a resource whose location is
  undetermined, a variable that names a destination or a SaaS vendor with no value in the code,
  set in a Secret or pointing at a host hdslint does not know, a SaaS or unknown Terraform
  provider: status "to_check".

A place in the EEA is no transfer, and neither is a vendor whose every documented place is in the
EEA. Each transfer holds the legal basis the knowledge gives (the provider's declared basis; else
the EU adequacy decision of the country, art. 45 GDPR, from countries.yaml; else art. 46
safeguards are needed) and the third-country-law risk the knowledge records (EXI 30). Storage
outside the EEA stays forbidden for health data whatever the basis (EXI 28): a legal basis
makes remote access lawful, not storage. Transfers are data; hdslint.report.transfers writes them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

from hdslint.analysis.cluster import env_entries
from hdslint.analysis.location import environment_items
from hdslint.i18n import Text, _, join
from hdslint.knowledge import endpoints
from hdslint.knowledge.kubernetes import knowledge
from hdslint.knowledge.regions import adequacy, country_names, is_eea, region_tables
from hdslint.model import Place, Problem, Resource, line_within
from hdslint.model.values import Hop, TfValue, Unknown
from hdslint.syntax.jsonpos import JObject

if TYPE_CHECKING:
    from hdslint.analysis.coverage import Coverage

KINDS = ("storage", "processing", "remote_access")
STATUSES = ("transfer", "to_check")
BASES = ("adequacy", "safeguards", "safeguards_needed", "none_known")
RECIPIENTS = ("provider", "subcontractor", "saas", "unknown")
GLOBAL = "GLOBAL"  # edge locations worldwide: outside the EEA, no one country


@dataclass(frozen=True)
class Evidence:
    """Where a transfer is read: a file and line with the step read there, or a knowledge source."""

    file: str = ""
    line: int = 0
    step: Text = ""
    source: str = ""  # URL of the knowledge source


@dataclass(frozen=True)
class Basis:
    """The legal basis the knowledge gives for a transfer (BASES)."""

    kind: str
    declared_by: str = ""  # the provider that declares it (catalog); "" when it comes from countries.yaml
    decision: str = ""
    date: str = ""
    scope: str = ""
    source: str = ""


@dataclass(frozen=True)
class Risk:
    """The third-country-law risk the knowledge records for the recipient (EXI 30)."""

    exposed: bool | None  # None: not recorded
    subject: str = ""  # who is exposed: the provider, vendor or subcontractor
    laws: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()  # the laws of these countries (a provider's declaration on a subcontractor)
    source: str = ""
    note: str = ""


NO_RISK_RECORDED = Risk(None)


@dataclass
class Transfer:
    """One flow to one destination country, or a flow hdslint cannot place (status to_check)."""

    what: Text  # the resource address, provider address or object
    kind: str  # KINDS
    recipient: str  # provider, subcontractor or vendor name; "" when unknown
    recipient_kind: str  # RECIPIENTS
    country: str | None  # ISO 3166 alpha-2, GLOBAL, or None when not placed
    status: str  # STATUSES
    basis: Basis
    risk: Risk
    setting: str = ""  # the variable or attribute (env.SENTRY_DSN)
    service: str = ""
    via: str = ""  # the provider a subcontractor works for
    place: str = ""  # the region or host
    reason: Text = ""  # why it is to check
    candidates: tuple[str, ...] = ()  # where the vendor documents keeping data, for a flow to check
    evidence: tuple[Evidence, ...] = ()
    file: str = ""
    line: int = 0

    def sort_key(self) -> tuple[Any, ...]:
        return (STATUSES.index(self.status), self.file, self.line, str(self.what), self.setting,
                self.country or "", self.recipient)


class Subject(Protocol):
    """What the map reads of a scan (hdslint.rules.context.ScanContext is one)."""

    resources: list[Resource]

    @property
    def coverage(self) -> Coverage: ...


class SaaSProvider(Protocol):
    """A Terraform provider hdslint has no facts for (hdslint.formats.terraform.project.UnknownProvider)."""

    name: str
    file: str
    line: int
    resources: list[str]
    settings: list[tuple[str, TfValue, str, int]]


@dataclass(frozen=True)
class Unread:
    """What the scan could not read, so the map cannot vouch for it: unreadable files and missing
    modules (problems), templates not rendered, remote modules not scanned (address, file, line)."""

    problems: tuple[Problem, ...] = ()
    templates: tuple[Problem, ...] = ()
    remote_modules: tuple[tuple[str, str, int], ...] = ()


def evaluate(scan: Subject, providers: Iterable[SaaSProvider] = (), cluster_note: Text = "",
             unread: Unread = Unread()) -> list[Transfer]:
    """Every transfer of the scan, transfers first, then by file and line; duplicates merged."""
    out: list[Transfer] = list(_unread(unread))
    settings = knowledge().get("settings", {})
    objects = {(r.type, r.name) for r in scan.resources if r.type in settings}
    unplaced_cluster = []
    for res in scan.resources:
        try:
            found: list[Transfer] = []
            if res.data_role != "none":
                found += _placed(scan.coverage, res)
                found += _undetermined(scan.coverage, res)
                if res.source_format == "kubernetes" and not res.location.places and not res.location.undetermined:
                    unplaced_cluster.append(res)
            found += _variables(res, objects)
            out += found
        except Exception as e:  # noqa: BLE001 - a bug on one resource must leave the rest of the map, and say so
            out.append(_failed(res.address, res.file, res.line, e))
    try:
        out += _subcontracted(scan.coverage)
    except Exception as e:  # noqa: BLE001
        out.append(_failed(_("the subcontractors of the certified services"), ".", 1, e))
    for provider in providers:
        try:
            out += _provider(provider)
        except Exception as e:  # noqa: BLE001
            out.append(_failed(f"provider.{provider.name}", provider.file, provider.line, e))
    if unplaced_cluster and cluster_note:
        out.append(_cluster(unplaced_cluster, cluster_note))
    unique: dict[tuple[Any, ...], Transfer] = {}
    for t in out:
        unique.setdefault((str(t.what), t.setting, t.kind, t.recipient, t.country, t.status, t.file, t.line), t)
    return sorted(unique.values(), key=Transfer.sort_key)


def _unread(unread: Unread) -> Iterator[Transfer]:
    """A map drawn from part of the code cannot say 'no transfer': what was not read is to check."""
    for p in unread.problems:
        yield _to_check(p.file, "storage", "", "unknown",
                        _("hdslint cannot read this file ({message}): the flows written in it are not in the map",
                          message=p.message), (Evidence(p.file, p.line),), p.file, max(p.line, 1))
    if unread.templates:
        first = unread.templates[0]
        yield _to_check(_("{count} template(s) not rendered", count=len(unread.templates)), "storage", "", "unknown",
                        _("Helm charts and other templates are not rendered: the flows written in them are not in the "
                          "map; map the rendered manifests (helm template ... | hdslint transfers -)"),
                        tuple(Evidence(p.file, p.line) for p in unread.templates[:5]), first.file, max(first.line, 1))
    if unread.remote_modules:
        _first, file, line = unread.remote_modules[0]
        shown = ", ".join(a for a, _f, _l in unread.remote_modules[:3]) + (" …" if len(unread.remote_modules) > 3
                                                                           else "")
        yield _to_check(_("{count} remote module(s) not scanned", count=len(unread.remote_modules)), "storage", "",
                        "unknown", _("the resources of remote modules are not read ({shown}): the flows they create "
                                     "are not in the map", shown=shown),
                        tuple(Evidence(f, ln, a) for a, f, ln in unread.remote_modules[:5]), file, max(line, 1))


def _failed(what: Text, file: str, line: int, error: Exception) -> Transfer:
    """A part of the map hdslint failed to draw (a bug): listed to check, never silently missing."""
    return _to_check(what, "storage", "", "unknown",
                     _("hdslint met an internal error here ({error}): check this flow by hand and report the error",
                       error=type(error).__name__), (Evidence(file, line),), file, line)


# ---- legal basis and risk ----------------------------------------------------------------------------------------

def basis_for(country: str | None) -> Basis:
    """The basis countries.yaml gives for a destination country."""
    if country is None:
        return Basis("none_known")
    if country == GLOBAL:  # edge locations in countries with and without an adequacy decision
        return Basis("safeguards_needed")
    decision = adequacy(country)
    if decision:
        return Basis("adequacy", decision=decision["decision"], date=decision["date"], scope=decision["scope"],
                     source=decision["source"])
    return Basis("safeguards_needed")


def _provider_risk(entry: dict[str, Any] | None) -> Risk:
    if entry is None:
        return NO_RISK_RECORDED
    law = entry.get("non_eea_law") or {}
    exposed = law.get("exposed")
    return Risk(exposed if isinstance(exposed, bool) else None, entry["name"], tuple(law.get("laws", [])),
                source=_catalog_source(entry, law.get("source")), note=law.get("note", ""))


def _catalog_source(entry: dict[str, Any], source_id: str | None) -> str:
    if not source_id:
        return ""
    return next((s["url"] for s in entry.get("sources", []) if s["id"] == source_id), source_id)


def _endpoint_risk(e: dict[str, Any] | None) -> Risk:
    if e is None:
        return NO_RISK_RECORDED
    law = e.get("third_country_law")
    if not law:
        return Risk(None, e.get("vendor", e["service"]))
    return Risk(True, e.get("vendor", e["service"]), tuple(law["laws"]), source=endpoints.source_url(law["source"]),
                note=law.get("note", ""))


def _vendor_risk(vendor: endpoints.Vendor) -> Risk:
    for service, _countries in vendor.places:
        e = endpoints.entry(service)
        if e is not None and e.get("third_country_law"):
            return _endpoint_risk(e)
    return Risk(None, vendor.name)


# ---- places outside the EEA ------------------------------------------------------------------------------------

def _kind(res: Resource, role: str) -> str:
    if role == "primary" and res.data_role in ("processes", "transits"):
        return "processing"
    return "storage"


def _non_eea(countries: tuple[str, ...]) -> list[str]:
    return [c for c in countries if not is_eea([c])]


def _evidence(hops: tuple[Hop, ...], file: str, line: int, *sources: str) -> tuple[Evidence, ...]:
    out = [Evidence(h.file, h.line, h.text) for h in hops] or [Evidence(file, line)]
    out += [Evidence(source=s) for s in sources if s]
    return tuple(out)


def _placed(cov: Coverage, res: Resource) -> Iterator[Transfer]:
    entry = cov.entries.get(res.catalog)
    for place in res.location.places:
        if place.region.eea:
            continue
        if place.service:
            yield from _endpoint_transfers(res, place)
            continue
        for country in _non_eea(place.region.countries):
            yield Transfer(
                what=res.address, kind=_kind(res, place.role), recipient=entry["name"] if entry else res.catalog,
                recipient_kind="provider" if res.catalog else "unknown", country=country, status="transfer",
                basis=basis_for(country), risk=_provider_risk(entry), setting=place.setting,
                service=str((res.facts or {}).get("service", "")), place=place.region.code,
                evidence=(Evidence(res.file, res.line, res.address),) + _evidence(place.hops, place.file, place.line),
                file=res.file,
                line=line_within(res, place.line, place.file))


def _endpoint_transfers(res: Resource, place: Place) -> Iterator[Transfer]:
    e = endpoints.entry(place.service)
    vendor = endpoints.vendor_of_service(place.service)
    recipient = vendor.name if vendor is not None else str((e or {}).get("vendor") or place.service)
    saas = (e or {}).get("category") not in ("storage", "cloud_api")
    for country in _non_eea(place.region.countries):
        yield Transfer(
            what=res.address, kind="storage" if place.role == "egress" else _kind(res, place.role), recipient=recipient,
            recipient_kind="saas" if saas else "provider", country=country, status="transfer",
            basis=basis_for(country), risk=_endpoint_risk(e), setting=place.setting, service=place.service,
            place=place.region.code,
            evidence=_evidence(place.hops, place.file, place.line, endpoints.source_url(e["source"]) if e else ""),
            file=res.file, line=line_within(res, place.line, place.file))


def _undetermined(cov: Coverage, res: Resource) -> Iterator[Transfer]:
    entry = cov.entries.get(res.catalog)
    for u in res.location.undetermined:
        egress = u.role == "egress"
        known = entry is not None and not egress
        yield _to_check(res.address, _kind(res, u.role), entry["name"] if known and entry else "",
                        "provider" if known else "unknown", u.reason,
                        (Evidence(res.file, res.line, res.address),) + _evidence(u.hops, u.file, u.line), res.file,
                        line_within(res, u.line, u.file), risk=_provider_risk(entry) if known else NO_RISK_RECORDED)


def _to_check(what: Text, kind: str, recipient: str, recipient_kind: str, reason: Text,
              evidence: tuple[Evidence, ...], file: str, line: int, setting: str = "", service: str = "",
              risk: Risk = NO_RISK_RECORDED, candidates: tuple[str, ...] = ()) -> Transfer:
    return Transfer(what=what, kind=kind, recipient=recipient, recipient_kind=recipient_kind, country=None,
                    status="to_check", basis=basis_for(None), risk=risk, setting=setting, service=service,
                    reason=reason, candidates=candidates, evidence=evidence, file=file, line=line)


def _cluster(resources: list[Resource], note: Text) -> Transfer:
    first = min(resources, key=lambda r: (r.file, r.line))
    return _to_check(_("the Kubernetes cluster of {count} object(s)", count=len(resources)), "storage", "", "unknown",
                     note, (Evidence(first.file, first.line, first.address),), first.file, first.line)


# ---- remote access by subcontractors ---------------------------------------------------------------------------

def _subcontracted(cov: Coverage) -> Iterator[Transfer]:
    for res, service_name, sub_name in cov.subcontracted:
        entry = cov.entries[res.catalog]
        service = next(s for s in entry.get("services", []) if s["name"] == service_name)
        sub = next(x for x in service.get("subcontractors", []) if x["name"] == sub_name)
        source = _catalog_source(entry, service.get("source"))
        declared = sub.get("non_eea_law")
        for country in sub.get("non_eea_access", []):
            if declared is None:
                risk = NO_RISK_RECORDED
            else:  # the law of the country the access comes from, when the provider declares it
                laws = tuple(c for c in declared if c == country) or tuple(declared)
                risk = Risk(bool(declared), sub_name, countries=laws, source=source)
            if sub.get("legal_basis"):
                found = basis_for(country)
                basis = Basis(sub["legal_basis"], entry["name"], found.decision, found.date, found.scope, source)
                if sub["legal_basis"] != "adequacy":
                    basis = Basis(sub["legal_basis"], entry["name"], source=source)
            else:
                basis = basis_for(country)
            step = _("{provider} {service}: subcontractor {subcontractor} performs perimeter(s) {perimeters} with "
                     "access from {country}", provider=entry["name"], service=service_name, subcontractor=sub_name,
                     perimeters=", ".join(map(str, sub["perimeters"])), country=country)
            yield Transfer(
                what=res.address, kind="remote_access", recipient=sub_name, recipient_kind="subcontractor",
                country=country, status="transfer", basis=basis, risk=risk, service=service_name, via=entry["name"],
                evidence=(Evidence(res.file, res.line, step), Evidence(source=source)), file=res.file, line=res.line)


# ---- variables: destinations in environment variables, Secrets and ConfigMaps ------------------------------------

@dataclass
class Variable:
    """A setting that may say where data goes: an environment variable, a ConfigMap or Secret key."""

    name: str
    value: Any  # a string, an Unknown, or None when the code holds no value
    file: str
    line: int
    setting: str
    origin: Text = ""  # where the value is set when not in the code (a Secret...)


def variables(res: Resource, objects: set[tuple[str, str]] | None = None) -> Iterator[Variable]:
    """The settings of a resource that may name a destination; objects are the (kind, name) of the
    ConfigMaps and Secrets in the scan, whose keys are read where they are written."""
    if res.source_format == "scalingo" and isinstance(res.manifest, dict):
        yield from _manifest_env(res)
    elif res.source_format == "kubernetes" and isinstance(res.manifest, dict):
        yield from _kubernetes_env(res, objects or set())
    elif res.source_format in ("terraform", "terraform-plan"):
        for path in (res.facts or {}).get("environment", []):
            for found in res.values(path):
                for name, value in environment_items(found.value):
                    if value is not None:
                        yield Variable(name, value, found.file, found.line or res.line, f"{path}.{name}")


def _manifest_env(res: Resource) -> Iterator[Variable]:
    env = res.manifest.get("env")
    if not isinstance(env, dict):
        return
    for name, spec in env.items():
        line = env.key_lines.get(name, res.line) if isinstance(env, JObject) else res.line
        if isinstance(spec, str):
            yield Variable(name, spec, res.file, line, f"env.{name}")
        elif isinstance(spec, dict) and not spec.get("generator"):  # a generated value: a secret or the app's URL
            value = spec.get("value")
            if isinstance(spec, JObject) and "value" in spec:
                line = spec.key_lines.get("value", line)
            yield Variable(name, value if isinstance(value, str) and value != "" else None, res.file, line,
                           f"env.{name}")


def _kubernetes_env(res: Resource, objects: set[tuple[str, str]]) -> Iterator[Variable]:
    settings = knowledge().get("settings", {}).get(res.type)
    group = str(res.manifest.get("apiVersion", "")).split("/")[0]
    if settings and (not settings.get("api_group") or settings["api_group"] == group):
        for path in settings.get("values", []):
            for found in res.values(path):
                for name, value, line in _map_items(found.value, found.line or res.line):
                    if isinstance(value, str):
                        yield Variable(name, value, res.file, line, f"{path}.{name}")
        for path in settings.get("keys", []):
            for found in res.values(path):
                for name, _value, line in _map_items(found.value, found.line or res.line):
                    yield Variable(name, None, res.file, line, f"{path}.{name}",
                                   _("set in {kind} {name}", kind=res.type, name=res.name))
        return
    for entry, env_line in env_entries(res):
        name, where = entry["name"], env_line or getattr(entry, "line", res.line) or res.line
        if "value" in entry:
            value = entry["value"]
            yield Variable(name, value if isinstance(value, str) and value != "" else None, res.file, where,
                           f"env.{name}")
            continue
        found_ref = entry.get("valueFrom")
        ref: dict[str, Any] = found_ref if isinstance(found_ref, dict) else {}
        for kind, label in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
            target = ref.get(kind)
            if not isinstance(target, dict):
                continue
            key = str(target.get("key", ""))
            named = endpoints.names_destination(key) or endpoints.vendor_of_variable(key) is not None
            if named and any((k, target.get("name")) in objects for k in (label, "Sealed" + label)):
                break  # the object is in the scan and its key is read there
            yield Variable(name, None, res.file, where, f"env.{name}",
                           _("set in {kind} {name}, key {key}", kind=label, name=target.get("name", "?"),
                             key=target.get("key", "?")))
            break


def _map_items(value: object, line: int) -> Iterator[tuple[str, object, int]]:
    if not isinstance(value, dict):
        return
    for k, v in value.items():
        yield str(k), v, value.key_lines.get(k, line) if isinstance(value, JObject) else line


ADDRESS = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::\d+)?(?:/\S*)?$",
                     re.I)


def host_of(text: str) -> str | None:
    """The host a value points at (a URL, a DSN, host[:port][/path]), or None when it is no address."""
    text = text.strip()
    if "://" in text:
        try:
            host = urlsplit(text).hostname
        except ValueError:
            return None
        return host or None
    if ADDRESS.match(text):
        return re.split(r"[:/]", text, maxsplit=1)[0]
    return None


def unplaced(var: Variable) -> Text | None:
    """Why hdslint cannot place the destination a variable names, or None when there is nothing to
    check: a known endpoint (placed with the resource), a host inside the cluster or the machine, a
    copy of a platform add-on's variable, a value that is no address."""
    value = var.value
    if value is None:
        return var.origin or _("{name} has no value in the code", name=var.name)
    if isinstance(value, Unknown):
        return _("the value of {name} is not known from the code: {reason}", name=var.name, reason=value.reason)
    if not isinstance(value, str):
        return None
    if endpoints.platform_reference(value):
        return None
    if value.strip().startswith("$"):
        return _("{name} takes its value from {reference}", name=var.name, reference=value.strip())
    if endpoints.region_of(value) is not None:
        return None
    host = host_of(value)
    if host is None and REGION_NAME.search(var.name) and value.strip():
        return _region_value(var.name, value.strip())
    if host is None or endpoints.internal_host(host):
        return None
    return _("'{host}' is not a service hdslint can place", host=host)


REGION_NAME = re.compile(r"(?:^|_)REGION(?:_|$)", re.I)


def _region_value(name: str, value: str) -> Text | None:
    """A region named in a variable, without its provider: nothing to check when every provider
    that has a region of that name places it in the EEA."""
    matches = [(table.name, r) for table in region_tables().values() if (r := table.lookup(value)) is not None]
    if not matches:
        return _("{name} = {value}, a region hdslint does not know", name=name, value=value)
    if all(r.eea for _provider, r in matches):
        return None
    meanings = join((_("{region} on {provider}", region=r.describe(country_names()), provider=provider)
                     for provider, r in matches[:4]), "; ")
    return _("{name} = {value}, a region outside the EEA for some providers ({meanings})", name=name, value=value,
             meanings=meanings)


def _variables(res: Resource, objects: set[tuple[str, str]]) -> Iterator[Transfer]:
    """Flows to check from the settings of a resource: one per SaaS vendor not placed by any of its
    variables, one per other variable naming a destination hdslint cannot place."""
    placed = {v.name for p in res.location.places if p.service
              for v in [endpoints.vendor_of_service(p.service)] if v is not None}
    by_vendor: dict[str, tuple[endpoints.Vendor, list[tuple[Variable, Text]]]] = {}
    for var in variables(res, objects):
        vendor = endpoints.vendor_of_variable(var.name)
        if vendor is None and not endpoints.names_destination(var.name):
            continue
        reason = unplaced(var)
        if vendor is not None:
            if reason is None and isinstance(var.value, str) and host_of(var.value) is None:
                reason = _("{name} configures {vendor}", name=var.name, vendor=vendor.name)
            if reason is not None:
                by_vendor.setdefault(vendor.name, (vendor, []))[1].append((var, reason))
            continue
        if reason is not None:
            yield _to_check(res.address, "storage", "", "unknown", reason,
                            (Evidence(var.file, var.line, var.setting),), var.file, var.line, setting=var.setting)
    for name, (vendor, found) in by_vendor.items():
        if name in placed:
            continue
        hosts = [r for v, r in found if isinstance(v.value, str) and host_of(v.value)]
        if vendor.only_eea and not hosts:
            continue
        first = found[0][0]
        yield _to_check(res.address, "storage", vendor.name, "saas", join((r for _v, r in found), "; "),
                        tuple(Evidence(v.file, v.line, v.setting) for v, _r in found), first.file, first.line,
                        setting=", ".join(v.setting for v, _r in found), risk=_vendor_risk(vendor),
                        candidates=vendor.countries)


# ---- Terraform providers hdslint has no facts for ---------------------------------------------------------------

def _provider(up: SaaSProvider) -> Iterator[Transfer]:
    vendor = endpoints.vendor_of_provider(up.name)
    what = f"provider.{up.name}"
    placed = False
    for argument, value, file, line in up.settings:
        found = endpoints.region_of(value)
        if found is None:
            continue
        placed = True
        region, service = found
        e = endpoints.entry(service)
        hop = Hop(_("{service} endpoint {url}", service=service, url=value), file, line)
        for country in _non_eea(region.countries):
            yield Transfer(
                what=what, kind="storage", recipient=vendor.name if vendor else str((e or {}).get("vendor", service)),
                recipient_kind="saas", country=country, status="transfer", basis=basis_for(country),
                risk=_endpoint_risk(e), setting=argument, service=service, place=region.code,
                evidence=_evidence((hop,), file, line, endpoints.source_url(e["source"]) if e else ""),
                file=file, line=line)
    if placed or (vendor is not None and vendor.only_eea):
        return
    urls = [(argument, value, file, line) for argument, value, file, line in up.settings
            if isinstance(value, str) and "://" in value and host_of(value)]
    shown = ", ".join(up.resources[:3]) + (" …" if len(up.resources) > 3 else "")
    if vendor is not None:
        reason: Text = _("{vendor} account configured by provider.{name}; its region is not in the code",
                         name=up.name, vendor=vendor.name)
    else:
        reason = _("hdslint cannot place the resources of provider.{name} ({shown})", name=up.name, shown=shown)
    for argument, value, _file, _line in urls:
        reason = join((reason, _("{argument} = {value} is not a service hdslint can place", argument=argument,
                                 value=value)), "; ")
    yield _to_check(what, "storage", vendor.name if vendor else up.name, "saas" if vendor else "unknown", reason,
                    (Evidence(up.file, up.line, what),), up.file, up.line,
                    risk=_vendor_risk(vendor) if vendor else NO_RISK_RECORDED,
                    candidates=vendor.countries if vendor else ())
