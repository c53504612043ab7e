"""Helpers shared by the encryption rules."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hdslint.i18n import Text, _

if TYPE_CHECKING:
    from hdslint.model.resources import Resource


def enable_hint(res: Resource, kind: str) -> Text:
    """'Set storage_encrypted = true' from the first `enable` test with a value."""
    side = ((res.facts or {}).get("encryption") or {}).get(kind) or {}
    for test in side.get("enable", []):
        if "equals" in test:
            value = test["equals"]
            shown = "true" if value is True else "false" if value is False else f'"{value}"'
            return _("Set {attribute} = {value} on {type}.", attribute=test["attribute"], value=shown, type=res.type)
    companions = side.get("companions", [])
    if companions:
        return _("Add a {type} for this resource.", type=companions[0]["types"][0])
    return ""
