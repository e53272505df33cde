"""The HYTE report's contract (hyte_nb/reports.py): clean, load, hidden, pages, summary, and
its service areas (service_areas), which its per-area pages follow."""

from __future__ import annotations

from pathlib import Path

from hyte_nb.pipeline import declared
from hyte_nb.core import figures as figures_table
from hyte_nb.core.clean import Cleaned
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import catalog, cleaning, figures, sections

KEY = "hyte"


def clean(folder: Paths) -> Cleaned:
    """Every export of the year cleaned into the processed folder with the cleaning log and the
    period; then every figure computed once (luvut.parquet) and, in a running year, last year's
    for the same period (vertailuluvut.parquet)."""
    log, tables = cleaning.clean_year(folder.year, folder.raw, folder.processed)
    figures_table.write(figures.compute_all(tables, folder.year), folder.processed)
    figures.write_same_period(folder)
    return Cleaned(log, tables)


def load(folder: Paths) -> sections.HyteSection:
    return sections.load(folder)


def hidden(folder: Paths) -> dict:
    return sections.hidden_in(folder)


def pages(root: Path) -> declared.Report:
    return declared.load(root)[KEY]


def service_areas(root: Path) -> dict[str, dict]:
    """The service areas of the project's catalogue (key -> nimi, lyhenne): reports.yml's page
    declared `palvelualueittain` is made once for each."""
    return catalog.areas(root)


def summary(folder: Paths) -> tuple[sections.HyteSection, dict[str, str]]:
    """The summary page's section model; its findings need no sentences beyond the figures table."""
    return sections.load(folder), {}
