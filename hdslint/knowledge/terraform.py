"""Facts about Terraform providers and their resource types (policies/terraform/*.yaml): where a
resource's location comes from, whether it holds data, its encryption and backup defaults."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from hdslint.knowledge.literals import words
from hdslint.knowledge.store import POLICIES_DIR, index, load


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
    for path in _paths():
        facts = _facts(str(path))
        out[facts.name] = facts
    return out


def _paths() -> list[Path]:
    return sorted((POLICIES_DIR / "terraform").glob("*.yaml"))


@functools.cache
def _facts(path: str) -> ProviderFacts:
    return ProviderFacts(load(Path(path)))


def _index(paths: list[Path]) -> dict[str, Any]:
    """Which file holds the facts of a provider, by its name and by its registry addresses, as
    terraform_providers() would find them (a later file wins)."""
    names: dict[str, str] = {}
    registry: dict[str, str] = {}
    for path in paths:
        data = load(path)
        names[data["provider"]] = str(path)
    for file in names.values():
        for addr in load(Path(file))["registry"]:
            registry[addr.lower()] = file
    return {"names": names, "registry": registry}


@functools.cache
def _files() -> dict[str, Any]:
    """The index of the providers' files: a scan parses the facts of the providers it meets only
    (parsing all of them cost 15 ms a run)."""
    return index("terraform providers", _paths(), _index)


def _found(kind: str, key: str) -> ProviderFacts | None:
    path = _files()[kind].get(key)
    return _facts(path) if path else None


def provider_facts(local_name: str, source: str | None = None) -> ProviderFacts | None:
    """Facts for a provider, by its registry source when known, else by its local name."""
    if source:
        addr = source.lower()
        for prefix in ("registry.terraform.io/", "registry.opentofu.org/"):
            if addr.startswith(prefix):
                addr = addr[len(prefix):]
        found = _found("registry", addr)
        if found:
            return found
    found = _found("names", local_name)
    if found:
        return found
    return _found("registry", f"hashicorp/{local_name}")


# Providers that create nothing anywhere: randomness, local files, time, cloud-init rendering.
UTILITY_PROVIDERS = {
    "random", "null", "tls", "local", "time", "archive", "http", "external", "template",
    "cloudinit", "terraform", "assert", "dns", "http-full",
}
