"""HDS-SUP-002 expired-suppression: a suppression past its `until` date.

Why: accepted risks are reviewed. Once the date in `until=` has passed, the findings the
comment covered are reported again, and this finding points at the comment to renew or remove.

Passing example:   # hdslint:ignore HDS-LOC-001 reason="..." until=2099-01-01
Failing example:   # hdslint:ignore HDS-LOC-001 reason="..." until=2020-01-01
"""
from __future__ import annotations

from hdslint.model import Rule

RULE = Rule(
    id="HDS-SUP-002",
    name="expired-suppression",
    family="suppression",
    severity="low",
    title="Suppression past its expiry date",
    basis="Audit trail: accepted risks are reviewed when they expire",
    remediation="Fix the finding, or renew the suppression with a new reason and date.",
    phase="triage",  # reported while suppressions are applied (hdslint.triage.suppress)
)

