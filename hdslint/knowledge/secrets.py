"""What a hard-coded secret looks like (policies/secrets.yaml): value formats of known
credentials, variable names that hold secrets, and placeholders that are not secrets."""
from __future__ import annotations

import functools
import re
from typing import Any

from hdslint.i18n import Text, _
from hdslint.knowledge.store import POLICIES_DIR, load


@functools.cache
def _data() -> dict[str, Any]:
    return load(POLICIES_DIR / "secrets.yaml")


@functools.cache
def _secret_rules() -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str], re.Pattern[str]]:
    data = _data()
    return ([(v["name"], re.compile(v["match"])) for v in data["values"]], re.compile(data["names"]),
            re.compile(data["placeholders"]))


def looks_secret(name: str, value: object) -> Text | None:
    """What kind of secret a literal environment value looks like, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    formats, names, placeholders = _secret_rules()
    for kind, rx in formats:
        if rx.search(value):
            return kind
    if names.search(name) and not placeholders.match(value.strip()) and len(value) >= 6:
        return _("a literal value for {name}", name=name)
    return None


@functools.cache
def environment_path(rtype: str) -> str | None:
    """The attribute path of a Terraform resource type that holds environment variables (asked
    for every resource: the file is read once)."""
    entry = _data().get("environments", {}).get(rtype)
    return str(entry["path"]) if entry else None
