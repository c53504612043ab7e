"""HDS-EXP-002 review-app-exposure: review apps that reach production health data.

Why: review apps run the code of a pull request, often from a fork, with less scrutiny than
production. Giving them the parent app's database credentials (`copy_parent_database_urls: true`
in scalingo.json), or creating them automatically for pull requests from forks on an app holding
health data (`automatic_creation_from_forks_allowed = true` on scalingo_scm_repo_link), lets
unreviewed code read health data. ISO/IEC 27001:2022 A.8.31 asks that development, test and
production environments be separated. Scalingo documents both settings; that they expose health
data is hdslint's reading, not a Scalingo HDS condition.

Passing example:   "copy_parent_database_urls": false
Failing example:   "copy_parent_database_urls": true
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Resource, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-EXP-002",
    name="review-app-exposure",
    family="exposure",
    severity="medium",
    title="Review apps can reach production health data",
    basis="ISO/IEC 27001:2022 A.8.31 (separation of environments) through the certified ISMS (HDS EXI 01)",
    remediation="Give review apps their own database with synthetic data, and do not create them automatically "
                "from forks.",
    looks_at="resource",
    types=("scalingo_manifest", "scalingo_scm_repo_link"),
)


def check(ctx: ScanContext, res: Resource) -> Iterator[Finding]:
    if res.type == "scalingo_manifest":
        for v in res.values("copy_parent_database_urls"):
            if v.value is True or str(v.value).lower() == "true":
                yield RULE.finding(ctx, resource=res, file=res.file, line=v.line or res.line,
                                   attribute="copy_parent_database_urls",
                                   message=_("{file}: copy_parent_database_urls is true: review apps get the "
                                             "parent app's database credentials.", file=res.file))
    elif res.type == "scalingo_scm_repo_link":
        for v in res.values("automatic_creation_from_forks_allowed"):
            if v.value is True:
                yield RULE.finding(ctx, resource=res, file=res.file, line=v.line or res.line,
                                   attribute="automatic_creation_from_forks_allowed",
                                   message=_("{address} creates review apps automatically from forks' pull "
                                             "requests.", address=res.address))
