import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import ROOT
from hyte_nb.core.paths import Paths
from hyte_nb.core.read import ExportError
from hyte_nb.hyte import catalog, exports
from hyte_nb.hyte.cleaning import clean_year, load_processed

RAW_2024 = Paths.of(2024, "hyte", ROOT).raw


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    log, _ = clean_year(2024, RAW_2024, out)
    return log, load_processed(out)


def test_every_row_is_accounted_for(cleaned):
    log, _ = cleaned
    summary = log.summary_frame().set_index("taulu")
    assert (summary["rivejä sisään"] == summary["rivejä ulos"] + summary["poistettu"]).all()
    assert summary.loc["tapahtumat", "rivejä ulos"] == 1516
    assert summary.loc["vapaaehtoisrekisteri", "rivejä ulos"] == 948
    assert summary.loc["vapaaehtoiskysely", "rivejä ulos"] == 345


def test_planted_dirt_is_removed_or_fixed_and_logged(cleaned):
    log, tables = cleaned
    entries = log.frame()
    reasons = entries["syy"].str.replace(r" rivistä \d+", "", regex=True)
    for table in ("asiakastapaamiset", "tapahtumat"):
        mine = set(reasons[entries["taulu"] == table])
        assert {"tyhjä rivi", "testirivi: tunnisteessa testimerkki", "täsmällinen kaksoiskappale",
                "ylimääräiset välilyönnit poistettu", "palvelun nimi yhtenäistetty",
                "päiväys vuoden 2024 ulkopuolella"} <= mine
    renamed = entries[entries["syy"] == "palvelun nimi yhtenäistetty"]
    assert ("Aamu-korva", "Aamukorva") in set(zip(renamed["ennen"], renamed["jälkeen"]))
    events = tables["tapahtumat"]
    assert (events["pvm"].dt.year == 2024).all()
    assert set(events["palvelu"]) <= set(catalog.services(2024)["palvelu"])
    assert not events["tapahtuma"].duplicated().any()
    assert not tables["asiakastapaamiset"]["asiakas"].str.contains("TESTI").any()


def _copy_raw(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_2024, raw)
    return raw


def _replace_line(path, line_number, old, new):
    lines = _lines(path)
    assert old in lines[line_number - 1]
    lines[line_number - 1] = lines[line_number - 1].replace(old, new, 1)
    path.write_bytes(("\ufeff" + "\r\n".join(lines)).encode("utf-8"))


def _lines(path):
    return path.read_bytes().decode("utf-8-sig").split("\r\n")


def test_bad_value_names_file_row_column_value_and_expectation(tmp_path):
    raw = _copy_raw(tmp_path)
    path = raw / "tapahtumat.csv"
    line = _lines(path)[9]
    participants = line.split(";")[4]
    _replace_line(path, 10, f";{participants};", ";kolme;")
    with pytest.raises(ExportError) as error:
        clean_year(2024, raw, tmp_path / "out")
    message = str(error.value)
    assert "tapahtumat.csv, rivi 10, sarake 'Osallistujat': arvo 'kolme'" in message
    assert "kokonaisluku väliltä 1–2000" in message
    assert not (tmp_path / "out").exists()  # nothing written, nothing rendered


def test_bad_date_and_unknown_service(tmp_path):
    raw = _copy_raw(tmp_path)
    path = raw / "asiakastapaamiset.csv"
    lines = _lines(path)
    cells = lines[4].split(";")
    _replace_line(path, 5, f";{cells[1]};", ";31.2.2024;")
    _replace_line(path, 6, lines[5].split(";")[3], "Kuuhullut")
    with pytest.raises(ExportError) as error:
        clean_year(2024, raw, tmp_path / "out")
    message = str(error.value)
    assert "asiakastapaamiset.csv, rivi 5, sarake 'Päivämäärä': arvo '31.2.2024' – odotettiin: päivämäärä muodossa p.k.vvvv" in message


def test_unknown_service_is_reported_with_the_catalogue(tmp_path):
    raw = _copy_raw(tmp_path)
    path = raw / "tapahtumat.csv"
    lines = _lines(path)
    service = lines[5].split(";")[3]
    _replace_line(path, 6, f";{service};", ";Kuuhullut;")
    with pytest.raises(ExportError, match=r"tapahtumat.csv, rivi 6, sarake 'Palvelu': arvo 'Kuuhullut' – odotettiin: palvelu vuoden 2024 palveluluettelosta"):
        clean_year(2024, raw, tmp_path / "out")


def test_bad_answer_in_webropol_excel(tmp_path):
    raw = _copy_raw(tmp_path)
    path = raw / "vapaaehtoiskysely.xlsx"
    wb = load_workbook(path)
    ws = wb.active
    ws.cell(row=7, column=3, value="Aika hyvä")
    wb.save(path)
    header = exports.VOLUNTEER_SURVEY.columns[2].raw
    with pytest.raises(ExportError, match=rf"vapaaehtoiskysely.xlsx, rivi 7, sarake '{header[:20]}"):
        clean_year(2024, raw, tmp_path / "out")


def test_missing_column_is_named(tmp_path):
    raw = _copy_raw(tmp_path)
    path = raw / "materiaalilataukset.csv"
    text = path.read_bytes().decode("utf-8-sig").replace("Lataukset", "Latauksia", 1)
    path.write_bytes(("\ufeff" + text).encode("utf-8"))
    with pytest.raises(ExportError, match="rivi 1 \\(otsikkorivi\\): sarake puuttuu: 'Lataukset'"):
        clean_year(2024, raw, tmp_path / "out")


def test_measurement_outside_its_scale(tmp_path):
    raw = _copy_raw(tmp_path)
    path = raw / "hyvinvointimittaukset.csv"
    lines = _lines(path)
    number = next(i for i, line in enumerate(lines) if ";yksinaisyys;" in line) + 1
    value = lines[number - 1].rsplit(";", 1)[1]
    _replace_line(path, number, f";yksinaisyys;{value}", ";yksinaisyys;9")
    with pytest.raises(ExportError, match=rf"rivi {number}, sarake 'Arvo': arvo 9 – odotettiin: arvo mittarin yksinaisyys asteikolla 1–5"):
        clean_year(2024, raw, tmp_path / "out")


def test_broken_csv_line_is_named(tmp_path):
    raw = _copy_raw(tmp_path)
    path = raw / "tapahtumat.csv"
    _replace_line(path, 8, ";", ";;;")
    with pytest.raises(ExportError, match=r"tapahtumat.csv, rivi 8: .*odotettiin 6 saraketta"):
        clean_year(2024, raw, tmp_path / "out")
