"""Hostile and broken input: every file is analysed or reported, with file and line, in bounded
time and memory; nothing runs, nothing is fetched."""
from __future__ import annotations

import os
import socket
import time

import pytest
from conftest import FIXTURES, rows, scan

HOSTILE = FIXTURES / "hostile"
PARSE = ("parse",)


def test_hostile_corpus_exact_findings():
    start = time.perf_counter()
    result = scan(HOSTILE)
    elapsed = time.perf_counter() - start
    assert rows(result, families=PARSE) == [
        ("HDS-PARSE-001", "", "alias_bomb.yaml", 4),
        ("HDS-PARSE-001", "", "binary.tf", 1),
        ("HDS-PARSE-004", "", "chart/templates/deployment.yaml", 4),
        ("HDS-PARSE-001", "", "custom_tag.yaml", 4),
        ("HDS-PARSE-001", "", "deep.tf", 2),
        ("HDS-PARSE-001", "", "deep.tf.json", 1),
        ("HDS-PARSE-001", "", "deep.yaml", 5),
        ("HDS-PARSE-001", "", "latin1.tf", 2),
        ("HDS-PARSE-001", "", "not-yaml.yaml", 3),
        ("HDS-PARSE-001", "", "prod.tfvars", 1),
        ("HDS-PARSE-001", "", "scalingo.json", 1),
        ("HDS-PARSE-001", "", "syntax_error.tf", 7),
    ]
    msg = {f.file: f.message for f in result.findings if f.family == "parse"}
    assert "alias bomb" in msg["alias_bomb.yaml"]
    assert "custom tag" in msg["custom_tag.yaml"] and "os.system" in msg["custom_tag.yaml"]
    assert all("nesting" in msg[f] for f in ("deep.tf", "deep.tf.json", "deep.yaml"))
    assert msg["binary.tf"] == "binary.tf is a binary file (it contains NUL bytes), not text"
    # UTF-16, BOM, CRLF and empty files are read like any other
    addresses = {r.address for r in result.context.resources}
    assert {"aws_s3_bucket.utf16", "aws_s3_bucket.bom", "aws_s3_bucket.crlf", "aws_s3_bucket.big"} <= addresses
    # nothing skipped in silence
    assert result.files_discovered == result.files_analysed + result.files_reported == 17
    assert elapsed < 10


def test_size_limit_on_the_corpus():
    result = scan(HOSTILE / "big.tf", max_file_size=4096)
    assert rows(result, families=PARSE) == [("HDS-PARSE-001", "", "big.tf", 1)]
    assert "above the 4,096-byte limit" in result.findings[0].message


def test_unreadable_and_dangling_files_are_reported(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    os.symlink(tmp_path / "missing.tf", tmp_path / "dangling.tf")
    result = scan(tmp_path)
    got = {f.file: f.message for f in result.findings if f.family == "parse"}
    assert "dangling.tf" in got and "cannot be read" in got["dangling.tf"]


def test_symlink_loops_are_not_followed(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    os.symlink(tmp_path, tmp_path / "loop")
    os.symlink(tmp_path / "a", tmp_path / "b")
    os.symlink(tmp_path / "b", tmp_path / "a")
    result = scan(tmp_path)
    assert result.files_discovered == 1 and [r.address for r in result.context.resources] == ["aws_s3_bucket.b"]


def test_tens_of_thousands_of_files(tmp_path):
    for i in range(100):
        d = tmp_path / f"m{i:03d}"
        d.mkdir()
        for j in range(200):
            (d / f"f{j:03d}.tf").write_text("" if j else f'resource "aws_sqs_queue" "q{i}" {{}}\n')
    start = time.perf_counter()
    result = scan(tmp_path)
    elapsed = time.perf_counter() - start
    assert result.files_discovered == 20000 == result.files_analysed
    assert len(result.context.resources) == 100
    assert elapsed < 60


def test_time_budget_reports_a_slow_file(tmp_path, monkeypatch):
    from hdslint.syntax.hcl import parser

    real = parser.parse

    def slow(text):
        if "slow" in text:
            time.sleep(5)
        return real(text)

    monkeypatch.setattr(parser, "parse", slow)
    (tmp_path / "slow.tf").write_text("# slow\n")
    (tmp_path / "fast.tf").write_text('resource "aws_sqs_queue" "q" {}\n')
    start = time.perf_counter()
    result = scan(tmp_path, file_time_budget=0.5)
    assert time.perf_counter() - start < 4
    assert rows(result, families=PARSE) == [("HDS-PARSE-001", "", "slow.tf", 1)]
    assert "took more than 0.5 s to parse" in result.findings[0].message or any(
        "took more than 0.5 s" in f.message for f in result.findings)
    assert [r.address for r in result.context.resources] == ["aws_sqs_queue.q"]


def test_a_scan_makes_no_network_access(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args[:2]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for d in sorted(p for p in FIXTURES.rglob("*") if p.is_dir() and not any(
            part.startswith(".") for part in p.relative_to(FIXTURES).parts)):
        if any(f.is_file() for f in d.iterdir()):
            scan(d)


@pytest.mark.parametrize("name", ["binary.tf", "syntax_error.tf", "alias_bomb.yaml"])
def test_nothing_from_the_scanned_tree_is_written(tmp_path, name):
    import shutil

    shutil.copy(HOSTILE / name, tmp_path / name)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    scan(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


def test_pipes_are_refused_not_read(tmp_path):
    # opening a FIFO for reading blocks until a writer comes: the scan must never try
    for name in ("main.tf", "values.yaml", "terraform.tfvars", "plan.json"):
        os.mkfifo(tmp_path / name)
    result = scan(tmp_path)
    got = sorted((f.file, "not a regular file" in f.message) for f in result.findings if f.family == "parse")
    assert got == [("main.tf", True), ("plan.json", True), ("terraform.tfvars", True), ("values.yaml", True)]


def test_kubernetes_metadata_that_is_a_string_never_crashes(tmp_path):
    # found by tests/test_fuzz.py: `metadata:` followed by a bare scalar
    (tmp_path / "k8s.yaml").write_text("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  (\nname: db\nspec:\n"
                                       "  template:\n    spec:\n      containers: []\n")
    assert rows(scan(tmp_path)) == [("HDS-LOC-005", "", "k8s.yaml", 1)]
