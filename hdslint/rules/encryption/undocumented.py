"""HDS-ENC-007 encryption-undocumented: only the provider can say whether the data is encrypted.

Why: some services have no encryption setting at all, and their provider's documentation does
not say whether the data is encrypted at rest (or in transit). No change of code can settle
that: the answer is the provider's, in its documentation, its HDS contract or its certificate's
scope. So this is low by default (a red build must mean the code has to change), and an open
item of the report says whom to ask; `profile: audit` raises it to medium for teams that want
the build to enforce the paperwork. Where a setting exists but is not written, or a value
cannot be resolved, the finding is HDS-ENC-002 (medium), which a change of code settles.

Passing example:   scaleway_rdb_instance with encryption_at_rest = true (a setting decides)
Failing example:   outscale_volume (no encryption argument; the provider's pages read say nothing)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import fix_for
from hdslint.i18n import Text, _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-ENC-007",
    name="encryption-undocumented",
    family="encryption",
    severity="low",
    audit_severity="medium",
    title="Encryption only the provider can establish: no setting, nothing documented",
    basis="ISO/IEC 27001:2022 A.8.24 through the certified ISMS (HDS EXI 01): the control must be shown",
    remediation="Ask the provider whether the service encrypts the data (its HDS contract or certificate scope may "
                "say), then record the answer as a suppression with its reason; if it does not, encrypt in the "
                "application or choose a service that does.",
    knows="encryption",
    looks_at="data",
    judges=("encryption_at_rest", "encryption_in_transit"),
    outcome="unknown",
)


def _message(kind: str, address: str, detail: Text) -> Text:
    if kind == "at_rest":
        return _("Only the provider can say whether {address} is encrypted at rest: {detail}.", address=address,
                 detail=detail)
    return _("Only the provider can say whether {address} is encrypted in transit: {detail}.", address=address,
             detail=detail)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    for kind in ("at_rest", "in_transit"):
        v = ctx.verdict(res, kind)
        if v is None or not v.undocumented:
            continue
        yield RULE.finding(
            ctx, resource=res, file=res.file, line=res.line,
            message=_message(kind, res.address, v.detail), remediation=fix_for(res, kind, v), cause=v.cause,
            attribute=f"encryption:{kind}")
