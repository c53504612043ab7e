"""Where a URL or host sends data: endpoints of storage, logging and SaaS services
(policies/endpoints.yaml), for Kubernetes env values, backup locations and Terraform URLs."""
from __future__ import annotations

import functools
import re
from typing import Any

from hdslint.knowledge.regions import countries, is_eea, lookup_region
from hdslint.knowledge.store import POLICIES_DIR, load
from hdslint.model import Region


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], dict[str, Any]]]:
    return [(re.compile(e["match"], re.I), e) for e in load(POLICIES_DIR / "endpoints.yaml")["endpoints"]]


def region_of(text: str) -> tuple[Region, str] | None:
    """(Region, service) of the first known endpoint in a string, or None."""
    for rx, e in _patterns():
        m = rx.search(text)
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
