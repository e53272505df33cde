"""What a notebook shows, for every report: Finnish text, key figures, tables, charts,
quotes, the figures of a section, the reconciliation and the cleaning log.

Notebooks stay thin: they load their report's section object, call these helpers and narrate.
"""

from __future__ import annotations

import html
import io
from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Image, Markdown, display

from hyte_nb.core import audit as audit_mod
from hyte_nb.core import charts, fmt, reconcile, reference
from hyte_nb.core import figures as figures_mod
from hyte_nb.core.clean import CleaningLog

_NO_REFERENCE = ("Vuoden {year} raporttia ei ole vielä julkaistu (`data/reference/` ei sisällä sen lukuja), joten "
                 "täsmäytystä julkaistuun raporttiin ei tehdä. Luvut on laskettu aineistosta.")


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

    def value(self, fid: str) -> float:
        return float(self.figures.loc[fid, "arvo"])

    def n(self, fid: str) -> int:
        return int(self.figures.loc[fid, "n"])

    @property
    def has_reference(self) -> bool:
        """A year whose report is not yet published has nothing to reconcile with."""
        return self.reference_file.exists()

    @cached_property
    def audit(self) -> audit_mod.Audit:
        return audit_mod.Audit(reference.load(self.reference_file))

    def reconciliation(self) -> pd.DataFrame:
        return reconcile.reconcile(self.figures, self.audit.ref, self.audit)


def md(text: str) -> None:
    display(Markdown(text))


def key_figures(items: list[tuple[str, str]]) -> None:
    """Big numbers with a caption, e.g. [("2 742", "asiakasta"), ...]."""
    cards = "".join(f'<div class="avainluku"><div class="arvo">{html.escape(v)}</div>'
                    f'<div class="selite">{html.escape(c)}</div></div>' for v, c in items)
    display(HTML(f'<div class="avainluvut">{cards}</div>'))


def table(frame: pd.DataFrame, numeric: list[str] | None = None) -> None:
    """A table of already formatted text; numeric columns are right-aligned."""
    numeric = set(numeric or [])
    head = "".join(f'<th class="{"luku" if c in numeric else ""}">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join("<tr>" + "".join(f'<td class="{"luku" if c in numeric else ""}">{html.escape(str(v))}</td>'
                                    for c, v in zip(frame.columns, row)) + "</tr>"
                   for row in frame.itertuples(index=False))
    display(HTML(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"))


def show(fig) -> None:
    """Show a matplotlib figure as an inline PNG (self-contained in the HTML) and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    charts.plt.close(fig)
    display(Image(buffer.getvalue()))


def quotes(items: list[tuple[str, str]]) -> None:
    parts = [f'<blockquote class="sitaatti">”{html.escape(text)}”'
             + (f"<br><small>– {html.escape(source)}</small>" if source else "") + "</blockquote>"
             for source, text in items]
    display(HTML("".join(parts) or "<p>Ei lainattavia vastauksia.</p>"))


# -- reconciliation -------------------------------------------------------------------------
def reconciliation(section: Section, name: str) -> pd.DataFrame:
    """Show every printed figure of the section, published vs computed, and save the table
    beside the processed data for the tests and for the analyst."""
    if not section.has_reference:
        md(_NO_REFERENCE.format(year=section.year))
        return pd.DataFrame()
    table_all = section.reconciliation()
    part = table_all[table_all["osio"] == name]
    part.to_csv(section.processed_dir / f"tasmaytys_{name}.csv")
    summary = reconcile.summary(part)
    md(f"Osion {summary['painettuja lukuja']} julkaistusta luvusta **{summary['täsmää']} täsmää** aineistosta "
       f"laskettuun, **{summary['selitetty']}** ei voi pitää paikkaansa (ks. selitys) ja "
       f"**{summary['poikkeaa']}** poikkeaa muuten.")
    shown = part[["luku", "julkaistu", "laskettu", "n julkaistu", "n laskettu", "tila", "selitys"]]
    shown = shown.rename(columns={"luku": "Luku", "julkaistu": "Julkaistu", "laskettu": "Laskettu",
                                  "n julkaistu": "n (julkaistu)", "n laskettu": "n (laskettu)", "tila": "Tila",
                                  "selitys": "Selitys"})
    table(shown, numeric=["Julkaistu", "Laskettu", "n (julkaistu)", "n (laskettu)"])
    return part


# -- cleaning --------------------------------------------------------------------------------
def cleaning_summary(log: clean.CleaningLog) -> None:
    frame = log.summary_frame().copy()
    for col in ["rivejä sisään", "rivejä ulos", "poistettu", "muutettuja rivejä"]:
        frame[col] = frame[col].map(fmt.number)
    table(frame, numeric=["rivejä sisään", "rivejä ulos", "poistettu", "muutettuja rivejä"])


def cleaning_reasons(log: clean.CleaningLog) -> None:
    frame = log.frame()
    frame["syy"] = frame["syy"].str.replace(r" rivistä \d+", "", regex=True)  # group duplicates together
    counts = frame.groupby(["taulu", "toimenpide", "syy"]).size().reset_index(name="riviä")
    counts["riviä"] = counts["riviä"].map(fmt.number)
    table(counts, numeric=["riviä"])


# -- audit -----------------------------------------------------------------------------------
def audit_summary(section: Section) -> pd.DataFrame:
    """The headline count over the whole report, and every inconsistency the audit found."""
    if not section.has_reference:
        md(_NO_REFERENCE.format(year=section.year))
        return pd.DataFrame()
    summary = reconcile.summary(section.reconciliation())
    md(f"Julkaistussa raportissa on **{summary['painettuja lukuja']}** eri lukua. Aineistosta laskettuna "
       f"**{summary['täsmää']} täsmää** julkaistuun, **{summary['selitetty']}** julkaistua lukua auditointi osoittaa "
       f"mahdottomiksi (ne eivät voi syntyä raportin omista osaluvuista tai vastaajamääristä) ja "
       f"**{summary['poikkeaa']}** poikkeaa muuten.")
    findings = section.audit.table()
    shown = findings.assign(painettu=[fmt.number(v, 1 if v % 1 else 0) for v in findings["painettu"]],
                            johdettu=[fmt.number(v, 1 if v % 1 else 0) for v in findings["johdettu"]])
    shown = shown[["osio", "luku", "tarkistus", "painettu", "johdettu", "selitys"]].rename(columns={
        "osio": "Osio", "luku": "Luku", "tarkistus": "Tarkistus", "painettu": "Painettu",
        "johdettu": "Johdettu", "selitys": "Selitys"})
    table(shown, numeric=["Painettu", "Johdettu"])
    return findings


# -- every figure of a section -----------------------------------------------------------------
def section_figures(section: Section, name: str) -> None:
    """Every figure the section computes, as text, beside last year's where it exists."""
    previous = section.previous_figures
    shown = figures_mod.section_table(section.figures, name, previous, section.year)
    if shown.empty:
        return
    if previous is None:
        md(f"Vuoden {section.year - 1} lukuja ei ole laskettu (`data/processed/{section.year - 1}/`), joten "
           f"vertailua edelliseen vuoteen ei näytetä.")
    table(shown, numeric=[c for c in shown.columns if c != "Luku"])
