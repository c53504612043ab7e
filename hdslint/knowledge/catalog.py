"""The HDS certification catalog (policies/catalog/*.yaml), with a team's own evidence on top.

A team may override a catalog entry (`coverage.catalog_overrides` in .hdslint.yaml), for
instance with the certificate annexed to its contract; an override replaces the fields it
names and records where it came from.
"""
from __future__ import annotations

import copy
import datetime as dt
import functools
from typing import Any

from hdslint.i18n import Msg, Text, _, join
from hdslint.knowledge.literals import type_matches
from hdslint.knowledge.store import POLICIES_DIR, load

STALE_DAYS = 365


@functools.cache
def _catalog() -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted((POLICIES_DIR / "catalog").glob("*.yaml")):
        entry = load(path)
        out[entry["provider"]] = entry
    return out


def catalog(overrides: dict[str, Any] | None = None, declared_in: str | None = None) -> dict[str, dict[str, Any]]:
    """provider id -> entry, with the team's overrides applied. An overridden entry keeps what
    the team declared (`declared`: the sections as written) and where (`declared_in`: the
    configuration file), so that reports show declared facts apart from hdslint's own."""
    base = _catalog()
    if not overrides:
        return base
    out = dict(base)
    for provider, override in overrides.items():
        entry = copy.deepcopy(base.get(provider) or _empty(provider))
        for section, values in override.items():
            if isinstance(values, dict) and isinstance(entry.get(section), dict):
                entry[section].update(values)
            else:
                entry[section] = values
        entry["overridden"] = True
        entry["declared"] = copy.deepcopy(override)
        entry["declared_in"] = declared_in
        out[provider] = entry
    return out


def shipped(provider: str) -> dict[str, Any] | None:
    """The catalog entry as hdslint ships it, before the team's overrides."""
    return _catalog().get(provider)


def declared_certificate(entry: dict[str, Any]) -> bool:
    """The team declared (part of) the provider's certificate or its services' scope: coverage
    resting on it is declared, not what hdslint's catalog establishes."""
    return bool(set(entry.get("declared") or {}) & {"certification", "services"})


def _empty(provider: str) -> dict[str, Any]:
    unknown = {"source": "team", "confidence": "low"}
    return {
        "provider": provider, "name": provider, "legal_entities": [provider], "sources": [],
        "certification": {"status": "unknown", "perimeters": None, **unknown},
        "secnumcloud": {"status": "unknown", **unknown}, "non_eea_law": {"exposed": "unknown", **unknown},
        "transparency_page": {"url": None, **unknown},
    }


def service_for(entry: dict[str, Any], rtype: str) -> dict[str, Any] | None:
    for service in entry.get("services", []):
        if any(type_matches(rx, rtype) for rx in service.get("resource_types", [])):
            return service
    return None


def _day(value: Any) -> dt.date | None:
    """A certificate date; None when absent or not a date (a team's override is not validated)."""
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _certificates(cert: dict[str, Any]) -> list[tuple[dict[str, Any] | None, dt.date | None, dt.date | None]]:
    """(previous certificate entry or None for the current one, valid_from, valid_until) of each
    certificate with at least one readable date."""
    out: list[tuple[dict[str, Any] | None, dt.date | None, dt.date | None]] = []
    current = cert.get("certificate")
    previous = cert.get("previous_certificates")
    earlier = [p for p in previous if isinstance(p, dict)] if isinstance(previous, list) else []
    for owner, c in [(None, current), *((p, p.get("certificate")) for p in earlier)]:
        if isinstance(c, dict):
            since, until = _day(c.get("valid_from")), _day(c.get("valid_until"))
            if since or until:
                out.append((owner, since, until))
    return out


def _covers(since: dt.date | None, until: dt.date | None, today: dt.date) -> bool:
    return (since is None or since <= today) and (until is None or today <= until)


def at_date(entry: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The entry as it stood at a date: when the current certificate does not cover the date and a
    previous certificate recorded in the catalog (certification.previous_certificates) does, its
    référentiel, perimeters, certificate, source, date, confidence and note replace the current
    ones; services, regions and conditions stay. Otherwise the entry itself."""
    cert = entry["certification"]
    for owner, since, until in _certificates(cert):
        if _covers(since, until, today):
            if owner is None:
                return entry
            merged = {**{k: v for k, v in cert.items() if k != "note"}, **owner,
                      "previous_certificates": cert["previous_certificates"]}
            return {**entry, "certification": merged, "in_force": "previous"}
    return entry


def standing(entry: dict[str, Any], today: dt.date) -> tuple[str, str]:
    """(validity, date) at the scan date, over the current certificate and the previous ones:
    valid (and until when), expired (the day the last certificate before the date ended),
    not_yet_valid (the day the first certificate started: the provider was not yet certified on
    that date) or unknown (no dates published, or no end date)."""
    spans = _certificates(entry["certification"])
    for _owner, since, until in spans:
        if _covers(since, until, today):
            return ("valid", until.isoformat()) if until else ("unknown", "")
    ended = [until for _owner, _since, until in spans if until and until < today]
    if ended:
        return "expired", max(ended).isoformat()
    starts = [since for _owner, since, _until in spans if since]
    if starts:
        return "not_yet_valid", min(starts).isoformat()
    return "unknown", ""


def validity(entry: dict[str, Any], today: dt.date) -> str:
    """valid, expired, not_yet_valid or unknown (no dates published), over the current and the
    previous certificates (see standing)."""
    return standing(entry, today)[0]


@functools.cache
def referentiels() -> dict[str, dict[str, Any]]:
    """The HDS référentiels by the name the catalog uses (policies/referentiels.yaml)."""
    return dict(load(POLICIES_DIR / "referentiels.yaml")["referentiels"])


def lapsed_referentiel(entry: dict[str, Any], today: dt.date) -> dict[str, Any] | None:
    """The référentiel of a provider's certificate when certificates under it no longer attest
    anything at the scan date (a 2018 certificate after 16 May 2026), with its name."""
    name = entry["certification"].get("referentiel")
    ref = referentiels().get(str(name)) if name else None
    until = (ref or {}).get("certificates_valid_until")
    if ref and until and dt.date.fromisoformat(until) < today:
        return {"name": name, **ref}
    return None


def fact_date(fact: dict[str, Any]) -> dt.date | None:
    """The date of a fact (YYYY, YYYY-MM or YYYY-MM-DD), None when undated."""
    value = str(fact.get("date") or "")
    for fmt, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        if len(value) == size:
            try:
                return dt.datetime.strptime(value, fmt).date()
            except ValueError:
                return None
    return None


def stale(fact: dict[str, Any], today: dt.date) -> bool:
    d = fact_date(fact)
    return d is not None and (today - d).days > STALE_DAYS


def certificate_words(number: object, issuer: object, valid_until: object) -> list[Text]:
    """'certificate N', 'by ISSUER', 'valid until DATE', for whichever is known."""
    parts: list[Text] = []
    if number:
        parts.append(_("certificate {number}", number=number))
    if issuer:
        parts.append(_("by {issuer}", issuer=issuer))
    if valid_until:
        parts.append(_("valid until {date}", date=valid_until))
    return parts


def evidence(entry: dict[str, Any]) -> Msg:
    """One line an auditor can check: referentiel, certificate, issuer, validity, source."""
    cert = entry["certification"]
    c = cert.get("certificate") or {}
    parts: list[Text] = []
    if cert.get("referentiel") and cert["referentiel"] != "unknown":
        parts.append(f"HDS {cert['referentiel']}")
    parts += certificate_words(c.get("number"), c.get("issuer"), c.get("valid_until"))
    if entry.get("in_force") == "previous":
        parts.append(_("a previous certificate, in force at the scan date"))
    if declared_certificate(entry):
        parts.append(_("declared in {file}", file=entry.get("declared_in") or _("the configuration")))
        return join(parts, ", ")
    source = next((s["url"] for s in entry.get("sources", []) if s["id"] == cert.get("source")), cert.get("source"))
    if source:
        parts.append(_("source {source}", source=source))
    if entry.get("overridden"):
        parts.append(_("(overridden by the team's configuration)"))
    return join(parts, ", ")
