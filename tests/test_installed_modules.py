"""Registry and git modules read from .terraform/modules after `terraform init` (never
downloaded), and OpenTofu's .tofu files."""
from __future__ import annotations

import json
import shutil

from conftest import FIXTURES, line_of, rows, scan

REGISTRY = FIXTURES / "terraform" / "registry_module"
TOFU = FIXTURES / "terraform" / "opentofu"
ADDRESS = "module.db.module.db_instance.aws_db_instance.this[0]"
INSTANCE_TF = ".terraform/modules/db/modules/db_instance/main.tf"


def test_an_installed_registry_module_is_analysed_with_its_full_addresses():
    result = scan(REGISTRY)
    inner = REGISTRY / INSTANCE_TF
    assert rows(result, families=("locality", "encryption", "backup", "parse")) == [
        ("HDS-LOC-001", ADDRESS, INSTANCE_TF, line_of(inner, '"aws_db_instance" "this"')),
        ("HDS-ENC-002", ADDRESS, INSTANCE_TF, line_of(inner, '"aws_db_instance" "this"')),
        ("HDS-ENC-001", ADDRESS, INSTANCE_TF, line_of(inner, "storage_encrypted       = var")),
        ("HDS-BAK-001", ADDRESS, INSTANCE_TF, line_of(inner, "backup_retention_period = var")),
        ("HDS-PARSE-002", "", "main.tf", line_of(REGISTRY / "main.tf", 'module "network"')),
    ]
    remote = next(f for f in result.findings if f.rule_id == "HDS-PARSE-002")
    assert "module.network" in remote.message and "terraform init" in remote.message
    assert result.context.terraform.installed_modules == ["module.db"]  # db_instance: local to the module


def _copy(tmp_path):
    target = tmp_path / "root"
    shutil.copytree(REGISTRY, target)
    return target


def test_a_corrupt_modules_json_is_a_parse_finding_and_the_rest_goes_on(tmp_path):
    root = _copy(tmp_path)
    (root / ".terraform" / "modules" / "modules.json").write_text('{"Modules": [\n  {"Key": "db",\n')
    result = scan(root)
    parse = [r for r in rows(result, families=("parse",)) if r[0] == "HDS-PARSE-001"]
    assert parse == [("HDS-PARSE-001", "", ".terraform/modules/modules.json", 3)]
    assert [r[0] for r in rows(result, families=("parse",)) if r[0] == "HDS-PARSE-002"] == ["HDS-PARSE-002"] * 2
    assert any(f.rule_id == "HDS-LOC-001" for f in result.findings) is False  # nothing placed: no resource read


def test_a_module_directory_outside_terraform_modules_is_refused(tmp_path):
    root = _copy(tmp_path)
    doc = {"Modules": [{"Key": "db", "Source": "x", "Dir": "../../etc"}]}
    (root / ".terraform" / "modules" / "modules.json").write_text(json.dumps(doc))
    result = scan(root)
    [f] = [f for f in result.findings if f.rule_id == "HDS-PARSE-001"]
    assert f.file == ".terraform/modules/modules.json" and "outside .terraform/modules" in f.message


def test_a_listed_module_whose_directory_is_missing_says_to_run_init_again(tmp_path):
    root = _copy(tmp_path)
    shutil.rmtree(root / ".terraform" / "modules" / "db" / "modules")
    result = scan(root)
    [f] = [f for f in result.findings if f.rule_id == "HDS-PARSE-003"]
    assert f.file == ".terraform/modules/db/main.tf" and "run terraform init again" in f.message


def test_opentofu_files_are_read_and_tofu_takes_precedence_over_tf_of_the_same_name():
    result = scan(TOFU)
    assert sorted({f.resource for f in result.findings if f.resource}) == [
        "aws_db_instance.patients", "aws_ebs_volume.scratch"]  # main.tf's bucket is ignored
    db = next(r for r in result.context.resources if r.address == "aws_db_instance.patients")
    assert db.location.places[0].region.code == "eu-west-3"  # main.tofu's provider, not main.tf's
    assert (result.files_discovered, result.files_analysed, result.files_reported) == (3, 3, 0)
    assert ("HDS-ENC-001", "aws_ebs_volume.scratch", "storage.tofu.json", 4) in rows(result)
