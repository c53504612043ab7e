"""HDS-PARSE-003 missing-module: a local module that does not exist or calls itself.

Why: `source = "./modules/db"` pointing at a missing directory fails `terraform init`; the
resources of that module cannot be checked. A module that calls itself (directly or through
others) is not expanded.

Passing example:   module "db" { source = "./modules/db" }   (directory present)
Failing example:   module "db" { source = "./modules/missing" }
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-PARSE-003",
    name="missing-module",
    family="parse",
    severity="high",
    title="Local module missing or recursive",
    basis="hdslint cannot vouch for code it cannot read",
    remediation="Fix the module source path.",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    for p in ctx.terraform.missing_modules:
        yield RULE.finding(ctx, file=p.file, line=p.line, message=p.message, attribute="module")
