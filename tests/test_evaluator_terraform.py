"""Evaluator behaviours that differ from what Python would do: each one is Terraform's.

- `.*` (attribute-only splat) and `[*]` (full splat) differ when an index follows (HCL spec,
  splat operators: tuple.*.foo.bar[0] is [for v in tuple: v.foo.bar][0]).
- No Python type name (TStr, str, int, NoneType...) or Python error text reaches a reason.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hdslint.formats.terraform import functions
from hdslint.formats.terraform.evaluator import Scope, evaluate
from hdslint.i18n import using
from hdslint.model.values import Unknown
from hdslint.syntax import budget
from hdslint.syntax.hcl.parser import parse_expression

REGIONS = [{"r": ["eu-west-3", "eu-central-1"]}, {"r": ["eu-west-1", "eu-north-1"]}]


def run(text: str, **names):
    return evaluate(parse_expression(text), Scope(None, "t.tf", names=names))


def test_attribute_only_splat_indexes_the_result_list():
    assert run("regions.*.r[1]", regions=REGIONS) == ["eu-west-1", "eu-north-1"]
    assert run("regions[*].r[1]", regions=REGIONS) == ["eu-central-1", "eu-north-1"]
    assert run("regions.*.r", regions=REGIONS) == run("regions[*].r", regions=REGIONS)
    assert run("(regions[*].r)[1]", regions=REGIONS) == ["eu-west-1", "eu-north-1"]
    assert run("regions.*.r.0", regions=REGIONS) == ["eu-west-3", "eu-west-1"]  # legacy .0 belongs to the splat


def test_operators_follow_terraform_types():
    assert run('"5" + 1') == 6
    assert run("true == 1") is False and run('"1" == 1') is False and run("[true] == [1]") is False
    assert run("-7 % 3") == -1 and run("7 % -3") == 1
    assert isinstance(run("true + 1"), Unknown) and isinstance(run('" 1" + 1'), Unknown)
    assert isinstance(run('"nan" * 1'), Unknown) and isinstance(run("1 % 0"), Unknown)
    assert isinstance(run("l[-1]", l=[1, 2]), Unknown) and isinstance(run("l[true]", l=[1, 2]), Unknown)
    assert isinstance(run("l[0.5]", l=[1, 2]), Unknown) and run('l["1"]', l=[1, 2]) == 2


ILL_TYPED = [
    'upper(["a"])', "upper(null)", "upper({a = 1})", "length(1)", "length(null)", 'element("abc", 1)',
    'element(["a"], "x")', 'element(["a"], 0.5)', 'element({a = 1}, 0)', 'max("a")', "max()", "max(true)",
    'min(null, 1)', 'keys("a")', 'values([1])', 'lookup("a", "b")', 'lookup({a = 1}, "b")', 'merge(1)',
    'join(",", [[1]])', 'join(",", [null])', 'join(1, 2)', 'format("%d", "x")', 'format("%d", 1.5)',
    'format("%s")', 'format("%z", 1)', 'format("%t", 1)', 'format("%s", [1])', "cidrsubnet(1, 2, 3)",
    'cidrsubnet("10.0.0.0/8", 30, 1)', 'cidrsubnet("10.0.0.0/8", 2, 9)', 'cidrsubnet("x", 1, 1)',
    'tomap([1])', 'tomap(["a", "b"])', 'tolist({a = 1})', 'tolist([1, true])', 'toset([[1], "a"])',
    'toset("a")', 'tonumber("1_000")', 'tonumber(" 1")', 'tonumber("nan")', 'tonumber("inf")', "tonumber(true)",
    'tonumber([1])', 'tobool("yes")', "tobool(1)", 'tostring([])', "tostring({})", "sum([])", 'sum(["a"])',
    "sum([null])", "sum(1)", "alltrue([1])", 'alltrue(["yes"])', "anytrue(null)", "abs(null)", 'abs("x")',
    "ceil([1])", "floor(null)", 'log(-1, 10)', "log(0, 10)", "pow(0, -1)", 'signum("a")', 'substr("abc", 5, 1)',
    'substr(1, "a", 1)', 'slice([1, 2], 1, 5)', 'slice([1], -1, 1)', 'slice(1, 0, 1)', 'range(0)' + ' + null',
    "range(1, 2, 0)", "range(0, 100000)", 'range("a")', "range()", "range(1, 2, 3, 4)", 'zipmap(["a"], [])',
    'zipmap(1, 2)', 'chunklist([1], -1)', 'chunklist(1, 1)', 'flatten(1)', 'distinct({a = 1})', 'concat(1)',
    'concat([1], "a")', 'coalesce()', 'coalesce(null, null)', 'coalesce({}, "a")', 'coalesce(1, true)',
    'coalescelist(1)', 'one([1, 2])', 'one(1)', 'index([1], 2)', 'index(1, 1)', 'contains(1, 1)',
    'regex("(", "a")', 'regex("b", "a")', 'regexall("(", "a")', 'replace(1, [], 2)', 'replace("a", "/(/", "b")',
    'split([], "a")', 'split(",", null)', 'startswith(1, [])', 'endswith(null, "a")', 'strcontains({}, "a")',
    'trim(null, " ")', 'trimprefix([], "a")', 'trimsuffix("a", {})', 'transpose(1)', 'transpose({a = 1})',
    'transpose({a = [[1]]})', 'jsondecode("{")', 'jsondecode("NaN")', 'jsondecode([])', 'reverse("abc")',
    'sort([[1]])', 'compact([[1]])', 'setunion(1)', 'setintersection([1], 2)', 'setsubtract("a", [1])',
    'setunion([1], [true])', 'title(1, 2)', 'lower()', 'chomp([])', 'trimspace(null)', 'upper("a", "b")',
    'tostring(1, 2)', 'uuid()', 'nosuch(1)', 'provider::aws::arn_parse("x")',
    '"a" + 1', "!1", '-"a"', "1 < true", '["a"].x', '"a".b', '"a"[0]', "(1).x", "null.x", "{a = 1}[null]",
    "[1][5]", "[1][\"x\"]", "[for x in 1 : x]", "{for k, v in \"s\" : k => v}", '"a${[1]}"',
    '"a${null}"', "1 ? 2 : 3", "l[0].x", '{(null) = 1}', '{([1]) = 1}', "[1, 2]...",
]
PYTHON = re.compile(r"\b(TStr|str|int|float|NoneType|dict|None|True|False|tuple object|Traceback)\b|"
                    r"unsupported operand|object is not|invalid literal|could not convert|not subscriptable|"
                    r"positional argument|takes \d|<[a-z.]+ object|__|can only concatenate")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_python_type_or_error_text_reaches_a_reason(lang):
    leaks, known = [], []
    with using(lang):
        for text in ILL_TYPED:
            try:
                expr = parse_expression(text)
            except Exception:  # noqa: BLE001 - a few are syntax errors on purpose ([1, 2]...)
                continue
            v = evaluate(expr, Scope(None, "t.tf", names={"l": [None]}))
            reasons = [v.reason] if isinstance(v, Unknown) else \
                [x.reason for x in (v if isinstance(v, list) else []) if isinstance(x, Unknown)]
            if not reasons:
                known.append(text)
            leaks += [(text, str(r)) for r in reasons if PYTHON.search(str(r))]
    assert leaks == []
    assert known == []  # every one of them fails in Terraform


def test_a_failed_call_shows_itself_in_terraform_terms():
    assert run('max(1, "a")').reason == 'max(): cannot convert "a" to number'
    v = run('zipmap(["a", "b"], [1, null, [true], {"k" = 1.5}])')
    assert v.reason == 'zipmap() could not be evaluated: zipmap(["a", "b"], [1, null, [true], {"k" = 1.5}])'
    assert run("sum([])").reason == "sum() could not be evaluated: sum([])"


# strings without letters, so that a Python word in a reason can only come from hdslint
TEXT = st.text(st.characters(exclude_categories=("L", "Cs")), max_size=8)
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT | st.sampled_from(["1", "-2.5", "true", "false", "10.0.0.0/8", "%d %s %v %q %#v %5.2f %[2]s", "[0-9]+"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=12)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.sampled_from(sorted(functions.FUNCTIONS)), st.lists(VALUES, max_size=4))
def test_any_call_gives_a_value_or_a_reason_in_terraform_terms(name, args):
    with budget.limit(3.0):
        v = functions.call(name, args)
    if isinstance(v, Unknown):
        assert v.reason and not PYTHON.search(str(v.reason)), v.reason


def test_an_unknown_element_stays_nested_in_a_converted_collection():
    later = Unknown("known after apply", pending=True)
    got = functions.call("toset", [["b", later, "a", 1]])
    assert got[1] is later and [str(x) for x in got if x is not later] == ["b", "a", "1"]  # no order to know
    assert functions.call("tomap", [{"a": later, "b": 2}]) == {"a": later, "b": 2}
