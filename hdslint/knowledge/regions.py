"""Countries (which are in the EEA) and each provider's region table (policies/countries.yaml,
policies/regions/*.yaml), with lookups that normalise a code the way the provider does."""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from hdslint.knowledge.store import POLICIES_DIR, index, load
from hdslint.model import Region


@functools.cache
def countries() -> dict[str, dict[str, Any]]:
    return load(POLICIES_DIR / "countries.yaml")["countries"]


def country_names() -> dict[str, str]:
    return {code: c["name"] for code, c in countries().items()}


def country_name(code: str) -> str:
    """A country's name in the language in use (its French name in a French report), else its code."""
    from hdslint.i18n import language

    entry = countries().get(code)
    if entry is None:
        return code
    return str(entry.get(f"name_{language()}") or entry["name"])


def adequacy(code: str) -> dict[str, Any] | None:
    """The EU adequacy decision (art. 45 GDPR) of a non-EEA country, or None."""
    return (countries().get(code) or {}).get("adequacy")


def is_eea(codes: Iterable[str]) -> bool:
    table = countries()
    return all(table.get(c, {}).get("eea", False) for c in codes)


class RegionTable:
    """One provider's region table with lookups that normalise like the provider does."""

    def __init__(self, data: dict[str, Any]) -> None:
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
        self._patterns: list[dict[str, Any]] = data.get("patterns", [])
        self._zones: list[dict[str, Any]] = data.get("zones", [])

    @functools.cached_property
    def patterns(self) -> list[tuple[re.Pattern[str], dict[str, Any]]]:
        """Compiled on first use: most scans meet only codes of the tables (a scan loads every table)."""
        return [(re.compile(p["match"], re.I), p) for p in self._patterns]

    @functools.cached_property
    def zones(self) -> list[re.Pattern[str]]:
        return [re.compile(z["match"], re.I) for z in self._zones]

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


class _Tables(Mapping[str, RegionTable]):
    """provider -> its region table, each file parsed when its table is first asked for (a scan
    meets a few providers; parsing the 17 tables cost 6 ms a run)."""

    def __init__(self, files: dict[str, str]) -> None:
        self._files = files
        self._tables: dict[str, RegionTable] = {}

    def __getitem__(self, provider: str) -> RegionTable:
        table = self._tables.get(provider)
        if table is None:
            table = self._tables[provider] = RegionTable(load(Path(self._files[provider])))
        return table

    def __contains__(self, provider: object) -> bool:
        return provider in self._files

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


def _index(paths: list[Path]) -> dict[str, Any]:
    """Which file holds the table of a provider (a later file wins, as it did when every table was read)."""
    files: dict[str, str] = {}
    for path in paths:
        files[load(path)["provider"]] = str(path)
    return {"files": files}


@functools.cache
def region_tables() -> Mapping[str, RegionTable]:
    return _Tables(index("region tables", sorted((POLICIES_DIR / "regions").glob("*.yaml")), _index)["files"])


def lookup_region(catalog: str, code: str) -> Region | None:
    table = region_tables().get(catalog)
    return table.lookup(code) if table else None
