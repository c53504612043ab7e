"""The GitHub Action (action.yml) and the GitLab CI template (ci/hdslint.gitlab-ci.yml), run here
as their runners would: no runner exists on this machine, so the tests read the YAML, check what
the runners rely on, and run its shell lines with the inputs put in as the runner puts them
(environment variables, ${{ }} expressions, GITHUB_OUTPUT), against a fixture.

hdslint is installed the way each template installs it, from a copy of this checkout, into
virtual environments in a temporary folder: pip needs the package index (as tests/test_pre_commit.py)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, line_of

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
GITLAB = yaml.safe_load((ROOT / "ci" / "hdslint.gitlab-ci.yml").read_text())
TF_FAIL = FIXTURES / "terraform" / "provider_tfvars_fail"  # HDS-LOC-001 on aws_db_instance.patients, in main.tf
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _checkout(dest: Path) -> Path:
    """What a checkout of this repository holds that the templates use (no caches, no builds)."""
    dest.mkdir(parents=True)
    for name in ("pyproject.toml", "setup.py", "README.md", "action.yml"):
        shutil.copy(ROOT / name, dest / name)
    for folder in ("hdslint", "policies", "ci"):
        shutil.copytree(ROOT / folder, dest / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dest


def _clean_env(**extra: str) -> dict:
    """The environment of a CI job: none of this test session's Python settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not k.startswith(("GITHUB_", "HDSLINT_"))}
    env.update(extra)
    return env


def _workspace(base: Path) -> Path:
    work = base / "workspace"
    shutil.copytree(TF_FAIL, work / "infra")
    return work


# ---- GitHub Action ------------------------------------------------------------------------------

def test_the_action_declares_what_workflows_use():
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {"paths", "format", "fail-on", "args", "sarif-file", "upload-sarif", "summary",
                                     "python-version"}
    assert all(spec.get("description") and "default" in spec for spec in ACTION["inputs"].values())
    assert {name: spec["value"] for name, spec in ACTION["outputs"].items()} == {
        "exit-code": "${{ steps.scan.outputs.exit-code }}", "sarif-file": "${{ steps.scan.outputs.sarif-file }}"}
    steps = ACTION["runs"]["steps"]
    assert steps[0]["uses"] == "actions/setup-python@v5"
    assert steps[0]["with"]["python-version"] == "${{ inputs.python-version }}"
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["if"] == "inputs.upload-sarif == 'true'"
    assert upload["with"]["sarif_file"] == "${{ steps.scan.outputs.sarif-file }}"
    from hdslint.report import FORMATS

    assert ACTION["inputs"]["format"]["default"] in FORMATS
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            # inputs reach scripts through the environment only: pasted in, they could inject commands
            assert "${{" not in step["run"], step["name"]
        for value in [*step.get("env", {}).values(), *step.get("with", {}).values()]:
            for expr in EXPRESSION.findall(str(value)):
                if expr.startswith("inputs."):
                    assert expr.split(".", 1)[1] in ACTION["inputs"], expr


class Runner:
    """The steps of a composite action, run as GitHub's runner runs them on Linux: `uses:` steps
    recorded (setup-python: the test's Python first on PATH), `run:` steps with
    `bash --noprofile --norc -eo pipefail`, ${{ }} expressions of inputs, github, runner and steps."""

    def __init__(self, base: Path, action_path: Path, workspace: Path):
        self.base, self.action_path, self.workspace = base, action_path, workspace
        self.temp = base / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.python = base / "setup-python"
        self.python.mkdir(exist_ok=True)
        if not (self.python / "python").exists():
            (self.python / "python").symlink_to(sys.executable)

    def run(self, **inputs: str) -> dict:
        given = {name: str(spec["default"]) for name, spec in ACTION["inputs"].items()}
        unknown = set(inputs) - set(given)
        assert not unknown, unknown
        given.update(inputs)
        outputs: dict = {}
        summary = self.base / "step-summary.md"
        summary.write_text("")
        done = {"returncode": 0, "log": "", "used": [], "ran": [], "summary": summary}

        def value(expr: str) -> str:
            scope, _, rest = expr.partition(".")
            if scope == "inputs":
                return given[rest]
            if expr == "github.action_path":
                return str(self.action_path)
            if expr == "runner.temp":
                return str(self.temp)
            m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
            assert m, f"an expression this runner does not know: {expr}"
            return outputs.get(m.group(1), {}).get(m.group(2), "")

        def substitute(text: str) -> str:
            return EXPRESSION.sub(lambda m: value(m.group(1)), str(text))

        for step in ACTION["runs"]["steps"]:
            if "if" in step:
                m = re.fullmatch(r"inputs\.([\w-]+) == '([^']*)'", step["if"])
                assert m, f"a condition this runner does not know: {step['if']}"
                if given[m.group(1)] != m.group(2):
                    continue
            if "uses" in step:
                done["used"].append((step["uses"], {k: substitute(v) for k, v in step.get("with", {}).items()}))
                continue
            output_file = self.base / "github-output"
            output_file.write_text("")
            env = _clean_env(GITHUB_OUTPUT=str(output_file), GITHUB_STEP_SUMMARY=str(summary),
                             GITHUB_ACTION_PATH=str(self.action_path), GITHUB_WORKSPACE=str(self.workspace),
                             RUNNER_TEMP=str(self.temp), PATH=f"{self.python}{os.pathsep}{os.environ['PATH']}")
            env.update({k: substitute(v) for k, v in step.get("env", {}).items()})
            script = self.base / "step.sh"
            script.write_text(step["run"])
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                  cwd=self.workspace, env=env, capture_output=True, text=True, timeout=900)
            done["log"] += proc.stdout + proc.stderr
            done["ran"].append(step["name"])
            if "id" in step:
                outputs[step["id"]] = dict(line.split("=", 1) for line in output_file.read_text().splitlines())
            if proc.returncode:
                done["returncode"] = proc.returncode
                break
        done["outputs"] = {name: substitute(spec["value"]) for name, spec in ACTION["outputs"].items()}
        return done


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    base = tmp_path_factory.mktemp("action")
    return Runner(base, _checkout(base / "action"), _workspace(base))


def test_the_action_scans_writes_sarif_annotates_and_fails_on_findings(runner):
    run = runner.run(paths="infra", **{"upload-sarif": "true"})
    assert run["returncode"] == 1, run["log"]
    assert run["ran"] == ["Install hdslint from the action's checkout", "Scan", "Exit with hdslint's exit code"]
    assert run["outputs"] == {"exit-code": "1", "sarif-file": "hdslint.sarif"}
    line = line_of(TF_FAIL / "main.tf", '"aws_db_instance" "patients"')
    assert f"::error file=infra/main.tf,line={line},title=HDS-LOC-001 aws_db_instance.patients::" in run["log"]
    from hdslint import __version__

    assert f"hdslint {__version__}" in run["log"]
    sarif = json.loads((runner.workspace / "hdslint.sarif").read_text())
    jsonschema.validate(sarif, SARIF_SCHEMA)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"HDS-LOC-001"}
    assert [u for u, _ in run["used"]] == ["actions/setup-python@v5", "github/codeql-action/upload-sarif@v3"]
    assert run["used"][1][1] == {"sarif_file": "hdslint.sarif", "category": "hdslint"}
    assert run["summary"].read_text().startswith("## hdslint: HDS compliance")


def test_the_action_passes_its_inputs_through(runner):
    run = runner.run(paths="infra\ninfra/main.tf", format="text", args="--lang fr --no-color", summary="false",
                     **{"fail-on": "none", "sarif-file": "reports.sarif"})
    assert run["returncode"] == 0, run["log"]
    assert run["outputs"] == {"exit-code": "0", "sarif-file": "reports.sarif"}
    assert "aws_db_instance.patients stocke des données dans us-east-1" in run["log"]
    assert "pas d'échec (--fail-on none)" in run["log"]
    assert (runner.workspace / "reports.sarif").exists() and run["summary"].read_text() == ""
    assert [u for u, _ in run["used"]] == ["actions/setup-python@v5"]  # upload-sarif is "false" by default


def test_the_action_stops_on_a_usage_error(runner):
    run = runner.run(paths="infra does-not-exist", **{"upload-sarif": "true"})
    assert run["returncode"] == 2
    assert run["ran"][-1] == "Scan" and "hdslint: no such file or directory: does-not-exist" in run["log"]
    assert [u for u, _ in run["used"]] == ["actions/setup-python@v5"]  # nothing to upload


# ---- GitLab CI template --------------------------------------------------------------------------

def test_the_gitlab_template_has_the_reports_gitlab_reads():
    job = GITLAB[".hdslint"]
    assert GITLAB["hdslint"] == {"extends": ".hdslint"}
    assert job["stage"] == "test" and re.fullmatch(r"python:3\.1\d-slim", job["image"])
    # the settings are read from the environment, not declared on the job: a job's variables
    # would override the project's top-level ones
    script = "\n".join(job["script"])
    header = (ROOT / "ci" / "hdslint.gitlab-ci.yml").read_text().split("\n.hdslint:")[0]
    for name in ("HDSLINT_REF", "HDSLINT_INSTALL", "HDSLINT_PATHS", "HDSLINT_FAIL_ON", "HDSLINT_ARGS"):
        assert name not in job["variables"] and name in script and f"#   {name} " in header
    reports = job["artifacts"]["reports"]
    assert job["artifacts"]["when"] == "always"
    assert reports == {"codequality": "gl-code-quality-report.json", "junit": "hdslint-junit.xml"}
    assert "--format gitlab --output gl-code-quality-report.json" in script
    assert "--format junit --output hdslint-junit.xml" in script
    # how a project includes it: the path the README and the template's own comment give
    readme = (ROOT / "README.md").read_text()
    assert "/ci/hdslint.gitlab-ci.yml" in readme
    assert "/ci/hdslint.gitlab-ci.yml" in (ROOT / "ci" / "hdslint.gitlab-ci.yml").read_text()


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> Path:
    """The image's Python: a virtual environment of its own."""
    image = tmp_path_factory.mktemp("gitlab") / "image"
    subprocess.run([sys.executable, "-m", "venv", str(image)], check=True)
    return image


def _gitlab_job(image: Path, work: Path, **variables: str) -> subprocess.CompletedProcess:
    """The job's script as GitLab's runner runs it in the image: one bash session, `set -eo
    pipefail`, each line echoed then run, the job's variables and the project's in the
    environment, the image's Python first on PATH."""
    job = GITLAB[".hdslint"]
    env = _clean_env(PATH=f"{image / 'bin'}{os.pathsep}{os.environ['PATH']}",
                     **{k: str(v) for k, v in job["variables"].items()})
    env.update(variables)
    lines = ["set -eo pipefail"] + [f"echo {json.dumps('$ ' + line)}\n{line}" for line in job["script"]]
    return subprocess.run(["bash", "--noprofile", "--norc", "-c", "\n".join(lines)], cwd=work, env=env,
                          capture_output=True, text=True, timeout=900)


def test_the_gitlab_template_writes_code_quality_and_junit_then_fails_on_findings(tmp_path, image):
    work = _workspace(tmp_path)
    source = _checkout(tmp_path / "hdslint")
    out = _gitlab_job(image, work, HDSLINT_INSTALL=str(source), HDSLINT_PATHS="infra")
    assert out.returncode == 1, out.stdout + out.stderr
    issues = json.loads((work / "gl-code-quality-report.json").read_text())
    line = line_of(TF_FAIL / "main.tf", '"aws_db_instance" "patients"')
    assert {"path": "infra/main.tf", "lines": {"begin": line}} in [i["location"] for i in issues if
                                                                 i["check_name"] == "HDS-LOC-001"]
    suites = ET.fromstring((work / "hdslint-junit.xml").read_text())
    failed = {(c.get("classname"), c.get("name")) for c in suites.iter("testcase") if c.find("failure") is not None}
    assert ("HDS-LOC-001", "aws_db_instance.patients") in failed
    assert "FAILED" in out.stdout and "aws_db_instance.patients" in out.stdout
    # the threshold and extra arguments come from the variables; the default path is the project
    out = _gitlab_job(image, work, HDSLINT_INSTALL=str(source), HDSLINT_FAIL_ON="none", HDSLINT_ARGS="--lang fr")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "aws_db_instance.patients stocke des données dans us-east-1" in out.stdout
    assert "infra/main.tf" in json.loads((work / "gl-code-quality-report.json").read_text())[0]["location"]["path"]


def test_the_gitlab_template_asks_for_the_revision_to_install(tmp_path, image):
    out = _gitlab_job(image, _workspace(tmp_path))
    assert out.returncode != 0
    assert "set HDSLINT_REF to the tag or commit of hdslint to install" in out.stderr
