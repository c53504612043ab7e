"""What every rule may read (ScanContext: the resource model, the problems met while reading,
the configuration, the analyses computed once on first use) and what a scan gives the reports
(ScanResult)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hdslint.analysis import coverage, protection
from hdslint.formats.terraform.project import TerraformResult
from hdslint.model import SEVERITY_RANK, Finding, InternalError, Problem, Resource, Rule

if TYPE_CHECKING:  # what only some scans read is imported when they read it
    from hdslint.analysis import transfers
    from hdslint.analysis.cluster import Cluster
    from hdslint.config import Config
    from hdslint.formats.discover import Discovery
    from hdslint.formats.kubernetes import KubernetesResult
    from hdslint.formats.scalingo import ManifestResult
    from hdslint.formats.targets import RenderResult
    from hdslint.formats.terraform.plan import PlanResult
    from hdslint.i18n import Text


@dataclass
class ScanContext:
    """What every check may read: the model, the problems met while reading, the config."""

    root: str
    config: Config
    today: dt.date
    resources: list[Resource] = field(default_factory=list)
    terraform: TerraformResult = field(default_factory=TerraformResult)
    plans: list[PlanResult] = field(default_factory=list)
    kubernetes: KubernetesResult | None = None
    cluster: Cluster | None = None  # where the manifests' cluster runs
    cluster_note: Text = ""  # why it is not known
    manifests: ManifestResult | None = None
    rendering: RenderResult | None = None  # Helm charts and kustomizations rendered (hdslint.formats.render)
    internal_errors: list[InternalError] = field(default_factory=list)
    discovery: Discovery | None = None
    external_rules: dict[str, Rule] = field(default_factory=dict)  # checkov check id -> Rule (--checkov)
    checkov: dict | None = None  # what was imported from checkov, for the summary
    _coverage: coverage.Coverage | None = None
    _companions: protection.Companions | None = None
    _verdicts: dict[tuple[int, str], protection.Verdict | None] = field(default_factory=dict)
    _by_address: dict[tuple[str, str], list[Resource]] | None = None
    _transfers: list[transfers.Transfer] | None = None
    # (root, address) -> property -> (status, basis, rule id): a reusable module's resources,
    # judged on what its inputs admit (hdslint.rules.module.inputs)
    input_verdicts: dict[tuple[str, str], dict[str, tuple[str, Text, str | None]]] = field(default_factory=dict)

    def severity_of(self, rule: Rule) -> str:
        default = getattr(self.config, rule.severity_setting) if rule.severity_setting else rule.severity
        if rule.audit_severity and self.config.has_profile("audit"):
            default = rule.audit_severity
        return self.config.rule_severity(rule.id, default)

    def subjects(self, looks_at: str) -> list[Resource]:
        """The resources a per-resource rule is called on (hdslint.model.rule.SUBJECTS)."""
        if looks_at == "data":
            return [r for r in self.resources if r.data_role != "none"]
        if looks_at == "data_store":
            return [r for r in self.resources if r.data_role == "stores"]
        return self.resources

    def resources_at(self, root: str, base_address: str) -> list[Resource]:
        """The instances of a resource address (without instance keys) in one root."""
        if self._by_address is None:
            self._by_address = {}
            for r in self.resources:
                self._by_address.setdefault((r.root, r.base_address), []).append(r)
        return self._by_address.get((root, base_address), [])

    @property
    def coverage(self) -> coverage.Coverage:
        """The HDS coverage of the scanned resources, computed once (hdslint.analysis.coverage)."""
        if self._coverage is None:
            self._coverage = coverage.evaluate(self)
        return self._coverage

    @property
    def transfers(self) -> list[transfers.Transfer]:
        """The map of transfers outside the EEA, computed once (hdslint.analysis.transfers)."""
        if self._transfers is None:
            from hdslint.analysis import transfers

            providers = list(self.terraform.unknown_providers.values())
            for plan in self.plans:
                providers += plan.unknown_providers.values()
            unread = transfers.Unread(
                tuple(self.problems) + tuple(self.terraform.missing_modules),
                tuple(self.kubernetes.helm_templates) if self.kubernetes else (),
                tuple((m.address, m.file, m.line) for m in self.terraform.remote_modules))
            self._transfers = transfers.evaluate(self, providers, self.cluster_note, unread)
        return self._transfers

    def verdict(self, res: Resource, kind: str) -> protection.Verdict | None:
        """The encryption (at_rest, in_transit) or backup verdict of a resource, or None when
        its facts say nothing about it, or the property is not its own (a replica's backups)
        (hdslint.analysis.protection)."""
        key = (id(res), kind)
        if key in self._verdicts:
            return self._verdicts[key]
        self._verdicts[key] = None  # a resource that would derive from itself stops here
        entry = protection.derivation(res)
        if entry is not None and kind == "backup" and entry.get("backup") == "not_needed":
            return None
        verdict = self._own_verdict(res, kind)
        if entry is not None and kind in entry.get("inherits", []):
            sources = self.companions.sources(res, entry["attribute"])
            verdict = protection.inherited(res, entry, kind, verdict, [(s, self.verdict(s, kind)) for s in sources])
        self._verdicts[key] = verdict
        return verdict

    @property
    def companions(self) -> protection.Companions:
        """The joins between resources (companions, sources), made once (hdslint.analysis.protection)."""
        if self._companions is None:
            self._companions = protection.Companions(self.resources)
        return self._companions

    def _own_verdict(self, res: Resource, kind: str) -> protection.Verdict | None:
        if res.source_format == "kubernetes":
            from hdslint.analysis import manifests

            return manifests.verdict(self, res, kind)
        facts = res.facts or {}
        side = facts.get("backup") if kind == "backup" else (facts.get("encryption") or {}).get(kind)
        return protection.decide(res, side, self.companions) if side else None

    @property
    def problems(self) -> list[Problem]:
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


@dataclass
class ScanResult:
    """What a scan found, with its context: what every report is rendered from."""

    root: str
    findings: list[Finding]
    context: ScanContext
    files_discovered: int
    files_analysed: int
    files_reported: int
    # where the report comes from: root as given, commit, dirty, inputs_sha256... (hdslint.report.trace),
    # made on first use: git and hashing every input cost a pre-commit run that prints no trace
    tracer: Callable[[], dict[str, Any]] | None = field(default=None, repr=False)
    _trace: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def trace(self) -> dict[str, Any]:
        if self._trace is None:
            self._trace = self.tracer() if self.tracer is not None else {}
        return self._trace

    def failing(self, fail_on: str) -> list[Finding]:
        if fail_on == "none":
            return []
        threshold = SEVERITY_RANK[fail_on]
        return [f for f in self.findings if not f.suppressed and SEVERITY_RANK[f.severity] >= threshold]
