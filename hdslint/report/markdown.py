"""--format markdown: a pull-request comment or job summary, with the coverage matrix."""
from __future__ import annotations

from hdslint.coverage import matrix
from hdslint.model import SEVERITIES
from hdslint.report.summary import summary

ICON = {"covered": "✅ certified", "declared": "✅ declared", "not_covered": "❌ not covered",
        "expired": "❌ expired", "unknown": "❔ unknown"}


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(result, options) -> str:
    s = summary(result, options.fail_on)
    verdict = (f"❌ **{s['failing']} finding(s) at or above {options.fail_on}**" if s["failing"]
               else f"✅ nothing at or above {options.fail_on}")
    out = ["## hdslint: HDS compliance", "", verdict, ""]
    out.append("| " + " | ".join(SEVERITIES) + " | suppressed |")
    out.append("|" + "---|" * (len(SEVERITIES) + 1))
    out.append("| " + " | ".join(str(s["by_severity"][x]) for x in SEVERITIES) + f" | {s['suppressed']} |")
    rows = matrix(result.context.coverage)
    providers = sorted({c["provider"] for r in rows for c in r["providers"]})
    if providers:
        out += ["", "### Coverage of the six HDS perimeters", "",
                "| perimeter | " + " | ".join(providers) + " |", "|---|" + "---|" * len(providers)]
        for r in rows:
            cells = {c["provider"]: ICON[c["status"]] for c in r["providers"]}
            out.append(f"| {r['perimeter']}. {r['name']} | " + " | ".join(cells.get(p, "—") for p in providers) + " |")
    active = [f for f in result.findings if not f.suppressed]
    if active:
        out += ["", "### Findings", "", "| severity | rule | resource | location | message |", "|---|---|---|---|---|"]
        for f in active:
            out.append(f"| {f.severity} | {f.rule_id} | {_cell(f.resource or '—')} | `{_cell(f.file)}:{f.line}` "
                       f"| {_cell(f.message)} |")
    files = s["files"]
    out += ["", f"{s['resources']} resources from {files['discovered']} files ({files['analysed']} analysed, "
                f"{files['reported']} reported)."]
    return "\n".join(out) + "\n"
