"""Findings: what a rule reports, with everything a report, a suppression or a baseline needs."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from hdslint.i18n import Text
from hdslint.model.values import Hop

SEVERITIES = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK = {s: i for i, s in enumerate(reversed(SEVERITIES))}  # info 0 ... critical 4
# Every finding belongs to exactly one family. traceability holds no rule of hdslint's own yet:
# checkov's logging checks land there (--checkov).
FAMILIES = ("locality", "coverage", "encryption", "backup", "exposure", "traceability", "parse", "suppression",
            "module")


@dataclass
class Finding:
    rule_id: str
    family: str
    severity: str
    file: str
    line: int
    message: Text  # a Msg until the scan's last step writes it in the reader's language
    remediation: Text
    resource: str = ""
    perimeters: tuple[int, ...] = ()
    attribute: str = ""  # the attribute at fault, for fingerprints that survive line shifts
    chain: tuple[Hop, ...] = ()  # Hops explaining the value at fault
    basis: Text = ""
    suppressed: bool = False
    suppression: dict[str, Any] | None = None
    source: str = "hdslint"  # or checkov, for a finding imported from its report
    related: tuple[str, ...] = ()  # checkov check ids that found the same thing (hdslint's finding stands)
    root: str = ""  # the Terraform root module the resource belongs to, when the scan holds several
    also: tuple[str, ...] = ()  # rules whose findings of the same root cause were folded into this one
    cause: str = ""  # a cause shared by several objects (the cluster's default StorageClass not in the scan)

    @property
    def fingerprint(self) -> str:
        """Stable across line shifts and file moves of the same resource: rule, resource
        (or file when the finding is about a file), the attribute at fault, and the root when the
        resource is one of several roots' (a shared module's resource in envs/prod and envs/staging)."""
        where = f"{self.root}:" if self.root not in ("", ".") else ""
        key = f"{self.rule_id}|{where}{self.resource or self.file}|{self.attribute}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str, str, str, str]:
        return (self.file, self.line, -SEVERITY_RANK[self.severity], self.rule_id, self.root, self.resource,
                str(self.message))

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rule_id": self.rule_id,
            "family": self.family,
            "severity": self.severity,
            "perimeters": list(self.perimeters),
            "file": self.file,
            "line": self.line,
            "resource": self.resource,
            "message": str(self.message),
            "remediation": str(self.remediation),
            "basis": str(self.basis),
            "suppressed": self.suppressed,
            "fingerprint": self.fingerprint,
        }
        if self.source != "hdslint":
            d["source"] = self.source
        if self.related:
            d["checkov_ids"] = list(self.related)
        if self.attribute:
            d["attribute"] = self.attribute
        if self.root:
            d["root"] = self.root
        if self.also:
            d["also"] = list(self.also)
        if self.chain:
            d["resolution"] = [h.as_dict() for h in self.chain]
        if self.suppression:
            d["suppression"] = self.suppression
        return d
