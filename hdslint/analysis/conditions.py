"""Tests on a resource's attributes, as written in policies/ (catalog conditions, encryption and
backup facts): {attribute, equals | one_of | matches | not_matches | min | max | present}.

A test gives True, False, or None when a value hdslint needs is unknown (never a guess).
"""
from __future__ import annotations

import re

from hdslint.analysis.location import in_regions
from hdslint.i18n import _
from hdslint.model.values import Unknown

ABSENT = {"pass": True, "fail": False, "unknown": None}


def run(res, test: dict, absent_means: str = "fail"):
    """(True | False | None, what was found) for one test on one resource."""
    verdict, found, _absent = _evaluate(res, test, absent_means)
    return verdict, found


def _evaluate(res, test: dict, absent_means: str):
    """(verdict, what was found, whether the attribute is not set): the last tells, in any
    language, a test that failed because nothing was written."""
    if "region_in" in test:
        inside = in_regions(res, test["region_in"])
        codes = ", ".join(p.region.code for p in res.location.places if p.role == "primary") or _("undetermined")
        return inside, _("location {codes}", codes=codes), False
    path = test["attribute"]
    found = res.values(path)
    values = [v.value for v in found]
    if "present" in test:
        present = bool(values) and not all(v is None for v in values)
        if present and all(isinstance(v, Unknown) for v in values) and not test["present"]:
            return None, f"{path}: {values[0].reason}", False
        if present:
            return present == test["present"], _("{attribute} set", attribute=path), False
        return present == test["present"], _("{attribute} not set", attribute=path), True
    values = [v for v in values if v is not None]
    if not values:
        return ABSENT[absent_means], _("{attribute} not set", attribute=path), True
    if "contains" in test:
        items = [x for v in values for x in (v if isinstance(v, list) else [v])]
        if any(isinstance(x, Unknown) for x in items):
            return None, f"{path}: {next(x for x in items if isinstance(x, Unknown)).reason}", False
        wanted = test["contains"]
        found = any(isinstance(x, dict) and all(_equal(x.get(k), w) for k, w in wanted.items()) for x in items)
        shown = ", ".join(f"{k} = {w}" for k, w in wanted.items())
        if found:
            return found, _("{attribute} has entry with {values}", attribute=path, values=shown), False
        return found, _("{attribute} has no entry with {values}", attribute=path, values=shown), False
    results = []
    for v in values:
        if isinstance(v, Unknown):
            return None, f"{path}: {v.reason}", False
        results.append(compare(v, test))
    shown = ", ".join(_show(v) for v in values[:3])
    return all(results), f"{path} = {shown}", False


def line_of(res, test: dict) -> int | None:
    """The line of the tested attribute when it sits in the resource's own file."""
    path = test.get("attribute")
    if path:
        for v in res.values(path):
            if v.line and v.file == res.file:
                return v.line
    return None


def any_holds(res, tests: list):
    """(True, found, test) if a test holds; (None, found, test) if none holds but one is
    unknown; else (False, what the failing tests found when a value is set, or '', None)."""
    unknown = None
    seen, seen_test = [], None
    for t in tests:
        verdict, found, absent = _evaluate(res, t, "fail")
        if verdict is True:
            return True, found, t
        if verdict is None and unknown is None:
            unknown = (found, t)
        elif verdict is False and not absent:
            seen.append(found)
            seen_test = seen_test or t
    if unknown:
        return None, unknown[0], unknown[1]
    return False, "; ".join(seen), seen_test


def all_hold(res, tests: list) -> bool | None:
    verdicts = [run(res, t, "fail")[0] for t in tests]
    if all(v is True for v in verdicts):
        return True
    if any(v is False for v in verdicts):
        return False
    return None


def _show(v) -> str:
    """A value as HCL writes it."""
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict) and v.get("__block__"):
        return _("a block")
    return repr(v)


def compare(v, test: dict) -> bool:
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
                if not ok(float(v), test[bound]):
                    return False
            except (TypeError, ValueError):
                return False
    return True


def _equal(v, expected) -> bool:
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
