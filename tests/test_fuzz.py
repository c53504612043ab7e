"""Fuzzing each parser and the whole pipeline with hypothesis.

The contract under test: whatever the bytes, a parser returns a value or raises its own
error type (which becomes a finding with a line), and a scan returns findings, never an
exception and never an internal-error finding (HDS-PARSE-005 means a bug we caught).

Where a reference implementation exists the test is differential as well: our JSON reader
must agree with the standard library, our YAML reader with PyYAML's safe loader on the
values they both accept, and generated valid HCL must parse.

CI runs the "ci" profile (a bounded number of examples per test, a couple of minutes in all);
a long run is `HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py` (README), 20,000
examples per test unless HDSLINT_FUZZ_EXAMPLES says otherwise.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import yaml
from conftest import FIXTURES, scan
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hdslint.syntax import budget, jsonpos, yamlpos
from hdslint.syntax import text as files
from hdslint.syntax.hcl.parser import HCLError
from hdslint.syntax.hcl.parser import parse as hcl_parse

settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=int(os.environ.get("HDSLINT_FUZZ_EXAMPLES", "20000")), deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# ---- generators ----------------------------------------------------------------------------------

IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
JSON_SCALARS = st.none() | st.booleans() | st.integers(-10**12, 10**12) | \
    st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30)


def _hcl_string(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    out = out.replace("\t", "\\t").replace("${", "$${").replace("%{", "%%{")
    return f'"{out}"'


ANY_CHARACTER = st.characters(codec="utf-8", exclude_categories=("Cs",))


@st.composite
def hcl_expression(draw, depth=0, chars=ANY_CHARACTER):
    """A valid HCL expression: literals, templates, references, calls, collections, operators,
    conditionals and for expressions; strings drawn from chars."""
    leaves = st.one_of(
        st.integers(0, 10**6).map(str),
        st.sampled_from(["true", "false", "null", "1.5", "0.25e3"]),
        st.text(chars, max_size=12).map(_hcl_string),
        st.tuples(IDENT, IDENT).map(lambda t: f"var.{t[0]}"),
        st.tuples(IDENT, IDENT).map(lambda t: f"local.{t[0]}"),
        st.tuples(IDENT, IDENT, IDENT).map(lambda t: f"aws_{t[0]}.{t[1]}.{t[2]}"),
        IDENT.map(lambda n: f'"eu-${{var.{n}}}-1"'),
    )
    if depth >= 3:
        return draw(leaves)
    sub = hcl_expression(depth + 1, chars)
    kind = draw(st.integers(0, 8))
    if kind == 0:
        return "[" + ", ".join(draw(st.lists(sub, max_size=3))) + "]"
    if kind == 1:
        items = draw(st.lists(st.tuples(IDENT, sub), max_size=3, unique_by=lambda t: t[0]))
        return "{" + ", ".join(f"{k} = {v}" for k, v in items) + "}"
    if kind == 2:
        fn = draw(st.sampled_from(["lookup", "coalesce", "merge", "concat", "length", "upper", "format", "tostring"]))
        return f"{fn}(" + ", ".join(draw(st.lists(sub, max_size=3))) + ")"
    if kind == 3:
        return f"{draw(sub)} ? {draw(sub)} : {draw(sub)}"
    if kind == 4:
        op = draw(st.sampled_from(["+", "-", "*", "==", "!=", "&&", "||", "<", ">="]))
        return f"({draw(sub)} {op} {draw(sub)})"
    if kind == 5:
        return f"[for x in {draw(sub)} : x]"
    if kind == 6:
        return f"{{for k, v in {draw(sub)} : k => v}}"
    if kind == 7:
        return f"{draw(sub)}[{draw(sub)}]"
    return draw(leaves)


@st.composite
def hcl_body(draw, depth=0, chars=ANY_CHARACTER):
    lines = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 2 and draw(st.booleans()):
            kind = draw(st.sampled_from(["resource", "data", "provider", "module", "variable", "locals", "nested"]))
            labels = {"resource": 2, "data": 2, "provider": 1, "module": 1, "variable": 1, "locals": 0, "nested": 0}[kind]
            name = kind if kind != "nested" else draw(IDENT)
            if kind == "resource":
                head = f'resource "{draw(st.sampled_from(["aws_s3_bucket", "aws_db_instance", "azurerm_storage_account", "google_sql_database_instance", "ovh_cloud_project_database", "scaleway_rdb_instance", "scalingo_app"]))}" "{draw(IDENT)}"'
            else:
                head = name + "".join(f' "{draw(IDENT)}"' for _ in range(labels))
            lines.append(f"{head} {{\n{draw(hcl_body(depth + 1, chars))}}}")
        else:
            lines.append(f"{draw(IDENT)} = {draw(hcl_expression(chars=chars))}")
    if draw(st.booleans()):
        lines.insert(0, draw(st.sampled_from(["# comment", "// comment", "/* block\ncomment */"])))
    return "\n".join(lines) + ("\n" if lines else "")


def mutated(text_strategy):
    """Valid text, then broken the way files get broken: cut short, a slice dropped, bytes
    inserted (control characters, NULs, unpaired braces and quotes included)."""
    pieces = list('{}[]()"\'$%\\\n\t=:,#*/<>\x00\x1b\u00e9\u2028\ufeff') + ["${", "%{", "<<EOF\n", "EOF"]
    noise = st.lists(st.sampled_from(pieces), max_size=6).map("".join)

    @st.composite
    def build(draw):
        text = draw(text_strategy)
        if not text:
            return text
        a = draw(st.integers(0, len(text)))
        b = draw(st.integers(a, min(len(text), a + 20)))
        op = draw(st.integers(0, 2))
        if op == 0:
            return text[:a]
        if op == 1:
            return text[:a] + text[b:]
        return text[:a] + draw(noise) + text[a:]
    return build()


ANY_TEXT = st.text(max_size=300)
HCL_TEXTS = hcl_body() | mutated(hcl_body()) | ANY_TEXT
JSON_TEXTS = JSON_VALUES.map(json.dumps) | mutated(JSON_VALUES.map(lambda v: json.dumps(v, indent=1))) | ANY_TEXT
YAML_TEXTS = JSON_VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True)) | \
    mutated(JSON_VALUES.map(yaml.safe_dump)) | ANY_TEXT | \
    st.sampled_from(["a: &x [*x]", "a: !!python/object:os.system x", "? [a]\n: b", "%YAML 1.1\n---\n{", "a: *nope"])

# ---- each parser -----------------------------------------------------------------------------------


# A hang is a failure too: each call gets a time budget, past which BudgetExceeded fails the
# example (the first long run found a parser loop this way).
LIMIT = 3.0


@given(hcl_body())
def test_valid_hcl_always_parses(text):
    with budget.limit(LIMIT):
        hcl_parse(text)


@given(HCL_TEXTS)
def test_hcl_parser_returns_or_raises_hcl_error(text):
    try:
        with budget.limit(LIMIT):
            hcl_parse(text)
    except HCLError as e:
        assert 1 <= e.line <= text.count("\n") + 1 and e.message


@given(JSON_VALUES, st.sampled_from([None, 0, 2]))
def test_json_reader_agrees_with_the_standard_library(value, indent):
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    assert jsonpos.loads(text) == json.loads(text)


@given(JSON_TEXTS)
def test_json_reader_returns_or_raises_json_error(text):
    try:
        with budget.limit(LIMIT):
            ours = jsonpos.loads(text)
    except jsonpos.JSONError as e:
        assert 1 <= e.line <= text.count("\n") + 1 and e.message
        return
    # what we accept, the standard library accepts and reads the same
    assert json.loads(text) == ours


@given(JSON_VALUES)
def test_yaml_reader_agrees_with_pyyaml_safe_load(value):
    text = yaml.safe_dump(value, allow_unicode=True)
    docs = yamlpos.load_all(text)
    assert [d for d, _ in docs] == [yaml.safe_load(text)]


@given(YAML_TEXTS)
def test_yaml_reader_returns_or_raises_yaml_error(text):
    try:
        with budget.limit(LIMIT):
            yamlpos.load_all(text)
    except yamlpos.YAMLError as e:
        assert e.line >= 1 and e.message


@given(st.binary(max_size=200))
def test_decoding_bytes_returns_text_or_unreadable(raw):
    try:
        assert isinstance(files.decode(raw), str)
    except files.Unreadable as e:
        assert e.message


# ---- the whole pipeline ------------------------------------------------------------------------------

# every Terraform fixture is a seed: real constructs, then broken by mutated()
SEEDS = sorted(p for p in FIXTURES.rglob("*.tf") if "hostile" not in p.parts)
SEED_TEXTS = st.sampled_from(SEEDS).map(lambda p: p.read_text(encoding="utf-8", errors="replace"))
K8S = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  template:\n    spec:\n      containers: []\n"
SCALINGO = '{"name": "app", "env": {"REGION": "osc-fr1"}, "formation": {"web": {"amount": 2}}, "addons": ["postgresql:postgresql-business-1024"]}'
PLAN = '{"format_version": "1.2", "terraform_version": "1.11.4", "planned_values": {"root_module": {"resources": []}}}'

FILE_CONTENT = {
    "main.tf": HCL_TEXTS | mutated(SEED_TEXTS) | SEED_TEXTS,
    "other.tf.json": JSON_TEXTS,
    "terraform.tfvars": HCL_TEXTS,
    "k8s.yaml": YAML_TEXTS.map(lambda t: "apiVersion: v1\nkind: ConfigMap\n" + t) | mutated(st.just(K8S)),
    "scalingo.json": JSON_TEXTS | mutated(st.just(SCALINGO)),
    "plan.json": mutated(st.just(PLAN)),
    "raw.tf": st.binary(max_size=100),
}


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(st.fixed_dictionaries({}, optional=FILE_CONTENT))
def test_a_scan_of_any_tree_reports_and_never_raises(tree):
    assume(tree)
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in tree.items():
            path = Path(tmp) / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        result = scan(tmp, file_time_budget=LIMIT)
    internal = [f.message for f in result.findings if f.rule_id == "HDS-PARSE-005"]
    assert internal == []
    assert not [f.message for f in result.findings if "took more than" in f.message]  # a hang, caught
    assert result.files_discovered == result.files_analysed + result.files_reported
    for f in result.findings:
        assert f.rule_id.startswith("HDS-") and f.line >= 0 and f.message
