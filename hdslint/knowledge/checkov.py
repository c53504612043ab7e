"""checkov's checks placed on the HDS map (policies/checkov/mapping.yaml): each mapped check's
theme, family, severity and basis, as an hdslint Rule for reports, configuration and suppressions."""
from __future__ import annotations

import functools
from typing import Any

from hdslint.knowledge.store import POLICIES_DIR, load
from hdslint.model import Rule


@functools.cache
def mapping() -> dict[str, Any]:
    return load(POLICIES_DIR / "checkov" / "mapping.yaml")


def is_mapped(check_id: str) -> bool:
    return check_id in mapping()["checks"]


def rule_for(check_id: str, title: str = "", guideline: str = "") -> Rule:
    """An hdslint Rule describing a mapped checkov check (for reports, config and suppressions)."""
    entry = mapping()["checks"][check_id]
    theme = mapping()["themes"][entry["theme"]]
    note = f" {entry['note']}." if entry.get("note") else ""
    doc = (f"checkov check {check_id}, placed on the HDS theme '{entry['theme']}' by "
           f"policies/checkov/mapping.yaml.{note}" + (f"\n\nGuideline: {guideline}" if guideline else ""))
    return Rule(id=check_id, name=check_id.lower().replace("_", "-"), family=theme["family"],
                severity=entry.get("severity", theme["severity"]), title=title or f"checkov {check_id}",
                basis=theme["basis"], remediation=theme["remediation"],
                perimeters=tuple(theme.get("perimeters", ())), doc=doc)
