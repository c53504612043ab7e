"""Static evaluation: functions, conditionals, for-expressions, unknowns and their reasons."""
from __future__ import annotations

import pytest

from hdslint.formats.terraform.config import ModuleConfig
from hdslint.formats.terraform.instances import ModuleInstance
from hdslint.formats.terraform.project import TerraformProject
from hdslint.model.values import TStr, Unknown
from hdslint.syntax.hcl import parser


def ev(expr: str, **variables):
    src = "".join(f'variable "{k}" {{ default = {v} }}\n' for k, v in variables.items())
    config = ModuleConfig(".")
    config.add_file("main.tf", parser.parse(src + "locals {\n  x = " + expr + "\n}\n"))
    inst = ModuleInstance(TerraformProject("/nonexistent"), config, "")
    return inst.local("x")


@pytest.mark.parametrize("expr, expected", [
    ('lookup({a = "eu-west-3"}, "a", "x")', "eu-west-3"),
    ('lookup({a = 1}, "b", "fallback")', "fallback"),
    ('coalesce("", null, "eu-west-1")', "eu-west-1"),
    ('format("%s-%02d", "db", 3)', "db-03"),
    ('join(",", ["a", "b"])', "a,b"),
    ('split("-", "eu-west-3")[2]', "3"),
    ('element(["a", "b", "c"], 4)', "b"),
    ('upper(replace("eu_west", "_", "-"))', "EU-WEST"),
    ('replace("eu-west-3a", "/[a-z]$/", "")', "eu-west-3"),
    ('substr("eu-west-3a", 0, 9)', "eu-west-3"),
    ('merge({a = 1}, {b = 2})', {"a": 1, "b": 2}),
    ('concat([1], [2, 3])', [1, 2, 3]),
    ('flatten([[1, [2]], [3]])', [1, 2, 3]),
    ('length(keys({a = 1, b = 2}))', 2),
    ('contains(["fr", "de"], "fr")', True),
    ('try(local.missing, "default")', "default"),
    ('can(upper("x"))', True),
    ('[for r in ["a", "b"] : "eu-${r}"]', ["eu-a", "eu-b"]),
    ('{for k, v in {a = 1, b = 2} : v => k}', {"1": "a", "2": "b"}),
    ('[for x in [1, 2, 3] : x * 2 if x > 1]', [4, 6]),
    ('"%{ if true }on%{ else }off%{ endif }"', "on"),
    ('"%{ for r in ["a", "b"] }${r};%{ endfor }"', "a;b;"),
    ("1 + 2 * 3", 7),
    ("10 % 4", 2),
    ('"a" == "a" && 1 < 2', True),
    ("!true || false", False),
    ("cidrsubnet(\"10.0.0.0/16\", 8, 2)", "10.0.2.0/24"),
    ("jsondecode(\"{\\\"r\\\": \\\"eu-west-3\\\"}\").r", "eu-west-3"),
])
def test_known_values(expr, expected):
    value = ev(expr)
    assert value == expected and type(value) is not Unknown


def test_strings_keep_their_resolution_chain_through_functions():
    value = ev('lower(format("%s-3", var.r))', r='"EU-WEST"')
    assert value == "eu-west-3" and isinstance(value, TStr)
    assert 'var.r default' in [h.text for h in value.hops]


def test_variables_and_unknowns_with_reasons():
    assert ev("var.region", region='"eu-west-3"') == "eu-west-3"
    u = ev('file("region.txt")')
    assert isinstance(u, Unknown) and "evaluated by Terraform at plan time" in u.reason
    u = ev("aws_s3_bucket.b.arn")
    assert isinstance(u, Unknown) and "aws_s3_bucket.b is not declared" in u.reason
    u = ev("var.nope")
    assert isinstance(u, Unknown) and "var.nope is not declared" in u.reason
    u = ev("timestamp()")
    assert isinstance(u, Unknown)
    # can() of something hdslint cannot know is not a "false": it stays unknown
    assert isinstance(ev("can(local.missing)"), Unknown)


def test_conditional_on_an_unknown_keeps_a_value_only_when_both_branches_agree():
    assert ev('var.nope == "x" ? "eu-west-3" : "eu-west-3"') == "eu-west-3"
    u = ev('var.nope == "x" ? "eu-west-3" : "us-east-1"')
    assert isinstance(u, Unknown) and "condition that is not known" in u.reason


def test_self_reference_is_an_unknown_not_a_recursion():
    config = ModuleConfig(".")
    config.add_file("main.tf", parser.parse("locals {\n  a = local.b\n  b = local.a\n}\n"))
    inst = ModuleInstance(TerraformProject("/nonexistent"), config, "")
    u = inst.local("a")
    assert isinstance(u, Unknown) and "depends on itself" in u.reason


def test_try_moves_on_past_an_error_inside_a_list_or_object():
    """try([x["rule"]], [x["rules"]], []) as the S3 bucket module writes it: the missing key is an
    error Terraform catches, even wrapped in a list; a value known only after apply is not."""
    assert ev('try([var.x["rule"]], [var.x["rules"]], [])', x='{rules = [1]}') == [[1]]
    assert ev('try({a = var.x["rule"]}, "fallback")', x='{rules = [1]}') == "fallback"
    later = ev('try([timestamp()], [])')
    assert isinstance(later, list) and isinstance(later[0], Unknown) and later[0].pending


def test_bad_calls_give_unknowns_not_exceptions():
    for expr in ('element([], 0)', 'lookup({}, "k")', 'tonumber("x")', 'range(1e9)', 'regex("(", "x")',
                 'jsondecode("{")', '1 / 0', 'cidrsubnet("bad", 8, 1)', 'coalesce()', 'min()'):
        assert isinstance(ev(expr), Unknown), expr


def test_optional_object_attributes_get_null_or_their_default():
    src = '''
variable "groups" {
  type = map(object({
    name    = string
    zones   = optional(list(string))
    region  = optional(string, "eu-west-3")
    nested  = optional(object({ tier = optional(string, "gold") }), {})
  }))
  default = {
    a = { name = "a" }
    b = { name = "b", region = "eu-west-1" }
  }
}
locals {
  x = [var.groups.a.zones, var.groups.a.region, var.groups.b.region, var.groups.a.nested.tier]
}
'''
    config = ModuleConfig(".")
    config.add_file("main.tf", parser.parse(src))
    inst = ModuleInstance(TerraformProject("/nonexistent"), config, "")
    assert inst.local("x") == [None, "eu-west-3", "eu-west-1", "gold"]


def test_the_shape_of_a_text_names_its_parts_known_only_after_apply():
    """Two values written differently are the same name when their shapes are equal: the text,
    with each part known only after apply named by its attribute (hdslint.model.values.shape)."""
    from hdslint.model.values import shape, shape_of, shape_text

    config = ModuleConfig(".")
    config.add_file("main.tf", parser.parse(
        'resource "random_pet" "a" {}\nresource "random_pet" "b" {}\nvariable "v" {}\n'
        'locals {\n  name = "copy-${random_pet.a.id}"\n  arn = "arn:aws:s3:::${local.name}"\n'
        '  other = "arn:aws:s3:::copy-${random_pet.b.id}"\n  open = "x-${var.v}"\n}\n'))
    inst = ModuleInstance(TerraformProject("/nonexistent"), config, "")
    arn = shape(inst.local("arn"))
    assert arn == ("arn:aws:s3:::copy-", ("after apply", "random_pet.a.id", "None"))
    assert arn == shape_of("arn:aws:s3:::", shape(inst.local("name")))
    assert shape_text(arn) == "arn:aws:s3:::copy-${random_pet.a.id}"
    assert shape(inst.local("other")) not in (None, arn)
    assert shape(inst.local("open")) is None  # a variable without a value is no part of a name
    assert shape("records") == ("records",) and shape(3) is None
