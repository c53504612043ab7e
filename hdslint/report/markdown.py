"""--format markdown: a pull-request comment or job summary, with the coverage matrix."""
from __future__ import annotations

from typing import TYPE_CHECKING

from hdslint.analysis.coverage import matrix
from hdslint.i18n import say as _
from hdslint.model import SEVERITIES
from hdslint.report import labels
from hdslint.report.escape import markdown, markdown_code
from hdslint.report.open_items import open_items, topic
from hdslint.report.summary import summary

if TYPE_CHECKING:
    from hdslint.report import RenderOptions
    from hdslint.rules.context import ScanResult

ICON = {"covered": "✅", "declared": "✅", "not_covered": "❌", "expired": "❌", "unknown": "❔", "unverified": "☑️"}


def render(result: ScanResult, options: RenderOptions) -> str:
    s = summary(result, options.fail_on)
    fail_on = labels.severity(options.fail_on) if options.fail_on != "none" else "none"
    verdict = ("❌ **" + _("{count} finding(s) at or above {severity}", count=s["failing"], severity=fail_on) + "**"
               if s["failing"] else "✅ " + _("nothing at or above {severity}", severity=fail_on))
    if not s["files"]["discovered"]:
        verdict = "⚠️ **" + labels.nothing_checked() + "**"
    out = ["## " + _("hdslint: HDS compliance"), "", verdict, ""]
    out.append("| " + " | ".join(labels.severity(x) for x in SEVERITIES) + " | " + _("suppressed") + " |")
    out.append("|" + "---|" * (len(SEVERITIES) + 1))
    out.append("| " + " | ".join(str(s["by_severity"][x]) for x in SEVERITIES) + f" | {s['suppressed']} |")
    rows = matrix(result.context.coverage)
    providers = sorted({c["provider"] for r in rows for c in r["providers"]})
    if providers:
        out += ["", "### " + _("Coverage of the six HDS perimeters"), "",
                "| " + _("perimeter") + " | " + " | ".join(markdown(p) for p in providers) + " |",
                "|---|" + "---|" * len(providers)]
        for r in rows:
            cells = {c["provider"]: f"{ICON[c['status']]} {labels.status(c['status'])}" for c in r["providers"]}
            out.append(f"| {r['perimeter']}. {labels.perimeter_name(r['perimeter'])} | "
                       + " | ".join(cells.get(p, "—") for p in providers) + " |")
    active = [f for f in result.findings if not f.suppressed]
    if active:
        out += ["", "### " + _("Findings"), "",
                "| " + " | ".join([_("severity"), _("rule"), _("resource"), _("location"), _("message")]) + " |",
                "|---|---|---|---|---|"]
        for f in active:
            out.append(f"| {labels.severity(f.severity)} | {markdown(f.rule_id)} | {markdown(f.resource or '—')} "
                       f"| {markdown_code(f'{f.file}:{f.line}')} | {markdown(f.message)} |")
    items = open_items(result.context, result.findings)
    if items:
        # folded: a pull-request comment stays short, the auditor's list is one click away
        out += ["", f"<details><summary>{markdown(_('Open items for the audit'))} ({len(items)})</summary>", ""]
        out += [f"- **{markdown(topic(i.topic))}**: {markdown(i.text)}" for i in items]
        out += ["", "</details>"]
    files = s["files"]
    out += ["", _("{resources} resources from {discovered} files ({analysed} analysed, {reported} reported).",
                  resources=s["resources"], **files)]
    trace = result.trace
    if trace.get("commit"):
        dirty = _(" (with uncommitted changes)") if trace.get("dirty") else ""
        commit, digest = markdown_code(trace["commit"]), markdown_code(str(trace.get("inputs_sha256")))
        out += ["", _("Scanned at commit {commit}{dirty}; inputs SHA-256 {digest}.", commit=commit, dirty=dirty,
                      digest=digest)]
    return "\n".join(out) + "\n"
