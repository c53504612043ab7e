"""HDS-SUP-001 invalid-suppression: an hdslint:ignore comment that suppresses nothing.

Why: an accepted risk must say why it is accepted; an auditor reads the reason. A comment
without `reason="..."`, without a valid rule id, or with an invalid `until` date suppresses
nothing: the finding stays and this finding points at the comment.

Passing example:   # hdslint:ignore HDS-LOC-001 reason="DR copy approved by the DPO" until=2027-01-31
Failing example:   # hdslint:ignore HDS-LOC-001
"""
from __future__ import annotations

from hdslint.model import Rule

RULE = Rule(
    id="HDS-SUP-001",
    name="invalid-suppression",
    family="suppression",
    severity="low",
    title="Suppression comment without a reason or a valid rule id",
    basis="Audit trail: every accepted finding carries its reason",
    remediation='Write: hdslint:ignore RULE_ID reason="why this is acceptable" until=YYYY-MM-DD',
    phase="triage",  # reported while suppressions are applied (hdslint.triage.suppress)
)

