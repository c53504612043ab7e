"""Reads the knowledge files in policies/ (YAML), through a cache of parsed files.

The files are validated against their schemas by the test-suite (hdslint.policycheck), not
on every scan: a scan only reads them.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

# In a source checkout policies/ sits beside the package; in an installed wheel it is
# shipped inside it as hdslint/policies (see pyproject.toml).
_package = Path(__file__).resolve().parent.parent
POLICIES_DIR = _package / "policies" if (_package / "policies").is_dir() else _package.parent / "policies"

CACHE_FORMAT = 1  # bump when what load() returns changes shape


class PolicyError(Exception):
    """A knowledge file in policies/ cannot be read: a broken installation, exit code 2."""


def cache_dir() -> str | None:
    """Where parsed knowledge files are kept between runs: $HDSLINT_CACHE_DIR, else
    $XDG_CACHE_HOME/hdslint/<version> or ~/.cache/hdslint/<version> (HDSLINT_NO_CACHE=1 or
    --no-cache: nowhere). Parsing 1.5 MB of YAML costs more than the scan of a small repository."""
    if os.environ.get("HDSLINT_NO_CACHE"):
        return None
    from hdslint import __version__

    if os.environ.get("HDSLINT_CACHE_DIR"):
        return os.path.join(os.environ["HDSLINT_CACHE_DIR"], __version__)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hdslint", __version__)


def load(path: Path) -> dict[str, Any]:
    """A policy file's data: from the cache when an entry for the same path and content exists,
    else parsed and cached. Only hdslint's own files are cached, never a scanned one. The cache
    holds JSON of plain data, so that a cache folder restored from elsewhere (CI caches are
    shared between branches) can never run code; a cache that cannot be read or written, or an
    entry that is not what this code wrote, is simply not used."""
    raw = _read(path)
    key = hashlib.sha256(str(path).encode() + b"\0" + raw).hexdigest()[:40]
    if cache_dir() is not None:
        return _parse(path, raw, key)
    # without a cache, what this run has parsed (an index and the files it points at read the same files)
    data = _parsed_now.get(key)
    if data is None:
        data = _parsed_now[key] = _parse(path, raw, key)
    return data


_parsed_now: dict[str, dict[str, Any]] = {}


def _parse(path: Path, raw: bytes, key: str) -> dict[str, Any]:
    data = _cached(key)
    if data is not None:
        return data
    import yaml  # here: a scan whose knowledge is cached reads no YAML

    try:
        data = yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnicodeDecodeError, yaml.YAMLError) as e:
        raise PolicyError(f"policy file {path} cannot be read: {e}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"policy file {path} does not hold a mapping")
    data = _plain(data)
    _keep(key, data)
    return data


def index(name: str, paths: list[Path], build: Callable[[list[Path]], dict[str, Any]]) -> dict[str, Any]:
    """What `build` makes of several policy files (which file names which provider), cached
    like load() under their paths and contents: a scan then parses only the files it needs (a
    provider's facts, a region table), not all of them."""
    digest = hashlib.sha256(name.encode())
    for path in paths:
        digest.update(b"\0" + str(path).encode() + b"\0" + _read(path))
    key = "index-" + digest.hexdigest()[:40]
    data = _cached(key)
    if data is None:
        data = build(paths)
        _keep(key, data)
    return data


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise PolicyError(f"policy file {path} cannot be read: {e}") from None


def _cached(key: str) -> dict[str, Any] | None:
    """The data of a cache entry, or None (no cache, no entry, or one this code did not write)."""
    where = cache_dir()
    if not where:
        return None
    try:
        with open(os.path.join(where, key + ".json"), encoding="utf-8") as f:
            entry = json.load(f)
        if isinstance(entry, dict) and entry.get("format") == CACHE_FORMAT and isinstance(entry.get("data"), dict):
            return entry["data"]
    except (OSError, ValueError):
        pass
    return None


def _keep(key: str, data: dict[str, Any]) -> None:
    """Writes a cache entry, if there is a cache and it can be written."""
    where = cache_dir()
    if not where:
        return
    import tempfile  # here: a run that finds its knowledge cached writes nothing

    try:
        os.makedirs(where, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"format": CACHE_FORMAT, "data": data}, f, ensure_ascii=False, separators=(",", ":"))
        # atomic: a concurrent run reads the old file or the new one
        os.replace(tmp, os.path.join(where, key + ".json"))
    except (OSError, TypeError, ValueError):
        pass


def _plain(value: Any) -> Any:
    """YAML reads 2026-11-29 as a date; the knowledge keeps dates as ISO text, as JSON can."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


_RETRIEVED = re.compile(rb"""\bretrieved:\s*["']?(\d{4}-\d{2}-\d{2})""")


@functools.cache
def knowledge_date() -> str | None:
    """The date of the knowledge in policies/: the latest day one of its sources was read
    (every source records it as `retrieved`). None when no file records one. Kept in the
    knowledge cache: searching 1.3 MB of YAML took 13 ms of every JSON report."""
    date = index("knowledge date", sorted(POLICIES_DIR.rglob("*.yaml")), _latest_retrieved)["date"]
    return str(date) if date is not None else None


def _latest_retrieved(paths: list[Path]) -> dict[str, Any]:
    dates = [m.group(1).decode() for path in paths for m in _RETRIEVED.finditer(_read(path))]
    return {"date": max(dates, default=None)}
