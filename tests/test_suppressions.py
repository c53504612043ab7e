"""Inline suppressions: reason mandatory, expiry honoured, findings kept and marked."""
from __future__ import annotations

from conftest import FIXTURES, NOT_COVERAGE, line_of, rows, scan

D = FIXTURES / "terraform" / "suppressions"
MAIN = D / "main.tf"


def test_valid_suppressions_mark_findings_and_bad_ones_are_reported():
    result = scan(D)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_s3_bucket.logs", "main.tf", line_of(MAIN, '"aws_s3_bucket" "logs"')),
        ("HDS-SUP-002", "", "main.tf", line_of(MAIN, "until=2024-01-31")),
        ("HDS-SUP-001", "", "main.tf", line_of(MAIN, "# hdslint:ignore HDS-LOC-001", 3)),
        ("HDS-LOC-001", "aws_s3_bucket.exports", "main.tf", line_of(MAIN, '"aws_s3_bucket" "exports"')),
        ("HDS-LOC-001", "aws_sqs_queue.other", "main.tf", line_of(MAIN, '"aws_sqs_queue" "other"')),
        ("HDS-SUP-001", "", "main.tf", line_of(MAIN, "HDS-XYZ-001")),
        ("HDS-LOC-001", "aws_sqs_queue.third", "main.tf", line_of(MAIN, '"aws_sqs_queue" "third"')),
    ]
    assert rows(result, suppressed=True, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_s3_bucket.public_assets", "main.tf", line_of(MAIN, '"aws_s3_bucket" "public_assets"')),
        ("HDS-LOC-001", "aws_sqs_queue.sandbox", "main.tf", line_of(MAIN, '"aws_sqs_queue" "sandbox"')),
    ]
    public = next(f for f in result.findings if f.resource == "aws_s3_bucket.public_assets" and f.rule_id == "HDS-LOC-001")
    assert public.suppression == {"kind": "inline", "file": "main.tf", "line": line_of(MAIN, "until=2099-12-31"),
                                  "reason": "Public, non-health assets only; reviewed by the DPO",
                                  "until": "2099-12-31"}
    messages = {f.line: f.message for f in result.findings if f.rule_id.startswith("HDS-SUP")}
    assert "has no reason" in messages[line_of(MAIN, "# hdslint:ignore HDS-LOC-001", 3)]
    assert "names a rule hdslint does not have (HDS-XYZ-001)" in messages[line_of(MAIN, "HDS-XYZ-001")]


def test_audit_mode_ignores_inline_suppressions():
    result = scan(D, inline_suppressions=False)
    assert rows(result, suppressed=True, families=NOT_COVERAGE) == []
    assert ("HDS-LOC-001", "aws_s3_bucket.public_assets") in [(r[0], r[1]) for r in rows(result, families=NOT_COVERAGE)]
    assert not any(r[0].startswith("HDS-SUP") for r in rows(result, families=NOT_COVERAGE))


def test_suppressed_findings_do_not_fail_the_scan(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "us-east-1"\n}\n'
        '# hdslint:ignore HDS-LOC-001 reason="synthetic data only"\n'
        'resource "aws_s3_bucket" "b" {}\n')
    result = scan(tmp_path)
    assert rows(result, families=NOT_COVERAGE) == []
    assert [f.rule_id for f in result.failing("low") if f.family in NOT_COVERAGE] == []
    assert len(rows(result, suppressed=True, families=NOT_COVERAGE)) == 1


def test_one_comment_may_name_several_rules(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {}\n'
        '# hdslint:ignore HDS-LOC-002, HDS-COV-007 reason="region set by the pipeline (AWS_REGION=eu-west-3)"\n'
        'resource "aws_s3_bucket" "b" {}\n')
    result = scan(tmp_path)
    assert sorted(r[0] for r in rows(result, suppressed=True)) == ["HDS-COV-007", "HDS-LOC-002"]
    assert rows(result, families=NOT_COVERAGE) == []
