"""What the survey notebooks show: every question as a chart with its n and a table with
95 % Wilson intervals, open answers as themes and quotes, the group test and the comparison."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hyte_nb.core import charts, clean, fmt, parameters, stats
from hyte_nb.core import figures as figures_table
from hyte_nb.core.display import Section, md, quotes, show, table
from hyte_nb.core.paths import Paths
from hyte_nb.kysely import analysis as survey
from hyte_nb.kysely import questionnaire, themes

REPORT = "kysely"
CLEANING_NOTEBOOK = "10_kysely_puhdistus.ipynb"
PREVIOUS_NOTE = ("Vuoden {year} luvut ovat havainnollistavia: vertailuaineisto on esimerkkiaineistoa, ei julkaistua "
                 "joulukuun 2023 kyselyn aineistoa.")


@dataclass
class SurveySection(Section):
    year: int
    previous_year: int
    tables: dict[int, pd.DataFrame]
    figures: pd.DataFrame
    previous_figures: pd.DataFrame | None
    processed_dir: Path
    reference_file: Path

    @property
    def answers(self) -> pd.DataFrame:
        return self.tables[self.year]

    @property
    def previous(self) -> pd.DataFrame | None:
        return self.tables.get(self.previous_year)


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
                         figures_table.read_if_exists(folder.of_year(folder.year - 1).processed), processed,
                         folder.reference)


def _ci(low: float, high: float) -> str:
    return f"{fmt.number(low)}–{fmt.number(high)}"


def distribution_table(dist: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Vastaus": dist.index, "Vastaajia": dist["lkm"].map(fmt.number),
                         "Osuus": dist["osuus"].map(fmt.percent),
                         "95 %:n luottamusväli": [_ci(a, b) + "\u00a0%" for a, b in zip(dist["ci_ala"], dist["ci_yla"])]})


def show_question(section: SurveySection, key: str) -> None:
    """Heading, chart labelled with n, and a table with Wilson intervals for one question."""
    q = questionnaire.question(key)
    answers = section.answers
    title = q.get("lyhyesti", q["teksti"])
    md(f"### {title}" + (f"\n\n*{q['teksti']}*" if title != q["teksti"] else ""))
    if not questionnaire.is_asked(key, section.year):
        md(f"Kysymystä ei esitetty vuoden {section.year} kyselyssä.")
        return
    numeric = ["Vastaajia", "Osuus", "95 %:n luottamusväli"]
    if q["tyyppi"] == "valinta":
        dist = survey.distribution(answers[key], questionnaire.options(q))
        n = int(dist["n"].iloc[0])
        if q.get("jarjestetty"):
            show(charts.diverging({title: list(dist["osuus"])}, list(dist.index), title, note=f"n = {fmt.number(n)}"))
        else:
            shown = dist[dist["lkm"] > 0]
            show(charts.bars_with_intervals(shown.index, shown["osuus"], shown["ci_ala"], shown["ci_yla"], title,
                                           note=f"n = {fmt.number(n)}; viikset: 95 %:n luottamusväli"))
        table(distribution_table(dist), numeric=numeric)
    elif q["tyyppi"] == "monivalinta":
        result = survey.checkbox(answers, q)
        n, picks = int(result["n"].iloc[0]), result.attrs["valinnat"]
        note = (f"Osuus vastaajista, n = {fmt.number(n)}, valittujen vastausten lkm = {fmt.number(picks)}; "
                f"viikset: 95 %:n luottamusväli")
        show(charts.bars_with_intervals(result.index, result["osuus"], result["ci_ala"], result["ci_yla"], title, note))
        table(distribution_table(result), numeric=numeric)
        md(f"n = {fmt.number(n)}, valittujen vastausten lukumäärä = {fmt.number(picks)}. Vastaaja saattoi valita "
           f"useita vaihtoehtoja, joten osuudet eivät summaudu sataan.")
    elif q["tyyppi"] == "matriisi":
        rows = survey.matrix(answers, q)
        n = max(int(d["n"].iloc[0]) for d in rows.values())
        if q.get("jarjestetty"):
            show(charts.diverging({r: list(d["osuus"]) for r, d in rows.items()}, q["asteikko"], title,
                                 note=f"n = {fmt.number(n)}"))
        else:
            first = q["asteikko"][0]
            show(charts.bars_with_intervals(list(rows), [d.loc[first, "osuus"] for d in rows.values()],
                                           [d.loc[first, "ci_ala"] for d in rows.values()],
                                           [d.loc[first, "ci_yla"] for d in rows.values()], f"{title}: {first}",
                                           note=f"n = {fmt.number(n)}; viikset: 95 %:n luottamusväli"))
        for row, dist in rows.items():
            md(f"**{row}** (n = {fmt.number(int(dist['n'].iloc[0]))})")
            table(distribution_table(dist), numeric=numeric)
    else:
        show_open_question(section, key)


def show_open_question(section: SurveySection, key: str) -> None:
    q = questionnaire.question(key)
    answers = section.answers[key]
    coded = themes.code(answers, themes.codebook(key))
    counts = themes.theme_counts(coded)
    n = counts.attrs["n"]
    md(f"Avoimia vastauksia {fmt.number(n)}. Vastaukset on luokiteltu teemoihin koodikirjan "
       f"(`hyte_nb/kysely/metadata/teemat.yml`) avainsanoilla; sama vastaus voi kuulua useaan teemaan.")
    shown = counts.drop(index="(ei teemaa)")
    show(charts.horizontal_bars(list(shown.index), list(shown["vastauksia"]), q.get("lyhyesti", q["teksti"]) + ": teemat",
                               note=f"n = {fmt.number(n)} avointa vastausta"))
    table(pd.DataFrame({"Teema": counts.index, "Vastauksia": counts["vastauksia"].map(fmt.number),
                        "Osuus vastauksista": counts["osuus"].map(fmt.percent)}),
          numeric=["Vastauksia", "Osuus vastauksista"])
    md("**Poimintoja vastauksista** (nimet, puhelinnumerot, sähköpostit ja henkilötunnukset poistettu):")
    quotes(themes.quotes(answers, coded))


def respondents_overview(section: SurveySection) -> None:
    answers = section.answers
    times = pd.concat([answers["aloitettu"], answers["lahetetty"]])
    md(f"Webropol-kysely oli avoinna {fmt.date(times.min())}–{fmt.date(times.max())}. Kyselyyn saatiin "
       f"**{fmt.number(len(answers))} vastausta**.")
    if section.previous is not None:
        md(f"Vertailukyselyyn (vuosi {section.previous_year}) saatiin {fmt.number(len(section.previous))} vastausta. "
           + PREVIOUS_NOTE.format(year=section.previous_year))
    else:
        md(f"Vuoden {section.previous_year} vertailukyselyn aineistoa ei ole, joten vertailua ei tehdä.")


def group_test_section(section: SurveySection) -> None:
    results = survey.group_tests(section.answers, section.year)
    md(survey.group_sentence(results))
    table(stats.tests_table(results), numeric=["p", "p (Holm)", "Cramérin V", "n"])


def comparison(section: SurveySection) -> None:
    """Every question asked in both years: shares side by side, the change and its test."""
    if section.previous is None:
        md(f"Vuoden {section.previous_year} kyselyn aineistoa ei ole (`data/raw/{section.previous_year}/kysely/`), "
           f"joten vertailua ei voi tehdä. Raportti on muilta osin kokonainen.")
        return
    md(PREVIOUS_NOTE.format(year=section.previous_year))
    tests = {r.kysymys: r for r in survey.year_tests(section.answers, section.previous, section.year,
                                                      section.previous_year)}
    previous_questions = survey.questions(section.previous_year)
    for key, q in survey.questions(section.year).items():
        if key not in previous_questions or q["tyyppi"] == "avoin" or key == "kunta":
            continue
        md(f"### {q.get('lyhyesti', q['teksti'])}")
        if q["tyyppi"] == "monivalinta":
            now, before = survey.checkbox(section.answers, q), survey.checkbox(section.previous, q)
            before = before.reindex(now.index)
            _comparison_rows(section, list(now.index), before, now, q, "Osuus vastaajista")
            continue
        for label, column in survey.answer_columns(q).items():
            labels = q.get("asteikko") or questionnaire.options(q)
            now = survey.distribution(section.answers[column], labels)
            before = survey.distribution(section.previous[column], labels)
            _comparison_rows(section, labels, before, now, q, label)
            md(survey.year_sentence(tests[label], section.previous_year, section.year))


def _comparison_rows(section, labels, before, now, q, title):
    n_now, n_before = int(now["n"].iloc[0]), int(before["n"].iloc[0])
    show(charts.years_side_by_side(labels, list(before["osuus"]), list(now["osuus"]), section.previous_year,
                                  section.year, title,
                                  note=f"n = {fmt.number(n_before)} ({section.previous_year}), {fmt.number(n_now)} ({section.year})"))
    table(pd.DataFrame({"Vastaus": labels, str(section.previous_year): before["osuus"].map(fmt.percent).to_numpy(),
                        str(section.year): now["osuus"].map(fmt.percent).to_numpy(),
                        "Muutos, prosenttiyksikköä": [fmt.nps(b - a) for a, b in zip(before["osuus"], now["osuus"])]}),
          numeric=[str(section.previous_year), str(section.year), "Muutos, prosenttiyksikköä"])


def precision_note(section: SurveySection) -> None:
    """How precise a share is with this many respondents (the width of a Wilson interval)."""
    n = len(section.answers)
    low, high = stats.wilson(n // 2, n)
    md(f"Kuinka tarkkoja osuudet ovat? Kun vastaajia on {fmt.number(n)}, noin puolen vastaajista osuuden 95 %:n "
       f"luottamusväli on {fmt.number(low)}–{fmt.number(high)} %, eli noin ±{fmt.number((high - low) / 2)} "
       f"prosenttiyksikköä. Alle kymmenen prosenttiyksikön erot kysymysten tai vuosien välillä voivat siis "
       f"syntyä sattumalta.")


def model_need_sentence(section: SurveySection) -> None:
    """The two headline shares of the common operating model, where the year asked about it."""
    if not questionnaire.is_asked("toimintamalli", section.year):
        return
    helps, more = (section.figures.loc[i] for i in ("ky_malli_hyodyttaisi", "ky_malli_enemman"))
    md(f"Vastaajista **{fmt.percent(helps['arvo'])}** näkee, että hyte-ohjauksen toimintamalli voisi hyödyttää "
       f"omassa työssä, ja **{fmt.percent(more['arvo'])}** uskoo toteuttavansa hyte-ohjausta enemmän yhteisen "
       f"toimintamallin myötä (n = {fmt.number(helps['n'])}).")
