"""The reports the package builds, by key: the one place that names each report's module.

Every report module keeps one contract, so that the pipeline, the index pages and the page of
every built year treat any report alike, and a third report is one module and one line here:

    KEY              the report's key: its folder under data/raw/<vuosi>/ and reports/<vuosi>/,
                     and its entry in reports.yml
    clean(folder)    validate and clean the year's exports; write the clean tables, the cleaning
                     log, the period and the figures table (luvut.parquet), each exactly once;
                     return the cleaning (core.clean.Cleaned)
    load(folder)     the report's section model for a page (core.display.Section)
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
