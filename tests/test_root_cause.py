"""One root cause, one finding (hdslint.triage.rootcause): a region outside the EEA is not also
reported as outside the provider's HDS regions or as backup copies outside the EEA."""
from __future__ import annotations

import json

from conftest import FIXTURES, finding, line_of, rows, scan

from hdslint.report import RenderOptions, render

D = FIXTURES / "triage"


def test_the_most_specific_finding_is_kept_and_names_the_other_reasons():
    main = D / "root_cause" / "main.tf"
    result = scan(D / "root_cause")
    got = [r for r in rows(result) if r[0] in ("HDS-LOC-001", "HDS-COV-001", "HDS-COV-004", "HDS-BAK-003")]
    assert got == [
        ("HDS-LOC-001", "aws_s3_bucket.exports", "main.tf", line_of(main, '"aws_s3_bucket" "exports"')),
        ("HDS-LOC-001", "azurerm_storage_account.scans", "main.tf", line_of(main, 'location                 = "eastus"')),
        ("HDS-COV-001", "clevercloud_postgresql.notes", "main.tf", line_of(main, '"clevercloud_postgresql" "notes"')),
    ]
    bucket = finding(result, "HDS-LOC-001", "aws_s3_bucket.exports")
    assert bucket.also == ("HDS-BAK-003",)
    assert str(bucket.message).endswith("Its backup copies are kept in the same place, outside the EEA too.")
    azure = finding(result, "HDS-LOC-001", "azurerm_storage_account.scans")
    assert azure.also == ("HDS-COV-004",)
    assert "It also breaks Microsoft Azure's HDS condition: Use only the regions" in str(azure.message)
    # the region condition's fix satisfies both causes: an Azure HDS region, not any EEA region
    assert str(azure.remediation).startswith("Deploy health data in francecentral")
    clever = finding(result, "HDS-COV-001", "clevercloud_postgresql.notes")
    assert clever.also == ("HDS-COV-004",) and "parhds" in str(clever.message)
    assert str(clever.remediation).startswith('Set region = "parhds"')


def test_folded_reasons_reach_the_json_report_and_the_ledger():
    result = scan(D / "root_cause")
    doc = json.loads(render("json", result, RenderOptions(fail_on="medium", color=False)))
    azure = next(f for f in doc["findings"] if f["resource"] == "azurerm_storage_account.scans"
                 and f["rule_id"] == "HDS-LOC-001")
    assert azure["also"] == ["HDS-COV-004"]
    verdicts = next(r["verdicts"] for r in doc["resources"] if r["address"] == "azurerm_storage_account.scans")
    assert verdicts["coverage"]["rule_id"] == "HDS-LOC-001" and verdicts["coverage"]["status"] == "finding"


def test_in_french():
    result = scan(D / "root_cause", lang="fr")
    azure = finding(result, "HDS-LOC-001", "azurerm_storage_account.scans")
    assert "Elle enfreint aussi la condition HDS du fournisseur Microsoft Azure" in str(azure.message)


def test_distinct_causes_stay_distinct():
    main = D / "distinct_causes" / "main.tf"
    result = scan(D / "distinct_causes")
    # an EEA region outside Azure's published HDS scope: the condition is the only reason
    assert [r for r in rows(result) if r[1]] == [
        ("HDS-BAK-001", "azurerm_storage_account.scans", "main.tf", line_of(main, '"azurerm_storage_account" "scans"')),
        ("HDS-COV-004", "azurerm_storage_account.scans", "main.tf", line_of(main, '"germanywestcentral"')),
    ]
    assert finding(result, "HDS-COV-004", "azurerm_storage_account.scans").also == ()


def test_a_suppressed_finding_absorbs_nothing(tmp_path):
    text = (D / "root_cause" / "main.tf").read_text().replace(
        '  location                 = "eastus"',
        '  # hdslint:ignore HDS-LOC-001 reason="test data only"\n  location                 = "eastus"')
    (tmp_path / "main.tf").write_text(text)
    result = scan(tmp_path)
    assert [r[0] for r in rows(result, suppressed=True)] == ["HDS-LOC-001"]
    assert finding(result, "HDS-COV-004", "azurerm_storage_account.scans").also == ()


def test_objects_that_share_one_unknown_get_one_finding_that_lists_them():
    d = D / "shared_cause"
    result = scan(d)
    audit = line_of(d / "more.yaml", "apiVersion: v1")
    assert [r for r in rows(result) if r[0] != "HDS-LOC-005"] == [
        ("HDS-BAK-005", "PersistentVolumeClaim/ops/audit", "more.yaml", audit),
        ("HDS-ENC-002", "PersistentVolumeClaim/ops/audit", "more.yaml", audit),
    ]
    for rule in ("HDS-BAK-005", "HDS-ENC-002"):
        f = finding(result, rule, "PersistentVolumeClaim/ops/audit")
        assert str(f.message).endswith("The same holds for 2 other object(s): PersistentVolumeClaim/care/records, "
                                       "PersistentVolumeClaim/care/scans.")
        # the other claims' places stay in the chain: a pre-commit run on volumes.yaml still shows it
        assert [(h.file, h.line) for h in f.chain] == [
            ("volumes.yaml", line_of(d / "volumes.yaml", "apiVersion: v1", 1)),
            ("volumes.yaml", line_of(d / "volumes.yaml", "apiVersion: v1", 2))]
    assert str(finding(result, "HDS-ENC-002", "PersistentVolumeClaim/ops/audit").remediation).startswith(
        "Set storageClassName to a StorageClass of the scan that encrypts")
    # each claim keeps its own verdict in the ledger
    doc = json.loads(render("json", result, RenderOptions(fail_on="medium", color=False)))
    statuses = {r["address"]: r["verdicts"]["encryption_at_rest"]["status"] for r in doc["resources"]
                if r["type"] == "PersistentVolumeClaim"}
    assert statuses == {"PersistentVolumeClaim/ops/audit": "unknown", "PersistentVolumeClaim/care/records": "unknown",
                        "PersistentVolumeClaim/care/scans": "unknown"}
