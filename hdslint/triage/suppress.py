"""Inline suppressions: `hdslint:ignore RULE_ID[,RULE_ID] reason="..." until=YYYY-MM-DD`.

A suppression sits in a comment on the lines directly above a resource or inside its block.
The reason is mandatory: without one the finding stays and the comment is reported
(HDS-SUP-001). Past its `until` date the finding comes back and the comment is reported
(HDS-SUP-002). Suppressed findings are kept, marked suppressed, in every report.
"""
from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hdslint.i18n import Text, _

if TYPE_CHECKING:
    from hdslint.rules.context import ScanContext

_MARK = re.compile(r"hdslint:ignore\b(?P<rest>.*)$")
_IDS = re.compile(r"\s*(?P<ids>[A-Za-z0-9_*\-]+(?:\s*,\s*[A-Za-z0-9_*\-]+)*)")
_REASON = re.compile(r"""reason\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
_UNTIL = re.compile(r"until\s*=\s*(?P<date>\S+)")
_RULE_ID = re.compile(r"^(HDS-[A-Z]+-(\d{3}|\*)|CKV2?_[A-Z0-9]+_\d+)$")  # checkov ids for --checkov


@dataclass
class Suppression:
    file: str
    line: int
    rule_ids: list[str]
    reason: str | None
    until: dt.date | None
    problem: Text | None = None  # why this comment cannot suppress anything
    text: str = ""  # the comment, for fingerprints that survive line shifts

    def covers(self, rule_id: str) -> bool:
        return any(fnmatch.fnmatchcase(rule_id, pattern) for pattern in self.rule_ids)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": "inline", "file": self.file, "line": self.line, "reason": self.reason}
        if self.until:
            d["until"] = self.until.isoformat()
        return d


def parse_comment(file: str, line: int, text: str) -> Suppression | None:
    m = _MARK.search(text)
    if not m:
        return None
    rest = m.group("rest")
    ids_match = _IDS.match(rest)
    ids = [i.strip() for i in ids_match.group("ids").split(",")] if ids_match else []
    reason_m = _REASON.search(rest)
    reason = (reason_m.group("dq") if reason_m.group("dq") is not None else reason_m.group("sq")) if reason_m else None
    until = None
    problem = None
    until_m = _UNTIL.search(rest)
    if until_m:
        try:
            until = dt.date.fromisoformat(until_m.group("date").strip("\"'"))
        except ValueError:
            problem = _("until={value} is not a date (YYYY-MM-DD)", value=until_m.group("date"))
    if not ids or any(not _RULE_ID.match(i) for i in ids) or ids == ["*"]:
        problem = _("names no rule id (expected e.g. hdslint:ignore HDS-LOC-001 reason=\"...\"): {comment}",
                    comment=repr(rest.strip()))
    elif not all(_known(i) for i in ids):
        problem = _("names a rule hdslint does not have ({ids})", ids=", ".join(i for i in ids if not _known(i)))
    elif reason is None or not reason.strip():
        problem = _("has no reason: write reason=\"why this is acceptable\"")
    return Suppression(file, line, ids, reason, until, problem, " ".join(m.group().split()))


def _known(pattern: str) -> bool:
    from hdslint.knowledge.checkov import is_mapped
    from hdslint.rules import all_rules

    return is_mapped(pattern) or any(fnmatch.fnmatchcase(m.RULE.id, pattern) for m in all_rules())


def collect(comments: dict) -> dict:
    """file -> {line: Suppression} from the comments recorded by the parsers."""
    out: dict = {}
    for file, items in comments.items():
        for line, text in items:
            s = parse_comment(file, line, text)
            if s is not None:
                out.setdefault(file, {})[line] = s
    return out


def _candidates(by_line: dict, comment_lines: set, start: int, end: int) -> list:
    """Suppressions inside [start, end] and in the run of comment lines just above start."""
    found = [s for ln, s in by_line.items() if start <= ln <= end]
    ln = start - 1
    while ln in comment_lines:
        if ln in by_line:
            found.append(by_line[ln])
        ln -= 1
    return found


def apply(findings: list, resources: list, comments: dict, ctx: ScanContext, inline: bool = True) -> list:
    """Mark suppressed findings (inline comments and Kubernetes annotations, then configuration,
    then baseline) and add the findings about bad or expired suppressions."""
    if ctx.kubernetes:
        comments = {f: list(items) for f, items in comments.items()}
        for res, note in ctx.kubernetes.annotations:  # hdslint.io/ignore: "HDS-... reason=..."
            comments.setdefault(res.file, []).append((res.line, f"hdslint:ignore {note}"))
    extra = _inline(findings, resources, comments, ctx) if inline else []
    extra += _from_config(findings, ctx)
    if ctx.config.baseline:
        _from_baseline(findings, ctx.config.baseline)
    return findings + extra


def _from_config(findings: list, ctx: ScanContext) -> list:
    import os

    from hdslint.rules.suppression import expired as expired_rule

    extra = []
    source = ctx.config.source
    config_file = os.path.relpath(source, ctx.root).replace(os.sep, "/") if source else ".hdslint.yaml"
    for entry in ctx.config.suppressions:
        rules = entry["rule"] if isinstance(entry["rule"], list) else [entry["rule"]]
        until = dt.date.fromisoformat(entry["until"]) if entry.get("until") else None
        matched = [f for f in findings if not f.suppressed
                   and any(fnmatch.fnmatchcase(f.rule_id, r) for r in rules)
                   and fnmatch.fnmatch(_from_config_dir(f.file, ctx), entry["path"])
                   and ("resource" not in entry or _address_match(f.resource, entry["resource"]))]
        if until and until < ctx.today:
            if matched and ctx.config.rule_enabled(expired_rule.RULE.id):
                extra.append(expired_rule.RULE.finding(
                    ctx, file=config_file, line=1,
                    message=_("The configuration suppression of {rules} on {path} expired on {date} (reason was: "
                              "{reason}); {count} finding(s) are reported again.", rules=", ".join(rules),
                              path=entry["path"], date=until.isoformat(), reason=entry["reason"], count=len(matched)),
                    attribute=f"suppression:{entry['path']}"))
            continue
        for f in matched:
            f.suppressed = True
            f.suppression = {"kind": "config", "file": config_file, "reason": entry["reason"],
                             **({"until": until.isoformat()} if until else {})}
    return extra


def _from_config_dir(file: str, ctx: ScanContext) -> str:
    """A finding's file (relative to the scan root) relative to the configuration file's folder,
    which the paths of its suppressions are written from."""
    import os

    base = ctx.config.directory
    if base is None or os.path.abspath(base) == os.path.abspath(ctx.root):
        return file
    return os.path.relpath(os.path.join(ctx.root, file), base).replace(os.sep, "/")


def _address_match(address: str, pattern: str) -> bool:
    """Glob on resource addresses, where [ ] are literal (addons[0], aws_instance.web[1])."""
    return address == pattern or fnmatch.fnmatchcase(address, pattern.replace("[", "[[]"))


def _from_baseline(findings: list, path: str) -> None:
    from hdslint.triage import baseline

    accepted = baseline.load(path)
    for f in findings:
        if not f.suppressed and f.fingerprint in accepted:
            f.suppressed = True
            f.suppression = {"kind": "baseline", "file": path, "reason": _("accepted in the baseline")}


def _inline(findings: list, resources: list, comments: dict, ctx: ScanContext) -> list:
    from hdslint.rules.suppression import expired as expired_rule
    from hdslint.rules.suppression import invalid as invalid_rule

    table = collect(comments)
    lines_with_comments = {f: {ln for ln, _text in items} for f, items in comments.items()}
    spans = {r.address: (r.file, r.line, r.end_line) for r in resources}
    used_expired: set = set()
    for finding in findings:
        if finding.resource and finding.resource in spans:
            file, start, end = spans[finding.resource]
        else:
            file, start, end = finding.file, finding.line, finding.line
        by_line = table.get(file)
        if not by_line:
            continue
        for s in _candidates(by_line, lines_with_comments.get(file, set()), start, end):
            if s.problem or not s.covers(finding.rule_id):
                continue
            if s.until and s.until < ctx.today:
                used_expired.add((s.file, s.line))
                continue
            finding.suppressed = True
            finding.suppression = s.as_dict()
            break
    extra = []
    for file, by_line in table.items():
        for line, s in sorted(by_line.items()):
            if s.problem and ctx.config.rule_enabled(invalid_rule.RULE.id):
                extra.append(invalid_rule.RULE.finding(
                    ctx, file=file, line=line,
                    message=_("This hdslint:ignore comment {problem}; it suppresses nothing.", problem=s.problem),
                    attribute=f"comment:{s.text}"))
            elif (file, line) in used_expired and ctx.config.rule_enabled(expired_rule.RULE.id):
                extra.append(expired_rule.RULE.finding(
                    ctx, file=file, line=line,
                    message=_("This suppression of {rules} expired on {date} (reason was: {reason}); the findings "
                              "it covered are reported again.", rules=", ".join(s.rule_ids),
                              date=s.until.isoformat(), reason=s.reason),
                    attribute=f"comment:{s.text}"))
    return extra

