"""HDS-ENC-007 and HDS-BAK-007: a service with no setting for the property, whose provider's
documentation does not say. Low by default (no change of code settles it), medium under the
audit profile, an open item naming whom to ask, closed by a suppression that records the answer."""
from __future__ import annotations

import shutil

from conftest import FIXTURES, line_of, rows, scan

from hdslint.report.open_items import open_items

D = FIXTURES / "encryption" / "undocumented"
MAIN = D / "main.tf"
RULES = ("HDS-ENC-007", "HDS-BAK-007", "HDS-ENC-002", "HDS-BAK-005")


def _ours(result) -> list:
    return [r for r in rows(result) if r[0] in RULES]


def test_no_setting_and_nothing_documented_is_the_providers_to_say():
    result = scan(D)
    volume = line_of(MAIN, '"outscale_volume" "records"')
    hosting = line_of(MAIN, '"scaleway_webhosting" "portal"')
    assert _ours(result) == [
        ("HDS-ENC-007", "outscale_volume.records", "main.tf", volume),
        ("HDS-BAK-007", "scaleway_webhosting.portal", "main.tf", hosting),
        ("HDS-ENC-007", "scaleway_webhosting.portal", "main.tf", hosting),
    ]
    assert {f.severity for f in result.findings if f.rule_id in RULES} == {"low"}
    # the Scaleway database has a setting, and it is on: nothing to ask
    assert not [f for f in result.findings if f.resource == "scaleway_rdb_instance.notes" and f.family == "encryption"]
    enc = next(f for f in result.findings if f.rule_id == "HDS-ENC-007" and f.resource == "outscale_volume.records")
    assert str(enc.message).startswith("Only the provider can say whether outscale_volume.records is encrypted at rest")
    assert "outscale_volume has no setting for it" in str(enc.remediation)
    ledger = result.context.verdict(next(r for r in result.context.resources if r.address == "outscale_volume.records"),
                                    "at_rest")
    assert ledger.undocumented and not ledger.settable


def test_audit_profile_makes_the_build_enforce_the_answer():
    result = scan(D, profile="audit")
    assert {f.severity for f in result.findings if f.rule_id in ("HDS-ENC-007", "HDS-BAK-007")} == {"medium"}


def test_open_item_names_whom_to_ask_and_a_suppression_closes_it(tmp_path):
    result = scan(D)
    asks = {i.id: i.text for i in open_items(result.context, result.findings) if i.topic == "undocumented"}
    assert set(asks) == {"undocumented:outscale:encryption", "undocumented:scaleway:encryption",
                          "undocumented:scaleway:backup"}
    assert asks["undocumented:outscale:encryption"].startswith(
        "Ask 3DS OUTSCALE whether these services encrypt the data: Block Storage Unit (BSU) (1 resource(s) scanned).")
    # the team records OUTSCALE's answer: the finding is kept, suppressed, and the question is closed
    shutil.copy(MAIN, tmp_path / "main.tf")
    text = (tmp_path / "main.tf").read_text().replace(
        'resource "outscale_volume" "records" {',
        '# hdslint:ignore HDS-ENC-007 reason="OUTSCALE contract annex 3: BSU volumes encrypted at rest"\n'
        'resource "outscale_volume" "records" {')
    (tmp_path / "main.tf").write_text(text)
    settled = scan(tmp_path)
    assert ("HDS-ENC-007", "outscale_volume.records", "main.tf",
            line_of(tmp_path / "main.tf", '"outscale_volume" "records"')) in rows(settled, suppressed=True)
    asks = {i.id for i in open_items(settled.context, settled.findings) if i.topic == "undocumented"}
    assert asks == {"undocumented:scaleway:encryption", "undocumented:scaleway:backup"}


def test_a_setting_left_unresolved_stays_medium_encryption_undetermined():
    """A type with a setting the code can write stays HDS-ENC-002: a change of code settles it."""
    result = scan(FIXTURES / "encryption" / "aws")
    assert {f.severity for f in result.findings if f.rule_id == "HDS-ENC-002"} == {"medium"}
    assert not [f for f in result.findings if f.rule_id == "HDS-ENC-007"]
