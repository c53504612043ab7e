"""HDS-LOC-005 cluster-location-unknown: manifests whose cluster location hdslint cannot know.

Why: a Kubernetes manifest does not say where its cluster runs; that is set by the cloud
account or the cluster's own infrastructure code. Unless the scan contains the cluster's
Terraform (EKS, AKS, GKE, OVHcloud MKS, Scaleway Kapsule, Outscale OKS...) or the
configuration names it (`kubernetes.provider` and `kubernetes.region`), only workloads that
pin a region (nodeSelector or required node affinity on topology.kubernetes.io/region) can be
placed. Reported once per scan, not once per object.

Passing example:   kubernetes: {provider: ovh, region: GRA}  in .hdslint.yaml
Failing example:   manifests alone, without a pinned region
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext
from hdslint.rules.locality import more

RULE = Rule(
    id="HDS-LOC-005",
    name="cluster-location-unknown",
    family="locality",
    severity="low",
    title="Kubernetes cluster location unknown: unpinned workloads are not placed",
    basis="HDS référentiel 2024, EXI 28: the host knows and documents where health data is stored",
    remediation="Name the cluster in .hdslint.yaml (kubernetes: {provider: ..., region: ...}), scan its Terraform "
                "with the manifests, or pin workloads with topology.kubernetes.io/region.",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    k8s = ctx.kubernetes
    if not k8s or ctx.cluster is not None:
        return
    unplaced = [r for r in k8s.resources if r.data_role != "none" and r.type != "ConfigMap"
                and not r.location.places and not r.location.undetermined]
    if not unplaced:
        return
    first = min(unplaced, key=lambda r: (r.file, r.line))
    names = ", ".join(r.address for r in unplaced[:5]) + more(unplaced[:5], len(unplaced))
    yield RULE.finding(ctx, file=first.file, line=first.line,
                       message=_("{count} Kubernetes object(s) cannot be placed ({names}): {note}.",
                                 count=len(unplaced), names=names, note=ctx.cluster_note),
                       attribute="kubernetes:cluster")
