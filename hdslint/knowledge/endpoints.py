"""Where a URL or host sends data: endpoints of storage, logging and SaaS services
(policies/endpoints.yaml), for Kubernetes env values, backup locations and Terraform URLs; and,
for the map of transfers, the SaaS vendors recognised by name in environment variables and
Terraform providers, and which variables name a destination."""
from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from hdslint.knowledge.literals import needle
from hdslint.knowledge.regions import countries, is_eea, lookup_region
from hdslint.knowledge.store import POLICIES_DIR, load
from hdslint.model import Region


@functools.cache
def _data() -> dict[str, Any]:
    return load(POLICIES_DIR / "endpoints.yaml")


@functools.cache
def _needles() -> list[tuple[str | None, dict[str, Any]]]:
    return [(needle(e["match"]), e) for e in _data()["endpoints"]]


_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    """An endpoint pattern compiled on first use: a scan meets few of them (compiling the 83 cost
    20 ms on every run)."""
    rx = _COMPILED.get(pattern)
    if rx is None:
        rx = _COMPILED[pattern] = re.compile(pattern, re.I)
    return rx


def region_of(text: str) -> tuple[Region, str] | None:
    """(Region, service) of the first known endpoint in a string, or None. A pattern whose
    domain is not in an ASCII text cannot match it and is not tried."""
    probe = text.lower() if text.isascii() else None
    for text_needed, e in _needles():
        if probe is not None and text_needed is not None and text_needed not in probe:
            continue
        m = _compiled(e["match"]).search(text)
        if not m:
            continue
        if "countries" in e:
            return Region(provider="", code=m.group(0).strip("/.@:"), countries=tuple(e["countries"]),
                          eea=is_eea(e["countries"]), note=e["service"]), e["service"]
        region = lookup_region(e["catalog"], m.group("region"))
        if region is not None:
            return region, e["service"]
    return None


def known_countries() -> dict[str, dict[str, Any]]:
    return countries()


def entry(service: str) -> dict[str, Any] | None:
    """The first endpoint entry of a service (its vendor, headquarters, third-country law, source)."""
    return next((e for e in _data()["endpoints"] if e["service"] == service), None)


def source_url(source_id: str) -> str:
    """The URL of a source of policies/endpoints.yaml, or the id itself when it is not listed."""
    return next((s["url"] for s in _data()["sources"] if s["id"] == source_id), source_id)


@dataclass(frozen=True)
class Vendor:
    """A SaaS vendor the map of transfers recognises by name, with the places its endpoints document."""

    name: str
    services: re.Pattern[str]
    variables: re.Pattern[str]
    terraform_providers: tuple[str, ...]
    places: tuple[tuple[str, tuple[str, ...]], ...]  # (service, countries) of each of its endpoints

    @property
    def countries(self) -> tuple[str, ...]:
        """Every country where the vendor documents that it keeps data, in the order of its endpoints."""
        out: list[str] = []
        for _service, codes in self.places:
            out.extend(c for c in codes if c not in out)
        return tuple(out)

    @property
    def only_eea(self) -> bool:
        return bool(self.places) and all(is_eea(codes) for _service, codes in self.places)


@functools.cache
def vendors() -> tuple[Vendor, ...]:
    out = []
    for v in _data().get("vendors", []):
        services = re.compile(v["services"])
        places: list[tuple[str, tuple[str, ...]]] = []
        for e in _data()["endpoints"]:
            place = (e["service"], tuple(e.get("countries", ())))
            if place[1] and services.search(e["service"]) and place not in places:
                places.append(place)
        out.append(Vendor(v["name"], services, re.compile(v["variables"], re.I),
                          tuple(v.get("terraform_providers", [])), tuple(places)))
    return tuple(out)


def vendor_of_variable(name: str) -> Vendor | None:
    return next((v for v in vendors() if v.variables.search(name)), None)


def vendor_of_provider(local_name: str) -> Vendor | None:
    return next((v for v in vendors() if local_name in v.terraform_providers), None)


def vendor_of_service(service: str) -> Vendor | None:
    return next((v for v in vendors() if v.services.search(service)), None)


@functools.cache
def _variables() -> dict[str, re.Pattern[str]]:
    return {k: re.compile(v, re.I) for k, v in _data()["variables"].items()}


def names_destination(name: str) -> bool:
    """A variable whose name says its value is where something is sent or read from."""
    rx = _variables()
    return bool(rx["destination"].search(name)) and not rx["not_destination"].search(name)


def platform_reference(value: str) -> bool:
    """A value copied from a variable the platform sets for an add-on of the same app."""
    return bool(_variables()["platform_reference"].match(value.strip()))


def internal_host(host: str) -> bool:
    """A host that never leaves the cluster or the machine."""
    host = host.strip().strip("[]").lower()
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return bool(_variables()["internal_host"].search(host))
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified
