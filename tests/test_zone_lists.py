"""Zones read from a list of the zones of one region (data.google_compute_zones.x.names[i]): the
list is read from the cloud, but every element is in the region it lists (facts
`zones_of_region`): the block's region, else the provider's."""
from __future__ import annotations

from conftest import FIXTURES, NOT_COVERAGE, finding, line_of, rows, scan

from hdslint.model.values import render_chain

PASS = FIXTURES / "terraform" / "google_zones_pass"
FAIL = FIXTURES / "terraform" / "google_zones_fail"


def test_zones_of_a_region_in_the_eea_pass():
    result = scan(PASS)
    assert rows(result, families=NOT_COVERAGE) == []
    places = {r.address: [p.region.code for p in r.location.places] for r in result.context.resources}
    assert places == {
        "google_compute_instance.app": ["europe-west9"],  # the provider's region, from a variable
        "google_compute_disk.data[0]": ["europe-west1"],  # the region of the provider's zone
        "google_compute_disk.data[1]": ["europe-west1"],
        "google_compute_instance.batch": ["europe-west4"],  # the data source's own region
    }


def test_zones_of_a_region_outside_the_eea_or_unknown():
    main = FAIL / "main.tf"
    available = line_of(main, '"google_compute_zones" "available"')
    london_data = line_of(main, '"google_compute_zones" "london"')
    bare = line_of(main, 'alias   = "bare"') - 1
    result = scan(FAIL)
    assert rows(result, families=NOT_COVERAGE) == [
        ("HDS-LOC-001", "google_compute_instance.iowa", "main.tf", line_of(main, "available.names[0]")),
        ("HDS-LOC-001", "google_compute_disk.london", "main.tf", line_of(main, "london.names[2]")),
        ("HDS-LOC-002", "google_compute_disk.nowhere", "main.tf", line_of(main, "nowhere.names[0]")),
    ]
    iowa = finding(result, "HDS-LOC-001", "google_compute_instance.iowa")
    assert "processes data in us-central1 (Council Bluffs, Iowa, United States), outside the EEA" in iowa.message
    assert render_chain(iowa.chain) == (
        f"google_compute_instance.iowa zone = data.google_compute_zones.available.names[0] "
        f"(main.tf:{line_of(main, 'available.names[0]')}) <- data.google_compute_zones.available.names lists the "
        f"zones of the region of provider.google (main.tf:{available}) "
        f"<- provider.google region = var.region (main.tf:{line_of(main, 'region  = var.region')}) "
        f'<- var.region default = "us-central1" (main.tf:{line_of(main, "default = ")})')
    london = finding(result, "HDS-LOC-001", "google_compute_disk.london")
    assert "stores data in europe-west2 (London, United Kingdom)" in london.message
    assert render_chain(london.chain).endswith(
        "data.google_compute_zones.london.names lists the zones of its region "
        f"(main.tf:{london_data}) <- "
        f'data.google_compute_zones.london region = "europe-west2" (main.tf:{line_of(main, "region = ")})')
    assert finding(result, "HDS-LOC-002", "google_compute_disk.nowhere").message.startswith(
        "Cannot determine where google_compute_disk.nowhere keeps its data: provider.google.bare "
        f"(main.tf:{bare}) sets no region or zone")


def test_the_list_itself_stays_unknown(tmp_path):
    (tmp_path / "main.tf").write_text(
        'provider "google" {\n  region = "europe-west9"\n}\n'
        'data "google_compute_zones" "z" {}\n'
        'resource "google_compute_instance" "each" {\n'
        '  count = length(data.google_compute_zones.z.names)\n'
        '  name  = "each"\n  machine_type = "e2-small"\n'
        '  zone  = element(data.google_compute_zones.z.names, count.index)\n}\n')
    result = scan(tmp_path)
    # length() of the list is the cloud's, so is count.index: whatever the index, the element is in the region
    [res] = [r for r in result.context.resources if r.type == "google_compute_instance"]
    assert [p.region.code for p in res.location.places] == ["europe-west9"]
    (tmp_path / "main.tf").write_text(
        'provider "google" {\n  region = "europe-west9"\n}\n'
        'data "google_compute_zones" "z" {}\n'
        'resource "google_compute_instance" "all" {\n'
        '  name  = "all"\n  machine_type = "e2-small"\n'
        '  zone  = join(",", data.google_compute_zones.z.names)\n}\n')
    [res] = [r for r in scan(tmp_path).context.resources if r.type == "google_compute_instance"]
    assert res.location.places == []  # the whole list is the cloud's
    assert [str(u.reason) for u in res.location.undetermined] == [
        "data.google_compute_zones.z.names is read from the cloud at plan time"]


def test_zone_lists_in_french():
    line = line_of(FAIL / "main.tf", '"google_compute_zones" "london"')
    f = finding(scan(FAIL, lang="fr"), "HDS-LOC-001", "google_compute_disk.london")
    assert f"data.google_compute_zones.london.names liste les zones de son argument region (main.tf:{line})" in f.message
