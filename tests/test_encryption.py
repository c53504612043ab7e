"""Encryption at rest and in transit: provider defaults both ways, companions in other files,
references followed both ways, the strict profile, and every type's facts exercised."""
from __future__ import annotations

from conftest import FIXTURES, finding, line_of, rows, scan

ENC = FIXTURES / "encryption"
FAMILY = ("encryption",)


def test_aws_defaults_explicit_values_and_companions():
    d = ENC / "aws"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=FAMILY) == [
        ("HDS-ENC-001", "aws_db_instance.default", "main.tf", line_of(main, '"aws_db_instance" "default"')),
        ("HDS-ENC-002", "aws_db_instance.default", "main.tf", line_of(main, '"aws_db_instance" "default"')),
        ("HDS-ENC-002", "aws_db_instance.explicit_off", "main.tf", line_of(main, '"aws_db_instance" "explicit_off"')),
        ("HDS-ENC-001", "aws_db_instance.explicit_off", "main.tf", line_of(main, "storage_encrypted       = false")),
        ("HDS-ENC-001", "aws_ebs_volume.scratch", "main.tf", line_of(main, '"aws_ebs_volume" "scratch"')),
        ("HDS-ENC-003", "aws_lb_listener.http", "main.tf", line_of(main, 'protocol          = "HTTP"')),
        ("HDS-ENC-003", "aws_elasticache_replication_group.sessions", "main.tf",
         line_of(main, "transit_encryption_enabled = false")),
    ]
    msg = {(f.rule_id, f.resource): f.message for f in result.findings}
    assert "storage_encrypted / kms_key_id not set, and the provider's default is off" in msg[
        ("HDS-ENC-001", "aws_db_instance.default")]
    assert "storage_encrypted = false, which does not turn it on" in msg[("HDS-ENC-001", "aws_db_instance.explicit_off")]
    by = {r.address: r for r in result.context.resources}
    # S3: always encrypted; its customer-managed key and TLS-only policy come from companions.tf
    s3 = result.context.verdict(by["aws_s3_bucket.documents"], "at_rest")
    assert (s3.state, s3.cmk) == ("on", True) and s3.companions[0].file == "companions.tf"
    assert result.context.verdict(by["aws_s3_bucket.documents"], "in_transit").how == "companion"
    # the parameter group the instance points at enforces TLS (a companion followed the other way)
    tls = result.context.verdict(by["aws_db_instance.explicit_on"], "in_transit")
    assert tls.state == "on" and tls.companions[0].address == "aws_db_parameter_group.tls"


def test_azure_google_and_european_providers():
    azure = scan(ENC / "azure")
    main = ENC / "azure" / "main.tf"
    assert rows(azure, families=FAMILY) == [
        ("HDS-ENC-003", "azurerm_linux_web_app.portal", "main.tf", line_of(main, '"azurerm_linux_web_app" "portal"')),
        ("HDS-ENC-003", "azurerm_storage_account.legacy", "main.tf", line_of(main, '"TLS1_0"')),
        ("HDS-ENC-001", "azurerm_mssql_database.reports", "main.tf", line_of(main, "transparent_data_encryption_enabled")),
    ]
    assert "https_only not set, and the provider's default is off" in finding(
        azure, "HDS-ENC-003", "azurerm_linux_web_app.portal").message
    google = scan(ENC / "google")
    gmain = ENC / "google" / "main.tf"
    assert rows(google, families=FAMILY) == [
        ("HDS-ENC-003", "google_sql_database_instance.open", "main.tf", line_of(gmain, '"google_sql_database_instance" "open"'))]
    eu = scan(ENC / "european")
    emain = ENC / "european" / "main.tf"
    assert rows(eu, families=FAMILY) == [
        ("HDS-ENC-001", "scaleway_rdb_instance.plain", "main.tf", line_of(emain, '"scaleway_rdb_instance" "plain"')),
        ("HDS-ENC-001", "ovh_cloud_project_volume.classic", "main.tf", line_of(emain, 'type         = "classic"')),
        ("HDS-ENC-003", "scalingo_app.api", "main.tf", line_of(emain, '"scalingo_app" "api"')),
        ("HDS-ENC-003", "scalingo_addon.db", "main.tf", line_of(emain, '"scalingo_addon" "db"')),
    ]
    assert 'type = "classic", which does not turn it on' in finding(
        eu, "HDS-ENC-001", "ovh_cloud_project_volume.classic").message


def test_strict_profile_requires_customer_keys_held_in_the_eea(tmp_path):
    (tmp_path / "main.tf").write_text('''
provider "aws" {
  region = "eu-west-3"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
resource "aws_kms_key" "paris" {}
resource "aws_kms_key" "virginia" {
  provider = aws.us
}
resource "aws_ebs_volume" "managed_key" {
  availability_zone = "eu-west-3a"
  size              = 10
  encrypted         = true
}
resource "aws_ebs_volume" "paris_key" {
  availability_zone = "eu-west-3a"
  size              = 10
  encrypted         = true
  kms_key_id        = aws_kms_key.paris.arn
}
resource "aws_ebs_volume" "us_key" {
  availability_zone = "eu-west-3a"
  size              = 10
  encrypted         = true
  kms_key_id        = aws_kms_key.virginia.arn
}
''')
    assert list(rows(scan(tmp_path), families=FAMILY)) == []  # default profile: no key requirement
    result = scan(tmp_path, profile="strict")
    assert [(r[0], r[1]) for r in rows(result, families=FAMILY)] == [
        ("HDS-ENC-004", "aws_ebs_volume.managed_key"), ("HDS-ENC-005", "aws_ebs_volume.us_key")]
    assert "aws_kms_key.virginia, a key held in us-east-1" in finding(result, "HDS-ENC-005", "aws_ebs_volume.us_key").message


def test_every_encryption_and_backup_fact_is_exercised_both_ways(tmp_path):
    """For every resource type with facts: with nothing set the verdict is the documented default;
    setting an `equals` test of `enable` / `disable` flips it. Guards the facts against typos
    the schema cannot see (a path the engine cannot read)."""
    import json

    from hdslint.knowledge.terraform import terraform_providers

    checked = 0
    for _provider, facts in sorted(terraform_providers().items()):
        for rtype, rf in sorted(facts.resources.items()):
            sides = [(k, v) for k, v in (rf.get("encryption") or {}).items()]
            if rf.get("backup"):
                sides.append(("backup", rf["backup"]))
            for kind, side in sides:
                if side["default"] == "none" or side.get("companions"):
                    continue
                for polarity in ("enable", "disable"):
                    for test in side.get(polarity, []):
                        if "equals" not in test or "." in test["attribute"] or "[" in test["attribute"]:
                            continue
                        value = json.dumps(test["equals"])
                        (tmp_path / "main.tf").write_text(
                            f'resource "{rtype}" "x" {{\n  {test["attribute"]} = {value}\n}}\n')
                        result = scan(tmp_path)
                        res = next(r for r in result.context.resources if r.type == rtype)
                        got = result.context.verdict(res, kind)
                        want = "on" if polarity == "enable" else "off"
                        assert got is not None and got.state == want, f"{rtype} {kind} {test}: {got}"
                        checked += 1
                (tmp_path / "main.tf").write_text(f'resource "{rtype}" "x" {{\n}}\n')
                result = scan(tmp_path)
                res = next(r for r in result.context.resources if r.type == rtype)
                got = result.context.verdict(res, kind)
                expected = {"always": "on", "on": "on", "off": "off", "unknown": "unknown"}[side["default"]]
                if any(t.get("present") is False for t in side.get("disable", [])):
                    expected = "off"  # a test on absence: nothing set is itself the weakness
                elif any(t.get("present") is False for t in side.get("enable", [])):
                    expected = "on"
                assert got.state == expected, f"{rtype} {kind} default {side['default']}: {got.detail}"
                checked += 1
    assert checked > 200


def test_neptune_and_documentdb_snapshots_have_their_cluster_encryption(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-3"\n}\n'
        'resource "aws_neptune_cluster" "graph" {\n  storage_encrypted = false\n}\n'
        'resource "aws_neptune_cluster_snapshot" "graph" {\n  db_cluster_identifier = aws_neptune_cluster.graph.id\n'
        '  db_cluster_snapshot_identifier = "graph"\n}\n'
        'resource "aws_docdb_cluster" "docs" {\n  storage_encrypted = true\n}\n'
        'resource "aws_docdb_cluster_snapshot" "docs" {\n  db_cluster_identifier = aws_docdb_cluster.docs.id\n'
        '  db_cluster_snapshot_identifier = "docs"\n}\n')
    result = scan(tmp_path)
    ctx = result.context
    by = {r.address: r for r in ctx.resources}
    assert ctx.verdict(by["aws_neptune_cluster_snapshot.graph"], "at_rest").state == "off"
    assert ctx.verdict(by["aws_docdb_cluster_snapshot.docs"], "at_rest").state == "on"
    assert "a copy of aws_neptune_cluster.graph" in str(
        finding(result, "HDS-ENC-001", "aws_neptune_cluster_snapshot.graph").message)
