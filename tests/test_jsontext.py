"""The JSON reports' writer gives exactly what json.dumps(indent=2, ensure_ascii=False) gives."""
from __future__ import annotations

import enum
import json
from collections import OrderedDict

import pytest

from hdslint.report import jsontext


class Code(str):
    pass


class Level(enum.IntEnum):
    HIGH = 3


DOCS = [
    {},
    [],
    {"a": {}, "b": [], "c": [{}], "d": [[]]},
    {"text": "é \"quoted\" \\ \n\t\u2028 \x01 🙂", "n": 0, "neg": -12, "big": 10**30, "f": 1.5, "g": 1e-7,
     "nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "t": True, "f2": False, "none": None},
    {7: "int key", 2.5: "float key", True: "bool key", None: "none key", "s": ("a", "tuple")},
    {"sub": Code("a str subclass"), "level": Level.HIGH, Code("key"): [Level.HIGH, Code("x")]},
    [[1, [2, [3, {"deep": [4]}]]], "end"],
    "a bare string",
    42,
    None,
]


@pytest.mark.parametrize("doc", DOCS)
def test_same_text_as_json_dumps(doc):
    assert jsontext.dumps(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


def test_other_types_are_left_to_json_dumps():
    ordered = OrderedDict([("b", 1), ("a", [OrderedDict(x=2)])])
    assert jsontext.dumps({"o": ordered}) == json.dumps({"o": ordered}, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError):
        jsontext.dumps({"set": {1, 2}})
    circular: list[object] = []
    circular.append(circular)
    with pytest.raises(ValueError):
        jsontext.dumps(circular)
