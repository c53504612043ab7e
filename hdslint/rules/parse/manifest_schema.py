"""HDS-PARSE-006 manifest-schema: scalingo.json (or app.json) does not follow Scalingo's schema.

Why: Scalingo ignores or rejects what its schema does not know, so the review app or one-click
app is not created as the file says. hdslint validates against Scalingo's schema, relaxed for
what the documentation allows beyond it (firewall_rules, scripts.postdeploy, newer stacks,
add-ons as strings), and reports each problem with its JSON path and line.

Passing example:   {"addons": [{"plan": "postgresql:postgresql-business-1024"}]}
Failing example:   {"addons": [{"plan": "postgresql"}]}
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-PARSE-006",
    name="manifest-schema",
    family="parse",
    severity="medium",
    title="scalingo.json does not follow Scalingo's schema",
    basis="Scalingo's app manifest reference (https://developers.scalingo.com/scalingo-json-schema/)",
    remediation="Fix the manifest as the message says (see https://doc.scalingo.com/platform/app/app-manifest).",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    if not ctx.manifests:
        return
    for file, line, path, message in ctx.manifests.schema_errors:
        # the attribute keeps the English path: fingerprints do not depend on the language
        shown = _("(top level)") if path == "(top level)" else path
        yield RULE.finding(ctx, file=file, line=line, attribute=f"schema:{path}",
                           message=_("{file}: {path}: {message}", file=file, path=shown, message=message))
