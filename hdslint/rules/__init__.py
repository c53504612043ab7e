"""The rules: one rule per module under hdslint/rules/<family>/, its documentation in the
module docstring (the contract is hdslint.model.rule). Rule modules are found, not listed:
a new module with a RULE is a new rule, a new folder a new family (declared in FAMILIES).
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import cast

from hdslint.knowledge import checkov
from hdslint.knowledge.terraform import terraform_providers
from hdslint.model import Rule
from hdslint.model.rule import RuleModule
from hdslint.rules.context import ScanContext

_MODULES: list[RuleModule] | None = None


def all_rules() -> list[RuleModule]:
    """Every rule module, sorted by rule id."""
    global _MODULES
    if _MODULES is None:
        mods = []
        for info in pkgutil.walk_packages(__path__, prefix=f"{__name__}."):
            mod = importlib.import_module(info.name)
            if isinstance(getattr(mod, "RULE", None), Rule):
                object.__setattr__(mod.RULE, "doc", (mod.__doc__ or "").strip())
                mods.append(cast(RuleModule, mod))
        _MODULES = sorted(mods, key=lambda m: m.RULE.id)
    return _MODULES


def known_types(knows: str) -> list[str]:
    """Terraform resource types a rule can judge, from policies/terraform."""
    out = []
    for facts in terraform_providers().values():
        for rtype, rf in facts.resources.items():
            enc = rf.get("encryption") or {}
            if ((knows == "data" and rf["data"] != "none")
                    or (knows in ("at_rest", "in_transit") and knows in enc)
                    or (knows == "encryption" and enc)
                    or (knows == "backup" and "backup" in rf)
                    or (knows == "perimeters" and rf.get("perimeters") and rf["data"] != "none")):
                out.append(rtype)
    return sorted(out)


def rule_by_id(rule_id: str) -> Rule | None:
    """An hdslint rule, or a checkov check that policies/checkov/mapping.yaml places on the
    HDS map (those can be configured and suppressed like hdslint's own)."""
    for mod in all_rules():
        if mod.RULE.id == rule_id:
            return mod.RULE
    return checkov.rule_for(rule_id) if checkov.is_mapped(rule_id) else None


def reported_rules(ctx: ScanContext) -> list[Rule]:
    """The rules a report lists: every enabled hdslint rule, then the checkov checks imported."""
    rules = [m.RULE for m in all_rules() if ctx.config.rule_enabled(m.RULE.id)]
    return rules + sorted(ctx.external_rules.values(), key=lambda r: r.id)
