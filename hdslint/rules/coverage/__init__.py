"""Coverage rules: is every perimeter a resource needs performed by someone HDS-certified?"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from hdslint.i18n import Msg, Text, _, join, text
from hdslint.model import PERIMETERS

if TYPE_CHECKING:
    from hdslint.analysis.coverage import Gap
    from hdslint.rules.context import ScanContext


def perimeters_text(numbers: Iterable[int]) -> Msg:
    """'4 (Application hosting platform), 6 (Backup of health data)'."""
    return join((join((f"{p} (", text(PERIMETERS[p]), ")"), "") for p in numbers), ", ")


def provider_name(ctx: ScanContext, catalog_id: str) -> Text:
    entry = ctx.coverage.entries.get(catalog_id)
    return entry["name"] if entry else catalog_id


def by_provider(gaps: list[Any]) -> dict:
    """catalog id -> gaps, in file/line order, for findings reported once per provider."""
    out: dict = {}
    for g in sorted(gaps, key=lambda g: (g.resource.file, g.resource.line, g.resource.address)):
        out.setdefault(g.resource.catalog, []).append(g)
    return out


def listing(gaps: list[Gap], limit: int = 5) -> Text:
    names = [g.resource.address for g in gaps]
    shown = ", ".join(names[:limit])
    return _("{names} and {count} more", names=shown, count=len(names) - limit) if len(names) > limit else shown
