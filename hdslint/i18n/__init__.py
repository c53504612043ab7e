"""Messages in the reader's language (--lang fr|en, `lang` in .hdslint.yaml).

English is the source text. Code wraps each user-facing template in `_()`, with named
placeholders filled by keyword: `_("{address} has no backups: {detail}.", address=..., detail=...)`.
A catalog per language (hdslint/i18n/<lang>.yaml) maps each English template to its
translation; tests check that every `_()` template in the code has one, with the same
placeholders. What comes from the knowledge files (provider notes, sources) stays as written.
"""
from __future__ import annotations

import contextvars
import functools
from pathlib import Path

import yaml

LANGUAGES = ("en", "fr")
_LANG: contextvars.ContextVar = contextvars.ContextVar("hdslint_lang", default="en")


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (one of {', '.join(LANGUAGES)})")
    _LANG.set(lang)


def language() -> str:
    return _LANG.get()


@functools.lru_cache(maxsize=None)
def catalog(lang: str) -> dict:
    if lang == "en":
        return {}
    path = Path(__file__).with_name(f"{lang}.yaml")
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506


def _(template: str, **values) -> str:
    """The template in the current language, its placeholders filled."""
    text = catalog(_LANG.get()).get(template, template)
    return text.format(**values) if values else text
