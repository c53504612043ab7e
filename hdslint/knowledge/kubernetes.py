"""Facts about Kubernetes kinds, storage provisioners, ingress annotations and topology labels
(policies/kubernetes/knowledge.yaml)."""
from __future__ import annotations

import functools
from typing import Any

from hdslint.knowledge.store import POLICIES_DIR, load


@functools.cache
def knowledge() -> dict[str, Any]:
    return load(POLICIES_DIR / "kubernetes" / "knowledge.yaml")
