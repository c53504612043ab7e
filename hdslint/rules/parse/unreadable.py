"""HDS-PARSE-001 unreadable-file: a file that could not be read or understood.

Why: a file hdslint cannot read is a file it cannot vouch for. Other linters skip such
files and exit 0 (checkov#5248, kube-linter#41), giving a false sense of compliance;
hdslint reports each one with its line, and goes on with the rest of the scan.

Causes: a syntax error; a binary file or an undecodable encoding behind a .tf or .json
name; nesting too deep; a file above the size limit (max_file_size); a symbolic link
pointing outside the scanned directory (never followed); a path that does not exist.

Passing example:   resource "aws_s3_bucket" "b" { bucket = "x" }
Failing example:   resource "aws_s3_bucket" "b" { bucket = "x"      (no closing brace)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-PARSE-001",
    name="unreadable-file",
    family="parse",
    severity="high",
    title="File could not be read or understood",
    basis="hdslint cannot vouch for code it cannot read",
    remediation="Fix the syntax error (terraform validate shows the same), or exclude the file in .hdslint.yaml "
                "if it is not infrastructure code.",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    for p in ctx.problems:
        yield RULE.finding(ctx, file=p.file, line=max(p.line, 1), message=p.message, attribute="file")
