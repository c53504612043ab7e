"""HDS-PARSE-004 helm-template: a template (a Helm chart's, or another tool's) is not rendered,
so not checked.

Why: a template such as `replicas: {{ .Values.replicas }}` is not YAML until Helm renders it;
hdslint does not run Helm (it never executes anything from the scanned repository). Render the
chart and pipe the result: `helm template my-release ./chart -f values-prod.yaml | hdslint scan -`
(or `kustomize build overlays/prod | hdslint scan -`). A manifest with `{{ }}` placeholders of
another tool (envsubst, mustache, Jinja) that is not valid YAML as written is reported the same
way rather than as a syntax error: render it, then scan the result.

Passing example:   rendered manifests on standard input
Failing example:   charts/api/templates/deployment.yaml   (info)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-PARSE-004",
    name="helm-template",
    family="parse",
    severity="info",
    title="Template not rendered (Helm chart or other templating)",
    basis="hdslint cannot vouch for code it does not read",
    remediation="helm template RELEASE CHART -f VALUES | hdslint scan -",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    if not ctx.kubernetes:
        return
    for p in ctx.kubernetes.helm_templates:
        if p.message == "template":
            yield RULE.finding(
                ctx, file=p.file, line=p.line, attribute="file",
                message=_("{file} is a template ({{{{ }}}} placeholders) that is not YAML as written: render it with "
                          "its tool and pipe the result into `hdslint scan -`.", file=p.file))
            continue
        chart = p.file.rsplit("/templates/", 1)[0] if "/templates/" in p.file else "."
        yield RULE.finding(
            ctx, file=p.file, line=p.line, attribute="file",
            message=_("{file} is a Helm template: hdslint does not render charts. Run "
                      "`helm template my-release {chart} | hdslint scan -` to check the rendered manifests.",
                      file=p.file, chart=chart))
