"""The command line as a new user meets it: usage errors in one line (exit 2), a scan that finds
nothing says so, the configuration found from the scanned path up, `hdslint config` printing a
file hdslint reads back, help and listings printed whole."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess

import yaml
from conftest import FIXTURES
from test_cli import hdslint

TF_FAIL = FIXTURES / "terraform" / "provider_tfvars_fail"  # HDS-LOC-001 on aws_db_instance.patients


def _one_line(out) -> str:
    assert out.returncode == 2 and out.stdout == "", (out.returncode, out.stdout)
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr
    return out.stderr.strip()


# ---- exit codes and errors --------------------------------------------------------------------

def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path):
    assert _one_line(hdslint("scan", "infra", cwd=tmp_path)) == "hdslint: no such file or directory: infra"
    assert _one_line(hdslint("config", "infra", cwd=tmp_path)) == "hdslint: no such file or directory: infra"


def test_a_report_or_baseline_into_a_missing_folder_is_a_usage_error(tmp_path):
    out = hdslint("scan", str(TF_FAIL), "--format", "sarif", "--output", "reports/hdslint.sarif", cwd=tmp_path)
    assert _one_line(out) == f"hdslint: --output reports/hdslint.sarif: the folder {tmp_path / 'reports'} does not exist"
    out = hdslint("scan", str(TF_FAIL), "--write-baseline", "ci/baseline.json", cwd=tmp_path)
    assert _one_line(out) == f"hdslint: --write-baseline ci/baseline.json: the folder {tmp_path / 'ci'} does not exist"
    assert list(tmp_path.iterdir()) == []


def test_a_report_that_cannot_be_written_is_a_usage_error(tmp_path):
    out = hdslint("scan", str(TF_FAIL), "--output", "/dev/full", cwd=tmp_path)  # every write fails: no space
    assert _one_line(out) == "hdslint: cannot write /dev/full: No space left on device"
    out = hdslint("scan", str(TF_FAIL), "--write-baseline", "/dev/full", cwd=tmp_path)
    assert _one_line(out) == "hdslint: cannot write the baseline /dev/full: No space left on device"


def test_a_scan_that_finds_no_infrastructure_file_says_so(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# nothing to check here\n")
    (tmp_path / "docs" / "mkdocs.yml").write_text("site_name: docs\n")  # YAML, not a manifest
    out = hdslint("scan", "docs", cwd=tmp_path)
    assert out.returncode == 0 and out.stderr == ""
    assert out.stdout.splitlines()[-1] == (
        "0 findings · 0 resources from 0 files (0 analysed, 0 reported) · nothing checked: no infrastructure "
        "file found (Terraform, plan JSON, Kubernetes or Scalingo manifests)")
    assert "passed" not in out.stdout
    out = hdslint("scan", "docs", "--format", "sarif", "--output", "hdslint.sarif", cwd=tmp_path)
    assert out.returncode == 0 and (tmp_path / "hdslint.sarif").exists()
    assert out.stderr == "hdslint: no infrastructure file found in docs: nothing was checked\n"
    md = hdslint("scan", "docs", "--format", "markdown", cwd=tmp_path).stdout
    assert "⚠️ **nothing checked: no infrastructure file found" in md
    fr = hdslint("scan", "docs", "--lang", "fr", cwd=tmp_path).stdout
    assert "rien de vérifié : aucun fichier d'infrastructure trouvé" in fr
    # in CI, scanning the wrong folder is an error
    out = hdslint("scan", "docs", "--fail-if-no-files", "--format", "json", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr == "hdslint: no infrastructure file found in docs: nothing was checked (--fail-if-no-files)\n"
    assert hdslint("scan", str(TF_FAIL), "--fail-if-no-files", "--fail-on", "none").returncode == 0


# ---- configuration ----------------------------------------------------------------------------

def _project(base, config: str):
    """base/proj: the failing fixture plus a legacy/ folder with a second non-EEA resource."""
    proj = base / "proj"
    shutil.copytree(TF_FAIL, proj)
    (proj / "legacy").mkdir()
    (proj / "legacy" / "old.tf").write_text('resource "aws_sqs_queue" "old" {\n  region = "us-west-1"\n}\n')
    (proj / ".hdslint.yaml").write_text(config)
    return proj


def _loc001(out) -> list:
    return sorted((f["file"], f["resource"], f["suppressed"]) for f in json.loads(out.stdout)["findings"]
                  if f["rule_id"] == "HDS-LOC-001")


def test_the_configuration_is_found_from_the_scanned_path_up(tmp_path):
    proj = _project(tmp_path, "exclude: [legacy/]\nsuppressions:\n  - rule: HDS-LOC-001\n    path: main.tf\n"
                              "    reason: accepted while the migration runs\n")
    expected = [("proj/main.tf", "aws_db_instance.patients", True)]
    # from the parent: proj/.hdslint.yaml applies, its paths relative to its own folder
    out = hdslint("scan", "proj", "--format", "json", cwd=tmp_path)
    assert _loc001(out) == expected and json.loads(out.stdout)["scan"]["config"] == str(proj / ".hdslint.yaml")
    # from a folder below it: found up the tree
    (proj / "envs").mkdir()
    (proj / "envs" / "dev.tf").write_text('resource "aws_sqs_queue" "dev" {\n  region = "us-east-2"\n}\n')
    out = hdslint("scan", ".", "--format", "json", cwd=proj / "envs")
    assert _loc001(out) == [("dev.tf", "aws_sqs_queue.dev", False)]
    assert json.loads(out.stdout)["scan"]["config"] == str(proj / ".hdslint.yaml")
    # a named file finds the configuration of its folder
    out = hdslint("scan", "proj/main.tf", "--format", "json", cwd=tmp_path)
    assert _loc001(out) == expected


def test_the_search_stops_at_the_repository_root(tmp_path):
    (tmp_path / ".hdslint.yaml").write_text("fail_on: none\n")  # outside the repository: not used
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    shutil.copytree(TF_FAIL, repo / "infra")
    assert hdslint("scan", "infra", cwd=repo).returncode == 1
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.hdslint]\nfail_on = "none"\n')
    assert hdslint("scan", ".", cwd=repo / "infra").returncode == 0  # [tool.hdslint] at the repository root


FULL = """\
fail_on: high
lang: fr
profile: strict
exclude: [legacy/, "**/sandbox/*"]
max_file_size: 2048000
inline_suppressions: false
baseline: ci/baseline.json
locality:
  allowed_countries: [FR, DE]
terraform:
  var_files: [envs/prod.tfvars]
  vars: {region: eu-west-3, replicas: 2, public: false}
backup:
  min_retention_days: 14
  separate_site: region
kubernetes: {provider: ovh, region: GRA}
coverage:
  declarations:
    - perimeters: [5]
      by: Acme Infogérance
      certificate: HDS-0000
      valid_until: 2027-12-31
suppressions:
  - rule: [HDS-LOC-001, HDS-BAK-*]
    path: "infra/*.json"
    resource: aws_s3_bucket.public_assets
    reason: "Public assets only: approved by the DPO"
    until: 2027-06-30
rules:
  HDS-LOC-004: {enabled: false}
  HDS-LOC-002: {severity: high}
"""


def _settings(out) -> dict:
    return {name: s["value"] for name, s in json.loads(out.stdout)["settings"].items()}


def test_config_prints_a_file_hdslint_reads_back(tmp_path):
    from hdslint.config import validate

    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / ".hdslint.yaml").write_text(FULL)
    (tmp_path / "proj" / "ci").mkdir()
    printed = hdslint("config", "proj", cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    data = yaml.safe_load(printed.stdout)
    validate(json.loads(json.dumps(data, default=str)), "hdslint config")
    assert data["locality"]["allowed_countries"] == ["FR", "DE"] and data["terraform"]["var_files"] == [
        "envs/prod.tfvars"]
    assert '  allowed_countries: ["FR", "DE"]  # proj/.hdslint.yaml' in printed.stdout.splitlines()
    assert '  undetermined_severity: "medium"  # default' in printed.stdout.splitlines()
    # written back as a configuration file in the same folder, it gives the same settings
    (tmp_path / "proj" / ".hdslint.yaml").write_text(printed.stdout)
    again = hdslint("config", "proj", "--format", "json", cwd=tmp_path)
    (tmp_path / "proj" / ".hdslint.yaml").write_text(FULL)
    assert _settings(again) == _settings(hdslint("config", "proj", "--format", "json", cwd=tmp_path))
    # with no configuration file: the defaults, as a valid file too
    (tmp_path / "bare").mkdir()
    defaults = hdslint("config", cwd=tmp_path / "bare")
    assert "# configuration file: none (defaults)" in defaults.stdout
    (tmp_path / "bare" / ".hdslint.yaml").write_text(defaults.stdout)
    from hdslint.config import Config

    out = hdslint("scan", "--fail-if-no-files", cwd=tmp_path / "bare")
    assert out.stderr.endswith("(--fail-if-no-files)\n")  # the configuration was read without error
    assert _settings(hdslint("config", "--format", "json", cwd=tmp_path / "bare")) == {
        name: value for name, value, _ in Config().effective()}


def test_an_unknown_rule_id_names_the_closest_known_ones(tmp_path):
    (tmp_path / ".hdslint.yaml").write_text(
        "rules:\n  HDS-ENC-01: {enabled: false}\n  hds-bak-001: {severity: low}\n  CKV_AWS_1999: {enabled: false}\n"
        "suppressions:\n  - rule: [HDS-LOC-*, HDS-COV-03]\n    path: main.tf\n    reason: a reason\n")
    out = hdslint("scan", cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    head, *lines = out.stderr.splitlines()
    assert head == f"hdslint: {tmp_path / '.hdslint.yaml'}: invalid configuration:"
    found = [re.fullmatch(r"  (\S+): unknown rule id '(\S+)' \(closest known: (.*)\); `hdslint rules` lists them all",
                          line) for line in lines]
    assert all(found), lines
    closest = {(m.group(1), m.group(2)): m.group(3).split(", ") for m in found if m}
    assert list(closest) == [("rules", "HDS-ENC-01"), ("rules", "hds-bak-001"), ("rules", "CKV_AWS_1999"),
                             ("suppressions/0/rule", "HDS-COV-03")]
    assert [ids[0] for ids in closest.values()][:2] == ["HDS-ENC-001", "HDS-BAK-001"]
    assert closest[("suppressions/0/rule", "HDS-COV-03")][0] == "HDS-COV-003"
    from hdslint.cli import known_rule

    assert all(known_rule(i) for ids in closest.values() for i in ids) and all(
        1 <= len(ids) <= 3 for ids in closest.values())
    assert all(i.startswith("CKV_AWS_") for i in closest[("rules", "CKV_AWS_1999")])


# ---- help and listings ------------------------------------------------------------------------

def test_scan_help_shows_its_examples_one_per_line():
    from hdslint.cli import EPILOG

    out = hdslint("scan", "--help")
    assert out.returncode == 0
    help_lines = out.stdout.splitlines()
    for line in EPILOG.splitlines():
        assert line in help_lines, line
    assert "scalingo.json" in out.stdout and "app.json" in out.stdout


def test_providers_prints_full_names_and_folds_warnings_of_one_date():
    from hdslint.cli import _facts_of
    from hdslint.knowledge.catalog import catalog, fact_date, stale

    day = dt.date(2026, 11, 29)
    out = hdslint("providers", "--today", day.isoformat())
    assert out.returncode == 0
    for entry in catalog().values():
        row = next(line for line in out.stdout.splitlines() if line.startswith(entry["provider"] + " "))
        assert f" {entry['name']} " in row
    for key, entry in catalog().items():
        dates = {fact_date(f) for _, f in _facts_of(entry) if fact_date(f) is not None and stale(f, day)}
        detail = hdslint("providers", key, "--today", day.isoformat()).stdout.splitlines()
        warnings = [line for line in detail if line.startswith("  warning: ")]
        assert len(warnings) == len(dates), (key, warnings)
        assert sorted(w.split(" dated ")[1][:10] for w in warnings) == sorted(d.isoformat() for d in dates)
