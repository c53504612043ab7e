"""Facts about Terraform providers and their resource types (policies/terraform/*.yaml): where a
resource's location comes from, whether it holds data, its encryption and backup defaults."""
from __future__ import annotations

import functools
import re
from typing import Any

from hdslint.knowledge.literals import words
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
        # no_data patterns: the plain ones (^aws_iam_, ^ovh_(iam|me)_, ^x_(a|b)$) are compared as
        # text, the others compiled into one expression on first use (compiling all of a provider's
        # patterns cost 5 ms, on every run)
        whole: set[str] = set()
        prefixes: list[str] = []
        self._no_data_others: list[str] = []
        for pattern in data.get("no_data", {}).get("patterns", []):
            plain = words(pattern)
            if plain is None:
                self._no_data_others.append(pattern)
            else:
                whole |= plain[0]
                prefixes += plain[1]
        self._no_data_whole, self._no_data_prefixes = frozenset(whole), tuple(prefixes)
        self._no_data_rx: re.Pattern[str] | None = None

    def no_data(self, rtype: str) -> bool:
        """A type that holds no data: re.match of one of the provider's no_data patterns."""
        if rtype in self._no_data_whole or rtype.startswith(self._no_data_prefixes):
            return True
        if not self._no_data_others:
            return False
        if self._no_data_rx is None:
            self._no_data_rx = re.compile("|".join(f"(?:{p})" for p in self._no_data_others))
        return self._no_data_rx.match(rtype) is not None

    def resource(self, rtype: str) -> dict[str, Any] | None:
        return self.resources.get(rtype)

    def data_role(self, rtype: str) -> str:
        facts = self.resources.get(rtype)
        if facts:
            return str(facts["data"])
        if self.no_data(rtype):
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
