"""Coverage rules: is every perimeter a resource needs performed by someone HDS-certified?"""
from __future__ import annotations

from collections.abc import Iterable

from hdslint.i18n import Msg, _, join, text
from hdslint.model import PERIMETERS


def perimeters_text(numbers: Iterable[int]) -> Msg:
    """'4 (Application hosting platform), 6 (Backup of health data)'."""
    return join((join((f"{p} (", text(PERIMETERS[p]), ")"), "") for p in numbers), ", ")


def provider_name(ctx, catalog_id: str) -> str:
    entry = ctx.coverage.entries.get(catalog_id)
    return entry["name"] if entry else catalog_id


def by_provider(gaps) -> dict:
    """catalog id -> gaps, in file/line order, for findings reported once per provider."""
    out: dict = {}
    for g in sorted(gaps, key=lambda g: (g.resource.file, g.resource.line, g.resource.address)):
        out.setdefault(g.resource.catalog, []).append(g)
    return out


def listing(gaps, limit: int = 5) -> str:
    names = [g.resource.address for g in gaps]
    shown = ", ".join(names[:limit])
    return _("{names} and {count} more", names=shown, count=len(names) - limit) if len(names) > limit else shown
