"""--format junit: JUnit XML for CI test reports.

One test suite per rule; one test case per rule and resource (or file) found at fault, failed;
suppressed findings are skipped test cases with their reason; a rule with no finding is one
passing test case, so the report lists every rule that ran.
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from hdslint.i18n import say_text as text
from hdslint.report.escape import visible
from hdslint.rules import reported_rules

if TYPE_CHECKING:
    from hdslint.report import RenderOptions
    from hdslint.rules.context import ScanResult


def render(result: ScanResult, options: RenderOptions) -> str:
    ctx = result.context
    by_rule: dict = {}
    for f in result.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    suites = []
    total = failures = skipped = 0
    for rule in reported_rules(ctx):
        cases = []
        findings = by_rule.get(rule.id, [])
        for f in findings:
            # values from the scanned code: one line each, no character XML 1.0 forbids
            file, message = visible(f.file), visible(f.message)
            name = visible(f.resource) or f"{file}:{f.line}"
            attrs = f"classname={quoteattr(rule.id)} name={quoteattr(name)} file={quoteattr(file)} line=\"{f.line}\""
            if f.suppressed:
                reason = visible((f.suppression or {}).get("reason", ""))
                skipped_as = quoteattr("suppressed: " + reason)
                cases.append(f"    <testcase {attrs}><skipped message={skipped_as}/></testcase>")
            else:
                body = escape(f"{file}:{f.line}\n{message}\nFix: {visible(f.remediation)}")
                cases.append(f"    <testcase {attrs}><failure type={quoteattr(f.severity)} "
                             f"message={quoteattr(message)}>{body}</failure></testcase>")
        if not findings:
            cases.append(f"    <testcase classname={quoteattr(rule.id)} name={quoteattr('no finding')}/>")
        n_fail = sum(1 for f in findings if not f.suppressed)
        n_skip = sum(1 for f in findings if f.suppressed)
        total += len(cases)
        failures += n_fail
        skipped += n_skip
        suites.append(f"  <testsuite name={quoteattr(rule.id + ' ' + text(rule.title))} tests=\"{len(cases)}\" "
                      f"failures=\"{n_fail}\" errors=\"0\" skipped=\"{n_skip}\">\n"
                      + "\n".join(cases) + "\n  </testsuite>")
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hdslint" tests="{total}" '
            f'failures="{failures}" errors="0" skipped="{skipped}">')
    return head + "\n" + "\n".join(suites) + "\n</testsuites>\n"
