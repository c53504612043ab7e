"""The coverage matrix: HDS perimeters 1-6 x the providers hosting data in the scan.

Each cell says which resources need that perimeter from that provider. Whether the provider
is certified for it comes from the certification catalog (not yet shipped: every cell is
"not_evaluated" until then, and says so).
"""
from __future__ import annotations

from hdslint.model import PERIMETERS


def matrix(resources: list) -> list:
    need: dict = {}
    for res in resources:
        if res.data_role == "none" or not res.catalog:
            continue
        for p in (res.facts or {}).get("perimeters", ()):
            need.setdefault(p, {}).setdefault(res.catalog, []).append(res.address)
    out = []
    for number, name in PERIMETERS.items():
        providers = [
            {"provider": provider, "status": "not_evaluated", "required_by": sorted(addresses)[:50],
             "required_by_count": len(addresses)}
            for provider, addresses in sorted(need.get(number, {}).items())
        ]
        out.append({"perimeter": number, "name": name,
                    "status": "required" if providers else "not_required", "providers": providers})
    return out
