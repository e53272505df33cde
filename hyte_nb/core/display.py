"""What a notebook shows, for every report: Finnish text, key figures, tables, charts with
their alt texts and numbers, quotes, the analyst's texts, and the line that ends every section
page. The section model (figures, suppression, marks and their footnotes) is
hyte_nb.core.section; the appendix's reconciliation, audit and cleaning log are
hyte_nb.core.appendix. Both are importable from here too, so a notebook imports one module.

Notebooks stay thin: they load their report's section object, call these helpers and narrate.
The footnotes of marks made since the last output follow the next output shown here.
"""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

from hyte_nb.core import charts, reconcile, suppression
from hyte_nb.core import figures as figures_mod
from hyte_nb.core import section as section_mod
from hyte_nb.core import texts as texts_mod
from hyte_nb.core.section import (MARK_BEFORE_SUFFIX, NO_REFERENCE, SUPERSCRIPT, Hidden, Section,  # noqa: F401
                                  footnote, hidden_footnote, new_page, suppression_note, take_footnotes)


def _flush() -> None:
    lines = section_mod.take_pending()
    if lines:
        display(HTML('<div class="alaviitteet">' + "".join(f'<p class="alaviite">{line}</p>' for line in lines)
                     + "</div>"))


# -- text and figures --------------------------------------------------------------------------------
def md(text: str) -> None:
    display(Markdown(text))
    _flush()


def html_block(markup: str) -> None:
    display(HTML(markup))
    _flush()


def key_figures(items: list[tuple[str, str]]) -> None:
    """Big numbers with a caption, e.g. [("2 742", "asiakasta"), ...]."""
    cards = "".join(f'<div class="avainluku"><p class="arvo">{html.escape(v)}</p>'
                    f'<p class="selite">{html.escape(c)}</p></div>' for v, c in items)
    html_block(f'<div class="avainluvut">{cards}</div>')


_NUMERIC = re.compile(r"^[+\-\u2212]?[\d\u00a0 ,.–]+(\u00a0?%)?[⁰¹²³⁴⁵⁶⁷⁸⁹]*$")
_SUPPRESSED = re.compile(r"^(<[\u00a0 ]?\d+|\.\.)[⁰¹²³⁴⁵⁶⁷⁸⁹]*$")  # '< 5', '..': a hidden number


def _looks_numeric(column: pd.Series) -> bool:
    values = [str(v) for v in column if str(v) not in ("", "–", "nan", "<NA>") and not _SUPPRESSED.match(str(v))]
    return bool(values) and all(_NUMERIC.match(v) for v in values)


def table_html(frame: pd.DataFrame, numeric: list[str] | None = None, caption: str = "") -> str:
    """A table of already formatted text: text columns left, numeric columns right-aligned
    (by default every column after the first whose cells are all numbers)."""
    if numeric is None:
        numeric = [c for c in frame.columns[1:] if _looks_numeric(frame[c])]
    numeric = set(numeric)

    def cls(column) -> str:
        return "luku" if column in numeric else "teksti"

    head = "".join(f'<th scope="col" class="{cls(c)}">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join("<tr>" + "".join(f'<td class="{cls(c)}">{html.escape("" if pd.isna(v) else str(v))}</td>'
                                    for c, v in zip(frame.columns, row)) + "</tr>"
                   for row in frame.itertuples(index=False))
    top = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="taulukko">{top}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def evidence_link(href: str, words: str) -> None:
    """The line under a claim of a story page that links to its evidence in the appendix (the
    PDF turns it into a page reference of the appendix PDF)."""
    html_block(f'<p class="naytto"><a href="{html.escape(href)}">{html.escape(words)}</a></p>')


def table(frame: pd.DataFrame, numeric: list[str] | None = None, caption: str = "") -> None:
    html_block(table_html(frame, numeric, caption))


def details(summary: str, inner_html: str) -> None:
    """Something for the reader who wants more, folded away: <details> with a summary line."""
    html_block(f'<details class="lisatiedot"><summary>{html.escape(summary)}</summary>{inner_html}</details>')


# -- charts -----------------------------------------------------------------------------------------
def chart_title(fig) -> str:
    """The title a chart was drawn with (the figure's or its first axes')."""
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        return suptitle.get_text()
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            if ax.get_title(loc=loc):
                return ax.get_title(loc=loc)
    return ""


def alt_text(fig) -> str:
    """The chart's Finnish alt text: the one the chart function wrote from its data, or else
    one from its title (never nbconvert's English default)."""
    written = getattr(fig, "alt_text", None)
    if written:
        return str(written)
    title = chart_title(fig)
    return f"Kaavio: {title}. Kaavion luvut ovat sen alla olevassa taulukossa." if title else \
        "Kaavio; sen luvut ovat sen alla olevassa taulukossa."


def chart_html(fig, alt: str | None = None, data: pd.DataFrame | None = None, numbers_below: bool = False) -> str:
    """A matplotlib figure as an inline PNG <img> with its alt text, and its numbers as a table
    in a <details> where the chart carries them (fig.data_table) or they are given, unless the
    page shows them in a table right below the chart (numbers_below)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = alt or alt_text(fig)
    if data is None:
        data = getattr(fig, "data_table", None)
    charts.plt.close(fig)
    numbers = ""
    numbers_below = numbers_below or getattr(fig, "numbers_below", False)
    if isinstance(data, pd.DataFrame) and not data.empty and not numbers_below:
        numbers = (f'<details class="kaavion-luvut"><summary>Kaavion luvut taulukkona</summary>'
                   f"{table_html(data.astype(str), list(data.columns[1:]))}</details>")
    return (f'<figure class="kaavio"><img src="data:image/png;base64,{encoded}" alt="{html.escape(alt, quote=True)}">'
            f"{numbers}</figure>")


def show(fig, alt: str | None = None, data: pd.DataFrame | None = None, numbers_below: bool = False) -> None:
    """Show a chart: an <img> (self-contained in the HTML) with a Finnish alt text, and its
    numbers in a table under it (folded away), unless the page's own table right below the
    chart has them (numbers_below=True)."""
    html_block(chart_html(fig, alt, data, numbers_below))


# -- quotes ----------------------------------------------------------------------------------------
STORY_QUOTES = 3  # a story page shows this many quotes; the appendix has them all


def quotes(items, limit: int | None = None, rest_href: str = "") -> None:
    """Quotes in Finnish quotation marks; the attribution ("(Mies 35v)") and the source stand
    after them, outside the quotation. Items are texts.Quote or (source, text) pairs. With
    `limit`, the first `limit` quotes and a link to all of them (`rest_href`, in the appendix)."""
    items = list(items)
    shown = items[:limit] if limit else items
    parts = []
    for item in shown:
        if isinstance(item, texts_mod.Quote):
            text, attribution, source = item.text, item.attribution, item.source
        else:
            source, raw = item
            text, attribution = texts_mod.split_attribution(raw)
        caption = " ".join(p for p in (source, f"({attribution})" if attribution else "") if p)
        parts.append(f'<figure class="sitaatti"><blockquote><p>”{html.escape(text)}”</p></blockquote>'
                     + (f"<figcaption>{html.escape(caption)}</figcaption>" if caption else "") + "</figure>")
    html_block("".join(parts) or "<p>Ei lainattavia vastauksia.</p>")
    if len(shown) < len(items) and rest_href:
        evidence_link(rest_href, f"Kaikki {len(items)} sitaattia liitteessä")


# -- the analyst's texts ---------------------------------------------------------------------------------
class Texts:
    """A page's editorial texts bound to its section: parts filled with its figures."""

    def __init__(self, section: Section, page: texts_mod.PageTexts, extra: dict[str, str]):
        self.section, self.page, self.extra = section, page, extra
        self.noted = False

    def filled(self, part: str, optional: bool = False) -> str | None:
        raw = self.page.part(part, optional)
        if raw is None:
            return None
        filled = texts_mod.fill(raw, lambda fid, attr: self.extra[fid] if fid in self.extra and attr is None
                                else self.section.placeholder(fid, attr))
        return MARK_BEFORE_SUFFIX.sub(r"\2\1", filled)  # "67 %¹:lla" -> "67 %:lla¹"


def texts(section: Section, page: str, **extra) -> Texts:
    """Load the page's texts for the section's year (checked against its figures and `extra`,
    values computed elsewhere, e.g. the number of questions)."""
    folder = section.folder
    root = folder.root if folder is not None else Path.cwd()
    report = folder.report if folder is not None else ""
    known = set(section.figures.index) | set(extra)
    loaded = Texts(section, texts_mod.load(root, section.year, report, page, known),
                   {k: str(v) for k, v in extra.items()})
    section._texts.append(loaded)
    return loaded


def text(page_texts: Texts, part: str, optional: bool = False, when: bool = True) -> None:
    """Show one part of the page's texts (nothing for an empty part, or for an optional part the
    file does not have); the first part shown brings the note when the texts are an earlier
    year's or missing. when=False: the page deliberately leaves the part out this year (e.g. its
    question was not asked), so it is neither shown nor reported as unused."""
    if not when:
        if page_texts.page.path is not None and part in page_texts.page.parts:
            page_texts.page.used.add(part)
        return
    body = page_texts.filled(part, optional)
    if not page_texts.noted and page_texts.page.note():
        page_texts.noted = True
        html_block(f'<p class="huomio">{html.escape(page_texts.page.note())}</p>')
    if body:
        md(body)


# -- the end of a section page ------------------------------------------------------------------------
def section_figures(section: Section, name: str) -> None:
    """Every figure the section computes, as text, beside last year's where it exists: folded
    away at the end of the page."""
    previous = section.previous_figures
    shown = figures_mod.section_table(section.figures, name, previous, section.year, section.comparison_year)
    if shown.empty:
        return
    shown, hidden = _mask_section_table(section, name, shown)
    same = section.same_period
    if previous is None:
        what = f"samalta ajanjaksolta {same.label()} " if same else ""
        note = (f"<p>Vuoden {section.comparison_year} lukuja {what}ei ole laskettu, joten vertailua edelliseen vuoteen ei "
                f"näytetä.</p>")
    elif same:
        note = (f"<p>Vuosi {section.year} on kesken ({section.data_period.label()}), joten vertailu: sama ajanjakso "
                f"{same.label()}.</p>")
    else:
        note = ""
    if hidden:
        config = suppression.settings()
        note += (f'<p class="alaviite">{html.escape(config.mark)} = alle {config.threshold} henkilöä; '
                 f"{suppression.HIDDEN} = luku on piilotettu, koska se on laskettu alle {config.threshold} henkilön "
                 f"joukosta tai siitä voisi päätellä alle {config.threshold} henkilön lukumäärän (pienten lukujen "
                 f"suojaus).</p>")
    summary = f"Osion kaikki luvut ({len(shown)})" + (f" ja vuosi {section.comparison_year}" if previous is not None else "")
    if previous is not None and same:
        summary += f" samalta ajanjaksolta {same.label()}"
    details(summary, note + table_html(shown, [c for c in shown.columns if c != "Luku"]))


def _mask_section_table(section: Section, name: str, shown: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The section's figures as `figures.section_table` lists them (in the figures table's
    order), with this year's and last year's hidden figures as their marks and the change
    hidden where either is. True when something was hidden."""
    ids = list(section.figures.index[section.figures["osio"] == name])
    now, before = section.hidden, section.previous_hidden
    if not any(fid in now or fid in before for fid in ids):
        return shown, False
    shown = shown.astype(object).copy()
    year, last = str(section.year), str(section.comparison_year)
    value_column = year if year in shown.columns else "Arvo"
    for i, fid in enumerate(ids):
        if fid in now:
            shown.iat[i, shown.columns.get_loc(value_column)] = now[fid].value
            if now[fid].n:
                shown.iat[i, shown.columns.get_loc("n")] = now[fid].n
        if fid in before and last in shown.columns:
            shown.iat[i, shown.columns.get_loc(last)] = before[fid].value
        if (fid in now or fid in before) and "Muutos" in shown.columns:
            shown.iat[i, shown.columns.get_loc("Muutos")] = suppression.HIDDEN
    return shown, True


def heading(text: str, anchor: str, level: int = 2) -> None:
    """A heading with a fixed id: the target of the story's links to its evidence."""
    html_block(f'<h{level} id="{html.escape(anchor)}">{html.escape(text)}</h{level}>')


def marks_note(section: Section) -> None:
    """One line on the figures marked on a page that does not end with page_end (the summary,
    the appendix): the published report printed them otherwise; the reconciliation explains."""
    marks = marks_text(section)
    if marks:
        html_block(f'<p class="tasmaytys">Merkityt luvut ({marks}) on julkaistussa raportissa painettu toisin, koska '
                   f'raportin omat luvut eivät täsmää keskenään. <a href="{html.escape(section.appendix)}">Selitykset '
                   f"liitteessä</a>.</p>")


def marks_text(section: Section) -> str:
    """The page's marks as one readable span: '¹', '¹–¹¹' ('' without marks; they run from ¹)."""
    count = len(section._marks)
    return "" if not count else "¹" if count == 1 else f"¹–{str(count).translate(SUPERSCRIPT)}"


def check_texts(section: Section) -> None:
    """Every part of the page's texts was shown (a part no page shows is an error naming the file)."""
    for loaded in section._texts:
        unused = loaded.page.unused()
        if unused:
            raise texts_mod.TextError(f"{loaded.page.path}: osat {', '.join(unused)} eivät näy millään sivulla. "
                                      f"Sivu {loaded.page.page} näyttää osat {', '.join(loaded.page.used)}; poista "
                                      f"ylimääräiset tai nimeä ne uudelleen.")


def page_end(section: Section, names: list[str]) -> None:
    """The line every section page ends with: how many of its figures match the published
    report, and a link to the appendix. Also checks that every part of the page's texts was shown."""
    check_texts(section)
    if not section.has_reference:
        html_block(f'<p class="tasmaytys">{html.escape(NO_REFERENCE.format(year=section.year))}</p>')
        return
    table_all = section.reconciliation()
    part = table_all[table_all["osio"].isin(names)]
    if part.empty:
        line = "Tämän sivun lukuja ei ole julkaistussa raportissa, joten niitä ei täsmäytetä."
        html_block(f'<p class="tasmaytys"><strong>Täsmäytys:</strong> {line}</p>')
        return
    href = html.escape(f"{section.appendix}#tasmaytys-{names[0]}")
    s = reconcile.summary(part)
    differ = s["selitetty"] + s["poikkeaa"]
    if not differ:
        result = f"kaikki sivun {s['painettuja lukuja']} julkaistua lukua täsmäävät aineistosta laskettuihin"
    else:
        result = (f"sivun {s['painettuja lukuja']} julkaistusta luvusta {s['täsmää']} täsmää aineistosta laskettuun, "
                  + ("1 poikkeaa" if differ == 1 else f"{differ} poikkeaa"))
    marks = marks_text(section)
    # the published report's own inconsistencies: one line here, each explained in the appendix
    why = (f" Merkityt luvut ({marks}) on julkaistussa raportissa painettu toisin, koska raportin omat luvut eivät "
           f"täsmää keskenään." if marks else "")
    html_block(f'<p class="tasmaytys"><strong>Täsmäytys julkaistuun raporttiin:</strong> {result}.{html.escape(why)} '
               f'<a href="{href}">Kaikki luvut ja erojen selitykset liitteessä</a>.</p>')



# The appendix's helpers (hyte_nb.core.appendix), for notebooks that import display only; looked
# up on first use, as the appendix draws with this module's helpers.
APPENDIX_HELPERS = {"audit_summary", "cleaning_log", "cleaning_reasons", "cleaning_summary", "reconciliation",
                    "reconciliation_legend", "removed_by_rule"}


def __getattr__(name: str):
    if name in APPENDIX_HELPERS:
        from hyte_nb.core import appendix

        return getattr(appendix, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
