"""Every output format, on real scan output."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
from conftest import FIXTURES, ROOT, line_of, scan

from hdslint.report import RenderOptions, render

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
D = FIXTURES / "terraform" / "suppressions"
OPTIONS = RenderOptions(fail_on="medium", color=False)


def _render(fmt, path=D, **config):
    return render(fmt, scan(path, **config), OPTIONS)


def test_sarif_is_valid_and_complete():
    doc = json.loads(_render("sarif"))
    jsonschema.validate(doc, SARIF_SCHEMA)
    run = doc["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "hdslint" and driver["version"] and driver["semanticVersion"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert "HDS-LOC-001" in rules and "HDS-PARSE-001" in rules  # every rule evaluated, not only failed ones
    loc = rules["HDS-LOC-001"]
    assert loc["properties"]["security-severity"] == "8.0" and "hds" in loc["properties"]["tags"]
    assert loc["properties"]["hds.perimeters"] == [1, 2] and loc["help"]["text"] and loc["name"] == "OutsideEea"
    results = [r for r in run["results"] if r["ruleId"] == "HDS-LOC-001"]
    logs = next(r for r in results if r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "aws_s3_bucket.logs")
    physical = logs["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "main.tf", "uriBaseId": "%SRCROOT%"}
    assert physical["region"]["startLine"] == line_of(D / "main.tf", '"aws_s3_bucket" "logs"')
    assert logs["level"] == "error" and logs["partialFingerprints"]["hdslint/v1"]
    assert logs["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 2  # provider region
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 2
    assert suppressed[0]["suppressions"][0]["justification"].startswith("Public, non-health assets only")
    assert run["invocations"][0]["exitCode"] == 1


def test_sarif_fingerprints_survive_line_shifts(tmp_path):
    src = (D / "main.tf").read_text()
    (tmp_path / "main.tf").write_text(src)
    before = {r["partialFingerprints"]["hdslint/v1"] for r in json.loads(_render("sarif", tmp_path))["runs"][0]["results"]
              if r["ruleId"] == "HDS-LOC-001"}
    (tmp_path / "main.tf").write_text("# a new header\n\n\n" + src)
    after_doc = json.loads(_render("sarif", tmp_path))
    after = {r["partialFingerprints"]["hdslint/v1"] for r in after_doc["runs"][0]["results"] if r["ruleId"] == "HDS-LOC-001"}
    assert before == after and len(before) == 6
    lines = sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after_doc["runs"][0]["results"]
                   if r["ruleId"] == "HDS-LOC-001")
    assert lines[0] == line_of(D / "main.tf", '"aws_s3_bucket" "public_assets"') + 3


def test_sarif_parse_problems_are_notifications_and_results():
    doc = json.loads(_render("sarif", FIXTURES / "terraform" / "parse_errors"))
    jsonschema.validate(doc, SARIF_SCHEMA)
    notes = doc["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes} == {
        "binary.tf.json", "broken.tf", "latin1.tf", "trailing_comma.tf.json"}
    assert sum(1 for r in doc["runs"][0]["results"] if r["ruleId"] == "HDS-PARSE-001") == 4


def test_junit_one_case_per_rule_and_resource():
    root = ET.fromstring(_render("junit"))
    cases = root.findall(".//testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    names = {(c.get("classname"), c.get("name")) for c in failed}
    assert ("HDS-LOC-001", "aws_s3_bucket.logs") in names and ("HDS-SUP-001", f"main.tf:{line_of(D / 'main.tf', 'HDS-XYZ-001')}") in names
    assert {(c.get("classname"), c.get("name")) for c in skipped} == {
        ("HDS-LOC-001", "aws_s3_bucket.public_assets"), ("HDS-LOC-001", "aws_sqs_queue.sandbox")}
    assert int(root.get("failures")) == len(failed) and int(root.get("skipped")) == 2
    assert any(c.get("name") == "no finding" for c in cases)


def test_github_annotations_have_real_lines():
    lines = _render("github").splitlines()
    logs = next(ln for ln in lines if "title=HDS-LOC-001 aws_s3_bucket.logs" in ln)
    assert logs.startswith(f"::error file=main.tf,line={line_of(D / 'main.tf', chr(34) + 'aws_s3_bucket' + chr(34) + ' ' + chr(34) + 'logs')},"
                           "title=HDS-LOC-001 aws_s3_bucket.logs::")
    assert any(ln.startswith("::notice file=main.tf") and "HDS-SUP-001" in ln for ln in lines)
    assert not any("title=HDS-LOC-001 aws_s3_bucket.public_assets" in ln for ln in lines)  # suppressed


def test_gitlab_code_quality():
    issues = json.loads(_render("gitlab"))
    logs = next(i for i in issues if i["check_name"] == "HDS-LOC-001" and "aws_s3_bucket.logs" in i["description"])
    assert logs["severity"] == "critical" and logs["check_name"] == "HDS-LOC-001"
    assert logs["location"] == {"path": "main.tf", "lines": {"begin": line_of(D / "main.tf", '"aws_s3_bucket" "logs"')}}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_markdown_summary_with_matrix():
    md = _render("markdown", FIXTURES / "terraform" / "locals_alias")
    assert md.startswith("## hdslint: HDS compliance")
    assert "### Coverage of the six HDS perimeters" in md and "| 1. Physical sites hosting the hardware |" in md
    assert "| high | HDS-LOC-001 | aws_s3_bucket.documents_copy | `main.tf:22` |" in md


def test_sarif_and_markdown_carry_the_trace_and_the_open_items(tmp_path):
    """What an auditor files: the commit and input hashes of the run, and what the code cannot show."""
    import subprocess

    (tmp_path / "main.tf").write_text((FIXTURES / "encryption" / "undocumented" / "main.tf").read_text())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(git + ["add", "main.tf"], cwd=tmp_path, check=True)
    subprocess.run(git + ["commit", "-qm", "stack"], cwd=tmp_path, check=True)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=tmp_path, capture_output=True, text=True).stdout.strip()
    doc = json.loads(_render("sarif", tmp_path))
    jsonschema.validate(doc, SARIF_SCHEMA)
    props = doc["runs"][0]["properties"]
    assert props["hds.scan"]["commit"] == commit and props["hds.scan"]["dirty"] is False
    assert len(props["hds.scan"]["inputs_sha256"]) == 64
    assert "undocumented:outscale:encryption" in {i["id"] for i in props["hds.open_items"]}
    md = _render("markdown", tmp_path)
    assert "<details><summary>Open items for the audit (" in md
    assert "- **ask the provider**: Ask 3DS OUTSCALE whether these services encrypt the data" in md
    assert f"Scanned at commit `{commit}`; inputs SHA-256 `{props['hds.scan']['inputs_sha256']}`." in md
