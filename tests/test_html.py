"""--format html: the audit report, read back from real scans, then rendered in headless
Chromium (Debian's chromium package: conftest.chromium_bin)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import FIXTURES, line_of, scan

from hdslint.report import RenderOptions, render

STACK = FIXTURES / "report"


class Tables(HTMLParser):
    """Every table as {caption, rows: [[cell text...]]}, plus headings, links and tags seen."""

    def __init__(self):
        super().__init__()
        self.tables, self.headings, self.links, self.tags = [], [], [], []
        self._cell = self._caption = self._heading = None
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "table":
            self.tables.append({"caption": "", "rows": [], "class": a.get("class", "")})
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "a":
            self.links.append(a.get("href"))
        elif tag == "wbr" and self._cell is not None:
            self._cell.append("\0")  # a place a line may break: no space for a reader

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            joined = " ".join(self._cell).replace(" \0 ", "")
            cell = " ".join(joined.split())  # pieces of text joined as a reader sees them
            self.tables[-1]["rows"][-1].append(re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", cell)))
            self._cell = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join(" ".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        for buf in (self._cell, self._caption, self._heading):
            if buf is not None:
                buf.append(data)

    def table(self, caption_start: str) -> list:
        (t,) = [t for t in self.tables if t["caption"].startswith(caption_start)]
        return t["rows"]


def report(lang="en", **config):
    result = scan(STACK, lang=lang, **config)
    text = render("html", result, RenderOptions(fail_on="medium", color=False))
    page = Tables()
    page.feed(text)
    return result, text, page


def test_the_report_holds_what_an_auditor_needs():
    result, text, page = report()
    main = STACK / "main.tf"
    exports = line_of(main, '"aws_s3_bucket" "exports"')
    brochures = line_of(main, '"aws_s3_bucket" "brochures"')
    comment = line_of(main, "hdslint:ignore")
    assert page.lang == "en"
    assert page.headings == [
        "HDS compliance report", "Summary", "Coverage of the six HDS perimeters", "Open items for the audit",
        "Findings",
        "locality (2)", "coverage (2)", "encryption (3)", "backup (1)", "Inventory and verdicts",
        "Transfers outside the EEA", "Suppressions",
        "Catalog facts used", "Amazon Web Services (aws)", "Scalingo (scalingo)", "Scan parameters"]
    # the matrix: six perimeters by number and name, one column per provider, statuses in words
    matrix = page.table("Perimeter × provider")
    assert matrix[0] == ["perimeter", "Amazon Web Services", "Scalingo"]
    assert [row[0] for row in matrix[1:]] == [
        "1. Physical sites hosting the hardware", "2. Hardware infrastructure", "3. Virtual infrastructure",
        "4. Application hosting platform", "5. Administration and operation of the information system",
        "6. Backup of health data"]
    assert matrix[1][1] == "certified, perimeters not verified needed by 2 resource(s)"
    assert matrix[1][2] == "certified needed by 3 resource(s)"  # the certificate is said once, under the matrix
    assert "<strong>Scalingo</strong>: HDS 2024 (v2), certificate 38436, by LNE" in text
    assert matrix[5][1] == "not needed"
    # every active finding, with its rule, resource, file and line
    rows = [r for t in page.tables if t["caption"].startswith("Findings: ") for r in t["rows"][1:]]
    got = sorted((r[0].split()[1], r[1]) for r in rows)
    assert got == sorted((f.rule_id, f"{f.resource or '—'} {f.file}:{f.line}") for f in result.findings
                         if not f.suppressed)
    loc = next(r for r in rows if r[0].split()[1] == "HDS-LOC-001")
    assert loc[0].split()[0] == "high" and loc[1] == f"aws_s3_bucket.exports main.tf:{exports}"
    assert "us-east-1 (N. Virginia, United States), outside the EEA" in loc[2] and "Fix: Place it in" in loc[2]
    # the map of transfers outside the EEA, with the legal basis and the evidence
    assert 'id="transfers"' in text and "2 transfer(s) out of the EEA and 0 flow(s) to check." in text
    transfers = page.table("2 flow(s)")
    assert transfers[0] == ["status", "data and flow", "nature", "recipient", "country",
                            "legal basis, or why it is to check", "risk of access under third-country law", "evidence"]
    assert [r[:5] for r in transfers[1:]] == [
        ["transfer", "aws_s3_bucket.exports", "stored data", "Amazon Web Services (provider, Amazon S3)",
         "United States (US)"],
        ["transfer", "aws_s3_bucket.brochures", "stored data", "Amazon Web Services (provider, Amazon S3)",
         "United States (US)"]]
    assert transfers[1][5].startswith("EU adequacy decision under art. 45 GDPR: Commission Implementing Decision")
    assert "HDS EXI 28: health data may be stored only in the EEA" in transfers[1][5]
    assert f"main.tf:{exports}" in transfers[1][7]
    # the inventory is the verdict ledger: each data store's properties, where its data lives and how
    # that was resolved; then the other resources, with where their data goes
    stores = {r[0].split()[0]: r for r in page.table("3 data store(s)")[1:]}
    assert set(stores) == {"scalingo_addon.db", "aws_s3_bucket.exports", "aws_s3_bucket.brochures"}
    assert stores["aws_s3_bucket.exports"][1].startswith("finding HDS-LOC-001 its text is under Findings")
    assert 'provider.aws region = "us-east-1" (main.tf:8)' in stores["aws_s3_bucket.exports"][1]
    assert stores["scalingo_addon.db"][1].startswith("ok in the EEA: osc-fr1 (primary)")
    others = {r[0].split()[0]: r for r in page.table("2 other resource(s)")[1:]}
    assert set(others) == {"scalingo_app.api", "scalingo_container_type.web"}
    assert others["scalingo_app.api"][2].startswith("primary: osc-fr1 (France; EEA)")
    # suppressions, with reason and expiry, and where they are written
    sup = page.table("1 suppressed finding(s)")
    assert sup[1] == ["HDS-BAK-001", "aws_s3_bucket.brochures", f"main.tf:{brochures}",
                      "public brochures, no health data", "2027-06-30", f"comment in the code (main.tf:{comment})"]
    # catalog facts with their sources and dates
    facts = {r[0]: r[1] for r in page.table("Catalog facts: Scalingo")[1:]}
    assert facts["certificate"] == "n° 38436, LNE, from 2025-09-12, until 2028-09-11"
    assert facts["validity at the scan date"] == "valid"
    assert (facts["HDS certification"], facts["SecNumCloud"]) == ("certified (2024 (v2))", "not qualified")
    assert "True" not in facts.values() and "not_qualified" not in text
    assert "https://github.com/Scalingo/documentation/blob/master/src/_posts/compliance/2000-01-01-hds.md" in page.links
    assert "read on 2026-11-29" in text
    params = {r[0]: r[1] for r in page.table("Parameters")[1:]}
    assert (params["fail threshold"], params["allowed countries"], params["language"]) == ("medium", "the EEA", "English")
    trace = page.table("Traceability")
    assert trace[0] == ["scanned path", ".", "scan date", "2026-11-29"]  # as given


def test_the_report_is_one_self_contained_file():
    _, text, page = report()
    assert not [t for t, a in page.tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    assert not [a for t, a in page.tags if a.get("src")]
    assert "@import" not in text and "url(" not in text
    assert all(h.startswith(("#", "https://", "http://")) for h in page.links)  # sources are links, not resources
    # accessible: captions on every table, headers with scope, a skip link
    assert all(t["caption"] for t in page.tables)
    assert all(a.get("scope") in ("col", "row") for t, a in page.tags if t == "th")
    assert page.links[0] == "#main"


def test_the_report_in_french():
    _, text, page = report(lang="fr")
    assert page.lang == "fr"
    assert page.headings[:5] == ["Rapport de conformité HDS", "Synthèse", "Couverture des six périmètres HDS",
                                 "Points ouverts pour l'audit", "Constats"]
    matrix = page.table("Périmètre × fournisseur")
    assert [row[0] for row in matrix[1:]] == [
        "1. Sites physiques hébergeant l'infrastructure matérielle", "2. Infrastructure matérielle",
        "3. Infrastructure virtuelle", "4. Plateforme d'hébergement d'applications",
        "5. Administration et exploitation du système d'information", "6. Sauvegarde des données de santé"]
    assert matrix[1][2] == "certifié requis par 3 ressource(s)"
    assert "ÉCHEC : 7 constat(s) de gravité moyenne ou plus." in text
    transfers = page.table("2 flux")
    assert transfers[1][:5] == ["transfert", "aws_s3_bucket.exports", "données stockées",
                                "Amazon Web Services (fournisseur, Amazon S3)", "États-Unis (US)"]


# ---- rendered in headless Chromium ------------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(chromium_bin):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_bin, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_chromium_renders_the_matrix_without_error(browser, tmp_path, lang):
    _, text, _page = report(lang=lang)
    path = tmp_path / "report.html"
    path.write_text(text, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems, requests = [], []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    matrix = page.locator("table.matrix")
    assert matrix.is_visible()
    box = matrix.bounding_box()
    assert box["width"] > 600 and box["height"] > 200
    assert page.locator("table.matrix tbody tr").count() == 6
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing overflows
    # statuses are coloured (not only words): a certified cell is green, an unknown one amber
    colour = page.locator("table.matrix .st-covered").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(220, 252, 231)"
    assert problems == []
    assert requests == [path.as_uri()]  # nothing fetched but the file itself
    # it prints on A4
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 2 <= pages <= 16  # a sanity bound: the French text is longer; the ledger and the transfers add pages
    page.close()


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_coloured_status_meets_wcag_aa_contrast():
    from hdslint.report.html import STYLE

    pairs = re.findall(r"\{ color: (#[0-9a-f]{6}); background: (#[0-9a-f]{6}); \}", STYLE)
    assert len(pairs) >= 8  # five severities, three statuses
    for fg, bg in pairs:
        light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (fg, bg)
