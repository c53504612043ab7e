"""Validate the knowledge files in policies/ against their JSON Schemas and cross-check them.

Run as `python -m hdslint.policycheck [FILE...]`; the test-suite runs it on every file.
Kept apart from the scan path so that a scan never pays for jsonschema's import.
"""
from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

from hdslint.knowledge.store import POLICIES_DIR

# A folder of knowledge files, or one file at the top of policies/, and the schema it follows.
SCHEMAS = {
    "regions": "regions.schema.json",
    "terraform": "terraform-provider.schema.json",
    "catalog": "catalog.schema.json",
    "checkov": "checkov-mapping.schema.json",
    "kubernetes": "kubernetes.schema.json",
    "countries.yaml": "countries.schema.json",
    "endpoints.yaml": "endpoints.schema.json",
    "secrets.yaml": "secrets.schema.json",
    "referentiels.yaml": "referentiels.schema.json",
}


def _schema(name: str) -> dict[str, Any]:
    return dict(json.loads((POLICIES_DIR / "schemas" / SCHEMAS[name]).read_text(encoding="utf-8")))


def _registry() -> Any:
    """Every schema of policies/schemas by its $id, so that one may refer to another's $defs."""
    from referencing import Registry, Resource

    schemas = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((POLICIES_DIR / "schemas").glob("*.json"))]
    return Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas if "$id" in s)


def kind_of(path: Path) -> str | None:
    """The SCHEMAS key of a knowledge file: its folder, or its own name at the top of policies/."""
    if path.parent.name in SCHEMAS:
        return path.parent.name
    if path.resolve().parent == POLICIES_DIR.resolve() and path.name in SCHEMAS:
        return path.name
    return None


def knowledge_files() -> list[Path]:
    """Every knowledge file that has a schema."""
    out: list[Path] = []
    for key in SCHEMAS:
        out += [POLICIES_DIR / key] if key.endswith(".yaml") else sorted((POLICIES_DIR / key).glob("*.yaml"))
    return out


def check_file(path: Path) -> list[str]:
    """Every problem found in one policy file, as 'file: message' strings."""
    import jsonschema

    kind = kind_of(path)
    if kind is None:
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(_schema(kind), registry=_registry(),
                                                format_checker=jsonschema.FormatChecker())
    problems = [f"{path.name}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    if problems:
        return problems
    return CROSS_CHECKS.get(kind, _no_cross_check)(path.name, data)


def _no_cross_check(name: str, data: dict[str, Any]) -> list[str]:
    return []


def _countries() -> dict[str, Any]:
    return dict(yaml.safe_load((POLICIES_DIR / "countries.yaml").read_text(encoding="utf-8"))["countries"])


def _check_regions(name: str, data: dict[str, Any]) -> list[str]:
    """Cross-checks of a regions file beyond its schema."""
    problems: list[str] = []
    source_ids = {s["id"] for s in data.get("sources", [])}
    countries = _countries()
    seen: set[str] = set()
    for entry in data["regions"] + data.get("patterns", []):
        for c in entry["countries"]:
            if c not in countries:
                problems.append(f"{name}: {entry.get('code') or entry['match']}: unknown country {c}")
        if entry["source"] not in source_ids:
            where = entry.get("code") or entry["match"]
            problems.append(f"{name}: {where}: unknown source id {entry['source']}")
    for entry in data["regions"]:
        for code in [entry["code"], *entry.get("aliases", [])]:
            key = code.lower()
            if key in seen:
                problems.append(f"{name}: duplicate region code {code}")
            seen.add(key)
    for z in data.get("zones", []):
        re.compile(z["match"])
        if z["source"] not in source_ids:
            problems.append(f"{name}: zone {z['match']}: unknown source id {z['source']}")
    return problems


def _check_terraform(name: str, data: dict[str, Any]) -> list[str]:
    """Cross-checks of a terraform file beyond its schema."""
    problems: list[str] = []
    source_ids = {s["id"] for s in data.get("sources", [])}
    for pattern in data.get("no_data", {}).get("patterns", []):
        re.compile(pattern)
    for dtype, ds in data.get("data_sources", {}).items():
        src = ds.get("source")
        if src and not (src.startswith("http") or src in source_ids):
            problems.append(f"{name}: data source {dtype}: source is neither a URL nor a source id: {src}")
    for rtype, facts in data["resources"].items():
        if not rtype.startswith(data["provider"] + "_"):
            problems.append(f"{name}: {rtype}: resource type does not start with '{data['provider']}_'")
        sections = [facts] + list((facts.get("encryption") or {}).values()) + [facts.get("backup") or {}]
        sections += [(facts.get("backup") or {}).get("retention") or {}]
        sections += facts.get("location_items", [])
        for section in sections:
            src = section.get("source")
            if src and not (src.startswith("http") or src in source_ids):
                problems.append(f"{name}: {rtype}: source is neither a URL nor a source id: {src}")
        problems += [f"{name}: {rtype}: {p}" for p in _check_conditions(rtype, facts)]
        problems += [f"{name}: {rtype}: {p}" for p in _check_location_items(data["catalog"], facts)]
    return problems


def _check_location_items(catalog: str, facts: dict[str, Any]) -> list[str]:
    """A location item reads an argument of the type, and the example a fix proposes is a place in
    the EEA that the provider's region table knows."""
    from hdslint.analysis.location import item_location
    from hdslint.knowledge.regions import lookup_region

    problems: list[str] = []
    known = set(facts.get("attributes", []))
    for spec in facts.get("location_items", []):
        root = re.split(r"[\[.]", spec["items"], maxsplit=1)[0]
        if known and root not in known:
            problems.append(f"location_items: {spec['items']} reads {root}, which is not among the type's attributes")
        if spec.get("pattern") and "(?P<location>" not in spec["pattern"]:
            problems.append(f"location_items: the pattern {spec['pattern']!r} has no group `location`")
            continue
        example = spec.get("example")
        if example is None:
            continue
        location = item_location(spec, example)
        if location is None:
            problems.append(f"location_items: the example {example!r} does not match the pattern")
            continue
        region = lookup_region(catalog, location)
        if region is None:
            problems.append(f"location_items: the example {example!r} is not in the {catalog} region table")
        elif not region.eea:
            countries = ", ".join(region.countries)
            problems.append(f"location_items: the example {example!r} is outside the EEA ({countries})")
    return problems


def _roots(tests: list[dict[str, Any]]) -> set[str]:
    """The top-level attribute names a list of tests reads (inside all / any / not too)."""
    out: set[str] = set()
    for t in tests:
        if "attribute" in t:
            out.add(re.split(r"[\[.]", t["attribute"], maxsplit=1)[0])
        for key in ("all", "any"):
            out |= _roots(t.get(key, []))
        if "not" in t:
            out |= _roots([t["not"]])
    return out


def _check_conditions(rtype: str, facts: dict[str, Any]) -> list[str]:
    """A type whose facts depend on attributes (default_when) records its attributes, every test
    names one of them, and each conditional fact has test rows that give the stated verdict."""
    problems: list[str] = []
    sides = [(f"encryption.{k}", v) for k, v in (facts.get("encryption") or {}).items()]
    sides += [("backup", facts["backup"])] if facts.get("backup") else []
    known = set(facts.get("attributes", []))
    for where, side in sides:
        if side.get("default_when") and not known:
            problems.append(f"{where}: default_when needs the type's `attributes` list")
        if side.get("default_when") and not side.get("examples"):
            problems.append(f"{where}: default_when needs test rows (`examples`)")
        tests = side.get("enable", []) + side.get("disable", []) + side.get("cmk", [])
        tests += [t for e in side.get("default_when", []) for t in e["tests"]]
        tests += [t for c in side.get("companions", []) for t in c.get("suggest_when", [])]  # tests on this type
        if known:
            for attr in sorted(_roots(tests) - known):
                problems.append(f"{where}: a test names {attr}, which is not among the type's attributes")
        for row in side.get("examples", []):
            state = _example_state(rtype, facts, side, row["attributes"])
            if state != row["state"]:
                problems.append(f"{where}: with {row['attributes']} the verdict is {state}, the test row says "
                                f"{row['state']}")
    return problems + _check_inferred(facts, known)


def _check_inferred(facts: dict[str, Any], known: set[str]) -> list[str]:
    """An `inferred` entry names attributes of the type, its pattern has one group per attribute,
    and a source it reads is one its `derived_from` names."""
    problems: list[str] = []
    derived = {e["attribute"] for e in facts.get("derived_from", [])}
    for entry in facts.get("inferred", []):
        named = set(entry["attributes"]) | {entry[k] for k in ("from_source", "via") if k in entry}
        if not known:
            problems.append("inferred: needs the type's `attributes` list")
        for attr in sorted(named - known if known else set()):
            problems.append(f"inferred: names {attr}, which is not among the type's attributes")
        if "pattern" in entry and set(re.compile(entry["pattern"]).groupindex) != set(entry["attributes"]):
            problems.append(f"inferred: the groups of {entry['pattern']} are not {entry['attributes']}")
        if "from_source" in entry and entry["from_source"] not in derived:
            problems.append(f"inferred: {entry['from_source']} names no source in derived_from")
    return problems


def _example_state(rtype: str, facts: dict[str, Any], side: dict[str, Any], attributes: dict[str, Any]) -> str:
    """The verdict of one test row: a resource of the type with these attributes and no companion."""
    from hdslint.analysis import protection
    from hdslint.model import Resource
    from hdslint.model.resources import Value

    def values(path: str) -> list[Value]:
        return [Value(attributes[path], "example", 1)] if path in attributes else []

    res = Resource(address=f"{rtype}.example", type=rtype, name="example", file="example", line=1, end_line=1,
                   source_format="terraform", facts=facts, values=values)
    verdict = protection.decide(res, side, protection.Companions([]))
    return verdict.state if verdict is not None else "none"


def _check_catalog(name: str, data: dict[str, Any]) -> list[str]:
    """Cross-checks of a catalog file beyond its schema."""
    problems: list[str] = []
    source_ids = {s["id"] for s in data.get("sources", [])}
    ids = [data["certification"].get("source")]
    ids += [data[key].get("source") for key in ("secnumcloud", "non_eea_law", "transparency_page", "certificate_access")
            if key in data]
    ids += [c.get("source") for c in data.get("conditions", [])]
    ids += [c.get("source") for c in data["certification"].get("previous_certificates", [])]
    problems += _check_certificate_dates(name, data["certification"])
    ids += [s.get("source") for s in data.get("services", [])]
    for i in ids:
        if i and i not in source_ids and not i.startswith("http"):
            problems.append(f"{name}: unknown source id {i}")
    from hdslint.knowledge.regions import lookup_region, region_tables

    if data["provider"] in region_tables():
        codes = list(data["certification"].get("regions") or [])
        for s in data.get("services", []):
            codes += s.get("regions", [])
        codes += data["secnumcloud"].get("regions", [])
        for c in data.get("conditions", []):
            for test in [c.get("check", {}).get("require", {}), *c.get("check", {}).get("when", [])]:
                codes += test.get("region_in", [])
        for code in codes:
            if lookup_region(data["provider"], code) is None:
                problems.append(f"{name}: region {code} is not in policies/regions/{data['provider']}.yaml")
    for c in data.get("conditions", []):
        for rx in c.get("check", {}).get("resource_types", []):
            re.compile(rx)
    return problems


def _check_certificate_dates(name: str, cert: dict[str, Any]) -> list[str]:
    """Each certificate starts before it ends, and no two of them (the current one and the
    previous ones) are in force on the same day: the scan date picks one."""
    problems: list[str] = []
    spans = []
    for c in [cert.get("certificate") or {}] + [p["certificate"] for p in cert.get("previous_certificates", [])]:
        since, until = c.get("valid_from"), c.get("valid_until")
        if since and until and since > until:
            problems.append(f"{name}: certificate {c.get('number')}: valid_from {since} is after valid_until {until}")
        if since or until:
            spans.append((since or "0000-00-00", until or "9999-99-99"))
    spans.sort()
    for (_a, end), (start, _b) in itertools.pairwise(spans):
        if start <= end:
            problems.append(f"{name}: certificates overlap: one is valid until {end}, another from {start}")
    return problems


def _check_checkov(name: str, data: dict[str, Any]) -> list[str]:
    """Cross-checks of a checkov file beyond its schema."""
    problems: list[str] = []
    from hdslint.rules import rule_by_id

    for name, theme in data["themes"].items():
        for rid in theme["same_as"]:
            if rule_by_id(rid) is None:
                problems.append(f"{name}: theme {name}: unknown hdslint rule {rid}")
    for cid, entry in data["checks"].items():
        if entry["theme"] not in data["themes"]:
            problems.append(f"{name}: {cid}: unknown theme {entry['theme']}")
    for diff in data["known_differences"]:
        if diff["check"] not in data["checks"]:
            problems.append(f"{name}: known difference on {diff['check']}, a check the mapping does not hold")
    return problems


def _check_endpoints(name: str, data: dict[str, Any]) -> list[str]:
    """Each entry's example is matched by that entry first (the first matching entry wins), its
    countries are known and its source is listed."""
    problems: list[str] = []
    source_ids = {s["id"] for s in data.get("sources", [])}
    countries = _countries()
    compiled = [re.compile(e["match"], re.I) for e in data["endpoints"]]
    for i, entry in enumerate(data["endpoints"]):
        label = entry.get("example") or entry["match"]
        if entry["source"] not in source_ids:
            problems.append(f"{name}: {label}: unknown source id {entry['source']}")
        problems += [f"{name}: {label}: unknown country {c}" for c in entry.get("countries", []) if c not in countries]
        example = entry.get("example")
        if example is None:
            continue
        first = next((j for j, rx in enumerate(compiled) if rx.search(example)), None)
        if first != i:
            problems.append(f"{name}: example {example} is matched by entry {first}, not by its own ({i})")
    services = {e["service"] for e in data["endpoints"]}
    for vendor in data.get("vendors", []):
        if not any(re.search(vendor["services"], s) for s in services):
            problems.append(f"{name}: vendor {vendor['name']}: no endpoint service matches {vendor['services']}")
    return problems


CROSS_CHECKS = {"regions": _check_regions, "terraform": _check_terraform, "catalog": _check_catalog,
                "checkov": _check_checkov, "endpoints.yaml": _check_endpoints}


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or knowledge_files()
    problems = [p for f in files for p in check_file(f)]
    for p in problems:
        print(p)
    print(f"{len(files)} file(s) checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
