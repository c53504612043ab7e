"""The rule registry. One rule per module, its documentation in the module docstring.

A rule module defines RULE (its metadata) and check(ctx), a generator of Findings built
with RULE.finding(...). Checks are pure: they read the resource model, the parse problems
and the knowledge in ctx, never a file.
"""
from __future__ import annotations

import importlib
import pkgutil

# traceability holds no rule of hdslint's own yet: checkov's logging checks land there (--checkov)
FAMILIES = ("locality", "coverage", "encryption", "backup", "exposure", "traceability", "parse", "suppression")


_MODULES = None


def all_rules() -> list:
    """Every rule module, sorted by rule id."""
    global _MODULES
    if _MODULES is None:
        mods = []
        for family in FAMILIES:
            try:
                pkg = importlib.import_module(f"hdslint.rules.{family}")
            except ModuleNotFoundError:
                continue
            for info in pkgutil.iter_modules(pkg.__path__):
                mod = importlib.import_module(f"hdslint.rules.{family}.{info.name}")
                if hasattr(mod, "RULE"):
                    object.__setattr__(mod.RULE, "doc", (mod.__doc__ or "").strip())
                    mods.append(mod)
        _MODULES = sorted(mods, key=lambda m: m.RULE.id)
    return _MODULES


def known_types(knows: str) -> list:
    """Terraform resource types a rule can judge, from policies/terraform."""
    from hdslint.knowledge.terraform import terraform_providers

    out = []
    for facts in terraform_providers().values():
        for rtype, rf in facts.resources.items():
            enc = rf.get("encryption") or {}
            if (knows == "data" and rf["data"] != "none"
                    or knows in ("at_rest", "in_transit") and knows in enc
                    or knows == "encryption" and enc
                    or knows == "backup" and "backup" in rf
                    or knows == "perimeters" and rf.get("perimeters") and rf["data"] != "none"):
                out.append(rtype)
    return sorted(out)


def rule_by_id(rule_id: str):
    """An hdslint rule, or a checkov check that policies/checkov/mapping.yaml places on the
    HDS map (those can be configured and suppressed like hdslint's own)."""
    for mod in all_rules():
        if mod.RULE.id == rule_id:
            return mod.RULE
    from hdslint.knowledge import checkov

    return checkov.rule_for(rule_id) if checkov.is_mapped(rule_id) else None


def reported_rules(ctx) -> list:
    """The rules a report lists: every enabled hdslint rule, then the checkov checks imported."""
    rules = [m.RULE for m in all_rules() if ctx.config.rule_enabled(m.RULE.id)]
    return rules + sorted(ctx.external_rules.values(), key=lambda r: r.id)
