"""The survey in a year other than the published one: a generated 2025 with the 2024
questionnaire cleans with no catalogue edit, an export that does not match the questionnaire
stops with a message naming the file and the column, and a year whose questionnaire adds one
question and drops two (one for good, one for that year) builds end to end with papermill."""

import re
import shutil
from datetime import datetime

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from conftest import ROOT
from hyte_nb.pipeline import declared, pipeline
from hyte_nb.core import catalog, clean
from hyte_nb.core import figures as figures_table
from hyte_nb.core.read import ExportError
from hyte_nb.core.paths import Paths
from hyte_nb.kysely import questionnaire, sections
from hyte_nb.kysely.sample import SurveyGenerator, whole_counts, write_survey_sample

NOT_ASKED = "Kysymystä ei esitetty vuoden 2025 kyselyssä."
NEW_QUESTION = {
    "key": "etaohjaus", "teksti": "Ohjaatko asiakkaita hyte-toimintaan myös etäyhteydellä?",
    "lyhyesti": "Hyte-ohjaus etäyhteydellä", "tyyppi": "valinta", "jarjestetty": True, "osio": "hyte_ohjaus",
    "alkaen": 2025, "vaihtoehdot": [{"teksti": "Usein", "id": "ky_eta_usein"}, {"teksti": "Joskus", "id": "ky_eta_joskus"},
                                    {"teksti": "En koskaan", "id": "ky_eta_ei"}]}


def project(folder):
    """A project folder of its own: the declarations, the notebooks and the 2024 survey export
    (the comparison year), so nothing is written into the repository's data/ or reports/."""
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")  # a copy: the kernel finds the project from its cwd
    shutil.copytree(Paths.of(2024, "kysely", ROOT).raw, Paths.of(2024, "kysely", folder).raw)
    return folder


def text_of(html_path):
    html = html_path.read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S)))


# -- (a) a new year with an unchanged questionnaire ---------------------------------------------------
def test_a_2025_export_with_the_2024_questionnaire_cleans_with_no_catalogue_edit(tmp_path):
    root = project(tmp_path)
    assert questionnaire.survey_export(2025).columns == questionnaire.survey_export(2024).columns
    folder = Paths.of(2025, "kysely", root)
    path = write_survey_sample(folder, seed=7)
    respondents = SurveyGenerator(2025, folder.reference, 7).plan.respondents
    assert 100 <= respondents <= 130

    log = sections.clean_surveys(folder, 2024)
    summary = log.summary_frame().set_index("tiedosto")
    assert summary.loc[path.name, "rivejä sisään"] == respondents + 1  # the test response
    assert summary.loc[path.name, "rivejä ulos"] == respondents
    assert list(log.frame()["syy"]) == [clean.TEST_WORD] * 2  # one in each year's export
    figures = figures_table.read(folder.processed)
    assert figures.loc["ky_vastaajat", "arvo"] == respondents
    assert figures.loc["ky_vastaajat_2024", "arvo"] == 123
    answers = pd.read_parquet(folder.processed / "kysely_2025.parquet")
    first, last = answers["aloitettu"].min(), answers["lahetetty"].max()
    assert datetime(2025, 9, 1) <= first and last <= datetime(2025, 11, 30)  # a few weeks in the autumn
    assert 7 <= (last - first).days <= 28
    assert answers["kunta"].notna().all() and answers["ammattiryhma"].notna().all()


def test_any_year_sample_is_deterministic_for_its_seed(tmp_path):
    folder = Paths.of(2025, "kysely", ROOT, raw=tmp_path / "a")
    first = write_survey_sample(folder, seed=7)
    again = write_survey_sample(Paths.of(2025, "kysely", ROOT, raw=tmp_path / "b"), seed=7)
    other = write_survey_sample(Paths.of(2025, "kysely", ROOT, raw=tmp_path / "c"), seed=8)
    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


@pytest.mark.parametrize("year", [2025, 2027, 2031])
def test_generated_years_are_plausible_and_differ(year):
    plans = {seed: SurveyGenerator(year, ROOT / "puuttuu.csv", seed).plan for seed in (1, 2)}
    for plan in plans.values():
        assert 100 <= plan.respondents <= 130
        assert plan.opened.year == year and 9 <= plan.opened.month <= 10 and 14 <= plan.days <= 28
        for key, counts in plan.single.items():
            assert sum(counts.values()) <= plan.respondents and min(counts.values()) >= 0
        selections, answered = plan.checkbox["toiminta"]
        assert answered <= sum(selections.values()) and max(selections.values()) <= answered
        assert 0.3 < plan.jyvaskyla / plan.respondents < 0.7
    assert plans[1].single["hyodyllisyys"] != plans[2].single["hyodyllisyys"]
    usefulness = plans[1].single["hyodyllisyys"]
    assert max(usefulness, key=usefulness.get) in ("Hyödyllisenä", "Melko hyödyllisenä")  # near the typical year


def test_whole_counts_add_up_and_follow_the_shares():
    counts = whole_counts({"a": 0.504, "b": 0.333, "c": 0.163}, 111)
    assert counts == {"a": 56, "b": 37, "c": 18} and sum(counts.values()) == 111
    assert whole_counts({"a": 1, "b": 1, "c": 1}, 2) == {"a": 1, "b": 1, "c": 0}


# -- (b) an export that does not match the questionnaire -----------------------------------------------
def test_an_unknown_or_missing_column_stops_cleaning_naming_file_and_column(tmp_path):
    path = write_survey_sample(Paths.of(2025, "kysely", ROOT, raw=tmp_path), seed=7)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    sheet.cell(row=1, column=sheet.max_column + 1, value="Käytätkö hyte-kalenteria?")
    sheet.cell(row=2, column=sheet.max_column, value="Kyllä")
    workbook.save(path)
    export = questionnaire.survey_export(2025)
    with pytest.raises(ExportError) as error:
        clean.clean_export(path, export, 2025, clean.CleaningLog())
    message = str(error.value)
    assert f"{path}, rivi 1 (otsikkorivi): tuntematon sarake: 'Käytätkö hyte-kalenteria?'" in message
    assert f"löytyi {len(export.columns) + 1} saraketta, odotettiin {len(export.columns)}" in message

    kunta = [c for c in range(1, sheet.max_column + 1) if sheet.cell(row=1, column=c).value.startswith("Kunta")][0]
    sheet.delete_cols(kunta)
    sheet.delete_cols(sheet.max_column)  # the unknown column again
    workbook.save(path)
    with pytest.raises(ExportError, match=rf"{re.escape(str(path))}, rivi 1 \(otsikkorivi\): sarake puuttuu: "
                                          r"'Kunta, jonka alueella pääasiassa työskentelen'"):
        clean.clean_export(path, export, 2025, clean.CleaningLog())


# -- (c) a questionnaire that changes ----------------------------------------------------------------
def changed_questionnaire() -> dict:
    """The bundled questionnaire, with one question new in 2025, one asked until 2024 and one
    left out of the 2025 survey only."""
    catalogue = catalog.load(questionnaire.PACKAGE, "kysely")
    by_key = {q["key"]: q for q in catalogue["kysymykset"]}
    by_key["toimintamalli"]["asti"] = 2024
    by_key["kunta"]["ei_kysytty"] = [2025]
    catalogue["kysymykset"].insert(list(by_key).index("syyt") + 1, NEW_QUESTION)
    return catalogue


@pytest.fixture(scope="module")
def changed_year(tmp_path_factory):
    """A 2025 survey under a project questionnaire (kysely.yml in the project folder) that adds
    and drops questions: generated, then cleaned and built by papermill and nbconvert."""
    root = project(tmp_path_factory.mktemp("project"))
    (root / "kysely.yml").write_text(yaml.safe_dump(changed_questionnaire(), allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HYTE_NB_ROOT", str(root))  # this process and the notebooks' kernels read the project
        folder = Paths.of(2025, "kysely", root)
        export = questionnaire.survey_export(2025)
        write_survey_sample(folder, seed=11)
        pages = pipeline.build_report(declared.load(root)["kysely"], folder)
    return folder, export, {p.stem: text_of(p) for p in pages}


def test_the_project_questionnaire_replaces_the_bundled_one(changed_year, monkeypatch):
    folder, export, _ = changed_year
    headers = [c.raw for c in export.columns]
    assert NEW_QUESTION["teksti"] in headers
    assert not any(h.startswith(("Kunta", "Yhteinen hyte-ohjauksen toimintamalli")) for h in headers)
    monkeypatch.setenv("HYTE_NB_ROOT", str(folder.root))
    assert questionnaire.source() == str(folder.root / "kysely.yml")
    assert [q["key"] for q in questionnaire.not_asked(2025)] == ["kunta"]
    changed_2024 = questionnaire.survey_export(2024).columns
    monkeypatch.delenv("HYTE_NB_ROOT")
    assert questionnaire.source() == "hyte_nb/kysely/metadata/kysely.yml"  # the repository has no kysely.yml
    assert questionnaire.survey_export(2024).columns == changed_2024  # 2024 kept its questionnaire


def test_the_changed_year_is_cleaned_and_its_figures_computed(changed_year):
    folder, _, _ = changed_year
    figures = figures_table.read(folder.processed)
    answers = pd.read_parquet(folder.processed / "kysely_2025.parquet")
    assert figures.loc["ky_vastaajat", "arvo"] == len(answers)
    shares = figures.loc[["ky_eta_usein", "ky_eta_joskus", "ky_eta_ei"], "arvo"]
    assert shares.sum() == pytest.approx(100) and (figures.loc["ky_eta_usein", "n"] == answers["etaohjaus"].notna().sum())
    assert not figures.index.str.startswith(("ky_kunta", "ky_malli")).any() and "ky_kunnat" not in figures.index
    assert "kunta" not in answers and not answers.columns.str.startswith("toimintamalli").any()
    assert "toimintamalli__toimintamalli_voisi_hyodyttaa_omaa_tyotani" in pd.read_parquet(
        folder.processed / "kysely_2024.parquet")  # the comparison year kept its questionnaire


def test_the_pages_note_the_questions_not_asked_and_show_the_new_one(changed_year):
    _, _, pages = changed_year
    assert sorted(pages) == ["10_puhdistus", "11_toteutus", "12_hyte_ohjaus", "13_toimintamalli", "14_huomioita",
                             "15_vertailu", "16_vastausosuus", "17_alueet", "kysely_liitteet", "kysely_tiivistelma"]
    # the new question's shares with their intervals: in the appendix, with no notebook edit
    assert "Hyte-ohjaus etäyhteydellä" in pages["kysely_liitteet"]
    assert "ei ole kirjoitettu" in pages["kysely_tiivistelma"]  # no texts in this project: the summary says so
    respondents = pages["11_toteutus"]
    assert re.search(r"Kunta, jonka alueella pääasiassa työskentelen ¶? " + NOT_ASKED, respondents)
    assert "kunnan alueelta" not in respondents
    model = pages["13_toimintamalli"]
    assert re.search(r"Yhteisen hyte-ohjauksen toimintamallin tarve ¶? .*?" + NOT_ASKED, model)
    assert "näkee, että hyte-ohjauksen toimintamalli" not in model
    guidance = pages["12_hyte_ohjaus"]
    assert "Muut kysymykset" in guidance and "Hyte-ohjaus etäyhteydellä" in guidance
    comparison = pages["15_vertailu"]
    assert "Vertailu: 2024 → 2025" in comparison
    # a question asked in one year only is not compared: the page says which year did not ask it
    assert re.search(r"Vain toisena vuonna kysytyt ¶? Näitä kysymyksiä ei voi verrata", comparison)
    assert ("Kysymys 2024 2025 Kunta, jonka alueella pääasiassa työskentelen kysytty "
            "ei kysytty 2025 Hyte-ohjaus etäyhteydellä ei kysytty 2024 kysytty Yhteisen hyte-ohjauksen "
            "toimintamallin tarve kysytty ei kysytty 2025") in comparison
    assert comparison.count("Hyte-ohjaus etäyhteydellä") == 1 and comparison.count("toimintamallin tarve") == 1
    assert "Vastausten jakauma" in comparison and "havainnollistavia" not in comparison
    assert "Hyte-ohjaus etäyhteydellä" in pages["16_vastausosuus"]  # weighted beside unweighted, with no notebook edit
    assert all("Traceback" not in text and "KeyError" not in text for text in pages.values())
