"""Messages in the reader's language (--lang fr|en, `lang` in .hdslint.yaml).

English is the source text. Code wraps each user-facing template in `_()`, with named
placeholders filled by keyword: `_("{address} has no backups: {detail}.", address=..., detail=...)`.
A catalog per language (hdslint/i18n/<lang>/*.yaml, one file per area of the code) maps
each English template to its translation; tests check that every `_()` template in the code has one, with the same
placeholders. What comes from the knowledge files (provider notes, sources) stays as written.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
from pathlib import Path

import yaml

LANGUAGES = ("en", "fr")
_LANG: contextvars.ContextVar = contextvars.ContextVar("hdslint_lang", default="en")


def language() -> str:
    return _LANG.get()


@contextlib.contextmanager
def using(lang: str):
    """The language for a scan or a rendering; the previous one comes back after."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (one of {', '.join(LANGUAGES)})")
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


@functools.lru_cache(maxsize=None)
def catalog(lang: str) -> dict:
    out: dict = {}
    if lang == "en":
        return out
    for path in sorted((Path(__file__).parent / lang).glob("*.yaml")):
        with open(path, encoding="utf-8") as f:
            out.update(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {})  # noqa: S506
    return out


def _(template: str, **values) -> str:
    """The template in the current language, its placeholders filled."""
    text = catalog(_LANG.get()).get(template, template)
    return text.format(**values) if values else text


def text(value: str) -> str:
    """A fixed text held in data rather than written at the call (a rule's title, remediation
    and basis, a perimeter's name), in the current language."""
    return catalog(_LANG.get()).get(value, value)
