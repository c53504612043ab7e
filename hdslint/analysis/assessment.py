"""Whether hdslint can judge a property of a resource at all: a data store whose type has no
fact on its encryption at rest or its backups is "not assessed", and reports say so rather than
pass in silence."""
from __future__ import annotations

from hdslint.analysis.manifests import JUDGED
from hdslint.model import Resource


def modelled(res: Resource, kind: str) -> bool:
    """Whether hdslint holds a fact on this property (at_rest, in_transit, backup) of the
    resource's type: in policies/ for Terraform, plans and Scalingo, in the Kubernetes verdicts
    (analysis.manifests) for manifests."""
    facts = res.facts or {}
    if res.source_format == "kubernetes" and res.type in JUDGED.get(kind, set()):
        return True
    if kind == "backup":
        return "backup" in facts
    return kind in (facts.get("encryption") or {})
