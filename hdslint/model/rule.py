"""The rule contract: what a rule declares about itself, and how it builds its findings."""
from __future__ import annotations

from dataclasses import dataclass, field

from hdslint.i18n import text
from hdslint.model.findings import Finding


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # kebab-case short name
    family: str
    severity: str
    title: str
    basis: str  # what the rule rests on: an HDS requirement, a provider condition, good practice
    remediation: str
    perimeters: tuple = ()  # default perimeters when a resource does not say
    knows: str = ""  # which resource facts the rule reads: data, at_rest, in_transit, encryption, backup, perimeters
    doc: str = field(default="", compare=False)

    def finding(self, ctx, *, file: str, line: int, message: str, resource=None, remediation: str | None = None,
                perimeters=None, attribute: str = "", chain=(), severity: str | None = None) -> Finding:
        if perimeters is None:
            perimeters = tuple((resource.facts or {}).get("perimeters", ())) if resource is not None else ()
            perimeters = perimeters or self.perimeters
        return Finding(
            rule_id=self.id, family=self.family,
            severity=severity or ctx.severity_of(self),
            file=file, line=line, message=message,
            remediation=remediation or text(self.remediation),
            resource=resource.address if resource is not None else "",
            perimeters=tuple(sorted(perimeters)), attribute=attribute, chain=tuple(chain), basis=text(self.basis),
        )


def line_within(res, line, file: str | None = None) -> int:
    """The line of the attribute at fault when it lies inside the resource's block (in its
    file, when the file is known), else the line the resource starts on."""
    if line and (file is None or file == res.file) and res.line <= line <= res.end_line:
        return line
    return res.line
