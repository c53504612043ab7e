"""Terraform plan JSON: planned_values, child modules, provider regions through the plan's
variables, computed values that are not locations."""
from __future__ import annotations

import json

from conftest import FIXTURES, NOT_COVERAGE, finding, line_of, rows, scan

from hdslint.model.values import render_chain

PLAN = FIXTURES / "plan" / "aws_modules" / "plan.json"


def test_plan_resources_modules_and_provider_regions():
    result = scan(PLAN)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_s3_bucket.exports", "plan.json", line_of(PLAN, '"address": "aws_s3_bucket.exports"') - 1),
    ]
    f = finding(result, "HDS-LOC-001", "aws_s3_bucket.exports")
    chain = render_chain(f.chain)
    assert "provider.aws region = var.region" in chain and 'var.region = "us-east-1" (plan variables)' in chain
    places = {r.address: [p.region.code for p in r.location.places] for r in result.context.resources}
    assert places == {
        "aws_s3_bucket.exports": ["us-east-1"],
        "aws_s3_bucket.records": ["eu-west-3"],  # provider = aws.paris
        "module.db.aws_db_instance.this": ["eu-west-3"],  # providers = { aws = aws.paris }
        "module.db.aws_ebs_volume.scratch": ["eu-west-3a"],
    }
    providers = {r.address: r.provider_address for r in result.context.resources}
    assert providers["aws_s3_bucket.records"] == "provider.aws.paris"


def test_the_same_configuration_in_hcl_gives_the_same_verdict():
    result = scan(PLAN.parent / "source")
    assert [(r[0], r[1]) for r in rows(result, families=NOT_COVERAGE)] == [("HDS-LOC-001", "aws_s3_bucket.exports")]


def test_a_plan_without_configuration_is_undetermined_not_guessed(tmp_path):
    doc = json.loads(PLAN.read_text())
    del doc["configuration"]
    (tmp_path / "plan.json").write_text(json.dumps(doc, indent=1))
    result = scan(tmp_path / "plan.json")
    got = {(f.rule_id, f.resource) for f in result.findings}
    assert ("HDS-LOC-002", "aws_s3_bucket.exports") in got
    assert ("HDS-LOC-001", "aws_s3_bucket.exports") not in got


def test_unsupported_or_broken_plans_are_parse_findings(tmp_path):
    (tmp_path / "v9.json").write_text('{"format_version": "9.0", "terraform_version": "9", "planned_values": {}}')
    (tmp_path / "broken.json").write_text('{"format_version": "1.2", "terraform_version": "1.9",\n'
                                          '"planned_values": {"root_module": {')
    result = scan(tmp_path)
    assert rows(result, families=NOT_COVERAGE) == [("HDS-PARSE-001", "", "broken.json", 2), ("HDS-PARSE-001", "", "v9.json", 1)]
    messages = {f.file: f.message for f in result.findings}
    assert messages["v9.json"] == "unsupported plan format_version '9.0' (hdslint reads 0.x and 1.x)"


def test_other_json_files_are_not_taken_for_plans(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "app", "version": "1.0.0"}')
    result = scan(tmp_path)
    assert result.files_discovered == 0 and rows(result, families=NOT_COVERAGE) == []
