"""The rule contract (hdslint.model.rule): every rule module declares what it looks at and is
called by the engine accordingly; no rule id is special-cased outside its own module."""
from __future__ import annotations

import inspect
import re

import pytest
from conftest import ROOT

from hdslint.model import Rule
from hdslint.model.findings import FAMILIES
from hdslint.rules import all_rules

MODULES = all_rules()


def test_rules_are_found_in_every_family_folder():
    folders = {p.name for p in (ROOT / "hdslint" / "rules").iterdir() if (p / "__init__.py").exists()}
    found = {m.__name__.split(".")[2] for m in MODULES}
    assert found == folders - {"__pycache__"}
    assert folders - {"__pycache__"} <= set(FAMILIES)
    assert len(MODULES) == len({m.RULE.id for m in MODULES}) >= 29


@pytest.mark.parametrize("mod", MODULES, ids=lambda m: m.RULE.id)
def test_each_rule_declares_its_subject_and_checks_accordingly(mod):
    rule = mod.RULE
    assert mod.__name__.split(".")[2] == rule.family
    assert rule.doc.startswith(f"{rule.id} {rule.name}:"), "the docstring opens with the id and name"
    assert "Passing example" in rule.doc and "Failing example" in rule.doc
    if rule.phase == "triage":
        assert not hasattr(mod, "check"), "triage rules are reported while suppressions are applied"
        return
    if rule.phase == "review":
        assert not hasattr(mod, "check"), "review rules revise the findings of the check phase"
        assert list(inspect.signature(mod.review).parameters) == ["ctx", "findings"]
        return
    params = list(inspect.signature(mod.check).parameters)
    assert params == (["ctx"] if rule.looks_at == "scan" else ["ctx", "res"])


def test_a_rule_with_an_unknown_family_subject_or_phase_is_refused():
    base = {"id": "X-1", "name": "x", "severity": "low", "title": "t", "basis": "b", "remediation": "r"}
    Rule(family="backup", looks_at="data_store", **base)
    for bad in ({"family": "nope"}, {"family": "backup", "looks_at": "everything"},
                {"family": "backup", "phase": "later"}, {"family": "backup", "judges": ("colour",)}):
        with pytest.raises(ValueError):
            Rule(**{**base, **bad})


@pytest.mark.parametrize("path", ["hdslint/engine.py", "hdslint/config.py", "hdslint/rules/__init__.py",
                                  "hdslint/rules/context.py"])
def test_no_rule_id_is_named_by_the_engine_or_the_configuration(path):
    assert not re.findall(r"HDS-[A-Z]+-\d{3}", (ROOT / path).read_text(encoding="utf-8"))


def test_a_failing_rule_on_one_resource_is_an_internal_error_and_the_others_still_run(tmp_path, monkeypatch):
    from conftest import scan

    from hdslint.rules.backup import missing

    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "eu-west-3"\n}\n'
                                      'resource "aws_db_instance" "a" {\n  backup_retention_period = 0\n}\n'
                                      'resource "aws_db_instance" "b" {\n  backup_retention_period = 0\n}\n')
    real = missing.check

    def flaky(ctx, res):
        if res.name == "a":
            raise RuntimeError("boom")
        return real(ctx, res)

    monkeypatch.setattr(missing, "check", flaky)
    result = scan(tmp_path)
    got = [(f.rule_id, f.resource, f.line) for f in result.findings if f.rule_id in ("HDS-BAK-001", "HDS-PARSE-005")]
    assert got == [("HDS-PARSE-005", "", 4), ("HDS-BAK-001", "aws_db_instance.b", 8)]
    internal = next(f for f in result.findings if f.rule_id == "HDS-PARSE-005")
    assert "rule HDS-BAK-001" in internal.message and "boom" in internal.message
