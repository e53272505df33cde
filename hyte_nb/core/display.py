"""What a notebook shows, for every report: Finnish text, key figures, tables, charts with
their alt texts and numbers, quotes, the analyst's texts, and the line that ends every section
page. The section model (figures, suppression, marks and their footnotes) is
hyte_nb.core.section; the appendix's reconciliation, audit and cleaning log are
hyte_nb.core.appendix. Both are importable from here too, so a notebook imports one module.

Notebooks stay thin: they load their report's section object, bind a page to it
(`sivu = display.Page(osio)`), show through the page and narrate. The page shows after each
output the footnotes of the marks its section's figures brought since the previous one (the
section keeps them: hyte_nb.core.section.Footnotes). The module's functions show without a
section (a page with no figures of its own, e.g. the page of every built year).
"""

from __future__ import annotations

import base64
import functools
import html
import re
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

from hyte_nb.core import charts, reconcile, suppression
from hyte_nb.core import figures as figures_table
from hyte_nb.core import texts as texts_mod
from hyte_nb.core.section import (MARK_BEFORE_SUFFIX, SUPERSCRIPT, Hidden, Section,  # noqa: F401
                                  footnote, hidden_footnote, no_reference, suppression_note)


# -- text and figures --------------------------------------------------------------------------------
def md(text: str) -> None:
    display(Markdown(text))


def html_block(markup: str) -> None:
    display(HTML(markup))


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
    return _phrase("kaavio", otsikko=title) if title else _phrase("kaavio_ilman_otsikkoa")


def chart_html(fig, alt: str | None = None, data: pd.DataFrame | None = None, numbers_below: bool = False) -> str:
    """A matplotlib figure as an inline PNG <img> with its alt text, and its numbers as a table
    in a <details> where the chart carries them (fig.data_table) or they are given, unless the
    page shows them in a table right below the chart (numbers_below)."""
    encoded = base64.b64encode(charts.png(fig)).decode("ascii")
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


# -- the end of a section page ------------------------------------------------------------------------
def _mask_section_table(section: Section, name: str, shown: pd.DataFrame) -> tuple[pd.DataFrame, bool]:
    """The section's figures as `figures.section_table` lists them (in the figures table's
    order), with this year's and last year's hidden figures as their marks and the change
    hidden where either is. True when something was hidden."""
    ids = list(section.figures.index[section.figures["osio"] == name])
    now, before = section.hidden, section.comparison_hidden
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


# -- a page bound to its section ---------------------------------------------------------------------
def _then_footnotes(name: str):
    """A Page method: the module's function `name` (looked up when called, as a test may replace
    it), then the footnotes it brought."""
    @functools.wraps(globals()[name])
    def method(self, *args, **kwargs):
        globals()[name](*args, **kwargs)
        self._flush()
    return method


class Page:
    """What one page shows, bound to its section: after every output, the footnotes of the marks
    the section's figures brought since the previous output. A notebook makes one
    (`sivu = display.Page(osio)`) and shows everything through it; a helper of the package that
    is given the section makes its own (the footnotes are the section's, not the page object's)."""

    def __init__(self, section: Section | None = None):
        self.section = section

    def _flush(self) -> None:
        lines = self.section.footnotes.take_pending() if self.section is not None else []
        if lines:
            html_block('<div class="alaviitteet">' + "".join(f'<p class="alaviite">{line}</p>' for line in lines)
                       + "</div>")

    # every output of the module, followed by the footnotes it brought
    md = _then_footnotes("md")
    html_block = _then_footnotes("html_block")
    key_figures = _then_footnotes("key_figures")
    table = _then_footnotes("table")
    details = _then_footnotes("details")
    evidence_link = _then_footnotes("evidence_link")
    show = _then_footnotes("show")
    quotes = _then_footnotes("quotes")
    heading = _then_footnotes("heading")

    def text(self, page_texts: Texts, part: str, optional: bool = False, when: bool = True) -> None:
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
            self.html_block(f'<p class="huomio">{html.escape(page_texts.page.note())}</p>')
        if body:
            self.md(body)

    def section_figures(self, name: str) -> None:
        """Every figure the section computes, as text, beside last year's where it exists: folded
        away at the end of the page."""
        section = self.section
        previous = section.comparison_figures
        shown = figures_table.section_table(section.figures, name, previous, section.year, section.comparison_year)
        if shown.empty:
            return
        shown, hidden = _mask_section_table(section, name, shown)
        same = section.same_period
        if previous is None:
            what = texts_mod.phrase("yhteiset", "vertailua_ei_ole_ajanjakso", ajanjakso=same.label()) + " " if same else ""
            note = f'<p>{texts_mod.phrase("yhteiset", "vertailua_ei_ole", vertailuvuosi=section.comparison_year, ajanjakso=what)}</p>'
        elif same:
            note = (f'<p>{texts_mod.phrase("yhteiset", "vuosi_kesken", vuosi=section.year, ajanjakso=section.data_period.label(), sama_ajanjakso=same.label())}</p>')
        else:
            note = ""
        if hidden:
            note += f'<p class="alaviite">{suppression_note()}</p>'
        summary = f"Osion kaikki luvut ({len(shown)})" + (f" ja vuosi {section.comparison_year}" if previous is not None else "")
        if previous is not None and same:
            summary += f" samalta ajanjaksolta {same.label()}"
        self.details(summary, note + table_html(shown, [c for c in shown.columns if c != "Luku"]))

    def marks_note(self) -> None:
        """One line on the figures marked on a page that does not end with page_end (the summary,
        the appendix): the published report printed them otherwise; the reconciliation explains."""
        section = self.section
        marks = marks_text(section)
        if marks:
            self.html_block(f'<p class="tasmaytys">{html.escape(_phrase("merkityt", merkit=marks))} '
                            f'<a href="{html.escape(section.appendix)}">{html.escape(_phrase("merkityt_linkki"))}</a>.</p>')

    def page_end(self, names: list[str]) -> None:
        """The line every section page ends with: how many of its figures match the published
        report, and a link to the appendix. Also checks that every part of the page's texts was shown."""
        section = self.section
        check_texts(section)
        if not section.has_reference:
            self.html_block(f'<p class="tasmaytys">{html.escape(no_reference(section.year))}</p>')
            return
        table_all = section.reconciliation()
        part = table_all[table_all["osio"].isin(names)]
        if part.empty:
            line = _phrase("ei_tasmaytettavaa")
            self.html_block(f'<p class="tasmaytys"><strong>Täsmäytys:</strong> {line}</p>')
            return
        href = html.escape(f"{section.appendix}#tasmaytys-{names[0]}")
        s = reconcile.summary(part)
        differ = s["selitetty"] + s["poikkeaa"]
        if not differ:
            result = _phrase("kaikki_tasmaavat", painettuja=s["painettuja lukuja"])
        else:
            result = _phrase("osa_tasmaa", painettuja=s["painettuja lukuja"], tasmaa=s["täsmää"], poikkeaa=differ)
        marks = marks_text(section)
        # the published report's own inconsistencies: one line here, each explained in the appendix
        why = " " + _phrase("merkityt", merkit=marks) if marks else ""
        self.html_block(f'<p class="tasmaytys"><strong>Täsmäytys julkaistuun raporttiin:</strong> {result}.{html.escape(why)} '
                        f'<a href="{href}">{html.escape(_phrase("tasmaytys_linkki"))}</a>.</p>')


def _phrase(name: str, **values) -> str:
    return texts_mod.phrase("yhteiset", name, **values)


# The appendix's helpers (hyte_nb.core.appendix), for notebooks that import display only; looked
# up on first use, as the appendix draws with this module's helpers.
APPENDIX_HELPERS = {"audit_summary", "cleaning_log", "cleaning_reasons", "cleaning_summary", "reconciliation",
                    "reconciliation_legend", "removed_by_rule"}


def __getattr__(name: str):
    if name in APPENDIX_HELPERS:
        from hyte_nb.core import appendix

        return getattr(appendix, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
