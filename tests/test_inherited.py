"""What a resource inherits from its source (policies: derived_from): a read replica's and a
restore's encryption, a replica's backups (its source's count)."""
from __future__ import annotations

from conftest import FIXTURES, line_of, rows, scan

D = FIXTURES / "encryption" / "inherited"


def test_replicas_restores_and_copies_take_their_sources_encryption():
    result = scan(D)
    f = D / "main.tf"
    got = [r for r in rows(result, families=("encryption", "backup"))
           if r[0] in ("HDS-ENC-001", "HDS-BAK-001") or (r[0] == "HDS-ENC-002" and r[1].endswith("outside_reader"))]
    assert got == [
        ("HDS-ENC-001", "aws_db_instance.legacy", "main.tf", line_of(f, '"aws_db_instance" "legacy"')),
        ("HDS-ENC-001", "aws_db_instance.legacy_reader", "main.tf", line_of(f, '"aws_db_instance" "legacy_reader"')),
        ("HDS-ENC-002", "aws_db_instance.outside_reader", "main.tf", line_of(f, '"aws_db_instance" "outside_reader"')),
        ("HDS-ENC-002", "aws_db_instance.outside_reader", "main.tf", line_of(f, '"aws_db_instance" "outside_reader"')),
        ("HDS-BAK-001", "aws_ebs_volume.restored", "main.tf", line_of(f, '"aws_ebs_volume" "restored"')),
    ]
    legacy_reader = next(x for x in result.findings if x.resource == "aws_db_instance.legacy_reader"
                         and x.rule_id == "HDS-ENC-001")
    assert "a replica of aws_db_instance.legacy, which it inherits: storage_encrypted / kms_key_id not set" in \
        legacy_reader.message


def test_verdicts_say_where_they_come_from():
    result = scan(D)
    by = {r.address: r for r in result.context.resources}
    reader = result.context.verdict(by["aws_db_instance.reader"], "at_rest")
    assert (reader.state, reader.how, [c.address for c in reader.companions]) == (
        "on", "inherited", ["aws_db_instance.primary"])
    assert result.context.verdict(by["aws_db_instance.reader"], "backup") is None  # a replica: not its own
    restored = result.context.verdict(by["aws_ebs_volume.restored"], "at_rest")
    assert (restored.state, restored.how) == ("on", "inherited")
    snapshot = result.context.verdict(by["aws_ebs_snapshot.data"], "at_rest")
    assert (snapshot.state, snapshot.how) == ("on", "inherited")
    outside = result.context.verdict(by["aws_db_instance.outside_reader"], "at_rest")
    assert outside.state == "unknown" and "not in the scan" in str(outside.detail)
