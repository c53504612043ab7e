"""Issue 17: facts that depend on other attributes (engine and version), companions that turn a
property off as well as on, parameter groups joined by reference before name, account-wide
settings, policy documents read into statements, and the knowledge checks of conditional facts."""
from __future__ import annotations

import copy

import pytest
from conftest import FIXTURES, finding, line_of, rows, scan

from hdslint import policycheck
from hdslint.analysis import conditions
from hdslint.knowledge.store import POLICIES_DIR
from hdslint.model import Resource
from hdslint.model.resources import Value
from hdslint.model.values import Unknown

ENC = ("encryption",)


def _res(**attributes: object) -> Resource:
    def values(path: str) -> list[Value]:
        return [Value(attributes[path], "main.tf", 1)] if path in attributes else []

    return Resource(address="aws_db_instance.x", type="aws_db_instance", name="x", file="main.tf", line=1,
                    end_line=1, source_format="terraform", values=values)


# ---- §1 the condition language ---------------------------------------------------------------

@pytest.mark.parametrize("value, bound, order", [
    ("8.0.40", "8.4", -1), ("8.4.3", "8.4", 0), ("15.2", "15", 0), ("9.7", "8.4", 1), ("17", "15", 1),
    ("v1.2", "1.2", 0), (14, "15", -1), ("8.0.mysql_aurora.3.05.2", "8.4", None), ("latest", "15", None),
])
def test_versions_compare_on_as_many_numbers_as_the_bound_has(value, bound, order):
    assert conditions.version_order(value, bound) == order


def test_all_any_not_equality_membership_and_versions():
    pg17 = _res(engine="postgres", engine_version="17.2")
    mysql = _res(engine="MySQL", engine_version="8.0.40")
    pg15_up = {"all": [{"attribute": "engine", "equals": "postgres"}, {"attribute": "engine_version", "version_min": "15"}]}
    assert conditions.run(pg17, pg15_up)[0] is True
    assert conditions.run(mysql, pg15_up)[0] is False
    assert conditions.run(mysql, {"attribute": "engine", "one_of": ["mysql", "mariadb"], "ignore_case": True})[0] is True
    assert conditions.run(mysql, {"attribute": "engine", "one_of": ["mysql", "mariadb"]})[0] is False
    assert conditions.run(mysql, {"any": [pg15_up, {"attribute": "engine_version", "version_max": "8.4"}]})[0] is True
    # an absent attribute makes the inner test fail, so `not` holds
    assert conditions.run(pg17, {"not": {"attribute": "engine_mode", "equals": "serverless"}})[0] is True
    # a value known only after apply is never a guess, inside all/any/not too
    later = _res(engine="postgres", engine_version=Unknown("var.version has no value"))
    assert conditions.run(later, pg15_up)[0] is None
    assert conditions.run(later, {"not": pg15_up})[0] is None
    assert conditions.run(later, {"any": [pg15_up, {"attribute": "engine", "equals": "postgres"}]})[0] is True


# ---- §1, §2, §6 RDS, Aurora and Redshift in transit --------------------------------------------

def test_tls_defaults_by_engine_and_version_and_groups_that_turn_it_off():
    d = FIXTURES / "encryption" / "conditional"
    main, shared = d / "main.tf", d / "shared_names.tf"
    result = scan(d)
    assert rows(result, families=ENC) == [
        ("HDS-ENC-003", "aws_db_instance.pg14_default", "main.tf", line_of(main, '"aws_db_instance" "pg14_default"')),
        ("HDS-ENC-003", "aws_db_instance.mysql80_default", "main.tf",
         line_of(main, '"aws_db_instance" "mysql80_default"')),
        ("HDS-ENC-002", "aws_db_instance.mysql_unversioned", "main.tf",
         line_of(main, '"aws_db_instance" "mysql_unversioned"')),
        ("HDS-ENC-003", "aws_db_instance.pg17_group_off", "main.tf",
         line_of(main, '"aws_db_instance" "pg17_group_off"')),
        ("HDS-ENC-003", "aws_db_instance.mysql_group_silent", "main.tf",
         line_of(main, '"aws_db_instance" "mysql_group_silent"')),
        ("HDS-ENC-002", "aws_db_instance.pg_group_elsewhere", "main.tf",
         line_of(main, '"aws_db_instance" "pg_group_elsewhere"')),
        ("HDS-ENC-003", "aws_db_instance.mssql_default", "main.tf", line_of(main, '"aws_db_instance" "mssql_default"')),
        ("HDS-ENC-003", "aws_rds_cluster.aurora_default", "main.tf", line_of(main, '"aws_rds_cluster" "aurora_default"')),
        ("HDS-ENC-003", "aws_rds_cluster.no_engine", "main.tf", line_of(main, '"aws_rds_cluster" "no_engine"')),
        ("HDS-ENC-003", "aws_redshift_cluster.no_ssl", "main.tf", line_of(main, '"aws_redshift_cluster" "no_ssl"')),
        ("HDS-ENC-002", "aws_db_instance.by_name", "shared_names.tf", line_of(shared, '"aws_db_instance" "by_name"')),
        ("HDS-ENC-003", "aws_db_instance.by_reference", "shared_names.tf",
         line_of(shared, '"aws_db_instance" "by_reference"')),
    ]
    msg = {(f.rule_id, f.resource): str(f.message) for f in result.findings}
    assert 'engine = "mysql"; engine_version = "8.0.40": the provider\'s default is off' in msg[
        ("HDS-ENC-003", "aws_db_instance.mysql80_default")]
    assert 'turned off by aws_db_parameter_group.pg_no_tls: parameter has entry with name = "rds.force_ssl", ' \
           'value = "0"' in msg[("HDS-ENC-003", "aws_db_instance.pg17_group_off")]
    assert "names several resources: aws_db_parameter_group.shared_off, aws_db_parameter_group.shared_tls" in msg[
        ("HDS-ENC-002", "aws_db_instance.by_name")]
    assert "managed-by-another-team names a resource that is not in the scan" in msg[
        ("HDS-ENC-002", "aws_db_instance.pg_group_elsewhere")]
    fixes = {(f.rule_id, f.resource): str(f.remediation) for f in result.findings}
    assert fixes[("HDS-ENC-003", "aws_db_instance.mysql80_default")] == (
        'Add an aws_db_parameter_group with parameter { name = "require_secure_transport", value = "1" }, and set '
        "parameter_group_name on aws_db_instance.mysql80_default to its name.")
    # an engine left out is the provider's "aurora" (MySQL): the fix names MySQL's parameter only
    assert 'engine not set (the provider then takes "aurora"): the provider\'s default is off' in msg[
        ("HDS-ENC-003", "aws_rds_cluster.no_engine")]
    assert fixes[("HDS-ENC-003", "aws_rds_cluster.no_engine")] == (
        'Add an aws_rds_cluster_parameter_group with parameter { name = "require_secure_transport", value = "1" }, '
        "and set db_cluster_parameter_group_name on aws_rds_cluster.no_engine to its name.")
    by = {r.address: r for r in result.context.resources}
    # both spellings of require_secure_transport count (the companion cache keeps each `when`)
    for name, group in (("mysql_group_1", "mysql_tls_1"),):
        v = result.context.verdict(by[f"aws_db_instance.{name}"], "in_transit")
        assert (v.state, v.how, v.companions[0].address) == ("on", "companion", f"aws_db_parameter_group.{group}")
    assert result.context.verdict(by["aws_db_instance.pg17_default"], "in_transit").state == "on"
    assert result.context.verdict(by["aws_redshift_cluster.ssl"], "in_transit").state == "on"
    assert result.context.verdict(by["aws_rds_cluster.aurora_tls"], "in_transit").state == "on"
    # Aurora Serverless v1 is encrypted whatever storage_encrypted says
    assert result.context.verdict(by["aws_rds_cluster.serverless_v1"], "at_rest").state == "on"


# ---- §2 backups turned off by a companion ------------------------------------------------------

def test_backup_policy_disabled_and_versioning_suspended_turn_backups_off():
    d = FIXTURES / "backup" / "companions_off"
    main, rds = d / "main.tf", d / "rds.tf"
    result = scan(d)
    assert rows(result, families=("backup",)) == [
        ("HDS-BAK-001", "aws_efs_file_system.one_zone_disabled", "main.tf",
         line_of(main, '"aws_efs_file_system" "one_zone_disabled"')),
        ("HDS-BAK-001", "aws_s3_bucket.suspended", "main.tf", line_of(main, '"aws_s3_bucket" "suspended"')),
        ("HDS-BAK-001", "aws_db_instance.no_retention", "rds.tf", line_of(rds, '"aws_db_instance" "no_retention"')),
    ]
    msg = {(f.rule_id, f.resource): str(f.message) for f in result.findings}
    assert 'turned off by aws_efs_backup_policy.one_zone_disabled: backup_policy[*].status = "DISABLED"' in msg[
        ("HDS-BAK-001", "aws_efs_file_system.one_zone_disabled")]
    assert 'turned off by aws_s3_bucket_versioning.suspended' in msg[("HDS-BAK-001", "aws_s3_bucket.suspended")]


def test_azure_flexible_servers_turned_off_by_a_server_parameter():
    d = FIXTURES / "encryption" / "azure_off"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=ENC) == [
        ("HDS-ENC-003", "azurerm_postgresql_flexible_server.no_tls", "main.tf",
         line_of(main, '"azurerm_postgresql_flexible_server" "no_tls"')),
        ("HDS-ENC-003", "azurerm_mysql_flexible_server.no_tls", "main.tf",
         line_of(main, '"azurerm_mysql_flexible_server" "no_tls"')),
    ]
    msg = {(f.rule_id, f.resource): str(f.message) for f in result.findings}
    assert ('turned off by azurerm_mysql_flexible_server_configuration.no_tls: name = "require_secure_transport"; '
            'value = "OFF"') in msg[("HDS-ENC-003", "azurerm_mysql_flexible_server.no_tls")]


# ---- §3 account-wide settings ----------------------------------------------------------------

def test_ebs_encryption_by_default_covers_the_volumes_of_its_region_only():
    d = FIXTURES / "encryption" / "account_settings"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=ENC) == [
        ("HDS-ENC-001", "aws_ebs_volume.frankfurt", "main.tf", line_of(main, '"aws_ebs_volume" "frankfurt"')),
    ]
    by = {r.address: r for r in result.context.resources}
    v = result.context.verdict(by["aws_ebs_volume.paris"], "at_rest")
    assert (v.state, v.how) == ("on", "companion")
    assert str(v.detail) == ("aws_ebs_encryption_by_default.paris: an account-wide setting of this root for the "
                             "region of the resource")


# ---- §4 policy documents -----------------------------------------------------------------------

def test_bucket_policies_are_read_as_statements():
    d = FIXTURES / "encryption" / "policy_documents"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=ENC) == [
        ("HDS-ENC-003", "aws_s3_bucket.allow", "main.tf", line_of(main, '"aws_s3_bucket" "allow"')),
        ("HDS-ENC-003", "aws_s3_bucket.objects_only", "main.tf", line_of(main, '"aws_s3_bucket" "objects_only"')),
        ("HDS-ENC-003", "aws_s3_bucket.get_only", "main.tf", line_of(main, '"aws_s3_bucket" "get_only"')),
        ("HDS-ENC-002", "aws_s3_bucket.external", "main.tf", line_of(main, '"aws_s3_bucket" "external"')),
    ]
    msg = {(f.rule_id, f.resource): str(f.message) for f in result.findings}
    assert ("aws_s3_bucket_policy.allow: policy: no Deny s3:* statement for every principal on the resource and its "
            "objects when aws:SecureTransport = false") in msg[("HDS-ENC-003", "aws_s3_bucket.allow")]
    by = {r.address: r for r in result.context.resources}
    for name in ("document", "heredoc"):
        v = result.context.verdict(by[f"aws_s3_bucket.{name}"], "in_transit")
        assert (v.state, v.companions[0].address) == ("on", f"aws_s3_bucket_policy.{name}")


def test_policy_document_data_source_renders_json_when_everything_is_known(tmp_path):
    (tmp_path / "main.tf").write_text('''
data "aws_iam_policy_document" "p" {
  statement {
    sid       = "A"
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::b/*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

locals {
  doc = jsondecode(data.aws_iam_policy_document.p.json)
}
''')
    from hdslint.formats.terraform.config import ModuleConfig
    from hdslint.formats.terraform.instances import ModuleInstance
    from hdslint.formats.terraform.project import TerraformProject
    from hdslint.syntax.hcl import parser

    config = ModuleConfig(".")
    config.add_file("main.tf", parser.parse((tmp_path / "main.tf").read_text()))
    doc = ModuleInstance(TerraformProject(str(tmp_path)), config, "").local("doc")
    assert doc["Statement"][0] == {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    assert doc["Statement"][1] == {"Effect": "Deny", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                                   "Principal": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


# ---- §7 knowledge checks -------------------------------------------------------------------------

def _aws() -> dict:
    import yaml

    return yaml.safe_load((POLICIES_DIR / "terraform" / "aws.yaml").read_text(encoding="utf-8"))


def test_conditional_facts_have_attribute_lists_and_test_rows_that_hold():
    data = _aws()
    assert policycheck._check_conditions("aws_db_instance", data["resources"]["aws_db_instance"]) == []
    broken = copy.deepcopy(data["resources"]["aws_db_instance"])
    side = broken["encryption"]["in_transit"]
    side["examples"][0]["state"] = "off"  # postgres 17 is on
    side["default_when"][0]["tests"].append({"attribute": "engine_flavour", "equals": "x"})
    side["companions"][0]["suggest_when"] = [{"attribute": "engine_family", "equals": "postgres"}]
    problems = policycheck._check_conditions("aws_db_instance", broken)
    assert "encryption.in_transit: a test names engine_flavour, which is not among the type's attributes" in problems
    assert "encryption.in_transit: a test names engine_family, which is not among the type's attributes" in problems
    assert any(p.startswith("encryption.in_transit: with {'engine': 'postgres', 'engine_version': '17.2'} the "
                            "verdict is") and p.endswith("the test row says off") for p in problems)
    del broken["attributes"]
    del side["examples"]
    problems = policycheck._check_conditions("aws_db_instance", broken)
    assert "encryption.in_transit: default_when needs the type's `attributes` list" in problems
    assert "encryption.in_transit: default_when needs test rows (`examples`)" in problems


# ---- §5 facts already held, applied ----------------------------------------------------------------

def test_a_claim_on_a_class_the_managed_service_installs_is_judged_without_the_class():
    d = FIXTURES / "kubernetes" / "well_known_class"
    claims = d / "claims.yaml"
    result = scan(d)
    assert rows(result, families=ENC) == [
        ("HDS-ENC-001", "PersistentVolumeClaim/health/uploads", "claims.yaml", line_of(claims, "apiVersion: v1")),
        ("HDS-ENC-002", "PersistentVolumeClaim/health/archive", "claims.yaml",
         line_of(claims, "apiVersion: v1", occurrence=2)),
    ]
    msg = {(f.rule_id, f.resource): str(f.message) for f in result.findings}
    assert ("storageClassName csi-cinder-high-speed, a class OVHcloud Managed Kubernetes installs (provisioner "
            "cinder.csi.openstack.org)") in msg[("HDS-ENC-001", "PersistentVolumeClaim/health/uploads")]
    # the class is the managed service's: the fix is another class, with the provisioner's setting that encrypts
    assert str(finding(result, "HDS-ENC-001", "PersistentVolumeClaim/health/uploads").remediation) == (
        "Set storageClassName of PersistentVolumeClaim/health/uploads to a StorageClass of your own that encrypts "
        "(provisioner cinder.csi.openstack.org, parameters.type matching -luks$), not csi-cinder-high-speed, which "
        "OVHcloud Managed Kubernetes installs unencrypted.")


def test_a_gcp_zone_written_without_its_last_dash_is_read_as_its_region():
    d = FIXTURES / "locality" / "zone_without_dash"
    result = scan(d)
    assert rows(result, families=("locality",)) == [
        ("HDS-LOC-001", "google_storage_bucket.records", "main.tf", line_of(d / "main.tf", 'location = "us-central1c"')),
    ]


# ---- the engine and its version, where the code gives them indirectly ---------------------------------

def test_engine_and_version_from_the_replicated_source_and_the_parameter_group_family():
    """A read replica runs its source's engine (the source referenced, or named by its
    identifier); a DB parameter group's family (postgres17, mysql8.0) names the engine and its
    major version. The TLS default follows, with where the engine came from in the message. A
    family that names another engine than the instance's own is not read."""
    d = FIXTURES / "encryption" / "rds_inferred"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=ENC) == [
        ("HDS-ENC-003", "aws_db_instance.mysql_family", "main.tf", line_of(main, '"aws_db_instance" "mysql_family"')),
        ("HDS-ENC-001", "aws_db_instance.mysql_source", "main.tf", line_of(main, '"aws_db_instance" "mysql_source"')),
        ("HDS-ENC-003", "aws_db_instance.mysql_source", "main.tf", line_of(main, '"aws_db_instance" "mysql_source"')),
        ("HDS-ENC-001", "aws_db_instance.mysql_replica", "main.tf",
         line_of(main, '"aws_db_instance" "mysql_replica"')),
        ("HDS-ENC-003", "aws_db_instance.mysql_replica", "main.tf",
         line_of(main, '"aws_db_instance" "mysql_replica"')),
        ("HDS-ENC-002", "aws_db_instance.mismatch", "main.tf", line_of(main, '"aws_db_instance" "mismatch"')),
    ]
    msg = {(f.rule_id, f.resource): str(f.message) for f in result.findings}
    assert ('engine = "mysql" (from family = "mysql8.0" of aws_db_parameter_group.mysql80); engine_version = "8.0" '
            '(from family = "mysql8.0" of aws_db_parameter_group.mysql80): the provider\'s default is off') in msg[
        ("HDS-ENC-003", "aws_db_instance.mysql_family")]
    assert ('engine = "mysql" (from aws_db_instance.mysql_source, the source it replicates); engine_version = "8.0" '
            '(from aws_db_instance.mysql_source, the source it replicates)') in msg[
        ("HDS-ENC-003", "aws_db_instance.mysql_replica")]
    assert "a replica of aws_db_instance.mysql_source, which it inherits" in msg[
        ("HDS-ENC-001", "aws_db_instance.mysql_replica")]
    assert "the provider's default is unknown" in msg[("HDS-ENC-002", "aws_db_instance.mismatch")]
    by = {r.address: r for r in result.context.resources}
    replica = result.context.verdict(by["aws_db_instance.pg_replica"], "in_transit")
    assert (replica.state, str(replica.detail)) == ("on", (
        'engine = "postgres" (from aws_db_instance.pg_source, the source it replicates); engine_version = "17" '
        "(from aws_db_instance.pg_source, the source it replicates): the provider's default is on"))
    family = result.context.verdict(by["aws_db_instance.pg_family"], "in_transit")
    assert (family.state, str(family.detail)) == ("on", (
        'engine = "postgres"; engine_version = "17" (from family = "postgres17" of aws_db_parameter_group.pg17): '
        "the provider's default is on"))


def test_inferred_attributes_are_checked_against_the_type():
    broken = copy.deepcopy(_aws()["resources"]["aws_db_instance"])
    broken["inferred"][0]["attributes"] = ["engine", "engine_flavour"]
    broken["inferred"][1]["from_source"] = "source_db"
    broken["inferred"][2]["pattern"] = "(?P<engine>[a-z]+)"
    problems = policycheck._check_conditions("aws_db_instance", broken)
    assert problems == [
        "inferred: names engine_flavour, which is not among the type's attributes",
        "inferred: names source_db, which is not among the type's attributes",
        "inferred: source_db names no source in derived_from",
        "inferred: the groups of (?P<engine>[a-z]+) are not ['engine', 'engine_version']",
    ]
