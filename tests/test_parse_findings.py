"""Files that cannot be read or understood are reported with file and line; the rest is scanned."""
from __future__ import annotations

import os

from conftest import FIXTURES, NOT_COVERAGE, finding, line_of, rows, scan

TF = FIXTURES / "terraform"


def test_each_broken_file_is_reported_and_the_scan_goes_on():
    d = TF / "parse_errors"
    result = scan(d)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-PARSE-001", "", "binary.tf.json", 1),
        ("HDS-PARSE-001", "", "broken.tf", line_of(d / "broken.tf", '"missing-quote')),
        ("HDS-LOC-001", "aws_efs_file_system.shared", "good.tf", line_of(d / "good.tf", '"aws_efs_file_system"')),
        ("HDS-PARSE-001", "", "latin1.tf", 2),
        ("HDS-PARSE-001", "", "trailing_comma.tf.json", 1),
    ]
    messages = {f.file: f.message for f in result.findings if f.family == "parse"}
    assert messages["binary.tf.json"] == "binary.tf.json is a binary file (it contains NUL bytes), not text"
    assert messages["broken.tf"] == "syntax error: unterminated string"
    assert messages["latin1.tf"] == "latin1.tf is not valid UTF-8 (byte 0xe9 on line 2)"
    assert all(f.severity == "high" for f in result.findings if f.family != "coverage")
    assert (result.files_discovered, result.files_analysed, result.files_reported) == (5, 1, 4)


def test_size_limit(tmp_path):
    (tmp_path / "big.tf").write_text("# padding\n" * 200 + 'resource "aws_s3_bucket" "b" {}\n')
    result = scan(tmp_path, max_file_size=1024)
    f = finding(result, "HDS-PARSE-001")
    assert "above the 1,024-byte limit" in f.message


def test_bom_and_crlf_files_are_read(tmp_path):
    (tmp_path / "main.tf").write_bytes(b'\xef\xbb\xbfprovider "aws" {\r\n  region = "us-west-1"\r\n}\r\n'
                                       b'resource "aws_sqs_queue" "q" {\r\n  name = "q"\r\n}\r\n')
    (tmp_path / "utf16.tf").write_bytes('resource "aws_sqs_queue" "r" {\n  name = "r"\n}\n'.encode("utf-16"))
    result = scan(tmp_path)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_sqs_queue.q", "main.tf", 4),
        ("HDS-LOC-001", "aws_sqs_queue.r", "utf16.tf", 1),
    ]


def test_deep_nesting_is_a_finding_not_a_crash(tmp_path):
    (tmp_path / "deep.tf").write_text("x = " + "[" * 10000 + "]" * 10000 + "\n")
    (tmp_path / "deep.tf.json").write_text('{"locals": {"x": ' + "[" * 10000 + "]" * 10000 + "}}")
    result = scan(tmp_path)
    assert [(f.rule_id, f.file) for f in result.findings] == [
        ("HDS-PARSE-001", "deep.tf"), ("HDS-PARSE-001", "deep.tf.json")]
    assert all("nesting deeper than" in f.message for f in result.findings)


def test_symlink_out_of_the_root_is_reported_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.tf").write_text('provider "aws" { region = "us-east-1" }\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "main.tf").write_text('resource "azurerm_storage_account" "a" {\n  location = "westeurope"\n}\n')
    os.symlink(outside / "secret.tf", repo / "linked.tf")
    os.symlink(outside, repo / "linked_dir")
    result = scan(repo)
    assert sorted((f.rule_id, f.file) for f in result.findings if f.family == "parse") == [
        ("HDS-PARSE-001", "linked.tf"), ("HDS-PARSE-001", "linked_dir")]
    assert all("not followed" in f.message for f in result.findings if f.family == "parse")


def test_tool_directories_are_skipped(tmp_path):
    for d in (".terraform/modules/x", "node_modules/pkg", ".git"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  region = "us-east-1"\n}\n')
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "ok" {\n  region = "eu-west-3"\n}\n')
    result = scan(tmp_path)
    assert rows(result, families=NOT_COVERAGE) == [] and result.files_discovered == 1


def test_exclude_patterns(tmp_path):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "main.tf").write_text('resource "aws_s3_bucket" "b" {\n  region = "us-east-1"\n}\n')
    assert rows(families=NOT_COVERAGE, result=scan(tmp_path, exclude=["legacy"])) == []
    assert len(rows(families=NOT_COVERAGE, result=scan(tmp_path))) == 1
