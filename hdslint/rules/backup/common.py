"""Helpers shared by the backup rules: where copies of a resource's backups live."""
from __future__ import annotations

SITE_WORDS = {
    "same_zone": "in the same availability zone as the data",
    "same_region": "in the same region as the data",
    "other_zone": "in another availability zone of the same region",
    "other_region": "in another region",
    "paired_region": "in the provider's paired region",
    "unknown": "where the provider does not document",
}


def copies(res, verdict) -> list:
    """[(Place, via)] of backup copies in other places: extra_locations with role backup or
    replica, and companions (a replication resource, a backup plan) placed elsewhere."""
    out = []
    for p in res.location.places:
        if p.role in ("backup", "replica"):
            out.append((p, ""))
    for c in (verdict.companions if verdict else []):
        for p in c.location.places:
            if p.role == "primary":
                out.append((p, c.address))
            elif p.role in ("backup", "replica"):
                out.append((p, c.address))
    return out


def primary_regions(res) -> set:
    out = set()
    for p in res.location.places:
        if p.role == "primary":
            out.add(p.region.parent or p.region.code)
    return out
