"""What the survey notebooks show: every question as a chart with its n and a table with
95 % Wilson intervals, open answers as themes and quotes, the group test and the comparison.

The Finnish narrative lives in the notebooks; these helpers show data (charts, tables and
their captions) and return what the notebooks put into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hyte_nb.core import charts, clean, fmt, parameters, stats
from hyte_nb.core import figures as figures_table
from hyte_nb.core.display import Section, md, quotes, show, table
from hyte_nb.core.paths import Paths
from hyte_nb.kysely import analysis as survey
from hyte_nb.kysely import questionnaire, themes
from hyte_nb.kysely.questionnaire import title

REPORT = "kysely"
CLEANING_NOTEBOOK = "10_kysely_puhdistus.ipynb"
ILLUSTRATIVE_YEAR = 2023  # the bundled comparison survey: illustrative, not the published one
NOT_ASKED = "Kysymystä ei esitetty vuoden {year} kyselyssä."
NOT_COMPARED = {"kunta"}  # 22 municipalities side by side say nothing the respondents' table does not
SHARE_COLUMNS = ["Vastaajia", "Osuus", "95 %:n luottamusväli"]


@dataclass
class SurveySection(Section):
    year: int
    previous_year: int
    tables: dict[int, pd.DataFrame]
    figures: pd.DataFrame
    previous_figures: pd.DataFrame | None
    processed_dir: Path
    reference_file: Path
    shown: set[str] = field(default_factory=set)  # questions this notebook has shown

    @property
    def answers(self) -> pd.DataFrame:
        return self.tables[self.year]

    @property
    def previous(self) -> pd.DataFrame | None:
        return self.tables.get(self.previous_year)

    @property
    def illustrative_previous(self) -> bool:
        """Is the comparison survey the bundled illustrative one (not published data)?"""
        return self.previous is not None and self.previous_year == ILLUSTRATIVE_YEAR

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The first and last answer's times: when the survey was open."""
        times = pd.concat([self.answers["aloitettu"], self.answers["lahetetty"]])
        return times.min(), times.max()

    def asked(self, key: str) -> bool:
        """Did this year's questionnaire ask the question?"""
        return questionnaire.is_asked(key, self.year)


def clean_surveys(folder: Paths, previous_year: int) -> clean.CleaningLog:
    """Clean the survey of the year and, where its export exists, the comparison year's; then
    compute the figures table once."""
    log = clean.CleaningLog()
    tables = {}
    for y, raw in ((folder.year, folder.raw), (previous_year, folder.of_year(previous_year).raw)):
        export = questionnaire.survey_export(y)
        path = raw / export.filename
        if y == previous_year and not path.exists():
            continue  # no comparison survey: the comparison notebook says so
        tables[y] = clean.clean_export(path, export, y, log)
    clean.write_processed({f"kysely_{y}": t for y, t in tables.items()}, log, folder.processed)
    figures = survey.compute_figures(tables[folder.year], folder.year, tables.get(previous_year), previous_year)
    figures_table.write(figures, folder.processed)
    return log


def load(folder: Paths, previous_year: int) -> SurveySection:
    parameters.require_processed(folder, CLEANING_NOTEBOOK)
    processed = folder.processed
    tables = {y: pd.read_parquet(processed / f"kysely_{y}.parquet") for y in (folder.year, previous_year)
              if (processed / f"kysely_{y}.parquet").exists()}
    return SurveySection(folder.year, previous_year, tables, figures_table.read(processed),
                         figures_table.read_if_exists(folder.of_year(previous_year).processed), processed,
                         folder.reference)


def _ci(low: float, high: float) -> str:
    return f"{fmt.number(low)}–{fmt.number(high)}"


def distribution_table(dist: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Vastaus": dist.index, "Vastaajia": dist["lkm"].map(fmt.number),
                         "Osuus": dist["osuus"].map(fmt.percent),
                         "95 %:n luottamusväli": [_ci(a, b) + "\u00a0%" for a, b in zip(dist["ci_ala"], dist["ci_yla"])]})


def _heading(section: SurveySection, key: str) -> bool:
    """The question's heading (and its full text), or with it the note that the year did not
    ask it. True when it was asked."""
    q = questionnaire.question(key)
    section.shown.add(key)
    md(f"### {title(q)}" + (f"\n\n*{q['teksti']}*" if title(q) != q["teksti"] else ""))
    if not section.asked(key):
        md(NOT_ASKED.format(year=section.year))
        return False
    return True


def show_question(section: SurveySection, key: str) -> None:
    """Heading, chart labelled with n, and a table with Wilson intervals for one question
    (an open question: its themes and quotes); where the year did not ask it, a note."""
    q = questionnaire.question(key)
    if q["tyyppi"] == "avoin":
        answers = open_question(section, key)
        if answers:
            show_themes(answers)
            quotes(answers.quotes)
        return
    if not _heading(section, key):
        return
    answers, name = section.answers, title(q)
    if q["tyyppi"] == "valinta":
        dist = survey.distribution(answers[key], questionnaire.options(q))
        n = int(dist["n"].iloc[0])
        if q.get("jarjestetty"):
            show(charts.diverging({name: list(dist["osuus"])}, list(dist.index), name, note=f"n = {fmt.number(n)}"))
        else:
            shown = dist[dist["lkm"] > 0]
            show(charts.bars_with_intervals(shown.index, shown["osuus"], shown["ci_ala"], shown["ci_yla"], name,
                                           note=f"n = {fmt.number(n)}; viikset: 95 %:n luottamusväli"))
        table(distribution_table(dist), numeric=SHARE_COLUMNS)
    elif q["tyyppi"] == "monivalinta":
        result = survey.checkbox(answers, q)
        n, picks = int(result["n"].iloc[0]), result.attrs["valinnat"]
        note = (f"Osuus vastaajista, n = {fmt.number(n)}, valittujen vastausten lkm = {fmt.number(picks)}; "
                f"viikset: 95 %:n luottamusväli")
        show(charts.bars_with_intervals(result.index, result["osuus"], result["ci_ala"], result["ci_yla"], name, note))
        table(distribution_table(result), numeric=SHARE_COLUMNS)
        md(f"n = {fmt.number(n)}, valittujen vastausten lukumäärä = {fmt.number(picks)}. Vastaaja saattoi valita "
           f"useita vaihtoehtoja, joten osuudet eivät summaudu sataan.")
    elif q["tyyppi"] == "matriisi":
        rows = survey.matrix(answers, q)
        n = max(int(d["n"].iloc[0]) for d in rows.values())
        if q.get("jarjestetty"):
            show(charts.diverging({r: list(d["osuus"]) for r, d in rows.items()}, q["asteikko"], name,
                                 note=f"n = {fmt.number(n)}"))
        else:
            first = q["asteikko"][0]
            show(charts.bars_with_intervals(list(rows), [d.loc[first, "osuus"] for d in rows.values()],
                                           [d.loc[first, "ci_ala"] for d in rows.values()],
                                           [d.loc[first, "ci_yla"] for d in rows.values()], f"{name}: {first}",
                                           note=f"n = {fmt.number(n)}; viikset: 95 %:n luottamusväli"))
        for row, dist in rows.items():
            md(f"**{row}** (n = {fmt.number(int(dist['n'].iloc[0]))})")
            table(distribution_table(dist), numeric=SHARE_COLUMNS)


def other_questions(section: SurveySection, part: str) -> list[str]:
    """Questions of a report section (osio) that this year asked and the notebook has not
    shown yet: a question new in the catalogue reaches its page with no notebook edit."""
    return [key for key, q in survey.questions(section.year).items()
            if q["osio"] == part and key not in section.shown]


# -- open questions ------------------------------------------------------------------------------
@dataclass
class OpenAnswers:
    """An open question's answers coded into themes, and the quotes picked from them."""

    title: str
    n: int  # answers
    themes: pd.DataFrame  # answers and share per theme, and the answers no theme caught
    quotes: list[tuple[str, str]]  # (theme, quote), personal data removed: for display.quotes


def open_question(section: SurveySection, key: str) -> OpenAnswers | None:
    """The open question's heading; its answers coded into themes, or None (and the note)
    where the year did not ask it."""
    if not _heading(section, key):
        return None
    answers = section.answers[key]
    coded = themes.code(answers, themes.codebook(key))
    counts = themes.theme_counts(coded)
    return OpenAnswers(title(questionnaire.question(key)), counts.attrs["n"], counts, themes.quotes(answers, coded))


def show_themes(answers: OpenAnswers) -> None:
    shown = answers.themes.drop(index="(ei teemaa)")
    show(charts.horizontal_bars(list(shown.index), list(shown["vastauksia"]), f"{answers.title}: teemat",
                               note=f"n = {fmt.number(answers.n)} avointa vastausta"))
    table(pd.DataFrame({"Teema": answers.themes.index, "Vastauksia": answers.themes["vastauksia"].map(fmt.number),
                        "Osuus vastauksista": answers.themes["osuus"].map(fmt.percent)}),
          numeric=["Vastauksia", "Osuus vastauksista"])


# -- tests ---------------------------------------------------------------------------------------
def group_differences(section: SurveySection) -> survey.GroupDifferences:
    """Does each question's answer depend on the professional group? (Holm-adjusted)"""
    return survey.GroupDifferences(survey.group_tests(section.answers, section.year))


def show_tests(differences: survey.GroupDifferences) -> None:
    if differences.results:
        table(stats.tests_table(differences.results), numeric=["p", "p (Holm)", "Cramérin V", "n"])


def precision(section: SurveySection) -> survey.Precision:
    return survey.precision(len(section.answers))


# -- comparison with the previous survey -------------------------------------------------------------
def comparison(section: SurveySection, changed: str, unchanged: str, untestable: str) -> None:
    """Every question asked in both years: shares side by side and the change, and under each
    answer set the notebook's sentence on its test of change. The sentences are templates
    with {vertailuvuosi}, {vuosi}, {p} and {v} (Cramér's V): `changed` where the distribution
    changed significantly, `unchanged` where not, `untestable` where no test is possible."""
    if section.previous is None:
        return
    tests = {r.kysymys: r for r in survey.year_tests(section.answers, section.previous, section.year,
                                                      section.previous_year)}
    previous_questions = survey.questions(section.previous_year)
    for key, q in survey.questions(section.year).items():
        if key not in previous_questions or q["tyyppi"] == "avoin" or key in NOT_COMPARED:
            continue
        md(f"### {title(q)}")
        if q["tyyppi"] == "monivalinta":
            now, before = survey.checkbox(section.answers, q), survey.checkbox(section.previous, q)
            before = before.reindex(now.index)
            _comparison_rows(section, list(now.index), before, now, "Osuus vastaajista")
            continue
        for label, column in survey.answer_columns(q).items():
            labels = q.get("asteikko") or questionnaire.options(q)
            now = survey.distribution(section.answers[column], labels)
            before = survey.distribution(section.previous[column], labels)
            _comparison_rows(section, labels, before, now, label)
            result = tests[label]
            sentence = untestable if result.p != result.p else changed if result.p < stats.ALPHA else unchanged
            md(sentence.format(vertailuvuosi=section.previous_year, vuosi=section.year, p=fmt.number(result.p, 3),
                               v=fmt.number(result.cramers_v, 2)))


def _comparison_rows(section: SurveySection, labels: list[str], before: pd.DataFrame, now: pd.DataFrame,
                     name: str) -> None:
    n_now, n_before = int(now["n"].iloc[0]), int(before["n"].iloc[0])
    show(charts.years_side_by_side(labels, list(before["osuus"]), list(now["osuus"]), section.previous_year,
                                  section.year, name,
                                  note=f"n = {fmt.number(n_before)} ({section.previous_year}), {fmt.number(n_now)} ({section.year})",
                                  illustrative=section.illustrative_previous))
    table(pd.DataFrame({"Vastaus": labels, str(section.previous_year): before["osuus"].map(fmt.percent).to_numpy(),
                        str(section.year): now["osuus"].map(fmt.percent).to_numpy(),
                        "Muutos, prosenttiyksikköä": [fmt.nps(b - a) for a, b in zip(before["osuus"], now["osuus"])]}),
          numeric=[str(section.previous_year), str(section.year), "Muutos, prosenttiyksikköä"])
