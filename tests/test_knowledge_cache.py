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
    (entry,) = list((tmp_path / "cache").rglob("*.json"))
    assert knowledge.load(policy) == first == {"a": 1, "when": first["when"]}
    # a broken cache entry is not trusted: the file is parsed again
    entry.write_bytes(b"not json")
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


def test_the_cache_is_plain_json_and_a_poisoned_entry_cannot_run_code(tmp_path, monkeypatch):
    """CI systems restore cache folders between jobs: what is in them must never be executed."""
    import json
    import pickle

    monkeypatch.setenv("HDSLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HDSLINT_NO_CACHE", raising=False)
    policy = tmp_path / "p.yaml"
    policy.write_text("a: 1\nwhen: 2026-11-29\n")
    assert knowledge.load(policy) == {"a": 1, "when": "2026-11-29"}  # dates kept as ISO text
    (entry,) = list((tmp_path / "cache").rglob("*.json"))
    assert json.loads(entry.read_text()) == {"format": 1, "data": {"a": 1, "when": "2026-11-29"}}

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {tmp_path / 'pwned'}",))

    entry.write_bytes(pickle.dumps(Boom()))  # what an attacker would plant in a pickle cache
    assert knowledge.load(policy) == {"a": 1, "when": "2026-11-29"}
    assert not (tmp_path / "pwned").exists()
    entry.write_text('{"format": 99, "data": {"a": 2}}')  # not what this version writes
    assert knowledge.load(policy) == {"a": 1, "when": "2026-11-29"}


def test_the_cache_honours_xdg_cache_home(tmp_path, monkeypatch):
    monkeypatch.delenv("HDSLINT_CACHE_DIR", raising=False)
    monkeypatch.delenv("HDSLINT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    policy = tmp_path / "p.yaml"
    policy.write_text("a: 1\n")
    assert knowledge.load(policy) == {"a": 1}
    assert list((tmp_path / "xdg" / "hdslint").rglob("*.json"))


def test_an_unreadable_or_undecodable_cache_entry_is_absent(tmp_path, monkeypatch):
    """An entry that cannot be read (a folder in its place), is not UTF-8, or holds JSON of
    another shape is not used: the file is parsed again, and the scan goes on."""
    monkeypatch.setenv("HDSLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HDSLINT_NO_CACHE", raising=False)
    policy = tmp_path / "p.yaml"
    policy.write_text("a: 1\n")
    assert knowledge.load(policy) == {"a": 1}
    (entry,) = list((tmp_path / "cache").rglob("*.json"))
    for planted in (b"\xff\xfe\x00garbage", b'{"format": 1, "data": [1, 2]}', b"[]", b'{"format": 1}'):
        entry.write_bytes(planted)
        assert knowledge.load(policy) == {"a": 1}
    entry.unlink()
    entry.mkdir()  # reading it fails with an OSError
    assert knowledge.load(policy) == {"a": 1}


def test_an_index_is_built_once_and_again_when_a_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("HDSLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HDSLINT_NO_CACHE", raising=False)
    files = [tmp_path / "a.yaml", tmp_path / "b.yaml"]
    files[0].write_text("provider: x\n")
    files[1].write_text("provider: y\n")
    built = []

    def build(paths):
        built.append(paths)
        return {"files": {knowledge.load(p)["provider"]: str(p) for p in paths}}

    expected = {"files": {"x": str(files[0]), "y": str(files[1])}}
    assert knowledge.index("test", files, build) == expected
    assert knowledge.index("test", files, build) == expected
    assert len(built) == 1  # the second time from the cache
    files[1].write_text("provider: z\n")
    assert knowledge.index("test", files, build) == {"files": {"x": str(files[0]), "z": str(files[1])}}
    assert len(built) == 2
    monkeypatch.setenv("HDSLINT_NO_CACHE", "1")
    assert knowledge.index("test", files, build)["files"]["z"] == str(files[1])
    assert len(built) == 3
