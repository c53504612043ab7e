"""The command line as a user runs it: exit codes, formats, options, errors."""
from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, line_of

TF = FIXTURES / "terraform"
REPORT_SCHEMA = json.loads((ROOT / "policies" / "schemas" / "report.schema.json").read_text())


def hdslint(*args, cwd=None, env=None):
    import os

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TF_VAR_")}
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "hdslint", *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, timeout=60)


def test_version_and_help():
    from hdslint import __version__

    out = hdslint("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"hdslint {__version__}"
    out = hdslint("--help")
    assert out.returncode == 0 and "Examples:" in out.stdout and "hdslint scan plan.json" in out.stdout
    out = hdslint("scan", "--help")
    assert out.returncode == 0 and "--fail-on" in out.stdout and "--var-file" in out.stdout


def test_findings_exit_1_clean_exit_0():
    assert hdslint("scan", cwd=TF / "provider_tfvars_fail").returncode == 1
    # AWS does not publish its certificate's perimeters: HDS-COV-007, low, paperwork only
    assert hdslint("scan", cwd=TF / "provider_default_pass").returncode == 0
    assert hdslint("scan", cwd=FIXTURES / "coverage" / "compliant_scalingo").returncode == 0


def test_fail_on_threshold():
    d = TF / "provider_default_pass"  # one low finding: AWS's unpublished perimeters (HDS-COV-007)
    assert hdslint("scan", cwd=d).returncode == 0  # default fail-on: medium
    assert hdslint("scan", "--fail-on", "low", cwd=d).returncode == 1
    assert hdslint("scan", "--fail-on", "none", cwd=TF / "provider_tfvars_fail").returncode == 0


def test_text_output_groups_by_file_without_colour_when_piped():
    out = hdslint("scan", cwd=TF / "provider_tfvars_fail")
    lines = out.stdout.splitlines()
    assert lines[0] == "main.tf"
    assert lines[1].split() == ["1", "high", "HDS-LOC-001", "aws_db_instance.patients"]
    assert "\x1b[" not in out.stdout
    assert lines[-1].startswith("2 findings (1 high, 1 low) · 3 resources from 4 files (4 analysed, 0 reported)")
    assert "FAILED: 1 at or above medium" in lines[-1]
    assert "HDS coverage" in out.stdout and "  1 Physical sites hosting the hardware" in out.stdout


def test_json_output_follows_the_contract(tmp_path):
    report = tmp_path / "report.json"
    out = hdslint("scan", "--format", "json", "--output", str(report), cwd=TF / "modules_chain")
    assert out.returncode == 1 and out.stdout == ""
    doc = json.loads(report.read_text())
    jsonschema.validate(doc, REPORT_SCHEMA)
    first = doc["findings"][0]
    assert set(first) >= {"rule_id", "family", "severity", "perimeters", "file", "line", "resource", "message",
                          "remediation"}
    loc = next(f for f in doc["findings"] if f["rule_id"] == "HDS-LOC-001")
    assert loc["file"] == "modules/database/main.tf"
    assert loc["line"] == line_of(TF / "modules_chain" / "modules" / "database" / "main.tf", "location = var.location")
    assert loc["resolution"][-1] == {"step": '"uksouth"', "file": "main.tf", "line": 8}
    assert [c["perimeter"] for c in doc["coverage"]] == [1, 2, 3, 4, 5, 6]
    assert doc["summary"]["exit_code"] == 1
    counts = {rule: sum(1 for f in doc["findings"] if f["rule_id"] == rule) for rule in ("HDS-LOC-001", "HDS-PARSE-003")}
    assert counts == {"HDS-LOC-001": 2, "HDS-PARSE-003": 1}
    assert doc["summary"]["by_severity"]["high"] == sum(1 for f in doc["findings"] if f["severity"] == "high")


def test_var_and_var_file_options(tmp_path):
    d = TF / "auto_tfvars_order"
    assert hdslint("scan", "--fail-on", "high", "--var", "location=francecentral", cwd=d).returncode == 0
    vf = tmp_path / "prod.tfvars"
    vf.write_text('location = "northeurope"\n')
    assert hdslint("scan", "--fail-on", "high", "--var-file", str(vf), cwd=d).returncode == 0
    assert hdslint("scan", "--fail-on", "high", cwd=d).returncode == 1  # switzerlandnorth
    out = hdslint("scan", "--var", "oops", cwd=d)
    assert out.returncode == 2 and "expected NAME=VALUE" in out.stderr


def test_explicit_file_scans_its_module_and_reports_on_that_file_only():
    d = TF / "modules_chain"
    out = hdslint("scan", "--format", "json", "modules/database/main.tf", cwd=d)
    doc = json.loads(out.stdout)
    assert {f["file"] for f in doc["findings"] if f["family"] != "coverage"} == {"modules/database/main.tf"}
    out = hdslint("scan", "--format", "json", "main.tf", cwd=d)
    found = {(f["rule_id"], f["file"]) for f in json.loads(out.stdout)["findings"] if f["family"] != "coverage"}
    # main.tf holds the module call that puts the staging database in uksouth: those findings count too
    assert found == {("HDS-PARSE-002", "main.tf"), ("HDS-PARSE-003", "main.tf"),
                     ("HDS-LOC-001", "modules/database/main.tf")}


@pytest.mark.parametrize("config, message", [
    ("fail_on: sometimes\n", "fail_on: 'sometimes' is not one of"),
    ("locality:\n  allowed_countries: [france]\n", "allowed_countries/0: 'france' does not match"),
    ("rules:\n  HDS-LOC-999: {enabled: false}\n", "rules: unknown rule id 'HDS-LOC-999' (closest known: HDS-LOC-"),
    ("unknown_key: 1\n", "Additional properties are not allowed"),
    ("fail_on: [\n", "invalid YAML"),
])
def test_invalid_configuration_exits_2_with_a_clear_message(tmp_path, config, message):
    (tmp_path / ".hdslint.yaml").write_text(config)
    (tmp_path / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    out = hdslint("scan", cwd=tmp_path)
    assert out.returncode == 2, out.stdout
    assert message in out.stderr and "Traceback" not in out.stderr


def test_configuration_file_is_applied(tmp_path):
    (tmp_path / ".hdslint.yaml").write_text(
        "fail_on: high\nlocality:\n  allowed_countries: [FR]\nrules:\n  HDS-LOC-002: {severity: low}\n")
    (tmp_path / "main.tf").write_text('resource "azurerm_storage_account" "a" {\n  location = "westeurope"\n}\n'
                                      'resource "aws_s3_bucket" "b" {}\n')
    out = hdslint("scan", "--format", "json", cwd=tmp_path)
    doc = json.loads(out.stdout)
    assert sorted((f["rule_id"], f["severity"]) for f in doc["findings"] if f["family"] == "locality") == [
        ("HDS-LOC-002", "low"), ("HDS-LOC-003", "high")]
    assert out.returncode == 1 and doc["scan"]["config"].endswith(".hdslint.yaml")


def test_pyproject_configuration(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.hdslint]\nfail_on = "none"\n')
    (tmp_path / "main.tf").write_text('provider "aws" {\n  region = "us-east-1"\n}\nresource "aws_s3_bucket" "b" {}\n')
    assert hdslint("scan", cwd=tmp_path).returncode == 0


def test_rules_listing_and_documentation():
    out = hdslint("rules")
    assert out.returncode == 0 and "HDS-LOC-001" in out.stdout and "EXI 28" in out.stdout
    doc = json.loads(hdslint("rules", "--format", "json").stdout)
    ids = [r["id"] for r in doc]
    assert ids == sorted(ids) and {"HDS-LOC-001", "HDS-LOC-002", "HDS-PARSE-001", "HDS-SUP-001"} <= set(ids)
    assert all(r["documentation"] and r["basis"] for r in doc)
    out = hdslint("rules", "HDS-LOC-001")
    assert "Passing example" in out.stdout and "Failing example" in out.stdout
    assert hdslint("rules", "HDS-NOPE-001").returncode == 2


def test_missing_path_is_a_usage_error():
    out = hdslint("scan", "main.tf", "does-not-exist", cwd=TF / "provider_default_pass")
    assert (out.returncode, out.stdout, out.stderr) == (2, "", "hdslint: no such file or directory: does-not-exist\n")


def test_python_dash_m_and_console_script_agree():
    import shutil
    from pathlib import Path

    beside = Path(sys.executable).parent / "hdslint"
    exe = str(beside) if beside.exists() else shutil.which("hdslint")
    if exe is None:
        pytest.fail("the hdslint console script is not installed: pip install '.[test]'")
    a = subprocess.run([exe, "scan", "--format", "json"], cwd=TF / "locals_alias", capture_output=True, text=True)
    b = hdslint("scan", "--format", "json", cwd=TF / "locals_alias")
    assert json.loads(a.stdout)["findings"] == json.loads(b.stdout)["findings"]
