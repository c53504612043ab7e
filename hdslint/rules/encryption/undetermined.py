"""HDS-ENC-002 encryption-undetermined: encryption cannot be established from the code.

Why: a value hdslint cannot resolve (a variable without value, a data source, a computed
attribute) leaves the encryption of the resource unproven; an auditor will ask. The finding
says which value was missing.

Passing example:   storage_encrypted = true
Failing example:   storage_encrypted = var.encrypted     (no default, no tfvars value)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import fix_for
from hdslint.i18n import Text, _
from hdslint.model import Finding, Resource, Rule, line_within
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-ENC-002",
    name="encryption-undetermined",
    family="encryption",
    severity="medium",
    title="Encryption at rest or in transit cannot be determined",
    basis="ISO/IEC 27001:2022 A.8.24 through the certified ISMS (HDS EXI 01): the control must be shown",
    remediation="Set the encryption explicitly where the resource allows it; where only the provider decides, check "
                "its documentation and record what it says as a suppression with its reason.",
    knows="encryption",
    looks_at="data",
    judges=("encryption_at_rest", "encryption_in_transit"),
    outcome="unknown",
)

def _message(kind: str, address: str, detail: Text) -> Text:
    if kind == "at_rest":
        return _("Cannot tell whether {address} is encrypted at rest: {detail}.", address=address, detail=detail)
    return _("Cannot tell whether {address} is encrypted in transit: {detail}.", address=address, detail=detail)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    for kind in ("at_rest", "in_transit"):
        v = ctx.verdict(res, kind)
        if v is None or v.state != "unknown" or v.undocumented:  # HDS-ENC-007 says those
            continue
        yield RULE.finding(
            ctx, resource=res, file=res.file, line=line_within(res, v.line),
            message=_message(kind, res.address, v.detail), remediation=fix_for(res, kind, v), cause=v.cause,
            attribute=f"encryption:{kind}")
