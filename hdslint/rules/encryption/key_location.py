"""HDS-ENC-005 key-outside-eea: the customer-managed key of health data lives outside the EEA (strict profile).

Why: with `profile: strict`, keys are part of the data's protection: a key held in a region
outside the EEA puts the data's availability and confidentiality in another jurisdiction.
hdslint follows the key reference (kms_key_id, encryption key name...) to the key resource and
places it like any other resource.

Passing example (strict):   kms_key_id = aws_kms_key.ehr.arn, key created in eu-west-3
Failing example (strict):   kms_key_id = aws_kms_key.us.arn, key created in us-east-1
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext
from hdslint.rules.locality import where

RULE = Rule(
    id="HDS-ENC-005",
    name="key-outside-eea",
    family="encryption",
    severity="high",
    title="Customer-managed key held outside the EEA (strict profile)",
    basis="Team policy (profile: strict); HDS EXI 28 for the data the key protects",
    remediation="Create the key in an EEA region, next to the data.",
    knows="at_rest",
    looks_at="data_store",
    profile="strict",
    judges=("encryption_at_rest",),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    side = ((res.facts or {}).get("encryption") or {}).get("at_rest") or {}
    path = side.get("key_reference")
    if not path:
        return
    for address in sorted(res.references(path)):
        for key in ctx.resources_at(res.root, address):
            for place in key.location.places:
                if place.region.eea:
                    continue
                yield RULE.finding(
                    ctx, resource=res, file=res.file, line=res.line,
                    message=_("{address} is encrypted with {key}, a key held in {place}, outside the EEA. "
                              "Resolved from: {chain}.", address=res.address, key=key.address,
                              place=where(place), chain=place.chain),
                    attribute="encryption:key_location", chain=place.hops)
