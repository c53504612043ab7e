"""Locations read from an item of a list of blocks or objects (facts `location_items`): the
datacenter of an ordered OVHcloud service is a plan configuration item, in attribute or block
syntax, in HCL and in a plan."""
from __future__ import annotations

import pytest
from conftest import FIXTURES, NOT_COVERAGE, finding, line_of, rows, scan

from hdslint import policycheck
from hdslint.knowledge.regions import lookup_region
from hdslint.model.values import render_chain

FAIL = FIXTURES / "terraform" / "ovh_plan_fail"
PASS = FIXTURES / "terraform" / "ovh_plan_pass"
PLAN = FIXTURES / "plan" / "ovh_ordered" / "plan.json"


def test_plan_items_outside_the_eea_or_missing():
    main = FAIL / "main.tf"
    vps = line_of(main, '"ovh_vps" "london"')
    bhs, uk = line_of(main, 'value = "bhs"'), line_of(main, 'default = "UK"')
    result = scan(FAIL)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "ovh_dedicated_server.beauharnois", "main.tf", line_of(main, 'value = "bhs"')),
        ("HDS-LOC-001", "ovh_vps.london", "main.tf", line_of(main, "configuration {")),
        ("HDS-LOC-002", "ovh_vps.anywhere", "main.tf", line_of(main, '"ovh_vps" "anywhere"')),
        ("HDS-LOC-002", "ovh_dedicated_server.adopted", "main.tf", line_of(main, "service_name =")),
        ("HDS-LOC-001", "ovh_iploadbalancing.front", "main.tf", line_of(main, '"iplb-zone-lb2-bhs"')),
    ]
    assert line_of(main, "configuration {") > vps
    server = finding(result, "HDS-LOC-001", "ovh_dedicated_server.beauharnois")
    assert "stores data in BHS (Beauharnois, Canada), outside the EEA" in server.message
    assert render_chain(server.chain) == (
        'ovh_dedicated_server.beauharnois plan.configuration item with label "dedicated_datacenter" = "bhs" '
        f"(main.tf:{bhs})")
    assert str(server.remediation) == (
        'Set value of the plan.configuration item with label "dedicated_datacenter" on '
        'ovh_dedicated_server.beauharnois to a location in the EEA, such as "rbx": HDS EXI 28 requires health data '
        "to be stored only in the EEA.")
    london = finding(result, "HDS-LOC-001", "ovh_vps.london")
    assert "UK (London (Erith datacentre), United Kingdom)" in london.message
    assert render_chain(london.chain) == (
        f'ovh_vps.london plan.configuration item with label "vps_datacenter" (main.tf:{line_of(main, "configuration {")}) '
        f'<- var.vps_datacenter default = "UK" (main.tf:{uk})')
    assert 'such as "WAW"' in str(london.remediation)
    assert finding(result, "HDS-LOC-002", "ovh_vps.anywhere").message == (
        "Cannot determine where ovh_vps.anywhere keeps its data: ovh_vps.anywhere has no plan.configuration item "
        'with label "vps_datacenter", which says where it is.')
    iplb = finding(result, "HDS-LOC-001", "ovh_iploadbalancing.front")
    assert "moves data in BHS (Beauharnois, Canada), outside the EEA" in iplb.message
    assert render_chain(iplb.chain) == (
        'ovh_iploadbalancing.front plan_option plan_code: "iplb-zone-lb2-bhs" names the location bhs '
        f"(main.tf:{line_of(main, 'iplb-zone-lb2-bhs')})")
    assert str(iplb.remediation) == (
        'Set plan_code of the plan_option of ovh_iploadbalancing.front to a location in the EEA, such as '
        '"iplb-zone-gra": HDS EXI 28 requires health data to be stored only in the EEA.')
    # service_name takes an existing server: the plan is not ordered, so its datacenter says nothing
    assert finding(result, "HDS-LOC-002", "ovh_dedicated_server.adopted").message == (
        "Cannot determine where ovh_dedicated_server.adopted keeps its data: ovh_dedicated_server.adopted takes its "
        "location from service_name, which hdslint cannot follow: service_name is not a reference to a resource.")


def test_plan_items_in_the_eea_pass_in_both_syntaxes():
    result = scan(PASS)
    assert rows(result, families=NOT_COVERAGE) == []
    places = {r.address: [(p.region.code, p.setting) for p in r.location.places] for r in result.context.resources}
    assert places == {
        "ovh_dedicated_server.gravelines": [("GRA", 'plan.configuration[label = "dedicated_datacenter"]')],
        "ovh_vps.warsaw": [("WAW", 'plan.configuration[label = "vps_datacenter"]')],
        "ovh_hosting_privatedatabase.records": [("GRA3", 'plan.configuration[label = "dc"]')],
        "ovh_storage_efs.shares": [("GRA", 'plan.configuration[label = "region"]')],
        "ovh_iploadbalancing.front": [("RBX", "plan_option.plan_code")],
    }
    # the zone option is looked up in the order cart: the data source's plan_code is its options_plan_code
    main = PASS / "main.tf"
    option, data = line_of(main, "plan_option {"), line_of(main, '"ovh_order_cart_product_options_plan" "zone"')
    code = line_of(main, "options_plan_code =")
    [front] = [r for r in result.context.resources if r.address == "ovh_iploadbalancing.front"]
    assert render_chain(front.location.places[0].hops) == (
        'ovh_iploadbalancing.front plan_option plan_code: "iplb-zone-lb1-rbx" names the location rbx '
        f"(main.tf:{option}) <- data.ovh_order_cart_product_options_plan.zone.plan_code is "
        f"set to its options_plan_code (main.tf:{data}) "
        '<- data.ovh_order_cart_product_options_plan.zone options_plan_code = "iplb-zone-lb1-rbx" '
        f"(main.tf:{code})")


def test_plan_items_in_french():
    bhs = line_of(FAIL / "main.tf", 'value = "bhs"')
    f = finding(scan(FAIL, lang="fr"), "HDS-LOC-001", "ovh_dedicated_server.beauharnois")
    assert f.message == (
        "ovh_dedicated_server.beauharnois stocke des données dans BHS (Beauharnois, Canada), hors de l'EEE. "
        'Résolu depuis : ovh_dedicated_server.beauharnois élément de plan.configuration dont label vaut '
        f'"dedicated_datacenter" = "bhs" (main.tf:{bhs}).')
    assert f.remediation == (
        'Donner à value de l\'élément de plan.configuration dont label vaut "dedicated_datacenter" sur '
        'ovh_dedicated_server.beauharnois une localisation dans l\'EEE, par exemple "rbx" : l\'EXI 28 du référentiel '
        "HDS impose que les données de santé soient stockées uniquement dans l'EEE.")


def test_plan_items_in_a_terraform_plan():
    result = scan(PLAN)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "ovh_dedicated_server.beauharnois", "plan.json",
         line_of(PLAN, '"address": "ovh_dedicated_server.beauharnois"') - 1),
    ]
    places = {r.address: [p.region.code for p in r.location.places] for r in result.context.resources}
    assert places == {"ovh_dedicated_server.beauharnois": ["BHS"], "ovh_vps.warsaw": ["WAW"]}


def test_an_unknown_plan_is_undetermined_with_its_reason(tmp_path):
    (tmp_path / "main.tf").write_text(
        'data "ovh_me" "me" {}\n'
        'resource "ovh_vps" "v" {\n  ovh_subsidiary = "FR"\n  plan = data.ovh_me.me.plan\n}\n'
        'resource "ovh_vps" "w" {\n  ovh_subsidiary = "FR"\n'
        '  plan = [{ duration = "P1M", plan_code = "x", pricing_mode = "default",\n'
        '           configuration = [{ label = data.ovh_me.me.ovh_subsidiary, value = "WAW" }] }]\n}\n')
    result = scan(tmp_path)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-002", "ovh_vps.v", "main.tf", line_of(tmp_path / "main.tf", "plan = data.ovh_me.me.plan")),
        ("HDS-LOC-002", "ovh_vps.w", "main.tf", line_of(tmp_path / "main.tf", "plan = [{")),
    ]
    assert finding(result, "HDS-LOC-002", "ovh_vps.v").message.startswith(
        "Cannot determine where ovh_vps.v keeps its data: data.ovh_me.me.plan is read from the cloud at plan time.")
    assert finding(result, "HDS-LOC-002", "ovh_vps.w").message.startswith(
        "Cannot determine where ovh_vps.w keeps its data: the label of one plan.configuration item of ovh_vps.w is "
        "not known: data.ovh_me.me.ovh_subsidiary is read from the cloud at plan time.")


@pytest.mark.parametrize("code, country, eea", [
    ("bhs", "CA", False), ("rbx", "FR", True), ("WAW", "PL", True), ("gra3", "FR", True), ("eu-west-gra", "FR", True),
    ("fra", "DE", True), ("lim", "DE", True), ("lon", "GB", False), ("hil", "US", False), ("vin", "US", False),
])
def test_ovh_datacenter_codes(code, country, eea):
    region = lookup_region("ovh", code)
    assert region is not None and region.countries == (country,) and region.eea is eea


def test_policycheck_holds_location_items_to_the_region_table(tmp_path):
    folder = tmp_path / "terraform"
    folder.mkdir()
    (folder / "ovh.yaml").write_text(
        "provider: ovh\nregistry: [ovh/ovh]\ncatalog: ovh\n"
        "sources: [{id: doc, url: 'https://example.org', retrieved: '2026-12-08'}]\n"
        "provider_block: {location: []}\n"
        "resources:\n"
        "  ovh_vps:\n    data: stores\n    source: doc\n    attributes: [plan, ovh_subsidiary]\n"
        "    location_items:\n"
        "      - {items: 'plan[*].configuration[*]', where: {label: vps_datacenter}, value: value, example: BHS,"
        " source: doc}\n"
        "      - {items: 'plan_option[*].configuration[*]', where: {label: dc}, value: value, example: XYZ,"
        " source: nowhere}\n"
        "      - {items: 'plan[*]', value: plan_code, pattern: '^zone-(?P<location>[a-z]+)$', example: gra, source: doc}\n"
        "      - {items: 'plan[*]', value: plan_code, pattern: '^zone-([a-z]+)$', source: doc}\n")
    assert policycheck.check_file(folder / "ovh.yaml") == [
        "ovh.yaml: ovh_vps: source is neither a URL nor a source id: nowhere",
        "ovh.yaml: ovh_vps: location_items: the example 'BHS' is outside the EEA (CA)",
        "ovh.yaml: ovh_vps: location_items: plan_option[*].configuration[*] reads plan_option, which is not among "
        "the type's attributes",
        "ovh.yaml: ovh_vps: location_items: the example 'XYZ' is not in the ovh region table",
        "ovh.yaml: ovh_vps: location_items: the example 'gra' does not match the pattern",
        "ovh.yaml: ovh_vps: location_items: the pattern '^zone-([a-z]+)$' has no group `location`",
    ]
