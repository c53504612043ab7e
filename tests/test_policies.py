"""The knowledge in policies/ validates against its schemas and holds together."""
from __future__ import annotations

import pytest
from conftest import ROOT

from hdslint import policycheck
from hdslint.knowledge.regions import countries, lookup_region, region_tables
from hdslint.knowledge.terraform import terraform_providers

POLICY_FILES = sorted((ROOT / "policies").rglob("*.yaml"))


@pytest.mark.parametrize("path", POLICY_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_policy_file_has_a_schema_and_is_valid(path):
    assert policycheck.kind_of(path) is not None, "every knowledge file follows a schema (policycheck.SCHEMAS)"
    assert policycheck.check_file(path) == []


def test_a_broken_knowledge_file_is_reported(tmp_path):
    bad = tmp_path / "secrets.yaml"
    bad.write_text("sources: []\nvalues: [{name: x}]\n")
    assert policycheck.kind_of(bad) is None  # only the files of policies/ itself are matched by name
    folder = tmp_path / "kubernetes"
    folder.mkdir()
    (folder / "knowledge.yaml").write_text("sources: []\nkinds: {Pod: {data: sometimes}}\n")
    problems = policycheck.check_file(folder / "knowledge.yaml")
    assert any("'sometimes' is not one of" in p for p in problems)
    assert any("'storage_classes' is a required property" in p for p in problems)


def test_eea_membership():
    table = countries()
    eea = {c for c, v in table.items() if v["eea"] and c != "EU"}
    assert len(eea) == 30
    assert {"NO", "IS", "LI", "FR", "DE", "IE"} <= eea
    assert not table["GB"]["eea"] and not table["CH"]["eea"] and not table["GLOBAL"]["eea"]


@pytest.mark.parametrize("catalog, code, country, eea", [
    ("aws", "eu-west-3", "FR", True), ("aws", "eu-west-2", "GB", False), ("aws", "eu-central-2", "CH", False),
    ("aws", "eu-west-3c", "FR", True), ("aws", "eu-central-1-ist-1a", "TR", False),
    ("azure", "France Central", "FR", True), ("azure", "uksouth", "GB", False), ("azure", "norwayeast", "NO", True),
    ("azure", "switzerlandnorth", "CH", False),
    ("google", "europe-west9", "FR", True), ("google", "europe-west2", "GB", False), ("google", "EU", "EU", True),
    ("google", "europe-west6-a", "CH", False),
    ("ovh", "GRA11", "FR", True), ("ovh", "gra", "FR", True), ("ovh", "UK1", "GB", False), ("ovh", "BHS5", "CA", False),
    ("scaleway", "fr-par-2", "FR", True), ("scaleway", "nl-ams", "NL", True),
    ("outscale", "eu-west-2a", "FR", True), ("outscale", "us-east-2", "US", False),
    ("scalingo", "osc-secnum-fr1", "FR", True),
])
def test_region_lookups(catalog, code, country, eea):
    region = lookup_region(catalog, code)
    assert region is not None, f"{catalog} {code}"
    assert country in region.countries and region.eea is eea


def test_every_provider_facts_file_points_at_a_region_table():
    tables = region_tables()
    for name, facts in terraform_providers().items():
        assert facts.catalog in tables, name


def test_suggested_regions_are_in_the_eea():
    for name, table in region_tables().items():
        assert table.suggest, name
        region = table.lookup(table.suggest)
        assert region is not None and region.eea, name


def test_documented_default_locations_resolve():
    for name, facts in terraform_providers().items():
        for rtype, rf in facts.resources.items():
            if "location_default" in rf:
                assert lookup_region(facts.catalog, rf["location_default"]["value"]) is not None, rtype
        if facts.block.get("default"):
            assert lookup_region(facts.catalog, facts.block["default"]) is not None, name


def test_breadth_of_resource_knowledge():
    counts = {n: sum(1 for r in f.resources.values() if r["data"] != "none") for n, f in terraform_providers().items()}
    assert counts["aws"] >= 100 and counts["azurerm"] >= 60 and counts["google"] >= 50
    assert counts["ovh"] >= 6 and counts["scaleway"] >= 8 and counts["outscale"] >= 4 and counts["scalingo"] >= 3
