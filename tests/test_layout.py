"""The layout shows the flow: the layers contract of pyproject.toml holds (import-linter), so
imports only go down the stages and the three readers stay independent."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_imports_only_go_down_the_stages():
    out = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
                          "lint_imports_command()", "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Contracts: 2 kept, 0 broken." in out.stdout
