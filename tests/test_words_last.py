"""Words come last: readers, analyses and rules pass templates and values around (Msg); only a
report writes them, in the reader's language. A sentence written too early would be English in
a French report: scan every fixture in French and look for English template text."""
from __future__ import annotations

import json
import re
import string

import pytest
from conftest import FIXTURES, scan

from hdslint import i18n
from hdslint.report import render

FIXTURE_DIRS = sorted({p.parent for p in FIXTURES.rglob("*") if p.is_file() and "hostile" not in p.parts})


def _english_fragments() -> set:
    """The literal parts (15 characters or more) of every template whose French differs."""
    out = set()
    for english, french in i18n.catalog("fr").items():
        for literal, *_rest in string.Formatter().parse(english):
            for part in re.split(r"[.:;()]", literal or ""):
                part = part.strip()
                if len(part) >= 15 and part not in french:
                    out.add(part)
    return out


FRAGMENTS = _english_fragments()


def test_there_are_fragments_to_look_for():
    assert len(FRAGMENTS) > 200


@pytest.mark.parametrize("path", FIXTURE_DIRS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_french_report_holds_no_english_template_text(path):
    result = scan(path, lang="fr")

    class Options:
        fail_on, color = "medium", False

    report = render("json", result, Options())
    doc = json.loads(report)
    texts = [f[k] for f in doc["findings"] if f.get("source") != "checkov" for k in ("message", "remediation")]
    texts += [loc.get("undetermined") or "" for r in doc["resources"] for loc in r.get("locations", [])]
    texts += [step["step"] for r in doc["resources"] for loc in r.get("locations", []) for step in loc["resolution"]]
    texts += [e for row in doc["coverage"] for c in row["providers"] for e in c["evidence"]]
    for t in doc["transfers"]:
        texts += [t["what"], t["country_name"], t["basis"]["text"], t["risk"]["text"], t["note"] or "", t["reason"] or ""]
        texts += [e["step"] for e in t["evidence"] if "step" in e]
    leaks = sorted({frag for t in texts for frag in FRAGMENTS if frag in t})
    assert leaks == []
