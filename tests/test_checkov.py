"""hdslint alongside the real checkov: running it, reading its report, merging, failing clearly.

checkov runs as a separate program from its own environment (conftest.checkov_bin installs
the pinned version when it is not there); nothing here fakes checkov's output except the
tests of how hdslint fails when checkov itself fails.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, TODAY, line_of

from hdslint import engine
from hdslint.config import Config
from hdslint.triage import checkov

STACK = FIXTURES / "checkov" / "stack"
MAPPING = yaml.safe_load((ROOT / "policies" / "checkov" / "mapping.yaml").read_text(encoding="utf-8"))


def hdslint_cli(*args, cwd=STACK):
    return subprocess.run([sys.executable, "-m", "hdslint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def scan_with(path, reports, **config):
    cwd = os.getcwd()
    os.chdir(path)
    try:
        return engine.scan(["."], Config(**config), today=TODAY, env={}, checkov_reports=reports)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def stack_reports(checkov_bin):
    return checkov.run([str(STACK)], checkov_bin)


# ---- merging ----------------------------------------------------------------------------------------

def test_merged_findings_on_the_stack(stack_reports):
    result = scan_with(STACK, stack_reports)
    f = STACK / "main.tf"
    records, scans = line_of(f, '"aws_db_instance" "records"'), line_of(f, '"aws_s3_bucket" "scans"')
    got = [(x.rule_id, x.resource, x.line, x.severity, x.source) for x in result.findings
           if x.family in ("encryption", "backup", "exposure", "traceability") and not x.suppressed]
    volume = line_of(f, '"aws_ebs_volume" "scratch"')
    assert got == [
        ("CKV_AWS_17", "aws_db_instance.records", records, "high", "checkov"),
        ("CKV2_AWS_30", "aws_db_instance.records", records, "medium", "checkov"),
        ("CKV_AWS_129", "aws_db_instance.records", records, "medium", "checkov"),
        ("HDS-ENC-002", "aws_db_instance.records", records, "medium", "hdslint"),
        ("CKV_AWS_157", "aws_db_instance.records", records, "low", "checkov"),
        ("CKV_AWS_293", "aws_db_instance.records", records, "low", "checkov"),
        ("HDS-ENC-001", "aws_db_instance.records", line_of(f, "storage_encrypted"), "high", "hdslint"),
        ("CKV2_AWS_6", "aws_s3_bucket.scans", scans, "high", "checkov"),
        ("HDS-ENC-003", "aws_s3_bucket.scans", scans, "high", "hdslint"),
        ("CKV_AWS_18", "aws_s3_bucket.scans", scans, "medium", "checkov"),
        ("CKV_AWS_145", "aws_s3_bucket.scans", scans, "low", "checkov"),
        # S3 keeps versions across availability zones: a separate site under the default policy
        ("CKV_AWS_144", "aws_s3_bucket.scans", scans, "info", "checkov"),
        ("HDS-BAK-001", "aws_ebs_volume.scratch", volume, "high", "hdslint"),
        ("CKV_AWS_189", "aws_ebs_volume.scratch", volume, "low", "checkov"),
    ]
    families = {x.rule_id: x.family for x in result.findings}
    assert (families["CKV_AWS_17"], families["CKV_AWS_18"], families["CKV_AWS_157"]) == (
        "exposure", "traceability", "backup")
    # the duplicate is not repeated: hdslint's finding stands and carries checkov's id
    enc = next(x for x in result.findings if x.rule_id == "HDS-ENC-001")
    assert enc.related == ("CKV_AWS_16",)
    assert not any(x.rule_id == "CKV_AWS_16" for x in result.findings)
    assert result.context.checkov["merged"] == 1


def test_checkov_skips_and_hdslint_comments_suppress(stack_reports):
    result = scan_with(STACK, stack_reports)
    f = STACK / "main.tf"
    suppressed = {(x.rule_id, x.resource, x.line): x.suppression["reason"] for x in result.findings if x.suppressed}
    assert suppressed == {
        ("CKV_AWS_3", "aws_ebs_volume.scratch", line_of(f, '"aws_ebs_volume" "scratch"')): "scratch space, no health data",
        ("CKV_AWS_158", "aws_cloudwatch_log_group.app", line_of(f, '"aws_cloudwatch_log_group" "app"')):
            "logs hold no health data; AWS encrypts them with its own key",
    }
    assert not [x for x in result.findings if x.family == "suppression"]


def test_a_mapped_check_is_configured_like_a_rule(stack_reports):
    result = scan_with(STACK, stack_reports, rules={"CKV_AWS_18": {"enabled": False},
                                                    "CKV_AWS_17": {"severity": "critical"}})
    assert not [x for x in result.findings if x.rule_id == "CKV_AWS_18"]
    assert [x.severity for x in result.findings if x.rule_id == "CKV_AWS_17"] == ["critical"]
    assert result.context.checkov["disabled"] == 1


def test_a_check_judged_compliant_by_hdslint_is_kept_as_info(checkov_bin):
    """checkov fails a storage account that leaves min_tls_version to azurerm's default
    (TLS1_2); hdslint knows the default: checkov's finding stays, as info, with hdslint's reason."""
    fixture = FIXTURES / "backup" / "azure_sites"
    result = scan_with(fixture, checkov.run([str(fixture)], checkov_bin))
    got = [(x.resource, x.severity) for x in result.findings if x.rule_id == "CKV_AZURE_44"]
    assert sorted(got) == [("azurerm_storage_account.gzrs", "info"), ("azurerm_storage_account.lrs", "info"),
                           ("azurerm_storage_account.zrs", "info")]
    msg = next(x.message for x in result.findings if x.rule_id == "CKV_AZURE_44")
    assert "hdslint finds it encrypted in transit: " in msg and msg.endswith("(the provider's default).")
    assert result.context.checkov["downgraded"] >= 3


# ---- the two modes, end to end --------------------------------------------------------------------

def test_run_mode_and_report_mode_give_the_same_report(checkov_bin, tmp_path):
    report = tmp_path / "checkov.json"
    made = subprocess.run([checkov_bin, "-d", ".", "-o", "json", "--compact", "--soft-fail", "--skip-download"],
                          cwd=STACK, capture_output=True, text=True, timeout=600)
    report.write_text(made.stdout)
    ran = hdslint_cli("scan", ".", "--format", "json", "--today", "2026-11-29", "--checkov-bin", checkov_bin)
    read = hdslint_cli("scan", ".", "--format", "json", "--today", "2026-11-29", "--checkov-report", str(report))
    assert ran.returncode == read.returncode == 1, ran.stderr + read.stderr
    a, b = json.loads(ran.stdout), json.loads(read.stdout)
    assert a["findings"] == b["findings"]
    assert any(f.get("source") == "checkov" for f in a["findings"])
    schema = json.loads((ROOT / "policies" / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(a, schema)


def test_sarif_lists_imported_checks_as_rules(stack_reports, tmp_path):
    from hdslint.report import RenderOptions, render

    result = scan_with(STACK, stack_reports)
    doc = json.loads(render("sarif", result, RenderOptions(fail_on="medium", color=False)))
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for res in run["results"]:
        assert ids[res["ruleIndex"]] == res["ruleId"]
    ckv = next(r for r in run["tool"]["driver"]["rules"] if r["id"] == "CKV_AWS_17")
    assert "checkov" in ckv["properties"]["tags"] and ckv["shortDescription"]["text"].startswith("Ensure")


# ---- failing clearly -------------------------------------------------------------------------------

def _fake(tmp_path, body: str):
    exe = tmp_path / "fake-checkov"
    exe.write_text("#!/bin/sh\n" + body + "\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return str(exe)


@pytest.mark.parametrize("body,message", [
    ("echo 'boom: cannot parse' >&2; exit 2", "checkov exited with code 2:\n  boom: cannot parse"),
    ("echo 'not json'", "checkov's output is not checkov JSON"),
    ("echo '{\"x\": 1}'", "checkov's output is not a checkov JSON report (no 'results')"),
])
def test_a_failing_checkov_is_an_error_with_exit_2(tmp_path, body, message):
    out = hdslint_cli("scan", ".", "--checkov-bin", _fake(tmp_path, body))
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith(f"hdslint: {message}")


def test_missing_checkov_is_an_error_with_exit_2(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "hdslint", "scan", ".", "--checkov"], cwd=STACK,
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 2
    assert "checkov is not on PATH" in out.stderr and "--checkov-bin" in out.stderr
    out = hdslint_cli("scan", ".", "--checkov-bin", str(tmp_path / "nope"))
    assert out.returncode == 2 and "not an executable file" in out.stderr


def test_unreadable_report_is_an_error_with_exit_2(tmp_path):
    bad = tmp_path / "report.json"
    bad.write_bytes(b"\xff\xfe garbage")
    out = hdslint_cli("scan", ".", "--checkov-report", str(bad))
    assert out.returncode == 2 and "checkov-report" in out.stderr and "Traceback" not in out.stderr


def test_an_empty_checkov_summary_imports_nothing():
    assert checkov.parse_report('{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, '
                                '"resource_count": 0, "checkov_version": "3.3.30"}', "x") == []


# ---- the mapping -------------------------------------------------------------------------------------

def test_every_mapped_check_exists_in_checkov(checkov_bin):
    listed = subprocess.run([checkov_bin, "--list"], capture_output=True, text=True, timeout=600).stdout
    ids = {cell.strip() for line in listed.splitlines() for cell in line.split("|")[2:3]}
    missing = sorted(set(MAPPING["checks"]) - ids)
    assert missing == []


def test_the_mapping_covers_the_checks_its_documentation_lists():
    """README's table of checks (the HDS ones a user expects) must all be mapped."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- checkov-checks -->")[1].split("<!-- /checkov-checks -->")[0]
    import re

    documented = set(re.findall(r"\bCKV2?_[A-Z0-9]+_\d+\b", section))
    assert len(documented) >= 40
    assert sorted(documented - set(MAPPING["checks"])) == []


# ---- differential: both tools on the encryption and backup fixtures ---------------------------------

DIFF_FIXTURES = sorted(p for d in ("encryption", "backup") for p in (FIXTURES / d).iterdir() if p.is_dir())
JUDGED_THEMES = {"at_rest": "at_rest", "in_transit": "in_transit", "backup": "backup"}


def test_differential_agreement_on_mapped_checks(checkov_bin):
    """On every resource both tools judge, a mapped check fails in checkov exactly when
    hdslint reports a rule of the theme's same_as; every disagreement is a documented one
    (mapping.yaml known_differences), and every documented one still happens."""
    disagreements, compared = {}, 0
    for fixture in DIFF_FIXTURES:
        result = scan_with(fixture, None)
        failing = {(f.resource, f.rule_id) for f in result.findings}
        resources = {r.address: r for r in result.context.resources}
        for report in checkov.run([str(fixture)], checkov_bin):
            for status in ("passed_checks", "failed_checks"):
                for e in report["results"].get(status) or []:
                    spec = MAPPING["checks"].get(e["check_id"])
                    kind = JUDGED_THEMES.get(spec["theme"]) if spec else None
                    res = resources.get(e["resource"])
                    if kind is None or res is None:
                        continue
                    verdict = result.context.verdict(res, kind)
                    if verdict is None or verdict.state == "unknown":
                        continue  # hdslint holds no fact, or says it cannot tell (HDS-ENC-002, HDS-BAK-005)
                    compared += 1
                    ours = any((res.address, rid) in failing for rid in MAPPING["themes"][spec["theme"]]["same_as"])
                    theirs = status == "failed_checks"
                    if ours != theirs:
                        who = "checkov only" if theirs else "hdslint only"
                        disagreements.setdefault((e["check_id"], res.type), []).append(f"{fixture.name}: {res.address} ({who})")
    documented = {(d["check"], d.get("resource_type")) for d in MAPPING["known_differences"] if d.get("fixture")}
    assert compared >= 30
    assert sorted(set(disagreements) - documented) == [], disagreements
    assert sorted(documented - set(disagreements)) == []
