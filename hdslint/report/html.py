"""--format html: the document a team hands to its HDS auditor, to file as evidence.

One self-contained file: no script, no external style sheet, font or image, so it opens
offline and archives as it is. Its header traces it back (the path scanned as given, the git
commit and whether the working tree differed from it, a SHA-256 over the files read, the date
of hdslint's knowledge, the version). It holds the perimeter coverage matrix with its evidence
and what the team declared, the open items the audit will ask about, the findings by family
and severity, the inventory (the verdict ledger of every data store, then the other
resources), the transfers outside the EEA, the suppressions with their reasons, the catalog
facts used (hdslint's, and the team's declared ones apart) with their sources and dates, and
the scan's parameters. Semantic tables (caption, th scope), statuses in words, not only in
colour; prints on A4 (headers repeated, no heading alone at a page bottom, no word broken).
"""
from __future__ import annotations

import os
import re
from html import escape
from typing import Any

from hdslint import __version__
from hdslint.i18n import language
from hdslint.i18n import say as _
from hdslint.i18n import say_text as text
from hdslint.knowledge.catalog import at_date, fact_date, shipped, validity
from hdslint.knowledge.regions import country_names
from hdslint.model import SEVERITIES, SEVERITY_RANK, Resource
from hdslint.model.findings import FAMILIES
from hdslint.report import declared, labels
from hdslint.report.ledger import Entry, ledger
from hdslint.report.open_items import open_items, topic
from hdslint.report.summary import summary
from hdslint.rules import reported_rules

STYLE = """
:root { --fg: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --head: #f2f2f2; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--fg); margin: 0 auto; max-width: 78rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid var(--fg); }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
h2, h3 { break-after: avoid; page-break-after: avoid; }
a { color: #0b4f9c; } .muted { color: var(--muted); } code { font-size: .92em; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; table-layout: fixed; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; break-after: avoid; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left;
         overflow-wrap: break-word; hyphens: manual; }
thead th { background: var(--head); }
thead { display: table-header-group; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: .3rem; font-weight: 600; white-space: nowrap;
         border: 1px solid currentColor; }
.sev-critical { color: #581c87; background: #f3e8ff; } .sev-high { color: #8b1414; background: #fee2e2; }
.sev-medium { color: #7a3a06; background: #fef3c7; } .sev-low { color: #1e3a8a; background: #dbeafe; }
.sev-info { color: #134e4a; background: #ccfbf1; }
.st-covered, .st-declared { color: #14532d; background: #dcfce7; }
.st-not_covered, .st-expired { color: #8b1414; background: #fee2e2; }
.st-unknown, .st-unverified { color: #713f12; background: #fef3c7; }
.st-none { color: var(--muted); }
.st-ok { color: #14532d; background: #dcfce7; } .st-finding { color: #8b1414; background: #fee2e2; }
.st-not_assessed { color: #1e3a8a; background: #dbeafe; } .st-not_applicable { color: var(--muted); }
.verdict { font-size: 1.1rem; font-weight: 700; padding: .5rem .8rem; display: inline-block; margin: .6rem 0; }
.fail { color: #8b1414; background: #fee2e2; border: 2px solid #8b1414; }
.pass { color: #14532d; background: #dcfce7; border: 2px solid #14532d; }
.warn { color: #7a3a06; font-weight: 600; }
ul.evidence { margin: .3rem 0 0; padding-left: 1rem; font-size: .85em; color: var(--muted); }
table.matrix thead th:first-child { width: 30%; }
table.trace th { width: 17%; } table.trace td { width: 33%; } table.trace code { overflow-wrap: anywhere; }
table.findings col.rule { width: 18%; } table.findings col.res { width: 25%; }
table.ledger col.store { width: 20%; } table.facts col.fact { width: 24%; }
table.open col.topic { width: 16%; } table.open col.who { width: 14%; } table.open col.basis { width: 32%; }
table.others col.res { width: 44%; } table.others col.data { width: 16%; }
code.id { white-space: nowrap; } .fix { margin-top: .25rem; } .basis { font-size: .85em; color: var(--muted); }
.declared-fact { border-left: 3px solid #14532d; padding-left: .4rem; }
ul.sources { font-size: .85em; padding-left: 1rem; } ul.sources a, td a { overflow-wrap: anywhere; }
nav ol { columns: 2; }
@media print {
  @page { size: A4; margin: 11mm 10mm; }
  body { font-size: 8pt; line-height: 1.3; max-width: none; padding: 0; }
  h1 { font-size: 14pt; } h2 { font-size: 11.5pt; margin-top: 1rem; } h3 { font-size: 9.5pt; margin-top: .7rem; }
  th, td { padding: .15rem .3rem; }
  table { margin: .3rem 0 .6rem; }
  .verdict { font-size: 9.5pt; padding: .2rem .5rem; margin: .3rem 0; }
  nav, .skip { display: none; }
  tr, li, .badge, table.keep { break-inside: avoid; }
  caption, thead, p.lead { break-after: avoid; } tbody tr:first-child { break-before: avoid; }
  .basis, ul.evidence { font-size: 7pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

KEEP_ROWS = 4
_BREAK = re.compile(r"(?<=[._/:\-\[])(?=.)")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _code(value: object, cls: str = "") -> str:
    """Code (an address, a path) that may break only after . _ / : - [ when too long for its
    column, never in the middle of a word."""
    attr = f' class="{cls}"' if cls else ""
    return f"<code{attr}>" + _BREAK.sub("<wbr>", _e(value)) + "</code>"


_LONG = re.compile(r"\S{16,}")


def _t(value: object) -> str:
    """Text whose long tokens (an attribute, an address, a URL quoted in it) may break after
    . _ / : - [ rather than in the middle of a word."""
    return _LONG.sub(lambda m: _BREAK.sub("<wbr>", m.group(0)), _e(value))


def _badge(cls: str, label: str) -> str:
    return f'<span class="badge {cls}">{_e(label)}</span>'


def _table(caption: str, head: list[str], rows: list[str], cls: str = "", hidden_caption: bool = False,
           cols: list[str] | None = None) -> str:
    """A table with its caption (read by screen readers; hidden when a heading says the same);
    `cols`: a class per column, which the style sheet gives its width."""
    cap = f'<caption class="sr-only">{_e(caption)}</caption>' if hidden_caption else f"<caption>{_e(caption)}</caption>"
    if len(rows) <= KEEP_ROWS:  # a short table is never split from its caption and header
        cls = f"{cls} keep".strip()
    out = [f'<table class="{cls}">', cap]
    if cols:
        out.append("<colgroup>" + "".join(f'<col class="{c}">' if c else "<col>" for c in cols) + "</colgroup>")
    out.append("<thead><tr>")
    out += [f'<th scope="col">{_e(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    out += rows
    out.append("</tbody></table>")
    return "\n".join(out)


def _facts(caption: str, items: list[tuple[str, str]], cls: str = "facts") -> str:
    """Fact and value, already escaped."""
    rows = [f'<tr><th scope="row">{_e(k)}</th><td>{v}</td></tr>' for k, v in items]
    return _table(caption, [_("fact"), _("value")], rows, cls, cols=["fact", ""])


def render(result: Any, options: Any) -> str:
    ctx = result.context
    rows = ledger(result)
    s = summary(result, options.fail_on, rows)
    sections = [
        ("summary", _("Summary"), _summary(result, s, options)),
        ("coverage", _("Coverage of the six HDS perimeters"), _coverage(ctx)),
        ("open-items", _("Open items for the audit"), _open_items(ctx, result.findings)),
        ("findings", _("Findings"), _findings(result)),
        ("inventory", _("Inventory and verdicts"), _inventory(result, rows, s)),
        ("transfers", _("Transfers outside the EEA"), _transfers(ctx)),
        ("suppressions", _("Suppressions"), _suppressions(result)),
        ("catalog", _("Catalog facts used"), _catalog(ctx)),
        ("parameters", _("Scan parameters"), _parameters(result, s, options)),
    ]
    title = _("HDS compliance report")
    nav = "".join(f'<li><a href="#{key}">{_e(name)}</a></li>' for key, name, _body in sections)
    body = "\n".join(f'<section id="{key}" aria-labelledby="{key}-h"><h2 id="{key}-h">{_e(name)}</h2>\n{html}\n</section>'
                     for key, name, html in sections)
    return f"""<!DOCTYPE html>
<html lang="{language()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hdslint {_e(__version__)}">
<title>{_e(title)} · {_e(result.trace.get("root") or result.root)} · {_e(ctx.today.isoformat())}</title>
<style>{STYLE}</style>
</head>
<body>
<a class="skip" href="#main">{_e(_("Skip to the content"))}</a>
<header>
<h1>{_e(title)}</h1>
{_trace(result)}
</header>
<nav aria-label="{_e(_("Contents"))}"><ol>{nav}</ol></nav>
<main id="main">
{body}
</main>
<footer><p class="muted">{_e(_("This report is evidence for an HDS audit drawn from the infrastructure code; it does not replace the audit. Facts about providers come from public sources, each with its date."))}</p></footer>
</body>
</html>
"""


def _trace(result: Any) -> str:
    """Where the report comes from: what an auditor needs to find the code it judged again."""
    t = result.trace
    ctx = result.context
    commit = t.get("commit")
    if commit is None:
        state = _("not in a git repository, or git is not available")
    elif t.get("dirty") is None:
        state = _("unknown (git could not compare the files with the commit)")
    elif t["dirty"]:
        state = _("modified: the files scanned differ from this commit")
    else:
        state = _("clean: the files scanned are those of this commit")
    state_html = f'<span class="warn">{_e(state)}</span>' if t.get("dirty") else _e(state)
    config = _named(ctx.config.source) if ctx.config.source else None
    pairs = [
        (_("scanned path"), _code(t.get("root") or result.root)),
        (_("scan date"), _e(ctx.today.isoformat())),
        (_("git commit"), _code(commit) if commit else "—"),
        (_("working tree"), state_html),
        (_("files read (SHA-256)"), _e(_("{count} file(s)", count=len(t.get("inputs", [])))) + "<br>"
         + _code(t.get("inputs_sha256", "—"))),
        (_("configuration"), (_code(config) + (f"<br>{_code(t['config_sha256'])}" if t.get("config_sha256") else ""))
         if config else _e(_("none (defaults)"))),
        (_("hdslint version"), _e(__version__)),
        (_("knowledge date"), _e(t.get("knowledge_date") or _("unknown"))),
    ]
    rows = []
    for i in range(0, len(pairs), 2):
        cells = "".join(f'<th scope="row">{_e(k)}</th><td>{v}</td>' for k, v in pairs[i:i + 2])
        rows.append(f"<tr>{cells}</tr>")
    how = _("SHA-256 over the lines “<sha256>  <path>” of the files read, sorted by path relative to the scanned "
            "path: `sha256sum FILE... | sha256sum` there gives it again (the list is in the JSON report).")
    return (f'<table class="trace"><caption>{_e(_("Traceability"))}</caption>\n<tbody>{"".join(rows)}</tbody></table>'
            f'<p class="basis">{_e(how)}</p>')


def _named(path: str) -> str:
    """A file as a person names it from where hdslint ran: relative when below, else absolute."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def _summary(result: Any, s: dict[str, Any], options: Any) -> str:
    if options.fail_on == "none":
        verdict = f'<p class="verdict pass">{_e(_("Not failing (--fail-on none)."))}</p>'
    elif s["failing"]:
        verdict = f'<p class="verdict fail">{_e(_("FAILED: {count} finding(s) at or above {severity}.", count=s["failing"], severity=labels.severity(options.fail_on)))}</p>'
    else:
        verdict = f'<p class="verdict pass">{_e(_("Passed: nothing at or above {severity}.", severity=labels.severity(options.fail_on)))}</p>'
    sev_rows = ["<tr>" + "".join(f'<td>{_badge("sev-" + x, labels.severity(x))} {s["by_severity"][x]}</td>' for x in SEVERITIES)
                + f"<td>{s['suppressed']}</td></tr>"]
    by_sev = _table(_("Findings by severity"), [labels.severity(x) for x in SEVERITIES] + [_("suppressed")], sev_rows)
    families = list(s["by_family"].items())
    by_fam = _table(_("Findings by family"), [labels.family(f) for f, _n in families],
                    ["<tr>" + "".join(f"<td>{n}</td>" for _f, n in families) + "</tr>"]) if families else ""
    files = s["files"]
    counts = _("{resources} resource(s) from {discovered} file(s): {analysed} analysed, {reported} reported (a file hdslint cannot read is reported, never skipped).",
               resources=s["resources"], discovered=files["discovered"], analysed=files["analysed"], reported=files["reported"])
    return f"{verdict}\n{by_sev}\n{by_fam}\n<p>{_e(counts)}</p>"


def _coverage(ctx: Any) -> str:
    rows = declared.coverage(ctx)
    providers = sorted({c["provider"] for r in rows for c in r["providers"]})
    names = {c["provider"]: c["name"] for r in rows for c in r["providers"]}
    decl = _declarations(ctx)
    if not providers:
        return f"<p>{_e(_('No scanned resource needs a hosting activity from a provider.'))}</p>" + decl
    # what every cell of a provider says (its certificate) is said once, under the matrix
    common = {}
    for p in providers:
        lists = [set(c["evidence"]) for r in rows for c in r["providers"] if c["provider"] == p]
        common[p] = [x for x in next(c["evidence"] for r in rows for c in r["providers"] if c["provider"] == p)
                     if all(x in e for e in lists)]
    out = []
    for r in rows:
        cells = {c["provider"]: c for c in r["providers"]}
        tds = []
        for p in providers:
            c = cells.get(p)
            if c is None:
                tds.append(f'<td class="st-none">{_e(_("not needed"))}</td>')
                continue
            own = [x for x in c["evidence"] if x not in common[p]]
            evidence = "".join(f"<li>{_t(x)}</li>" for x in own[:6])
            needed = _("needed by {count} resource(s)", count=c["required_by_count"])
            tds.append(f'<td>{_badge("st-" + c["status"], labels.status(c["status"]))}'
                       f'<ul class="evidence"><li>{_e(needed)}</li>{evidence}</ul></td>')
        out.append(f'<tr><th scope="row">{r["perimeter"]}. {_e(labels.perimeter_name(r["perimeter"]))}</th>{"".join(tds)}</tr>')
    legend = _("Perimeters are the hosting activities of article R.1111-9 of the Code de la santé publique, with their official numbers. A provider must be certified for each activity it performs.")
    said = "".join(f"<li><strong>{_e(names[p])}</strong>: {_t('; '.join(common[p]))}</li>" for p in providers if common[p])
    return (f'<p class="lead">{_e(legend)}</p>\n'
            + _table(_("Perimeter × provider"), [_("perimeter")] + [names[p] for p in providers], out, "matrix")
            + (f"<p>{_e(_('Evidence for every perimeter of a provider:'))}</p><ul class=\"evidence\">{said}</ul>"
               if said else "") + decl)


def _declarations(ctx: Any) -> str:
    """Who performs perimeters, as the team declared it (coverage.declarations)."""
    items = declared.declarations(ctx)
    if not items:
        return ""
    rows = []
    for d in items:
        who = _("the team itself") if d["by"] == "self" else d["by"]
        cert = ", ".join(str(x) for x in (d["certificate"] and f"n° {d['certificate']}", d["issuer"],
                                          d["valid_until"] and _("until {date}", date=d["valid_until"])) if x) or "—"
        state = {"valid": _("valid"), "expired": _("expired"), "undated": _("no expiry date given")}[d["state"]]
        cls = "st-not_covered" if d["state"] == "expired" else "st-declared"
        where = d["declared_in"] or _("the configuration")
        rows.append(f"<tr><td>{_e(', '.join(f'{p}. {labels.perimeter_name(p)}' for p in d['perimeters']))}</td>"
                    f"<td>{_e(who)}" + (f'<div class="basis">{_e(", ".join(d["providers"]))}</div>' if d["providers"] else "")
                    + f"</td><td>{_e(cert)}</td><td>{_badge(cls, state)}</td>"
                    f'<td class="declared-fact">{_e(_("declared in {file}", file=where))}</td></tr>')
    return _table(_("Declared by the team (coverage.declarations)"),
                  [_("perimeters"), _("performed by"), _("certificate"), _("at the scan date"), _("source")], rows)


def _open_items(ctx: Any, findings: Any) -> str:
    items = open_items(ctx, findings)
    lead = _("What the code cannot show but the HDS audit will ask about: the documents to produce and the decisions to record.")
    if not items:
        return f"<p>{_e(_('No open item.'))}</p>"
    names = {p: str(e["name"]) for p, e in ctx.coverage.entries.items()}
    rows = []
    for item in items:
        src = f'<div><a href="{_e(item.source)}">{_e(item.source)}</a></div>' if item.source else ""
        rows.append(f"<tr><td>{_e(topic(item.topic))}</td><td>{_e(names.get(item.provider or '', item.provider or '—'))}</td>"
                    f'<td>{_t(item.text)}</td><td class="basis">{_t(item.basis)}{src}</td></tr>')
    return f'<p class="lead">{_e(lead)}</p>\n' + _table(_("{count} open item(s)", count=len(items)),
                                          [_("topic"), _("provider"), _("what to produce or decide"), _("basis")],
                                          rows, "open", cols=["topic", "who", "", "basis"])


def _findings(result: Any) -> str:
    active = [f for f in result.findings if not f.suppressed]
    if not active:
        return f"<p>{_e(_('No finding.'))}</p>"
    titles = {r.id: text(r.title) for r in reported_rules(result.context)}
    out = []
    families = [f for f in FAMILIES if any(x.family == f for x in active)]
    for fam in families:
        items = sorted((x for x in active if x.family == fam),
                       key=lambda x: (-SEVERITY_RANK[x.severity], x.file, x.line, x.rule_id, x.resource))
        rows = []
        for f in items:
            rule = (f'{_badge("sev-" + f.severity, labels.severity(f.severity))} <code class="id">{_e(f.rule_id)}</code>'
                    f'<div class="basis">{_e(titles.get(f.rule_id, ""))}</div>')
            extra = f"<div class=\"basis\">{_e(_('Also found by checkov: {ids}', ids=', '.join(f.related)))}</div>" if f.related else ""
            rows.append(
                f"<tr><td>{rule}</td><td>{_code(f.resource or '—')}<div class=\"basis\">{_code(f'{f.file}:{f.line}')}</div></td>"
                f"<td>{_t(f.message)}<div class=\"fix\"><strong>{_e(_('Fix:'))}</strong> {_t(f.remediation)}</div>"
                f"<div class=\"basis\">{_e(_('Basis:'))} {_t(f.basis)}</div>{extra}</td></tr>")
        out.append(f"<h3>{_e(labels.family(fam))} ({len(items)})</h3>\n" + _table(
            _("Findings: {family}", family=labels.family(fam)),
            [_("severity and rule"), _("resource and location"), _("finding")], rows, "findings",
            hidden_caption=True, cols=["rule", "res", ""]))
    return "\n".join(out)


def _places(r: Resource, names: dict[str, str]) -> tuple[list[str], list[str]]:
    """Where a resource's data lives (escaped list items), and how each place was resolved."""
    places, hows = [], []
    for p in r.location.places:
        countries = ", ".join(names.get(c, c) for c in p.region.countries)
        eea = _("EEA") if p.region.eea else _("outside the EEA")
        places.append(f"<li>{_e(labels.place_role(p.role))}: <code>{_e(p.region.code)}</code> ({_e(countries)}; {_e(eea)})</li>")
        hows.append(f"<li>{_t(p.chain)}</li>")
    for u in r.location.undetermined:
        places.append(f"<li>{_e(labels.place_role(u.role))}: {_badge('st-unknown', _('undetermined'))} {_t(u.reason)}</li>")
        hows.append(f"<li>{_t(u.chain)}</li>")
    return places, hows


def _inventory(result: Any, rows: dict[int, dict[str, Entry]], s: dict[str, Any]) -> str:
    """The inventory is the verdict ledger: one row per data store, one column per property,
    judged or said not to be; then the other resources, with where their data goes."""
    ctx = result.context
    if not ctx.resources:
        return f"<p>{_e(_('No resource found.'))}</p>"
    names = country_names()
    ordered = sorted(ctx.resources, key=lambda r: (r.file, r.line, r.address))
    stores = [r for r in ordered if id(r) in rows]
    props = list(s["assessment"])
    out = []
    for r in stores:
        cells = []
        for prop in props:
            e = rows[id(r)][prop]
            rule = f' <code class="id">{_e(e.rule_id)}</code>' if e.rule_id else ""
            muted = f" ({_e(_('suppressed'))})" if e.suppressed else ""
            how = ""
            if prop == "location":
                _places_html, hows = _places(r, names)
                how = f'<ul class="evidence">{"".join(hows)}</ul>' if hows else ""
            # an active finding's text is in Findings: said once
            basis = _("its text is under Findings") if e.rule_id and not e.suppressed and e.status != "ok" else e.basis
            cells.append(f'<td>{_badge("st-" + e.status, labels.verdict(e.status))}{rule}{muted}'
                         f'<div class="basis">{_t(basis)}</div>{how}</td>')
        out.append(f"<tr><th scope=\"row\">{_code(r.address)}<div class=\"basis\">{_code(r.type)}<br>"
                   f"{_code(f'{r.file}:{r.line}')}</div></th>{''.join(cells)}</tr>")
    missing = [f"{labels.ledger_property(p)}: {', '.join(s['assessment'][p]['not_assessed_types'])}"
               for p in props if s["assessment"][p]["not_assessed_types"]]
    note = (f"<p>{_e(_('Not assessed (hdslint holds no fact on these types; check them by hand):'))}</p><ul>"
            + "".join(f"<li>{_e(m)}</li>" for m in missing) + "</ul>") if missing else ""
    parts = [note]
    if stores:
        parts.append(_table(_("{count} data store(s)", count=len(stores)),
                            [_("data store")] + [labels.ledger_property(p) for p in props], out, "ledger",
                            cols=["store"] + [""] * len(props)))
    else:
        parts.append(f"<p>{_e(_('No data store found.'))}</p>")
    others = [r for r in ordered if id(r) not in rows]
    if others:
        other_rows = []
        for r in others:
            places, hows = _places(r, names) if r.data_role != "none" else ([], [])
            where = f"<ul class=\"evidence\">{''.join(places)}{''.join(hows)}</ul>" if places else "—"
            other_rows.append(f"<tr><td>{_code(r.address)} <span class=\"basis\">{_code(f'{r.file}:{r.line}')}</span></td>"
                              f"<td>{_e(labels.data_role(r.data_role))}</td><td>{where}</td></tr>")
        parts.append(_table(_("{count} other resource(s)", count=len(others)),
                            [_("resource"), _("data"), _("where the data goes")], other_rows, "others",
                            cols=["res", "data", ""]))
    return "\n".join(parts)


def _transfers(ctx: Any) -> str:
    """The map of transfers (hdslint transfers), with its evidence."""
    from hdslint.report import transfers as tr

    items = ctx.transfers
    lead = f'<p class="lead"><strong>{_e(tr.headline(items))}</strong></p>'
    if not items:
        return lead
    rows = []
    for t in items:
        why = _t(t.reason) if t.status == "to_check" else _t(tr.basis(t.basis))
        note = f'<div class="basis">{_e(tr.storage_note(t))}</div>' if tr.storage_note(t) else ""
        evidence = "".join(f"<li>{_t(x)}</li>" for x in tr.evidence(t))
        cls = "st-not_covered" if t.status == "transfer" else "st-unknown"
        rows.append(f"<tr><td>{_badge(cls, tr.status(t.status))}</td><td>{_code(tr.what(t))}</td>"
                    f"<td>{_e(tr.kind(t.kind))}</td><td>{_e(tr.recipient(t))}</td><td>{_e(tr.country(t))}</td>"
                    f"<td>{why}{note}</td><td>{_e(tr.risk(t.risk))}</td>"
                    f'<td><ul class="evidence">{evidence}</ul></td></tr>')
    legend = _("Article R.1111-11 of the Code de la santé publique and HDS requirements EXI 29 to 31: the map of transfers of health data outside the EEA, remote access included, with the legal basis of each and the risks of non-EEA laws, published on a public page. Flows whose destination hdslint cannot place are listed to check.")
    return f'{lead}\n<p class="lead">{_e(legend)}</p>\n' + _table(
        _("{count} flow(s)", count=len(items)),
        [_("status"), _("data and flow"), _("nature"), _("recipient"), _("country"),
         _("legal basis, or why it is to check"), _("risk of access under third-country law"), _("evidence")], rows)


def _suppressions(result: Any) -> str:
    items = [f for f in result.findings if f.suppressed]
    if not items:
        return f"<p>{_e(_('No finding is suppressed.'))}</p>"
    rows = []
    for f in items:
        s = f.suppression or {}
        origin = _e(labels.suppression_kind(s.get("kind", "")))
        if s.get("file"):
            origin += f" ({_code(str(s['file']) + (':' + str(s['line']) if s.get('line') else ''))})"
        rows.append(f"<tr><td><code>{_e(f.rule_id)}</code></td><td>{_code(f.resource or '—')}</td>"
                    f"<td>{_code(f'{f.file}:{f.line}')}</td><td>{_e(s.get('reason') or '—')}</td>"
                    f"<td>{_e(s.get('until') or _('no expiry'))}</td><td>{origin}</td></tr>")
    return _table(_("{count} suppressed finding(s), kept in the report", count=len(items)),
                  [_("rule"), _("resource"), _("location"), _("reason"), _("until"), _("where it is written")], rows)


def _certificate(cert: dict[str, Any]) -> str:
    c = cert.get("certificate") or {}
    return ", ".join(str(x) for x in (c.get("number") and f"n° {c['number']}", c.get("issuer"),
                                      c.get("valid_from") and _("from {date}", date=c["valid_from"]),
                                      c.get("valid_until") and _("until {date}", date=c["valid_until"])) if x) or "—"


def _perimeters(cert: dict[str, Any]) -> str:
    return ", ".join(f"{p}. {labels.perimeter_name(p)}" for p in cert.get("perimeters") or []) or _("unknown")


def _catalog(ctx: Any) -> str:
    used = sorted({prov for (_p, prov) in ctx.coverage.cells})
    if not used:
        return f"<p>{_e(_('No provider fact was needed.'))}</p>"
    out = []
    for prov in used:
        entry = ctx.coverage.entries.get(prov)
        if entry is None:
            continue
        mine = declared.provider_declaration(entry)
        base = shipped(prov) if mine else entry
        cert = at_date(base or entry, ctx.today)["certification"]  # the certificate in force at the scan date
        d = fact_date(cert)
        referentiel = f" ({cert['referentiel']})" if cert.get("referentiel") else ""
        facts = [
            (_("legal entities"), _e(", ".join(entry.get("legal_entities", [])) or "—")),
            (_("HDS certification"), _e(labels.certification(cert["status"]) + referentiel)),
            (_("perimeters"), _e(_perimeters(cert))),
            (_("certificate"), _e(_certificate(cert))),
            (_("validity at the scan date"), _e(labels.validity(validity(base or entry, ctx.today)))),
            (_("regions in scope"), _e(", ".join(cert.get("regions") or []) or "—")),
            (_("SecNumCloud"), _e(labels.secnumcloud(entry["secnumcloud"]["status"]))),
            (_("exposed to non-EEA law (EXI 30)"), _e(labels.yes_no(entry["non_eea_law"]["exposed"]))),
            (_("fact date and confidence"),
             _e(f"{d.isoformat() if d else _('undated')}, {labels.confidence(cert.get('confidence', '—'))}")),
        ]
        if cert.get("note"):
            facts.append((_("note"), _t(cert["note"])))
        caption = _("Catalog facts: {provider}", provider=entry["name"])
        if mine:
            caption = _("Catalog facts as hdslint ships them: {provider}", provider=entry["name"])
        html = [f"<h3>{_e(entry['name'])} <span class=\"muted\">({_e(prov)})</span></h3>"]
        if mine:
            html.append(_declared_certificate(entry, mine, ctx))
        html.append(_facts(caption, facts))
        html.append(_sources(entry, [cert, entry["secnumcloud"], entry["non_eea_law"]]))
        out.append("\n".join(html))
    return "\n".join(out)


def _declared_certificate(entry: dict[str, Any], mine: dict[str, Any], ctx: Any) -> str:
    """The certificate (or services' scope) the team recorded in coverage.catalog_overrides."""
    where = mine.get("declared_in") or _("the configuration")
    items: list[tuple[str, str]] = []
    cert = mine.get("certification") or {}
    if cert:
        merged = entry["certification"]
        if "status" in cert:
            items.append((_("HDS certification"), _e(labels.certification(merged["status"]))))
        if "perimeters" in cert:
            items.append((_("perimeters"), _e(_perimeters(merged))))
        if "certificate" in cert:
            items.append((_("certificate"), _e(_certificate(merged))))
            items.append((_("validity at the scan date"), _e(labels.validity(validity(entry, ctx.today)))))
        if "regions" in cert:
            items.append((_("regions in scope"), _e(", ".join(merged.get("regions") or []) or "—")))
    if mine.get("services"):
        items.append((_("services"), _e(", ".join(str(s.get("name", "?")) for s in mine["services"]))))
    items.append((_("source"), f'<span class="declared-fact">{_e(_("declared in {file}", file=where))}</span>'))
    return _facts(_("Declared by the team: {provider}", provider=entry["name"]), items)


def _sources(entry: dict[str, Any], facts: list[dict[str, Any]]) -> str:
    """The sources the facts shown rest on, each with the day it was read."""
    cited = {f.get("source") for f in facts}
    items = "".join(
        f'<li>{_e(src["id"])}: <a href="{_e(src["url"])}">{_e(src["url"])}</a>, '
        f'{_e(_("read on {date}", date=src.get("retrieved", "?")))}'
        + (f", {_e(_('published {date}', date=src['published']))}" if src.get("published") else "") + "</li>"
        for src in entry.get("sources", []) if src["id"] in cited)
    return f'<p>{_e(_("Sources:"))}</p><ul class="sources">{items}</ul>' if items else ""


def _parameters(result: Any, s: dict[str, Any], options: Any) -> str:
    cfg = result.context.config
    chk = result.context.checkov
    items = [
        (_("fail threshold"), labels.severity(options.fail_on) if options.fail_on != "none" else _("none")),
        (_("profile"), ", ".join(labels.profile(p) for p in ([cfg.profile] if isinstance(cfg.profile, str)
                                                             else cfg.profile))),
        (_("allowed countries"), ", ".join(cfg.allowed_countries) if cfg.allowed_countries else _("the EEA")),
        (_("separate site for backups"), labels.separate_site(cfg.separate_site)),
        (_("minimum backup retention (days)"), f"{cfg.min_retention_days:g}"),
        (_("inline suppressions"), _("honoured") if cfg.inline_suppressions else _("ignored (audit run)")),
        (_("baseline"), cfg.baseline or "—"),
        (_("files"), _("{discovered} discovered, {analysed} analysed, {reported} reported", **s["files"])),
        (_("language"), labels.language_name(language())),
    ]
    if chk is not None:
        items.append((_("checkov"), _("{versions}: {imported} finding(s) imported, {merged} already reported by hdslint",
                                      versions=", ".join(chk["versions"]) or "?", imported=chk["imported"],
                                      merged=chk["merged"])))
    rows = [f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in items]
    return _table(_("Parameters"), [_("parameter"), _("value")], rows, "facts", cols=["fact", ""])
