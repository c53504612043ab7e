"""Tests on a resource's attributes, as written in policies/ (catalog conditions, encryption and
backup facts): {attribute, equals | one_of | matches | not_matches | min | max | version_min |
version_max | present | contains | statement, ignore_case, absent_is}, {region_in}, or the
combinations {all: [tests]}, {any: [tests]}, {not: test}. `absent_is` is the value the provider
takes when the attribute is not written (aws_rds_cluster's engine: "aurora" before provider 5.0).

A test gives True, False, or None when a value hdslint needs is unknown (never a guess), and a
Found: what it read (the attribute, the values as written, or why they cannot be known). A Found
is data; its words come when it is shown.

Versions compare number by number, on as many numbers as the bound has: engine_version "8.4.3"
is within version_max "8.4", "15.2" within version_min "15". A `statement` test reads an IAM
policy document (a JSON string, or the structure of a jsonencode() or aws_iam_policy_document
whose values are known only after apply) into its statements (hdslint.analysis.policydoc).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from hdslint.analysis import policydoc
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
    said: Text | None = None  # a `statement` test: what the policy holds, in words
    on: str = ""  # the resource read, when it is not the one judged (a companion, an account setting)
    through: Text | None = None  # where a value the resource does not write comes from (an inferred attribute)

    def words(self) -> Msg:
        """'storage_encrypted = false', 'kms_key_id not set', 'location eu-west-3'..."""
        if self.through is not None:
            return join((replace(self, through=None).words(), " (", self.through, ")"), "")
        if self.on:
            return join((self.on, ": ", Found(self.attribute, self.values, self.absent, self.unknown, self.entry,
                                               self.has_entry, self.places, self.said).words()), "")
        if self.said is not None:
            return join((self.attribute, ": ", self.said), "")
        if self.places is not None:
            return _("location {codes}", codes=", ".join(self.places) or _("undetermined"))
        if self.unknown is not None:
            return join((self.attribute, ": ", self.unknown), "")
        if self.absent and self.values:
            return _("{attribute} not set (the provider then takes {value})", attribute=self.attribute,
                     value=show(self.values[0]))
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


def run(res: Resource, test: Test, absent_means: str = "fail",
        about: Resource | None = None) -> tuple[bool | None, Found]:
    """(True | False | None, what was found) for one test on one resource; `about` is the
    resource judged when `res` is its companion (a bucket policy's statements name the bucket)."""
    if "all" in test or "any" in test:
        return _combined(res, test, absent_means, about)
    if "not" in test:
        verdict, seen = run(res, test["not"], absent_means, about)
        return (None if verdict is None else not verdict), seen
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
    if not values and "absent_is" in test:  # the provider's value for an attribute left out (engine: aurora)
        return compare(test["absent_is"], test), Found(path, values=(test["absent_is"],), absent=True)
    if not values:
        return ABSENT[absent_means], Found(path, absent=True)
    if "statement" in test:
        held, holds, unread = policydoc.test(res, path, values, test["statement"], about)
        return held, Found(path, said=holds, unknown=unread)
    if "contains" in test:
        items = [x for v in values for x in (v if isinstance(v, list) else [v])]
        unknown = next((x for x in items if isinstance(x, Unknown)), None)
        if unknown is not None:
            return None, Found(path, unknown=unknown.reason)
        wanted = test["contains"]
        match = next((x for x in items if isinstance(x, dict) and all(_field(x.get(k), w) for k, w in wanted.items())),
                     None)
        if match is not None:  # what the entry says, as written
            said = tuple((k, show(v) if isinstance(v, (str, bool, int, float)) else v)
                         for k, v in ((k, match.get(k)) for k in wanted))
            return True, Found(path, entry=said, has_entry=True)
        return False, Found(path, entry=tuple((k, _shown_field(w)) for k, w in wanted.items()), has_entry=False)
    results = []
    for v in values:
        if isinstance(v, Unknown):
            return None, Found(path, unknown=v.reason)
        results.append(compare(v, test))
    return all(results), Found(path, values=tuple(values[:3]))


def line_of(res: Resource, test: Test | None) -> int | None:
    """The line of the tested attribute when it sits in the resource's own file."""
    for inner in (test or {}).get("any", []) + (test or {}).get("all", []):  # the first attribute written
        found = line_of(res, inner)
        if found:
            return found
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


def _combined(res: Resource, test: Test, absent_means: str, about: Resource | None) -> tuple[bool | None, Found]:
    """{all: [...]}: False as soon as one test fails, None if one is unknown, else True;
    {any: [...]}: True as soon as one holds, None if one is unknown, else False. The Found is
    the deciding test's (the first unknown one's when the answer is None)."""
    want = "all" not in test  # the verdict that decides at once: False for all, True for any
    tests = test["all"] if "all" in test else test["any"]
    unknown: Found | None = None
    last = Found("")
    for t in tests:
        verdict, found = run(res, t, absent_means, about)
        if verdict is want:
            return want, found
        if verdict is None and unknown is None:
            unknown = found
        last = found
    if unknown is not None:
        return None, unknown
    return (not want), last


def holding(res: Resource, tests: list[Test], about: Resource | None = None) -> tuple[bool | None, tuple[Found, ...]]:
    """all_hold with what was read: (True, the founds of every test) when all hold, (False,
    the failing test's) when one fails, (None, the unknown one's) when one is unknown."""
    founds: list[Found] = []
    unknown: Found | None = None
    for t in tests:
        verdict, found = run(res, t, "fail", about)
        if verdict is False:
            return False, (found,)
        if verdict is None and unknown is None:
            unknown = found
        founds.append(found)
    if unknown is not None:
        return None, (unknown,)
    return True, tuple(founds)


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
    fold = bool(test.get("ignore_case"))
    if "equals" in test and not _equal(v, test["equals"], fold):
        return False
    if "one_of" in test and not any(_equal(v, x, fold) for x in test["one_of"]):
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
    for bound, sign in (("version_min", 1), ("version_max", -1)):
        if bound in test:
            order = version_order(v, test[bound])
            if order is None or order * sign < 0:
                return False
    return True


def version_order(value: object, bound: object) -> int | None:
    """-1, 0 or 1 as a version compares with a bound, on as many numbers as the bound has
    ("8.4.3" against "8.4" is 0; "15.2" against "15" is 0; "9.7" against "8.4" is 1); None when
    either is not a version (numbers joined by dots, a leading v allowed)."""
    have, want = _numbers(value), _numbers(bound)
    if have is None or want is None:
        return None
    have = (have + (0,) * len(want))[:len(want)]
    return (have > want) - (have < want)


def _numbers(value: object) -> tuple[int, ...] | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return (value,)
    if isinstance(value, float):
        value = repr(value)
    m = re.fullmatch(r"v?(\d+(?:\.\d+)*)", str(value).strip())
    return tuple(int(x) for x in m.group(1).split(".")) if m else None


def _field(value: object, wanted: object) -> bool:
    """A field of a `contains` entry: equal to a plain value, or passing the operators of an
    object ({one_of: [...], ignore_case: true})."""
    if isinstance(wanted, dict):
        return value is not None and not isinstance(value, Unknown) and compare(value, wanted)
    return _equal(value, wanted)


def _shown_field(wanted: object) -> object:
    """What a `contains` field looks for, as shown: a plain value, or the values of a one_of."""
    if isinstance(wanted, dict):
        if "one_of" in wanted:
            return " | ".join(str(show(x)) for x in wanted["one_of"])
        if "equals" in wanted:
            return wanted["equals"]
    return wanted


def _equal(v: object, expected: object, fold: bool = False) -> bool:
    """Terraform values compare loosely with YAML facts: "true" == True, "7" == 7; with fold,
    strings compare without case ("ON" == "on")."""
    if v == expected:
        return True
    if fold and isinstance(v, str) and isinstance(expected, str):
        return v.lower() == expected.lower()
    if isinstance(expected, bool) and isinstance(v, str):
        return v.lower() == ("true" if expected else "false")
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and isinstance(v, str):
        try:
            return float(v) == expected
        except ValueError:
            return False
    return False
