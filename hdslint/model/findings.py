"""Findings: what a rule reports, with everything a report, a suppression or a baseline needs."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # info 0 ... critical 4
# Every finding belongs to exactly one family. traceability holds no rule of hdslint's own yet:
# checkov's logging checks land there (--checkov).
FAMILIES = ("locality", "coverage", "encryption", "backup", "exposure", "traceability", "parse", "suppression")


@dataclass
class Finding:
    rule_id: str
    family: str
    severity: str
    file: str
    line: int
    message: str
    remediation: str
    resource: str = ""
    perimeters: tuple = ()
    attribute: str = ""  # the attribute at fault, for fingerprints that survive line shifts
    chain: tuple = ()  # Hops explaining the value at fault
    basis: str = ""
    suppressed: bool = False
    suppression: dict | None = None
    source: str = "hdslint"  # or checkov, for a finding imported from its report
    related: tuple = ()  # checkov check ids that found the same thing (hdslint's finding stands)

    @property
    def fingerprint(self) -> str:
        """Stable across line shifts and file moves of the same resource: rule, resource
        (or file when the finding is about a file) and the attribute at fault."""
        key = f"{self.rule_id}|{self.resource or self.file}|{self.attribute}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def sort_key(self):
        return (self.file, self.line, -SEVERITY_RANK[self.severity], self.rule_id, self.resource, self.message)

    def as_dict(self) -> dict:
        d = {
            "rule_id": self.rule_id,
            "family": self.family,
            "severity": self.severity,
            "perimeters": list(self.perimeters),
            "file": self.file,
            "line": self.line,
            "resource": self.resource,
            "message": self.message,
            "remediation": self.remediation,
            "basis": self.basis,
            "suppressed": self.suppressed,
            "fingerprint": self.fingerprint,
        }
        if self.source != "hdslint":
            d["source"] = self.source
        if self.related:
            d["checkov_ids"] = list(self.related)
        if self.attribute:
            d["attribute"] = self.attribute
        if self.chain:
            d["resolution"] = [h.as_dict() for h in self.chain]
        if self.suppression:
            d["suppression"] = self.suppression
        return d
