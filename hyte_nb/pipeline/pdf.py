"""PDF deliverables: two A4 PDFs per report, printed by Debian's Chromium through the DevTools
protocol (Playwright's page.pdf): the story (`<report>.pdf`: the summary and the sections, with
charts and short tables) and its evidence (`<report>_liitteet.pdf`: the appendix pages of
reports.yml, `liite: true`, and the cleaning page: tests, intervals, reconciliation, cleaning
log). Each has a cover (organisation, title, year), a table of contents with page numbers, each
section on a new page, page numbers in the footer, no chart or table row split, nothing wider
than the page, and is a tagged PDF with a document outline. A story page's link to its evidence
becomes a page reference to the appendix PDF ("liitteet, s. 7").

The report's pages are assembled into one HTML document: each page's <main> content in the
order of reports.yml (or, without the declarations, of the report's index page), with print
styles of their own. Chromium comes from Debian (`make pdf` installs it when it is missing).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup

# Flags for a closed network: no background connections, no first-run or sync services.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
PRINTABLE_WIDTH = 673  # CSS px: 210 mm less the 16 mm margins
SMALL_TABLE_ROWS = 25  # a table this short is kept on one page; a longer one breaks between rows

PRINT_CSS = """
@page { size: A4; margin: 16mm 16mm 18mm 16mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-size: 10.5pt; background: #fff; }
main { max-width: none !important; margin: 0 !important; padding: 0 !important; }
/* JupyterLab's prompts, collapsers and scroll boxes have no place on paper */
.jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser, a.anchor-link { display: none !important; }
.jp-Cell, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output, .jp-Cell-outputWrapper, .jp-Cell-inputWrapper {
  display: block !important; overflow: visible !important; max-height: none !important; padding: 0 !important;
  margin-left: 0 !important; width: auto !important; max-width: 100% !important; }
.jp-mod-noOutputs.jp-mod-noInput { display: none !important; }
.kansi { break-after: page; min-height: 230mm; display: flex; flex-direction: column; justify-content: center; }
.kansi .organisaatio { font-size: 16pt; font-weight: 700; color: #5b1f69; margin: 0 0 6mm; }
.kansi h1 { font-size: 28pt; line-height: 1.2; color: #5b1f69; margin: 0 0 6mm; }
.kansi .vuosi { font-size: 20pt; margin: 0 0 10mm; }
nav.sisallys { break-after: page; }
nav.sisallys h2 { color: #5b1f69; }
nav.sisallys ol { list-style: none; padding: 0; margin: 0; }
nav.sisallys li { display: flex; align-items: baseline; gap: 2mm; padding: 1.5mm 0; border-bottom: 1px dotted #999; }
nav.sisallys li a { flex: 1; color: #1a1a1a; text-decoration: none; }
nav.sisallys .sivu { min-width: 10mm; text-align: right; }
section.osio { break-before: page; }
h1, h2, h3, h4, summary, caption { break-after: avoid; break-inside: avoid; }
/* a chart keeps its size unless it is taller than most of a page */
img { max-width: 100% !important; max-height: 190mm; width: auto; height: auto !important; object-fit: contain; }
img, figure, svg, .avainluku, blockquote, tr, th, td, .jp-RenderedImage, table.pieni { break-inside: avoid; }
/* JupyterLab fixes the table layout; on paper the columns share the width by their content */
table { max-width: 100% !important; width: auto; border-collapse: collapse; font-size: 9pt !important;
  table-layout: auto !important; }
thead { display: table-header-group; }
/* words stay whole (numbers keep their no-break spaces); a table too wide for that is fitted below */
td, th { white-space: normal !important; overflow-wrap: break-word !important; hyphens: manual !important; }
table.kapea { font-size: 8pt !important; }
table.kapea td, table.kapea th { padding: 1mm !important; }
table.kiintea { table-layout: fixed !important; width: 100% !important; }
table.kiintea td, table.kiintea th { overflow-wrap: anywhere !important; }
pre, code { white-space: pre-wrap !important; overflow-wrap: anywhere; }
a { color: inherit; }
/* The story is read on paper: charts at a reading size, their numbers (the HTML's folded
   tables) are in the appendix's tables, links to the evidence are page references. */
body.tarina figure.kaavio img { max-height: 80mm; max-width: 82% !important; }
body.tarina details.kaavion-luvut { display: none !important; }
body.tarina p.naytto { margin: 0 0 2mm; font-size: 8.5pt; color: #333; }
p.viite-liitteisiin { margin-top: 8mm; }
/* targets of page references: laid out (Chromium writes their destinations) but not seen */
nav.kohteet { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
"""

FOOTER = ('<div style="font-size:8pt;width:100%;padding:0 16mm;color:#333;display:flex;'
          'justify-content:space-between;font-family:Arial,sans-serif"><span>{title}</span>'
          '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>')


def find_chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


@contextmanager
def _browser(browser=None):
    """Debian's Chromium driven by Playwright (the DevTools protocol); never a downloaded browser.
    A browser the caller already has is used as it is (Playwright runs one session per thread)."""
    if browser is not None:
        yield browser
        return
    browser_path = find_chromium()
    if browser_path is None:
        raise RuntimeError("Chromiumia ei löydy: asenna se (make pdf asentaa Debianin chromium-paketin)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # a dev dependency: pip install -e '.[dev]'
        raise RuntimeError("PDF:n tulostus tarvitsee Playwrightin: pip install -e '.[dev]'") from error
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, headless=True, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# A table still wider than the page once its words wrap: smaller text and breaks inside words,
# and where even that is too wide, equal fixed columns.
FIT_TABLES = """() => {
  const width = document.documentElement.clientWidth;
  const wide = () => [...document.querySelectorAll('main table')]
    .filter(t => t.getBoundingClientRect().right > width + 1);
  wide().forEach(t => t.classList.add('kapea'));
  wide().forEach(t => t.classList.add('kiintea'));
  return wide().length;
}"""


def load(page, document: str) -> None:
    """The document laid out as on paper: the printable width of A4, print styles, tables fitted."""
    page.set_viewport_size({"width": PRINTABLE_WIDTH, "height": 1000})
    page.set_content(document, wait_until="load")
    page.emulate_media(media="print")
    page.evaluate(FIT_TABLES)


def _pdf(page, footer_title: str) -> bytes:
    return page.pdf(format="A4", margin=MARGIN, print_background=True, display_header_footer=True,
                    header_template="<span></span>", footer_template=FOOTER.format(title=html.escape(footer_title)),
                    tagged=True, outline=True)


# The table of contents' page numbers, written into the laid-out document (assemble's
# span.sivu after each entry's link), as assemble writes them when it is given them.
FILL_CONTENTS = """numbers => {
  for (const link of document.querySelectorAll('nav.sisallys li > a')) {
    const number = numbers[link.getAttribute('href').slice(1)];  // the id as written, as pdfinfo gives it back
    link.nextElementSibling.textContent = number === undefined ? '' : String(number);
  }
}"""


# -- what the report is ---------------------------------------------------------------------------
@dataclass
class Report:
    """One report's folder: who publishes it, its title and year, and its pages in order."""

    folder: Path
    organisation: str
    title: str
    year: int | None
    pages: list[tuple[Path, str]]  # the story: (HTML page, its title in the table of contents)
    key: str = ""
    pdf_name: str = ""  # default: the folder's name (reports/2024/hyte/hyte.pdf)
    appendix: list[tuple[Path, str]] = field(default_factory=list)  # the evidence, in the same form

    @property
    def pdf_path(self) -> Path:
        return self.folder / (self.pdf_name or f"{self.folder.name}.pdf")

    @property
    def appendix_pdf_path(self) -> Path:
        return self.folder / f"{self.folder.name}_liitteet.pdf"


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _declared(folder: Path, root: Path | None):
    """The declared report (reports.yml, organisaatio.yml) whose pages this folder holds, or
    None where there is no project folder or no such report."""
    from hyte_nb import reports as registry
    from hyte_nb.core.paths import find_root

    for start in [root] if root else [folder, None]:  # the project given, else the folder's, else the current
        try:
            project = find_root(start)
            reports = registry.declared(project)
        except (FileNotFoundError, ValueError):
            continue
        names = {p.stem for p in folder.glob("*.html")}
        if folder.name in reports:  # reports/<year>/<key>/
            return reports[folder.name]
        for report in reports.values():
            if {r.page for r in report.runs} & names:
                return report
    return None


def describe(report_folder: Path, root: Path | None = None) -> Report:
    """Organisation, title, year and pages of the report in report_folder: the declarations
    (reports.yml, organisaatio.yml) first, the report's index page for what they do not say."""
    folder = Path(report_folder)
    index = _soup(folder / "index.html") if (folder / "index.html").exists() else None
    index_title = index.title.get_text(strip=True) if index and index.title else ""
    heading = index.find("h1").get_text(strip=True) if index and index.find("h1") else index_title
    years = re.findall(r"\b(?:19|20)\d\d\b", f"{folder.parent.name} {index_title} {heading}")
    year = int(folder.parent.name) if folder.parent.name.isdigit() else int(years[-1]) if years else None
    linked = []  # the index's own order of pages
    for link in index.find_all("a", href=True) if index else []:
        target = folder / link["href"]
        if ("/" not in link["href"] and target.suffix == ".html" and target.exists() and target.name != "index.html"
                and target not in {p for p, _ in linked}):
            linked.append((target, link.get_text(strip=True)))
    report = _declared(folder, root)
    if report is not None:
        pages = [(folder / f"{r.page}.html", r.title) for r in report.pages if not r.appendix]
        appendix = [(folder / f"{r.page}.html", r.title) for r in report.pages if r.appendix]
        appendix.append((folder / f"{report.cleaning.page}.html", report.cleaning.title))
        pages, appendix = [(p, t) for p, t in pages if p.exists()], [(p, t) for p, t in appendix if p.exists()]
        organisation, title = report.organisation, report.title(year) if year else heading
    else:  # without the declarations: the index's pages, those titled "Liite…" in the appendix
        pages = [(p, t) for p, t in linked if not t.startswith("Liite")]
        appendix = [(p, t) for p, t in linked if t.startswith("Liite")]
        strong = index.find("strong") if index else None
        organisation, title = (strong.get_text(strip=True) if strong else ""), heading
    # a page the declarations or the index do not list still goes in, at the end of the appendix
    known = {p for p, _ in pages + appendix}
    for path in sorted(folder.glob("*.html")):
        if path.name != "index.html" and path not in known:
            soup = _soup(path)
            appendix.append((path, soup.title.get_text(strip=True) if soup.title else path.stem))
    return Report(folder, organisation, title, year, pages, report.key if report else folder.name,
                  appendix=appendix)


# -- one HTML document ------------------------------------------------------------------------------
def _anchor(path: Path) -> str:
    return f"osio-{path.stem}"


def _target(href: str) -> str | None:
    """The id a link to a report page (page.html or page.html#id) has in an assembled document."""
    page, _, fragment = href.partition("#")
    if "/" in page or not page.endswith(".html") or page == "index.html":
        return None
    anchor = _anchor(Path(page))
    return f"{anchor}--{fragment}" if fragment else anchor


def evidence_targets(pages: list[tuple[Path, str]], appendix: list[tuple[Path, str]]) -> list[str]:
    """The ids (in the appendix document) of everything the story pages link to in the appendix."""
    names = {p.name for p, _ in appendix}
    found = []
    for path, _ in pages:
        for link in _soup(path).find_all("a", href=True):
            if link["href"].partition("#")[0] in names and _target(link["href"]) not in found:
                found.append(_target(link["href"]))
    return found


def _section(path: Path, anchor: str, local: dict[str, str], references: dict[str, int] | None = None) -> str:
    """A page's <main> content as one section: ids made unique to the page, links to the
    report's other pages turned into links within the document (`references`: id -> page of
    the appendix PDF, for links to the appendix), page navigation left out."""
    soup = _soup(path)
    main = soup.find("main") or soup.body
    for nav in main.find_all("nav"):
        nav.decompose()
    for folded in main.find_all("details"):  # paper cannot unfold: a chart's numbers are printed open
        folded["open"] = ""
    for tag in main.find_all(id=True):
        tag["id"] = f"{anchor}--{tag['id']}"
    for link in main.find_all("a", href=True):
        href = link["href"]
        if href.startswith("#"):
            link["href"] = f"#{anchor}--{href[1:]}"
        elif href.split("#")[0] in local:
            link["href"] = f"#{_target(href)}"
        elif references is not None and unquote(_target(href) or "") in references:
            # evidence in the other PDF: the words and the page they are on
            link.name = "span"
            del link["href"]
            link.append(f" (liitteet, s.\u00a0{references[unquote(_target(href))]})")
    for table in main.find_all("table"):
        if len(table.find_all("tr")) <= SMALL_TABLE_ROWS:
            table["class"] = [*table.get("class", []), "pieni"]
    return f'<section class="osio" id="{anchor}">{main.decode_contents()}</section>'


def _notes(path: Path) -> str:
    """What a page says around its <main> besides its header, footer and navigation: the
    sample-data banner. On paper it goes on the cover, once."""
    body = _soup(path).body
    if body is None:
        return ""
    main = body.find("main")
    siblings = main.find_previous_siblings() + main.find_next_siblings() if main else []
    return "".join(str(tag) for tag in siblings if tag.name not in ("header", "footer", "nav", "script", "style"))


def _styles(path: Path) -> str:
    """The page's own styles (JupyterLab's and the house style), for the same look on paper."""
    soup = _soup(path)
    return "".join(str(s) for s in soup.find_all("style"))


def assemble(report: Report, page_numbers: dict[str, int] | None = None, part: str = "tarina",
             references: dict[str, int] | None = None) -> str:
    """The report's story (part "tarina") or its appendix ("liitteet") as one HTML document:
    cover, table of contents (with page numbers when known), then every page as a section
    starting on a new page. In the story, links to the appendix become page references
    (`references`: id in the appendix document -> its page); the appendix carries every id the
    story refers to as a link target, so that the printed PDF names its page."""
    pages = report.pages if part == "tarina" else report.appendix
    anchors = {path.name: _anchor(path) for path, _ in pages}
    numbers = page_numbers or {}
    entries = "".join(f'<li><a href="#{anchors[p.name]}">{html.escape(t)}</a>'
                      f'<span class="sivu">{numbers.get(anchors[p.name], "")}</span></li>' for p, t in pages)
    title = report.title if part == "tarina" else f"Liitteet: {report.title}"
    cover = (f'<section class="kansi"><p class="organisaatio">{html.escape(report.organisation)}</p>'
             f'<h1>{html.escape(title)}</h1>'
             + (f'<p class="vuosi">{report.year}</p>' if report.year else "")
             + (_notes(pages[0][0]) if pages else "") + "</section>")
    if part == "tarina" and report.appendix:
        where = (f'<p class="viite-liitteisiin">Tilastolliset testit, luottamusvälit, täsmäytys julkaistuun raporttiin, '
                 f'pienten lukujen suojaus ja aineiston puhdistus ovat liitteissä (erillinen tiedosto '
                 f'{html.escape(report.appendix_pdf_path.name)}); tekstin viittaukset kertovat liitteiden sivun.</p>')
    elif part != "tarina" and report.pages:
        targets = evidence_targets(report.pages, report.appendix)
        where = ('<nav class="kohteet" aria-hidden="true">'
                 + "".join(f'<a href="#{html.escape(t)}" tabindex="-1">.</a>' for t in targets) + "</nav>")
    else:
        where = ""
    contents = (f'<nav class="sisallys" aria-labelledby="sisallys"><h2 id="sisallys">Sisällys</h2>'
                f"<ol>{entries}</ol>{where}</nav>")
    sections = "".join(_section(p, anchors[p.name], anchors, references if part == "tarina" else None)
                       for p, _ in pages)
    styles = _styles(pages[0][0]) if pages else ""
    return (f'<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"{styles}<style>{PRINT_CSS}</style></head>"
            f'<body class="jp-Notebook {part}"><main class="jp-RenderedHTMLCommon">{cover}{contents}{sections}</main>'
            f"</body></html>")


def _destinations(pdf: Path) -> dict[str, int]:
    """Named destinations of a PDF (Chromium writes one for each target of an internal link)
    and their page numbers."""
    out = subprocess.run(["pdfinfo", "-dests", str(pdf)], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        match = re.match(r"\s*(\d+)\s+\[.*?\]\s+\"(.+)\"\s*$", line)
        if match:  # pdfinfo writes an id's non-ASCII letters percent-encoded
            found[unquote(match.group(2))] = int(match.group(1))
    return found


def _print_twice(browser, report: Report, part: str, footer: str, work: Path,
                 references: dict[str, int] | None = None) -> tuple[bytes, dict[str, int]]:
    """The document printed twice: the first print tells on which page each section (and each
    link target) is, for the table of contents. It is laid out once: the second print is of the
    same page with the numbers written in (the same document as `assemble(report, numbers, …)`).
    Returns the PDF and those pages."""
    page = browser.new_page()
    try:
        load(page, assemble(report, part=part, references=references))
        draft = work / f"{part}-luonnos.pdf"
        draft.write_bytes(_pdf(page, footer))
        page.evaluate(FILL_CONTENTS, _destinations(draft))
        final = _pdf(page, footer)
    finally:
        page.close()
    (work / f"{part}.pdf").write_bytes(final)
    return final, _destinations(work / f"{part}.pdf")


def print_report(report_folder: Path, root: Path | None = None, browser=None) -> Path:
    """The report in report_folder as two A4 PDFs beside its pages, e.g.
    reports/2024/hyte/hyte.pdf (the story) and hyte_liitteet.pdf (the evidence). The appendix
    is printed first, so that the story's references can name its pages; each is printed
    twice, for its table of contents. Returns the story's PDF."""
    return _print_report(describe(report_folder, root), browser)


def _print_report(report: Report, browser=None) -> Path:
    if not report.pages:
        raise RuntimeError(f"{report.folder}: raportilla ei ole sivuja tulostettavaksi")
    with _browser(browser) as browser, tempfile.TemporaryDirectory(prefix="hyte_nb-pdf-") as work:
        references = None
        if report.appendix:
            pdf, references = _print_twice(browser, report, "liitteet", f"Liitteet: {report.title}", Path(work))
            report.appendix_pdf_path.write_bytes(pdf)
        pdf, _ = _print_twice(browser, report, "tarina", report.title, Path(work), references)
        report.pdf_path.write_bytes(pdf)
    return report.pdf_path


def print_pdf(html_path: Path, pdf_path: Path, browser=None) -> Path:
    """One page as an A4 PDF with its own print styles (a section on its own)."""
    with _browser(browser) as browser:
        page = browser.new_page()
        try:
            page.goto(Path(html_path).resolve().as_uri(), wait_until="load")
            Path(pdf_path).write_bytes(page.pdf(format="A4", margin=MARGIN, print_background=True, tagged=True,
                                                outline=True))
        finally:
            page.close()
    if not Path(pdf_path).exists() or Path(pdf_path).stat().st_size == 0:
        raise RuntimeError(f"{html_path}: PDF:n tulostus ei tuottanut tiedostoa")
    return Path(pdf_path)


def print_reports(report_root: Path) -> list[Path]:
    """The story's and the appendix's PDFs of every report under reports/<year>/ (every folder
    with an index page and pages), the story's first."""
    folders = [p.parent for p in sorted(Path(report_root).glob("*/index.html"))]
    folders = [f for f in folders if any(p.name != "index.html" for p in f.glob("*.html"))]
    printed = []
    with _browser() as browser:
        for folder in folders:
            story = print_report(folder, browser=browser)
            appendix = story.with_name(f"{story.stem}_liitteet.pdf")
            printed += [story, appendix] if appendix.exists() else [story]
    return printed


def print_trends(root: Path, browser=None) -> Path | None:
    """The page of every built year (reports/kehitys.html) as its own A4 PDF beside it
    (reports/kehitys.pdf), with a cover and contents like a report; None where it has not been made."""
    from hyte_nb.pipeline import declared

    spec = declared.trends(root)
    page = Path(root) / "reports" / f"{spec.page}.html" if spec else None
    if page is None or not page.exists():
        return None
    report = Report(page.parent, declared.publisher(root), spec.title, None, [(page, spec.title)], spec.page,
                    pdf_name=f"{spec.page}.pdf")
    return _print_report(report, browser)
