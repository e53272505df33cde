import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import ROOT
from hyte_nb.core import clean
from hyte_nb.core.clean import CleaningLog
from hyte_nb.core.paths import Paths
from hyte_nb.core.read import ExportError
from hyte_nb.hyte import catalog, exports
from hyte_nb.hyte.cleaning import clean_one, clean_year, load_processed

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


# --- the soft rules (data/raw/README.md, "Rows that cleaning removes"): a genuine row that merely
# resembles a rule is kept; the rule's own case is still removed and logged -----------------------

FEEDBACK = exports.CLIENT_FEEDBACK


def _feedback_line(answer_id: str, answer: str = "", day: str = "14.5.2024", **cells) -> str:
    values = {"vastaus": answer_id, "pvm": day, "alue": "Nuorten palvelut", "palvelu": "Keskusteluapu",
              "suosittelu": "9", "selkiintyi": "4", "avoin": answer, "lupa": "Kyllä" if answer else "", **cells}
    return ";".join(values.get(c.name, "") for c in FEEDBACK.columns)


def _feedback_export(tmp_path, extra: list[str]):
    """A small copy of the sample's feedback export: its header, its first 20 rows that no rule
    removes (file rows 2-21), then the extra lines (file rows 22, 23, ...)."""
    lines = _lines(RAW_2024 / FEEDBACK.filename)
    body = [line for line in lines[1:] if line.replace(";", "").strip() and "TESTI" not in line.upper()]
    body = list(dict.fromkeys(body))[:20]
    path = tmp_path / FEEDBACK.filename
    path.write_bytes(("\ufeff" + "\r\n".join([lines[0], *body, *extra]) + "\r\n").encode("utf-8"))
    return path


def _clean_feedback(tmp_path, extra: list[str]):
    log = CleaningLog()
    table = clean_one(_feedback_export(tmp_path, extra), FEEDBACK, 2024, log)
    removed = [(e["rivi"], e["syy"], e["sarake"], e["ennen"]) for e in log.entries if e["toimenpide"] == "poistettu"]
    return table.set_index("vastaus"), removed, log


def test_the_issue_case_a_genuine_answer_written_in_testing_spirit_is_kept(tmp_path):
    quote = "Tulin aluksi vain testimielessä, mutta keikka-apu osoittautui todella tarpeelliseksi."
    table, removed, _ = _clean_feedback(tmp_path, [_feedback_line("P25-0170", quote)])
    assert removed == []
    assert len(table) == 21
    assert table.loc["P25-0170", "avoin"] == quote and bool(table.loc["P25-0170", "lupa"]) is True
    assert table.loc["P25-0170", "pvm"] == pd.Timestamp("2024-05-14")


def test_test_rows_only_by_the_contracts_markers(tmp_path):
    genuine = {  # file row: a look-alike of a test marker, kept
        22: _feedback_line("P25-0171", "Testasin ensin verkossa, sitten tulin paikan päälle."),
        23: _feedback_line("P25-0172", "Testosteroni"),
        24: _feedback_line("P25-0173", "protesti"),
        25: _feedback_line("P25-0174", "Testi-ilta oli mukava."),
        26: _feedback_line("P25-0175", "TESTI, mutta oikeasti hyvä palvelu"),
        27: _feedback_line("P25-TESTI", "Kiitos."),  # testi elsewhere than as the id's prefix
        28: _feedback_line("Testikäyttäjä-1", "Kiitos."),
    }
    marked = {  # file row: a test marker, removed
        29: _feedback_line("TESTI-P25-0176", "Kiitos avusta."),
        30: _feedback_line(" test-9 ", ""),
        31: _feedback_line("P25-0177", " Testi "),
        32: _feedback_line("P25-0178", "TESTIVASTAUS"),
    }
    table, removed, log = _clean_feedback(tmp_path, [*genuine.values(), *marked.values()])
    assert removed == [(29, clean.TEST_ID, "Vastauksen ID", ""), (30, clean.TEST_ID, "Vastauksen ID", ""),
                       (31, clean.TEST_WORD, "Avoin palaute", ""), (32, clean.TEST_WORD, "Avoin palaute", "")]
    assert {"P25-0171", "P25-0172", "P25-0173", "P25-0174", "P25-0175", "P25-TESTI", "Testikäyttäjä-1"} <= set(table.index)
    assert table.loc["P25-0172", "avoin"] == "Testosteroni" and len(table) == 20 + len(genuine)
    assert not any("Testi" in str(e["ennen"]) or "test" in str(e["ennen"]) for e in log.entries)  # no text logged


def test_identical_answers_under_different_ids_are_no_duplicates(tmp_path):
    same = dict(answer="Kiitos avusta.", day="2.6.2024")
    table, removed, _ = _clean_feedback(tmp_path, [
        _feedback_line("P25-0180", **same),  # row 22
        _feedback_line("P25-0181", **same),  # row 23: another respondent, the same answers
        _feedback_line("P25-0180", **same),  # row 24: row 22 again, character for character
    ])
    assert removed == [(24, clean.DUPLICATE.format(22), "", "")]
    assert {"P25-0180", "P25-0181"} <= set(table.index) and len(table) == 22


def test_dates_on_the_years_first_and_last_day_are_kept(tmp_path):
    table, removed, _ = _clean_feedback(tmp_path, [
        _feedback_line("P25-0190", day="1.1.2024"),  # row 22
        _feedback_line("P25-0191", day="31.12.2024"),  # row 23
        _feedback_line("P25-0192", day="31.12.2023"),  # row 24
        _feedback_line("P25-0193", day="1.1.2025"),  # row 25
    ])
    assert removed == [(24, clean.OUTSIDE_YEAR.format(2024), "Vastauspäivä", "31.12.2023"),
                       (25, clean.OUTSIDE_YEAR.format(2024), "Vastauspäivä", "1.1.2025")]
    assert table.loc["P25-0191", "pvm"] == pd.Timestamp("2024-12-31")
    assert table.loc["P25-0190", "pvm"] == pd.Timestamp("2024-01-01")


def test_a_row_with_every_answer_skipped_is_not_blank(tmp_path):
    table, removed, _ = _clean_feedback(tmp_path, [
        _feedback_line("P25-0195", suosittelu="", selkiintyi=""),  # row 22: only id, date, area, service
        " ; ;\t" + ";" * (len(FEEDBACK.columns) - 3),  # row 23: whitespace only
    ])
    assert removed == [(23, clean.BLANK_ROW, "", "")]
    assert table.loc["P25-0195", ["suosittelu", "selkiintyi", "avoin"]].isna().all()


def test_webropol_respondents_with_identical_answers_or_none_are_kept(tmp_path):
    """The survey's own cleaning (clean_surveys' step) on a copy of the 2024 export: a respondent
    who answered exactly as another one, one who skipped every question and one whose open answer
    mentions testing are kept; the planted test response and a repeated row are removed."""
    from hyte_nb.kysely.questionnaire import survey_export

    export = survey_export(2024)
    source = Paths.of(2024, "kysely", ROOT).raw / export.filename
    path = tmp_path / export.filename
    shutil.copy(source, path)
    book = load_workbook(path)
    sheet = book.active
    header = [c.value for c in sheet[1]]
    respondents = sheet.max_row - 2  # the header and the planted test response aside
    first = [c.value for c in sheet[2]]
    last_open = max(i for i, c in enumerate(export.columns) if c.kind == "text")
    sheet.append([1001, *first[1:]])  # another respondent with row 2's answers
    sheet.append([1002, first[1], first[2]] + [None] * (len(header) - 3))  # every question skipped
    sheet.append([1003, *first[1:last_open], "Testasimme toimintamallia tiimissä.", *first[last_open + 1:]])
    sheet.append([c.value for c in sheet[3]])  # row 3 again
    book.save(path)
    log = CleaningLog()
    table = clean.clean_export(path, export, 2024, log)
    removed = [(e["rivi"], e["syy"], e["sarake"]) for e in log.entries if e["toimenpide"] == "poistettu"]
    test_row = respondents + 2
    assert removed == [(test_row, clean.TEST_WORD, export.columns[last_open].raw),
                       (test_row + 4, clean.DUPLICATE.format(3), "")]
    assert len(table) == respondents + 3
    assert {1001, 1002, 1003} <= set(table["vastaaja"])
    assert table.loc[table["vastaaja"] == 1003, export.columns[last_open].name].item() == \
        "Testasimme toimintamallia tiimissä."


def test_judged_removals_lists_what_a_rule_decided_per_table(tmp_path):
    """The cleaning page's list: test rows, duplicates and dates outside the year, by table and
    row, with the rule and its column; blank rows and fixes left out; no free text."""
    _, _, log = _clean_feedback(tmp_path, [
        _feedback_line("P25-0177", "testi"),  # row 22
        ";" * (len(FEEDBACK.columns) - 1),  # row 23: blank
        _feedback_line("P25-0190", day="31.12.2023"),  # row 24
        _feedback_line("TESTI-1"),  # row 25
        _feedback_line("P25-0181", "Kiitos."),  # row 26
        _feedback_line("P25-0181", "Kiitos."),  # row 27
    ])
    events = tmp_path / exports.EVENTS.filename
    lines = _lines(RAW_2024 / exports.EVENTS.filename)
    body = [line for line in lines[1:] if line.replace(";", "").strip() and "TESTI" not in line.upper()][:10]
    extra = [body[0], "TESTI-" + body[1], ";;;;;"]  # rows 12 (repeats row 2), 13 and 14
    events.write_bytes(("\ufeff" + "\r\n".join([lines[0], *body, *extra])).encode("utf-8"))
    clean_one(events, exports.EVENTS, 2024, log)
    judged = clean.judged_removals(log)
    assert list(judged.itertuples(index=False, name=None)) == [
        ("asiakaspalaute", "asiakaspalaute.csv", 22, clean.TEST_WORD, "Avoin palaute", ""),
        ("asiakaspalaute", "asiakaspalaute.csv", 24, clean.OUTSIDE_YEAR.format(2024), "Vastauspäivä", "31.12.2023"),
        ("asiakaspalaute", "asiakaspalaute.csv", 25, clean.TEST_ID, "Vastauksen ID", ""),
        ("asiakaspalaute", "asiakaspalaute.csv", 27, clean.DUPLICATE.format(26), "", ""),
        ("tapahtumat", "tapahtumat.csv", 12, clean.DUPLICATE.format(2), "", ""),
        ("tapahtumat", "tapahtumat.csv", 13, clean.TEST_ID, "Tapahtuman ID", ""),
    ]
    assert list(judged.columns) == ["taulu", "tiedosto", "rivi", "syy", "sarake", "ennen"]
    assert clean.judged_removals(CleaningLog()).empty
