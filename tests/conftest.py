"""Helpers shared by the tests: run a scan on a fixture and compare exact findings."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from hdslint import engine
from hdslint.config import Config

ROOT = Path(__file__).resolve().parent.parent

# the knowledge cache of this test session stays out of the user's ~/.cache
os.environ.setdefault("HDSLINT_CACHE_DIR", os.path.join(
    os.environ.get("TMPDIR", "/tmp"), f"hdslint-test-cache-{os.getuid()}"))
FIXTURES = ROOT / "fixtures"
TODAY = dt.date(2026, 11, 29)
NOT_COVERAGE = ("locality", "parse", "suppression")


def scan(path, env=None, today=TODAY, **config) -> engine.ScanResult:
    """Scan a fixture directory (or files) with the fixture as working directory."""
    path = Path(path)
    base = path if path.is_dir() else path.parent
    cwd = os.getcwd()
    os.chdir(base)
    try:
        target = "." if path.is_dir() else path.name
        return engine.scan([target], Config(**config), today=today, env=env or {})
    finally:
        os.chdir(cwd)


def rows(result, *, suppressed=False, families=None) -> list:
    """(rule, resource, file, line) of each finding, suppressed ones only on request, of the
    given families only when asked (a fixture written for one family may trip others)."""
    return [(f.rule_id, f.resource, f.file, f.line) for f in result.findings
            if f.suppressed == suppressed and (families is None or f.family in families)]


def line_of(path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line of a file containing needle: tests never hard-code
    a line number without checking it against the file."""
    seen = 0
    for n, text in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in text:
            seen += 1
            if seen == occurrence:
                return n
    raise AssertionError(f"{needle!r} not found in {path}")


def finding(result, rule_id: str, resource: str = ""):
    matches = [f for f in result.findings if f.rule_id == rule_id and f.resource == resource]
    assert len(matches) == 1, f"expected one {rule_id} on {resource!r}, got {rows(result)}"
    return matches[0]


@pytest.fixture
def tf():
    return FIXTURES / "terraform"


def _checkov_version(binary: str) -> str:
    import subprocess

    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=120)
    except OSError:
        return ""
    return out.stdout.strip()


@pytest.fixture(scope="session")
def checkov_bin() -> str:
    """The real checkov, at the version policies/checkov/mapping.yaml was reviewed against:
    $HDSLINT_CHECKOV, else checkov on PATH, else installed once into its own virtual
    environment under ~/.cache (checkov cannot share hdslint's environment: design.md)."""
    import shutil
    import subprocess
    import sys

    import yaml

    wanted = yaml.safe_load((ROOT / "policies" / "checkov" / "mapping.yaml").read_text())["checkov_version"]
    for candidate in (os.environ.get("HDSLINT_CHECKOV"), shutil.which("checkov")):
        if candidate and _checkov_version(candidate) == wanted:
            return candidate
    venv = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hdslint-tests" / f"checkov-{wanted}"
    binary = venv / "bin" / "checkov"
    if _checkov_version(str(binary)) != wanted:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", f"checkov=={wanted}"], check=True)
    assert _checkov_version(str(binary)) == wanted, f"could not install checkov {wanted} into {venv}"
    return str(binary)
