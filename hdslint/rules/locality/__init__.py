"""Locality rules: where data is stored and processed (HDS référentiel 2024, EXI 28)."""
from __future__ import annotations

from hdslint.knowledge import country_names, region_tables

VERBS = {
    "stores": "stores data",
    "processes": "processes data",
    "transits": "moves data",
    "unknown": "is placed",
}
ROLES = {
    "primary": "",
    "replica": "keeps a replica",
    "backup": "keeps backups",
    "failover": "fails over",
    "secondary": "also operates in",
    "egress": "sends data to",
}


def where(place) -> str:
    if place.region.code == "global":
        return "anywhere in the world (no region is set or can be set)"
    return place.region.describe(country_names())


def doing(resource, place) -> str:
    """'stores data in', 'keeps a replica in'..."""
    if place.region.code == "global":
        return "is a global service: it runs or keeps data"
    if place.role == "egress":
        return "sends data to"
    if place.role != "primary":
        return f"{ROLES.get(place.role, 'keeps a copy')} in"
    if resource.data_role == "unknown":
        return "is placed in"
    return f"{VERBS.get(resource.data_role, 'is placed')} in"


def unknown_type_note(resource) -> str:
    if resource.data_role != "unknown":
        return ""
    return (f" hdslint does not know whether {resource.type} holds data, so it treats it as if it did"
            " (suppress with a reason if it holds none).")


def suggestion(resource) -> str:
    table = region_tables().get(resource.catalog)
    if table is not None and table.suggest:
        return f" such as {table.suggest}"
    return ""


def resolved(place_or_undetermined) -> str:
    chain = place_or_undetermined.chain
    return f" Resolved from: {chain}." if chain else ""
