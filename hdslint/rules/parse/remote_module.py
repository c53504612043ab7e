"""HDS-PARSE-002 remote-module: a module or a chart from a registry or another repository is
not scanned.

Why: hdslint never downloads anything (no network at scan time). Resources created by a
module from the Terraform registry, git or an archive are invisible to it, so their location,
encryption and backups are not checked; so are the objects an ArgoCD Application deploys from
a Helm repository, an OCI registry or another git repository. One finding per module call, and
per Application source, says so.

Passing example:   module "db" { source = "./modules/db" }
Failing example:   module "db" { source = "terraform-aws-modules/rds/aws" }   (info)
Failing example:   an Application with source.chart: cloudnative-pg, repoURL https://...   (info)
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
    if ctx.rendering:
        for r in ctx.rendering.remote:
            yield RULE.finding(
                ctx, file=r.file, line=r.line,
                message=_("Application {name} deploys {source}, which is not in the scanned repository and which "
                          "hdslint does not download: the objects it creates are not checked.", name=r.name,
                          source=r.source),
                attribute=f"application:{r.name}:{r.source}",
            )
