"""The reports the package builds, by key: the one place that names each report's module.

Every report module keeps one contract, so that the pipeline, the index pages and the page of
every built year treat any report alike, and a third report is one module and one line here:

    KEY              the report's key: its folder under data/raw/<vuosi>/ and reports/<vuosi>/,
                     and its entry in reports.yml
    clean(folder)    validate and clean the year's exports; write the clean tables, the cleaning
                     log, the period and the figures table (luvut.parquet), each exactly once;
                     return the cleaning (core.clean.Cleaned)
    load(folder)     the report's section model for a page (core.section.Section), which keeps
                     the marks its figures bring and their footnotes
    hidden(folder)   its small-count suppression: the figures its public pages hide ({} before
                     the cleaning has run)
    pages(root)      its runs and pages as reports.yml declares them (declared.Report)
"""

from __future__ import annotations

import importlib
from types import ModuleType

REPORTS = {"hyte": "hyte_nb.hyte.report", "kysely": "hyte_nb.kysely.report"}
CONTRACT = ("KEY", "clean", "load", "hidden", "pages")


def keys() -> list[str]:
    return list(REPORTS)


def module(key: str) -> ModuleType:
    """The report's module (imported on first use)."""
    if key not in REPORTS:
        raise ValueError(f"tuntematon raportti {key!r}: tunnetut raportit ovat {', '.join(REPORTS)}")
    return importlib.import_module(REPORTS[key])


def declared(root) -> dict:
    """Every report the project folder declares (reports.yml's `raportit`, in its order): key ->
    its runs and pages (pipeline.declared.Report). A declared report this module does not name
    stops with a message saying how to fix it."""
    from hyte_nb.pipeline import declared as declarations

    found = declarations.load(root)
    unknown = [key for key in found if key not in REPORTS]
    if unknown:
        raise ValueError(f"{declarations.REPORTS_FILE}: raporttia {', '.join(unknown)} ei tunneta (tunnetut raportit: "
                         f"{', '.join(REPORTS)}); lisää sen moduuli tiedoston hyte_nb/reports.py REPORTS-luetteloon.")
    return found


def pages(key: str, root):
    """The report's runs and pages as the project folder declares them (pipeline.declared.Report)."""
    return module(key).pages(root)


def load(key: str, folder):
    """The report's section model for the year (folder: its Paths), by its own rules: its
    suppression, its marks and their footnotes (for a page built outside a notebook: the index)."""
    return module(key).load(folder)


def hidden(key: str, folder) -> dict:
    """The figures the report's public pages hide, by its own rules (for a page built outside a
    notebook: the index's headline figures, the page of every built year)."""
    return module(key).hidden(folder)


def appendix(key: str, root, default: str) -> str:
    """The file name of the report's appendix page (its cleaning page in reports.yml), which
    the marks beside differing figures link to; `default` where the project folder does not
    declare the report."""
    try:
        return module(key).pages(root).cleaning.page + ".html"
    except (FileNotFoundError, KeyError, ValueError):
        return default
