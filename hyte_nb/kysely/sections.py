"""What the survey notebooks show: every question as a chart with its n and a table with
95 % Wilson intervals, open answers as themes and quotes, the group test and the comparison.

The Finnish narrative lives in the notebooks and the analyst's texts (tekstit/); these
helpers show data (charts, tables and their captions) and return what the notebooks put into
words. A share the published report printed differently carries its mark (¹) and footnote.

Small-count suppression: the background questions (osio `vastaajat`: professional group, kind
of client work, role, responsibility area, municipality) break the respondents down by an
attribute of theirs, so their tables, charts and year comparisons show a count of 1-4 as '< 5'
and hide what would give it away ('..'), with the shares and intervals computed on them. The
answer distributions of the other questions (an anonymous survey's answers), checkbox and
matrix questions, open-answer themes, the tests and quotes are not person breakdowns.
"""

from __future__ import annotations

import copy
import html
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from hyte_nb.core import charts, clean, fmt, parameters, period, stats, suppression
from hyte_nb.core import figures as figures_table
from hyte_nb.core.display import STORY_QUOTES, Hidden, Page, Section, html_block, quotes, show, table, table_html
from hyte_nb.core.suppression import ANSWERS, HIDDEN, PERSONS
from hyte_nb.core.texts import Quote
from hyte_nb.core.paths import Paths
from hyte_nb.kysely import analysis as survey
from hyte_nb.kysely import questionnaire, themes
from hyte_nb.kysely.questionnaire import title

REPORT = "kysely"
CLEANING_NOTEBOOK = "10_kysely_puhdistus.ipynb"
APPENDIX = "10_puhdistus.html"  # the cleaning page, where the project folder declares no other
ILLUSTRATIVE_YEAR = 2023  # without a project folder: the bundled comparison survey is illustrative
NOT_ASKED = "Kysymystä ei esitetty vuoden {year} kyselyssä."
LONG_LIST = 8  # a single-choice question with more options folds into "Muut" in the story
STORY, APPENDIX = "tarina", "liite"  # a question on a story page, or its evidence on the appendix page
EVIDENCE_PAGE = "kysely_liitteet.html"  # the appendix page of tests and intervals (reports.yml)
NOT_COMPARED = {"kunta"}  # 22 municipalities side by side say nothing the respondents' table does not
SHARE_COLUMNS = ["Vastaajia", "Osuus, %", "95 %:n luottamusväli, %"]
NO_THEME = "(ei teemaa)"
RESPONDENTS = "vastaajat"  # the section of the background questions: respondents by an attribute of theirs
# The first header of a background question's tables: what its rows are (a new background
# question has its title there).
ATTRIBUTES = {"ammattiryhma": "Ammattiryhmä", "asiakastyo": "Asiakastyön laatu", "rooli": "Tehtävä",
              "vastuualue": "Vastuualue", "kunta": "Kunta"}


def kind_of(q: dict) -> str:
    """suppression.PERSONS for a single-choice background question (respondents by an attribute
    of theirs), ANSWERS for every other question of the anonymous survey."""
    return PERSONS if q["osio"] == RESPONDENTS and q["tyyppi"] == "valinta" else ANSWERS


def first_header(q: dict) -> str:
    """'Kunta' for the municipality question's tables, 'Vastaus' for an opinion question's."""
    return ATTRIBUTES.get(q["key"], title(q)) if q["osio"] == RESPONDENTS else "Vastaus"


def hidden_figures(answers: pd.DataFrame, year: int, config: suppression.Settings | None = None,
                   figures: pd.DataFrame | None = None) -> dict[str, Hidden]:
    """The option figures (shares of respondents) of the background questions that a public page
    hides, as the pages' tables hide them: id -> Hidden('..'); then, from the year's figures
    table, every figure computed from a small count of persons or a hidden figure
    (`suppression.derived`, the rule of every report)."""
    config = config or suppression.settings()
    if not config.on:
        return {}
    hidden = {}
    for key, q in survey.questions(year).items():
        if kind_of(q) != PERSONS or key not in answers:
            continue
        dist = survey.distribution(answers[key], questionnaire.options(q))
        s = suppression.one_way(dist["lkm"], kind=PERSONS, config=config)
        for option in q["vaihtoehdot"]:
            if option.get("id") and s.hidden.get(option["teksti"], False):
                hidden[option["id"]] = Hidden(HIDDEN)
    if figures is not None:
        for fid, (value, n) in suppression.derived(figures, hidden, config).items():
            hidden[fid] = Hidden(value, n)
    return hidden


def hidden_in(folder: Paths) -> dict[str, Hidden]:
    """The figures the year's public pages hide (for a page built outside a notebook: the
    report's index with its headline figures, hyte_nb/pipeline/index.py): {} before the survey is
    cleaned. The threshold is the project folder's (organisaatio.yml)."""
    path = folder.processed / f"kysely_{folder.year}.parquet"
    if not path.exists():
        return {}
    return hidden_figures(pd.read_parquet(path), folder.year, suppression.settings(folder.root),
                          figures=figures_table.read_if_exists(folder.processed))


def _footnote(page: Page, s: suppression.Suppression, shares_only: bool = False) -> None:
    """Under a table with hidden counts: what '< 5' and '..' mean (`shares_only`: a table of
    shares, where every hidden one is '..', and the chart's labels carry the counts' marks)."""
    if not s.any:
        return
    text = s.footnote("vastaajaa")
    if shares_only:
        config = s.settings
        text = (f"{HIDDEN} = osuus on piilotettu, koska se on laskettu alle {config.threshold} vastaajasta tai siitä "
                f"voisi päätellä alle {config.threshold} vastaajan lukumäärän (pienten lukujen suojaus); kaavion "
                f"selitteissä {config.mark} = alle {config.threshold} vastaajaa. Muutosta ei näytetä, jos "
                f"jommankumman vuoden osuus on piilotettu.")
    page.html_block(f'<div class="alaviitteet"><p class="alaviite">{html.escape(text)}</p></div>')


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
    folder: Paths | None = None
    appendix = APPENDIX

    @property
    def answers(self) -> pd.DataFrame:
        return self.tables[self.year]

    def hidden_figures(self, figures: pd.DataFrame, year: int) -> dict[str, Hidden]:
        return (hidden_figures(self.tables[year], year, self.suppression_settings, figures=figures)
                if year in self.tables else {})

    @property
    def previous(self) -> pd.DataFrame | None:
        return self.tables.get(self.previous_year)

    @property
    def comparison_year(self) -> int:
        return self.previous_year

    @property
    def same_period(self) -> None:
        """A survey is a one-off poll: a running year's answers so far are compared with the
        whole previous survey, never with part of it."""
        return None

    @property
    def illustrative_previous(self) -> bool:
        """Is the comparison survey generated sample data (its year's raw folder carries the
        sample marker), not a real survey's answers?"""
        if self.previous is None:
            return False
        if self.folder is None:
            return self.previous_year == ILLUSTRATIVE_YEAR
        return self.folder.of_year(self.previous_year).is_sample

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The first and last answer's times: when the survey was open."""
        times = pd.concat([self.answers["aloitettu"], self.answers["lahetetty"]])
        return times.min(), times.max()

    @cached_property
    def all_year_tests(self) -> list[stats.TestResult]:
        """Did each answer set change from the previous survey? (computed once per page)"""
        return survey.year_tests(self.answers, self.previous, self.year, self.previous_year)

    def asked(self, key: str) -> bool:
        """Did this year's questionnaire ask the question?"""
        return questionnaire.is_asked(key, self.year)


def survey_tables(folder: Paths, previous_year: int, log: clean.CleaningLog) -> dict[int, pd.DataFrame]:
    """The survey of the year and, where its export exists, the comparison year's, cleaned
    into the log: {year: answers}. Nothing is written."""
    tables = {}
    for y, raw in ((folder.year, folder.raw), (previous_year, folder.of_year(previous_year).raw)):
        export = questionnaire.survey_export(y)
        path = raw / export.filename
        if y == previous_year and not path.exists():
            continue  # no comparison survey: the comparison notebook says so
        tables[y] = clean.clean_export(path, export, y, log)
    return tables


def survey_figures(tables: dict[int, pd.DataFrame], year: int, previous_year: int) -> pd.DataFrame:
    return survey.compute_figures(tables[year], year, tables.get(previous_year), previous_year)


def write_period(tables: dict[int, pd.DataFrame], folder: Paths) -> None:
    """The period of the year's answers: the whole year, or in a running year up to the latest answer."""
    period.of_data(folder.year, period.latest_date([tables[folder.year]], folder.year)).write(folder.processed)


def clean_surveys(folder: Paths, previous_year: int | None = None) -> clean.CleaningLog:
    """Clean the survey of the year and, where its export exists, the comparison year's
    (default: the folder's comparison year); then compute the figures table once. The report's
    whole cleaning, the staff register and the other areas included, is kysely/report.clean."""
    previous_year = folder.comparison_year if previous_year is None else previous_year
    log = clean.CleaningLog()
    tables = survey_tables(folder, previous_year, log)
    clean.write_processed({f"kysely_{y}": t for y, t in tables.items()}, log, folder.processed)
    write_period(tables, folder)
    figures_table.write(survey_figures(tables, folder.year, previous_year), folder.processed)
    return log


def load(folder: Paths, previous_year: int | None = None) -> SurveySection:
    """The survey's section model; previous_year: the comparison year (default: the folder's)."""
    parameters.require_processed(folder, CLEANING_NOTEBOOK)
    previous_year = folder.comparison_year if previous_year is None else previous_year
    processed = folder.processed
    tables = {y: pd.read_parquet(processed / f"kysely_{y}.parquet") for y in (folder.year, previous_year)
              if (processed / f"kysely_{y}.parquet").exists()}
    from hyte_nb import reports

    section = SurveySection(folder.year, previous_year, tables, figures_table.read(processed),
                            figures_table.read_if_exists(folder.of_year(previous_year).processed), processed,
                            folder.reference, folder=folder)
    section.appendix = reports.appendix(REPORT, folder.root, APPENDIX)
    return section


def section_names() -> dict[str, str]:
    """The report's sections as the reconciliation names them, with their headings."""
    return {"toteutus": "Toteutus", "vastaajat": "Kyselyyn vastaajat", "hyte_ohjaus": "1. Hyte-ohjaaminen",
            "toimintamalli": "2. Toimintamalli"}


def question_counts(section: SurveySection) -> dict[str, int]:
    """How many questions the year asked besides the background ones, and how many were open."""
    asked = survey.asked_questions(section.year)
    return {"kysymyksia": len(asked), "avoimia": sum(q["tyyppi"] == "avoin" for q in asked)}


def _ci(low: float, high: float) -> str:
    return f"{fmt.number(low)}–{fmt.number(high)}"


def distribution_table(dist: pd.DataFrame, marks: dict[str, str] | None = None, first: str = "Vastaus") -> pd.DataFrame:
    """Answers, share and its 95 % interval of each option; units in the headers. `marks`:
    option -> the mark of a share the published report printed differently; `first`: the first
    column's header (what the rows are)."""
    marks = marks or {}
    return pd.DataFrame({first: dist.index, "Vastaajia": dist["lkm"].map(fmt.number),
                         "Osuus, %": [fmt.number(v) + marks.get(o, "") for o, v in zip(dist.index, dist["osuus"])],
                         "95 %:n luottamusväli, %": [_ci(a, b) for a, b in zip(dist["ci_ala"], dist["ci_yla"])]})


def _captioned(page: Page, frame: pd.DataFrame, numeric: list[str], caption: str) -> None:
    """A table with its caption (what it is and its n)."""
    page.html_block(table_html(frame, numeric, caption))


def _table_below(fig):
    """A chart whose numbers the table right below it shows: no second copy of them under the
    chart (display.show reads the mark)."""
    fig.numbers_below = True
    return fig


def _marks(section: SurveySection, pairs) -> dict[str, str]:
    """option -> mark, for the (option, figure id) pairs of a question."""
    return {option: section.mark(fid) for option, fid in pairs if fid}


def _heading(section: SurveySection, key: str, part: str = STORY) -> bool:
    """The question's heading (and its full text), or with it the note that the year did not
    ask it. True when it was asked. In the appendix the heading is the target of the story's
    link to the question's evidence."""
    q = questionnaire.question(key)
    section.shown.add(key)
    page = Page(section)
    if part == APPENDIX:
        page.html_block(f'<h3 id="liite-{html.escape(key)}">{html.escape(title(q))}</h3>')
    else:
        page.md(f"### {title(q)}" + (f"\n\n*{q['teksti']}*" if title(q) != q["teksti"] else ""))
    if not section.asked(key):
        page.md(NOT_ASKED.format(year=section.year))
        return False
    return True


def show_question(section: SurveySection, key: str, part: str = STORY) -> None:
    """One question: in the story (part STORY) its heading, chart labelled with n (its numbers
    folded under it) and a link to its evidence; in the appendix (part APPENDIX) its heading
    and a table with Wilson intervals (an open question: its themes and quotes; in the
    appendix its themes). Where the year did not ask it, a note."""
    q = questionnaire.question(key)
    page = Page(section)
    if q["tyyppi"] == "avoin":
        answers = open_question(section, key, part)
        if answers and part == STORY:
            page.md(themes_sentence(answers))
            show_themes(answers)
            show_quotes(answers)
        elif answers:
            show_themes(answers, part)
            show_quotes(answers, part)
        return
    if not _heading(section, key, part):
        return
    answers, name = section.answers, title(q)
    if q["tyyppi"] == "valinta":
        dist = survey.distribution(answers[key], questionnaire.options(q))
        if part == STORY and not q.get("jarjestetty") and len(dist) > LONG_LIST:
            dist = fold(dist, LONG_LIST - 1)  # the appendix has every option
        s = suppression.one_way(dist["lkm"], kind=kind_of(q))  # hides nothing in an opinion question
        n, labels = s.total_text(), s.labels(dist.index)
        shares = s.values(dist["osuus"].to_numpy())  # NaN where hidden: no bar, no whisker; the note names it
        if q.get("jarjestetty"):
            _chart(page, part, lambda: charts.diverging({name: list(shares)}, labels, name, note=f"n = {n}",
                                                 missing=suppression.CHART_NOTE))
        else:
            keep = ((dist["lkm"] > 0) | s.hidden).to_numpy()  # a hidden zero keeps its (empty) place
            low, high = s.values(dist["ci_ala"].to_numpy()), s.values(dist["ci_yla"].to_numpy())
            _chart(page, part, lambda: charts.bars_with_intervals(
                [label for label, k in zip(labels, keep) if k], shares[keep], low[keep], high[keep], name,
                note=f"n = {n}; viikset: 95 %:n luottamusväli", missing=suppression.CHART_NOTE))
        options = [(o["teksti"], o.get("id")) for o in q["vaihtoehdot"]]
        marks = _marks(section, options) if part == APPENDIX else {}  # beside the shares of the table
        frame = s.table(distribution_table(dist, marks, first_header(q)), count="Vastaajia",
                        derived=["Osuus, %", "95 %:n luottamusväli, %"])
        for i, option in enumerate(dist.index):  # a hidden share keeps the mark of the published one
            if s.hidden.iloc[i] and marks.get(option):
                frame.iloc[i, frame.columns.get_loc("Osuus, %")] = HIDDEN + marks[option]
        if part == APPENDIX:
            page.table(frame, numeric=SHARE_COLUMNS)
        _footnote(page, s)
    elif q["tyyppi"] == "monivalinta":
        result = survey.checkbox(answers, q)
        n, picks = int(result["n"].iloc[0]), result.attrs["valinnat"]
        note = (f"Osuus vastaajista, n = {fmt.number(n)}, valittujen vastausten lkm = {fmt.number(picks)}; "
                f"viikset: 95 %:n luottamusväli")
        _chart(page, part, lambda: charts.bars_with_intervals(result.index, result["osuus"], result["ci_ala"], result["ci_yla"],
                                                     name, note))
        if part == APPENDIX:
            page.table(distribution_table(result), numeric=SHARE_COLUMNS)
        page.md(f"Vastaajia {fmt.number(n)}{section.mark(q.get('n_id', ''))}, valittuja vastauksia "
           f"{fmt.number(picks)}{section.mark(q.get('valinnat_id', ''))}. Vastaaja saattoi valita useita "
           f"vaihtoehtoja, joten osuudet eivät summaudu sataan.")
    elif q["tyyppi"] == "matriisi":
        rows = survey.matrix(answers, q)
        n = max(int(d["n"].iloc[0]) for d in rows.values())
        if q.get("jarjestetty"):
            _chart(page, part, lambda: charts.diverging({r: list(d["osuus"]) for r, d in rows.items()}, q["asteikko"], name,
                                               note=f"n = {fmt.number(n)}"))
        else:
            first = q["asteikko"][0]
            _chart(page, part, lambda: charts.bars_with_intervals(
                list(rows), [d.loc[first, "osuus"] for d in rows.values()], [d.loc[first, "ci_ala"] for d in rows.values()],
                [d.loc[first, "ci_yla"] for d in rows.values()], f"{name}: {first}",
                note=f"n = {fmt.number(n)}; viikset: 95 %:n luottamusväli"))
        ids = {r["teksti"]: r.get("ids", []) for r in q["rivit"]}
        for row, dist in rows.items():
            if part == APPENDIX:
                marks = _marks(section, zip(q["asteikko"], ids[row]))
                _captioned(page, distribution_table(dist, marks), SHARE_COLUMNS,
                           f"{row} (n = {fmt.number(int(dist['n'].iloc[0]))})")
    if part == STORY:
        page.evidence_link(f"{EVIDENCE_PAGE}#liite-{key}", "Osuudet luottamusväleineen liitteessä")


def fold(dist: pd.DataFrame, keep: int) -> pd.DataFrame:
    """A long list of options as its `keep` largest and one row "Muut (k vaihtoehtoa)" with
    their summed count, share and interval (a single-choice question's options exclude each
    other). Suppression is applied to the folded list as it is shown."""
    order = dist.sort_values("lkm", ascending=False, kind="stable")
    rest = order.iloc[keep:]
    count, n = int(rest["lkm"].sum()), int(dist["n"].iloc[0])
    low, high = stats.wilson(count, n)
    other = pd.DataFrame({"lkm": [count], "osuus": [count / n * 100 if n else float("nan")],
                          "ci_ala": [float(low)], "ci_yla": [float(high)], "n": [n]},
                         index=[f"Muut ({len(rest)} vaihtoehtoa)"])
    return pd.concat([order.iloc[:keep], other[[c for c in dist.columns if c in other]]])


def _chart(page: Page, part: str, draw) -> None:
    """A question's chart (draw() draws it), in the story only; its numbers fold under it (the
    appendix has them with their intervals)."""
    if part == STORY:
        page.show(draw())


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
    key: str = ""  # the question's key (the appendix's anchors)


def open_question(section: SurveySection, key: str, part: str = STORY) -> OpenAnswers | None:
    """The open question's heading; its answers coded into themes, or None (and the note)
    where the year did not ask it."""
    if not _heading(section, key, part):
        return None
    answers = section.answers[key]
    coded = themes.code(answers, themes.codebook(key))
    counts = themes.theme_counts(coded)
    return OpenAnswers(title(questionnaire.question(key)), counts.attrs["n"], counts, themes.quotes(answers, coded), key)


def show_themes(answers: OpenAnswers, part: str = STORY) -> None:
    """The open answers' themes: how many answers mention each (one answer may mention
    several), and how many no theme caught: a chart in the story, a table in the appendix."""
    shown = answers.themes.drop(index=NO_THEME)
    if part == STORY:
        show(charts.horizontal_bars(list(shown.index), list(shown["vastauksia"]), f"{answers.title}: teemat",
                                    note=f"n = {fmt.number(answers.n)} avointa vastausta"))
        return
    labels = ["Ei mikään teemoista" if t == NO_THEME else t for t in answers.themes.index]
    table(pd.DataFrame({"Teema": labels, "Vastauksia": answers.themes["vastauksia"].map(fmt.number),
                        "Osuus vastauksista, %": answers.themes["osuus"].map(fmt.number)}),
          numeric=["Vastauksia", "Osuus vastauksista, %"])


def themes_sentence(answers: OpenAnswers) -> str:
    return (f"Avoimia vastauksia oli {fmt.number(answers.n)}. Vastaukset on luokiteltu teemoihin avainsanojen "
            f"perusteella; sama vastaus voi kuulua useaan teemaan.")


def show_quotes(answers: OpenAnswers, part: str = STORY) -> None:
    """The picked quotes, each with its theme after it: a few in the story with a link to all of
    them in the appendix."""
    items = [Quote("", text, source=f"Teema: {theme.lower()}") for theme, text in answers.quotes]
    if part == STORY:
        quotes(items, STORY_QUOTES, f"{EVIDENCE_PAGE}#sitaatit-{answers.key}")
    else:
        html_block(f'<h4 id="sitaatit-{html.escape(answers.key)}">Sitaatit: {html.escape(answers.title)}</h4>')
        quotes(items)


# -- tests ---------------------------------------------------------------------------------------
def group_differences(section: SurveySection) -> survey.GroupDifferences:
    """Does each question's answer depend on the professional group? (Holm-adjusted)"""
    return survey.GroupDifferences(survey.group_tests(section.answers, section.year))


def precision(section: SurveySection) -> survey.Precision:
    return survey.precision(len(section.answers))


# -- comparison with the previous survey -------------------------------------------------------------
CHANGE_NOTE = ("Muutos on laskettu pyöristämättömistä osuuksista prosenttiyksikköinä, joten se voi poiketa yhdellä "
               "pyöristettyjen osuuksien erotuksesta (esimerkiksi 8 % → 8 %, muutos +1).")


def compared_questions(section: SurveySection) -> dict[str, dict]:
    """The questions asked in both years that the comparison shows."""
    previous_questions = survey.questions(section.previous_year)
    return {key: q for key, q in survey.questions(section.year).items()
            if key in previous_questions and q["tyyppi"] != "avoin" and key not in NOT_COMPARED}


def year_tests(section: SurveySection) -> list[stats.TestResult]:
    """The tests of change of every answer set the comparison shows (Holm-adjusted together)."""
    shown = {label for q in compared_questions(section).values() for label in survey.answer_columns(q)}
    return stats.holm([copy.copy(r) for r in section.all_year_tests if r.kysymys in shown])


def change_summary(section: SurveySection) -> str:
    """One paragraph instead of a sentence under every answer set: in how many of them the
    distribution changed significantly, before and after Holm's adjustment."""
    tests = [r for r in year_tests(section) if r.p == r.p]
    if not tests:
        return "Vastausten jakauman muutosta ei voi testata yhdessäkään kysymyksessä."
    changed = [r for r in tests if r.p < stats.ALPHA]
    adjusted = [r for r in tests if r.p_holm < stats.ALPHA]
    years = f"vuodesta {section.previous_year} vuoteen {section.year}"
    if not changed:
        return (f"Vastausten jakauma ei muuttunut tilastollisesti merkitsevästi {years} yhdessäkään "
                f"{len(tests)} vertaillusta kysymyksestä tai väittämästä (khiin neliö -testi, 5 %:n merkitsevyystaso). "
                f"Alla näkyvät erot mahtuvat sattuman vaihteluun.")
    names = ", ".join(r.kysymys for r in changed)
    text = (f"Vastausten jakauma muuttui {years} tilastollisesti merkitsevästi {len(changed)} kysymyksessä "
            f"{len(tests)}:sta ({names}).")
    if not adjusted:
        text += (f" Kun otetaan huomioon, että vertailuja tehtiin {len(tests)}, yksikään muutos ei ole merkitsevä "
                 f"Holmin korjauksen jälkeen, joten muutoksia on syytä pitää suuntaa antavina.")
    else:
        text += f" Holmin korjauksen jälkeenkin merkitseviä: {', '.join(r.kysymys for r in adjusted)}."
    return text + " Muissa kysymyksissä erot mahtuvat sattuman vaihteluun."


def show_year_tests(section: SurveySection) -> None:
    """Every test of change, folded away."""
    results = year_tests(section)
    if results:
        frame = stats.tests_table(results)
        Page(section).details(f"Muutostestit kysymyksittäin ({len(results)})",
                table_html(frame, numeric=[c for c in ("p", "p (Holm)", "Cramérin V", "n") if c in frame]))


def comparison(section: SurveySection, changed: str | None = None, unchanged: str | None = None,
               untestable: str | None = None) -> None:
    """Every question asked in both years: shares side by side and the change. Where the
    sentences are given (templates with {vertailuvuosi}, {vuosi}, {p} and {v}), each answer set
    also gets its test's sentence: `changed` where the distribution changed significantly,
    `unchanged` where not, `untestable` where no test is possible. The pages give
    `change_summary` instead, once."""
    if section.previous is None:
        return
    tests = {r.kysymys: r for r in section.all_year_tests}
    page = Page(section)
    for key, q in compared_questions(section).items():
        page.md(f"### {title(q)}")
        if q["tyyppi"] == "monivalinta":
            now, before = survey.checkbox(section.answers, q), survey.checkbox(section.previous, q)
            before = before.reindex(now.index)
            _comparison_rows(section, list(now.index), before, now, "Osuus vastaajista")
            continue
        for label, column in survey.answer_columns(q).items():
            labels = q.get("asteikko") or questionnaire.options(q)
            now = survey.distribution(section.answers[column], labels)
            before = survey.distribution(section.previous[column], labels)
            _comparison_rows(section, labels, before, now, label, kind=kind_of(q), first=first_header(q))
            if changed is None:
                continue
            result = tests[label]
            sentence = untestable if result.p != result.p else changed if result.p < stats.ALPHA else unchanged
            page.md(sentence.format(vertailuvuosi=section.previous_year, vuosi=section.year, p=fmt.number(result.p, 3),
                               v=fmt.number(result.cramers_v, 2)))


def _comparison_rows(section: SurveySection, labels: list[str], before: pd.DataFrame, now: pd.DataFrame,
                     name: str, kind: str = ANSWERS, first: str = "Vastaus") -> None:
    """One answer set in both years: the chart and the table of shares and the change. A
    background question (kind PERSONS) is a table of respondents by option and year whose
    years' n are printed: a count of 1-4 in either year is hidden with its share and the
    change, and so is what would give it away."""
    last, this = section.previous_year, section.year
    if kind == PERSONS:
        counts = pd.DataFrame({last: before["lkm"].to_numpy(), this: now["lkm"].to_numpy()}, index=labels)
        s = suppression.two_way(counts, kind=kind, row_totals=False)
        hide_last, hide_this = s.hidden[last].to_numpy(), s.hidden[this].to_numpy()
        hide_change = s.hidden.any(axis=1).to_numpy()
        n_last, n_this = s.column_totals_text()[last], s.column_totals_text()[this]
        marked = [label + (f" ({', '.join(dict.fromkeys(m for m in row if m))})" if any(row) else "")
                  for label, row in zip(labels, s.marks().to_numpy().tolist())]
    else:  # an opinion question (a checkbox option missing from the other year has no count): shown as it is
        s = None
        hide_last = hide_this = hide_change = [False] * len(labels)
        n_last, n_this = fmt.number(int(before["n"].iloc[0])), fmt.number(int(now["n"].iloc[0]))
        marked = list(labels)
    note = f"n = {n_last} ({last}), {n_this} ({this})"
    def hide(values, where, mark=HIDDEN) -> list:
        return [mark if h else v for v, h in zip(values, where)]

    nan = float("nan")  # a hidden share has no bar
    page = Page(section)
    page.show(_table_below(charts.years_side_by_side(marked, hide(before["osuus"].astype(float), hide_last, nan),
                                                hide(now["osuus"].astype(float), hide_this, nan), last, this, name,
                                                note=note, illustrative=section.illustrative_previous,
                                                missing=suppression.CHART_NOTE if s is not None
                                                else charts.MISSING_NOTE)))
    previous, current = f"{last}, %", f"{this}, %"
    change = [fmt.nps(b - a) for a, b in zip(before["osuus"], now["osuus"])]
    _captioned(page, pd.DataFrame({first: labels, previous: hide(before["osuus"].map(fmt.number), hide_last),
                             current: hide(now["osuus"].map(fmt.number), hide_this),
                             "Muutos, prosenttiyksikköä": hide(change, hide_change)}),
               [previous, current, "Muutos, prosenttiyksikköä"], f"{name}: n = {n_last} ({last}) ja {n_this} ({this})")
    if s is not None:
        _footnote(page, s, shares_only=True)
