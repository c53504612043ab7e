"""A carefully compliant stack passes at default options: a red build means the code must change
(issue: AWS eu-west-3 with copies in eu-central-1, Scaleway fr-par). What is left is paperwork,
low: the perimeters of the providers' certificates (HDS-COV-007)."""
from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, line_of, rows, scan
from test_cli import hdslint

STACKS = FIXTURES / "compliant"


@pytest.mark.parametrize("stack", ["aws_eu_west_3", "scaleway_fr_par"])
def test_a_compliant_stack_exits_0_at_default_options(stack):
    d = STACKS / stack
    out = hdslint("scan", "--today", "2026-11-29", "--format", "json", cwd=d)
    assert out.returncode == 0, out.stdout
    doc = json.loads(out.stdout)
    assert [(f["rule_id"], f["severity"]) for f in doc["findings"]] == [("HDS-COV-007", "low")]
    # every data store was judged: nothing unknown, nothing outside the EEA
    statuses = {v["status"] for r in doc["resources"] if r["data"] == "stores" for k, v in r["verdicts"].items()
                if k != "coverage"}
    assert statuses <= {"ok", "not_applicable", "not_assessed"}


def test_the_aws_stack_is_judged_through_its_related_resources():
    result = scan(STACKS / "aws_eu_west_3")
    compute = STACKS / "aws_eu_west_3" / "compute.tf"
    assert rows(result) == [("HDS-COV-007", "", "compute.tf", line_of(compute, '"aws_ebs_volume" "scratch"'))]
    ctx = result.context
    by = {r.address: r for r in ctx.resources}
    # the database's copies in Frankfurt, the bucket's replica, the volume's AWS Backup copies
    assert ctx.verdict(by["aws_db_instance.records"], "backup").state == "on"
    assert ctx.verdict(by["aws_db_instance.records"], "in_transit").state == "on"
    assert ctx.verdict(by["aws_s3_bucket.documents"], "in_transit").state == "on"
    assert ctx.verdict(by["aws_ebs_volume.scratch"], "at_rest").state == "on"
    assert ctx.verdict(by["aws_ebs_volume.scratch"], "backup").state == "on"
