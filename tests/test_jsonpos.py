"""JSON with lines: exact lines for objects and keys, errors with lines, depth limit."""
from __future__ import annotations

import json

import pytest

from hdslint.syntax.jsonpos import JSONError, loads


def test_values_equal_the_standard_library_and_lines_are_kept():
    text = '{\n  "a": [1, 2.5, {"b": null}],\n  "c": {},\n  "d": "x\\ny", "e": [true, false]\n}'
    doc = loads(text)
    assert doc == json.loads(text)
    assert doc.line == 1 and doc.key_lines == {"a": 2, "c": 3, "d": 4, "e": 4}
    assert doc["a"].line == 2 and doc["a"][2].line == 2


@pytest.mark.parametrize("text, line, message", [
    ("", 1, "empty document"),
    ("{", 1, "expected a quoted object key"),
    ('{"a" 1}', 1, "expected ':'"),
    ("[1,]", 1, "unexpected character ']'"),
    ('{\n"a": 1,\n}', 3, "expected a quoted object key"),
    ("[1] 2", 1, "extra data"),
    ("[" * 300, 1, "nesting deeper than"),
    ('"\\x"', 1, "invalid string"),
    ('{"a":\n\n tru}', 3, "unexpected character"),
    ("[1, 2", 1, "not closed"),
])
def test_errors(text, line, message):
    with pytest.raises(JSONError) as err:
        loads(text)
    assert err.value.line == line and message in err.value.message


def test_byte_order_mark_is_ignored():
    assert loads('\ufeff{"a": 1}') == {"a": 1}
