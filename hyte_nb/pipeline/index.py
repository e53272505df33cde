"""What surrounds the pages: the index pages, one per report (every section with a one-line
summary and its headline figure), one per year (its reports, and which failed) and
reports/index.html (every year built); and on every rendered page the report's name, links to
its index and to the previous and next page, and the banner of a page built on sample data.
A year still running says its period (hyte_nb.core.period) on every page header and on every
index: "Ajanjakso 1.1.–4.12.2026 (vuosi kesken)".

The page order is the order of reports.yml: the sections, then the appendix (the report's
cleaning page). hyte_nb/pipeline/chrome.py (an nbconvert preprocessor the `hyte` template
registers) puts `page_links` into each rendered page. Each year's status is kept in reports/<year>/tila.json so that the index of all
years can be rewritten from it.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from hyte_nb import reports
from hyte_nb.pipeline import declared
from hyte_nb.pipeline.declared import Report, publisher
from hyte_nb.core import period, suppression_settings, texts
from hyte_nb.core.paths import SAME_PERIOD, SAMPLE_MARKER, Paths

CSS = Path(__file__).resolve().parent / "templates" / "hyte" / "hyte.css"
STATUS = "tila.json"


def _say(name: str, root: Path | None, **values) -> str:
    """A sentence of the pages' surroundings (hyte_nb/tekstit/yhteiset.md, or the project's wording
    of it) as HTML: escaped, its **bold** in <strong>."""
    text = html.escape(texts.phrase("yhteiset", name, root, **values))
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)


def banner(sample: bool, root: Path | None = None) -> str:
    """The banner of a page built on sample data (root: the project folder, for its wording)."""
    return f'<div class="esimerkkiaineisto" role="note"><p>{_say("esimerkkiaineisto", root)}</p></div>' if sample else ""


def page(title: str, body: str, header: str = "", sample: bool = False, root: Path | None = None) -> str:
    css = CSS.read_text(encoding="utf-8")
    return (f'<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0"><style>{css}</style></head>'
            f'<body class="jp-Notebook">{header}{banner(sample, root)}{suppression_settings.banner_html()}'
            f'<main class="jp-RenderedHTMLCommon">'
            f"<h1>{html.escape(title)}</h1>{body}</main></body></html>\n")


def _links(items: list[tuple[str, str]]) -> str:
    return "<ul>" + "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>'
                            for href, text in items) + "</ul>"


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>" if text else ""


# -- the period of an incomplete year ----------------------------------------------------------------
def period_line(processed: Path, comparison_year: int) -> str:
    """'Ajanjakso 1.1.–4.12.2026 (vuosi kesken)', with '· vertailu: sama ajanjakso 1.1.–4.12.2025'
    where last year's figures for the same period are set beside this year's; '' for a complete
    year (or before the cleaning has run)."""
    span = period.read(processed)
    if span is None or span.complete:
        return ""
    line = span.line()
    if (Path(processed) / SAME_PERIOD).exists():
        line += f" · vertailu: sama ajanjakso {span.same_in(comparison_year).label()}"
    return line


def _period_paragraph(line: str) -> str:
    return f'<p class="ajanjakso">{html.escape(line)}</p>' if line else ""


def _period_label(processed: Path) -> str:
    """' (1.1.–4.12.2026, vuosi kesken)' after a report's name in a list of reports."""
    span = period.read(processed)
    return "" if span is None or span.complete else f" ({span.label()}, vuosi kesken)"


# -- the place of a page in its report ------------------------------------------------------------
@dataclass(frozen=True)
class PageLinks:
    """Where a rendered page sits in its report."""

    report_title: str
    organisation: str
    title: str
    position: int  # 1-based, the appendix last
    count: int
    previous: tuple[str, str] | None  # (href, title)
    next: tuple[str, str] | None
    sample: bool
    period: str = ""  # an incomplete year's period line (period_line)
    root: Path | None = None  # the project folder (its wording of the sample banner)

    def header(self) -> str:
        nav = [f'<span class="sijainti">Sivu {self.position} / {self.count}</span>']
        if self.previous:
            nav.insert(0, f'<a rel="prev" href="{html.escape(self.previous[0])}">← {html.escape(self.previous[1])}</a>')
        if self.next:
            nav.append(f'<a rel="next" href="{html.escape(self.next[0])}">{html.escape(self.next[1])} →</a>')
        return (f'<header class="sivun-ylaosa"><p class="raportti"><a href="index.html">'
                f'{html.escape(self.report_title)}</a> <span class="julkaisija">{html.escape(self.organisation)}'
                f'</span></p>{_period_paragraph(self.period)}<nav class="sivut" aria-label="Raportin sivut">'
                f'{" ".join(nav)}</nav></header>' + banner(self.sample, self.root))

    def footer(self) -> str:
        parts = []
        if self.previous:
            parts.append(f'<a rel="prev" href="{html.escape(self.previous[0])}">← Edellinen: '
                         f'{html.escape(self.previous[1])}</a>')
        parts.append('<a href="index.html">Raportin sisällys</a>')
        if self.next:
            parts.append(f'<a rel="next" href="{html.escape(self.next[0])}">Seuraava: {html.escape(self.next[1])} →</a>')
        return (f'<footer class="sivun-alaosa"><nav class="sivut" aria-label="Edellinen ja seuraava sivu">'
                f'{" ".join(parts)}</nav></footer>')


def page_order(report: Report) -> list[declared.Run]:
    """The report's pages as a reader goes through them: the sections, then the appendix."""
    return [*report.pages, report.cleaning]


def page_links(root: Path, year: int, page_name: str, raw: Path | None = None,
               processed: Path | None = None) -> PageLinks | None:
    """The page's place in the report that declares it (None when no report does); raw and
    processed: the run's folders when not the default ones."""
    for key, report in reports.declared(root).items():
        order = page_order(report)
        names = [run.page for run in order]
        if page_name not in names:
            continue
        i = names.index(page_name)
        sample = (Path(raw).parent / SAMPLE_MARKER).exists() if raw else Paths.of(year, key, root).is_sample
        link = lambda run: (f"{run.page}.html", run.title)  # noqa: E731
        folder = Paths.of(year, key, root)
        line = period_line(Path(processed) if processed else folder.processed, folder.comparison_year)
        return PageLinks(report.title(year), report.organisation, order[i].title, i + 1, len(order),
                         link(order[i - 1]) if i > 0 else None, link(order[i + 1]) if i + 1 < len(order) else None,
                         sample, line, root)
    return None


# -- index pages -----------------------------------------------------------------------------
def page_extras(report: Report) -> dict[str, declared.Run]:
    """Each page's run, by page name, as the report declares it: its one-line summary, headline
    figure and the words after it."""
    return {run.page: run for run in page_order(report)}


SUMMARIES = ".sisallys.json"  # beside the pages: the index's headline figures, and what they came from


def _section_summaries(report: Report, folder: Paths) -> tuple[dict[str, str], list[str]]:
    """page -> '<strong>58 318¹</strong> kohtaamista', and the footnotes of the marks. Kept beside
    the pages with the fingerprint of what they came from, so that a rebuild that changed
    nothing writes the index without reading the figures again."""
    from hyte_nb.pipeline import manifest

    # What the headlines and the report's hidden figures are made from: the year's clean tables and
    # figures, the published report, the declarations, the project's wording of the shared prose, the
    # suppression threshold and switch, the package's rules. The hidden set itself is computed only
    # when one of these changed.
    sources = [*sorted(folder.processed.glob("*.parquet")), folder.reference, Path(folder.root) / declared.REPORTS_FILE,
               Path(folder.root) / texts.FOLDER / texts.COMMON / "yhteiset.md"]
    config = suppression_settings.settings(folder.root)
    key = ([folder.year, report.key, config.threshold, config.on, manifest.package_hash()]
           + [[p.name, manifest.file_hash(p) if p.exists() else ""] for p in sources])  # lists: as JSON reads them back
    cache = folder.reports / SUMMARIES
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached["avain"] == key:
            return cached["luvut"], cached["alaviitteet"]
    except (FileNotFoundError, ValueError, KeyError):
        pass
    headlines, notes = _compute_summaries(report, folder)
    folder.reports.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"avain": key, "luvut": headlines, "alaviitteet": notes}, ensure_ascii=False),
                     encoding="utf-8")
    return headlines, notes


def _compute_summaries(report: Report, folder: Paths) -> tuple[dict[str, str], list[str]]:
    """The headline figures as the report's pages show them: through the report's own section
    model (its suppression: '< 5', '..'; its marks), whose footnotes go under the list."""
    from hyte_nb.core import figures as figures_table

    if figures_table.read_if_exists(folder.processed) is None:
        return {}, []
    section = reports.load(report.key, folder)
    headlines = {}
    for name, run in page_extras(report).items():
        fid = run.headline.format(vuosi=folder.year, edellinen_vuosi=folder.comparison_year)
        if fid and fid in section.figures.index:
            headlines[name] = f"<strong>{html.escape(section.luku(fid))}</strong> {html.escape(run.headline_words)}"
    notes = section.take_footnotes()
    if section.has_reference:
        from hyte_nb.core import reconcile

        s = reconcile.summary(section.reconciliation())
        differ = s["selitetty"] + s["poikkeaa"]
        part = "indeksi_tasmaa" if not differ else "indeksi_tasmaa_ero" if differ == 1 else "indeksi_tasmaa_eroja"
        headlines[report.cleaning.page] = _say(part, folder.root, painettuja=s["painettuja lukuja"],
                                               tasmaa=s["täsmää"], eroja=differ)
    return headlines, notes


def write_report_index(report: Report, folder: Paths, pages: list[tuple[str, str]],
                       appendix: tuple[str, str]) -> Path:
    """The report's front page: organisation, intro, every page with its summary and headline
    figure (the figures that differ from the published report marked), closing words, contact."""
    extras = page_extras(report)
    headlines, notes = _section_summaries(report, folder)
    items = []
    for href, title in [*pages, appendix]:
        name = Path(href).stem
        summary = extras[name].summary if name in extras else ""
        line = " ".join(p for p in (headlines.get(name, ""), html.escape(summary)) if p)
        items.append(f'<li><a href="{html.escape(href)}">{html.escape(title)}</a>'
                     + (f'<p class="tiivistelma">{line}</p>' if line else "") + "</li>")
    footnotes = "".join(f'<p class="alaviite">{n}</p>' for n in notes)
    body = (f'<p class="julkaisija"><strong>{html.escape(report.organisation)}</strong></p>'
            + _period_paragraph(period_line(folder.processed, folder.comparison_year)) + _paragraph(report.intro)
            + '<h2>Sisältö</h2><ol class="sisalto">' + "".join(items) + "</ol>"
            + (f'<div class="alaviitteet">{footnotes}</div>' if footnotes else "") + _paragraph(report.closing)
            + (f"<p>Yhteystiedot: {html.escape(report.contact)}</p>" if report.contact else "")
            + '<p><a href="../index.html">Vuoden kaikki raportit</a></p>')
    header = (f'<header class="sivun-ylaosa"><nav class="sivut" aria-label="Raportit">'
              f'<a href="../index.html">Vuoden {folder.year} raportit</a></nav></header>')
    path = folder.reports / "index.html"
    path.write_text(page(report.title(folder.year), body, header, folder.is_sample, folder.root), encoding="utf-8")
    return path


def _processed_label(root: Path, year: int, key: str) -> str:
    """The period label of a report of the year, from its cleaned data in the project folder."""
    try:
        return _period_label(Paths.of(year, key, root).processed)
    except FileNotFoundError:  # not inside a project folder
        return ""


def _is_sample(root: Path, year: int, keys) -> bool:
    try:
        return any(Paths.of(year, key, root).is_sample for key in keys)
    except FileNotFoundError:  # not inside a project folder
        return False


def write_year_index(folder: Path, year: int, reports: dict[str, Report], built: list[str],
                     failed: dict[str, str]) -> Path:
    """The year's reports (folder: reports/<year>/, or the build's staging folder beside it);
    when the latest build failed, which report failed and why, and that the pages shown are
    those of the last build that succeeded."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.parent.parent
    body = _links([(f"{key}/index.html", reports[key].title(year) + _processed_label(root, year, key))
                   for key in built])
    if failed:  # each report is published on its own: the others' pages are this build's
        body += (f'<div class="huomio"><p>{_say("indeksi_epaonnistui", root)}</p><ul>'
                 + "".join(f"<li>{html.escape(reports[key].title(year))}: {html.escape(' '.join(error.split()))}</li>"
                           for key, error in failed.items()) + "</ul></div>")
    body += '<p><a href="../index.html">Kaikki vuodet</a></p>'
    (folder / STATUS).write_text(json.dumps({"valmiit": built, "epaonnistuneet": sorted(failed)}, ensure_ascii=False),
                                 encoding="utf-8")
    path = folder / "index.html"
    path.write_text(page(f"Raportit {year}", body, sample=_is_sample(root, year, built), root=root),
                    encoding="utf-8")
    return path


def _built(root: Path) -> list[tuple[int, list[str]]]:
    """Every year that has been built, newest first, with the reports built."""
    folder = Path(root) / "reports"
    years = sorted((p for p in folder.glob("[0-9][0-9][0-9][0-9]") if (p / STATUS).exists()),
                   key=lambda p: p.name, reverse=True)
    return [(int(p.name), json.loads((p / STATUS).read_text(encoding="utf-8"))["valmiit"]) for p in years]


def trends_chrome(root: Path, title: str) -> tuple[str, str]:
    """The header and footer of the page of every built year (reports/kehitys.html): the link
    to the index of all years, and the sample banner where any year shown was built on sample data."""
    reports_found = reports.declared(root)
    sample = any(_is_sample(root, year, [k for k in built if k in reports_found]) for year, built in _built(root))
    nav = (f'<header class="sivun-ylaosa"><p class="raportti"><a href="index.html">{html.escape(publisher(root))}'
           f'</a></p><nav class="sivut" aria-label="Raportit"><a href="index.html">Kaikki vuodet</a> '
           f'<span class="sijainti">{html.escape(title)}</span></nav></header>')
    footer = ('<footer class="sivun-alaosa"><nav class="sivut" aria-label="Kaikki raportit">'
              '<a href="index.html">Kaikki vuodet ja raportit</a></nav></footer>')
    return nav + banner(sample, root), footer


def write_root_index(root: Path, reports: dict[str, Report]) -> Path:
    """Every year that has been built, newest first, with its reports; the page of every built
    year first, where it has been made."""
    folder = Path(root) / "reports"
    years = sorted((p for p in folder.glob("[0-9][0-9][0-9][0-9]") if (p / STATUS).exists()),
                   key=lambda p: p.name, reverse=True)
    parts = []
    trends = declared.trends(root)
    if trends is not None and (folder / f"{trends.page}.html").exists():
        parts.append(f'<p class="kehitys"><a href="{html.escape(trends.page)}.html">{html.escape(trends.title)}</a>: '
                     f'{_say("indeksi_kehitys", root)}</p>')
    for year_dir in years:
        status = json.loads((year_dir / STATUS).read_text(encoding="utf-8"))
        year = int(year_dir.name)
        links = [(f"{year}/{key}/index.html", (reports[key].title(year) if key in reports else key)
                  + _processed_label(root, year, key)) for key in status["valmiit"]]
        note = (f"<p>Epäonnistui: {html.escape(', '.join(status['epaonnistuneet']))}</p>"
                if status["epaonnistuneet"] else "")
        sample = _is_sample(root, year, [key for key in status["valmiit"] if key in reports])
        label = " (esimerkkiaineisto)" if sample else ""
        parts.append(f'<h2><a href="{year}/index.html">{year}</a>{label}</h2>' + _links(links) + note)
    path = folder / "index.html"
    path.write_text(page(publisher(root), "".join(parts) or f'<p>{_say("indeksi_ei_vuosia", root)}</p>', root=root),
                    encoding="utf-8")
    return path
