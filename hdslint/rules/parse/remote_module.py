"""HDS-PARSE-002 remote-module: a module from a registry or a repository is not scanned.

Why: hdslint never downloads anything (no network at scan time). After `terraform init`,
Terraform keeps every module it installed under .terraform/modules, listed in
.terraform/modules/modules.json: hdslint reads those like local modules, with their full
addresses (module.db.module.db_instance.aws_db_instance.this[0]). A module call that is not
installed there is invisible: its resources' location, encryption and backups are not
checked. One finding per such call says so, and how to fix it.

Passing example:   module "db" { source = "./modules/db" }   (or a registry module after terraform init)
Failing example:   module "db" { source = "terraform-aws-modules/rds/aws" }, no .terraform/modules   (info)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-PARSE-002",
    name="remote-module",
    family="parse",
    severity="info",
    title="Remote module not scanned",
    basis="hdslint cannot vouch for code it does not read",
    remediation="Run terraform init in the root module before the scan (hdslint reads .terraform/modules, it "
                "never downloads), or scan a plan: terraform show -json plan.out > plan.json and hdslint scan "
                "plan.json.",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    for m in ctx.terraform.remote_modules:
        yield RULE.finding(
            ctx, file=m.file, line=m.line,
            message=_("{address} comes from \"{source}\", which is not installed in .terraform/modules and which "
                      "hdslint does not download: the resources it creates are not checked. Run terraform init "
                      "first.", address=m.address, source=m.source),
            attribute=f"module:{m.address}",
        )
