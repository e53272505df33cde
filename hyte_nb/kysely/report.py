"""The survey report's contract (hyte_nb/reports.py): clean, load, hidden, pages, summary."""

from __future__ import annotations

from pathlib import Path

from hyte_nb.pipeline import declared
from hyte_nb.core import clean as cleaning
from hyte_nb.core import figures as figures_table
from hyte_nb.core.paths import Paths
from hyte_nb.kysely import areas, evidence, population, sections

KEY = "kysely"


def clean(folder: Paths) -> cleaning.Cleaned:
    """The survey of the year and of its comparison year checked against their questionnaires,
    the staff registers (response rates, weights) and the other areas' exports (where there
    are) into the same cleaning log; the clean tables and the log written once, the period, the
    figures table once (the survey's figures, the response rate, the areas side by side), and
    the analysts' files (SPSS .sav and Finnish CSV, with weights where the staff was cleaned)."""
    log = cleaning.CleaningLog()
    surveys = sections.survey_tables(folder, folder.comparison_year, log)
    extra = population.clean_population(folder, folder.comparison_year, log) | areas.clean_areas(folder, log)
    tables = {f"kysely_{y}": t for y, t in surveys.items()} | extra
    cleaning.write_processed(tables, log, folder.processed)
    sections.write_period(surveys, folder)
    figures_table.write(figures_table.combine(sections.survey_figures(surveys, folder.year, folder.comparison_year),
                                              population.response_figures(folder, surveys[folder.year], extra),
                                              areas.area_figures(extra)), folder.processed)
    analyst_files = population.write_analyst_files(folder, surveys, extra)
    return cleaning.Cleaned(log, tables, [analyst_files.sentence()])


def load(folder: Paths) -> sections.SurveySection:
    return sections.load(folder)


def hidden(folder: Paths) -> dict:
    return sections.hidden_in(folder)


def pages(root: Path) -> declared.Report:
    return declared.load(root)[KEY]


def summary(folder: Paths) -> tuple[sections.SurveySection, dict[str, str]]:
    """The summary page's section model and the sentences its findings may use besides the
    figures: the tests of differences between professional groups ({ryhmaerot}) and of the change
    from the comparison year ({vuosimuutos})."""
    section = sections.load(folder)
    groups = sections.group_differences(section)
    changes = sections.year_tests(section) if section.previous is not None else []
    return section, {"ryhmaerot": evidence.group_sentence(groups, section.year),
                     "vuosimuutos": evidence.year_sentence(changes, section.year, section.previous_year)}
