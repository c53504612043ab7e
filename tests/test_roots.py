"""Each Terraform root on its own: resources with the same addresses in two roots are judged
apart, and a finding in a shared module names the root that calls it."""
from __future__ import annotations

import json

from conftest import FIXTURES, line_of, scan

ROOTS = FIXTURES / "terraform" / "roots_same_names"


def test_a_compliant_root_does_not_hide_a_non_compliant_one():
    result = scan(ROOTS)
    staging, module = ROOTS / "envs" / "staging" / "main.tf", ROOTS / "modules" / "storage" / "main.tf"
    got = sorted((f.rule_id, f.root, f.resource, f.file, f.line) for f in result.findings
                 if f.family == "backup")
    assert got == [
        ("HDS-BAK-001", "envs/staging", "aws_db_instance.patients", "envs/staging/main.tf",
         line_of(staging, "backup_retention_period")),
        ("HDS-BAK-001", "envs/staging", "module.storage.aws_s3_bucket.records", "modules/storage/main.tf",
         line_of(module, '"aws_s3_bucket" "records"')),
    ]


def test_findings_of_a_shared_module_name_their_root_and_keep_apart_in_baselines():
    result = scan(ROOTS)
    tls = [f for f in result.findings if f.rule_id == "HDS-ENC-003"]
    assert sorted(f.root for f in tls) == ["envs/prod", "envs/staging"]
    assert len({f.fingerprint for f in tls}) == 2
    doc = [f.as_dict() for f in tls]
    assert {d["root"] for d in doc} == {"envs/prod", "envs/staging"}
    assert json.dumps(doc)  # plain data


def test_a_single_root_keeps_its_fingerprints():
    result = scan(FIXTURES / "terraform" / "provider_tfvars_fail")
    f = next(f for f in result.findings if f.rule_id == "HDS-LOC-001")
    assert f.root == "."
    import hashlib

    key = f"{f.rule_id}|{f.resource}|{f.attribute}"
    assert f.fingerprint == hashlib.sha256(key.encode()).hexdigest()[:32]
