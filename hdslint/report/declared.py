"""What the team declared in its configuration, shown apart from what hdslint ships.

Two kinds of declarations: who performs perimeters (coverage.declarations: the team itself, or
its managed-service provider with its certificate) and a provider's certificate recorded by the
team (coverage.catalog_overrides, e.g. the certificate annexed to its contract). Both are facts
the team vouches for: the reports say so, and where they are written.
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from hdslint.analysis.coverage import matrix
from hdslint.knowledge.catalog import declared_certificate

if TYPE_CHECKING:
    from hdslint.rules.context import ScanContext


def where(ctx: ScanContext, setting: str) -> str | None:
    """The configuration file a setting was written in, as a person would name it."""
    return ctx.config.origin(setting) if ctx.config.source else None


def declarations(ctx: ScanContext) -> list[dict[str, Any]]:
    """coverage.declarations, each with its state at the scan date (valid, expired, or undated)."""
    out = []
    for d in ctx.config.declarations:
        until = d.get("valid_until")
        state = "undated" if not until else "expired" if dt.date.fromisoformat(str(until)) < ctx.today else "valid"
        out.append({
            "perimeters": sorted(d["perimeters"]), "by": d["by"], "providers": d.get("providers"),
            "certificate": d.get("certificate"), "issuer": d.get("issuer"), "valid_until": until,
            "state": state, "note": d.get("note"), "declared_in": where(ctx, "declarations"),
        })
    return out


def provider_declaration(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A provider's certificate (or services' scope) as the team declared it, or None."""
    if not entry or not declared_certificate(entry):
        return None
    declared = entry["declared"]
    out: dict[str, Any] = {"declared_in": entry.get("declared_in")}
    for section in ("certification", "services"):
        if section in declared:
            out[section] = declared[section]
    return out


def coverage(ctx: ScanContext) -> list[dict[str, Any]]:
    """The matrix (hdslint.analysis.coverage.matrix) with the team's declarations: per perimeter,
    the declarations naming it (even when no resource needs it); per provider cell, the
    certificate the team declared for that provider."""
    rows = matrix(ctx.coverage)
    decl = declarations(ctx)
    for row in rows:
        row["declarations"] = [d for d in decl if row["perimeter"] in d["perimeters"]]
        for cell in row["providers"]:
            declared = provider_declaration(ctx.coverage.entries.get(cell["provider"]))
            if declared is not None:
                cell["declared"] = declared
    return rows
