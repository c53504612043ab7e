"""Loads the knowledge in policies/: countries, region tables, Terraform provider facts.

The files are validated against their schemas by the test-suite (hdslint.policycheck), not
on every scan: a scan only reads them.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
import re
import tempfile
from pathlib import Path

import yaml

from hdslint.model import Region

# In a source checkout policies/ sits beside the package; in an installed wheel it is
# shipped inside it as hdslint/policies (see pyproject.toml).
_here = Path(__file__).resolve().parent
POLICIES_DIR = _here / "policies" if (_here / "policies").is_dir() else _here.parent / "policies"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PolicyError(Exception):
    """A knowledge file in policies/ cannot be read: a broken installation, exit code 2."""


def cache_dir() -> str | None:
    """Where parsed knowledge files are kept between runs: $HDSLINT_CACHE_DIR, else
    ~/.cache/hdslint/<version> (HDSLINT_NO_CACHE=1 or --no-cache: nowhere). Parsing 700 KB of
    YAML costs more than the scan of a small repository."""
    if os.environ.get("HDSLINT_NO_CACHE"):
        return None
    from hdslint import __version__

    if os.environ.get("HDSLINT_CACHE_DIR"):
        return os.path.join(os.environ["HDSLINT_CACHE_DIR"], __version__)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hdslint", __version__)


def _load(path: Path):
    """A policy file's data: from the cache when the file has not changed (same path, size and
    modification time), else parsed and cached. Only hdslint's own files are cached, never a
    scanned one, and a cache that cannot be read or written is simply not used."""
    where = cache_dir()
    cached = None
    if where:
        try:
            st = os.stat(path)
            key = hashlib.sha256(f"{path}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:32]
            cached = os.path.join(where, key + ".pickle")
            with open(cached, "rb") as f:
                return pickle.load(f)  # noqa: S301 - our own cache, in the user's cache directory
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=_Loader)  # noqa: S506 - CSafeLoader/SafeLoader only
    except (OSError, yaml.YAMLError) as e:
        raise PolicyError(f"policy file {path} cannot be read: {e}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"policy file {path} does not hold a mapping")
    if cached:
        try:
            os.makedirs(where, mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cached)  # atomic: a concurrent run reads the old file or the new one
        except OSError:
            pass
    return data


@functools.lru_cache(maxsize=None)
def countries() -> dict:
    return _load(POLICIES_DIR / "countries.yaml")["countries"]


def country_names() -> dict:
    return {code: c["name"] for code, c in countries().items()}


def is_eea(codes) -> bool:
    table = countries()
    return all(table.get(c, {}).get("eea", False) for c in codes)


class RegionTable:
    """One provider's region table with lookups that normalise like the provider does."""

    def __init__(self, data: dict):
        self.provider = data["provider"]
        self.name = data["name"]
        self.mode = data["normalize"]
        self.suggest = data.get("suggest", "")
        self.sources = {s["id"]: s for s in data["sources"]}
        self.by_code: dict[str, Region] = {}
        self.pairs: dict[str, str] = {}  # region code -> paired region code (Azure)
        for entry in data["regions"]:
            if entry.get("paired_with"):
                self.pairs[entry["code"]] = entry["paired_with"]
            region = Region(
                provider=self.provider, code=entry["code"], countries=tuple(entry["countries"]),
                city=entry.get("city", ""), kind=entry.get("kind", "region"),
                eea=is_eea(entry["countries"]), note=entry.get("note", ""),
            )
            for code in [entry["code"], *entry.get("aliases", [])]:
                self.by_code[self.normalize(code)] = region
        self.patterns = [(re.compile(p["match"], re.I), p) for p in data.get("patterns", [])]
        self.zones = [re.compile(z["match"], re.I) for z in data.get("zones", [])]

    def normalize(self, code: str) -> str:
        code = code.strip()
        if self.mode == "lower":
            return code.lower()
        if self.mode == "upper":
            return code.upper()
        if self.mode == "lower_nospace":
            return code.lower().replace(" ", "")
        return code

    def lookup(self, code: str) -> Region | None:
        key = self.normalize(code)
        region = self.by_code.get(key)
        if region:
            return region
        for rx, p in self.patterns:
            if rx.fullmatch(code.strip()):
                return Region(
                    provider=self.provider, code=key, countries=tuple(p["countries"]),
                    city=p.get("city", ""), kind="region", eea=is_eea(p["countries"]), note=p.get("note", ""),
                )
        for rx in self.zones:
            m = rx.fullmatch(code.strip())
            if m and m.group("region") != code:
                parent = self.lookup(m.group("region"))
                if parent:
                    return Region(
                        provider=self.provider, code=code.strip(), countries=parent.countries,
                        city=parent.city, kind="zone", eea=parent.eea,
                        note=f"zone of {parent.code}", parent=parent.code,
                    )
        return None


@functools.lru_cache(maxsize=None)
def region_tables() -> dict[str, RegionTable]:
    tables = {}
    for path in sorted((POLICIES_DIR / "regions").glob("*.yaml")):
        table = RegionTable(_load(path))
        tables[table.provider] = table
    return tables


def lookup_region(catalog: str, code: str) -> Region | None:
    table = region_tables().get(catalog)
    return table.lookup(code) if table else None


class ProviderFacts:
    """Facts about one Terraform provider and its resource types."""

    def __init__(self, data: dict):
        self.name = data["provider"]
        self.registry = [r.lower() for r in data["registry"]]
        self.catalog = data["catalog"]
        self.block = data["provider_block"]
        self.resource_location = data.get("resource_location", [])
        self.resources = data["resources"]
        self.data_sources = data.get("data_sources", {})
        self._no_data_patterns = data.get("no_data", {}).get("patterns", [])
        self._no_data = None  # compiled on first use: a scan touches few providers

    @property
    def no_data(self):
        if self._no_data is None and self._no_data_patterns:
            self._no_data = re.compile("|".join(f"(?:{p})" for p in self._no_data_patterns))
        return self._no_data

    def resource(self, rtype: str) -> dict | None:
        return self.resources.get(rtype)

    def data_role(self, rtype: str) -> str:
        facts = self.resources.get(rtype)
        if facts:
            return facts["data"]
        if self._no_data_patterns and self.no_data.match(rtype):
            return "none"
        return "unknown"


@functools.lru_cache(maxsize=None)
def terraform_providers() -> dict[str, ProviderFacts]:
    out = {}
    for path in sorted((POLICIES_DIR / "terraform").glob("*.yaml")):
        facts = ProviderFacts(_load(path))
        out[facts.name] = facts
    return out


@functools.lru_cache(maxsize=None)
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
