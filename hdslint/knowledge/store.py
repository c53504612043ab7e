"""Reads the knowledge files in policies/ (YAML), through a cache of parsed files.

The files are validated against their schemas by the test-suite (hdslint.policycheck), not
on every scan: a scan only reads them.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import yaml

# In a source checkout policies/ sits beside the package; in an installed wheel it is
# shipped inside it as hdslint/policies (see pyproject.toml).
_package = Path(__file__).resolve().parent.parent
POLICIES_DIR = _package / "policies" if (_package / "policies").is_dir() else _package.parent / "policies"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PolicyError(Exception):
    """A knowledge file in policies/ cannot be read: a broken installation, exit code 2."""


def cache_dir() -> str | None:
    """Where parsed knowledge files are kept between runs: $HDSLINT_CACHE_DIR, else
    ~/.cache/hdslint/<version> (HDSLINT_NO_CACHE=1 or --no-cache: nowhere). Parsing 700 KB of
    YAML costs more than the scan of a small repository."""
    if os.environ.get("HDSLINT_NO_CACHE"):
        return None
    from hdslint import __version__

    if os.environ.get("HDSLINT_CACHE_DIR"):
        return os.path.join(os.environ["HDSLINT_CACHE_DIR"], __version__)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "hdslint", __version__)


def load(path: Path):
    """A policy file's data: from the cache when the file has not changed (same path, size and
    modification time), else parsed and cached. Only hdslint's own files are cached, never a
    scanned one, and a cache that cannot be read or written is simply not used."""
    where = cache_dir()
    cached = None
    if where:
        try:
            st = os.stat(path)
            key = hashlib.sha256(f"{path}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:32]
            cached = os.path.join(where, key + ".pickle")
            with open(cached, "rb") as f:
                return pickle.load(f)  # noqa: S301 - our own cache, in the user's cache directory
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.load(f, Loader=_Loader)  # noqa: S506 - CSafeLoader/SafeLoader only
    except (OSError, yaml.YAMLError) as e:
        raise PolicyError(f"policy file {path} cannot be read: {e}") from None
    if not isinstance(data, dict):
        raise PolicyError(f"policy file {path} does not hold a mapping")
    if cached:
        try:
            os.makedirs(where, mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=where, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cached)  # atomic: a concurrent run reads the old file or the new one
        except OSError:
            pass
    return data
