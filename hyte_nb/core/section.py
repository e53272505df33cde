"""The section model every report's pages share: the year's figures (and last year's), which of
them small-count suppression hides, the marks beside figures the published report printed
otherwise and their footnotes, the audit and the reconciliation.

A figure shown through `Section.luku` carries a mark (¹, ²…) when the published report printed
it differently; its footnote waits in the section's `footnotes` until the page's next output
shows it (hyte_nb.core.display.Page). Each report's section class says which of its figures a
public page must hide (`Section.hidden_figures`); `luku`, `n_text` and the placeholders of the
analyst's texts then show the mark ('< 5', '..') instead, and the page says once why
(`Section.note_suppression`). A section is one page: nothing is kept between pages.
"""

from __future__ import annotations

import html
import re
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from hyte_nb.core import audit as audit_mod
from hyte_nb.core import fmt, period, reconcile, reference, suppression
from hyte_nb.core import texts as texts_mod

SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
MARK_BEFORE_SUFFIX = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)(:[a-zåäö]+)")


class Footnotes:
    """The footnotes a page's figures brought, kept by the page's section (no module state: the
    build runs several notebooks in one kernel, and the index builds pages outside notebooks).
    `pending`: the footnotes of marks made since the last output, which the next output shows
    right after it (hyte_nb.core.display.Page); `marked`: the footnotes of marks about the
    published report's own inconsistencies, which a story page says in one line at its end
    (page_end) and the appendix explains (the reconciliation)."""

    def __init__(self) -> None:
        self.pending: list[str] = []
        self.marked: list[str] = []
        self.suppression_noted = False  # the page has said why figures are hidden

    def take_pending(self) -> list[str]:
        """The footnotes waiting for the next output (which shows them), taken."""
        lines, self.pending = self.pending, []
        return lines

    def take(self) -> list[str]:
        """Every footnote of the marks made so far (HTML lines), taken: for a page built outside a
        notebook (the index)."""
        lines, self.marked, self.pending = [*self.marked, *self.pending], [], []
        return lines


class Hidden(NamedTuple):
    """How a figure hidden by small-count suppression is shown: its value's mark ('< 5' for a
    count of 1-4, '..' for a hidden count or a share, NPS or change computed on one) and, where
    the figure's n is itself the hidden count (an NPS group, a feedback item), the n's mark."""

    value: str
    n: str = ""


class Section:
    """What every section notebook has: the year's figures table, last year's (where it was
    built), and for setting them against the published ones the reference file (absent for a
    year not yet published), the audit and the reconciliation, computed once per notebook.
    Each report's section class adds its own tables."""

    figures: pd.DataFrame
    reference: Path
    processed: Path
    year: int
    comparison_figures: pd.DataFrame | None  # last year's figures table, where it was built
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
    @cached_property
    def suppression_settings(self) -> suppression.Settings:
        """The threshold and switch of the section's project folder (organisaatio.yml)."""
        return suppression.settings(self.folder.root if self.folder is not None else None)

    def hidden_figures(self, figures: pd.DataFrame, year: int) -> dict[str, Hidden]:
        """The figures of a figures table (this year's or last year's) that a public page hides:
        id -> Hidden. Each report's section class says which (none here)."""
        return {}

    @cached_property
    def hidden(self) -> dict[str, Hidden]:
        """This year's hidden figures (empty when suppression is off: HYTE_NB_EI_JULKAISTAVAKSI=1)."""
        return self.hidden_figures(self.figures, self.year) if not self.figures.empty else {}

    @cached_property
    def comparison_hidden(self) -> dict[str, Hidden]:
        """Last year's figures hidden by the same rules (for the year beside this one)."""
        if self.comparison_figures is None or self.comparison_figures.empty:
            return {}
        return self.hidden_figures(self.comparison_figures, self.comparison_year)

    @cached_property
    def data_period(self) -> period.Period | None:
        """The period the year's data covers, as the cleaning wrote it (None before it ran)."""
        return period.read(self.processed)

    @property
    def same_period(self) -> period.Period | None:
        """Last year's part that the figures beside this year's cover when it is not the whole
        year: the same period, 1.1.-the same day, when this year is still running."""
        span = self.data_period
        return None if span is None or span.complete else span.same_in(self.comparison_year)

    # -- the page's footnotes -------------------------------------------------------------------------
    @cached_property
    def footnotes(self) -> Footnotes:
        """The footnotes this section's figures brought to its page (a new section: a new page)."""
        return Footnotes()

    def take_footnotes(self) -> list[str]:
        """The footnotes of the marks made so far (HTML lines), taken: for a page built outside a
        notebook (the index)."""
        return self.footnotes.take()

    def note_suppression(self, unit: str = "henkilöä") -> None:
        """Once per page, after the next output: what '< 5' and '..' mean and why a figure is hidden
        (and, where the year's report was published, that the appendix compares its figures)."""
        if self.footnotes.suppression_noted:
            return
        self.footnotes.suppression_noted = True
        self.footnotes.pending.append(suppression_note(unit, self.has_reference))

    def is_hidden(self, fid: str) -> bool:
        return fid in self.hidden

    def n_text(self, fid: str) -> str:
        """The figure's n as printed: its mark where the n is a hidden count."""
        hidden = self.hidden.get(fid)
        if hidden is not None and hidden.n:
            self.note_suppression()
            return hidden.n
        return fmt.number(self.n(fid))

    @property
    def has_reference(self) -> bool:
        """A year whose report is not yet published has nothing to reconcile with."""
        return self.reference.exists()

    @cached_property
    def audit(self) -> audit_mod.Audit:
        ref = reference.load(self.reference)
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
        in the section's footnotes for a page built outside a notebook (take_footnotes)."""
        if fid not in self.differing.index:
            return ""
        if fid not in self._marks:
            self._marks[fid] = str(len(self._marks) + 1).translate(SUPERSCRIPT)
            if fid in self.hidden:  # the computed figure must not show in the footnote either
                self.footnotes.marked.append(hidden_footnote(self._marks[fid], self.differing.loc[fid], self.appendix))
            else:
                # the figure's first finding (the audit's table lists them in this order)
                check = next((f.check for f in self.audit.findings if f.id == fid), "")
                self.footnotes.marked.append(footnote(self._marks[fid], self.differing.loc[fid], self.appendix,
                                         str(check)))
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
            self.note_suppression()
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


def no_reference(year: int) -> str:
    """The line of a page whose year's report is not yet published (nothing to reconcile)."""
    return texts_mod.phrase("yhteiset", "ei_julkaistu", vuosi=year)


def footnote(mark: str, row: pd.Series, appendix: str, check: str = "") -> str:
    """One line: what the published report printed and why it cannot be right (from the
    audit's explanation, `check` its kind), with a link to the appendix."""
    published, computed = str(row["julkaistu"]), str(row["laskettu"])
    first = re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])", str(row["selitys"] or "").strip(), maxsplit=1)[0]
    say = lambda part, **values: texts_mod.phrase("yhteiset", part, **({"julkaistu": published} | values))  # noqa: E731
    if check == "osien summa":
        line = say("alaviite_osien_summa", laskettu=computed)
    elif check.startswith("jakauma"):
        line = say("alaviite_jakauma", laskettu=computed)
    elif first.startswith("Painettu "):
        line = say("alaviite_painettu", selitys=first[len("Painettu "):])
    elif first:
        prefix = "muutos " if first.startswith("Muutos ") else ""
        rest = first[len(prefix):]
        if rest.startswith(published + " "):
            line = say("alaviite_mika", julkaistu=prefix + published, selitys=rest[len(published) + 1:])
        else:
            line = say("alaviite_selitys", selitys=first[0].lower() + first[1:])
    else:
        line = say("alaviite_selvittamatta")
    return _footnote_line(mark, line, f"{appendix}#tasmaytys-{row['osio']}")


def hidden_footnote(mark: str, row: pd.Series, appendix: str) -> str:
    """The footnote of a figure the published report printed differently but the page hides: that
    the printed figure cannot be right, without the computed one."""
    return _footnote_line(mark, texts_mod.phrase("yhteiset", "alaviite_piilotettu"),
                          f"{appendix}#tasmaytys-{row['osio']}")


def _footnote_line(mark: str, line: str, href: str) -> str:
    return (f'<span class="merkki">{mark}</span> {html.escape(line)} '
            f'<a href="{html.escape(href)}">{html.escape(texts_mod.phrase("yhteiset", "alaviite_linkki"))}</a>')


def suppression_note(unit: str = "henkilöä", reconciled: bool = False) -> str:
    """What '< 5' and '..' mean and why a figure is hidden (`reconciled`: the year's report was
    published, and the appendix compares its figures)."""
    config = suppression.settings()
    note = texts_mod.phrase("yhteiset", "suojaus", merkki=html.escape(config.mark), raja=config.threshold,
                            yksikko=unit, piilotettu=suppression.HIDDEN)
    return note + (" " + texts_mod.phrase("yhteiset", "suojaus_tasmaytetty") if reconciled else "")
