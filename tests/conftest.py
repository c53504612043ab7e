"""Helpers shared by the tests: run a scan on a fixture and compare exact findings; the peer
programs (checkov, helm, kubectl, Chromium) as session fixtures, provisioned by tests/peers.py."""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path

import peers
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
    """Scan a fixture directory (or files) with the fixture as working directory. No helm,
    kubectl or kustomize is found on PATH during the scan: a test that renders names them
    (helm_bin=, kustomize_bin=), so results do not depend on the machine."""
    path = Path(path)
    base = path if path.is_dir() else path.parent
    cwd, search = os.getcwd(), os.environ.get("PATH", "")
    os.chdir(base)
    os.environ["PATH"] = os.devnull  # nothing found there
    try:
        target = "." if path.is_dir() else path.name
        return engine.scan([target], Config(**config), today=today, env=env or {})
    finally:
        os.chdir(cwd)
        os.environ["PATH"] = search


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


# ---- peer programs (tests/peers.py): provisioned by the test session, never skipped ------------

def _announce(config) -> peers.Announce:
    """Print one line past pytest's output capture, so it shows even with -q."""
    def announce(line: str) -> None:
        capture = config.pluginmanager.getplugin("capturemanager")
        reporter = config.pluginmanager.getplugin("terminalreporter")
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            if reporter:
                if getattr(getattr(reporter, "_tw", None), "width_of_current_line", 0):
                    reporter.write("\n")  # after the progress dots of -q
                reporter.write_line(line)
            else:
                print(line, file=sys.stderr, flush=True)
    return announce


def _provide(config, program, *args) -> str:
    try:
        return program(*args, announce=_announce(config))
    except peers.Unavailable as error:
        message = str(error)
    pytest.fail(message, pytrace=False)  # outside the except: the message alone, no chained traceback


@pytest.fixture(scope="session")
def checkov_bin(pytestconfig) -> str:
    """The real checkov, at the version policies/checkov/mapping.yaml was reviewed against."""
    import yaml

    wanted = yaml.safe_load((ROOT / "policies" / "checkov" / "mapping.yaml").read_text())["checkov_version"]
    return _provide(pytestconfig, peers.checkov, wanted)


@pytest.fixture(scope="session")
def helm_bin(pytestconfig) -> str:
    """The real helm ($HDSLINT_HELM, else the pinned one in the peers folder)."""
    return _provide(pytestconfig, peers.helm)


@pytest.fixture(scope="session")
def kubectl_bin(pytestconfig) -> str:
    """The real kubectl ($HDSLINT_KUBECTL, else the pinned one in the peers folder)."""
    return _provide(pytestconfig, peers.kubectl)


@pytest.fixture(scope="session")
def chromium_bin(pytestconfig) -> str:
    """Headless Chromium, Debian's package (installed with apt-get when running as root)."""
    return _provide(pytestconfig, peers.chromium)
