"""Messages in the reader's language (--lang fr|en, `lang` in .hdslint.yaml).

English is the source text. Code wraps each user-facing template in `_()`, with named
placeholders filled by keyword: `_("{address} has no backups: {detail}.", address=..., detail=...)`.
`_()` writes nothing yet: it returns a Msg, the template and its values, which readers, analyses
and rules pass around as data. Words come last: a report turns a Msg into text with `str()`,
in the language of `using(lang)`. A catalog per language (hdslint/i18n/<lang>/*.yaml, one file
per area of the code) maps each English template to its translation; tests check that every
`_()` template in the code has one, with the same placeholders. What comes from the knowledge
files (provider notes, sources) stays as written.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

LANGUAGES = ("en", "fr")
_LANG: contextvars.ContextVar[str] = contextvars.ContextVar("hdslint_lang", default="en")


def language() -> str:
    return _LANG.get()


@contextlib.contextmanager
def using(lang: str) -> Iterator[None]:
    """The language for a rendering; the previous one comes back after."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (one of {', '.join(LANGUAGES)})")
    token = _LANG.set(lang)
    try:
        yield
    finally:
        _LANG.reset(token)


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    if lang == "en":
        return out
    import yaml  # here: an English report reads no catalog

    for path in sorted((Path(__file__).parent / lang).glob("*.yaml")):
        with open(path, encoding="utf-8") as f:
            out.update(yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {})
    return out


class Msg:
    """A sentence not yet written: an English template (the key of the catalogs) and the values
    of its placeholders, which may be Msgs themselves. `str(msg)` writes it in the language in use."""

    __slots__ = ("template", "values")

    def __init__(self, template: str, values: dict[str, object] | None = None) -> None:
        self.template = template
        self.values = values or {}

    def __str__(self) -> str:
        translated = catalog(_LANG.get()).get(self.template, self.template)
        if not self.values:
            return translated
        return translated.format(**{k: str(v) if isinstance(v, Msg) else v for k, v in self.values.items()})

    def __repr__(self) -> str:
        return f"Msg({self.template!r}, {self.values!r})"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __add__(self, other: object) -> Msg:
        return Joined((self, other)) if isinstance(other, (str, Msg)) else NotImplemented

    def __radd__(self, other: object) -> Msg:
        return Joined((other, self)) if isinstance(other, (str, Msg)) else NotImplemented

    def __bool__(self) -> bool:
        return bool(self.template)

    def __contains__(self, part: str) -> bool:
        return part in str(self)

    def __eq__(self, other: object) -> bool:
        """Against a text: the same words in the language in use. Against a Msg: the same
        template and values (cheap: sets of evidence hold thousands of them)."""
        if isinstance(other, str):
            return str(self) == other
        if isinstance(other, Msg):
            return type(self) is type(other) and self._key() == other._key()
        return NotImplemented

    def _key(self) -> tuple[object, ...]:
        return (self.template, self.values)

    def __hash__(self) -> int:
        return hash(self.template)


class Joined(Msg):
    """Texts written one after the other (or with a separator): a Msg too."""

    __slots__ = ("parts", "separator")

    def __init__(self, parts: Iterable[object], separator: str | Msg = "") -> None:
        super().__init__("")
        self.parts = tuple(parts)
        self.separator = separator

    def __str__(self) -> str:
        return str(self.separator).join(str(p) for p in self.parts)

    def __repr__(self) -> str:
        return f"Joined({self.parts!r}, {self.separator!r})"

    def __bool__(self) -> bool:
        return any(bool(p) for p in self.parts)

    def _key(self) -> tuple[object, ...]:
        return (self.parts, self.separator)

    def __hash__(self) -> int:
        return hash(len(self.parts))


class Later(Msg):
    """A text computed from other texts when it is written (e.g. the first clause of a basis)."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[], str]) -> None:
        super().__init__("")
        self.compute = compute

    def __str__(self) -> str:
        return self.compute()

    def __repr__(self) -> str:
        return f"Later({self.compute!r})"

    def __bool__(self) -> bool:
        return True

    def _key(self) -> tuple[object, ...]:
        return (id(self),)

    def __hash__(self) -> int:
        return id(self)


Text = str | Msg  # what a message field holds until it is written


def _(template: str, **values: object) -> Msg:
    """The template with its values, written in the reader's language when it is shown."""
    return Msg(template, values)


def text(value: str) -> Msg:
    """A fixed text held in data rather than written at the call (a rule's title, remediation
    and basis, a perimeter's name), written in the reader's language when it is shown."""
    return Msg(value)


def join(parts: Iterable[object], separator: str | Msg = ", ") -> Msg:
    """Texts joined with a separator, each written in the reader's language when shown."""
    return Joined(parts, separator)


def say(template: str, **values: object) -> str:
    """The template written now, in the language in use: for the report layer, where words come
    last (report modules import it as `_`)."""
    return str(Msg(template, values))


def say_text(value: str) -> str:
    """A fixed text written now, in the language in use (report modules import it as `text`)."""
    return str(Msg(value))
