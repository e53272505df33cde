"""The index pages: one per report (its pages), one per year (its reports, and which failed)
and reports/index.html (every year built). Each year's status is kept in
reports/<year>/tila.json so that the index of all years can be rewritten from it."""

from __future__ import annotations

import html
import json
from pathlib import Path

from hyte_nb.build.declared import Report, publisher
from hyte_nb.core.paths import Paths

CSS = Path(__file__).resolve().parent / "templates" / "hyte" / "hyte.css"
STATUS = "tila.json"


def page(title: str, body: str) -> str:
    css = CSS.read_text(encoding="utf-8")
    return (f'<!DOCTYPE html>\n<html lang="fi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0"><style>{css}</style></head>'
            f'<body class="jp-Notebook"><main class="jp-RenderedHTMLCommon"><h1>{html.escape(title)}</h1>{body}'
            f"</main></body></html>\n")


def _links(items: list[tuple[str, str]]) -> str:
    return "<ul>" + "".join(f'<li><a href="{html.escape(href)}">{html.escape(text)}</a></li>'
                            for href, text in items) + "</ul>"


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>" if text else ""


def write_report_index(report: Report, folder: Paths, pages: list[tuple[str, str]],
                       appendix: tuple[str, str]) -> Path:
    body = (f"<p><strong>{html.escape(report.organisation)}</strong></p>" + _paragraph(report.intro)
            + "<h2>Sisältö</h2>" + _links(pages + [appendix]) + _paragraph(report.closing)
            + (f"<p>Yhteystiedot: {html.escape(report.contact)}</p>" if report.contact else "")
            + '<p><a href="../index.html">Vuoden kaikki raportit</a></p>')
    path = folder.reports / "index.html"
    path.write_text(page(report.title(folder.year), body), encoding="utf-8")
    return path


def write_year_index(folder: Path, year: int, reports: dict[str, Report], built: list[str],
                     failed: dict[str, str]) -> Path:
    """The year's reports (folder: reports/<year>/); when the latest build failed, which report
    failed and why, and that the pages shown are those of the last build that succeeded."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    body = _links([(f"{key}/index.html", reports[key].title(year)) for key in built])
    if failed:
        body += ('<div class="huomio"><p><strong>Viimeisin koonti epäonnistui</strong>, joten yllä ovat edellisen '
                 "onnistuneen koonnin sivut (jos sellainen on). Korjaa vika ja aja koonti uudelleen:</p><ul>"
                 + "".join(f"<li>{html.escape(reports[key].title(year))}: {html.escape(error.splitlines()[0])}</li>"
                           for key, error in failed.items()) + "</ul></div>")
    body += '<p><a href="../index.html">Kaikki vuodet</a></p>'
    (folder / STATUS).write_text(json.dumps({"valmiit": built, "epaonnistuneet": sorted(failed)}, ensure_ascii=False),
                                 encoding="utf-8")
    path = folder / "index.html"
    path.write_text(page(f"Raportit {year}", body), encoding="utf-8")
    return path


def write_root_index(root: Path, reports: dict[str, Report]) -> Path:
    """Every year that has been built, newest first, with its reports."""
    folder = Path(root) / "reports"
    years = sorted((p for p in folder.glob("[0-9][0-9][0-9][0-9]") if (p / STATUS).exists()),
                   key=lambda p: p.name, reverse=True)
    parts = []
    for year_dir in years:
        status = json.loads((year_dir / STATUS).read_text(encoding="utf-8"))
        year = int(year_dir.name)
        links = [(f"{year}/{key}/index.html", reports[key].title(year) if key in reports else key)
                 for key in status["valmiit"]]
        note = (f"<p>Epäonnistui: {html.escape(', '.join(status['epaonnistuneet']))}</p>"
                if status["epaonnistuneet"] else "")
        parts.append(f'<h2><a href="{year}/index.html">{year}</a></h2>' + _links(links) + note)
    path = folder / "index.html"
    path.write_text(page(publisher(root), "".join(parts) or "<p>Yhtään vuotta ei ole vielä tehty.</p>"),
                    encoding="utf-8")
    return path
