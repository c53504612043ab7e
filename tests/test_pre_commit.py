"""The pre-commit hook, for real: pre-commit try-repo on a temporary git repository.

pre-commit builds the hook's environment from this repository (pip install of hdslint), so
this test needs the package index, as CI has."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

MAIN_TF = '''provider "aws" {
  region = var.region
}

resource "aws_db_instance" "patients" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  storage_encrypted       = true
  backup_retention_period = 7
  parameter_group_name    = aws_db_parameter_group.tls.name
}

resource "aws_db_parameter_group" "tls" {
  name   = "postgres-tls"
  family = "postgres16"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}
'''
VARIABLES_TF = 'variable "region" {\n  default = "eu-west-3"\n}\n'


def _git(repo: Path, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _try_repo(repo: Path, home: Path, hook: str, *extra):
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, *extra]
    return subprocess.run(cmd, cwd=repo, capture_output=True, text=True, env=env, timeout=600)


def test_hook_fails_on_a_non_eea_region_and_passes_once_fixed(tmp_path):
    repo, home = tmp_path / "infra", tmp_path / "pre-commit-home"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "test@example.com")
    _git(repo, "config", "user.name", "test")
    (repo / ".hdslint.yaml").write_text("fail_on: high\n")
    (repo / "main.tf").write_text(MAIN_TF)
    (repo / "variables.tf").write_text(VARIABLES_TF)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "infra")

    # only terraform.tfvars changes: the finding is on main.tf, caused by the staged file
    (repo / "terraform.tfvars").write_text('region = "us-east-1"\n')
    _git(repo, "add", "terraform.tfvars")
    out = _try_repo(repo, home, "hdslint")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "HDS-LOC-001" in out.stdout and "aws_db_instance.patients" in out.stdout
    assert 'var.region = "us-east-1" (terraform.tfvars:1)' in out.stdout

    (repo / "terraform.tfvars").write_text('region = "eu-west-3"\n')
    _git(repo, "add", "terraform.tfvars")
    out = _try_repo(repo, home, "hdslint")
    assert out.returncode == 0, out.stdout + out.stderr

    out = _try_repo(repo, home, "hdslint-all", "--all-files")
    assert out.returncode == 0, out.stdout + out.stderr
