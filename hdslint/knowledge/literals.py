"""Plain text read from the regular expressions of the knowledge files, so that a scan compiles
only the expressions that can match.

Compiling a regular expression costs more than matching it: the 83 endpoint patterns and a
provider's no_data patterns took 10 to 20 ms each to compile, on every run, for a handful of
values. These readers understand a small, safe subset of the syntax and give up (None) on
anything else, where the caller keeps the regular expression.
"""
from __future__ import annotations

import functools
import re

_WORDS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_RUN = r"(?:\\\.|[a-z0-9-])+$"  # literal characters and escaped dots, at the end (compiled on first use)
_EDGES = ("(?:^|[/.@])", "(?:$|[/:])")  # how endpoint patterns open and close


def words(pattern: str) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The strings `re.match(pattern, s)` accepts, as (whole strings, prefixes), for a pattern of
    the form ^prefix(alt|alt...)suffix with an optional $, made of a-z, 0-9 and _; None for any
    other pattern."""
    body = pattern.removeprefix("^")
    end = body.endswith("$")
    if end:
        body = body[:-1]
    pre, bracket, rest = body.partition("(")
    alts, post = [""], ""
    if bracket:
        inside, closed, post = rest.partition(")")
        alts = inside.split("|")
        if not closed or not all(alts):
            return None
    if not all(_WORDS.issuperset(part) for part in (pre, post, *alts)) or not (pre or post or any(alts)):
        return None
    texts = [pre + alt + post for alt in alts]
    if end:  # $ also matches before a final newline
        return frozenset(texts + [t + "\n" for t in texts]), ()
    return frozenset(), tuple(texts)


@functools.lru_cache(maxsize=4096)
def _whole(pattern: str) -> frozenset[str] | None:
    plain = words(pattern)
    if plain is None:
        return None
    return frozenset(t for t in plain[0] if not t.endswith("\n")) | frozenset(plain[1])


def type_matches(pattern: str, rtype: str) -> bool:
    """re.fullmatch(pattern, rtype) is not None, without compiling a plain pattern (a resource
    type pattern of the catalog such as azurerm_(app_service|app_service_plan))."""
    whole = _whole(pattern)
    if whole is not None:
        return rtype in whole
    return re.fullmatch(pattern, rtype) is not None


def needle(pattern: str) -> str | None:
    """Lower-case text every match of `pattern` contains (used with re.I on ASCII text): the run
    of literal characters that ends the pattern (its domain, such as .amazonaws.com), once the
    usual opening and closing groups of endpoint patterns are set aside. None when the pattern
    has no such run, or an alternative at its top level."""
    body = pattern
    if body.endswith(_EDGES[1]):
        body = body[:-len(_EDGES[1])]
    if _top_level_bar(body):
        return None
    m = re.search(_RUN, body)
    if not m:
        return None
    start = m.start()
    backslashes = len(body[:start]) - len(body[:start].rstrip("\\"))
    if backslashes % 2:  # the run starts with an escaped character (\d, \w...): not a literal
        start += 2 if body.startswith("\\.", start) else 1
    text = body[start:].replace("\\.", ".")
    return text if len(text) >= 3 else None


def _top_level_bar(pattern: str) -> bool:
    """A | outside any group or character class."""
    depth, in_class, escaped = 0, False, False
    for c in pattern:
        if escaped:
            escaped = False
        elif c == "\\":
            escaped = True
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
    return False
