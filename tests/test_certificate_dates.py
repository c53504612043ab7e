"""Certificates over time (issue 18 §6): the certificate in force at the scan date (--today) is the
current one or a previous one recorded in the catalog; before the first one the provider is "not
yet certified on that date", after the last one its certificate has expired."""
from __future__ import annotations

import datetime as dt

from conftest import FIXTURES, finding, line_of, rows, scan
from test_cli import hdslint

from hdslint.analysis.coverage import matrix
from hdslint.knowledge.catalog import at_date, catalog, standing
from hdslint.policycheck import _check_certificate_dates
from hdslint.report import RenderOptions, render

D = FIXTURES / "coverage" / "scalingo_dates"
COVERAGE = ("coverage",)
RESOURCES = "scalingo_app.records, scalingo_container_type.web, scalingo_addon.pg, scalingo.json, addons[0] and 1 more"


def _cells(result) -> dict[int, dict]:
    return {r["perimeter"]: r["providers"][0] for r in matrix(result.context.coverage)}


def test_before_the_current_certificate_the_previous_one_covers():
    """--today 2025-06-01 used to report the 2025-09-12 certificate as expired."""
    result = scan(D, today=dt.date(2025, 6, 1))
    assert rows(result, families=COVERAGE) == []
    cells = _cells(result)
    assert [cells[p]["status"] for p in range(1, 7)] == ["covered"] * 6
    [ev] = [e for e in cells[4]["evidence"] if "38436" in e]
    assert "HDS 2018 (v1.1)" in ev and "valid until 2025-09-11" in ev
    assert "a previous certificate, in force at the scan date" in ev
    assert "54b03e4c1dfbd0b6526dc52b0bc2a5177ca1e656" in ev  # the page as it stood before the renewal
    # the last day of the previous certificate, and the first of the current one
    assert rows(scan(D, today=dt.date(2025, 9, 11)), families=COVERAGE) == []
    current = scan(D, today=dt.date(2025, 9, 12))
    assert rows(current, families=COVERAGE) == []
    [ev] = [e for e in _cells(current)[4]["evidence"] if "38436" in e]
    assert "HDS 2024 (v2)" in ev and "valid until 2028-09-11" in ev and "previous" not in ev


def test_before_the_first_certificate_the_provider_is_not_yet_certified():
    result = scan(D, today=dt.date(2022, 9, 11))
    assert rows(result, families=COVERAGE) == [("HDS-COV-002", "", "main.tf", line_of(D / "main.tf", '"scalingo_app"'))]
    f = finding(result, "HDS-COV-002")
    assert f.severity == "high" and f.perimeters == (1, 2, 3, 4, 5, 6)
    assert f.message == ("Scalingo was not yet HDS-certified on 2022-09-11: its first certificate recorded in "
                         f"hdslint's catalog is valid from 2022-09-12; 6 resource(s) rely on it ({RESOURCES}).")
    assert f.remediation.startswith("Check the scan date (--today). If the provider held an earlier certificate")
    cells = _cells(result)
    assert [cells[p]["status"] for p in range(1, 7)] == ["not_covered"] * 6
    assert any(e.startswith("not yet HDS-certified at the scan date: certified from 2022-09-12")
               for e in cells[1]["evidence"])
    french = finding(scan(D, today=dt.date(2022, 9, 11), lang="fr"), "HDS-COV-002")
    assert french.message.startswith("Scalingo n'était pas encore certifié HDS le 2022-09-11 : son premier certificat")


def test_after_the_last_certificate_it_has_expired():
    f = finding(scan(D, today=dt.date(2028, 9, 12)), "HDS-COV-002")
    assert f.message == ("Scalingo's HDS certificate expired on 2028-09-11: 6 resource(s) rely on it "
                         f"({RESOURCES}).")
    assert f.remediation.startswith("Obtain the renewed certificate")


def test_today_option_on_the_command_line():
    assert hdslint("scan", "--today", "2025-06-01", cwd=D).returncode == 0
    before = hdslint("scan", "--today", "2022-01-01", cwd=D)
    assert before.returncode == 1 and "Scalingo was not yet HDS-certified on 2022-01-01" in before.stdout
    detail = hdslint("providers", "scalingo", "--today", "2025-06-01").stdout
    assert "validity at 2025-06-01: valid" in detail
    assert "previous certificate: HDS 2018 (v1.1), 38436, by LNE, 2022-09-12 to 2025-09-11" in detail
    listing = hdslint("providers", "--today", "2022-01-01").stdout
    assert next(ln for ln in listing.splitlines() if ln.startswith("scalingo ")).split()[2] == "certified!"


def test_the_html_report_shows_the_certificate_in_force():
    html = render("html", scan(D, today=dt.date(2025, 6, 1)), RenderOptions(fail_on="medium", color=False))
    assert "n° 38436, LNE, from 2022-09-12, until 2025-09-11" in html
    assert "2028-09-11" not in html


def test_a_gap_between_certificates_and_overrides_that_are_not_dates():
    """A team's override (not validated by a schema) with a gap, or with text that is no date."""
    gap = {"scalingo": {"certification": {"previous_certificates": [
        {"referentiel": "2018 (v1.1)", "perimeters": [1, 2, 3, 4, 5, 6], "source": "team", "confidence": "high",
         "certificate": {"number": "T-1", "issuer": "Example CB", "valid_from": "2021-01-01",
                         "valid_until": "2023-12-31"}}]}}}
    result = scan(D, today=dt.date(2024, 6, 1), catalog_overrides=gap)
    assert "expired on 2023-12-31" in finding(result, "HDS-COV-002").message
    assert rows(scan(D, today=dt.date(2022, 6, 1), catalog_overrides=gap), families=COVERAGE) == []
    entry = catalog(gap)["scalingo"]
    assert at_date(entry, dt.date(2022, 6, 1))["certification"]["certificate"]["number"] == "T-1"
    assert standing(entry, dt.date(2020, 12, 31)) == ("not_yet_valid", "2021-01-01")
    junk = {"scalingo": {"certification": {"previous_certificates": [
        "2022", {"certificate": {"valid_from": "soon", "valid_until": None}}, {"certificate": "38436"}]}}}
    result = scan(D, today=dt.date(2025, 6, 1), catalog_overrides=junk)
    message = finding(result, "HDS-COV-002").message
    assert "was not yet HDS-certified on 2025-06-01" in message and "valid from 2025-09-12" in message
    assert standing(catalog(junk)["scalingo"], dt.date(2026, 1, 1)) == ("valid", "2028-09-11")


def test_policycheck_refuses_overlapping_or_reversed_certificates():
    cert = {"certificate": {"number": "1", "valid_from": "2025-09-12", "valid_until": "2028-09-11"},
            "previous_certificates": [{"certificate": {"number": "0", "valid_from": "2022-09-12",
                                                       "valid_until": "2025-09-12"}}]}
    assert _check_certificate_dates("x.yaml", cert) == [
        "x.yaml: certificates overlap: one is valid until 2025-09-12, another from 2025-09-12"]
    reversed_ = {"certificate": {"number": "1", "valid_from": "2028-09-11", "valid_until": "2025-09-12"}}
    assert _check_certificate_dates("x.yaml", reversed_) == [
        "x.yaml: certificate 1: valid_from 2028-09-11 is after valid_until 2025-09-12"]
    assert _check_certificate_dates("scalingo.yaml", catalog()["scalingo"]["certification"]) == []
