"""Versions: releases are git tags vX.Y.Z on the commit whose hdslint/__init__.py says X.Y.Z
(README "Versions"); `hdslint --version` prints it; pre-commit users pin a tag that
`pre-commit autoupdate` finds."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.M)


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def tags_not_matching(repo: Path) -> list[str]:
    """Every v* tag whose commit does not say that version in hdslint/__init__.py."""
    wrong = []
    for tag in _git(repo, "tag", "--list", "v*").split():
        m = re.fullmatch(r"v(\d+\.\d+\.\d+)", tag)
        if not m:
            wrong.append(f"{tag}: not vX.Y.Z")
            continue
        said = VERSION_LINE.search(_git(repo, "show", f"{tag}:hdslint/__init__.py"))
        if not said or said.group(1) != m.group(1):
            wrong.append(f"{tag}: hdslint/__init__.py says {said.group(1) if said else 'no version'}")
    return wrong


def test_the_version_is_x_y_z_and_read_by_the_package_metadata():
    from hdslint import __version__

    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    init = (ROOT / "hdslint" / "__init__.py").read_text()
    assert VERSION_LINE.findall(init) == [__version__]
    assert 'version = {attr = "hdslint.__version__"}' in (ROOT / "pyproject.toml").read_text()


def test_every_release_tag_of_this_clone_holds_its_version():
    if (ROOT / ".git").exists():  # a clone (an archive has no tags to check)
        assert tags_not_matching(ROOT) == []


def _repo(base: Path, version: str) -> Path:
    """A repository holding hdslint's hooks and package, at `version`, committed."""
    repo = base / "hdslint"
    repo.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "hdslint", repo / "hdslint", ignore=shutil.ignore_patterns("__pycache__"))
    init = repo / "hdslint" / "__init__.py"
    init.write_text(VERSION_LINE.sub(f'__version__ = "{version}"', init.read_text()))
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", f"release {version}")
    return repo


def test_a_tag_that_does_not_hold_its_version_is_found(tmp_path):
    repo = _repo(tmp_path, "1.4.0")
    _git(repo, "tag", "v1.4.0")
    assert tags_not_matching(repo) == []
    _git(repo, "tag", "v1.5.0")
    _git(repo, "tag", "v1.5")
    assert sorted(tags_not_matching(repo)) == ["v1.5.0: hdslint/__init__.py says 1.4.0", "v1.5: not vX.Y.Z"]


def test_pre_commit_autoupdate_pins_the_latest_release_tag(tmp_path):
    """The README's pre-commit snippet, pointing at a local repository instead of GitHub."""
    import yaml

    repo = _repo(tmp_path, "2.3.4")
    _git(repo, "tag", "v2.3.4")
    readme = (ROOT / "README.md").read_text()
    snippet = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.S).group(1)
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    (project / ".pre-commit-config.yaml").write_text(snippet.replace("https://github.com/hdslint/hdslint", str(repo)))
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    out = subprocess.run([sys.executable, "-m", "pre_commit", "autoupdate"], cwd=project, capture_output=True,
                         text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    assert [r["rev"] for r in config["repos"]] == ["v2.3.4"]
