"""Fix texts speak of what is there: the attribute and value, the resource to add, the manifest
field, the variable at cause (hdslint.analysis.fixes), in English and French."""
from __future__ import annotations

from conftest import FIXTURES, finding, line_of, rows, scan

D = FIXTURES / "fixes"


def _fix(result, rule, resource) -> str:
    return str(finding(result, rule, resource).remediation)


def test_terraform_fixes_name_the_attribute_the_resource_or_the_variable():
    main = D / "terraform" / "main.tf"
    result = scan(D / "terraform")
    assert ("HDS-BAK-001", "aws_db_instance.records", "main.tf",
            line_of(main, "backup_retention_period = 0")) in rows(result)
    assert _fix(result, "HDS-BAK-001", "aws_db_instance.records") == (
        "Set backup_retention_period = 1 or more on aws_db_instance.records.")
    at_rest, in_transit = [f for f in result.findings if f.rule_id == "HDS-ENC-002"]
    # a variable without a value is the cause: it is named, with where to give it
    assert str(at_rest.remediation) == ("Give var.encrypted a value (terraform.tfvars, --var-file or "
                                        "TF_VAR_encrypted), or set storage_encrypted in the code.")
    # no variable here: the parameter group the database needs (PostgreSQL's parameter only), and how to attach it
    assert str(in_transit.remediation) == (
        'Add an aws_db_parameter_group with parameter { name = "rds.force_ssl", value = "1" }, and set '
        "parameter_group_name on aws_db_instance.records to its name.")
    assert "variable" not in str(in_transit.remediation)
    assert _fix(result, "HDS-ENC-001", "scaleway_object_bucket.scans") == (
        "Add a scaleway_object_bucket_server_side_encryption_configuration whose bucket refers to "
        "scaleway_object_bucket.scans.")
    assert _fix(result, "HDS-BAK-001", "scaleway_object_bucket.scans") == (
        "Set versioning.enabled = true on scaleway_object_bucket.scans.")
    # a type with no setting at all: say so, never "turn it on"
    assert _fix(result, "HDS-ENC-001", "scaleway_baremetal_server.pacs").startswith(
        "scaleway_baremetal_server has no encryption setting: encrypt the data yourself")
    assert _fix(result, "HDS-BAK-001", "scaleway_baremetal_server.pacs").startswith(
        "scaleway_baremetal_server has no backup setting: back the data up yourself")


def test_a_global_service_is_never_told_to_move_region():
    result = scan(D / "terraform")
    fix = _fix(result, "HDS-LOC-001", "aws_cloudfront_distribution.portal")
    assert fix.startswith("aws_cloudfront_distribution is a global service, with no region to choose")
    assert "eu-west-3" not in fix


def test_a_separate_site_names_the_setting_that_makes_one():
    result = scan(D / "terraform", separate_site="region")
    assert _fix(result, "HDS-BAK-002", "azurerm_postgresql_flexible_server.notes") == (
        "Set geo_redundant_backup_enabled = true on azurerm_postgresql_flexible_server.notes.")


def test_manifest_fixes_name_the_object_and_field_to_add():
    cluster = D / "kubernetes" / "cluster.yaml"
    result = scan(D / "kubernetes")
    # WAL archived but no base backup taken: CloudNativePG cannot restore from the WAL archive alone
    assert ("HDS-BAK-001", "Cluster/db/records", "cluster.yaml", line_of(cluster, "apiVersion: postgresql.cnpg.io/v1")) in rows(result)
    assert _fix(result, "HDS-BAK-001", "Cluster/db/records") == (
        "Add a ScheduledBackup whose spec.cluster.name is records.")
    assert _fix(result, "HDS-ENC-003", "Ingress/web/portal") == (
        "Add spec.tls with every host of spec.rules and the secretName of its certificate.")


def test_fixes_in_french():
    result = scan(D / "terraform", lang="fr")
    assert _fix(result, "HDS-BAK-001", "aws_db_instance.records") == (
        "Définir backup_retention_period = 1 ou plus sur aws_db_instance.records.")
    at_rest = next(f for f in result.findings if f.rule_id == "HDS-ENC-002")
    assert str(at_rest.remediation).startswith("Donner une valeur à var.encrypted")
    k8s = scan(D / "kubernetes", lang="fr")
    assert _fix(k8s, "HDS-BAK-001", "Cluster/db/records") == (
        "Ajouter une ScheduledBackup dont spec.cluster.name vaut records.")


def test_a_setting_that_turns_it_off_is_undone(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "azurerm_mysql_server" "legacy" {\n  name                = "legacy"\n'
        '  location            = "francecentral"\n  resource_group_name = "rg"\n  sku_name            = "GP_Gen5_2"\n'
        '  version             = "8.0"\n  ssl_enforcement_enabled = false\n}\n')
    result = scan(tmp_path)
    assert _fix(result, "HDS-ENC-003", "azurerm_mysql_server.legacy") == (
        "Set ssl_enforcement_enabled = true on azurerm_mysql_server.legacy.")
    # a value that is not a boolean: that value is named, not another attribute
    legacy = scan(FIXTURES / "encryption" / "azure")
    assert _fix(legacy, "HDS-ENC-003", "azurerm_storage_account.legacy") == (
        'Change min_tls_version = "TLS1_0" on azurerm_storage_account.legacy: that value turns it off.')


def test_an_on_demand_backup_is_named_but_is_no_schedule(tmp_path):
    (tmp_path / "db.yaml").write_text(
        "apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\n"
        "spec:\n  instances: 3\n  storage: {size: 1Gi}\n  backup:\n    barmanObjectStore:\n"
        "      destinationPath: s3://b/\n      endpointURL: https://s3.eu-west-3.amazonaws.com\n---\n"
        "apiVersion: postgresql.cnpg.io/v1\nkind: Backup\nmetadata: {name: once, namespace: db}\n"
        "spec: {cluster: {name: pg}}\n")
    result = scan(tmp_path, k8s_provider="aws", k8s_region="eu-west-3")
    f = finding(result, "HDS-BAK-005", "Cluster/db/pg")
    assert "Backup/db/once takes a base backup once" in str(f.message)
    assert str(f.remediation) == "Add a ScheduledBackup whose spec.cluster.name is pg."


def test_an_undetermined_location_names_the_variable_only_when_it_is_the_cause(tmp_path):
    (tmp_path / "main.tf").write_text(
        'variable "region" {\n  type = string\n}\n'
        'provider "aws" {\n  region = var.region\n}\n'
        'resource "aws_s3_bucket" "records" {\n  bucket = "records"\n}\n')
    result = scan(tmp_path)
    assert _fix(result, "HDS-LOC-002", "aws_s3_bucket.records") == (
        "Give var.region a value (terraform.tfvars, --var-file or TF_VAR_region), or set the region in the code.")
    (tmp_path / "main.tf").write_text('provider "aws" {}\nresource "aws_s3_bucket" "records" {\n  bucket = "r"\n}\n')
    fix = _fix(scan(tmp_path), "HDS-LOC-002", "aws_s3_bucket.records")
    assert fix.startswith("Set the region in the code where the resource or its provider block allows it")
    assert "var." not in fix


def test_a_volume_on_an_unencrypted_class_is_told_what_the_class_needs():
    result = scan(FIXTURES / "kubernetes" / "volumes", k8s_provider="ovh", k8s_region="GRA")
    for address in ("StorageClass/csi-cinder-high-speed", "Cluster/db/ehr"):
        assert _fix(result, "HDS-ENC-001", address) == (
            "Set parameters.type to a value that matches -luks$ on StorageClass/csi-cinder-high-speed.")
