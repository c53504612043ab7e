"""HDS-ENC-006 at-rest-not-assessed: hdslint holds no fact on how this type of data store is
encrypted at rest.

Why: a clean scan must mean something. When the knowledge (policies/terraform, the Kubernetes
verdicts) says nothing about a data store's encryption at rest, hdslint cannot judge it, and
saying nothing would read as a pass. This low finding makes the gap visible, and the report's
summary lists the types concerned, until the fact is added (or the finding suppressed with the
reason the team knows).

Passing example:   aws_db_instance (its encryption facts are in policies/terraform/aws.yaml)
Failing example:   a data store whose type has no encryption.at_rest fact
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.assessment import modelled
from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-ENC-006",
    name="at-rest-not-assessed",
    family="encryption",
    severity="low",
    title="Encryption at rest not assessed: hdslint holds no fact for this type",
    basis="ISO/IEC 27001:2022 A.8.24 through the certified ISMS (HDS EXI 01): what hdslint cannot judge must be "
          "checked by hand",
    remediation="Check how this service encrypts data at rest in its provider's documentation, and record it (or "
                "suppress this finding with the reason); hdslint's maintainers welcome the fact.",
    looks_at="data_store",
    judges=("encryption_at_rest",),
    outcome="not_assessed",
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    if modelled(res, "at_rest"):
        return
    yield RULE.finding(ctx, resource=res, file=res.file, line=res.line, attribute="encryption:at_rest",
                       message=_("hdslint holds no fact on how {type} encrypts data at rest: {address} is not "
                                 "assessed.", type=res.type, address=res.address))
