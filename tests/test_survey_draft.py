"""`python -m hyte_nb kysely luonnos`: the questionnaire catalogue drafted from Webropol exports
alone gives back the shipped catalogue's structure; what an export cannot tell is listed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import yaml

from hyte_nb.__main__ import main
from hyte_nb.core import catalog
from hyte_nb.kysely import draft, questionnaire

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = {year: ROOT / "data" / "raw" / str(year) / "kysely" / f"hyte_ohjaus_kysely_{year}.xlsx"
           for year in (2023, 2024)}
SHIPPED = catalog._parsed_bundled("hyte_nb.kysely", "kysely")["kysymykset"]
UNORDERABLE = {"kunta"}  # a long nominal list: the form's order (Jyväskylä first) is not in the export


def structure(q: dict) -> dict:
    """What an export can tell about a question: text, kind, scale or not, options in order."""
    return {"teksti": q["teksti"], "tyyppi": q["tyyppi"], "jarjestetty": bool(q.get("jarjestetty")),
            "vaihtoehdot": [o["teksti"] for o in q.get("vaihtoehdot", [])], "asteikko": q.get("asteikko", []),
            "rivit": [r["teksti"] for r in q.get("rivit", [])]}


@pytest.fixture(scope="module")
def drafts():
    return {year: draft.draft([path]) for year, path in EXPORTS.items()} | {
        "both": draft.draft(list(EXPORTS.values()))}


@pytest.mark.parametrize("year", [2023, 2024])
def test_each_year_gives_back_the_shipped_questions(drafts, year):
    got = drafts[year]
    shipped = [q for q in SHIPPED if catalog.asked(q, year)]
    assert [q["teksti"] for q in got.catalogue["kysymykset"]] == [q["teksti"] for q in shipped]
    for ours, theirs in zip(got.catalogue["kysymykset"], shipped):
        mine, want = structure(ours), structure(theirs)
        if theirs["key"] in UNORDERABLE:  # same options; their order is listed as undecided
            assert Counter(mine.pop("vaihtoehdot")) == Counter(want.pop("vaihtoehdot"))
            assert any("järjestys" in n for n in got.undecided[ours["key"]])
        assert mine == want, theirs["key"]
    assert len(shipped) == (15 if year == 2023 else 17)


def test_both_years_give_each_question_its_years(drafts):
    got = drafts["both"].catalogue["kysymykset"]
    assert [(q["teksti"], q["alkaen"]) for q in got] == [(q["teksti"], q["alkaen"]) for q in SHIPPED]
    assert {q["teksti"] for q in got if q["alkaen"] == 2024} == {
        "Miksi hyte-ohjaus jää joskus tekemättä asiakasohjaustilanteissa?", "Yhteinen hyte-ohjauksen toimintamalli"}
    assert not any("asti" in q or "ei_kysytty" in q for q in got)


def test_what_an_export_cannot_tell_is_listed_not_made_up(drafts):
    result = drafts["both"]
    for q in result.catalogue["kysymykset"]:
        assert "osio" not in q and "lyhyesti" not in q and "n_id" not in q
        assert not any("id" in o for o in q.get("vaihtoehdot", []) + q.get("rivit", []))
        assert any(n.startswith("osio") for n in result.undecided[q["key"]])
    assert "ryhmittely" not in result.catalogue
    # the single-choice answers no known scale orders are flagged, the known scales are not
    flagged = {q["teksti"] for q in result.catalogue["kysymykset"]
               if any("järjestys" in n for n in result.undecided[q["key"]])}
    assert flagged == {"Ammattiryhmäni", "Asiakas- ja potilastyöni pääasiallinen laatu", "Työskentelen",
                       "Vastuualueeni", "Kunta, jonka alueella pääasiassa työskentelen"}


def test_command_writes_a_draft_that_works_once_sections_are_chosen(tmp_path, capsys, monkeypatch):
    (tmp_path / "reports.yml").write_text((ROOT / "reports.yml").read_text(encoding="utf-8"), encoding="utf-8")
    args = ["--root", str(tmp_path), "kysely", "luonnos", str(EXPORTS[2023]), str(EXPORTS[2024])]
    assert main(args) == 0
    out = capsys.readouterr().out
    target = tmp_path / "kysely.yml"
    assert f"Kirjoitettu {target}: 17 kysymystä, vuodet 2023, 2024." in out
    assert "- kunta_jonka_alueella: vaihtoehtojen järjestys aakkosissa" in out
    text = target.read_text(encoding="utf-8")
    assert f"    # TARKISTA: osio: {draft.OSIOT}\n    # osio: \n" in text

    # never overwritten without --korvaa
    target.write_text(text + "# oma muutos\n", encoding="utf-8")
    assert main(args) == 1
    assert "on jo olemassa" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8").endswith("# oma muutos\n")

    # as drafted, the catalogue stops with a message naming what is missing
    monkeypatch.setenv("HYTE_NB_ROOT", str(tmp_path))
    with pytest.raises(ValueError, match=r"kysely\.yml: kysymykseltä puuttuu osio: ammattiryhmani, "):
        questionnaire.survey_export(2024)
    # the analyst chooses the sections: the drafted catalogue reads the 2024 export's headers exactly
    catalogue = yaml.safe_load(text)
    sections = {q["teksti"]: q["osio"] for q in SHIPPED}
    for q in catalogue["kysymykset"]:
        q["osio"] = sections[q["teksti"]]
    target.write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    header = [c.value for c in next(openpyxl.load_workbook(EXPORTS[2024], read_only=True).active.iter_rows(max_row=1))]
    assert [c.raw for c in questionnaire.survey_export(2024).columns] == header
    assert main(args + ["--korvaa"]) == 0 and "# oma muutos" not in target.read_text(encoding="utf-8")


def test_kinds_and_scales_of_another_questionnaire(tmp_path):
    """A made-up survey: a numeric question, an unlisted 'X, Melko x, Melko y, Y' scale with an
    'En osaa sanoa', a checkbox option nobody chose, a lone 'A - B' single choice, open answers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Vastaajan numero", "Aloitusaika", "Lähetysaika", "Ikä vuosina",
                  "Miten tyytyväinen olet? ", "Mitä harrastat? - Uinti", "Mitä harrastat? - Luistelu",
                  "Työaika - vuorotyö", "Palautetta"])
    scale = ["Tärkeä", "Melko tärkeä", "Melko turha", "Turha", "En osaa sanoa"]
    for i in range(1, 31):
        sheet.append([i, None, None, 20 + i, scale[i % 5], 1 if i % 2 else None, None,
                      "Kyllä" if i % 3 else "Ei", f"Vastaus numero {i}." if i % 4 else None])
    path = tmp_path / "oma_kysely_2026.xlsx"
    book.save(path)
    result = draft.draft([path])
    got = {q["teksti"]: q for q in result.catalogue["kysymykset"]}
    assert got["Ikä vuosina"]["tyyppi"] == "numero" and got["Ikä vuosina"]["vali"] == [21, 50]
    satisfied = got["Miten tyytyväinen olet?"]
    assert [o["teksti"] for o in satisfied["vaihtoehdot"]] == ["Turha", "Melko turha", "Melko tärkeä", "Tärkeä",
                                                               "En osaa sanoa"]
    assert satisfied["jarjestetty"] is True
    assert result.undecided[satisfied["key"]][0] == "asteikon suunta (Turha … En osaa sanoa): tarkista lomakkeelta"
    assert got["Mitä harrastat?"]["tyyppi"] == "monivalinta"
    assert [o["teksti"] for o in got["Mitä harrastat?"]["vaihtoehdot"]] == ["Uinti", "Luistelu"]
    assert "vaihtoehtoa 'Luistelu' ei valinnut kukaan vuonna 2026" in result.undecided[got["Mitä harrastat?"]["key"]]
    assert got["Työaika - vuorotyö"]["tyyppi"] == "valinta"
    assert [o["teksti"] for o in got["Työaika - vuorotyö"]["vaihtoehdot"]] == ["Kyllä", "Ei"]
    assert got["Palautetta"]["tyyppi"] == "avoin" and all(q["alkaen"] == 2026 for q in got.values())
