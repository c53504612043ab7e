"""The rule contract: what a rule declares about itself, and how it builds its findings.

A rule module under hdslint/rules/<family>/ defines RULE, a Rule, and `check`. The rule says
what it looks at; the engine loops and calls `check` once per subject:

- looks_at "scan":       check(ctx), once (aggregates: per provider, per file, per problem);
- looks_at "resource":   check(ctx, res) for every resource of the scan;
- looks_at "data":       check(ctx, res) for every resource that stores, processes or moves data;
- looks_at "data_store": check(ctx, res) for every resource that stores data.

`types` narrows a per-resource rule to some resource types, `profile` runs a rule only under
that configuration profile. The phase orders the runs: "check" rules run first, then "review"
rules revise what they found (`review(ctx, findings)` returns the findings kept and its own: a
reusable module's open inputs), "last" rules after them (they report what the others met, e.g.
internal errors), and "triage" rules are never called by the engine: their findings are made
while suppressions are applied.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from hdslint.i18n import Text, text
from hdslint.model.findings import FAMILIES, SEVERITIES, Finding
from hdslint.model.values import Hop

if TYPE_CHECKING:
    from hdslint.model.resources import Resource

PHASES = ("check", "review", "last", "triage")
SUBJECTS = ("scan", "resource", "data", "data_store")
# The five properties of a data store's verdict ledger; a rule may say which one it judges.
PROPERTIES = ("location", "encryption_at_rest", "encryption_in_transit", "backup", "coverage")
# What a rule's finding means for the property it judges: a fault, a question the code leaves
# open ("cannot tell"), or a property hdslint holds no fact about.
OUTCOMES = ("finding", "unknown", "not_assessed")


class SeverityPolicy(Protocol):
    """What a rule needs from the scan to build a finding: the severity the configuration gives it."""

    def severity_of(self, rule: Rule) -> str: ...


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # kebab-case short name
    family: str
    severity: str
    title: str
    basis: str  # what the rule rests on: an HDS requirement, a provider condition, good practice
    remediation: str
    perimeters: tuple[int, ...] = ()  # default perimeters when a resource does not say
    knows: str = ""  # which resource facts the rule reads: data, at_rest, in_transit, encryption, backup, perimeters
    looks_at: str = "scan"  # one of SUBJECTS
    phase: str = "check"  # one of PHASES
    types: tuple[str, ...] = ()  # per-resource rules: only these resource types (empty: all)
    profile: str = ""  # run only under this configuration profile (empty: always)
    judges: tuple[str, ...] = ()  # the ledger properties (PROPERTIES) its findings decide
    outcome: str = "finding"  # what its findings mean for those properties (OUTCOMES)
    severity_setting: str = ""  # a Config field that sets this rule's default severity
    audit_severity: str = ""  # the default severity under `profile: audit` (paperwork the build then enforces)
    doc: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        problems = [f"{name} {value!r}" for name, value, allowed in (
            ("family", self.family, FAMILIES), ("severity", self.severity, SEVERITIES),
            ("looks_at", self.looks_at, SUBJECTS), ("phase", self.phase, PHASES))
            + ((("audit_severity", self.audit_severity, SEVERITIES),) if self.audit_severity else ())
            if value not in allowed]
        problems += [f"judges {p!r}" for p in self.judges if p not in PROPERTIES]
        problems += [f"outcome {self.outcome!r}"] if self.outcome not in OUTCOMES else []
        if problems:
            raise ValueError(f"rule {self.id}: unknown {', '.join(problems)}")

    def finding(self, ctx: SeverityPolicy, *, file: str, line: int, message: Text, resource: Resource | None = None,
                remediation: Text | None = None, perimeters: Iterable[int] | None = None, attribute: str = "",
                chain: Iterable[Hop] = (), severity: str | None = None, cause: str = "") -> Finding:
        if perimeters is None:
            perimeters = tuple((resource.facts or {}).get("perimeters", ())) if resource is not None else ()
            perimeters = perimeters or self.perimeters
        return Finding(
            rule_id=self.id, family=self.family,
            severity=severity or ctx.severity_of(self),
            file=file, line=line, message=message,
            remediation=remediation or text(self.remediation),
            resource=resource.address if resource is not None else "",
            root=resource.key[0] if resource is not None else "",
            perimeters=tuple(sorted(perimeters)), attribute=attribute, chain=tuple(chain), basis=text(self.basis),
            cause=cause,
        )


class RuleModule(Protocol):
    """A module of hdslint/rules/<family>/: its RULE and its check function."""

    RULE: Rule
    __doc__: str | None

    def check(self, ctx: Any, *subject: Any) -> Iterator[Finding]: ...


class ReviewModule(Protocol):
    """A rule module of the "review" phase: it revises the findings of the "check" phase."""

    RULE: Rule

    def review(self, ctx: Any, findings: list[Finding]) -> list[Finding]: ...


def line_within(res: Resource, line: int | None, file: str | None = None) -> int:
    """The line of the attribute at fault when it lies inside the resource's block (in its
    file, when the file is known), else the line the resource starts on."""
    if line and (file is None or file == res.file) and res.line <= line <= res.end_line:
        return line
    return res.line
