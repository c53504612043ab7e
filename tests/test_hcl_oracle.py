"""Our HCL parser against python-hcl2 7.3.1 (the reference implementation we pin for tests):
on every Terraform fixture, both must find the same blocks, labels, first and last lines,
and the same argument names. python-hcl2 8.x dropped line numbers, hence the pin."""
from __future__ import annotations

import hcl2  # test dependency: pip install '.[test]'
import pytest
from conftest import FIXTURES

from hdslint.syntax.hcl import parser

UNPARSABLE = {"broken.tf", "latin1.tf"}  # parse_errors fixtures, invalid on purpose
# the hostile corpus is invalid or encoded on purpose; test_hostile covers it
FILES = sorted(
    p for p in FIXTURES.rglob("*.tf") if p.name not in UNPARSABLE and "hostile" not in p.parts
)


def _ours(body, prefix=()):
    out = set()
    for b in body.blocks:
        path = prefix + (b.type, *b.labels)
        out.add((path, b.line, b.end_line, tuple(sorted(b.body.attributes))))
        out |= _ours(b.body, path)
    return out


def _unwrap(obj, labels):
    if isinstance(obj, dict) and "__start_line__" in obj:
        return obj, labels
    if isinstance(obj, dict) and len(obj) == 1:
        (k, v), = obj.items()
        return _unwrap(v, labels + (k,))
    return None, labels


def _theirs(d, prefix=(), top=True):
    out = set()
    for key, value in d.items():
        if key.startswith("__") or not isinstance(value, list):
            continue
        for item in value:
            body, labels = _unwrap(item, ())
            if body is None:
                continue
            path = prefix + (key, *labels)
            attrs = tuple(sorted(k for k, v in body.items() if not k.startswith("__") and not _is_blocks(v)))
            out.add((path, body["__start_line__"], body["__end_line__"], attrs))
            out |= _theirs(body, path, top=False)
    return out


def _is_blocks(v):
    return isinstance(v, list) and v and all(_unwrap(x, ())[0] is not None for x in v)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_same_blocks_lines_and_arguments_as_python_hcl2(path):
    text = path.read_text(encoding="utf-8")
    ours = _ours(parser.parse(text).body)
    theirs = _theirs(hcl2.loads(text, with_meta=True))
    assert ours and ours == theirs


def test_there_are_fixtures_to_compare():
    assert len(FILES) >= 15
