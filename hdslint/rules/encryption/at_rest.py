"""HDS-ENC-001 at-rest-disabled: data stored without encryption at rest.

Why: the HDS référentiel requires an ISO/IEC 27001-certified information security management
system (EXI 01), and its risk analysis must cover the loss of control of storage media and the
reallocation of storage space (EXI 05); ISO/IEC 27001:2022 control A.8.24 (use of cryptography)
is how certified hosts answer it. Some providers make it an HDS condition (Scaleway: SSE-C for
HDS buckets). Encryption at rest is not a numbered HDS requirement by itself: this rule says so.

What it checks: each resource type that stores data, against its facts in policies/terraform:
the attribute or companion resource that turns encryption on, and the provider's default when
the code says nothing (RDS storage_encrypted and Scaleway RDB encryption_at_rest default to
false; S3 has encrypted every new object since January 2023; Azure Storage and Google disks are
always encrypted). A companion is found wherever it is written, in another file or module.

Differs from checkov on purpose: an S3 bucket without aws_s3_bucket_server_side_encryption_
configuration is not reported (checkov CKV_AWS_19 reports it): S3 encrypts it anyway.

Passing example:   resource "aws_db_instance" "x" { storage_encrypted = true }
Failing example:   resource "aws_db_instance" "x" { }          (default: unencrypted)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import fix_for
from hdslint.i18n import Later, _, text
from hdslint.model import Finding, Resource, Rule, line_within
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-ENC-001",
    name="at-rest-disabled",
    family="encryption",
    severity="high",
    title="Data stored without encryption at rest",
    basis="ISO/IEC 27001:2022 A.8.24 through the certified ISMS (HDS EXI 01, risk analysis EXI 05); "
          "provider HDS conditions where they require it. Not a numbered HDS requirement by itself",
    remediation="Turn encryption at rest on, preferably with a customer-managed key.",
    perimeters=(1, 2),
    knows="at_rest",
    looks_at="data",
    judges=("encryption_at_rest",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    v = ctx.verdict(res, "at_rest")
    if v is None or v.state != "off":
        return
    yield RULE.finding(
        ctx, resource=res, file=res.file, line=line_within(res, v.line),
        message=_("{address} stores data unencrypted at rest: {detail}. {basis}.", address=res.address,
                  detail=v.detail, basis=Later(lambda: str(text(RULE.basis)).split(";")[0].rstrip())),
        remediation=fix_for(res, "at_rest", v), attribute="encryption:at_rest")
