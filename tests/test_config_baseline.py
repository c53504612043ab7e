"""Configuration file tooling (init, config), configuration suppressions and baselines."""
from __future__ import annotations

import json

import yaml
from conftest import FIXTURES, ROOT
from test_cli import hdslint

PLAN = FIXTURES / "plan" / "aws_modules" / "plan.json"


def test_init_writes_a_valid_commented_starter(tmp_path):
    out = hdslint("init", cwd=tmp_path)
    assert out.returncode == 0 and (tmp_path / ".hdslint.yaml").exists()
    text = (tmp_path / ".hdslint.yaml").read_text()
    assert text.count("#") > 10
    from hdslint.config import validate

    validate(yaml.safe_load(text), ".hdslint.yaml")
    again = hdslint("init", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr
    assert hdslint("init", "--force", cwd=tmp_path).returncode == 0


def test_init_writes_an_override_entry_per_provider_found_saying_where_the_certificate_is(tmp_path):
    import shutil

    shutil.copy(FIXTURES / "coverage" / "perimeters_not_verified" / "main.tf", tmp_path / "main.tf")
    (tmp_path / "storage.tf").write_text('resource "scaleway_object_bucket" "b" {\n  region = "fr-par"\n}\n')
    out = hdslint("init", str(tmp_path))
    assert out.returncode == 0 and "providers found: aws, scaleway" in out.stdout
    text = (tmp_path / ".hdslint.yaml").read_text()
    assert "  #   aws:   # Amazon Web Services: perimeters not published\n" in text
    assert "  #     # where to obtain the certificate: AWS Artifact (console, Reports)" in text
    assert "  #   scaleway:   # Scaleway: perimeters not published\n" in text
    assert "  #   scalingo:" not in text  # only the providers of the code
    # the entry, once uncommented and filled in, is a valid configuration that settles HDS-COV-007
    assert hdslint("scan", "--profile", "audit", cwd=tmp_path).returncode == 1
    filled = text.replace("  # catalog_overrides:", "  catalog_overrides:")
    aws = text[text.index("  #   aws:"):text.index("  #   scaleway:")]
    filled = filled.replace(aws, "".join(line.replace("  #", "  ", 1) + "\n" for line in aws.splitlines())
                            .replace("perimeters: []", "perimeters: [1, 2, 3, 4, 5, 6]")
                            .replace('number: ""', 'number: "EX-1"').replace('issuer: ""', 'issuer: "Example"')
                            .replace('valid_from: ""', 'valid_from: "2025-01-01"')
                            .replace('valid_until: ""', 'valid_until: "2028-01-01"'))
    (tmp_path / ".hdslint.yaml").write_text(filled)
    (tmp_path / "storage.tf").unlink()
    scanned = json.loads(hdslint("scan", "--profile", "audit", "--format", "json", cwd=tmp_path).stdout)
    assert [f["rule_id"] for f in scanned["findings"]] == []


def test_config_prints_effective_values_and_their_origin(tmp_path):
    (tmp_path / ".hdslint.yaml").write_text("fail_on: high\nlocality:\n  allowed_countries: [FR]\n")
    out = hdslint("config", cwd=tmp_path)
    assert out.returncode == 0
    assert 'fail_on: "high"  # .hdslint.yaml' in out.stdout
    assert 'allowed_countries: ["FR"]  # .hdslint.yaml' in out.stdout
    assert 'undetermined_severity: "medium"  # default' in out.stdout
    doc = json.loads(hdslint("config", "--format", "json", cwd=tmp_path).stdout)
    assert doc["settings"]["fail_on"] == {"value": "high", "from": ".hdslint.yaml"}


def test_configuration_suppressions_for_json_inputs(tmp_path):
    (tmp_path / "plan.json").write_text(PLAN.read_text())
    (tmp_path / ".hdslint.yaml").write_text(
        "suppressions:\n"
        "  - rule: HDS-LOC-001\n    path: plan.json\n    resource: aws_s3_bucket.exports\n"
        "    reason: Exports bucket holds only anonymised statistics\n    until: 2099-01-01\n")
    doc = json.loads(hdslint("scan", "--format", "json", "--fail-on", "high", cwd=tmp_path).stdout)
    loc = [f for f in doc["findings"] if f["rule_id"] == "HDS-LOC-001"]
    assert len(loc) == 1 and loc[0]["suppressed"] is True
    assert loc[0]["suppression"] == {"kind": "config", "file": ".hdslint.yaml",
                                     "reason": "Exports bucket holds only anonymised statistics", "until": "2099-01-01"}
    (tmp_path / ".hdslint.yaml").write_text(
        "suppressions:\n  - rule: HDS-LOC-001\n    path: plan.json\n    reason: old exception\n    until: 2020-01-01\n")
    doc = json.loads(hdslint("scan", "--format", "json", cwd=tmp_path).stdout)
    assert [f["suppressed"] for f in doc["findings"] if f["rule_id"] == "HDS-LOC-001"] == [False]
    assert any(f["rule_id"] == "HDS-SUP-002" and f["file"] == ".hdslint.yaml" for f in doc["findings"])
    (tmp_path / ".hdslint.yaml").write_text("suppressions:\n  - rule: HDS-LOC-001\n    path: plan.json\n")
    out = hdslint("scan", cwd=tmp_path)
    assert out.returncode == 2 and "'reason' is a required property" in out.stderr


def test_baseline_accepts_todays_findings_and_survives_line_shifts(tmp_path):
    src = (FIXTURES / "terraform" / "locals_alias" / "main.tf").read_text()
    (tmp_path / "main.tf").write_text(src)
    out = hdslint("scan", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert out.returncode == 0 and "recorded in baseline.json" in out.stderr
    baseline = json.loads((tmp_path / "baseline.json").read_text())
    assert baseline["hdslint_baseline"] == 1 and baseline["findings"]
    (tmp_path / "main.tf").write_text("# moved down\n\n" + src)
    out = hdslint("scan", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path)
    doc = json.loads(out.stdout)
    assert out.returncode == 0 and doc["summary"]["findings"] == 0
    assert all(f["suppressed"] and f["suppression"]["kind"] == "baseline" for f in doc["findings"])
    # a new problem is not in the baseline
    (tmp_path / "extra.tf").write_text('resource "aws_sqs_queue" "new" {\n  region = "us-west-1"\n}\n')
    doc = json.loads(hdslint("scan", "--baseline", "baseline.json", "--format", "json", cwd=tmp_path).stdout)
    assert [f["resource"] for f in doc["findings"] if not f["suppressed"] and f["rule_id"] == "HDS-LOC-001"] == [
        "aws_sqs_queue.new"]
    (tmp_path / "bad.json").write_text("{}")
    out = hdslint("scan", "--baseline", "bad.json", cwd=tmp_path)
    assert out.returncode == 2 and "not an hdslint baseline" in out.stderr


def test_readme_yaml_snippets_are_valid():
    import re

    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    assert blocks
    from hdslint.config import validate

    keys = set(json.loads((ROOT / "policies" / "schemas" / "config.schema.json").read_text())["properties"])
    validated = 0
    for block in blocks:
        data = yaml.safe_load(block)
        assert data is not None
        if isinstance(data, dict) and set(data) <= keys:
            validate(json.loads(json.dumps(data, default=str)), "README.md")
            validated += 1
    assert validated >= 2  # the configuration example and the coverage declarations


def test_readme_ci_snippets_use_real_hooks_inputs_and_templates():
    import re

    readme = (ROOT / "README.md").read_text()
    docs = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", readme, re.S)]
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    precommit = next(d for d in docs if isinstance(d, dict) and "repos" in d)
    assert {h["id"] for r in precommit["repos"] for h in r["hooks"]} <= hooks
    assert [r["rev"] for r in precommit["repos"]] == ["vX.Y.Z"]  # a tag the reader fills in
    workflow = next(d for d in docs if isinstance(d, dict) and "jobs" in d)
    (step,) = [s for s in workflow["jobs"]["hds"]["steps"] if s.get("uses", "").startswith("hdslint/hdslint@")]
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert step["uses"] == "hdslint/hdslint@vX.Y.Z" and set(step["with"]) <= set(action["inputs"])
    for name in re.findall(r"`(\w[\w-]+)` \(", readme.split("### GitHub Actions")[1].split("###")[0]):
        assert name in action["inputs"] or name in action["outputs"], name
    gitlab = next(d for d in docs if isinstance(d, dict) and "include" in d)
    (include,) = gitlab["include"]
    assert include["remote"].endswith("/hdslint/hdslint/vX.Y.Z/ci/hdslint.gitlab-ci.yml")
    assert (ROOT / include["remote"].split("/vX.Y.Z/")[1]).is_file()
    assert gitlab["variables"] == {"HDSLINT_REF": "vX.Y.Z"}
