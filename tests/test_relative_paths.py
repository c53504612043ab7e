"""syntax.text.relative gives os.path.relpath's answer, faster for a path inside the start."""
from __future__ import annotations

import os

import pytest

from hdslint.syntax.text import relative

CASES = [
    ("/a/b/c.tf", "/a"), ("/a/b/c.tf", "/a/"), ("/a", "/a"), ("/a/", "/a"), ("/ab/c", "/a"), ("/a/../b/c", "/b"),
    ("/a/./b//c", "/a"), ("/x/y", "/a/b"), ("/a/b", "/"), ("/", "/"), ("b/c", "."), ("c", "b"), ("../x", "."),
]


@pytest.mark.parametrize(("path", "start"), CASES)
def test_relative_is_relpath(path, start):
    assert relative(path, start) == os.path.relpath(path, start)
