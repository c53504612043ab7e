"""Helpers shared by the backup rules: where copies of a resource's backups live."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hdslint.i18n import Text, _

if TYPE_CHECKING:
    from hdslint.analysis.protection import Verdict
    from hdslint.model.resources import Resource


def site_words(site: str) -> Text:
    """Where the copies are, in words, for a `site` of policies/terraform."""
    if site == "same_zone":
        return _("in the same availability zone as the data")
    if site == "same_region":
        return _("in the same region as the data")
    if site == "other_zone":
        return _("in another availability zone of the same region")
    if site == "other_region":
        return _("in another region")
    if site == "paired_region":
        return _("in the provider's paired region")
    return _("where the provider does not document")


def copies(res: Resource, verdict: Verdict | None) -> list:
    """[(Place, via)] of backup copies in other places: extra_locations with role backup or
    replica, and companions (a replication resource, a backup plan) placed elsewhere."""
    out = []
    for p in res.location.places:
        if p.role in ("backup", "replica"):
            out.append((p, ""))
    for c in (verdict.companions if verdict else []):
        for p in c.location.places:
            if p.role == "primary" or p.role in ("backup", "replica"):
                out.append((p, c.address))
    return out


def primary_regions(res: Resource) -> set:
    out = set()
    for p in res.location.places:
        if p.role == "primary":
            out.add(p.region.parent or p.region.code)
    return out
