"""What every rule may read: the resource model, the problems met while reading, the
configuration, and the analyses computed once on first use (coverage, verdicts)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hdslint.analysis import coverage, manifests, protection
from hdslint.config import Config
from hdslint.formats import discover
from hdslint.formats.terraform.project import TerraformResult


@dataclass
class ScanContext:
    """What every check may read: the model, the problems met while reading, the config."""

    root: str
    config: Config
    today: dt.date
    resources: list = field(default_factory=list)
    terraform: TerraformResult = field(default_factory=TerraformResult)
    plans: list = field(default_factory=list)  # PlanResult
    kubernetes: object = None  # kubernetes.KubernetesResult
    cluster: object = None  # analysis.cluster.Cluster: where the manifests' cluster runs
    cluster_note: str = ""  # why it is not known
    manifests: object = None  # scalingo.ManifestResult
    internal_errors: list = field(default_factory=list)  # (file, line, where, error): bugs, reported not raised
    discovery: discover.Discovery | None = None
    external_rules: dict = field(default_factory=dict)  # checkov check id -> Rule (--checkov)
    checkov: dict | None = None  # what was imported from checkov, for the summary
    _coverage: object = None
    _companions: object = None
    _verdicts: dict = field(default_factory=dict)

    def severity_of(self, rule) -> str:
        return self.config.rule_severity(rule.id, rule.severity)

    @property
    def coverage(self):
        """The HDS coverage of the scanned resources, computed once (hdslint.coverage)."""
        if self._coverage is None:
            self._coverage = coverage.evaluate(self)
        return self._coverage

    def verdict(self, res, kind: str):
        """The encryption (at_rest, in_transit) or backup verdict of a resource, or None when
        its facts say nothing about it (hdslint.protection)."""
        key = (id(res), kind)
        if key not in self._verdicts and res.source_format == "kubernetes":
            self._verdicts[key] = manifests.verdict(self, res, kind)
        if key not in self._verdicts:
            if self._companions is None:
                self._companions = protection.Companions(self.resources)
            facts = res.facts or {}
            side = facts.get("backup") if kind == "backup" else (facts.get("encryption") or {}).get(kind)
            self._verdicts[key] = protection.decide(res, side, self._companions) if side else None
        return self._verdicts[key]

    @property
    def problems(self) -> list:
        """Every file that could not be read or understood, from every format."""
        out = list(self.terraform.problems)
        for plan in self.plans:
            out.extend(plan.problems)
        if self.kubernetes:
            out.extend(self.kubernetes.problems)
        if self.manifests:
            out.extend(self.manifests.problems)
        if self.discovery:
            out.extend(self.discovery.problems)
        unique, seen = [], set()
        for p in out:  # a linked file is met by discovery and again when its module is read
            if (p.file, p.message) not in seen:
                seen.add((p.file, p.message))
                unique.append(p)
        return unique
