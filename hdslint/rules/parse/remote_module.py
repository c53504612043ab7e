"""HDS-PARSE-002 remote-module: a module from a registry or a repository is not scanned.

Why: hdslint never downloads anything (no network at scan time). Resources created by a
module from the Terraform registry, git or an archive are invisible to it, so their location,
encryption and backups are not checked. One finding per module call says so.

Passing example:   module "db" { source = "./modules/db" }
Failing example:   module "db" { source = "terraform-aws-modules/rds/aws" }   (info)
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
    remediation="Scan the module's code too (vendor it, or scan a plan: terraform show -json plan.out > plan.json "
                "and hdslint scan plan.json).",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    for m in ctx.terraform.remote_modules:
        yield RULE.finding(
            ctx, file=m.file, line=m.line,
            message=_("{address} comes from \"{source}\", which hdslint does not download: the resources it "
                      "creates are not checked.", address=m.address, source=m.source),
            attribute=f"module:{m.address}",
        )
