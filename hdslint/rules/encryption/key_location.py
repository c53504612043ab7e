"""HDS-ENC-005 key-outside-eea: the customer-managed key of health data lives outside the EEA (strict profile).

Why: with `profile: strict`, keys are part of the data's protection: a key held in a region
outside the EEA puts the data's availability and confidentiality in another jurisdiction.
hdslint follows the key reference (kms_key_id, encryption key name...) to the key resource and
places it like any other resource.

Passing example (strict):   kms_key_id = aws_kms_key.ehr.arn, key created in eu-west-3
Failing example (strict):   kms_key_id = aws_kms_key.us.arn, key created in us-east-1
"""
from __future__ import annotations

from hdslint.i18n import _
from hdslint.model import Rule
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
)


def check(ctx):
    if ctx.config.profile != "strict":
        return
    by_address = {}
    for r in ctx.resources:
        by_address.setdefault((r.root, r.base_address), []).append(r)
    for res in ctx.resources:
        side = ((res.facts or {}).get("encryption") or {}).get("at_rest") or {}
        path = side.get("key_reference")
        if res.data_role != "stores" or not path:
            continue
        for address in sorted(res.references(path)):
            for key in by_address.get((res.root, address), []):
                for place in key.location.places:
                    if place.region.eea:
                        continue
                    yield RULE.finding(
                        ctx, resource=res, file=res.file, line=res.line,
                        message=_("{address} is encrypted with {key}, a key held in {place}, outside the EEA. "
                                  "Resolved from: {chain}.", address=res.address, key=key.address,
                                  place=where(place), chain=place.chain),
                        attribute="encryption:key_location", chain=place.hops)
