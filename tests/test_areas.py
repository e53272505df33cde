"""Several welfare areas side by side: the test of difference on small tables with known answers,
the own area's position, the questions that differ, and reading the other areas' exports."""

import math
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import ROOT
from hyte_nb.core import clean
from hyte_nb.core.paths import Paths
from hyte_nb.core.read import ExportError
from hyte_nb.kysely import areas, questionnaire
from hyte_nb.kysely.sample import OTHER_AREAS, write_areas_sample
from test_population import M, S, T, wilson_by_hand


def answers(column: str, counts: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.array([label for label, n in counts.items() for _ in range(n)], dtype="string")})


def test_two_areas_two_answers_fishers_exact_test_by_hand():
    tables = {"A": answers("hyodyllisyys", {"Hyödyllisenä": 8, "Melko hyödyllisenä": 2}),
              "B": answers("hyodyllisyys", {"Hyödyllisenä": 2, "Melko hyödyllisenä": 8})}
    comparison = areas.compare("hyodyllisyys", tables)
    test = comparison.tests["Hyte-ohjaamisen hyödyllisyys"]
    # Margins 10/10 and 10/10: P(a) = C(10, a) C(10, 10 - a) / C(20, 10); as or less likely than a = 8:
    # a = 0, 1, 2, 8, 9, 10, so p = 2 (45² + 10² + 1) / C(20, 10) = 4 252 / 184 756.
    assert test.testi == "Fisherin tarkka testi"
    assert test.p == pytest.approx(2 * (45 ** 2 + 10 ** 2 + 1) / math.comb(20, 10), rel=1e-12)
    long = comparison.tables["Hyte-ohjaamisen hyödyllisyys"].set_index(["alue", "vaihtoehto"])
    assert long.loc[("A", "Hyödyllisenä"), "osuus"] == 80 and long.loc[("A", "Hyödyllisenä"), "n"] == 10
    low, high = wilson_by_hand(8, 10)
    assert long.loc[("A", "Hyödyllisenä"), "ci_ala"] == pytest.approx(low)
    assert long.loc[("A", "Hyödyllisenä"), "ci_yla"] == pytest.approx(high)
    assert comparison.differs()


def test_three_areas_chi_square_by_hand_and_the_own_areas_position():
    tables = {"Oma": answers("ammattiryhma", {T: 20, S: 10, M: 10}),
              "B": answers("ammattiryhma", {T: 10, S: 20, M: 10}),
              "C": answers("ammattiryhma", {T: 10, S: 10, M: 20})}
    comparison = areas.compare("ammattiryhma", tables)
    test = comparison.tests["Ammattiryhmäni"]
    # Every expected count 40 · 40 / 120 = 13.33: three cells (20 − 13.33)² / 13.33 = 3.33 and six
    # (10 − 13.33)² / 13.33 = 0.83 give 15; with 4 df P(X > x) = exp(−x/2)(1 + x/2).
    assert test.testi == "khiin neliö"
    assert test.statistic == pytest.approx(15.0)
    assert test.p == pytest.approx(math.exp(-7.5) * 8.5)
    assert test.cramers_v == pytest.approx(math.sqrt(15 / (120 * 2)))
    position = comparison.position()
    assert position.loc[T, "oma"] == 50 and position.loc[T, "sija"] == 1
    assert position.loc[T, "muut_pienin"] == 25 and position.loc[T, "ero_muihin"] == 25
    assert position.loc[S, "sija"] == 2  # a tie with C: both second
    wide = comparison.wide()
    assert list(wide.columns) == ["Oma", "B", "C"]
    assert wide.loc[T, "Oma"] == "50 (35–65)" and wide.loc["Vastaajia (n)", "B"] == "40"
    sentence = comparison.sentence().replace("\xa0", " ")
    assert sentence.startswith("Ammattiryhmäni: Alueiden vastaukset eroavat toisistaan (khiin neliö, p = 0,005; "
                               "Cramérin V 0,25, heikko).")
    assert "Oma: yleisin vastaus ”Terveydenhuollon ammattilainen” (50 %; muilla alueilla 25 %)." in sentence


def test_identical_areas_do_not_differ():
    counts = {"Hyvin": 5, "Melko hyvin": 15, "Melko huonosti": 15, "Huonosti": 5}
    comparison = areas.compare("tunteminen", {"A": answers("tunteminen", counts), "B": answers("tunteminen", counts)})
    test = comparison.tests["Hyte-toiminnan tunteminen"]
    assert test.statistic == pytest.approx(0) and test.p == pytest.approx(1)
    assert not comparison.differs()
    assert comparison.top_share().to_dict() == {"A": 50.0, "B": 50.0}  # Hyvin or Melko hyvin


def test_a_checkbox_option_is_compared_as_a_share_of_respondents():
    q = questionnaire.question("tietolahteet")
    columns = [questionnaire.option_column(q, o["teksti"]) for o in q["vaihtoehdot"]]

    def area(chosen_first: int, chosen_second_only: int) -> pd.DataFrame:
        table = pd.DataFrame({c: pd.array([pd.NA] * 20, dtype="boolean") for c in columns})
        table.iloc[:chosen_first, 0] = True
        table.iloc[chosen_first:chosen_first + chosen_second_only, 1] = True
        return table

    comparison = areas.compare(q, {"A": area(8, 2), "B": area(2, 8)})  # 10 respondents answered in each
    shares = comparison.tables[questionnaire.title(q)].set_index(["alue", "vaihtoehto"])["osuus"]
    assert shares[("A", "Työkaverit")] == 80 and shares[("B", "Työkaverit")] == 20
    test = comparison.tests[f"{questionnaire.title(q)}: Työkaverit"]
    assert test.p == pytest.approx(4252 / 184756, rel=1e-12)
    assert "Työkaverit (p = 0,023; A 80 %, muut 20 %)" in comparison.sentence().replace("\xa0", " ")


def areas_folder(tmp_path) -> Paths:
    folder = Paths.of(2024, "kysely", ROOT, raw=tmp_path / "raw", processed=tmp_path / "processed")
    shutil.copytree(Paths.of(2024, "kysely", ROOT).raw / areas.FOLDER, folder.raw / areas.FOLDER)
    return folder


def own_answers(year: int = 2024) -> pd.DataFrame:
    export = questionnaire.survey_export(year)
    return clean.clean_export(Paths.of(year, "kysely", ROOT).raw / export.filename, export, year, clean.CleaningLog())


@pytest.mark.parametrize("year", [2024, 2023])
def test_the_committed_area_exports_are_what_the_generator_writes(tmp_path, year):
    for path in write_areas_sample(Paths.of(year, "kysely", ROOT, raw=tmp_path)):
        committed = Paths.of(year, "kysely", ROOT).raw / areas.FOLDER / path.name
        assert path.read_bytes() == committed.read_bytes(), path.name


def test_the_sample_areas_compare_and_list_what_differs(tmp_path):
    folder = areas_folder(tmp_path)
    log = clean.CleaningLog()
    tables = areas.clean_areas(folder, log)
    assert list(tables) == ["alueet", "alue_esimerkkialue_a", "alue_esimerkkialue_b"]
    assert list(log.frame()["syy"]) == [clean.TEST_WORD] * 2  # one test response per export
    found = areas.load(folder, own_answers())
    assert list(found.tables) == ["Keski-Suomen hyvinvointialue", *(a.name for a in OTHER_AREAS)]
    assert all(100 <= len(t) <= 130 for t in found.tables.values())
    shared = found.shared()
    assert {"tunteminen", "hyodyllisyys", "toiminta", "sujuvuus"} <= set(shared)
    assert "syyt" not in shared and "toimintamalli" not in shared and "kunta" not in shared  # not asked in Esimerkkialue B
    differences = found.differences().set_index("Kysymys")["Miksi ei vertailla"]
    assert differences["Hyte-ohjauksen tekemättä jäämisen syyt"] == "ei kysytty alueilla: Esimerkkialue B"
    assert differences["Kunta, jonka alueella pääasiassa työskentelen"] == "vaihtoehdot ovat kunkin alueen omat"
    assert differences["Onko työyksikköösi nimetty hyte-yhdyshenkilö?"].startswith("alueen oma kysymys")
    assert differences["Hyte-ohjauksen sujuvuus eri toimijoiden piiriin: Keski-Suomen hyvinvointialue"] == \
        "ei kysytty alueilla: Esimerkkialue A, Esimerkkialue B"
    sujuvuus = found.compare("sujuvuus")
    assert list(sujuvuus.tables) == [f"Hyte-ohjauksen sujuvuus eri toimijoiden piiriin: {r}"
                                     for r in ("Seurakunnat", "Kunnat", "Järjestöt")]
    # The sample's areas differ in how well the professionals know the activities, not in how useful they find guidance.
    comparisons = {c.key: c for c in found.compare_all()}
    assert comparisons["tunteminen"].differs(adjusted=True)
    assert not comparisons["hyodyllisyys"].differs()


def test_an_answer_outside_the_questionnaire_names_file_row_column_and_value(tmp_path):
    folder = areas_folder(tmp_path)
    path = folder.raw / areas.FOLDER / "esimerkkialue_a.xlsx"
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index(questionnaire.question("tunteminen")["teksti"]) + 1
    sheet.cell(row=5, column=column, value="Erittäin hyvin")
    workbook.save(path)
    with pytest.raises(ExportError) as error:
        areas.clean_areas(folder, clean.CleaningLog())
    assert (f"{path}, rivi 5, sarake 'Tunnen työskentelyalueeltani löytyvää hyte-toimintaa yleisesti ottaen': "
            f"arvo 'Erittäin hyvin' – odotettiin: yksi vaihtoehdoista: Hyvin, Melko hyvin, Melko huonosti, "
            f"Huonosti") in str(error.value)


def test_the_areas_list_and_the_files_must_agree(tmp_path):
    folder = areas_folder(tmp_path)
    listing = folder.raw / areas.FOLDER / areas.LIST_FILE
    shutil.copy(folder.raw / areas.FOLDER / "esimerkkialue_a.xlsx", folder.raw / areas.FOLDER / "kainuu.xlsx")
    with pytest.raises(ExportError, match=r"kainuu.xlsx: vienti puuttuu luettelosta .*alueet.csv \(lisää sille rivi: "
                                          r"Tunnus 'kainuu'\)"):
        areas.clean_areas(folder, clean.CleaningLog())
    (folder.raw / areas.FOLDER / "kainuu.xlsx").unlink()
    listing.write_bytes(listing.read_bytes() + "lappi;Lapin hyvinvointialue\r\n".encode("utf-8"))
    with pytest.raises(ExportError, match=r"rivi 4, sarake 'Tunnus': arvo 'lappi' – odotettiin: tiedosto .*lappi.xlsx"):
        areas.clean_areas(folder, clean.CleaningLog())


def test_without_other_areas_the_page_is_told_what_would_enable_it(tmp_path):
    folder = Paths.of(2031, "kysely", ROOT, raw=tmp_path / "raw", processed=tmp_path / "processed")
    with pytest.raises(areas.AreasMissing) as error:
        areas.load(folder, own_answers())
    assert str(error.value).startswith(f"Tämän sivun tekeminen vaatii muiden hyvinvointialueiden kyselyviennit "
                                       f"kansiossa {tmp_path / 'raw' / 'alueet'}/")
    assert areas.missing_message(Paths.of(2031, "kysely", ROOT)).startswith(
        "Tämän sivun tekeminen vaatii muiden hyvinvointialueiden kyselyviennit kansiossa data/raw/2031/kysely/alueet/")
    assert areas.clean_areas(folder, clean.CleaningLog()) == {}
