"""HDS-BAK-006 backup-not-assessed: hdslint holds no fact on how this type of data store is backed up.

Why: a clean scan must mean something. When the knowledge says nothing about a data store's
backups, hdslint cannot judge them, and saying nothing would read as a pass. This low finding
makes the gap visible, and the report's summary lists the types concerned, until the fact is
added (or the finding suppressed with the reason the team knows).

Passing example:   aws_db_instance (its backup facts are in policies/terraform/aws.yaml)
Failing example:   a data store whose type has no backup fact
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.assessment import modelled
from hdslint.analysis.protection import derivation
from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-BAK-006",
    name="backup-not-assessed",
    family="backup",
    severity="low",
    title="Backups not assessed: hdslint holds no fact for this type",
    basis="Perimeter 6 (backup of health data, R.1111-9) in the ISMS scope (HDS EXI 04): what hdslint cannot judge "
          "must be checked by hand",
    remediation="Check how this service is backed up in its provider's documentation, and record it (or suppress "
                "this finding with the reason); hdslint's maintainers welcome the fact.",
    perimeters=(6,),
    looks_at="data_store",
    judges=("backup",),
    outcome="not_assessed",
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    entry = derivation(res)
    if modelled(res, "backup") or (entry is not None and entry.get("backup") == "not_needed"):
        return
    yield RULE.finding(ctx, resource=res, file=res.file, line=res.line, attribute="backup:exists",
                       message=_("hdslint holds no fact on how {type} is backed up: {address} is not assessed.",
                                 type=res.type, address=res.address))
