"""checkov as a peer program: run it, or read the JSON report it made, and place its findings
on the HDS map (policies/checkov/mapping.yaml).

checkov lives in its own environment (its HCL parser fork clashes with python-hcl2), so it is
only ever a separate process. Its failed checks that the mapping knows become findings of an
hdslint family, with the mapping's severity and basis. Where hdslint already reports the same
thing on the same resource (a rule of the theme's `same_as`), hdslint's finding stands and
carries checkov's check id; where hdslint judged the resource compliant on that theme (a
provider default, a companion resource), checkov's finding is kept at `info` with hdslint's
reason. Checks the mapping does not hold are counted, not imported.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Any

from hdslint.i18n import Msg, Text, _, text
from hdslint.knowledge.checkov import mapping, rule_for
from hdslint.model import Finding, Rule

if TYPE_CHECKING:
    from hdslint.model.findings import Finding
    from hdslint.model.resources import Resource
    from hdslint.rules.context import ScanContext

TIMEOUT_SECONDS = 1800
# what checkov reads that hdslint reads too; other frameworks (secrets, dockerfile...) are not ours
FRAMEWORKS = ("terraform", "terraform_json", "terraform_plan", "kubernetes")
FILE_SUFFIXES = (".tf", ".tf.json", ".json", ".yaml", ".yml")
# the verdict hdslint keeps for a theme, to tell when checkov contradicts a judged resource
VERDICT_OF_THEME = {"at_rest": "at_rest", "in_transit": "in_transit", "backup": "backup", "backup_site": "backup"}


def _compliant(theme: str, site: str) -> Msg:
    return {
        "at_rest": _("encrypted at rest"), "in_transit": _("encrypted in transit"), "backup": _("backed up"),
        "backup_site": _("backed up on a separate site (backup.separate_site: {site})", site=site),
    }[theme]


class CheckovError(Exception):
    """checkov is missing, failed, or its report cannot be read: exit code 2."""


def _how(how: str) -> Text:
    return {"explicit": _("set in the code"), "companion": _("set by a related resource"),
            "default": _("the provider's default"), "always": _("always on for this service")}.get(how, how)


# ---- getting reports --------------------------------------------------------------------------------

def find_binary(explicit: str | None) -> str:
    if explicit:
        if not (os.path.isfile(explicit) and os.access(explicit, os.X_OK)):
            raise CheckovError(f"--checkov-bin {explicit}: not an executable file")
        return explicit
    found = shutil.which("checkov")
    if not found:
        raise CheckovError("checkov is not on PATH: install it in its own environment "
                           "(pipx install checkov, or a virtual environment) and give --checkov-bin PATH")
    return found


def commands(binary: str, paths: list[str]) -> list[list[str]]:
    """checkov takes directories (-d) or files (-f), not both in one run."""
    # not --quiet: it drops the skipped checks, whose suppression reasons we import
    base = [binary, "--output", "json", "--compact", "--soft-fail", "--skip-download",
            "--framework", *FRAMEWORKS]
    dirs = [p for p in paths if os.path.isdir(p)]
    files = [p for p in paths if os.path.isfile(p) and p.endswith(FILE_SUFFIXES)]
    out = []
    if dirs:
        out.append(base + [arg for d in dirs for arg in ("--directory", d)])
    if files:
        out.append(base + [arg for f in files for arg in ("--file", f)])
    return out


def run(paths: list[str], binary: str | None = None, timeout: float = TIMEOUT_SECONDS) -> list:
    """checkov's reports on the same targets as the scan."""
    exe = find_binary(binary)
    reports = []
    for cmd in commands(exe, [p for p in paths if p != "-"]):
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise CheckovError(f"checkov did not finish within {timeout:g} s") from None
        except OSError as e:
            raise CheckovError(f"checkov could not be started ({exe}): {e.strerror or e}") from None
        if proc.returncode != 0:  # --soft-fail: failed checks exit 0, anything else is checkov failing
            tail = "\n  ".join((proc.stderr or proc.stdout).strip().splitlines()[-5:])
            raise CheckovError(f"checkov exited with code {proc.returncode}:\n  {tail}")
        reports.extend(parse_report(proc.stdout, "checkov's output"))
    return reports


def read_report(path: str) -> list:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise CheckovError(f"--checkov-report {path}: cannot be read: {getattr(e, 'strerror', None) or e}") from None
    return parse_report(text, path)


def parse_report(text: str, where: str) -> list:
    """checkov's JSON: one report object, a list of them (several frameworks), or a bare
    summary when it found nothing to scan."""
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    try:
        doc = json.loads(text[start:] if start > 0 else text)
    except ValueError as e:
        raise CheckovError(f"{where} is not checkov JSON ({e})") from None
    docs = doc if isinstance(doc, list) else [doc]
    reports = []
    for d in docs:
        if not isinstance(d, dict):
            raise CheckovError(f"{where} is not a checkov JSON report (expected objects)")
        if "results" not in d:
            if "passed" in d and "failed" in d:  # nothing scanned: a summary alone
                continue
            raise CheckovError(f"{where} is not a checkov JSON report (no 'results')")
        if not isinstance(d["results"], dict):
            raise CheckovError(f"{where}: 'results' is not an object")
        reports.append(d)
    return reports


# ---- merging -----------------------------------------------------------------------------------------

@dataclasses.dataclass
class Imported:
    findings: list
    rules: dict  # check id -> Rule, for the reports
    summary: dict


def _address(report_type: str, resource: str) -> str:
    """checkov names Kubernetes objects Kind.namespace.name; hdslint Kind/namespace/name."""
    if report_type == "kubernetes":
        parts = resource.split(".", 2)
        return "/".join(parts)
    return resource


def _relative(entry: dict, root: str) -> str:
    for key in ("file_abs_path", "repo_file_path"):
        p = entry.get(key)
        if p and os.path.isabs(p):
            rel = os.path.relpath(os.path.realpath(p), os.path.realpath(root))
            if not rel.startswith(".."):
                return rel.replace(os.sep, "/")
    return str(entry.get("file_path") or "").lstrip("/")


def _match(address: str, file: str, line: int, by_address: dict[str, Resource],
           by_file: dict[str, list[Resource]]) -> Resource | None:
    res = by_address.get(address)
    if res is None and address.count("/") == 2 and address.split("/")[1] == "default":
        kind, _ns, name = address.split("/")
        res = by_address.get(f"{kind}/{name}")  # a cluster-scoped object, or the default namespace
    if res is None:  # the same block, whatever the naming (count/for_each instances, plans)
        inside = [r for r in by_file.get(file, ()) if r.line <= line <= max(r.end_line, r.line)]
        res = inside[0] if len(inside) == 1 else None
    return res


def merge(reports: list[dict[str, Any]], ctx: ScanContext, findings: list[Finding]) -> Imported:
    """checkov's failed (and skipped) checks as Findings; hdslint's own findings that judge
    the same thing get the check id instead (findings is updated in place)."""
    table = mapping()
    by_address = {r.address: r for r in ctx.resources}
    by_file: dict[str, list[Resource]] = {}
    for r in ctx.resources:
        by_file.setdefault(r.file, []).append(r)
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, f in enumerate(findings):
        if f.resource:
            by_key.setdefault((f.resource, f.rule_id), []).append(i)
    out: list[Finding] = []
    rules: dict[str, Rule] = {}
    counts = {"imported": 0, "merged": 0, "downgraded": 0, "not_mapped": 0, "passed": 0, "disabled": 0,
              "parsing_errors": 0}
    versions: set[str] = set()
    for report in reports:
        rtype = str(report.get("check_type", ""))
        summ = report.get("summary") or {}
        if summ.get("checkov_version"):
            versions.add(str(summ["checkov_version"]))
        results = report["results"]
        counts["passed"] += len(results.get("passed_checks") or [])
        counts["parsing_errors"] += len(results.get("parsing_errors") or [])
        for status in ("failed_checks", "skipped_checks"):
            for entry in results.get(status) or []:
                if not isinstance(entry, dict):
                    continue
                cid = str(entry.get("check_id", ""))
                if cid not in table["checks"]:
                    counts["not_mapped"] += 1
                    continue
                if not ctx.config.rule_enabled(cid):
                    counts["disabled"] += 1
                    continue
                imported = _finding(entry, cid, rtype, status == "skipped_checks", ctx, (by_address, by_file),
                                    findings, by_key, counts)
                if imported is not None:
                    rules.setdefault(cid, rule_for(cid, str(entry.get("check_name") or ""),
                                                   str(entry.get("guideline") or "")))
                    out.append(imported)
    counts["imported"] = len(out)
    summary = {"versions": sorted(versions), **counts}
    return Imported(out, rules, summary)


def _finding(entry: dict[str, Any], cid: str, rtype: str, skipped: bool, ctx: ScanContext,
             index: tuple[dict[str, Resource], dict[str, list[Resource]]], findings: list[Finding],
             by_key: dict[tuple[str, str], list[int]], counts: dict[str, int]) -> Finding | None:
    table = mapping()
    spec = table["checks"][cid]
    theme_name = spec["theme"]
    theme = table["themes"][theme_name]
    file = _relative(entry, ctx.root)
    lines = entry.get("file_line_range") or [1, 1]
    line = int(lines[0]) if isinstance(lines, list) and lines and isinstance(lines[0], int) and lines[0] > 0 else 1
    address = _address(rtype, str(entry.get("resource") or ""))
    res = _match(address, file, line, *index)
    if res is not None:
        address = res.address
    if not skipped:
        same = [i for rid in theme["same_as"] for i in by_key.get((address, rid), [])]
        if same:
            for i in same:
                f = findings[i]
                findings[i] = dataclasses.replace(f, related=tuple(sorted({*f.related, cid})))
            counts["merged"] += 1
            return None
    title = str(entry.get("check_name") or cid)
    severity = ctx.config.rule_severity(cid, spec.get("severity", theme["severity"]))
    # checkov's title and the mapping's note stay in English: they are checkov's words
    message: Text = f"checkov {cid}: {title}" + ("" if title.endswith(".") else ".")
    if spec.get("note"):
        message += f" ({spec['note']})"
    kind = VERDICT_OF_THEME.get(theme_name)
    if res is not None and kind and not skipped:
        # no same_as finding on the resource (else merged above): hdslint judged it compliant
        verdict = ctx.verdict(res, kind)
        if verdict is not None and verdict.state == "on":
            severity = "info"
            counts["downgraded"] += 1
            message += " " + _("hdslint finds it {how}: {detail} ({source}).",
                               how=_compliant(theme_name, ctx.config.separate_site), detail=verdict.detail,
                               source=_how(verdict.how))
    remediation: Text = text(theme["remediation"])
    if entry.get("guideline"):
        remediation += " " + _("Guideline: {url}", url=entry["guideline"])
    perimeters = theme.get("perimeters") or ((res.facts or {}).get("perimeters", ()) if res is not None else ())
    finding = Finding(rule_id=cid, family=theme["family"], severity=severity, file=file, line=line,
                      message=message, remediation=remediation, resource=address,
                      perimeters=tuple(sorted(perimeters)), basis=text(theme["basis"]), source="checkov")
    if skipped:
        reason = str((entry.get("check_result") or {}).get("suppress_comment") or "skipped in checkov")
        finding.suppressed = True
        finding.suppression = {"kind": "checkov", "reason": reason}
    return finding
