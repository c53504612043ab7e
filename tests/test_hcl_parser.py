"""The HCL parser: expressions, templates, heredocs, comments, errors with lines."""
from __future__ import annotations

import pytest

from hdslint.syntax.hcl import parser
from hdslint.syntax.hcl.ast import (
    BinaryOp,
    Call,
    Conditional,
    ForExpr,
    Literal,
    ObjectExpr,
    Template,
    TemplateFor,
    TemplateIf,
    Traversal,
    TupleExpr,
    UnaryOp,
)
from hdslint.syntax.hcl.unparse import unparse


def attr(src: str, name: str = "a"):
    return parser.parse(src).body.attributes[name].expr


def test_literals_and_negative_numbers():
    assert attr('a = "x"').value == "x"
    assert attr("a = 12").value == 12
    assert attr("a = 1.5e3").value == 1500.0
    assert attr("a = -3").value == -3
    assert attr("a = true").value is True
    assert attr("a = null").value is None


def test_traversals_index_splat_and_legacy_index():
    e = attr("a = aws_instance.web[0].tags.Name")
    assert isinstance(e, Traversal) and e.root == "aws_instance"
    assert [k for k, _ in e.steps] == ["attr", "index", "attr", "attr"]
    assert unparse(attr("a = var.list[*].id")) == "var.list[*].id"
    assert unparse(attr("a = var.list.*.id")) == "var.list.*.id"
    assert unparse(attr("a = var.list.0")) == "var.list[0]"


def test_attribute_only_splat_ends_at_an_index_full_splat_does_not():
    # HCL spec, splat operators: tuple.*.foo.bar[0] is [for v in tuple: v.foo.bar][0],
    # tuple[*].foo.bar[0] is [for v in tuple: v.foo.bar[0]]
    legacy = attr("a = local.regions.*.r[1]")
    assert isinstance(legacy, Traversal) and legacy.steps == [("index", legacy.steps[0][1])]
    inner = legacy.root
    assert inner.root == "local" and inner.steps == [("attr", "regions"), ("splat", "attr"), ("attr", "r")]
    full = attr("a = local.regions[*].r[1]")
    assert full.root == "local" and [k for k, _ in full.steps] == ["attr", "splat", "attr", "index"]
    legacy_index = attr("a = x.*.b.0.c")  # a legacy .0 is an attribute step for `.*`
    assert legacy_index.root == "x" and [k for k, _ in legacy_index.steps] == ["splat", "attr", "index", "attr"]
    assert unparse(legacy) == "local.regions.*.r[1]"
    assert unparse(full) == "local.regions[*].r[1]"


def test_parentheses_end_a_traversal_and_are_kept():
    e = attr("a = (var.l[*].id)[0]")
    assert isinstance(e.root, Traversal) and e.root.parens and e.steps[0][0] == "index"
    assert unparse(e) == "(var.l[*].id)[0]"
    assert unparse(attr("a = (1 + 2) * 3")) == "(1 + 2) * 3"
    assert unparse(attr("a = -(1)")) == "-(1)"
    assert unparse(attr('a = "$${x} %%{y}"')) == '"$${x} %%{y}"'


def test_operator_precedence():
    e = attr("a = 1 + 2 * 3 == 7 && !false || x")
    assert isinstance(e, BinaryOp) and e.op == "||"
    assert unparse(e) == "1 + 2 * 3 == 7 && !false || x"
    left = e.left
    assert left.op == "&&" and left.left.op == "==" and left.left.left.op == "+"
    assert left.left.left.right.op == "*"
    assert isinstance(left.right, UnaryOp)


def test_conditional_calls_expansion_and_provider_functions():
    e = attr('a = var.x ? lookup(var.m, "k", null) : concat(var.l...)')
    assert isinstance(e, Conditional)
    assert isinstance(e.then, Call) and e.then.name == "lookup" and len(e.then.args) == 3
    assert e.otherwise.expand is True
    assert attr('a = provider::aws::arn_parse("x")').name == "provider::aws::arn_parse"


def test_collections_and_for_expressions():
    t = attr('a = [1, "two", [3],\n  4,\n]')
    assert isinstance(t, TupleExpr) and len(t.items) == 4
    o = attr('a = {\n  x = 1\n  "y" = 2, (var.k) = 3\n  z: 4\n}')
    assert isinstance(o, ObjectExpr)
    assert [k.value if isinstance(k, Literal) else unparse(k) for k, _ in o.items] == ["x", "y", "(var.k)", "z"]
    assert isinstance(o.items[2][0], Traversal)  # an expression key, not the string "var.k"
    assert not isinstance(attr("a = {(k) = 1}").items[0][0], Literal)
    f = attr("a = [for s in var.l : upper(s) if s != \"\"]")
    assert isinstance(f, ForExpr) and f.key is None and f.cond is not None
    g = attr("a = {for k, v in var.m : v => k...}")
    assert g.key_var == "k" and g.value_var == "v" and g.grouping


def test_templates_interpolations_directives_and_escapes():
    t = attr('a = "x-${var.env}-$${literal}-%%{literal}\\n\\u00e9"')
    assert isinstance(t, Template)
    assert t.parts[0] == "x-" and isinstance(t.parts[1], Traversal)
    assert t.parts[2] == "-${literal}-%{literal}\né"
    d = attr('a = "%{ if var.on }yes%{ else }no%{ endif }"')
    assert isinstance(d.parts[0], TemplateIf) and d.parts[0].then == ["yes"] and d.parts[0].otherwise == ["no"]
    f = attr('a = "%{ for x in var.l ~}${x},%{ endfor ~}"')
    assert isinstance(f.parts[0], TemplateFor)
    nested = attr('a = "${lookup(var.m, "k")}"')
    assert isinstance(nested, Template) and isinstance(nested.parts[0], Call)


def test_heredocs_plain_and_indented():
    e = attr("a = <<EOT\nline one\n  ${var.x}\nEOT\nb = 1\n")
    assert e.parts == ["line one\n  ", e.parts[1], "\n"]
    e2 = attr("a = <<-EOT\n    hello\n      world\n    EOT\n")
    assert e2.value == "hello\n  world\n"


def test_blocks_labels_lines_and_comments():
    src = ('# top comment\nresource "aws_s3_bucket" "b" { # trailing\n  bucket = "x"\n  // inside\n'
           '  versioning {\n    enabled = true\n  }\n  /* multi\n line */\n}\nlocals { x = 1 }\n')
    f = parser.parse(src)
    res, loc = f.body.blocks
    assert (res.type, res.labels, res.line, res.end_line) == ("resource", ["aws_s3_bucket", "b"], 2, 10)
    assert res.body.blocks[0].type == "versioning" and res.body.blocks[0].line == 5
    assert (loc.line, loc.end_line) == (11, 11)
    assert [ln for ln, _ in f.comments] == [1, 2, 4, 8]
    assert f.comments[3][1].startswith("/* multi")


@pytest.mark.parametrize("src, line, message", [
    ('resource "x" "y" {\n  a = "unterminated\n}\n', 2, "unterminated string"),
    ("a = [1, 2\nb = 3\n", 2, "expected ',' or ']' in a list"),
    ("a = 1 b = 2\n", 1, "one argument or block per line"),
    ('resource "x" {\n  a = 1\n', 3, "missing '}' at end of file"),
    ("}\n", 1, "unexpected '}'"),
    ("a = b.\n", 1, "expected an attribute name after '.'"),
    ('a = "%{ endif }"\n', 1, "without a matching"),
    ("a = <<EOT\nnever closed\n", 1, "is never closed"),
    ("\x00\x01", 1, "expected an attribute or block name"),
    ("a = " + "(" * 500 + "1" + ")" * 500, 1, "nesting deeper than"),
])
def test_errors_have_lines(src, line, message):
    with pytest.raises(parser.HCLError) as err:
        parser.parse(src)
    assert err.value.line == line
    assert message in err.value.message


def test_parse_template_for_json_values_keeps_the_given_line():
    t = parser.parse_template('arn:${var.partition}:s3:::"quoted"', line=7)
    assert t.line == 7 and t.parts[0] == "arn:" and t.parts[2] == ':s3:::"quoted"'
    assert parser.parse_template("plain", 3).value == "plain"


def test_unicode_labels_and_names_do_not_hang_the_parser():
    # found by tests/test_fuzz.py: a letter outside ASCII after a block name looped forever
    body = parser.parse('résumé "x" é {\n  clé = 1\n}\n').body
    (block,) = body.blocks
    assert (block.type, block.labels, list(block.body.attributes)) == ("résumé", ["x", "é"], ["clé"])
    with pytest.raises(parser.HCLError):
        parser.parse("a \u0661 {}\n")  # an Arabic-Indic digit cannot start a label
