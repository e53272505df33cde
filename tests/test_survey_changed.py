"""A questionnaire that changed in all four ways between 2024 and 2025 (README: "Kysely muuttui"):
a new question, a dropped one, a renamed option (single choice and checkbox) and an added
checkbox option. Undeclared, the cleaning stops naming the file, the header or value, the
nearest known question and the command; declared in kysely.yml only, the cleaning and the
comparison page (papermill, nbconvert) show it: "ei kysytty", "ei vaihtoehtona", never 0 %.

The 2025 export is the bundled 2024 export edited with openpyxl, so every expected share is
counted from the two files here."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import datetime

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from conftest import ROOT, page_text
from hyte_nb.__main__ import main
from hyte_nb.core import catalog, fmt
from hyte_nb.core.paths import Paths
from hyte_nb.core.read import ExportError
from hyte_nb.core.clean import CleaningLog
from hyte_nb.kysely import questionnaire, report, sections
from hyte_nb.pipeline import declared, pipeline

NEW = "Ohjaatko asiakkaita hyte-toimintaan myös etäyhteydellä?"
DROPPED = "Tunnen työskentelyalueeltani löytyvää hyte-toimintaa yleisesti ottaen"
USEFUL = "Miten hyödyllisenä pidät hyte-toimintaan ohjaamista asiakas-/potilastyössäsi?"
OLD_LABEL, NEW_LABEL = "Melko hyödyttömänä", "Vähän hyödyllisenä"
SOURCES = "Mistä saat tietoa alueen hyte-toiminnasta?"
OLD_INTRANET, NEW_INTRANET = "Hyvinvointialueen intranet", "Hyvinvointialueen intranet (Aino)"
ACTIVITY, ADDED = "Millaiseen hyte-toimintaan ohjaat useimmiten?", "Digitaalinen toiminta"
FILE_2025 = "hyte_ohjaus_kysely_2025.xlsx"


def edit_2025(source, target) -> None:
    """The 2024 export as 2025's: a year later, with the four changes."""
    book = load_workbook(source)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    for row in range(2, sheet.max_row + 1):
        for name in ("Aloitusaika", "Lähetysaika"):
            cell = sheet.cell(row=row, column=col[name])
            if isinstance(cell.value, datetime):
                cell.value = cell.value.replace(year=2025)
        if sheet.cell(row=row, column=col[USEFUL]).value == OLD_LABEL:
            sheet.cell(row=row, column=col[USEFUL], value=NEW_LABEL)
    sheet.cell(row=1, column=col[f"{SOURCES} - {OLD_INTRANET}"], value=f"{SOURCES} - {NEW_INTRANET}")
    last_activity = col[f"{ACTIVITY} - Muu"]
    sheet.insert_cols(last_activity)  # the added option, before "Muu"
    sheet.cell(row=1, column=last_activity, value=f"{ACTIVITY} - {ADDED}")
    for row in range(2, sheet.max_row + 1, 3):
        sheet.cell(row=row, column=last_activity, value=1)
    sheet.delete_cols([c.value for c in sheet[1]].index(DROPPED) + 1)
    new = sheet.max_column + 1
    sheet.cell(row=1, column=new, value=NEW)
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row=row, column=new, value=["Usein", "Joskus", "En koskaan"][row % 3])
    book.save(target)


def declared_catalogue() -> dict:
    """The bundled questionnaire with the four changes declared, as an analyst writes them."""
    catalogue = catalog.load(questionnaire.PACKAGE, "kysely")
    by_key = {q["key"]: q for q in catalogue["kysymykset"]}
    by_key["tunteminen"]["asti"] = 2024
    by_key["hyodyllisyys"]["vaihtoehdot"][2] = {"teksti": NEW_LABEL, "aiemmin": [OLD_LABEL]}
    intranet = next(o for o in by_key["tietolahteet"]["vaihtoehdot"] if o["teksti"] == OLD_INTRANET)
    intranet.update(teksti=NEW_INTRANET, aiemmin=[OLD_INTRANET])
    by_key["toiminta"]["vaihtoehdot"].insert(-1, {"teksti": ADDED, "alkaen": 2025})
    catalogue["kysymykset"].insert(list(by_key).index("syyt") + 1, {
        "key": "etaohjaus", "teksti": NEW, "lyhyesti": "Hyte-ohjaus etäyhteydellä", "tyyppi": "valinta",
        "osio": "hyte_ohjaus", "alkaen": 2025,
        "vaihtoehdot": [{"teksti": "Usein"}, {"teksti": "Joskus"}, {"teksti": "En koskaan"}]})
    return catalogue


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    root = tmp_path_factory.mktemp("kysely_muuttui")
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    raw_2024, raw_2025 = Paths.of(2024, "kysely", root).raw, Paths.of(2025, "kysely", root).raw
    raw_2024.mkdir(parents=True)
    raw_2025.mkdir(parents=True)
    source = Paths.of(2024, "kysely", ROOT).raw / "hyte_ohjaus_kysely_2024.xlsx"
    shutil.copy(source, raw_2024 / source.name)
    edit_2025(source, raw_2025 / FILE_2025)
    return root


def test_an_undeclared_change_stops_the_cleaning_naming_the_nearest_question_and_the_fix(changed, monkeypatch):
    monkeypatch.setenv("HYTE_NB_ROOT", str(changed))  # no kysely.yml yet: the bundled questionnaire
    path = Paths.of(2025, "kysely", changed).raw / FILE_2025
    with pytest.raises(ExportError) as error:
        report.clean(Paths.of(2025, "kysely", changed))
    message = str(error.value)
    fix = f"luonnos muutoksesta: python -m hyte_nb kysely luonnos {path}"
    assert (f"{path}, rivi 1 (otsikkorivi), sarake '{SOURCES} - {NEW_INTRANET}': kysymystä ei ole vuoden 2025 "
            f"kyselylomakkeessa (hyte_nb/kysely/metadata/kysely.yml); lähin tunnettu: '{SOURCES} - {OLD_INTRANET}' "
            f"(kysymys tietolahteet, vaihtoehto '{OLD_INTRANET}' (2023–))") in message
    assert f"sarake '{NEW}': kysymystä ei ole vuoden 2025" in message
    assert f"sarake '{ACTIVITY} - {ADDED}': kysymystä ei ole" in message
    assert (f"{path}, rivi 1 (otsikkorivi): sarake puuttuu: '{DROPPED}'. Jos kysymys jäi pois vuoden 2025 "
            f"lomakkeesta, kirjaa se luetteloon (hyte_nb/kysely/metadata/kysely.yml: asti: 2024 tai "
            f"ei_kysytty: [2025]); {fix}") in message
    assert message.count(fix) == 5  # three unknown headers, two missing

    # every header declared but the renamed single-choice answer: the value is named
    catalogue = declared_catalogue()
    next(q for q in catalogue["kysymykset"] if q["key"] == "hyodyllisyys")["vaihtoehdot"][2] = {"teksti": OLD_LABEL}
    (changed / "kysely.yml").write_text(yaml.safe_dump(catalogue, allow_unicode=True), encoding="utf-8")
    try:
        with pytest.raises(ExportError) as error:
            report.clean(Paths.of(2025, "kysely", changed))
    finally:
        (changed / "kysely.yml").unlink()
    rows = pd.read_excel(path)
    first = rows.index[rows[USEFUL] == NEW_LABEL][0] + 2
    assert (f"{path}, rivi {first}, " in str(error.value)
            and f"sarake '{USEFUL}': arvo '{NEW_LABEL}' ei ole vuoden 2025 lomakkeen vaihtoehto "
                f"(Hyödyllisenä, Melko hyödyllisenä, {OLD_LABEL}, Hyödyttömänä)" in str(error.value))
    assert fix in str(error.value)


@pytest.fixture(scope="module")
def comparison_page(changed):
    """Declared in kysely.yml: the cleaning notebook and the comparison page built."""
    (changed / "kysely.yml").write_text(yaml.safe_dump(declared_catalogue(), allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HYTE_NB_ROOT", str(changed))
        kysely = declared.load(changed)["kysely"]
        kysely = dataclasses.replace(kysely, pages=tuple(p for p in kysely.pages if p.page == "15_vertailu"))
        folder = Paths.of(2025, "kysely", changed)
        pages = pipeline.build_report(kysely, folder)
    html = {p.stem: p.read_text(encoding="utf-8") for p in pages}
    return folder, BeautifulSoup(html["15_vertailu"], "html.parser")


def table_after(soup, heading: str) -> list[list[str]]:
    """The cells of the first table after the heading (h2 or h3) that reads `heading`."""
    found = next(h for h in soup.find_all(["h2", "h3"]) if page_text(h).strip() == heading)
    return [[page_text(cell).strip() for cell in row.find_all(["th", "td"])]
            for row in found.find_next("table").find_all("tr")]


def answers_of(path) -> pd.DataFrame:
    """The export's rows but its test response (cleaning removes it)."""
    rows = pd.read_excel(path)
    return rows[~rows.eq("testivastaus").any(axis=1)]


def shares(year_file, column: str, label: str) -> str:
    answers = answers_of(year_file)[column].dropna()
    return fmt.number(float((answers == label).sum() / len(answers) * 100))


def test_the_comparison_ties_the_renamed_option_and_says_so(comparison_page):
    folder, soup = comparison_page
    file_2024 = folder.of_year(2024).raw / "hyte_ohjaus_kysely_2024.xlsx"
    rows = table_after(soup, "Hyte-ohjaamisen hyödyllisyys")
    assert rows[0] == ["Vastaus", "2024, %", "2025, %", "Muutos, prosenttiyksikköä", "Muutos lomakkeella"]
    renamed = next(r for r in rows if r[0] == NEW_LABEL)
    before, now = shares(file_2024, USEFUL, OLD_LABEL), shares(folder.raw / FILE_2025, USEFUL, NEW_LABEL)
    assert renamed == [NEW_LABEL, before, now, "0", f"nimetty uudelleen (aiemmin: {OLD_LABEL})"]
    assert before == "7" and OLD_LABEL not in [r[0] for r in rows]  # 9 of 122 answered, under its new name
    log = pd.read_csv(folder.processed / "puhdistusloki.csv")
    renames = log[log["syy"] == "vaihtoehdon aiempi nimi (kysely.yml: aiemmin)"]
    assert set(renames["ennen"]) == {OLD_LABEL} and set(renames["jälkeen"]) == {NEW_LABEL}
    assert set(renames["tiedosto"]) == {"hyte_ohjaus_kysely_2024.xlsx"} and len(renames) == 9


def test_the_added_and_the_renamed_checkbox_options(comparison_page):
    folder, soup = comparison_page
    rows = {r[0]: r for r in table_after(soup, "Hyte-toiminta, johon ohjataan useimmiten")[1:]}
    answers = answers_of(folder.raw / FILE_2025)
    options = [c for c in answers if c.startswith(f"{ACTIVITY} - ")]
    answered = answers[options].notna().any(axis=1)
    share = fmt.number(float(answers.loc[answered, f"{ACTIVITY} - {ADDED}"].notna().sum() / answered.sum() * 100))
    assert rows[ADDED][1:] == ["ei vaihtoehtona 2024", share, "–", "uusi 2025"]
    assert rows["Liikunta"][4] == "" and OLD_INTRANET not in rows
    sources = {r[0]: r for r in table_after(soup, "Alueen hyte-toiminnan tiedonlähteet")[1:]}
    assert sources[NEW_INTRANET][3:] == ["0", f"nimetty uudelleen (aiemmin: {OLD_INTRANET})"]  # the same column
    assert OLD_INTRANET not in sources and sources[NEW_INTRANET][1] == sources[NEW_INTRANET][2] != "0"


def test_a_question_asked_in_one_year_only_says_so_never_zero(comparison_page):
    _, soup = comparison_page
    text = page_text(soup)
    assert "Vain toisena vuonna kysytyt" in text
    assert table_after(soup, "Vain toisena vuonna kysytyt") == [["Kysymys", "2024", "2025"], ["Hyte-toiminnan tunteminen", "kysytty", "ei kysytty 2025"],
                     ["Hyte-ohjaus etäyhteydellä", "ei kysytty 2024", "kysytty"]]
    headings = [page_text(h).strip() for h in soup.find_all("h3")]
    assert "Hyte-ohjaamisen hyödyllisyys" in headings
    assert "Hyte-toiminnan tunteminen" not in headings and "Hyte-ohjaus etäyhteydellä" not in headings
    assert "Traceback" not in text


def test_the_command_drafts_the_fix_from_the_catalogue_in_use(changed, tmp_path, capsys, monkeypatch):
    """`kysely luonnos <2025 export>` in a project whose catalogue describes the survey: the
    catalogue with the 2025 changes proposed; once the new question's section is chosen (the one
    thing an export cannot tell), the 2025 export cleans."""
    root = tmp_path
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(changed / name, root / name)
    shutil.copytree(changed / "data" / "raw", root / "data" / "raw")
    path = Paths.of(2025, "kysely", root).raw / FILE_2025
    assert main(["--root", str(root), "kysely", "luonnos", str(path)]) == 0
    out = capsys.readouterr().out
    assert (f"Kirjoitettu {root / 'kysely.yml'}: hyte_nb/kysely/metadata/kysely.yml ja vuoden 2025 viennin "
            f"muutokset, 18 kysymystä.") in out
    assert f"- tunteminen: puuttuu vuoden 2025 viennistä: ehdotettu asti: 2024" in out
    drafted = yaml.safe_load((root / "kysely.yml").read_text(encoding="utf-8"))
    by_key = {q["key"]: q for q in drafted["kysymykset"]}
    assert by_key["tunteminen"]["asti"] == 2024
    assert {"teksti": NEW_INTRANET, "aiemmin": [OLD_INTRANET]} in by_key["tietolahteet"]["vaihtoehdot"]
    assert by_key["toiminta"]["vaihtoehdot"][-2:] == [{"teksti": ADDED, "alkaen": 2025}, {"teksti": "Muu"}]
    assert {"teksti": NEW_LABEL, "alkaen": 2025} in by_key["hyodyllisyys"]["vaihtoehdot"]  # new or renamed: listed
    new = drafted["kysymykset"][-1]
    assert (new["teksti"], new["alkaen"], "osio" in new) == (NEW, 2025, False)
    assert by_key["ammattiryhma"] == next(q for q in catalog.load(questionnaire.PACKAGE, "kysely")["kysymykset"]
                                          if q["key"] == "ammattiryhma")  # what the analyst decided stays

    monkeypatch.setenv("HYTE_NB_ROOT", str(root))
    folder = Paths.of(2025, "kysely", root)
    with pytest.raises(ValueError, match="kysymykseltä puuttuu osio: ohjaatko_asiakkaita_hyte"):
        report.clean(folder)
    new["osio"] = "hyte_ohjaus"
    (root / "kysely.yml").write_text(yaml.safe_dump(drafted, allow_unicode=True, sort_keys=False), encoding="utf-8")
    tables = sections.survey_tables(folder, 2024, CleaningLog())  # the cleaning's survey part, nothing written
    assert len(tables[2025]) == len(answers_of(path)) and len(tables[2024]) == 123
    assert tables[2025]["ohjaatko_asiakkaita_hyte"].value_counts().to_dict() == (
        answers_of(path)[NEW].value_counts().to_dict())
    intranet = "tietolahteet__hyvinvointialueen_intranet_aino"  # the renamed option's column, both years
    assert tables[2024][intranet].sum() == answers_of(folder.of_year(2024).raw / "hyte_ohjaus_kysely_2024.xlsx")[
        f"{SOURCES} - {OLD_INTRANET}"].sum()
