"""Locality rules: where data is stored and processed (HDS référentiel 2024, EXI 28)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hdslint.i18n import Text, _
from hdslint.knowledge.regions import country_names, region_tables

if TYPE_CHECKING:
    from hdslint.model.resources import Place, Resource


def _verb(data_role: str) -> Text:
    """'stores data in'... for a resource's primary place, by its data role."""
    if data_role == "stores":
        return _("stores data in")
    if data_role == "processes":
        return _("processes data in")
    if data_role == "transits":
        return _("moves data in")
    return _("is placed in")


def _role(role: str) -> Text:
    """'keeps a replica in'... for a place that holds a copy."""
    if role == "replica":
        return _("keeps a replica in")
    if role == "backup":
        return _("keeps backups in")
    if role == "failover":
        return _("fails over in")
    if role == "secondary":
        return _("also operates in")
    return _("keeps a copy in")


def where(place: Place) -> Text:
    if place.region.code == "global":
        return _("anywhere in the world (no region is set or can be set)")
    return place.region.describe(country_names())


def doing(resource: Resource, place: Place) -> Text:
    """'stores data in', 'keeps a replica in'..."""
    if place.region.code == "global":
        return _("is a global service: it runs or keeps data")
    if place.role == "egress":
        return _("sends data to")
    if place.role != "primary":
        return _role(place.role)
    return _verb(resource.data_role)


def unknown_type_note(resource: Resource) -> Text:
    if resource.data_role != "unknown":
        return ""
    return _(" hdslint does not know whether {type} holds data, so it treats it as if it did"
             " (suppress with a reason if it holds none).", type=resource.type)


def suggestion(resource: Resource) -> Text:
    table = region_tables().get(resource.catalog)
    if table is not None and table.suggest:
        return _(" such as {suggest}", suggest=table.suggest)
    return ""


def resolved(place_or_undetermined: Place) -> Text:
    chain = place_or_undetermined.chain
    return _(" Resolved from: {chain}.", chain=chain) if chain else ""


def more(shown: list, total: int) -> Text:
    """' and 3 more' after the first names of a list, or nothing."""
    return _(" and {count} more", count=total - len(shown)) if total > len(shown) else ""
