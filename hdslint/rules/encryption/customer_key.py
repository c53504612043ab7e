"""HDS-ENC-004 no-customer-managed-key: encryption at rest with a provider-managed key (strict profile).

Why: with `profile: strict` in .hdslint.yaml, a team requires that health data be encrypted
with keys it controls (customer-managed keys in the provider's KMS), so that revoking the key
makes the data unreadable, including for the provider. This is a team policy beyond HDS (and
beyond ISO/IEC 27001 A.8.24, which does not prescribe who holds the key).

Passing example (strict):   aws_db_instance with kms_key_id = aws_kms_key.ehr.arn
Failing example (strict):   aws_db_instance with storage_encrypted = true and no kms_key_id
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-ENC-004",
    name="no-customer-managed-key",
    family="encryption",
    severity="medium",
    title="Encryption at rest without a customer-managed key (strict profile)",
    basis="Team policy (profile: strict), beyond HDS and ISO/IEC 27001 A.8.24",
    remediation="Encrypt with a customer-managed key (AWS KMS, Azure Key Vault, Cloud KMS...) held in the EEA.",
    knows="at_rest",
    looks_at="data",
    profile="strict",
    judges=("encryption_at_rest",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    v = ctx.verdict(res, "at_rest")
    side = ((res.facts or {}).get("encryption") or {}).get("at_rest") or {}
    if v is None or v.state != "on" or not side.get("cmk") or v.cmk is True:
        return
    attrs = " / ".join(dict.fromkeys(t["attribute"] for t in side["cmk"]))
    if v.cmk is None:
        message = _("{address} is encrypted at rest with a key the provider manages: a customer-managed key "
                    "({attributes}) cannot be determined.", address=res.address, attributes=attrs)
    else:
        message = _("{address} is encrypted at rest with a key the provider manages: a customer-managed key "
                    "({attributes}) is not set.", address=res.address, attributes=attrs)
    yield RULE.finding(ctx, resource=res, file=res.file, line=res.line, message=message,
                       attribute="encryption:cmk")
