"""The parsed-knowledge cache: used when the policy file is unchanged, ignored when broken,
refreshed when the file changes, absent with HDSLINT_NO_CACHE."""
from __future__ import annotations

import os
import time

from hdslint.knowledge import store as knowledge


def test_cache_round_trip_and_refresh(tmp_path, monkeypatch):
    monkeypatch.setenv("HDSLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HDSLINT_NO_CACHE", raising=False)
    policy = tmp_path / "p.yaml"
    policy.write_text("a: 1\nwhen: 2026-11-29\n")
    first = knowledge.load(policy)
    (entry,) = list((tmp_path / "cache").rglob("*.pickle"))
    assert knowledge.load(policy) == first == {"a": 1, "when": first["when"]}
    # a broken cache entry is not trusted: the file is parsed again
    entry.write_bytes(b"not a pickle")
    assert knowledge.load(policy) == first
    # a changed file gets a new entry, never the old data
    policy.write_text("a: 2\n")
    os.utime(policy, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert knowledge.load(policy) == {"a": 2}


def test_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HDSLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HDSLINT_NO_CACHE", "1")
    policy = tmp_path / "p.yaml"
    policy.write_text("a: 1\n")
    assert knowledge.load(policy) == {"a": 1}
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_is_not_an_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("HDSLINT_CACHE_DIR", str(blocker))  # a file where a directory should be
    monkeypatch.delenv("HDSLINT_NO_CACHE", raising=False)
    policy = tmp_path / "p.yaml"
    policy.write_text("a: 1\n")
    assert knowledge.load(policy) == {"a": 1}
