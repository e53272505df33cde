"""The appendix of every report: the reconciliation with the published report, the audit of the
published report's own figures and the cleaning log (what was removed or changed, by rule)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from hyte_nb.core import display as view
from hyte_nb.core import fmt, reconcile
from hyte_nb.core.clean import CleaningLog, judged_removals
from hyte_nb.core import texts
from hyte_nb.core.section import Section, no_reference


# -- the appendix: reconciliation ---------------------------------------------------------------------
def reconciliation(section: Section, name: str, title: str | None = None) -> pd.DataFrame:
    """Show every printed figure of a section, published vs computed, under a heading the
    section pages link to, and save the table beside the processed data for the tests and for
    the analyst."""
    page = view.Page(section)
    if not section.has_reference:
        if title is None:
            page.md(no_reference(section.year))
        return pd.DataFrame()
    table_all = section.reconciliation()
    part = table_all[table_all["osio"] == name]
    part.to_csv(section.processed_dir / f"tasmaytys_{name}.csv")
    if title is not None:
        page.html_block(f'<h3 id="tasmaytys-{html.escape(name)}">{html.escape(title)}</h3>')
    summary = reconcile.summary(part)
    page.md(_phrase("tasmaytys_osio", painettuja=summary["painettuja lukuja"], tasmaa=summary["täsmää"],
                    selitetty=summary["selitetty"], poikkeaa=summary["poikkeaa"]))
    shown = part.assign(tila=part["tila"].map({reconcile.MATCH: "täsmää", reconcile.EXPLAINED: "selitetty",
                                               reconcile.MISMATCH: "POIKKEAA"}))
    shown = shown[["luku", "julkaistu", "laskettu", "n julkaistu", "n laskettu", "tila", "selitys"]]
    shown = shown.rename(columns={"luku": "Luku", "julkaistu": "Julkaistu", "laskettu": "Laskettu",
                                  "n julkaistu": "n (julkaistu)", "n laskettu": "n (laskettu)", "tila": "Tila",
                                  "selitys": "Selitys"})
    page.table(shown, numeric=["Julkaistu", "Laskettu", "n (julkaistu)", "n (laskettu)"])
    return part


def reconciliation_legend() -> None:
    view.md(_phrase("tasmaytys_selite"))


# -- the appendix: cleaning --------------------------------------------------------------------------
COUNT_COLUMNS = {"rivejä sisään": "Rivejä sisään", "rivejä ulos": "Rivejä ulos", "poistettu": "Poistettu",
                 "muutettuja rivejä": "Muutettuja rivejä"}


def cleaning_summary(log: CleaningLog) -> None:
    frame = log.summary_frame().copy()
    for col in COUNT_COLUMNS:
        if col in frame:
            frame[col] = frame[col].map(fmt.number)
    frame = frame.drop(columns=["tiedosto"], errors="ignore").rename(columns={"taulu": "Taulu", **COUNT_COLUMNS})
    view.table(frame, numeric=[c for c in COUNT_COLUMNS.values() if c in frame])


def cleaning_reasons(log: CleaningLog) -> None:
    frame = log.frame()
    if frame.empty:
        view.md(_phrase("ei_poistettu"))
        return
    frame["syy"] = frame["syy"].str.replace(r" rivistä \d+", "", regex=True)  # group duplicates together
    counts = frame.groupby(["taulu", "toimenpide", "syy"]).size().reset_index(name="riviä")
    counts["riviä"] = counts["riviä"].map(fmt.number)
    counts = counts.rename(columns={"taulu": "Taulu", "toimenpide": "Toimenpide", "syy": "Syy", "riviä": "Rivejä"})
    view.table(counts, numeric=["Rivejä"])


def cleaning_log(log: CleaningLog, rows: int = 30) -> None:
    """The first rows of the cleaning log, folded away."""
    frame = log.frame()
    if frame.empty:
        return
    first = frame.head(rows).drop(columns=["tiedosto"], errors="ignore")  # the table names the export
    shown = first.astype(object).where(first.notna(), "")
    shown = shown.rename(columns=lambda c: c[:1].upper() + c[1:])
    view.details(f"Puhdistuslokin {min(rows, len(frame))} ensimmäistä riviä ({fmt.number(len(frame))} riviä yhteensä)",
            view.table_html(shown, numeric=["Rivi"]))


def removed_by_rule(log: CleaningLog) -> None:
    """Per table, every row a rule removed for what it says (a test marker, an exact repeat, a
    date outside the year), with the rule and the column it looked at, so that an analyst sees
    at a glance what was dropped. Row numbers are the file's; no free text (the log has none)."""
    frame = judged_removals(log)
    if frame.empty:
        view.md(_phrase("ei_poistettu_saannolla"))
        return
    for (_, name), rows in frame.groupby(["taulu", "tiedosto"], sort=False):
        shown = rows[["rivi", "syy", "sarake", "ennen"]].rename(columns={"rivi": "Rivi", "syy": "Syy",
                                                                         "sarake": "Sarake", "ennen": "Arvo"})
        if not shown["Arvo"].any():
            shown = shown.drop(columns="Arvo")
        removed = "1 poistettu rivi" if len(rows) == 1 else f"{fmt.number(len(rows))} poistettua riviä"
        view.table(shown, numeric=["Rivi"], caption=f"{Path(name).stem}: {removed}")  # the export, not a file path


# -- the appendix: audit ---------------------------------------------------------------------------------
def audit_summary(section: Section, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The headline count over the whole report, and every inconsistency the audit found
    (`names`: section key -> the heading readers know it by)."""
    page = view.Page(section)
    if not section.has_reference:
        page.md(no_reference(section.year))
        return pd.DataFrame()
    summary = reconcile.summary(section.reconciliation())
    impossible = (_phrase("auditointi_yksi_mahdoton") if summary["selitetty"] == 1 else
                  _phrase("auditointi_mahdottomat", selitetty=summary["selitetty"]))
    page.md(_phrase("auditointi", painettuja=summary["painettuja lukuja"], tasmaa=summary["täsmää"],
                    mahdottomat=impossible, poikkeaa=summary["poikkeaa"]))
    findings = section.audit.table()
    if findings.empty:
        return findings
    shown = findings.assign(osio=findings["osio"].map(lambda k: (names or {}).get(k, k)),
                            painettu=[fmt.number(v, 1 if v % 1 else 0) for v in findings["painettu"]],
                            johdettu=[fmt.number(v, 1 if v % 1 else 0) for v in findings["johdettu"]])
    shown = shown[["osio", "luku", "tarkistus", "painettu", "johdettu", "selitys"]].rename(columns={
        "osio": "Osio", "luku": "Luku", "tarkistus": "Tarkistus", "painettu": "Painettu",
        "johdettu": "Johdettu", "selitys": "Selitys"})
    page.table(shown, numeric=["Painettu", "Johdettu"])
    return findings


def _phrase(name: str, **values) -> str:
    return texts.phrase("yhteiset", name, **values)
