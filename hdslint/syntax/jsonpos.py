"""JSON with line numbers: objects and arrays remember the line they start on and the
line of each key. Iterative (no recursion), so deeply nested input is refused cleanly.

Used for .tf.json, Terraform plan JSON, scalingo.json and JSON Kubernetes manifests.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since 2.x, not in typeshed
from typing import Any, NoReturn

from hdslint.i18n import Text, _

MAX_DEPTH = 200


class JSONError(Exception):
    def __init__(self, message: Text, line: int) -> None:
        super().__init__(f"{message} (line {line})")
        self.message, self.line = message, line


class JObject(dict[str, Any]):
    """A JSON object; .line is where it opens, .key_lines[key] where each key is."""

    __slots__ = ("key_lines", "line")
    line: int
    key_lines: dict[str, int]


class JArray(list[Any]):
    """A JSON array; .line is where it opens, .item_lines[i] where each element starts."""

    __slots__ = ("item_lines", "line")
    line: int
    item_lines: list[int]


_WS = re.compile(r"[ \t\r\n]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}


def loads(text: str) -> Any:
    """Parse JSON text; raises JSONError with the line of the problem."""
    if text.startswith("\ufeff"):
        text = text[1:]
    pos, line = 0, 1
    n = len(text)
    stack: list = []  # containers being filled; for objects, the pending key sits beside it
    keys: list = []
    result = _MISSING = object()

    def ws(p: int) -> int:
        nonlocal line
        end = _WS.match(text, p).end()  # type: ignore[union-attr]  # [ \t\r\n]* always matches
        if end != p:
            line += text.count("\n", p, end)
        return end

    def fail(message: Text) -> NoReturn:
        raise JSONError(message, line)

    expect_value = True
    while True:
        pos = ws(pos)
        if pos >= n:
            if stack:
                fail(_("unexpected end of file: an object or array is not closed"))
            if result is _MISSING:
                fail(_("empty document"))
            return result
        c = text[pos]
        if expect_value:
            if c == "{" or c == "[":
                if len(stack) >= MAX_DEPTH:
                    fail(_("nesting deeper than {depth} levels", depth=MAX_DEPTH))
                container: JObject | JArray
                if c == "{":
                    container = JObject()
                    container.key_lines = {}
                else:
                    container = JArray()
                    container.item_lines = []
                container.line = line
                pos += 1
                stack.append(container)
                keys.append(None)
                pos = ws(pos)
                if pos < n and text[pos] == ("}" if c == "{" else "]"):
                    pos += 1
                    value = stack.pop()
                    keys.pop()
                elif c == "{":
                    # read the first key
                    pos = _read_key(text, pos, stack[-1], keys, line, fail)
                    pos = ws(pos)
                    if pos >= n or text[pos] != ":":
                        fail(_("expected ':' after an object key"))
                    pos += 1
                    continue
                else:
                    continue
            elif c == '"':
                try:
                    value, pos = scanstring(text, pos + 1, True)
                except ValueError as e:
                    fail(_("invalid string: {detail}", detail=e.args[0].split(':')[0]))
            elif c in "-0123456789":
                m = _NUMBER.match(text, pos)
                if not m:
                    fail(_("invalid number near {text}", text=repr(text[pos:pos + 10])))
                s = m.group()
                value = float(s) if (m.group(1) or m.group(2)) else int(s)
                pos = m.end()
            else:
                for word, lit in _LITERALS.items():
                    if text.startswith(word, pos):
                        value = lit
                        pos += len(word)
                        break
                else:
                    fail(_("unexpected character {char}", char=repr(c)))
            # a complete value: attach it to its parent
            if not stack:
                if result is not _MISSING:
                    fail(_("extra data after the JSON document"))
                result = value
                expect_value = False
                continue
            parent = stack[-1]
            if isinstance(parent, JObject):
                parent[keys[-1]] = value
            else:
                parent.append(value)
                parent.item_lines.append(getattr(value, "line", line))
            expect_value = False
            continue
        # after a value: ',' or a closing bracket, or end of document
        if not stack:
            fail(_("extra data after the JSON document"))
        parent = stack[-1]
        closing = "}" if isinstance(parent, JObject) else "]"
        if c == ",":
            pos += 1
            if isinstance(parent, JObject):
                pos = ws(pos)
                pos = _read_key(text, pos, parent, keys, line, fail)
                pos = ws(pos)
                if pos >= n or text[pos] != ":":
                    fail(_("expected ':' after an object key"))
                pos += 1
            expect_value = True
        elif c == closing:
            pos += 1
            value = stack.pop()
            keys.pop()
            if not stack:
                if result is not _MISSING:
                    fail(_("extra data after the JSON document"))
                result = value
            else:
                grand = stack[-1]
                if isinstance(grand, JObject):
                    grand[keys[-1]] = value
                else:
                    grand.append(value)
                    grand.item_lines.append(value.line)
        else:
            fail(_("expected ',' or '{closing}', found {found}", closing=closing, found=repr(c)))


def _read_key(text: str, pos: int, obj: JObject, keys: list[str], line: int, fail: Callable[[Text], NoReturn]) -> int:
    if pos >= len(text) or text[pos] != '"':
        fail(_("expected a quoted object key"))
    try:
        key, pos = scanstring(text, pos + 1, True)
    except ValueError as e:
        fail(_("invalid string: {detail}", detail=e.args[0].split(':')[0]))
    keys[-1] = key
    obj.key_lines[key] = line
    return pos
