"""Facts about Terraform providers and their resource types (policies/terraform/*.yaml): where a
resource's location comes from, whether it holds data, its encryption and backup defaults."""
from __future__ import annotations

import functools
import re
from typing import Any

from hdslint.knowledge.store import POLICIES_DIR, load


class ProviderFacts:
    """Facts about one Terraform provider and its resource types."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.name = data["provider"]
        self.registry = [r.lower() for r in data["registry"]]
        self.catalog = data["catalog"]
        self.block = data["provider_block"]
        self.resource_location = data.get("resource_location", [])
        self.resources = data["resources"]
        self.data_sources = data.get("data_sources", {})
        self._no_data_patterns = data.get("no_data", {}).get("patterns", [])
        self._no_data: re.Pattern[str] | None = None  # compiled on first use: a scan touches few providers

    @property
    def no_data(self) -> re.Pattern[str] | None:
        if self._no_data is None and self._no_data_patterns:
            self._no_data = re.compile("|".join(f"(?:{p})" for p in self._no_data_patterns))
        return self._no_data

    def resource(self, rtype: str) -> dict[str, Any] | None:
        return self.resources.get(rtype)

    def data_role(self, rtype: str) -> str:
        facts = self.resources.get(rtype)
        if facts:
            return str(facts["data"])
        if self.no_data is not None and self.no_data.match(rtype):
            return "none"
        return "unknown"


@functools.cache
def terraform_providers() -> dict[str, ProviderFacts]:
    out = {}
    for path in sorted((POLICIES_DIR / "terraform").glob("*.yaml")):
        facts = ProviderFacts(load(path))
        out[facts.name] = facts
    return out


@functools.cache
def _by_registry() -> dict[str, ProviderFacts]:
    return {addr: f for f in terraform_providers().values() for addr in f.registry}


def provider_facts(local_name: str, source: str | None = None) -> ProviderFacts | None:
    """Facts for a provider, by its registry source when known, else by its local name."""
    if source:
        addr = source.lower()
        for prefix in ("registry.terraform.io/", "registry.opentofu.org/"):
            if addr.startswith(prefix):
                addr = addr[len(prefix):]
        found = _by_registry().get(addr)
        if found:
            return found
    found = terraform_providers().get(local_name)
    if found:
        return found
    return _by_registry().get(f"hashicorp/{local_name}")


# Providers that create nothing anywhere: randomness, local files, time, cloud-init rendering.
UTILITY_PROVIDERS = {
    "random", "null", "tls", "local", "time", "archive", "http", "external", "template",
    "cloudinit", "terraform", "assert", "dns", "http-full",
}
