"""Plain text read from the knowledge's regular expressions (hdslint.knowledge.literals) lets a
scan skip compiling the expressions that cannot match: the answers stay those of the
expressions themselves."""
from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse

import pytest

from hdslint.knowledge import endpoints
from hdslint.knowledge.literals import needle, type_matches, words
from hdslint.knowledge.store import POLICIES_DIR, load
from hdslint.knowledge.terraform import terraform_providers


@pytest.mark.parametrize(("pattern", "expected"), [
    ("^aws_iam_", (frozenset(), ("aws_iam_",))),
    ("^ovh_(iam|me)_", (frozenset(), ("ovh_iam_", "ovh_me_"))),
    ("^x_(a|b)$", (frozenset({"x_a", "x_b", "x_a\n", "x_b\n"}), ())),
    ("google_dns_", (frozenset(), ("google_dns_",))),
    ("^aws_(?!dlm_)[a-z0-9_]*_policy$", None),
    ("^scaleway_vpc(_|$)", None),
    ("^flexibleengine_(kms|tms)_?", None),
    ("^", None),
    ("", None),
])
def test_words_of_plain_patterns_only(pattern, expected):
    assert words(pattern) == expected


_WORD = r"[a-z0-9_]+"
_REFERENCE = re.compile(rf"\^?(?P<pre>[a-z0-9_]*)(?:\((?P<alts>{_WORD}(?:\|{_WORD})*)\))?(?P<post>[a-z0-9_]*)(?P<end>\$?)")


def _reference_words(pattern):
    """The form words() reads, as a regular expression."""
    m = _REFERENCE.fullmatch(pattern)
    if not m or not (m["pre"] or m["alts"] or m["post"]):
        return None
    texts = [m["pre"] + alt + m["post"] for alt in (m["alts"].split("|") if m["alts"] else [""])]
    if m["end"]:
        return frozenset(texts + [t + "\n" for t in texts]), ()
    return frozenset(), tuple(texts)


def test_words_reads_exactly_its_form():
    patterns = ["a(b)c(d)", "a((b))", "a()", "a(|b)", "(a|b)", "^(a|b)$", "a)", "a(b", "^^a", "a$$", "$", "^$",
                "A_b", "a-b", "a(b)c", "^a(b|c)d$", "^a(b|c)$d"]
    for path in sorted((POLICIES_DIR / "terraform").glob("*.yaml")):
        patterns += load(path).get("no_data", {}).get("patterns", [])
    for pattern in patterns:
        assert words(pattern) == _reference_words(pattern), pattern


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"(?:^|[/.@])s3\.(?P<region>[a-z]{2}-[a-z]{3})\.scw\.cloud", ".scw.cloud"),
    (r"(?:^|[/.@])(?:[a-z0-9-]+\.)?datadoghq\.eu(?:$|[/:])", "datadoghq.eu"),
    (r"(?:^|[/.@])(?:logs\.mezmo\.com|logs\.logdna\.com)(?:$|[/:])", None),  # inside a group
    (r"logs\.mezmo\.com|logdna\.com", None),  # an alternative at the top level
    (r"host\d\.example\.com", ".example.com"),  # \d is not the letter d
    (r"host\\.example\.com", "example.com"),  # an escaped backslash, then any character
    (r"host\\\.example\.com", ".example.com"),  # an escaped backslash, then a dot
    (r"example\.com?", None),  # the last character is optional
    (r"[a-z]+\.io", ".io"),
    (r"[a-z]\.b", None),  # too short to be worth it
])
def test_needle_is_a_literal_every_match_holds(pattern, expected):
    assert needle(pattern) == expected


def _literal_tail(pattern: str) -> str:
    """The literal characters that end the top level of a parsed pattern (re's own parser)."""
    items = list(sre_parse.parse(pattern, re.I))
    out = []
    for op, arg in reversed(items):
        if op is not sre.LITERAL:
            break
        out.append(chr(arg))
    return "".join(reversed(out)).lower()


def test_every_endpoint_needle_is_mandatory():
    for e in endpoints._data()["endpoints"]:
        text = needle(e["match"])
        if text is not None:
            body = e["match"].removesuffix("(?:$|[/:])")
            assert _literal_tail(body).endswith(text), e["match"]


SAMPLES = [
    "https://s3.eu-west-3.amazonaws.com", "my-bucket.s3.eu-central-1.amazonaws.com/key", "HTTPS://S3.EU-WEST-3.AMAZONAWS.COM",
    "db.abc123.eu-west-3.rds.amazonaws.com:5432", "https://sqs.us-east-1.amazonaws.com/1/q", "s3.gra.io.cloud.ovh.net",
    "https://s3.fr-par.scw.cloud", "oos.eu-west-2.outscale.com", "https://http-intake.logs.datadoghq.eu/api",
    "app.datadoghq.com", "https://logs.logdna.com", "syslog-a.logdna.com:514", "https://s3.eu-west-3.amazonaws.com/é",
    "AKIAIOSFODNN7EXAMPLE", "production", "", "https://example.org", "ſ3.eu-west-3.amazonaws.com",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_region_of_is_the_first_pattern_that_matches(text):
    expected = None
    for e in endpoints._data()["endpoints"]:
        m = re.compile(e["match"], re.I).search(text)
        if m:
            expected = e["service"]
            if "countries" in e or endpoints.lookup_region(e["catalog"], m.group("region")) is not None:
                break
            expected = None
    found = endpoints.region_of(text)
    assert (found[1] if found else None) == expected


def test_no_data_answers_as_the_patterns_do():
    names = {"", "x", "aws_iam_role", "aws_iam_role\n", "aws_s3_bucket_policy", "aws_dlm_lifecycle_policy",
             "azurerm_role_assignment", "azurerm_role_assignmentx", "scaleway_vpc", "scaleway_vpc_x"}
    for path in sorted((POLICIES_DIR / "terraform").glob("*.yaml")):
        data = load(path)
        patterns = data.get("no_data", {}).get("patterns", [])
        if not patterns:
            continue
        facts = terraform_providers()[data["provider"]]
        combined = re.compile("|".join(f"(?:{p})" for p in patterns))
        for name in names | set(data["resources"]) | {p.strip("^$") for p in patterns}:
            assert facts.no_data(name) is (combined.match(name) is not None), (data["provider"], name)


def test_type_patterns_of_the_catalog_answer_as_fullmatch():
    patterns = set()
    for path in sorted((POLICIES_DIR / "catalog").glob("*.yaml")):
        entry = load(path)
        for service in entry.get("services", []):
            patterns |= set(service.get("resource_types", []))
        for cond in entry.get("conditions", []):
            patterns |= set((cond.get("check") or {}).get("resource_types", []))
    assert patterns
    names = {"", "ovh_cloud_project_instance", "ovh_cloud_project_instance\n", "azurerm_app_service",
             "azurerm_app_service_plan", "azurerm_app_servicex", "clevercloud_php", "x"}
    names |= {p.strip("^$") for p in patterns}
    for pattern in patterns | {"^x_(a|b)$", "x_(a|b)", "^x"}:
        for name in names | {"x_a", "x_b", "x_a\n", "x"}:
            assert type_matches(pattern, name) is (re.fullmatch(pattern, name) is not None), (pattern, name)
