"""HDS-LOC-006 deprecated-topology-label: a workload pinned with a deprecated region label.

Why: failure-domain.beta.kubernetes.io/region and /zone were deprecated in Kubernetes 1.17 in
favour of topology.kubernetes.io/region and /zone. Nodes of current clusters may no longer carry
the beta labels, and a required affinity on them then leaves pods pending, or, with a
preferred-only rule, silently unpinned: the pin that keeps data in a region stops holding.

Passing example:   nodeSelector: {topology.kubernetes.io/region: eu-west-3}
Failing example:   nodeSelector: {failure-domain.beta.kubernetes.io/region: eu-west-3}
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.analysis.cluster import pinned_regions
from hdslint.i18n import _
from hdslint.knowledge.kubernetes import knowledge
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-LOC-006",
    name="deprecated-topology-label",
    family="locality",
    severity="low",
    title="Region pinned with a deprecated topology label",
    basis="Kubernetes well-known labels (topology.kubernetes.io/*); keeps the EXI 28 pin effective",
    remediation="Use topology.kubernetes.io/region (and topology.kubernetes.io/zone).",
    looks_at="resource",
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    deprecated = knowledge()["topology"]["deprecated"]
    for _code, label, line in pinned_regions(res):
        if label in deprecated:
            yield RULE.finding(ctx, resource=res, file=res.file, line=line,
                               message=_("{address} pins its region with {label}, deprecated since Kubernetes "
                                         "1.17; use {replacement}.", address=res.address, label=label,
                                         replacement=deprecated[label]),
                               attribute=f"label:{label}")
