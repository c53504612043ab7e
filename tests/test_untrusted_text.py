"""Values from the scanned code reach every report as text: never as markup, table cells, links,
terminal escapes, XML or CI workflow commands.

fixtures/untrusted_text holds a variable default, a region and Kubernetes names made of HTML,
markdown, table separators, GitHub workflow commands (`::error::`), newlines and a terminal
escape; the test adds a Terraform file whose name holds the same. Every output format is
rendered from that scan and read back the way its consumer reads it."""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import jsonschema
import pytest
from conftest import FIXTURES, ROOT, scan

from hdslint.report import RenderOptions, render
from hdslint.report.escape import visible

HOSTILE = FIXTURES / "untrusted_text"
EVIL_NAME = "x\n::error::pwned <b>|[a](b).tf"
OPTIONS = RenderOptions(fail_on="medium", color=False)
IMG = "<img src=x onerror=alert(1)>"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    tree = tmp_path_factory.mktemp("hostile")
    for f in HOSTILE.iterdir():
        shutil.copy(f, tree / f.name)
    (tree / EVIL_NAME).write_text('resource "aws_sqs_queue" "q" {\n  region = "us-east-1"\n}\n')
    return scan(tree)


def _active(result):
    return [f for f in result.findings if not f.suppressed]


def test_the_scan_carries_the_hostile_values(result):
    """The values reach the findings as written: the rest of this file tests the reports."""
    messages = " ".join(f.message for f in result.findings)
    assert IMG + "|::error::pwned" in messages
    assert "eu-west-3\n::warning file=evil.tf,line=1::injected\n| x | y |\x1b[31m\u2028%0A" in messages
    assert any(f.resource.startswith("Ingress/::error::ns\n::error::second line/web<img") for f in result.findings)
    assert EVIL_NAME in {f.file for f in result.findings}


def test_text_is_one_line_per_value_without_terminal_escapes(result):
    out = render("text", result, OPTIONS)
    assert "\x1b" not in out and "\u2028" not in out
    # a CI log runs any line starting with :: (after spaces) as a workflow command
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert "'eu-west-3\\n::warning file=evil.tf,line=1::injected\\n| x | y |\\x1b[31m\\u2028%0A'" in out
    assert visible(EVIL_NAME) in out.splitlines()


def _workflow_commands(text):
    """GitHub's runner: one command per line, `::name key=value,key=value::data`, with %25, %0D,
    %0A (and %3A, %2C in values) decoded."""
    def decode(s, prop=False):
        s = s.replace("%0D", "\r").replace("%0A", "\n")
        if prop:
            s = s.replace("%3A", ":").replace("%2C", ",")
        return s.replace("%25", "%")

    commands = []
    for line in re.split("\r\n|\r|\n", text):  # the runner's lines (not str.splitlines's)
        if not line.lstrip().startswith("::"):
            continue
        m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line.lstrip())
        assert m, f"not one well-formed command: {line!r}"
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        commands.append((m.group(1), {k: decode(v, True) for k, v in props.items()}, decode(m.group(3))))
    return commands


def test_github_annotations_carry_values_as_data(result):
    out = render("github", result, OPTIONS)
    commands = _workflow_commands(out)
    assert len(commands) == len(_active(result)) == out.count("\n") - 1  # + the summary line
    assert {name for name, _, _ in commands} <= {"error", "warning", "notice"}
    expected = [(visible(f.file), visible(f"{f.message} Fix: {f.remediation}")) for f in _active(result)]
    assert [(props["file"], data) for _, props, data in commands] == expected
    assert "\x1b" not in out  # the log viewer would colour it
    ingress = next(props for _, props, _ in commands if "Ingress" in props["title"])
    assert ingress["title"].startswith("HDS-ENC-003 Ingress/::error::ns\\n::error::second line/web<img")


def test_gitlab_code_quality_carries_values_exactly(result):
    issues = json.loads(render("gitlab", result, OPTIONS))
    assert [(i["location"]["path"], i["content"]["body"].split("\n\nFix: ")[0]) for i in issues] == [
        (f.file, f.message) for f in _active(result)]


def test_json_carries_values_exactly(result):
    doc = json.loads(render("json", result, OPTIONS))
    assert [(f["file"], f["resource"], f["message"]) for f in doc["findings"]] == [
        (f.file, f.resource, f.message) for f in result.findings]


def test_junit_is_well_formed_xml_with_the_values_as_text(result):
    root = ET.fromstring(render("junit", result, OPTIONS))  # no character XML 1.0 forbids (ESC)
    failures = [(case.get("file"), case.find("failure").get("message"))
                for case in root.iter("testcase") if case.find("failure") is not None]
    assert sorted(failures) == sorted((visible(f.file), visible(f.message)) for f in _active(result))
    names = {case.get("name") for case in root.iter("testcase")}
    assert visible(next(f.resource for f in result.findings if f.resource.startswith("Ingress/"))) in names


def _sarif_plain(text):
    """SARIF 2.1.0 §3.11.6: [text](target) is a link; \\[ \\] \\\\ are literal."""
    assert not re.search(r"(?<!\\)(?:\\\\)*[\[\]]", text.replace("\\[", "").replace("\\]", "")), text
    return re.sub(r"\\([\[\]\\])", r"\1", text)


def test_sarif_messages_hold_no_embedded_link(result):
    doc = json.loads(render("sarif", result, OPTIONS))
    jsonschema.validate(doc, SARIF_SCHEMA)
    results = doc["runs"][0]["results"]
    assert [_sarif_plain(r["message"]["text"]) for r in results] == [
        f"{f.message} Fix: {f.remediation}" for f in result.findings]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == [
        f.file for f in result.findings]
    for r in results:
        for related in r.get("relatedLocations", []):
            _sarif_plain(related["message"]["text"])


class _Html(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.links, self.rows = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href"))
        elif tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            self.rows[-1] += 1


def test_markdown_rendered_as_github_does_holds_no_markup_from_the_code(result):
    from markdown_it import MarkdownIt

    md = render("markdown", result, OPTIONS)
    page = _Html()
    page.feed(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md))
    # ours: headings, tables, code spans, and the folded list of open items (details, summary, ul, li)
    assert set(page.tags) <= {"h2", "h3", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "code",
                              "details", "summary", "ul", "li"}
    assert page.tags.count("details") <= 1 and page.tags.count("summary") <= 1
    assert page.links == []
    findings_table = [n for n in page.rows if n == 5]
    assert len(findings_table) == len(_active(result)) + 1  # + its header row
    assert not [line for line in md.splitlines() if line.lstrip().startswith("::")]
    assert "\x1b" not in md and "\u2028" not in md
    # the values read as written
    assert "&lt;img src=x onerror=alert(1)&gt;\\|::error::pwned" in md


def test_html_escapes_every_value(result):
    html = render("html", result, OPTIONS)
    page = _Html()
    page.feed(html)
    assert "img" not in page.tags and "script" not in page.tags and "b" not in page.tags
    assert not [href for href in page.links if href and "evil.example" in href]
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and IMG not in html
