"""No silent pass: every data store gets a verdict on its five properties (the ledger of the JSON
report and of the HTML inventory), a type hdslint holds no fact for is "not assessed" (low
HDS-ENC-006 / HDS-BAK-006, listed in the summary), Clever Cloud's documented switches."""
from __future__ import annotations

import json

import jsonschema
from conftest import FIXTURES, ROOT, line_of, rows, scan

from hdslint.report import RenderOptions, render

SCHEMA = json.loads((ROOT / "policies" / "schemas" / "report.schema.json").read_text())
ENC = FIXTURES / "encryption"


def _report(result) -> dict:
    doc = json.loads(render("json", result, RenderOptions(fail_on="none", color=False)))
    jsonschema.validate(doc, SCHEMA)
    return doc


def _ledger(doc: dict) -> dict[str, dict[str, tuple[str, str | None]]]:
    return {r["address"]: {p: (v["status"], v["rule_id"]) for p, v in r["verdicts"].items()}
            for r in doc["resources"] if "verdicts" in r}


def test_a_type_without_facts_is_not_assessed_never_silent():
    main = ENC / "not_assessed" / "main.tf"
    result = scan(ENC / "not_assessed")
    line = line_of(main, 'resource "hcloud_volume"')
    assert rows(result, families=("encryption", "backup")) == [
        ("HDS-BAK-006", "hcloud_volume.uploads", "main.tf", line),
        ("HDS-ENC-006", "hcloud_volume.uploads", "main.tf", line),
        ("HDS-BAK-001", "aws_ebs_volume.scans", "main.tf", line_of(main, 'resource "aws_ebs_volume"')),
    ]
    assert {f.severity for f in result.findings if f.rule_id in ("HDS-ENC-006", "HDS-BAK-006")} == {"low"}
    doc = _report(result)
    ledger = _ledger(doc)
    assert ledger["hcloud_volume.uploads"]["encryption_at_rest"] == ("not_assessed", "HDS-ENC-006")
    assert ledger["hcloud_volume.uploads"]["backup"] == ("not_assessed", "HDS-BAK-006")
    assert ledger["aws_ebs_volume.scans"]["encryption_at_rest"] == ("ok", None)
    assert ledger["aws_ebs_volume.scans"]["backup"] == ("finding", "HDS-BAK-001")
    assessment = doc["summary"]["assessment"]
    assert assessment["encryption_at_rest"]["not_assessed_types"] == ["hcloud_volume"]
    assert assessment["backup"]["counts"] == {"ok": 0, "finding": 1, "unknown": 0, "not_assessed": 1,
                                              "not_applicable": 0}


def test_clever_cloud_switches_are_judged():
    main = ENC / "clevercloud" / "main.tf"
    result = scan(ENC / "clevercloud")
    assert rows(result) == [
        ("HDS-ENC-001", "clevercloud_postgresql.records", "main.tf", line_of(main, "encryption = false")),
        ("HDS-BAK-001", "clevercloud_postgresql.records", "main.tf", line_of(main, "backup     = false")),
    ]
    ledger = _ledger(_report(result))
    assert ledger["clevercloud_postgresql.appointments"] == {
        "location": ("ok", None), "encryption_at_rest": ("ok", None), "encryption_in_transit": ("not_assessed", None),
        "backup": ("ok", None), "coverage": ("ok", None)}


def test_every_data_store_has_five_verdicts_with_their_basis():
    result = scan(FIXTURES / "backup" / "same_expression")
    doc = _report(result)
    stores = [r for r in doc["resources"] if r["data"] == "stores"]
    assert stores and all(set(r["verdicts"]) == {"location", "encryption_at_rest", "encryption_in_transit",
                                                 "backup", "coverage"} for r in stores)
    records = next(r["verdicts"] for r in stores if r["address"] == "aws_s3_bucket.records")
    assert records["backup"]["status"] == "ok" and "aws_s3_bucket_versioning.records" in records["backup"]["basis"]
    assert records["location"] == {"status": "ok", "rule_id": None, "basis": "in the EEA: eu-west-3 (primary)"}
    assert records["encryption_in_transit"]["rule_id"] == "HDS-ENC-003"
    finding_ids = {(f["rule_id"], f["resource"]) for f in doc["findings"]}
    for r in stores:  # a rule_id always names a finding of the list
        for v in r["verdicts"].values():
            if v["rule_id"] and v["status"] != "ok" and v["rule_id"] not in ("HDS-COV-002", "HDS-COV-003",
                                                                                  "HDS-COV-006", "HDS-COV-007"):
                assert (v["rule_id"], r["address"]) in finding_ids


def test_replicas_and_classes_are_not_applicable_not_silent():
    doc = _report(scan(ENC / "inherited"))
    ledger = _ledger(doc)
    replicas = [a for a, v in ledger.items() if v["backup"] == ("not_applicable", None)]
    assert "aws_db_instance.reader" in replicas
    kube = _ledger(_report(scan(FIXTURES / "kubernetes" / "volume_backups", k8s_provider="aws",
                                k8s_region="eu-west-3")))
    assert kube["StorageClass/encrypted"]["backup"] == ("not_applicable", None)
    assert kube["BackupStorageLocation/velero/default"]["backup"] == ("not_applicable", None)
    assert kube["BackupStorageLocation/velero/default"]["encryption_at_rest"] == ("ok", None)
    assert kube["PersistentVolumeClaim/ehr/documents"]["backup"] == ("ok", None)
    assert kube["PersistentVolumeClaim/tools/exports"]["backup"] == ("finding", "HDS-BAK-001")


def test_the_html_report_shows_the_ledger():
    result = scan(ENC / "not_assessed")
    html = render("html", result, RenderOptions(fail_on="none", color=False))
    section = html.split('id="inventory"')[1].split("</section>")[0]
    assert section.count("<tr><th scope=\"row\">") == 2  # one row per data store
    assert "not assessed" in section and "HDS-ENC-006" in section and "hcloud_volume" in section


def test_a_finding_on_one_kind_of_encryption_leaves_the_other_to_its_own_verdict():
    """HDS-ENC-002 and HDS-ENC-007 judge both kinds of encryption; each finding says which."""
    doc = _report(scan(ENC / "undocumented"))
    ledger = _ledger(doc)
    # OUTSCALE documents nothing about BSU encryption at rest; in transit is not a volume's own property
    assert ledger["outscale_volume.records"]["encryption_at_rest"] == ("unknown", "HDS-ENC-007")
    assert ledger["outscale_volume.records"]["encryption_in_transit"][1] != "HDS-ENC-007"
    assert ledger["scaleway_webhosting.portal"]["encryption_at_rest"] == ("unknown", "HDS-ENC-007")
    assert ledger["scaleway_webhosting.portal"]["backup"] == ("unknown", "HDS-BAK-007")
