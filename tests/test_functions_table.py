"""Terraform's built-in functions against their documentation.

tests/data/terraform_functions.yaml holds examples from each function's page on
developer.hashicorp.com (call -> result). Every row is parsed with hdslint's parser and
evaluated in an empty scope; the value must be the documented one, with its type (1 is not
"1"), and a documented error must be Unknown. Every function hdslint evaluates has rows;
a function without rows is not evaluated (Unknown, never a guess).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hdslint.formats.terraform import functions
from hdslint.formats.terraform.evaluator import Scope, evaluate
from hdslint.model.values import TStr, Unknown
from hdslint.syntax.hcl.parser import parse_expression

TABLE_FILE = Path(__file__).parent / "data" / "terraform_functions.yaml"
TABLE = yaml.safe_load(TABLE_FILE.read_text(encoding="utf-8"))
ROWS = [(name, row) for name, entry in sorted(TABLE.items()) for row in entry["rows"]]


def run(call: str):
    return evaluate(parse_expression(call), Scope(None, "functions.tf"))


def same(got, want, unordered: bool = False) -> bool:
    """Equal values of equal Terraform types: bool is not number, number is not string."""
    if isinstance(want, bool) or want is None:
        return got is want
    if isinstance(want, (int, float)):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and got == want
    if isinstance(want, str):
        return isinstance(got, str) and str(got) == want
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return False
        if unordered:
            rest = list(got)
            for w in want:
                match = next((i for i, g in enumerate(rest) if same(g, w)), None)
                if match is None:
                    return False
                rest.pop(match)
            return True
        return all(same(g, w) for g, w in zip(got, want, strict=False))
    if isinstance(want, dict):
        return isinstance(got, dict) and set(got) == set(want) and all(same(got[k], want[k]) for k in want)
    raise TypeError(want)


@pytest.mark.parametrize(("name", "row"), ROWS, ids=[f"{n}: {r['call']}" for n, r in ROWS])
def test_documented_example(name, row):
    assert re.match(rf"(\w+\()*{name}\(", row["call"]) or name in row["call"], "a row calls its function"
    got = run(row["call"])
    if "hdslint" in row:  # a known, explained difference
        assert row.get("why")
        assert same(got, row["hdslint"]), f"{row['call']} gave {got!r}"
        return
    if "error" in row:
        assert isinstance(got, Unknown), f"{row['call']} should fail ({row['error']}), gave {got!r}"
        return
    assert not isinstance(got, Unknown), f"{row['call']}: {got.reason}"
    assert same(got, row["result"], row.get("unordered", False)), f"{row['call']} gave {got!r}, documented {row['result']!r}"


def test_every_function_hdslint_evaluates_has_documented_rows():
    assert sorted(set(functions.FUNCTIONS) - set(TABLE)) == []
    assert sorted(set(TABLE) - set(functions.FUNCTIONS)) == []
    assert all(entry["url"] == f"https://developer.hashicorp.com/terraform/language/functions/"
               f"{'index_function' if name == 'index' else name}" for name, entry in TABLE.items())
    assert len(ROWS) >= 3 * len(functions.FUNCTIONS) // 2


@pytest.mark.parametrize("call", ['cidrhost("10.1.2.240/28", 1)', 'base64encode("x")', "setproduct([1], [2])",
                                  'strrev("abc")', 'nosuchfunction(1)', 'templatestring("x", {})'])
def test_a_function_without_recorded_behaviour_is_unknown(call):
    assert call.split("(")[0] not in functions.FUNCTIONS
    got = run(call)
    assert isinstance(got, Unknown) and got.reason


def test_string_results_are_traced_strings():
    assert isinstance(run('upper("a")'), TStr)
    assert isinstance(run('format("%s-%s", "a", "b")'), TStr)
