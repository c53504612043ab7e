"""HDS-LOC-002 location-undetermined: the location of data cannot be determined from the code.

Why: EXI 28 requires health data to be stored only in the EEA, and the host must be able to
say where it is. When the code does not say where a resource lives, hdslint cannot vouch for
it: silence would be a false sense of compliance. Typical causes: the provider region comes
from an environment variable (AWS_REGION) or a CLI profile at apply time; a variable has no
default and no value in any tfvars file; the location comes from a data source read in the
cloud; a region identifier hdslint does not know (a typo, or a region newer than hdslint).

Severity is medium by default; set `locality.undetermined_severity` in .hdslint.yaml (high
makes every unproven location fail the scan).

Passing example:   region = "eu-west-3"            (or var.region with a default or tfvars value)
Failing example:   provider "aws" {}                (region left to AWS_REGION)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.fixes import give_values, variables_in
from hdslint.i18n import Text, _
from hdslint.model import Finding, Resource, Rule, line_within
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-LOC-002",
    name="location-undetermined",
    family="locality",
    severity="medium",
    title="Location of data cannot be determined",
    basis="HDS référentiel 2024, EXI 28: the host knows and documents where health data is stored",
    remediation="Set the region in the code where the resource or its provider block allows it; where the location "
                "comes from outside the code (a data source, the service it belongs to), record where it is as a "
                "suppression with its reason.",
    perimeters=(1, 2),
    knows="data",
    looks_at="data",
    severity_setting="undetermined_severity",
    judges=("location",),
    outcome="unknown",
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    for u in res.location.undetermined:
        what = _noun(u.role)
        chain = _(" Resolved so far: {chain}.", chain=u.chain) if u.hops else ""
        yield RULE.finding(
            ctx, resource=res, file=res.file, line=line_within(res, u.line, u.file),
            message=_("Cannot determine where {address} keeps {what}: {reason}.", address=res.address, what=what,
                      reason=u.reason) + chain,
            remediation=_variable_fix(u.reason), attribute=f"location:{u.role}", chain=u.hops,
        )


def _variable_fix(reason: Text) -> Text | None:
    """A variable without a value is the cause: name it (else the rule's own words)."""
    names = variables_in(reason)
    return give_values(names, _("the region")) if names else None


def _noun(role: str) -> Text:
    """What a place of that role holds: 'its data', 'its replicas'..."""
    if role == "primary":
        return _("its data")
    if role == "replica":
        return _("its replicas")
    if role == "backup":
        return _("its backups")
    if role == "failover":
        return _("its failover copy")
    if role == "egress":
        return _("the data it sends")
    return _("its copies")
