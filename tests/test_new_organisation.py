"""A third organisation, in neither seed, onboarded only through the commands and YAML edits
(README: "Uusi organisaatio"): `uusi` makes its project folder, a generated HYTE export with its
own two service areas and five services and a generated survey with its own questions (single
choice, checkbox, a Likert matrix, an open question, a number) go where the contract says, `hyte luonnos`
and `kysely luonnos` draft its catalogues, the analyst edits YAML only, and `build` makes both
reports. Built once (one year, both reports); the pages are checked against what the generated
exports hold."""

from __future__ import annotations

import contextlib
import io
from datetime import datetime, timedelta

import numpy as np
import pytest
import yaml
from bs4 import BeautifulSoup
from openpyxl import Workbook

from conftest import page_text
from hyte_nb.__main__ import main as cli
from hyte_nb.core import fmt
from hyte_nb.hyte import sample_org

YEAR = 2025
NAME = "Kaupunkiyhdistys Kaari"
ORG = sample_org.Organisation(
    areas={"Lapsiperheet": (sample_org.Service("Perhekahvila", events=60), sample_org.Service("Kotikäynnit", clients=40)),
           "Kaupunkityö": (sample_org.Service("Kävelyryhmä", events=45), sample_org.Service("Kriisiapu", clients=35),
                           sample_org.Service("Ruoka-apu", clients=25, events=20))},
    items={"hyvinvointi": (0, 10), "arjen_sujuvuus": (1, 5)},
    tasks=("kävelyohjaus", "perhekaveri", "ruoka-avun jakelu"), materials=("Arjen opas",))

# The survey: its own questions, one of each kind the catalogue knows (numeric too).
GROUP = ("Toimin yhdistyksessä", ["Työntekijänä", "Vapaaehtoisena", "Jäsenenä"])
CHECKBOX = ("Mihin toimintaan osallistuit?", ["Perhekahvila", "Kävelyryhmä", "Ruoka-apu"])
MATRIX = ("Arvioi yhdistyksen toimintaa", ["Toiminta on helposti saatavilla", "Sain tarvitsemaani tukea"])
SCALE = ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Jokseenkin samaa mieltä", "Täysin samaa mieltä"]
OPEN = "Mitä muuta haluat sanoa yhdistykselle?"
NUMBER = "Kuinka monta kertaa osallistuit toimintaan vuoden aikana?"
RESPONDENTS = 48


def write_survey(path, year: int, n: int, seed: int = 3) -> list[list]:
    """A Webropol export of the organisation's own questionnaire; returns its rows."""
    rng = np.random.default_rng(seed)
    headers = ["Vastaajan numero", "Aloitusaika", "Lähetysaika", GROUP[0],
               *(f"{CHECKBOX[0]} - {o}" for o in CHECKBOX[1]), *(f"{MATRIX[0]} - {r}" for r in MATRIX[1]), OPEN, NUMBER]
    rows = []
    for i in range(1, n + 1):
        start = datetime(year, 5, 4, 9) + timedelta(hours=int(rng.integers(0, 300)))
        rows.append([i, start, start + timedelta(minutes=7), GROUP[1][i % 3],
                     *(1 if rng.random() < 0.5 else None for _ in CHECKBOX[1]),
                     *(SCALE[int(rng.integers(0, 4))] for _ in MATRIX[1]),
                     "Hyvää työtä, kiitos." if i % 4 == 0 else None, int(rng.integers(0, 30))])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return rows


def _cli(*args) -> tuple[int, str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli([str(a) for a in args])
    return code, printed.getvalue()


@pytest.fixture(scope="module")
def third(tmp_path_factory):
    root = tmp_path_factory.mktemp("kolmas") / "kaari"
    code, printed = _cli("uusi", root, "--nimi", NAME, "--vuosi", YEAR)
    assert code == 0, printed
    hyte_raw = root / "data" / "raw" / str(YEAR) / "hyte"
    tables = sample_org.write(hyte_raw, ORG, YEAR)
    survey_rows = write_survey(root / "data" / "raw" / str(YEAR) / "kysely" / f"hyte_ohjaus_kysely_{YEAR}.xlsx",
                               YEAR, RESPONDENTS)
    code, drafted = _cli("--root", root, "hyte", "luonnos", hyte_raw)
    assert code == 0, drafted
    code, survey_draft = _cli("--root", root, "kysely", "luonnos",
                              root / "data" / "raw" / str(YEAR) / "kysely" / f"hyte_ohjaus_kysely_{YEAR}.xlsx")
    assert code == 0, survey_draft
    # The analyst's YAML edits: a name for a measurement item, the survey's sections and grouping.
    items = yaml.safe_load((root / "mittarit.yml").read_text(encoding="utf-8"))
    items["arjen_sujuvuus"]["nimi"] = "Arki sujuu"
    (root / "mittarit.yml").write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    survey = yaml.safe_load((root / "kysely.yml").read_text(encoding="utf-8"))
    for question in survey["kysymykset"]:
        question["osio"] = "vastaajat" if question["teksti"] == GROUP[0] else "toiminta"
        if question["teksti"] == GROUP[0]:
            survey["ryhmittely"] = question["key"]
    survey["osiot"] = {"toiminta": "Yhdistyksen toiminta"}
    (root / "kysely.yml").write_text(yaml.safe_dump(survey, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, built = _cli("--root", root, "build", "--year", YEAR)
    assert code == 0, built
    return root, tables, survey_rows, drafted


def _page(root, report, page):
    path = root / "reports" / str(YEAR) / report / f"{page}.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_the_third_organisation_has_a_page_per_area_of_its_own_catalogue(third):
    root, tables, _, drafted = third
    catalogue = yaml.safe_load((root / "palvelut.yml").read_text(encoding="utf-8"))
    assert {a["nimi"] for a in catalogue["alueet"].values()} == set(ORG.areas)
    assert len(catalogue["palvelut"]) == 5
    meetings, events = tables["asiakastapaamiset"], tables["tapahtumat"]
    for key, area in catalogue["alueet"].items():
        soup = _page(root, "hyte", f"03_{key}")
        assert page_text(soup.find("h1")).strip() == area["nimi"]
        encounters = (meetings.loc[meetings["alue"] == area["nimi"], "henkilot"].sum()
                      + events.loc[events["alue"] == area["nimi"], "osallistujat"].sum())
        assert f"{fmt.number(encounters)} kohtaamista yhteensä".replace("\u00a0", " ") in page_text(soup)
        for service in ORG.areas[area["nimi"]]:
            assert service.name in page_text(soup.find("table"))
    assert "Ratkaistavaa" in drafted


def test_the_overview_names_the_organisation_and_counts_its_areas(third):
    root, tables, _, _ = third
    soup = _page(root, "hyte", "01_yleiskatsaus")
    assert page_text(soup.find("h1")).strip() == f"{NAME}: HYTE-raportti {YEAR}"
    text = page_text(soup)
    total = tables["asiakastapaamiset"]["henkilot"].sum() + tables["tapahtumat"]["osallistujat"].sum()
    assert f"{fmt.number(total)} kohtaamista".replace("\u00a0", " ") in text
    assert f"{fmt.number(tables['asiakastapaamiset']['asiakas'].nunique())} asiakasta" in text
    assert "alueella Lapsiperheet" in text and "alueella Kaupunkityö" in text
    assert "Senioripalvelut" not in text and "HelsinkiMissio" not in text


def test_the_third_organisations_survey_shows_every_question_of_its_own(third):
    root, _, rows, _ = third
    text = page_text(_page(root, "kysely", "18_tulokset"))
    assert f"Kyselyyn saatiin {RESPONDENTS} vastausta" in text
    for heading in ("Yhdistyksen toiminta", GROUP[0], CHECKBOX[0], MATRIX[0], OPEN, NUMBER):
        assert heading in text
    chosen = sum(1 for row in rows if row[4] == 1)  # the first checkbox option, among those who chose any
    answered = sum(1 for row in rows if any(row[4:4 + len(CHECKBOX[1])]))
    assert f"{CHECKBOX[1][0]} {round(100 * chosen / answered)} " in text
    assert f"Vastaajia {answered}, valittuja vastauksia" in text
    agree = sum(1 for row in rows if row[7] == SCALE[-1])  # the matrix's first row: fully agree
    assert f"{MATRIX[1][0]} {round(100 * agree / RESPONDENTS)} " in text
    assert f"Avoimia vastauksia oli {sum(1 for row in rows if row[-2])}." in text
    numbers = np.array([row[-1] for row in rows])
    assert f"Vastaajia {RESPONDENTS}; keskiarvo {fmt.number(numbers.mean(), 1)}, mediaani" in text
    index = page_text(BeautifulSoup((root / "reports" / str(YEAR) / "index.html").read_text(encoding="utf-8"),
                                    "html.parser"))
    assert NAME in index and "Keski-Suomi" not in index


def test_a_new_folder_declares_a_page_per_area_of_the_catalogue_in_use(tmp_path):
    """Before its own catalogue, a new folder uses the bundled one: its area pages and their
    text files are there, so `sample` + `build` make the sample's reports at once."""
    from hyte_nb.hyte import catalog
    from hyte_nb.pipeline import declared

    code, printed = _cli("uusi", tmp_path / "uusi", "--nimi", "Testiyhdistys")
    assert code == 0, printed
    pages = declared.load(tmp_path / "uusi")["hyte"].pages
    areas = catalog.areas(tmp_path / "uusi")
    assert [(p.page, p.title, p.parameters) for p in pages if p.notebook == "03_palvelualue.ipynb"] == [
        (f"03_{key}", area["nimi"], {"alue": key}) for key, area in areas.items()]
    assert all((tmp_path / "uusi" / "tekstit" / "2024" / "hyte" / f"{key}.md").exists() for key in areas)
    assert _cli("uusi", tmp_path / "uusi")[0] == 1  # never over an existing folder
