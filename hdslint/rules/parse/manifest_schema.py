"""HDS-PARSE-006 manifest-schema: scalingo.json (or app.json) is not a manifest as Scalingo documents it.

Why: Scalingo reads scalingo.json (or app.json) when it creates a review app or a one-click app;
a value it cannot read means the app is not created as the file says, and hdslint cannot judge
that part. hdslint validates the file against what Scalingo's reference and the app.json format
(which Scalingo says its manifest is compatible with) document: add-ons as objects or strings,
with or without a plan; env values as objects or bare scalars; app.json's success_url, keywords,
buildpacks, environments, image, scripts.pr-predestroy and formation.<type>.quantity.
A documented key with a value of the wrong type is medium; a scalingo.json that is no manifest
at all (none of its keys is documented) is medium, in one finding. A key neither documents, a
stack or container size Scalingo does not list, or a malformed app.json-only key, is a low note:
Scalingo's documentation does not say what it does with it.

Passing example:   {"addons": ["postgresql:postgresql-business-1024", "redis"], "success_url": "/"}
Failing example:   {"formation": {"web": {"amount": "two"}}}
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from hdslint.i18n import Msg, _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

if TYPE_CHECKING:
    from hdslint.formats.scalingo import SchemaProblem

RULE = Rule(
    id="HDS-PARSE-006",
    name="manifest-schema",
    family="parse",
    severity="medium",
    title="scalingo.json does not follow Scalingo's manifest reference",
    basis="Scalingo's app manifest reference (https://developers.scalingo.com/scalingo-json-schema/) and the "
          "app.json format it is compatible with (https://devcenter.heroku.com/articles/app-json-schema)",
    remediation="Fix the manifest as the message says (see https://doc.scalingo.com/platform/app/app-manifest).",
)

# Notes: what Scalingo's documentation does not describe, whose effect it does not say.
NOTES = ("undocumented", "stack", "size", "app.json")


def check(ctx: ScanContext) -> Iterator[Finding]:
    if not ctx.manifests:
        return
    for p in ctx.manifests.schema_errors:
        # the attribute keeps the English path: fingerprints do not depend on the language
        severity = ctx.config.rule_severity(RULE.id, "low") if p.kind in NOTES else None
        remediation = None
        if p.kind == "not_manifest":
            remediation = _("Rename the file if it is not a Scalingo manifest: Scalingo reads scalingo.json at the "
                            "root of the repository (or of PROJECT_DIR) when it creates review apps and one-click "
                            "apps. Otherwise write it as https://doc.scalingo.com/platform/app/app-manifest says.")
        elif p.kind in NOTES:
            remediation = _("Remove it, or use what Scalingo documents "
                            "(https://developers.scalingo.com/scalingo-json-schema/).")
        yield RULE.finding(ctx, file=p.file, line=p.line, attribute=f"schema:{p.path}", message=_message(p),
                           severity=severity, remediation=remediation)


def _message(p: SchemaProblem) -> Msg:
    shown = _("(top level)") if p.path == "(top level)" else p.path
    if p.kind == "not_manifest":
        if p.detail:
            return _("{file} is not a Scalingo manifest: none of its keys ({keys}) is one Scalingo or the app.json "
                     "format documents, so hdslint reads nothing from it.", file=p.file, keys=p.detail)
        return _("{file} is not a Scalingo manifest: Scalingo expects a JSON object, so hdslint reads nothing from "
                 "it.", file=p.file)
    if p.kind == "undocumented":
        return _("{file}: {path} is a key neither Scalingo nor the app.json format documents: hdslint does not read "
                 "it, and Scalingo's documentation does not say what it does with it.", file=p.file, path=shown)
    if p.kind == "stack":
        return _("{file}: stack = {value} is not a Scalingo stack (scalingo-NN or scalingo-NN-minimal); Scalingo's "
                 "documentation does not say what it does with it.", file=p.file, value=p.detail)
    if p.kind == "size":
        return _("{file}: {path} = {value} is not a Scalingo container size (S, M, L, XL, 2XL, 3XL); Scalingo's "
                 "documentation does not say what it does with it.", file=p.file, path=shown, value=p.detail)
    if p.kind == "app.json":
        return _("{file}: {path}: {message} (a key of the app.json format, which Scalingo's documentation does not "
                 "describe).", file=p.file, path=shown, message=p.detail)
    return _("{file}: {path}: {message}", file=p.file, path=shown, message=p.detail)
