"""Locality on Terraform fixtures: exact findings (rule, resource, file, line) and chains."""
from __future__ import annotations

from conftest import FIXTURES, NOT_COVERAGE, finding, line_of, rows, scan

from hdslint.model.values import render_chain

TF = FIXTURES / "terraform"


def test_tfvars_overrides_the_variable_default():
    d = TF / "provider_tfvars_fail"
    result = scan(d)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_db_instance.patients", "main.tf", line_of(d / "main.tf", '"aws_db_instance" "patients"')),
    ]
    f = finding(result, "HDS-LOC-001", "aws_db_instance.patients")
    assert f.severity == "high" and f.family == "locality"
    assert "us-east-1 (N. Virginia, United States), outside the EEA" in f.message
    assert render_chain(f.chain) == (
        f'provider.aws region = var.region (providers.tf:{line_of(d / "providers.tf", "region = var.region")}) '
        f'<- var.region = "us-east-1" (terraform.tfvars:{line_of(d / "terraform.tfvars", "region =")})')
    assert f.perimeters == (1, 2, 3, 4)


def test_same_code_without_tfvars_passes_on_the_default():
    result = scan(TF / "provider_default_pass")
    assert rows(result, families=NOT_COVERAGE) == []
    db = next(r for r in result.context.resources if r.address == "aws_db_instance.patients")
    [place] = db.location.places
    assert place.region.code == "eu-west-3" and place.region.eea
    assert render_chain(place.hops).endswith('var.region default = "eu-west-3" (variables.tf:3)')


def test_iam_role_holds_no_data_and_is_not_placed():
    result = scan(TF / "provider_tfvars_fail")
    role = next(r for r in result.context.resources if r.address == "aws_iam_role.app")
    assert role.data_role == "none"
    assert [f for f in result.findings if f.resource == "aws_iam_role.app"] == []
    assert role.location.places[0].region.code == "us-east-1"  # placed on demand, never judged


def test_auto_tfvars_win_in_lexical_order_json_included():
    d = TF / "auto_tfvars_order"
    result = scan(d)
    f = finding(result, "HDS-LOC-001", "azurerm_storage_account.records")
    assert (f.file, f.line) == ("main.tf", line_of(d / "main.tf", "location                 = var.location"))
    assert "switzerlandnorth (Zurich, Switzerland)" in f.message
    assert render_chain(f.chain).endswith('var.location = "switzerlandnorth" (b.auto.tfvars.json:2)')


def test_var_file_and_cli_var_come_last():
    d = TF / "auto_tfvars_order"
    assert rows(families=NOT_COVERAGE, result=scan(d, vars=[("location", "francecentral")])) == []
    result = scan(d, env={"TF_VAR_location": "uksouth"})
    assert "switzerlandnorth" in finding(result, "HDS-LOC-001", "azurerm_storage_account.records").message


def test_env_variable_applies_when_no_file_sets_the_variable(tmp_path):
    (tmp_path / "main.tf").write_text('variable "loc" {}\nresource "azurerm_cosmosdb_account" "c" {\n'
                                      '  location = var.loc\n}\n')
    result = scan(tmp_path, env={"TF_VAR_loc": "ukwest"})
    f = finding(result, "HDS-LOC-001", "azurerm_cosmosdb_account.c")
    assert "TF_VAR_loc (environment)" in render_chain(f.chain)
    assert rows(families=NOT_COVERAGE, result=scan(tmp_path, env={"TF_VAR_loc": "northeurope"})) == []


def test_locals_lookup_alias_and_per_resource_region():
    d = TF / "locals_alias"
    result = scan(d)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_s3_bucket.documents_copy", "main.tf",
         line_of(d / "main.tf", '"aws_s3_bucket" "documents_copy"')),
    ]
    f = finding(result, "HDS-LOC-001", "aws_s3_bucket.documents_copy")
    assert render_chain(f.chain) == (
        'provider.aws.dr region = local.regions["dr"] (main.tf:15) <- local.regions (main.tf:2) '
        '<- "eu-central-2" (main.tf:4)')
    by_address = {r.address: r for r in result.context.resources}
    assert by_address["aws_s3_bucket.documents_copy"].provider_address == "provider.aws.dr"
    assert by_address["aws_sqs_queue.events"].location.places[0].region.code == "eu-west-1"
    # the conditional resolves on var.env's default "prod"
    assert by_address["aws_sqs_queue.audit"].location.places[0].region.code == "eu-west-3"


def test_undetermined_locations_say_why():
    d = TF / "undetermined"
    result = scan(d)
    main = d / "main.tf"
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-002", "aws_ebs_volume.scans", "main.tf", line_of(main, '"aws_ebs_volume" "scans"')),
        ("HDS-LOC-002", "azurerm_postgresql_flexible_server.ehr", "main.tf", line_of(main, "location            = var.location")),
        ("HDS-LOC-002", "azurerm_linux_virtual_machine.app", "main.tf", line_of(main, '"europe-central-9"')),
        ("HDS-LOC-002", "azurerm_key_vault.kv", "main.tf", line_of(main, "data.azurerm_resource_group.shared.location")),
    ]
    msg = {f.resource: f.message for f in result.findings}
    assert "sets no region; Terraform takes it from AWS_REGION or AWS_DEFAULT_REGION" in msg["aws_ebs_volume.scans"]
    assert "var.location has no default and no value" in msg["azurerm_postgresql_flexible_server.ehr"]
    assert "'europe-central-9' is not a Microsoft Azure location" in msg["azurerm_linux_virtual_machine.app"]
    assert "read from the cloud at plan time" in msg["azurerm_key_vault.kv"]
    assert all(f.severity == "medium" for f in result.findings if f.family == "locality")


def test_undetermined_severity_is_configurable():
    result = scan(TF / "undetermined", undetermined_severity="high")
    assert {f.severity for f in result.findings if f.rule_id == "HDS-LOC-002"} == {"high"}


def test_local_modules_for_each_references_and_inheritance():
    d = TF / "modules_chain"
    result = scan(d)
    db = d / "modules" / "database" / "main.tf"
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-PARSE-002", "", "main.tf", line_of(d / "main.tf", 'module "vpc"')),
        ("HDS-PARSE-003", "", "main.tf", line_of(d / "main.tf", 'module "ghost"')),
        ("HDS-LOC-001", 'module.database["staging"].azurerm_mssql_server.this', "modules/database/main.tf",
         line_of(db, "location = var.location")),
        ("HDS-LOC-001", 'module.database["staging"].azurerm_mssql_database.this', "modules/database/main.tf",
         line_of(db, '"azurerm_mssql_database" "this"')),
    ]
    f = finding(result, "HDS-LOC-001", 'module.database["staging"].azurerm_mssql_database.this')
    assert render_chain(f.chain) == (
        'module.database["staging"].azurerm_mssql_database.this server_id = '
        'module.database["staging"].azurerm_mssql_server.this (inherits its location) (modules/database/main.tf:14) '
        '<- module.database["staging"].azurerm_mssql_server.this location = var.location (modules/database/main.tf:9) '
        '<- module.database["staging"] location = each.value (main.tf:20) <- "uksouth" (main.tf:8)')
    addresses = {r.address for r in result.context.resources}
    assert {'module.database["prod"].azurerm_mssql_server.this', "module.storage.azurerm_storage_container.scans",
            "azurerm_resource_group.main"} <= addresses
    container = next(r for r in result.context.resources if r.address == "module.storage.azurerm_storage_container.scans")
    assert [p.region.code for p in container.location.places] == ["francecentral"]  # "France Central" normalised
    assert "module.vpc" in finding(result, "HDS-PARSE-002").message
    assert finding(result, "HDS-PARSE-002").severity == "info"


def test_google_multi_regions_zones_and_documented_defaults():
    d = TF / "google_locations"
    result = scan(d)
    main = d / "main.tf"
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "google_storage_bucket.imaging_us", "main.tf", line_of(main, 'location = "US"')),
        ("HDS-LOC-001", "google_bigquery_dataset.analytics", "main.tf", line_of(main, '"google_bigquery_dataset" "analytics"')),
        ("HDS-LOC-001", "google_compute_instance.worker_london", "main.tf", line_of(main, 'zone         = "europe-west2-a"')),
    ]
    assert "defaults to US when no location is set" in render_chain(
        finding(result, "HDS-LOC-001", "google_bigquery_dataset.analytics").chain)
    places = {r.address: [p.region.code for p in r.location.places] for r in result.context.resources}
    assert places["google_compute_instance.worker"] == ["europe-west9-b"]  # provider zone
    assert places["google_sql_database_instance.ehr"] == ["europe-west9"]  # provider region
    assert places["google_storage_bucket.imaging_dual"] == ["eur4"]


def test_european_clouds_zones_nodes_and_provider_defaults():
    d = TF / "european_clouds"
    result = scan(d)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "ovh_cloud_project_database.pg_uk", "main.tf", line_of(d / "main.tf", 'region = "UK"')),
    ]
    places = {r.address: [p.region.code for p in r.location.places] for r in result.context.resources}
    assert places["scaleway_rdb_instance.main"] == ["fr-par"]
    assert places["scaleway_instance_server.app"] == ["pl-waw-1"]
    assert places["ovh_cloud_project_database.pg"] == ["GRA"]  # two nodes, one place
    assert places["outscale_volume.data"] == ["eu-west-2a"]
    assert places["outscale_vm.app"] == ["eu-west-2"]
    assert places["scalingo_app.api"] == ["osc-fr1"]  # the provider's default region


def test_tf_json_configuration():
    d = TF / "json_config"
    result = scan(d)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_s3_bucket.exports", "main.tf.json", line_of(d / "main.tf.json", '"exports"')),
    ]
    records = next(r for r in result.context.resources if r.address == "aws_s3_bucket.records")
    assert records.location.places[0].region.code == "eu-west-3"
    assert records.value("bucket") == "records-eu-west-3"


def test_global_services_replicas_count_and_unknown_providers():
    d = TF / "services_global_replicas"
    result = scan(d)
    main = d / "main.tf"
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_cloudfront_distribution.portal", "main.tf", line_of(main, '"aws_cloudfront_distribution"')),
        ("HDS-LOC-001", "aws_dynamodb_table.sessions", "main.tf", line_of(main, 'region_name = "us-east-2"')),
        ("HDS-LOC-004", "", "main.tf", line_of(main, '"datadog_monitor" "cpu"')),
    ]
    assert "keeps a replica in us-east-2 (Ohio, United States)" in finding(
        result, "HDS-LOC-001", "aws_dynamodb_table.sessions").message
    assert "is a global service: it runs or keeps data anywhere in the world" in finding(
        result, "HDS-LOC-001", "aws_cloudfront_distribution.portal").message
    addresses = sorted(r.address for r in result.context.resources)
    assert "aws_instance.workers[0]" in addresses and "aws_instance.workers[1]" in addresses
    assert not any(a.startswith("aws_instance.canary") for a in addresses)  # count = 0
    assert not any(a.startswith("random_id") for a in addresses)  # utility provider
    worker1 = next(r for r in result.context.resources if r.address == "aws_instance.workers[1]")
    assert [p.region.code for p in worker1.location.places] == ["eu-west-3b"]


def test_allowed_countries():
    d = TF / "european_clouds"
    result = scan(d, allowed_countries=["FR"])
    got = [r for r in rows(result, families=NOT_COVERAGE) if r[0] == "HDS-LOC-003"]
    main = d / "main.tf"
    assert got == [
        ("HDS-LOC-003", "scaleway_object_bucket.archives", "main.tf", line_of(main, 'region = "nl-ams"')),
        ("HDS-LOC-003", "scaleway_instance_server.app", "main.tf", line_of(main, 'zone  = "pl-waw-1"')),
    ]
    # UK is outside the EEA: reported once, by HDS-LOC-001, not again by HDS-LOC-003
    assert ("HDS-LOC-001", "ovh_cloud_project_database.pg_uk") in [(r[0], r[1]) for r in rows(result, families=NOT_COVERAGE)]
    assert "outside the allowed countries (France (FR))" in finding(
        result, "HDS-LOC-003", "scaleway_object_bucket.archives").message


def test_copies_followed_through_references_and_arns():
    d = TF / "copies_by_reference"
    result = scan(d)
    main = d / "main.tf"
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "aws_s3_bucket.records_copy", "main.tf", line_of(main, '"aws_s3_bucket" "records_copy"')),
        ("HDS-LOC-001", "aws_s3_bucket_replication_configuration.records", "main.tf",
         line_of(main, '"aws_s3_bucket_replication_configuration" "records"')),
        ("HDS-LOC-001", "aws_backup_plan.daily", "main.tf", line_of(main, "destination_vault_arn")),
    ]
    replication = finding(result, "HDS-LOC-001", "aws_s3_bucket_replication_configuration.records")
    assert "keeps a replica in us-east-1" in replication.message
    assert render_chain(replication.chain) == (
        f"aws_s3_bucket_replication_configuration.records copies to aws_s3_bucket.records_copy "
        f"(main.tf:{line_of(main, 'bucket = aws_s3_bucket.records_copy.arn')}) "
        f'<- provider.aws.virginia region = "us-east-1" (main.tf:{line_of(main, chr(34) + "us-east-1")})')
    assert "keeps backups in eu-west-2 (London, United Kingdom)" in finding(
        result, "HDS-LOC-001", "aws_backup_plan.daily").message


def test_override_files_replace_arguments_of_the_original():
    d = TF / "override_files"
    result = scan(d)
    f = finding(result, "HDS-LOC-001", "aws_rds_cluster.ehr")
    assert "ca-central-1 (Montreal, Canada)" in f.message or "ca-central-1 (" in f.message
    assert render_chain(f.chain) == f'provider.aws region = "ca-central-1" (zz_override.tf:{line_of(d / "zz_override.tf", "ca-central-1")})'
    rds = next(r for r in result.context.resources if r.address == "aws_rds_cluster.ehr")
    assert rds.value("storage_encrypted") is True  # the original's other arguments stay


def test_a_block_that_may_not_exist_does_not_hide_the_provider_region():
    d = TF / "optional_block_location"
    result = scan(d)
    assert rows(result, families=NOT_COVERAGE) == []
    nodes = next(r for r in result.context.resources if r.address == "aws_launch_template.nodes")
    assert [(p.role, p.region.code) for p in nodes.location.places] == [("primary", "eu-west-3")]
    assert nodes.location.undetermined == []


def test_a_replica_bucket_is_found_by_the_name_its_arn_is_written_from():
    """Issue 17: a destination "arn:aws:s3:::${local.copy_name}" names the one bucket of the root
    whose bucket is the same value, even with parts known only after apply (random_pet.x.id):
    the replica is where that bucket is. Two buckets with that name, or another unknown part,
    join nothing: the replica's place stays undetermined."""
    d = TF / "replica_named"
    result = scan(d)
    assert rows(result, families=("locality",)) == [
        ("HDS-LOC-002", "aws_s3_bucket_replication_configuration.records", "ambiguous/main.tf",
         line_of(d / "ambiguous/main.tf", "bucket = \"arn:aws:s3:::")),
        ("HDS-LOC-001", "module.copy.aws_s3_bucket.this", "modules/bucket/main.tf",
         line_of(d / "modules/bucket/main.tf", '"aws_s3_bucket" "this"')),
        ("HDS-LOC-002", "aws_s3_bucket_replication_configuration.records", "other_name/main.tf",
         line_of(d / "other_name/main.tf", "bucket = \"arn:aws:s3:::")),
        ("HDS-LOC-001", "aws_s3_bucket_replication_configuration.records", "outside/main.tf",
         line_of(d / "outside/main.tf", '"aws_s3_bucket_replication_configuration" "records"')),
    ]
    outside = d / "outside/main.tf"
    destination = line_of(outside, 'bucket = "arn:aws:s3:::')
    f = next(f for f in result.findings
             if f.rule_id == "HDS-LOC-001" and f.file == "outside/main.tf")
    assert "keeps a replica in us-east-1" in f.message
    assert render_chain(f.chain) == (
        "aws_s3_bucket_replication_configuration.records copies to module.copy.aws_s3_bucket.this, the only "
        'aws_s3_bucket of the root that "arn:aws:s3:::records-copy-${random_pet.suffix.id}" names '
        f"(outside/main.tf:{destination}) "
        f'<- provider.aws.virginia region = "us-east-1" (outside/main.tf:{line_of(outside, chr(34) + "us-east-1")})')
    backup = finding(result, "HDS-BAK-003", "aws_s3_bucket.records")
    assert backup.file == "outside/main.tf" and "stored in us-east-1" in backup.message
    by_root = {(r.root, r.address): r for r in result.context.resources}
    for root in ("eea", "literal"):  # joined, in eu-central-1: no finding
        replication = by_root[(root, "aws_s3_bucket_replication_configuration.records")]
        assert [(p.region.code, p.role) for p in replication.location.places] == [
            ("eu-west-3", "primary"), ("eu-central-1", "replica")]
        assert replication.location.undetermined == []
    unjoined = by_root[("other_name", "aws_s3_bucket_replication_configuration.records")]
    assert str(unjoined.location.undetermined[0].reason) == "random_pet.other.id is known only after apply"
