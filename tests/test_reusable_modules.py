"""Reusable modules (#18 §2): a directory with required variables, no provider configuration,
no backend, called by nothing in the scan, is judged on what its inputs admit. Every value its
validations admit compliant: nothing to report; otherwise one low finding per input variable
(HDS-MOD-001), naming the resources it decides and the validation to add. A root module that
configures a provider keeps its "cannot tell" findings."""
from __future__ import annotations

import json
import re

from conftest import FIXTURES, line_of, rows, scan

from hdslint.formats.terraform.project import TerraformProject
from hdslint.knowledge.regions import region_tables

MODULES = FIXTURES / "terraform" / "reusable_modules"
JUDGED = ("locality", "encryption", "coverage", "backup", "module")


def _mod(result) -> list:
    return sorted((f.rule_id, f.severity, f.file, f.line, f.attribute) for f in result.findings
                  if f.rule_id == "HDS-MOD-001")


def test_an_unvalidated_module_gets_one_low_finding_per_input_variable_and_no_cannot_tell():
    d = MODULES / "unvalidated"
    result = scan(d)
    variables = d / "variables.tf"
    assert _mod(result) == sorted([
        ("HDS-MOD-001", "low", "variables.tf", line_of(variables, 'variable "backup_regions"'), "var.backup_regions"),
        ("HDS-MOD-001", "low", "variables.tf", line_of(variables, 'variable "nodes"'), "var.nodes"),
        ("HDS-MOD-001", "low", "variables.tf", line_of(variables, 'variable "plan"'), "var.plan"),
        ("HDS-MOD-001", "low", "variables.tf", line_of(variables, 'variable "storage"'), "var.storage"),
    ])
    # what the inputs decide is no longer "cannot tell" on each resource
    assert not [r for r in rows(result) if r[0] in ("HDS-LOC-002", "HDS-ENC-002", "HDS-COV-004", "HDS-BAK-005")]
    # what the module fixes itself is judged as anywhere else
    assert ("HDS-BAK-001", "ovh_cloud_project_storage.records", "main.tf",
            line_of(d / "main.tf", '"ovh_cloud_project_storage" "records"')) in rows(result)
    assert result.context.terraform.reusable.keys() == {"."}


def test_the_finding_names_the_resources_the_values_and_the_validation_to_add():
    result = scan(MODULES / "unvalidated")
    by_var = {f.attribute: f for f in result.findings if f.rule_id == "HDS-MOD-001"}
    storage = by_var["var.storage"]
    message, fix = str(storage.message), str(storage.remediation)
    assert "ovh_cloud_project_storage.records" in message and "it has no validation" in message
    assert "var.storage.encrypted = false gives HDS-ENC-001" in message
    assert "var.storage.region = " in message and "gives HDS-LOC-001" in message
    assert "var.storage.encrypted;" in fix and "contains([" in fix and "], var.storage.region)" in fix
    suggested = json.loads(re.search(r"contains\((\[[^]]*\]), var\.storage\.region\)", fix).group(1))
    ovh = region_tables()["ovh"]
    assert "GRA" in suggested and "SBG" in suggested and len(suggested) <= 8
    assert all(ovh.by_code[code].eea for code in suggested)  # the provider's own codes, all in the EEA
    plan = by_var["var.plan"]
    assert "ovh_cloud_project_database.patients" in str(plan.message)
    assert '!contains(["discovery", "essential"], lower(var.plan))' in str(plan.remediation)
    assert "var.nodes = 0 gives HDS-LOC-002" in str(by_var["var.nodes"].message)
    assert "var.nodes >= 1" in str(by_var["var.nodes"].remediation)
    assert "alltrue([for v in var.backup_regions : contains([" in str(by_var["var.backup_regions"].remediation)


def test_a_module_whose_validations_admit_only_compliant_values_has_nothing_to_report():
    d = MODULES / "validated"
    result = scan(d)
    assert rows(result, families=JUDGED) == [
        ("HDS-BAK-001", "ovh_cloud_project_storage.records", "main.tf",
         line_of(d / "main.tf", '"ovh_cloud_project_storage" "records"')),
        ("HDS-COV-007", "", "main.tf", line_of(d / "main.tf", '"ovh_cloud_project_storage" "records"')),
        ("HDS-COV-005", "ovh_cloud_project_database.patients", "main.tf",
         line_of(d / "main.tf", '"ovh_cloud_project_database" "patients"')),  # a subcontractor, info
    ]


def test_a_validation_that_admits_a_value_outside_the_eea_is_named():
    d = MODULES / "partial"
    result = scan(d)
    assert _mod(result) == [("HDS-MOD-001", "low", "main.tf", line_of(d / "main.tf", 'variable "region"'),
                             "var.region")]
    f = next(f for f in result.findings if f.rule_id == "HDS-MOD-001")
    assert "its validations admit values that are not compliant" in str(f.message)
    assert 'var.region = "BHS" gives HDS-LOC-001' in str(f.message)
    assert "HDS-LOC-002" not in {r[0] for r in rows(result)}


def test_a_root_module_calling_a_module_keeps_todays_treatment():
    d = MODULES / "stack"
    result = scan(d)
    module = d / "modules" / "records" / "main.tf"
    assert ("HDS-LOC-002", "module.records.ovh_cloud_project_storage.records", "modules/records/main.tf",
            line_of(module, "region_name")) in rows(result)
    f = next(f for f in result.findings if f.rule_id == "HDS-LOC-002")
    assert f.severity == "medium" and "var.region has no default" in str(f.message)
    assert not _mod(result) and not result.context.terraform.reusable


def test_the_finding_is_written_in_french():
    result = scan(MODULES / "partial", lang="fr")
    f = next(f for f in result.findings if f.rule_id == "HDS-MOD-001")
    assert str(f.message).startswith("L'entrée var.region du module réutilisable partial décide")
    assert "Ajoutez à la variable « region »" in str(f.remediation)
    assert 'var.region = "BHS" donne HDS-LOC-001' in str(f.message)


def _reusable(tmp_path, files: dict[str, str]) -> bool:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    project = TerraformProject(str(tmp_path))
    return bool(project.run(["."]).reusable)


MODULE = 'variable "region" {\n  type = string\n}\n'


def test_what_makes_a_deployment_rather_than_a_reusable_module(tmp_path):
    (tmp_path / "module").mkdir()
    assert _reusable(tmp_path / "module", {"main.tf": MODULE})
    cases = {
        "provider": {"main.tf": MODULE + 'provider "ovh" {\n  endpoint = "ovh-eu"\n}\n'},
        "empty provider": {"main.tf": MODULE + 'provider "aws" {}\n'},
        "backend": {"main.tf": MODULE + 'terraform {\n  backend "s3" {}\n}\n'},
        "tfvars": {"main.tf": MODULE, "terraform.tfvars": 'region = "GRA"\n'},
        "auto": {"main.tf": MODULE, "prod.auto.tfvars": 'region = "GRA"\n'},
        "defaults": {"main.tf": 'variable "region" {\n  default = "GRA"\n}\n'},
    }
    for name, files in cases.items():
        (tmp_path / name).mkdir()
        assert not _reusable(tmp_path / name, files), name
    (tmp_path / "alias").mkdir()
    assert _reusable(tmp_path / "alias", {"main.tf": MODULE + 'provider "ovh" {\n  alias = "dr"\n}\n'})


def test_the_ledger_says_ok_when_the_validations_settle_a_property_and_names_the_rule_otherwise():
    from hdslint.report.ledger import ledger

    result = scan(MODULES / "validated")
    rows_ = {r.address: row for r in result.context.resources for row in [ledger(result).get(id(r))] if row}
    records = rows_["ovh_cloud_project_storage.records"]
    assert (records["location"].status, records["encryption_at_rest"].status) == ("ok", "ok")
    assert "var.storage.region" in str(records["location"].basis)
    assert rows_["ovh_cloud_project_database.patients"]["location"].status == "ok"
    result = scan(MODULES / "partial")
    row = next(v for r, v in ((r, ledger(result).get(id(r))) for r in result.context.resources) if v)
    assert (row["location"].status, row["location"].rule_id) == ("finding", "HDS-MOD-001")


def test_what_no_input_alone_decides_stays_a_cannot_tell(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "env" {\n  type = string\n}\n\nresource "random_pet" "zone" {}\n\n'
        'resource "ovh_cloud_project_storage" "records" {\n  service_name = "project"\n  name = "records"\n'
        '  region_name = var.env == "prod" ? random_pet.zone.id : random_pet.zone.id\n'
        '  encryption = {\n    sse_algorithm = "AES256"\n  }\n}\n', encoding="utf-8")
    result = scan(tmp_path)
    assert [r for r in rows(result) if r[0] in ("HDS-LOC-002", "HDS-MOD-001")] == [
        ("HDS-LOC-002", "ovh_cloud_project_storage.records", "main.tf", line_of(tmp_path / "main.tf", "region_name"))]


def test_out_of_time_an_input_cannot_be_judged_never_passes(monkeypatch):
    from hdslint.rules.module import inputs

    monkeypatch.setattr(inputs, "MAX_SECONDS", 0.0)
    result = scan(MODULES / "validated")
    got = {f.attribute: str(f.message) for f in result.findings if f.rule_id == "HDS-MOD-001"}
    assert set(got) == {"var.storage", "var.plan", "var.nodes", "var.backup_regions"}
    assert all("cannot be judged" in message for message in got.values())


def test_a_validation_that_rejects_every_value_tried_cannot_be_judged(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "plan" {\n  type = string\n  validation {\n    condition = length(var.plan) > 40\n'
        '    error_message = "An HDS plan."\n  }\n}\n\n'
        'resource "ovh_cloud_project_database" "patients" {\n  service_name = "project"\n  engine = "postgresql"\n'
        '  version = "16"\n  flavor = "b3-8"\n  plan = var.plan\n  nodes {\n    region = "GRA"\n  }\n}\n',
        encoding="utf-8")
    result = scan(tmp_path)
    f = next(f for f in result.findings if f.rule_id == "HDS-MOD-001")
    assert (f.file, f.line, f.attribute) == ("main.tf", line_of(tmp_path / "main.tf", 'variable "plan"'), "var.plan")
    assert "var.plan = any value cannot be judged" in str(f.message)
    assert "HDS-COV-004" not in {r[0] for r in rows(result)}
