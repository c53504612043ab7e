"""Coverage: perimeters against the certification catalog, provider conditions, declarations,
expiry, unknown providers, the matrix in text and JSON, and `hdslint providers`."""
from __future__ import annotations

import datetime as dt
import json

from conftest import FIXTURES, finding, line_of, rows, scan
from test_cli import hdslint

from hdslint.analysis.coverage import matrix
from hdslint.report import RenderOptions, render

COV = FIXTURES / "coverage"
COVERAGE = ("coverage",)


def test_compliant_scalingo_stack_is_covered_for_all_six_perimeters():
    result = scan(COV / "compliant_scalingo")
    assert rows(result, families=COVERAGE) == []
    cells = {r["perimeter"]: r for r in matrix(result.context.coverage)}
    assert [cells[p]["status"] for p in range(1, 7)] == ["covered"] * 5 + ["covered"]
    p4 = cells[4]["providers"][0]
    assert p4["provider"] == "scalingo" and p4["required_by"] == ["scalingo_addon.db", "scalingo_app.api",
                                                                    "scalingo_container_type.web"]
    assert any("38436" in e for e in p4["evidence"])


def test_scalingo_conditions():
    d = COV / "scalingo_conditions"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=COVERAGE) == [
        ("HDS-COV-004", "scalingo_app.legacy", "main.tf", line_of(main, '"scalingo_app" "legacy"')),
        ("HDS-COV-004", "scalingo_container_type.legacy_web", "main.tf", line_of(main, "amount = 1")),
        ("HDS-COV-004", "scalingo_addon.db_cheap", "main.tf", line_of(main, '"postgresql-starter-512"')),
        ("HDS-COV-004", "scalingo_addon.search", "main.tf", line_of(main, '"scalingo-elasticsearch"')),
    ]
    assert "hds_resource" in finding(result, "HDS-COV-004", "scalingo_app.legacy").message
    assert "(found: amount = 1)" in finding(result, "HDS-COV-004", "scalingo_container_type.legacy_web").message


def test_scaleway_conditions():
    d = COV / "scaleway_hds"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=COVERAGE) == [
        ("HDS-COV-007", "", "main.tf", line_of(main, '"scaleway_object_bucket" "records"')),
        ("HDS-COV-004", "scaleway_object_bucket.records_ams", "main.tf", line_of(main, 'region = "nl-ams"')),
        ("HDS-COV-004", "scaleway_object_bucket.archives", "main.tf", line_of(main, "lifecycle_rule {")),
    ]
    assert "(found: location nl-ams)" in finding(result, "HDS-COV-004", "scaleway_object_bucket.records_ams").message


def test_azure_regions_outside_the_published_scope_and_unknown_perimeters():
    d = COV / "azure_scope"
    result = scan(d)
    assert rows(result, families=COVERAGE) == [
        # the catalog's Azure certificate is under the 2018 référentiel, lapsed on 2026-05-16
        ("HDS-COV-006", "", "main.tf", line_of(d / "main.tf", '"azurerm_storage_account" "paris"')),
        ("HDS-COV-007", "", "main.tf", line_of(d / "main.tf", '"azurerm_storage_account" "paris"')),
        ("HDS-COV-004", "azurerm_storage_account.frankfurt", "main.tf",
         line_of(d / "main.tf", 'location                 = "germanywestcentral"')),
    ]
    f = finding(result, "HDS-COV-004", "azurerm_storage_account.frankfurt")
    assert f.severity == "medium" and "germanywestcentral" in f.message
    f = finding(result, "HDS-COV-007")
    assert f.severity == "low" and "perimeters of its certificate are not published" in f.message
    assert "BSI certificate directory" in f.remediation


def test_ovh_excluded_plans_and_subcontractor_access():
    d = COV / "ovh_plans"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result, families=COVERAGE) == [
        ("HDS-COV-005", "ovh_cloud_project_database.business", "main.tf", line_of(main, '"business" {')),
        ("HDS-COV-005", "ovh_cloud_project_database.essential", "main.tf", line_of(main, '"essential" {')),
        ("HDS-COV-004", "ovh_cloud_project_database.essential", "main.tf", line_of(main, 'plan         = "essential"')),
    ]
    sub = finding(result, "HDS-COV-005", "ovh_cloud_project_database.business")
    assert "Aiven" in sub.message and "Canada, United Kingdom" in sub.message and sub.perimeters == (4, 5, 6)


def test_unknown_status_is_never_certified_by_guess():
    d = COV / "unknown_provider_status"
    result = scan(d)
    assert rows(result, families=COVERAGE) == [("HDS-COV-003", "", "main.tf", line_of(d / "main.tf", '"hcloud_server"'))]
    assert "2 resource(s)" in finding(result, "HDS-COV-003").message
    assert {c["status"] for r in matrix(result.context.coverage) for c in r["providers"]} == {"unknown"}


def test_expired_certificate_at_the_scan_date():
    d = COV / "compliant_scalingo"
    result = scan(d, today=dt.date(2028, 9, 12))
    before = scan(d, today=dt.date(2028, 9, 11))
    assert rows(before, families=COVERAGE) == []
    f = finding(result, "HDS-COV-002")
    assert "expired on 2028-09-11" in f.message and "3 resource(s)" in f.message
    assert {c["status"] for r in matrix(result.context.coverage) for c in r["providers"]} == {"expired"}


def test_today_option_makes_expiry_reproducible():
    d = COV / "compliant_scalingo"
    assert hdslint("scan", "--today", "2028-09-11", cwd=d).returncode == 0
    out = hdslint("scan", "--today", "2028-09-12", cwd=d)
    assert out.returncode == 1 and "HDS-COV-002" in out.stdout


def test_team_declarations_and_catalog_overrides(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-3"\n}\n'
        'resource "aws_db_instance" "ehr" {\n  engine = "postgres"\n}\n'
        'resource "aws_instance" "app" {\n  ami = "ami-1"\n}\n')
    overrides = {"aws": {"certification": {"perimeters": [1, 2, 3], "certificate": {
        "number": "HDS-AWS-TEST", "issuer": "Example CB", "valid_from": "2025-01-01", "valid_until": "2028-01-01"}}}}
    result = scan(tmp_path, catalog_overrides=overrides)
    f = finding(result, "HDS-COV-001", "aws_db_instance.ehr")
    assert f.perimeters == (4,) and "4 (Application hosting platform)" in f.message
    assert rows(result, families=COVERAGE) == [("HDS-COV-001", "aws_db_instance.ehr", "main.tf", 4)]
    declared = [{"perimeters": [4], "by": "Acme Infogérance", "certificate": "HDS-ACME-1", "valid_until": "2027-12-31"}]
    result = scan(tmp_path, catalog_overrides=overrides, declarations=declared)
    assert rows(result, families=COVERAGE) == []
    cells = {r["perimeter"]: r for r in matrix(result.context.coverage)}
    assert cells[4]["providers"][0]["status"] == "declared"
    assert cells[4]["providers"][0]["evidence"] == [
        "declared: performed by Acme Infogérance, certificate HDS-ACME-1, valid until 2027-12-31"]
    # the certificate the team recorded is a declared fact, never what hdslint ships
    assert cells[1]["providers"][0]["status"] == "declared"
    assert any("HDS-AWS-TEST" in e and "declared in the configuration" in e for e in cells[1]["providers"][0]["evidence"])
    expired = [{**declared[0], "valid_until": "2026-01-31"}]
    result = scan(tmp_path, catalog_overrides=overrides, declarations=expired)
    assert "expired on 2026-01-31" in finding(result, "HDS-COV-002").message


def test_region_and_service_scope(tmp_path):
    (tmp_path / "main.tf").write_text(
        'resource "ovh_vps" "legacy" {\n  display_name = "legacy"\n}\n'
        'provider "aws" {\n  region = "eu-central-1"\n}\n'
        'resource "aws_s3_bucket" "docs" {\n  bucket = "docs"\n}\n')
    overrides = {"aws": {"certification": {"perimeters": [1, 2, 3, 4], "regions": ["eu-west-3"]}}}
    result = scan(tmp_path, catalog_overrides=overrides)
    got = {(f.rule_id, f.resource): f.message for f in result.findings if f.family == "coverage"}
    assert "eu-central-1 is not among the certified regions (eu-west-3)" in got[("HDS-COV-001", "aws_s3_bucket.docs")]
    assert ("HDS-COV-001", "ovh_vps.legacy") in got and "excludes from its HDS certificate" in got[
        ("HDS-COV-001", "ovh_vps.legacy")]


def test_matrix_in_text_and_json_outputs():
    result = scan(COV / "ovh_plans")
    text = render("text", result, RenderOptions(fail_on="medium", color=False))
    assert "HDS coverage" in text and "  4 Application hosting platform" in text
    row4 = next(ln for ln in text.splitlines() if ln.startswith("  4 "))
    assert row4.split()[-1] == "certified"
    doc = json.loads(render("json", result, RenderOptions(fail_on="medium", color=False)))
    p4 = doc["coverage"][3]
    assert p4["perimeter"] == 4 and p4["status"] == "covered"
    assert any("subcontractor Aiven OY" in e for e in p4["providers"][0]["evidence"])
    assert doc["coverage"][4] == {"perimeter": 5, "name": "Administration and operation of the information system",
                                  "status": "not_required", "providers": [], "declarations": []}


def test_providers_command():
    out = hdslint("providers", "--today", "2026-11-29")
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert lines[0].split()[:3] == ["id", "provider", "HDS"]
    ids = {ln.split()[0] for ln in lines[1:]}
    assert {"aws", "azure", "google", "ovh", "scaleway", "outscale", "scalingo", "clevercloud", "cloudtemple",
            "numspot", "orange", "ionos", "hetzner", "oracle", "digitalocean", "linode"} <= ids
    scalingo = next(ln for ln in lines if ln.startswith("scalingo "))
    assert "certified" in scalingo and "1,2,3,4,5,6" in scalingo and "2028-09-11" in scalingo
    detail = hdslint("providers", "scalingo", "--today", "2026-11-29").stdout
    assert "38436" in detail and "condition" in detail and "sources:" in detail
    doc = json.loads(hdslint("providers", "ovh", "--format", "json").stdout)
    assert doc[0]["provider"] == "ovh" and doc[0]["services"]
    late = hdslint("providers", "--today", "2029-01-01").stdout
    assert "older than 12 months" in late
    assert hdslint("providers", "nope").returncode == 2


def test_a_certificate_under_a_lapsed_referentiel_is_its_own_finding():
    d = COV / "azure_scope"
    before = scan(d, today=dt.date(2026, 5, 16))  # the last day v1.1 certificates count
    assert not [f for f in before.findings if f.rule_id == "HDS-COV-006"]
    after = finding(scan(d, today=dt.date(2026, 5, 17)), "HDS-COV-006")
    assert after.severity == "medium" and "2018 (v1.1)" in after.message and "2026-05-16" in after.message
    overridden = scan(d, catalog_overrides={"azure": {"certification": {"referentiel": "2024 (v2)"}}})
    assert not [f for f in overridden.findings if f.rule_id == "HDS-COV-006"]


def test_perimeters_not_published_are_paperwork_low_unless_the_audit_profile():
    d = COV / "perimeters_not_verified"
    main = d / "main.tf"
    result = scan(d)
    assert rows(result) == [("HDS-COV-007", "", "main.tf", line_of(main, '"aws_db_instance" "records"'))]
    f = finding(result, "HDS-COV-007")
    assert f.severity == "low" and not result.failing("medium")
    assert "need perimeters 1, 2, 3, 4, 6 from it (aws_db_instance.records)" in f.message
    assert "coverage.catalog_overrides.aws.certification.perimeters" in f.remediation
    assert "AWS Artifact" in f.remediation
    cells = {c["status"] for row in matrix(result.context.coverage) for c in row["providers"]}
    assert cells == {"unverified"}  # perimeter 5 is not needed: no cell
    audited = scan(d, profile="audit")
    assert [(g.rule_id, g.severity) for g in audited.failing("medium")] == [("HDS-COV-007", "medium")]
    both = scan(d, profile=["strict", "audit"])  # profiles combine: strict adds customer-managed keys
    assert sorted((g.rule_id, g.severity) for g in both.failing("medium")) == [
        ("HDS-COV-007", "medium"), ("HDS-ENC-004", "medium")]
    assert hdslint("scan", "--today", "2026-11-29", cwd=d).returncode == 0
    assert hdslint("scan", "--today", "2026-11-29", "--profile", "audit", cwd=d).returncode == 1


def test_perimeters_recorded_by_the_team_settle_it():
    d = COV / "perimeters_declared"  # its .hdslint.yaml records the AWS certificate's perimeters
    out = hdslint("scan", "--today", "2026-11-29", "--profile", "audit", "--format", "json", cwd=d)
    assert out.returncode == 0
    doc = json.loads(out.stdout)
    assert doc["findings"] == []
    statuses = {c["status"] for row in doc["coverage"] for c in row["providers"]}
    assert statuses == {"declared"}  # the team's record, shown as declared, never as hdslint's own (issue 20)
