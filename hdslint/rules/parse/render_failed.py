"""HDS-PARSE-007 render-failed: a Helm chart or a kustomization that could not be rendered as
the code asks, so not checked.

Why: hdslint renders charts and kustomizations (with their ArgoCD Applications' values) before
checking them. When that fails, what would be deployed is unknown: a dependency that is not
vendored (hdslint never runs `helm dependency build`: it downloads), values that a template
rejects, a values file an Application names that does not exist, a remote kustomize base
(never fetched), a symbolic link out of the scanned directory, a rendering past its time budget
(kubernetes.render_time_budget). The finding gives the program's own message, at the template
line it names when it names one; the rest of the scan goes on.

Passing example:   a chart whose dependencies are vendored under charts/ and whose values render
Failing example:   Chart.yaml lists a dependency that is not under charts/   (medium)
"""
from __future__ import annotations

from collections.abc import Iterator

from hdslint.i18n import _
from hdslint.model import Finding, Rule
from hdslint.rules.context import ScanContext

RULE = Rule(
    id="HDS-PARSE-007",
    name="render-failed",
    family="parse",
    severity="medium",
    title="Helm chart or kustomization could not be rendered",
    basis="hdslint cannot vouch for code it cannot read",
    remediation="Fix what the message says (vendor the chart's dependencies with `helm dependency build` and commit "
                "charts/, fix the values or the Application), or render it yourself and pipe the result into "
                "`hdslint scan -`.",
)


def check(ctx: ScanContext) -> Iterator[Finding]:
    if not ctx.rendering:
        return
    from hdslint.formats.targets import FAILED  # imported by scans that render

    for r in ctx.rendering.renderings:
        if r.state != FAILED:
            continue
        t = r.target
        if t.app is not None and t.kind == "helm":
            message = _("The Helm chart {path} could not be rendered as {kind} {name} asks (`{command}`): {reason}",
                        path=t.path, kind=t.app.kind, name=t.app.name, command=r.command, reason=r.reason)
        elif t.app is not None:
            message = _("The kustomization {path} could not be built as {kind} {name} asks (`{command}`): {reason}",
                        path=t.path, kind=t.app.kind, name=t.app.name, command=r.command, reason=r.reason)
        elif t.kind == "helm":
            message = _("The Helm chart {path} could not be rendered (`{command}`): {reason}", path=t.path,
                        command=r.command, reason=r.reason)
        else:
            message = _("The kustomization {path} could not be built (`{command}`): {reason}", path=t.path,
                        command=r.command, reason=r.reason)
        yield RULE.finding(ctx, file=r.file, line=max(r.line, 1), message=message,
                           attribute=f"{t.kind}:{t.path}:{t.app.name if t.app else ''}")
