"""What a notebook shows, for every report: Finnish text, key figures, tables, charts with
their alt texts and numbers, quotes, the analyst's texts, the marks and footnotes beside
figures that differ from the published report, the line that ends every section page, and
the appendix's reconciliation, audit and cleaning log.

Notebooks stay thin: they load their report's section object, call these helpers and narrate.
A figure shown through `Section.luku` carries a mark (¹, ²…) when the published report
printed it differently; the mark's one-line footnote follows the output it appears in.

Small-count suppression (hyte_nb.core.suppression): each report's section class says which of
its figures a public page must hide (`Section.hidden_figures`); `luku`, `n_text`, the folded
list of the section's figures and the placeholders of the analyst's texts then show the mark
('< 5', '..') instead, and the page says once why (`suppression_note`).
"""

from __future__ import annotations

import base64
import html
import io
import re
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from IPython.display import HTML, Markdown, display

from hyte_nb.core import audit as audit_mod
from hyte_nb.core import charts, fmt, period, reconcile, reference, suppression
from hyte_nb.core import figures as figures_mod
from hyte_nb.core import texts as texts_mod
from hyte_nb.core.clean import CleaningLog, judged_removals

NO_REFERENCE = ("Vuoden {year} raporttia ei ole vielä julkaistu, joten tämän sivun lukuja ei verrata julkaistuun "
                "raporttiin. Luvut on laskettu aineistosta.")
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MARK_BEFORE_SUFFIX = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)(:[a-zåäö]+)")

# Footnotes of marks made since the last output: each helper that shows something puts them
# right after it. A notebook's first `load` starts a new page (the build keeps one kernel for
# several notebooks, so module state must be reset explicitly).
_pending: list[str] = []
_suppression_noted: list[bool] = []  # the page has said why figures are hidden
# The footnotes of marks about the published report's own inconsistencies: a story page says them
# in one line at its end (page_end) and the appendix explains each (the reconciliation).
_marked: list[str] = []


def new_page() -> None:
    _pending.clear()
    _suppression_noted.clear()
    _marked.clear()


def take_footnotes() -> list[str]:
    """The footnotes of marks made since the last output (HTML lines), for a page built
    outside a notebook (the index)."""
    lines = [*_marked, *_pending]
    _pending.clear()
    _marked.clear()
    return lines


def _flush() -> None:
    if _pending:
        lines = "".join(f'<p class="alaviite">{line}</p>' for line in _pending)
        _pending.clear()
        display(HTML(f'<div class="alaviitteet">{lines}</div>'))


class Hidden(NamedTuple):
    """How a figure hidden by small-count suppression is shown: its value's mark ('< 5' for a
    count of 1-4, '..' for a hidden count or a share, NPS or change computed on one) and, where
    the figure's n is itself the hidden count (an NPS group, a feedback item), the n's mark."""

    value: str
    n: str = ""


def suppression_note(unit: str = "henkilöä", reconciled: bool = False) -> None:
    """Once per page, after the next output: what '< 5' and '..' mean and why a figure is hidden
    (`reconciled`: the year's report was published, and the appendix compares its figures)."""
    if _suppression_noted:
        return
    _suppression_noted.append(True)
    config = suppression.settings()
    _pending.append(f"{html.escape(config.mark)} = alle {config.threshold} {unit}; {suppression.HIDDEN} = luku on "
                    f"piilotettu, koska se on laskettu alle {config.threshold} henkilön joukosta tai siitä voisi "
                    f"päätellä alle {config.threshold} henkilön lukumäärän (pienten lukujen suojaus)."
                    + (" Julkaistun raportin luvut on silti verrattu aineistoon liitteen täsmäytyksessä."
                       if reconciled else ""))


class Section:
    """What every section notebook has: the year's figures table, last year's (where it was
    built), and for setting them against the published ones the reference file (absent for a
    year not yet published), the audit and the reconciliation, computed once per notebook.
    Each report's section class adds its own tables."""

    figures: pd.DataFrame
    reference_file: Path
    processed_dir: Path
    year: int
    previous_figures: pd.DataFrame | None  # last year's figures table, where it was built
    folder = None  # Paths of the report and year, where known (the project folder, the appendix)

    def value(self, fid: str) -> float:
        return float(self.figures.loc[fid, "arvo"])

    def n(self, fid: str) -> int:
        return int(self.figures.loc[fid, "n"])

    def has(self, fid: str) -> bool:
        return fid in self.figures.index

    @property
    def comparison_year(self) -> int:
        """The year beside this one (Paths.comparison_year: the year before unless declared)."""
        return self.folder.comparison_year if self.folder is not None else self.year - 1

    # -- small-count suppression ------------------------------------------------------------------------
    def hidden_figures(self, figures: pd.DataFrame, year: int) -> dict[str, Hidden]:
        """The figures of a figures table (this year's or last year's) that a public page hides:
        id -> Hidden. Each report's section class says which (none here)."""
        return {}

    @cached_property
    def hidden(self) -> dict[str, Hidden]:
        """This year's hidden figures (empty when suppression is off: HYTE_NB_EI_JULKAISTAVAKSI=1)."""
        return self.hidden_figures(self.figures, self.year) if not self.figures.empty else {}

    @cached_property
    def previous_hidden(self) -> dict[str, Hidden]:
        """Last year's figures hidden by the same rules (for the year beside this one)."""
        if self.previous_figures is None or self.previous_figures.empty:
            return {}
        return self.hidden_figures(self.previous_figures, self.comparison_year)

    @cached_property
    def data_period(self) -> period.Period | None:
        """The period the year's data covers, as the cleaning wrote it (None before it ran)."""
        return period.read(self.processed_dir)

    @property
    def same_period(self) -> period.Period | None:
        """Last year's part that the figures beside this year's cover when it is not the whole
        year: the same period, 1.1.-the same day, when this year is still running."""
        span = self.data_period
        return None if span is None or span.complete else span.same_in(self.comparison_year)

    def is_hidden(self, fid: str) -> bool:
        return fid in self.hidden

    def n_text(self, fid: str) -> str:
        """The figure's n as printed: its mark where the n is a hidden count."""
        hidden = self.hidden.get(fid)
        if hidden is not None and hidden.n:
            suppression_note(reconciled=self.has_reference)
            return hidden.n
        return fmt.number(self.n(fid))

    @property
    def has_reference(self) -> bool:
        """A year whose report is not yet published has nothing to reconcile with."""
        return self.reference_file.exists()

    @cached_property
    def audit(self) -> audit_mod.Audit:
        ref = reference.load(self.reference_file)
        return audit_mod.Audit(ref, audit_mod.catalogue_values(ref, self.figures))

    @cached_property
    def _reconciled(self) -> pd.DataFrame:
        return reconcile.reconcile(self.figures, self.audit.ref, self.audit)

    def reconciliation(self) -> pd.DataFrame:
        return self._reconciled

    # -- marks beside figures that differ from the published report -------------------------------------
    @cached_property
    def differing(self) -> pd.DataFrame:
        """Rows of the reconciliation whose computed figure is not the printed one."""
        if not self.has_reference or self.figures.empty:
            return pd.DataFrame(columns=["osio", "julkaistu", "tila", "selitys"])
        table = self.reconciliation()
        return table[table["tila"] != reconcile.MATCH]

    @cached_property
    def _marks(self) -> dict[str, str]:
        return {}

    # The appendix page's file name, which the marks link to: the report's cleaning page as the
    # report declares it (each report's load sets it; hyte_nb/reports.py).
    appendix = ""

    def mark(self, fid: str) -> str:
        """'¹', '²'… for a figure printed differently in the published report ('' otherwise).
        The page says in one line at its end (page_end) that the marked figures differ and links
        to the appendix, where the reconciliation explains each; the footnote's own line is kept
        for a page built outside a notebook (take_footnotes)."""
        if fid not in self.differing.index:
            return ""
        if fid not in self._marks:
            self._marks[fid] = str(len(self._marks) + 1).translate(SUPERSCRIPT)
            if fid in self.hidden:  # the computed figure must not show in the footnote either
                _marked.append(hidden_footnote(self._marks[fid], self.differing.loc[fid], self.appendix))
            else:
                checks = self.audit.table()
                check = checks.loc[checks["id"] == fid, "tarkistus"]
                _marked.append(footnote(self._marks[fid], self.differing.loc[fid], self.appendix,
                                         str(check.iloc[0]) if len(check) else ""))
        return self._marks[fid]

    def decimals(self, fid: str) -> int:
        """As many decimals as the published report printed; else one for a small share or an
        age, none otherwise."""
        if self.has_reference and fid in self.audit.ref.index:
            return int(self.audit.ref.loc[fid, "decimals"])
        row = self.figures.loc[fid]
        return 1 if row["yksikko"] == "v" or (row["yksikko"] == "%" and 0 < abs(row["arvo"]) < 5) else 0

    def luku(self, fid: str, suffix: str = "", decimals: int | None = None, unit: bool = True) -> str:
        """The figure as the report writes it, with `suffix` (e.g. ':lla') and the mark where
        the published figure differs; unit=False leaves out the unit (for a table whose header
        names it: '37' under 'Osuus, %'). A figure hidden by small-count suppression is its mark
        ('< 5', '..'), without the suffix; the page then says why."""
        if fid in self.hidden:
            suppression_note(reconciled=self.has_reference)
            return self.hidden[fid].value + self.mark(fid)
        row = self.figures.loc[fid]
        decimals = self.decimals(fid) if decimals is None else decimals
        value, kind = row["arvo"], row["yksikko"]
        if kind == "nps":
            text = fmt.nps(value)
        elif not unit:
            text = fmt.number(value, decimals)
        elif kind == "v":
            text = fmt.years(value) if decimals == 0 else fmt.number(value, decimals) + "\u00a0v"
        else:
            text = fmt.by_unit(value, kind, decimals)
        return text + suffix + self.mark(fid)

    # -- the analyst's texts ---------------------------------------------------------------------------
    @cached_property
    def _texts(self) -> list:
        return []

    def placeholder(self, fid: str, attribute: str | None) -> str:
        if attribute == "n":
            return self.n_text(fid)
        if attribute == "ero":
            return self.difference(fid)
        return self.luku(fid)

    def difference(self, fid: str) -> str:
        """A change in the words its test allows ({id.ero} in the analyst's texts): each report's
        section class says which of its figures are tested changes."""
        raise texts_mod.TextError(f"{{{fid}.ero}}: luvulle {fid} ei ole muutoksen testiä; kirjoita {{{fid}}}.")


def footnote(mark: str, row: pd.Series, appendix: str, check: str = "") -> str:
    """One line: what the published report printed and why it cannot be right (from the
    audit's explanation, `check` its kind), with a link to the appendix."""
    published, computed = str(row["julkaistu"]), str(row["laskettu"])
    first = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])", str(row["selitys"] or "").strip(), maxsplit=1)[0]
    if check == "osien summa":
        line = f"Julkaistussa raportissa {published}, mutta raportin omat osaluvut antavat yhteensä {computed}."
    elif check.startswith("jakauma"):
        line = (f"Julkaistussa raportissa {published}, mutta saman kysymyksen julkaistut osuudet eivät voi syntyä "
                f"ilmoitetusta vastaajamäärästä; lähin mahdollinen on {computed}.")
    elif first.startswith("Painettu "):
        line = "Julkaistussa raportissa " + first[len("Painettu "):]
    elif first:
        prefix = "muutos " if first.startswith("Muutos ") else ""
        rest = first[len(prefix):]
        if rest.startswith(published + " "):
            line = f"Julkaistussa raportissa {prefix}{published}, mikä {rest[len(published) + 1:]}"
        else:
            line = f"Julkaistussa raportissa {published}: {first[0].lower() + first[1:]}"
    else:
        line = f"Julkaistussa raportissa {published}; ero on selvittämättä."
    href = f"{appendix}#tasmaytys-{row['osio']}"
    return (f'<span class="merkki">{mark}</span> {html.escape(line)} '
            f'<a href="{html.escape(href)}">Täsmäytys liitteessä</a>')


def hidden_footnote(mark: str, row: pd.Series, appendix: str) -> str:
    """The footnote of a figure the published report printed differently but the page hides: that
    the printed figure cannot be right, without the computed one."""
    href = f"{appendix}#tasmaytys-{row['osio']}"
    line = ("Julkaistun raportin luku ei voi pitää paikkaansa. Aineistosta laskettua lukua ei näytetä pienten "
            "lukujen suojauksen vuoksi.")
    return (f'<span class="merkki">{mark}</span> {html.escape(line)} '
            f'<a href="{html.escape(href)}">Täsmäytys liitteessä</a>')


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


# -- the appendix: reconciliation ---------------------------------------------------------------------
def reconciliation(section: Section, name: str, title: str | None = None) -> pd.DataFrame:
    """Show every printed figure of a section, published vs computed, under a heading the
    section pages link to, and save the table beside the processed data for the tests and for
    the analyst."""
    if not section.has_reference:
        if title is None:
            md(NO_REFERENCE.format(year=section.year))
        return pd.DataFrame()
    table_all = section.reconciliation()
    part = table_all[table_all["osio"] == name]
    part.to_csv(section.processed_dir / f"tasmaytys_{name}.csv")
    if title is not None:
        html_block(f'<h3 id="tasmaytys-{html.escape(name)}">{html.escape(title)}</h3>')
    summary = reconcile.summary(part)
    md(f"Osion {summary['painettuja lukuja']} julkaistusta luvusta **{summary['täsmää']} täsmää** aineistosta "
       f"laskettuun, **{summary['selitetty']}** ei voi pitää paikkaansa (ks. selitys) ja "
       f"**{summary['poikkeaa']}** poikkeaa muuten.")
    shown = part.assign(tila=part["tila"].map({reconcile.MATCH: "täsmää", reconcile.EXPLAINED: "selitetty",
                                               reconcile.MISMATCH: "POIKKEAA"}))
    shown = shown[["luku", "julkaistu", "laskettu", "n julkaistu", "n laskettu", "tila", "selitys"]]
    shown = shown.rename(columns={"luku": "Luku", "julkaistu": "Julkaistu", "laskettu": "Laskettu",
                                  "n julkaistu": "n (julkaistu)", "n laskettu": "n (laskettu)", "tila": "Tila",
                                  "selitys": "Selitys"})
    table(shown, numeric=["Julkaistu", "Laskettu", "n (julkaistu)", "n (laskettu)"])
    return part


def reconciliation_legend() -> None:
    md("Tila *täsmää*: aineistosta laskettu luku pyöristettynä on sama kuin julkaistu. *Selitetty*: julkaistu luku "
       "ei voi pitää paikkaansa (auditointi osoittaa sen raportin omista luvuista), ja aineistosta laskettu luku on se, "
       "minkä johdonmukaiset luvut antavat. *POIKKEAA*: ero, jota auditointi ei selitä.")


# -- the appendix: cleaning --------------------------------------------------------------------------
COUNT_COLUMNS = {"rivejä sisään": "Rivejä sisään", "rivejä ulos": "Rivejä ulos", "poistettu": "Poistettu",
                 "muutettuja rivejä": "Muutettuja rivejä"}


def cleaning_summary(log: CleaningLog) -> None:
    frame = log.summary_frame().copy()
    for col in COUNT_COLUMNS:
        if col in frame:
            frame[col] = frame[col].map(fmt.number)
    frame = frame.drop(columns=["tiedosto"], errors="ignore").rename(columns={"taulu": "Taulu", **COUNT_COLUMNS})
    table(frame, numeric=[c for c in COUNT_COLUMNS.values() if c in frame])


def cleaning_reasons(log: CleaningLog) -> None:
    frame = log.frame()
    if frame.empty:
        md("Yhtään riviä ei poistettu eikä muutettu.")
        return
    frame["syy"] = frame["syy"].str.replace(r" rivistä \d+", "", regex=True)  # group duplicates together
    counts = frame.groupby(["taulu", "toimenpide", "syy"]).size().reset_index(name="riviä")
    counts["riviä"] = counts["riviä"].map(fmt.number)
    counts = counts.rename(columns={"taulu": "Taulu", "toimenpide": "Toimenpide", "syy": "Syy", "riviä": "Rivejä"})
    table(counts, numeric=["Rivejä"])


def cleaning_log(log: CleaningLog, rows: int = 30) -> None:
    """The first rows of the cleaning log, folded away."""
    frame = log.frame()
    if frame.empty:
        return
    first = frame.head(rows).drop(columns=["tiedosto"], errors="ignore")  # the table names the export
    shown = first.astype(object).where(first.notna(), "")
    shown = shown.rename(columns=lambda c: c[:1].upper() + c[1:])
    details(f"Puhdistuslokin {min(rows, len(frame))} ensimmäistä riviä ({fmt.number(len(frame))} riviä yhteensä)",
            table_html(shown, numeric=["Rivi"]))


def removed_by_rule(log: CleaningLog) -> None:
    """Per table, every row a rule removed for what it says (a test marker, an exact repeat, a
    date outside the year), with the rule and the column it looked at, so that an analyst sees
    at a glance what was dropped. Row numbers are the file's; no free text (the log has none)."""
    frame = judged_removals(log)
    if frame.empty:
        md("Yhtään riviä ei poistettu testirivinä, kaksoiskappaleena eikä raportointivuoden ulkopuolisena.")
        return
    for (_, name), rows in frame.groupby(["taulu", "tiedosto"], sort=False):
        shown = rows[["rivi", "syy", "sarake", "ennen"]].rename(columns={"rivi": "Rivi", "syy": "Syy",
                                                                         "sarake": "Sarake", "ennen": "Arvo"})
        if not shown["Arvo"].any():
            shown = shown.drop(columns="Arvo")
        removed = "1 poistettu rivi" if len(rows) == 1 else f"{fmt.number(len(rows))} poistettua riviä"
        table(shown, numeric=["Rivi"], caption=f"{Path(name).stem}: {removed}")  # the export, not a file path


# -- the appendix: audit ---------------------------------------------------------------------------------
def audit_summary(section: Section, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The headline count over the whole report, and every inconsistency the audit found
    (`names`: section key -> the heading readers know it by)."""
    if not section.has_reference:
        md(NO_REFERENCE.format(year=section.year))
        return pd.DataFrame()
    summary = reconcile.summary(section.reconciliation())
    impossible = ("**1** julkaistun luvun auditointi osoittaa mahdottomaksi (se ei voi syntyä raportin omista "
                  "osaluvuista tai vastaajamääristä)" if summary["selitetty"] == 1 else
                  f"**{summary['selitetty']}** julkaistua lukua auditointi osoittaa mahdottomiksi (ne eivät voi syntyä "
                  f"raportin omista osaluvuista tai vastaajamääristä)")
    md(f"Julkaistussa raportissa on **{summary['painettuja lukuja']}** eri lukua. Aineistosta laskettuna "
       f"**{summary['täsmää']} täsmää** julkaistuun, {impossible} ja **{summary['poikkeaa']}** poikkeaa muuten.")
    findings = section.audit.table()
    if findings.empty:
        return findings
    shown = findings.assign(osio=findings["osio"].map(lambda k: (names or {}).get(k, k)),
                            painettu=[fmt.number(v, 1 if v % 1 else 0) for v in findings["painettu"]],
                            johdettu=[fmt.number(v, 1 if v % 1 else 0) for v in findings["johdettu"]])
    shown = shown[["osio", "luku", "tarkistus", "painettu", "johdettu", "selitys"]].rename(columns={
        "osio": "Osio", "luku": "Luku", "tarkistus": "Tarkistus", "painettu": "Painettu",
        "johdettu": "Johdettu", "selitys": "Selitys"})
    table(shown, numeric=["Painettu", "Johdettu"])
    return findings
