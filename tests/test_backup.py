"""Backups: existence, separate site, copies outside the EEA, retention; across files, aliased
providers and local modules."""
from __future__ import annotations

from conftest import FIXTURES, finding, line_of, rows, scan

from hdslint.model.values import render_chain

BAK = FIXTURES / "backup"
FAMILIES = ("backup", "locality")


def test_aws_copies_through_aliased_providers_files_and_modules():
    d = BAK / "aws_cross"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=FAMILIES) == [
        ("HDS-LOC-001", "aws_db_instance_automated_backups_replication.ehr", "dr.tf",
         line_of(d / "dr.tf", '"aws_db_instance_automated_backups_replication" "ehr"')),
        ("HDS-BAK-003", "aws_db_instance.ehr", "main.tf", line_of(main, '"aws_db_instance" "ehr"')),
        ("HDS-BAK-004", "aws_db_instance.billing", "main.tf", line_of(main, "backup_retention_period = 3")),
        ("HDS-BAK-001", "aws_dynamodb_table.sessions", "main.tf", line_of(main, '"aws_dynamodb_table" "sessions"')),
    ]
    copy = finding(result, "HDS-BAK-003", "aws_db_instance.ehr")
    assert "made by aws_db_instance_automated_backups_replication.ehr" in copy.message
    assert render_chain(copy.chain) == 'provider.aws.dr region = "us-east-1" (main.tf:7)'
    assert "3 day(s) (backup_retention_period = 3), fewer than the minimum of 7" in finding(
        result, "HDS-BAK-004", "aws_db_instance.billing").message
    efs = next(r for r in result.context.resources if r.address == "aws_efs_file_system.shared")
    v = result.context.verdict(efs, "backup")  # backed up by a selection inside a local module
    assert v.state == "on" and v.companions[0].address == "module.backup.aws_backup_selection.protected"


def test_retention_minimum_is_configurable():
    d = BAK / "aws_cross"
    assert not [r for r in rows(scan(d, min_retention_days=3), families=FAMILIES) if r[0] == "HDS-BAK-004"]
    strict = [r[1] for r in rows(scan(d, min_retention_days=15), families=FAMILIES) if r[0] == "HDS-BAK-004"]
    assert strict == ["aws_db_instance.ehr", "aws_db_instance.billing"]


def test_azure_sites_and_paired_regions():
    d = BAK / "azure_sites"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=FAMILIES) == [
        ("HDS-BAK-002", "azurerm_storage_account.lrs", "main.tf", line_of(main, '"azurerm_storage_account" "lrs"')),
        ("HDS-LOC-001", "azurerm_postgresql_flexible_server.london", "main.tf", line_of(main, '"uksouth"')),
    ]
    f = finding(result, "HDS-BAK-002", "azurerm_storage_account.lrs")
    assert 'same availability zone as the data (account_replication_type = "LRS")' in f.message
    assert "not a numbered HDS requirement" in f.message
    region = scan(d, separate_site="region")
    assert [r[1] for r in rows(region, families=FAMILIES) if r[0] == "HDS-BAK-002"] == [
        "azurerm_storage_account.lrs", "azurerm_storage_account.zrs"]


def test_european_providers():
    d = BAK / "european"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=FAMILIES) == [
        ("HDS-BAK-001", "scaleway_rdb_instance.nobackup", "main.tf", line_of(main, "disable_backup     = true")),
        # the backup copy in the UK: one finding, the backup rule's reason folded into it
        ("HDS-LOC-001", "ovh_cloud_project_database.pg", "main.tf", line_of(main, 'backup_regions = ["GRA", "UK"]')),
        ("HDS-BAK-001", "scalingo_addon.cache", "main.tf", line_of(main, '"postgresql-sandbox"')),
    ]
    assert finding(result, "HDS-LOC-001", "ovh_cloud_project_database.pg").also == ("HDS-BAK-003",)
    # backup_same_region keeps Scaleway backups in fr-par: only a region demand reports it
    region = scan(d, separate_site="region")
    assert ("HDS-BAK-002", "scaleway_rdb_instance.same_region") in [(r[0], r[1]) for r in rows(region, families=FAMILIES)]
