"""HDS-PARSE-004 helm-template: a Helm chart template is not rendered, so not checked.

Why: a template such as `replicas: {{ .Values.replicas }}` is not YAML until Helm renders it;
hdslint does not run Helm (it never executes anything from the scanned repository). Render the
chart and pipe the result: `helm template my-release ./chart -f values-prod.yaml | hdslint scan -`
(or `kustomize build overlays/prod | hdslint scan -`).

Passing example:   rendered manifests on standard input
Failing example:   charts/api/templates/deployment.yaml   (info)
"""
from __future__ import annotations

from hdslint.i18n import _
from hdslint.rules import Rule

RULE = Rule(
    id="HDS-PARSE-004",
    name="helm-template",
    family="parse",
    severity="info",
    title="Helm template not rendered",
    basis="hdslint cannot vouch for code it does not read",
    remediation="helm template RELEASE CHART -f VALUES | hdslint scan -",
)


def check(ctx):
    if not ctx.kubernetes:
        return
    for p in ctx.kubernetes.helm_templates:
        chart = p.file.rsplit("/templates/", 1)[0] if "/templates/" in p.file else "."
        yield RULE.finding(
            ctx, file=p.file, line=p.line, attribute="file",
            message=_("{file} is a Helm template: hdslint does not render charts. Run "
                      "`helm template my-release {chart} | hdslint scan -` to check the rendered manifests.",
                      file=p.file, chart=chart))
