"""--format sarif: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

URIs are relative to the scan root under %SRCROOT% (never absolute); every rule evaluated
is listed with help text, tags, perimeters and a numeric security-severity (GitHub needs it
to show a severity); results carry partialFingerprints that survive line shifts, the Terraform
address as a logical location, the resolution chain as related locations, and suppressed
results stay with their justification.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hdslint import __version__
from hdslint.i18n import say_text as text
from hdslint.report import jsontext
from hdslint.report.escape import sarif
from hdslint.report.open_items import open_items
from hdslint.rules import reported_rules

if TYPE_CHECKING:
    from hdslint.report import RenderOptions
    from hdslint.rules.context import ScanResult

INFORMATION_URI = "https://github.com/hdslint/hdslint"
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def _location(file: str, line: int) -> dict:
    return {"physicalLocation": {"artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"},
                                 "region": {"startLine": max(int(line or 1), 1)}}}


def render(result: ScanResult, options: RenderOptions) -> str:
    ctx = result.context
    rules = reported_rules(ctx)
    index = {r.id: i for i, r in enumerate(rules)}
    driver_rules = []
    for r in rules:
        severity = ctx.severity_of(r)
        title, basis, remediation = text(r.title), text(r.basis), text(r.remediation)
        driver_rules.append({
            "id": r.id,
            "name": _pascal(r.name),
            "shortDescription": {"text": title},
            "fullDescription": {"text": r.doc.split("\n\n")[1] if "\n\n" in r.doc else title},
            "help": {"text": f"{r.doc}\n\nBasis: {basis}\nRemediation: {remediation}",
                     "markdown": f"**{title}**\n\n{r.doc}\n\n**Basis:** {basis}\n\n**Remediation:** {remediation}"},
            "defaultConfiguration": {"level": LEVEL[severity]},
            "properties": {
                "security-severity": SECURITY_SEVERITY[severity],
                "problem.severity": LEVEL[severity] if LEVEL[severity] != "note" else "recommendation",
                "precision": "high",
                "tags": ["security", "hds", "compliance", r.family] + (["checkov"] if r.id.startswith("CKV") else []),
                "hds.family": r.family,
                "hds.perimeters": list(r.perimeters),
                "hds.basis": basis,
            },
        })
    results = []
    for f in result.findings:
        item: dict[str, Any] = {
            "ruleId": f.rule_id,
            "ruleIndex": index.get(f.rule_id, 0),
            "level": LEVEL[f.severity],
            "message": {"text": sarif(f"{f.message} Fix: {f.remediation}")},
            "locations": [_location(f.file, f.line)],
            "partialFingerprints": {"hdslint/v1": f.fingerprint},
            "properties": {"severity": f.severity, "family": f.family, "perimeters": list(f.perimeters),
                           "basis": f.basis, "source": f.source},
        }
        if f.related:
            item["properties"]["checkov_ids"] = list(f.related)
        if f.resource:
            item["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": f.resource, "kind": "resource"}]
        related = [h for h in f.chain if h.file and not h.file.startswith("<") and h.line]
        if related:
            item["relatedLocations"] = [
                {"id": i + 1, **_location(h.file, h.line), "message": {"text": sarif(h.text)}}
                for i, h in enumerate(related)]
        if f.suppressed and f.suppression:
            s = f.suppression
            justification = s.get("reason") or ""
            if s.get("until"):
                justification += f" (until {s['until']})"
            item["suppressions"] = [{"kind": "inSource" if s.get("kind") == "inline" else "external",
                                     "status": "accepted", "justification": justification}]
        results.append(item)
    exit_code = 1 if result.failing(options.fail_on) else 0
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "hdslint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": driver_rules}},
            "automationDetails": {"id": "hdslint/"},
            "columnKind": "utf16CodeUnits",
            "results": results,
            "invocations": [{
                "executionSuccessful": True,
                "exitCode": exit_code,
                "exitCodeDescription": "findings at or above the fail threshold" if exit_code else "no failing finding",
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": sarif(p.message)}, "locations": [_location(p.file, p.line)]}
                    for p in ctx.problems if p.file
                ],
            }],
            # what an auditor traces the run to (commit, input hashes) and what the code cannot show
            "properties": {
                "hds.scan": {k: v for k, v in result.trace.items() if k not in ("paths", "inputs")},
                "hds.open_items": [item.as_dict() for item in open_items(ctx, result.findings)],
            },
        }],
    }
    return jsontext.dumps(doc) + "\n"
