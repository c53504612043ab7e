"""HDS-PARSE-005 internal-error: hdslint failed while analysing part of the scan.

Why: a bug in hdslint must not pass for a clean result, nor stop the rest of the scan. The
part that failed (a module, a plan, a rule) is reported with the error, and everything else is
still checked. Please report it with the message.

Passing example:   (no internal error)
Failing example:   an unexpected input shape hdslint did not handle
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-PARSE-005",
    name="internal-error",
    family="parse",
    severity="high",
    title="hdslint could not analyse part of the scan (internal error)",
    basis="hdslint cannot vouch for what it could not analyse",
    remediation="Report the message to the hdslint maintainers; meanwhile review that part by hand.",
    phase="last",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    for file, line, where, error in ctx.internal_errors:
        yield RULE.finding(ctx, file=file, line=line, attribute=f"internal:{where}",
                           message=_("hdslint failed while analysing {where}: {error}. The rest of the scan "
                                     "went on; please report this.", where=where, error=error))
