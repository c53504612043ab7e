"""Tests on a resource's attributes, as written in policies/ (catalog conditions, encryption and
backup facts): {attribute, equals | one_of | matches | not_matches | min | max | present |
contains} or {region_in}.

A test gives True, False, or None when a value hdslint needs is unknown (never a guess), and a
Found: what it read (the attribute, the values as written, or why they cannot be known). A Found
is data; its words come when it is shown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hdslint.analysis.location import in_regions
from hdslint.i18n import Msg, Text, _, join
from hdslint.model import Resource
from hdslint.model.values import Unknown

ABSENT = {"pass": True, "fail": False, "unknown": None}
Test = dict[str, Any]


@dataclass(frozen=True)
class Found:
    """What one test read on a resource."""

    attribute: str  # the attribute path tested ("" for a location test)
    values: tuple[object, ...] = ()  # the values as written, at most three
    absent: bool = False  # nothing is written there
    unknown: Text | None = None  # why the value cannot be known statically
    entry: tuple[tuple[str, object], ...] = ()  # `contains`: the fields of the entry looked for
    has_entry: bool = False  # `contains`: whether such an entry is there
    places: tuple[str, ...] | None = None  # a location test: the primary region codes

    def words(self) -> Msg:
        """'storage_encrypted = false', 'kms_key_id not set', 'location eu-west-3'..."""
        if self.places is not None:
            return _("location {codes}", codes=", ".join(self.places) or _("undetermined"))
        if self.unknown is not None:
            return join((self.attribute, ": ", self.unknown), "")
        if self.absent:
            return _("{attribute} not set", attribute=self.attribute)
        if self.entry:
            shown = ", ".join(f"{k} = {w}" for k, w in self.entry)
            if self.has_entry:
                return _("{attribute} has entry with {values}", attribute=self.attribute, values=shown)
            return _("{attribute} has no entry with {values}", attribute=self.attribute, values=shown)
        if not self.values:
            return _("{attribute} set", attribute=self.attribute)
        return join((self.attribute, " = ", join((show(v) for v in self.values), ", ")), "")


def run(res: Resource, test: Test, absent_means: str = "fail") -> tuple[bool | None, Found]:
    """(True | False | None, what was found) for one test on one resource."""
    if "region_in" in test:
        codes = tuple(p.region.code for p in res.location.places if p.role == "primary")
        return in_regions(res, test["region_in"]), Found("", places=codes)
    path = test["attribute"]
    found = res.values(path)
    values = [v.value for v in found]
    if "present" in test:
        present = bool(values) and not all(v is None for v in values)
        if present and all(isinstance(v, Unknown) for v in values) and not test["present"]:
            return None, Found(path, unknown=values[0].reason)  # type: ignore[attr-defined]  # all Unknown
        if present:
            return present == test["present"], Found(path)
        return present == test["present"], Found(path, absent=True)
    values = [v for v in values if v is not None]
    if not values:
        return ABSENT[absent_means], Found(path, absent=True)
    if "contains" in test:
        items = [x for v in values for x in (v if isinstance(v, list) else [v])]
        unknown = next((x for x in items if isinstance(x, Unknown)), None)
        if unknown is not None:
            return None, Found(path, unknown=unknown.reason)
        wanted = test["contains"]
        has = any(isinstance(x, dict) and all(_equal(x.get(k), w) for k, w in wanted.items()) for x in items)
        return has, Found(path, entry=tuple(wanted.items()), has_entry=has)
    results = []
    for v in values:
        if isinstance(v, Unknown):
            return None, Found(path, unknown=v.reason)
        results.append(compare(v, test))
    return all(results), Found(path, values=tuple(values[:3]))


def line_of(res: Resource, test: Test | None) -> int | None:
    """The line of the tested attribute when it sits in the resource's own file."""
    path = test.get("attribute") if test else None
    if path:
        for v in res.values(path):
            if v.line and v.file == res.file:
                return v.line
    if test and "region_in" in test:  # where the region is written, as HDS-LOC-001 says
        for place in res.location.places:
            for hop in place.hops[:1]:
                if hop.line and hop.file == res.file:
                    return hop.line
    return None


def any_holds(res: Resource, tests: list[Test]) -> tuple[bool | None, tuple[Found, ...], Test | None]:
    """(True, [found], test) if a test holds; (None, [found], test) if none holds but one is
    unknown; else (False, what the failing tests found where a value is set, the first such test)."""
    unknown: tuple[Found, Test] | None = None
    seen: list[Found] = []
    seen_test = None
    for t in tests:
        verdict, found = run(res, t, "fail")
        if verdict is True:
            return True, (found,), t
        if verdict is None and unknown is None:
            unknown = (found, t)
        elif verdict is False and not found.absent:
            seen.append(found)
            seen_test = seen_test or t
    if unknown:
        return None, (unknown[0],), unknown[1]
    return False, tuple(seen), seen_test


def all_hold(res: Resource, tests: list[Test]) -> bool | None:
    verdicts = [run(res, t, "fail")[0] for t in tests]
    if all(v is True for v in verdicts):
        return True
    if any(v is False for v in verdicts):
        return False
    return None


def show(v: object) -> Text:
    """A value as HCL writes it."""
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict) and v.get("__block__"):
        return _("a block")
    return repr(v)


def compare(v: object, test: Test) -> bool:
    if "equals" in test and not _equal(v, test["equals"]):
        return False
    if "one_of" in test and not any(_equal(v, x) for x in test["one_of"]):
        return False
    if "matches" in test and not re.search(test["matches"], str(v)):
        return False
    if "not_matches" in test and re.search(test["not_matches"], str(v)):
        return False
    for bound, ok in (("min", lambda x, b: x >= b), ("max", lambda x, b: x <= b)):
        if bound in test:
            try:
                if not ok(float(v), test[bound]):  # type: ignore[arg-type]
                    return False
            except (TypeError, ValueError):
                return False
    return True


def _equal(v: object, expected: object) -> bool:
    """Terraform values compare loosely with YAML facts: "true" == True, "7" == 7."""
    if v == expected:
        return True
    if isinstance(expected, bool) and isinstance(v, str):
        return v.lower() == ("true" if expected else "false")
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(v, str):
        try:
            return float(v) == expected
        except ValueError:
            return False
    return False
