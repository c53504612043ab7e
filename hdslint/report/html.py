"""--format html: the document a team hands to its HDS auditor.

One self-contained file: no script, no external style sheet, font or image, so it opens
offline and archives as it is. It holds the perimeter coverage matrix with its evidence, the
findings by family and severity, the resource inventory with where each resource's data lives
and how that was resolved, the suppressions with their reasons, the catalog facts used with
their sources and dates, and the scan's parameters. Semantic tables (caption, th scope) and
status written in words, not only in colour; prints on A4.
"""
from __future__ import annotations

from html import escape

from hdslint import __version__
from hdslint.analysis.coverage import matrix
from hdslint.i18n import language
from hdslint.i18n import say as _
from hdslint.i18n import say_text as text
from hdslint.knowledge.catalog import fact_date, validity
from hdslint.knowledge.regions import country_names
from hdslint.model import SEVERITIES, SEVERITY_RANK
from hdslint.model.findings import FAMILIES
from hdslint.report import labels
from hdslint.report.ledger import ledger
from hdslint.report.summary import summary
from hdslint.rules import reported_rules

STYLE = """
:root { --fg: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --head: #f2f2f2; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--fg); margin: 0 auto; max-width: 78rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid var(--fg); }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
a { color: #0b4f9c; } .muted { color: var(--muted); } code { font-size: .92em; overflow-wrap: anywhere; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
thead th { background: var(--head); }
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
ul.evidence { margin: .3rem 0 0; padding-left: 1rem; font-size: .85em; color: var(--muted); }
td, th { overflow-wrap: anywhere; }
table.matrix { table-layout: fixed; } table.matrix thead th:first-child { width: 14rem; }
td.loc code { white-space: nowrap; } .fix { margin-top: .25rem; } .basis { font-size: .85em; color: var(--muted); }
nav ol { columns: 2; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 9.5pt; max-width: none; padding: 0; }
  nav, .skip { display: none; }
  h2 { break-after: avoid; } tr, li { break-inside: avoid; } thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: .8em; color: var(--muted); overflow-wrap: anywhere; }
}
"""


def _e(value) -> str:
    return escape(str(value), quote=True)


def _badge(cls: str, label: str) -> str:
    return f'<span class="badge {cls}">{_e(label)}</span>'


def _table(caption: str, head: list, rows: list, cls: str = "", hidden_caption: bool = False) -> str:
    """A table with its caption (read by screen readers; hidden when a heading says the same)."""
    cap = f'<caption class="sr-only">{_e(caption)}</caption>' if hidden_caption else f"<caption>{_e(caption)}</caption>"
    out = [f'<table class="{cls}">' if cls else "<table>", cap, "<thead><tr>"]
    out += [f'<th scope="col">{_e(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    out += rows
    out.append("</tbody></table>")
    return "\n".join(out)


def render(result, options) -> str:
    ctx = result.context
    rows = ledger(result)
    s = summary(result, options.fail_on, rows)
    sections = [
        ("summary", _("Summary"), _summary(result, s, options)),
        ("coverage", _("Coverage of the six HDS perimeters"), _coverage(ctx)),
        ("findings", _("Findings"), _findings(result)),
        ("ledger", _("Verdicts of the data stores"), _ledger(result, rows, s)),
        ("transfers", _("Transfers outside the EEA"), _transfers(ctx)),
        ("inventory", _("Resource inventory"), _inventory(ctx)),
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
<title>{_e(title)} · {_e(ctx.today.isoformat())}</title>
<style>{STYLE}</style>
</head>
<body>
<a class="skip" href="#main">{_e(_("Skip to the content"))}</a>
<header>
<h1>{_e(title)}</h1>
<p class="muted">{_e(_("Scanned {root} on {date} with hdslint {version}.", root=result.root, date=ctx.today.isoformat(), version=__version__))}</p>
</header>
<nav aria-label="{_e(_("Contents"))}"><ol>{nav}</ol></nav>
<main id="main">
{body}
</main>
<footer><p class="muted">{_e(_("This report is evidence for an HDS audit drawn from the infrastructure code; it does not replace the audit. Facts about providers come from public sources, each with its date."))}</p></footer>
</body>
</html>
"""


def _summary(result, s, options) -> str:
    if options.fail_on == "none":
        verdict = f'<p class="verdict pass">{_e(_("Not failing (--fail-on none)."))}</p>'
    elif s["failing"]:
        verdict = f'<p class="verdict fail">{_e(_("FAILED: {count} finding(s) at or above {severity}.", count=s["failing"], severity=labels.severity(options.fail_on)))}</p>'
    else:
        verdict = f'<p class="verdict pass">{_e(_("Passed: nothing at or above {severity}.", severity=labels.severity(options.fail_on)))}</p>'
    sev_rows = ["<tr>" + "".join(f'<td>{_badge("sev-" + x, labels.severity(x))} {s["by_severity"][x]}</td>' for x in SEVERITIES)
                + f"<td>{s['suppressed']}</td></tr>"]
    by_sev = _table(_("Findings by severity"), [labels.severity(x) for x in SEVERITIES] + [_("suppressed")], sev_rows)
    fam_rows = [f'<tr><th scope="row">{_e(labels.family(f))}</th><td>{n}</td></tr>' for f, n in s["by_family"].items()]
    by_fam = _table(_("Findings by family"), [_("family"), _("findings")], fam_rows) if fam_rows else ""
    files = s["files"]
    counts = _("{resources} resource(s) from {discovered} file(s): {analysed} analysed, {reported} reported (a file hdslint cannot read is reported, never skipped).",
               resources=s["resources"], discovered=files["discovered"], analysed=files["analysed"], reported=files["reported"])
    return f"{verdict}\n{by_sev}\n{by_fam}\n<p>{_e(counts)}</p>"


def _coverage(ctx) -> str:
    rows = matrix(ctx.coverage)
    providers = sorted({c["provider"] for r in rows for c in r["providers"]})
    names = {c["provider"]: c["name"] for r in rows for c in r["providers"]}
    if not providers:
        return f"<p>{_e(_('No scanned resource needs a hosting activity from a provider.'))}</p>"
    out = []
    for r in rows:
        cells = {c["provider"]: c for c in r["providers"]}
        tds = []
        for p in providers:
            c = cells.get(p)
            if c is None:
                tds.append(f'<td class="st-none">{_e(_("not needed"))}</td>')
                continue
            evidence = "".join(f"<li>{_e(x)}</li>" for x in c["evidence"][:6])
            needed = _("needed by {count} resource(s)", count=c["required_by_count"])
            tds.append(f'<td>{_badge("st-" + c["status"], labels.status(c["status"]))}'
                       f'<ul class="evidence"><li>{_e(needed)}</li>{evidence}</ul></td>')
        out.append(f'<tr><th scope="row">{r["perimeter"]}. {_e(labels.perimeter_name(r["perimeter"]))}</th>{"".join(tds)}</tr>')
    legend = _("Perimeters are the hosting activities of article R.1111-9 of the Code de la santé publique, with their official numbers. A provider must be certified for each activity it performs.")
    return f"<p>{_e(legend)}</p>\n" + _table(_("Perimeter × provider"), [_("perimeter")] + [names[p] for p in providers], out, "matrix")


def _findings(result) -> str:
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
            rule = f"<code>{_e(f.rule_id)}</code><br><span class=\"muted\">{_e(titles.get(f.rule_id, ''))}</span>"
            extra = f"<div class=\"basis\">{_e(_('Also found by checkov: {ids}', ids=', '.join(f.related)))}</div>" if f.related else ""
            rows.append(
                f'<tr><td>{_badge("sev-" + f.severity, labels.severity(f.severity))}</td><td>{rule}</td>'
                f"<td><code>{_e(f.resource or '—')}</code></td><td class=\"loc\"><code>{_e(f.file)}:{f.line}</code></td>"
                f"<td>{_e(f.message)}<div class=\"fix\"><strong>{_e(_('Fix:'))}</strong> {_e(f.remediation)}</div>"
                f"<div class=\"basis\">{_e(_('Basis:'))} {_e(f.basis)}</div>{extra}</td></tr>")
        out.append(f"<h3>{_e(labels.family(fam))} ({len(items)})</h3>\n" + _table(
            _("Findings: {family}", family=labels.family(fam)),
            [_("severity"), _("rule"), _("resource"), _("location"), _("finding")], rows, hidden_caption=True))
    return "\n".join(out)


def _ledger(result, rows, s) -> str:
    """One row per data store, one column per property: judged, or said not to be."""
    stores = sorted((r for r in result.context.resources if id(r) in rows), key=lambda r: (r.file, r.line, r.address))
    if not stores:
        return f"<p>{_e(_('No data store found.'))}</p>"
    props = list(s["assessment"])
    out = []
    for r in stores:
        cells = []
        for prop in props:
            e = rows[id(r)][prop]
            rule = f" <code>{_e(e.rule_id)}</code>" if e.rule_id else ""
            muted = f" ({_e(_('suppressed'))})" if e.suppressed else ""
            cells.append(f'<td>{_badge("st-" + e.status, labels.verdict(e.status))}{rule}{muted}'
                         f'<div class="basis">{_e(e.basis)}</div></td>')
        out.append(f"<tr><th scope=\"row\"><code>{_e(r.address)}</code><br><span class=\"muted\">{_e(r.type)}</span>"
                   f"<br><code class=\"muted\">{_e(r.file)}:{r.line}</code></th>{''.join(cells)}</tr>")
    missing = [f"{labels.ledger_property(p)}: {', '.join(s['assessment'][p]['not_assessed_types'])}"
               for p in props if s["assessment"][p]["not_assessed_types"]]
    note = (f"<p>{_e(_('Not assessed (hdslint holds no fact on these types; check them by hand):'))}</p><ul>"
            + "".join(f"<li>{_e(m)}</li>" for m in missing) + "</ul>") if missing else ""
    return note + _table(_("{count} data store(s)", count=len(stores)),
                         [_("data store")] + [labels.ledger_property(p) for p in props], out, "ledger")


def _transfers(ctx) -> str:
    """The map of transfers (hdslint transfers), with its evidence."""
    from hdslint.report import transfers as tr

    items = ctx.transfers
    lead = f"<p><strong>{_e(tr.headline(items))}</strong></p>"
    if not items:
        return lead
    rows = []
    for t in items:
        why = _e(t.reason) if t.status == "to_check" else _e(tr.basis(t.basis))
        note = f'<div class="basis">{_e(tr.storage_note(t))}</div>' if tr.storage_note(t) else ""
        evidence = "".join(f"<li>{_e(x)}</li>" for x in tr.evidence(t))
        cls = "st-not_covered" if t.status == "transfer" else "st-unknown"
        rows.append(f"<tr><td>{_badge(cls, tr.status(t.status))}</td><td><code>{_e(tr.what(t))}</code></td>"
                    f"<td>{_e(tr.kind(t.kind))}</td><td>{_e(tr.recipient(t))}</td><td>{_e(tr.country(t))}</td>"
                    f"<td>{why}{note}</td><td>{_e(tr.risk(t.risk))}</td>"
                    f'<td><ul class="evidence">{evidence}</ul></td></tr>')
    legend = _("Article R.1111-11 of the Code de la santé publique and HDS requirements EXI 29 to 31: the map of transfers of health data outside the EEA, remote access included, with the legal basis of each and the risks of non-EEA laws, published on a public page. Flows whose destination hdslint cannot place are listed to check.")
    return f"{lead}\n<p>{_e(legend)}</p>\n" + _table(
        _("{count} flow(s)", count=len(items)),
        [_("status"), _("data and flow"), _("nature"), _("recipient"), _("country"),
         _("legal basis, or why it is to check"), _("risk of access under third-country law"), _("evidence")], rows)


def _inventory(ctx) -> str:
    if not ctx.resources:
        return f"<p>{_e(_('No resource found.'))}</p>"
    names = country_names()
    rows = []
    for r in sorted(ctx.resources, key=lambda r: (r.file, r.line, r.address)):
        if r.data_role == "none":
            where, how = "—", ""
        else:
            places, hows = [], []
            for p in r.location.places:
                countries = ", ".join(names.get(c, c) for c in p.region.countries)
                eea = _("EEA") if p.region.eea else _("outside the EEA")
                places.append(f"<li>{_e(p.role)}: <code>{_e(p.region.code)}</code> ({_e(countries)}; {_e(eea)})</li>")
                hows.append(f"<li>{_e(p.chain)}</li>")
            for u in r.location.undetermined:
                places.append(f"<li>{_e(u.role)}: {_badge('st-unknown', _('undetermined'))} {_e(u.reason)}</li>")
                hows.append(f"<li>{_e(u.chain)}</li>")
            where = f"<ul>{''.join(places)}</ul>" if places else "—"
            how = f"<ul>{''.join(hows)}</ul>" if hows else ""
        provider = r.provider_address or r.provider or "—"
        rows.append(f"<tr><td><code>{_e(r.address)}</code><br><span class=\"muted\">{_e(r.type)}</span></td>"
                    f"<td>{_e(provider)}</td><td>{_e(labels.data_role(r.data_role))}</td><td>{where}</td>"
                    f"<td>{how}</td><td><code>{_e(r.file)}:{r.line}</code></td></tr>")
    return _table(_("{count} resource(s)", count=len(ctx.resources)),
                  [_("resource"), _("provider"), _("data"), _("where the data lives"), _("how it was resolved"),
                   _("location")], rows)


def _suppressions(result) -> str:
    items = [f for f in result.findings if f.suppressed]
    if not items:
        return f"<p>{_e(_('No finding is suppressed.'))}</p>"
    rows = []
    for f in items:
        s = f.suppression or {}
        origin = _e(labels.suppression_kind(s.get("kind", "")))
        if s.get("file"):
            origin += f" (<code>{_e(s['file'])}{':' + str(s['line']) if s.get('line') else ''}</code>)"
        rows.append(f"<tr><td><code>{_e(f.rule_id)}</code></td><td><code>{_e(f.resource or '—')}</code></td>"
                    f"<td><code>{_e(f.file)}:{f.line}</code></td><td>{_e(s.get('reason') or '—')}</td>"
                    f"<td>{_e(s.get('until') or _('no expiry'))}</td><td>{origin}</td></tr>")
    return _table(_("{count} suppressed finding(s), kept in the report", count=len(items)),
                  [_("rule"), _("resource"), _("location"), _("reason"), _("until"), _("where it is written")], rows)


def _catalog(ctx) -> str:
    used = sorted({prov for (_p, prov) in ctx.coverage.cells})
    if not used:
        return f"<p>{_e(_('No provider fact was needed.'))}</p>"
    out = []
    for prov in used:
        entry = ctx.coverage.entries.get(prov)
        if entry is None:
            continue
        cert = entry["certification"]
        c = cert.get("certificate") or {}
        perims = ", ".join(f"{p}. {labels.perimeter_name(p)}" for p in cert.get("perimeters") or []) or _("unknown")
        d = fact_date(cert)
        facts = [
            (_("legal entities"), ", ".join(entry.get("legal_entities", []))),
            (_("HDS certification"), f"{cert['status']}" + (f" ({cert['referentiel']})" if cert.get("referentiel") else "")),
            (_("perimeters"), perims),
            (_("certificate"), ", ".join(x for x in (c.get("number") and f"n° {c['number']}", c.get("issuer"),
                                                     c.get("valid_from") and _("from {date}", date=c["valid_from"]),
                                                     c.get("valid_until") and _("until {date}", date=c["valid_until"])) if x) or "—"),
            (_("validity at the scan date"), validity(entry, ctx.today)),
            (_("regions in scope"), ", ".join(cert.get("regions") or []) or "—"),
            (_("SecNumCloud"), entry["secnumcloud"]["status"]),
            (_("exposed to non-EEA law (EXI 30)"), str(entry["non_eea_law"]["exposed"])),
            (_("fact date and confidence"), f"{d.isoformat() if d else _('undated')}, {cert.get('confidence', '—')}"),
        ]
        if entry.get("overridden"):
            facts.append((_("overridden"), _("by the team's configuration (coverage.catalog_overrides)")))
        rows = [f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in facts]
        if cert.get("note"):
            rows.append(f'<tr><th scope="row">{_e(_("note"))}</th><td>{_e(cert["note"])}</td></tr>')
        sources = "".join(
            f'<li><a href="{_e(src["url"])}">{_e(src["id"])}</a> — {_e(_("read on {date}", date=src.get("retrieved", "?")))}'
            + (f", {_e(_('published {date}', date=src['published']))}" if src.get("published") else "") + "</li>"
            for src in entry.get("sources", []))
        out.append(f"<h3>{_e(entry['name'])} <span class=\"muted\">({_e(prov)})</span></h3>\n"
                   + _table(_("Catalog facts: {provider}", provider=entry["name"]), [_("fact"), _("value")], rows)
                   + (f"<p>{_e(_('Sources:'))}</p><ul>{sources}</ul>" if sources else ""))
    return "\n".join(out)


def _parameters(result, s, options) -> str:
    cfg = result.context.config
    chk = result.context.checkov
    items = [
        (_("hdslint version"), __version__),
        (_("scan date"), result.context.today.isoformat()),
        (_("scanned directory"), result.root),
        (_("configuration file"), cfg.source or _("none (defaults)")),
        (_("fail threshold"), labels.severity(options.fail_on) if options.fail_on != "none" else "none"),
        (_("profile"), cfg.profile if isinstance(cfg.profile, str) else ", ".join(cfg.profile)),
        (_("allowed countries"), ", ".join(cfg.allowed_countries) if cfg.allowed_countries else _("the EEA")),
        (_("separate site for backups"), cfg.separate_site),
        (_("minimum backup retention (days)"), f"{cfg.min_retention_days:g}"),
        (_("inline suppressions"), _("honoured") if cfg.inline_suppressions else _("ignored (audit run)")),
        (_("baseline"), cfg.baseline or "—"),
        (_("files"), _("{discovered} discovered, {analysed} analysed, {reported} reported", **s["files"])),
        (_("language"), language()),
    ]
    if chk is not None:
        items.append((_("checkov"), _("{versions}: {imported} finding(s) imported, {merged} already reported by hdslint",
                                      versions=", ".join(chk["versions"]) or "?", imported=chk["imported"],
                                      merged=chk["merged"])))
    rows = [f'<tr><th scope="row">{_e(k)}</th><td>{_e(v)}</td></tr>' for k, v in items]
    return _table(_("Parameters"), [_("parameter"), _("value")], rows)
