"""Evidence an auditor can trace and file (issue 20): the report says where it comes from (path
as given, git commit, modified or not, SHA-256 of the files read, knowledge date, version), shows
what the team declared apart from what hdslint ships, lists the open items the audit will ask
about, and prints on A4. Read back from real scans, by the command line, of a git repository
each test makes (fixtures/evidence/stack)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT
from test_html import CHROMIUM_ARGS, Tables

from hdslint import __version__

STACK = FIXTURES / "evidence" / "stack"
REPORT_SCHEMA = json.loads((ROOT / "policies" / "schemas" / "report.schema.json").read_text())
GIT = shutil.which("git")
TODAY = "2026-11-29"


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    env = {k: v for k, v in env.items() if k not in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE")}
    out = subprocess.run([GIT or "git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True)
    return out.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the stack in stack/, committed."""
    assert GIT, "git is needed to make the repository the tests scan"
    root = tmp_path / "repo"
    shutil.copytree(STACK, root / "stack")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "the stack")
    return root


def hdslint(cwd: Path, *args: str, path: str | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TF_VAR_", "GIT_"))}
    env["PYTHONPATH"] = str(ROOT)
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "hdslint", "scan", *args, "--today", TODAY], cwd=cwd,
                          capture_output=True, text=True, env=env, timeout=120, input=stdin)


def scan_json(cwd: Path, target: str = "stack", **kw: str) -> dict:
    out = hdslint(cwd, target, "--format", "json", **kw)
    assert out.returncode == 1, out.stderr  # the stack has findings at or above medium
    doc = json.loads(out.stdout)
    jsonschema.validate(doc, REPORT_SCHEMA)
    return doc


def scan_html(cwd: Path, *args: str, target: str = "stack") -> tuple[str, Tables]:
    out = hdslint(cwd, target, "--format", "html", *args)
    assert out.returncode == 1, out.stderr
    page = Tables()
    page.feed(out.stdout)
    return out.stdout, page


def manifest_sha256(base: Path, files: list[str]) -> str:
    """What `cd base && sha256sum FILE... | sha256sum` prints, the files in C order."""
    lines = "".join(f"{hashlib.sha256((base / f).read_bytes()).hexdigest()}  {f}\n" for f in sorted(files))
    return hashlib.sha256(lines.encode()).hexdigest()


def knowledge_date() -> str:
    """The latest `retrieved` date of a source anywhere in policies/, read with a YAML parser."""
    dates: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "retrieved":
                    dates.append(str(v))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in (ROOT / "policies").rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return max(dates)


# ---- 1. traceability ----------------------------------------------------------------------------

def test_a_clean_repository_is_traced_to_its_commit(repo):
    doc = scan_json(repo)
    scan = doc["scan"]
    assert doc["tool"] == {"name": "hdslint", "version": __version__}
    assert scan["root"] == "stack" and scan["paths"] == ["stack"]  # as given, not the machine's path
    assert scan["commit"] == git(repo, "rev-parse", "HEAD")
    assert scan["dirty"] is False
    assert [i["path"] for i in scan["inputs"]] == ["main.tf"]
    assert scan["inputs_sha256"] == manifest_sha256(repo / "stack", ["main.tf"])
    assert scan["config_sha256"] == hashlib.sha256((repo / "stack" / ".hdslint.yaml").read_bytes()).hexdigest()
    assert scan["knowledge_date"] == knowledge_date()
    assert scan["date"] == TODAY
    # the same files elsewhere, on another machine or outside git: the same inputs_sha256
    elsewhere = repo.parent / "copy"
    shutil.copytree(repo / "stack", elsewhere / "stack")
    other = scan_json(elsewhere)["scan"]
    assert other["inputs_sha256"] == scan["inputs_sha256"]
    assert (other["commit"], other["dirty"]) == (None, None)
    # the scanned directory itself, given as "."
    here = scan_json(repo / "stack", ".")["scan"]
    assert (here["root"], here["inputs_sha256"], here["dirty"]) == (".", scan["inputs_sha256"], False)
    # the HTML header says the same
    _text, page = scan_html(repo)
    trace = {row[i]: row[i + 1] for row in page.table("Traceability") for i in range(0, len(row), 2)}
    assert trace["scanned path"] == "stack"
    assert trace["git commit"] == scan["commit"]
    assert trace["working tree"] == "clean: the files scanned are those of this commit"
    assert trace["files read (SHA-256)"] == f"1 file(s) {scan['inputs_sha256']}"
    assert trace["configuration"] == f"stack/.hdslint.yaml {scan['config_sha256']}"
    assert trace["knowledge date"] == knowledge_date()
    assert trace["hdslint version"] == __version__


def test_a_modified_repository_is_dirty(repo):
    clean = scan_json(repo)["scan"]
    main = repo / "stack" / "main.tf"
    main.write_text(main.read_text() + '\nresource "aws_s3_bucket" "late" {\n  bucket = "late"\n}\n')
    doc = scan_json(repo)["scan"]
    assert (doc["commit"], doc["dirty"]) == (clean["commit"], True)
    assert doc["inputs_sha256"] == manifest_sha256(repo / "stack", ["main.tf"]) != clean["inputs_sha256"]
    _text, page = scan_html(repo)
    trace = {row[i]: row[i + 1] for row in page.table("Traceability") for i in range(0, len(row), 2)}
    assert trace["working tree"] == "modified: the files scanned differ from this commit"
    git(repo, "checkout", "--", "stack/main.tf")
    assert scan_json(repo)["scan"]["dirty"] is False
    # staged counts too
    main.write_text(main.read_text() + "\n")
    git(repo, "add", "stack/main.tf")
    assert scan_json(repo)["scan"]["dirty"] is True
    git(repo, "reset", "-q", "--hard")
    # a file the scan reads that is not committed makes it dirty; one it does not read does not
    (repo / "stack" / "notes.txt").write_text("not infrastructure\n")
    assert scan_json(repo)["scan"]["dirty"] is False
    (repo / "stack" / "extra.tf").write_text('resource "aws_s3_bucket" "extra" {\n  bucket = "extra"\n}\n')
    doc = scan_json(repo)["scan"]
    assert doc["dirty"] is True
    assert [i["path"] for i in doc["inputs"]] == ["extra.tf", "main.tf"]
    assert doc["inputs_sha256"] == manifest_sha256(repo / "stack", ["extra.tf", "main.tf"])


def test_standard_input_is_in_no_commit(repo):
    bucket = 'resource "aws_s3_bucket" "piped" {\n  bucket = "piped"\n}\n'
    alone = json.loads(hdslint(repo, "-", "--format", "json", stdin=bucket).stdout)["scan"]
    assert (alone["root"], alone["commit"], alone["dirty"]) == ("-", None, None)
    digest = hashlib.sha256(bucket.encode()).hexdigest()
    assert alone["inputs"] == [{"path": "-", "sha256": digest}]
    assert alone["inputs_sha256"] == hashlib.sha256(f"{digest}  -\n".encode()).hexdigest()
    both = json.loads(hdslint(repo, "stack", "-", "--format", "json", stdin=bucket).stdout)["scan"]
    assert (both["commit"], both["dirty"]) == (git(repo, "rev-parse", "HEAD"), True)
    assert [i["path"] for i in both["inputs"]] == ["-", "main.tf"]


def test_a_pipe_is_listed_never_read(repo):
    os.mkfifo(repo / "stack" / "pipe.tf")  # opening it for reading would wait for a writer forever
    doc = scan_json(repo)["scan"]
    assert doc["inputs"][1:] == [{"path": "pipe.tf", "sha256": None}]
    assert doc["inputs_sha256"] == manifest_sha256(repo / "stack", ["main.tf"])  # nothing to hash in a pipe
    assert doc["dirty"] is False  # git holds no pipes, and nothing was read from it


def test_without_git_the_scan_goes_on(repo, tmp_path):
    bare = tmp_path / "bin"
    bare.mkdir()
    doc = scan_json(repo, path=str(bare))  # no git program on PATH
    assert (doc["scan"]["commit"], doc["scan"]["dirty"]) == (None, None)
    assert doc["scan"]["inputs_sha256"] == manifest_sha256(repo / "stack", ["main.tf"])
    out = hdslint(repo, "stack", "--format", "html", path=str(bare))
    assert "not in a git repository, or git is not available" in out.stdout


# ---- 2. what the team declared ------------------------------------------------------------------

def test_declared_certificates_are_shown_as_declared(repo):
    doc = scan_json(repo)
    where = "stack/.hdslint.yaml"
    p1 = doc["coverage"][0]
    aws = next(c for c in p1["providers"] if c["provider"] == "aws")
    assert aws["status"] == "declared"
    assert aws["declared"] == {"declared_in": where, "certification": {
        "perimeters": [1, 2, 3, 4, 5, 6], "certificate": {
            "number": "HDS-AWS-2024-0042", "issuer": "Example certification body", "valid_from": "2024-05-02",
            "valid_until": "2027-05-01"}}}
    assert any("HDS-AWS-2024-0042" in e and f"declared in {where}" in e for e in aws["evidence"])
    scalingo = next(c for c in p1["providers"] if c["provider"] == "scalingo")
    assert scalingo["status"] == "covered" and "declared" not in scalingo  # hdslint's own catalog
    p5 = doc["coverage"][4]
    assert p5["declarations"] == [{
        "perimeters": [5], "by": "Acme Infogérance", "providers": ["aws"], "certificate": "HDS-ACME-2025-017",
        "issuer": "Example certification body", "valid_until": "2028-03-31", "state": "valid", "note": None,
        "declared_in": where}]
    assert all(r["declarations"] == [] for r in doc["coverage"] if r["perimeter"] != 5)
    text, page = scan_html(repo)
    matrix = page.table("Perimeter × provider")
    assert matrix[1][1] == "declared needed by 4 resource(s)"
    assert ("<strong>Amazon Web Services</strong>: HDS 2024 (v2), certificate HDS-AWS-2024-0042, by Example "
            "certification body, valid until 2027-05-01, declared in stack/.hdslint.yaml") in text.replace("<wbr>", "")
    decl = page.table("Declared by the team (coverage.declarations)")
    assert decl[1] == ["5. Administration and operation of the information system", "Acme Infogérance aws",
                       "n° HDS-ACME-2025-017, Example certification body, until 2028-03-31", "valid",
                       f"declared in {where}"]
    mine = {r[0]: r[1] for r in page.table("Declared by the team: Amazon Web Services")[1:]}
    assert mine == {
        "perimeters": "1. Physical sites hosting the hardware, 2. Hardware infrastructure, 3. Virtual infrastructure, "
                      "4. Application hosting platform, 5. Administration and operation of the information system, "
                      "6. Backup of health data",
        "certificate": "n° HDS-AWS-2024-0042, Example certification body, from 2024-05-02, until 2027-05-01",
        "validity at the scan date": "valid", "source": f"declared in {where}"}
    shipped = {r[0]: r[1] for r in page.table("Catalog facts as hdslint ships them: Amazon Web Services")[1:]}
    assert shipped["perimeters"] == "unknown" and shipped["certificate"] == "—"
    assert "HDS-AWS-2024-0042" not in shipped.values()


# ---- 3. open items ------------------------------------------------------------------------------

def test_open_items_from_coverage_and_catalog(repo):
    doc = scan_json(repo)
    items = {i["id"]: i for i in doc["open_items"]}
    # perimeter 5 of the AWS resources is declared (Acme), the AWS certificate too: neither is open
    assert list(items) == ["contract:aws", "contract:scalingo", "health_professional_contact:scalingo",
                           "contract:declared:acme-infogerance"]
    hp = items["health_professional_contact:scalingo"]
    assert (hp["provider"], hp["topic"]) == ("scalingo", "health_professional_contact")
    assert "Health Professional Point of Contact (HDS v2 EXI 11)" in hp["basis"]
    assert hp["source"].startswith("https://")
    assert "Acme Infogérance" in items["contract:declared:acme-infogerance"]["text"]
    # without the team's declarations: the certificate and who performs perimeter 5 are open
    (repo / "stack" / ".hdslint.yaml").unlink()
    items = {i["id"]: i for i in scan_json(repo)["open_items"]}
    assert list(items) == ["certificate:aws", "contract:aws", "administration:aws", "contract:scalingo",
                           "health_professional_contact:scalingo"]
    # built from the matrix's "certified, perimeters not verified" (HDS-COV-007) and the catalog's
    # certificate_access: where the certificate is obtained
    cert = items["certificate:aws"]
    assert cert["text"].startswith("Amazon Web Services is HDS-certified, but the perimeters of its certificate are "
                                   "not published (certified, perimeters not verified)")
    access = yaml.safe_load((ROOT / "policies" / "catalog" / "aws.yaml").read_text())["certificate_access"]
    assert cert["text"].endswith(f"Where to obtain it: {access['where']}.")
    assert cert["source"] == access["url"]
    assert "(HDS-COV-007)" in cert["basis"]
    assert "AWS Artifact" in cert["basis"]  # the provider's own words, from the catalog condition
    assert "does not perform perimeter 5" in items["administration:aws"]["text"]
    assert items["administration:aws"]["basis"].startswith("Code de la santé publique R.1111-9, 5°")
    # the text output: one line; the HTML: a section; in French too
    out = hdslint(repo, "stack")
    lines = [ln for ln in out.stdout.splitlines() if "open item" in ln]
    assert lines == ["5 open item(s) for the audit, which the code cannot show (certificate (1), contract (2), "
                     "health-professional contact (1), administration (perimeter 5) (1)): listed in the HTML and "
                     "JSON reports"]
    text, page = scan_html(repo)
    assert 'id="open-items"' in text
    rows = page.table("5 open item(s)")
    assert rows[0] == ["topic", "provider", "what to produce or decide", "basis"]
    assert [r[:2] for r in rows[1:]] == [["certificate", "Amazon Web Services"], ["contract", "Amazon Web Services"],
                                         ["administration (perimeter 5)", "Amazon Web Services"],
                                         ["contract", "Scalingo"], ["health-professional contact", "Scalingo"]]
    fr = json.loads(hdslint(repo, "stack", "--format", "json", "--lang", "fr").stdout)
    texts = {i["id"]: i["text"] for i in fr["open_items"]}
    assert texts["administration:aws"].startswith("Amazon Web Services n'exerce pas le périmètre 5")
    assert texts["health_professional_contact:scalingo"].startswith("Scalingo exige un professionnel de santé référent")
    out = hdslint(repo, "stack", "--lang", "fr")
    assert "5 point(s) ouvert(s) pour l'audit" in out.stdout
    text, page = scan_html(repo, "--lang", "fr")
    assert page.table("5 point(s) ouvert(s)")[1][0] == "certificat"


# ---- 4. print -----------------------------------------------------------------------------------

A4_WIDTH = 718  # CSS pixels between the margins of an A4 page (210 mm - 2 x 10 mm)

# every word of a header or cell (outside code and links, which may break at . _ / : - [) fits its column,
# and so does every status badge
WORDS_THAT_DO_NOT_FIT = """() => {
  const bad = [];
  const probe = document.createElement("span");
  probe.style.whiteSpace = "nowrap";
  document.body.appendChild(probe);
  for (const cell of document.querySelectorAll("th, td")) {
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("code, a")) continue;
      const font = getComputedStyle(node.parentElement).font;
      for (const word of node.textContent.split(/\\s+/).filter(Boolean)) {
        probe.style.font = font;
        probe.textContent = word;
        if (probe.getBoundingClientRect().width > room + 0.5) bad.push(word);
      }
    }
  }
  probe.remove();
  for (const badge of document.querySelectorAll("td .badge, th .badge")) {
    const cell = badge.closest("td, th");
    if (badge.getBoundingClientRect().right > cell.getBoundingClientRect().right + 0.5) bad.push(badge.textContent);
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def browser(chromium_bin):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_bin, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_report_prints_on_a4(browser, repo, tmp_path, lang):
    text, _page = scan_html(repo, "--lang", lang)
    assert "not_qualified" not in text and ">True<" not in text and ">False<" not in text
    path = tmp_path / "report.html"
    path.write_text(text, encoding="utf-8")
    page = browser.new_page(viewport={"width": A4_WIDTH, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    # headers repeat on every page, headings stay with what follows, short tables stay whole
    assert page.evaluate("[...document.querySelectorAll('thead')].every("
                         "t => getComputedStyle(t).display === 'table-header-group')")
    assert page.evaluate("[...document.querySelectorAll('h2, h3, caption, thead')].every("
                         "h => getComputedStyle(h).breakAfter === 'avoid')")
    assert page.evaluate("[...document.querySelectorAll('table.keep')].every("
                         "t => getComputedStyle(t).breakInside === 'avoid')")
    # nothing breaks mid-word: no word is wider than its column
    too_wide = page.evaluate(WORDS_THAT_DO_NOT_FIT)
    assert too_wide == [], too_wide
    assert page.evaluate("getComputedStyle(document.querySelector('td')).overflowWrap") == "break-word"
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 6, pages  # about 20 resources and a few findings: six pages at most
    assert problems == []
    page.close()


def test_open_items_name_subcontractors_with_access_from_outside_the_eea():
    from conftest import scan

    from hdslint.report import RenderOptions, render

    result = scan(FIXTURES / "coverage" / "ovh_plans")
    doc = json.loads(render("json", result, RenderOptions(fail_on="medium", color=False)))
    items = {i["id"]: i for i in doc["open_items"]}
    assert list(items) == ["contract:ovh", "administration:ovh", "subcontractor_access:ovh:aiven-oy",
                           "provider_condition:ovh:hds-option-on-project", "provider_condition:ovh:support-level"]
    sub = items["subcontractor_access:ovh:aiven-oy"]
    assert (sub["provider"], sub["topic"]) == ("ovh", "subcontractor_access")
    assert sub["text"].startswith("Aiven OY, subcontractor of OVHcloud for Managed databases")
    assert "performs perimeter(s) 4, 5, 6 with access from Canada, United Kingdom (2 resource(s))" in sub["text"]
    assert "an adequacy decision (art. 45 GDPR)" in sub["text"]
    assert sub["basis"].startswith("HDS référentiel 2024, EXI 29 (remote access from outside the EEA) and EXI 30")
    assert sub["source"].startswith("https://")
