"""The corrupted-export suite (issue 8, items 1, 2 and 4): each case damages ONE small copy of
one export the way exports arrive damaged by email, cleans it alone, and checks what the user
is told (file, row, column, value, what was expected, what was found instead) or, for the
soft problems cleaning fixes, the fix in the cleaning log and an unchanged clean table (the
figures are computed from the clean tables only). A few cases run the real build."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import ROOT
from hyte_nb.core import clean
from hyte_nb.core.read import ExportError
from hyte_nb.hyte import exports
from hyte_nb.hyte.cleaning import clean_one

YEAR = 2024
HYTE = ROOT / "data" / "raw" / str(YEAR) / "hyte"
KYSELY = ROOT / "data" / "raw" / str(YEAR) / "kysely"
ROWS = 300  # data lines kept of each CSV copy
XLSX_ROWS = 40  # answers kept of each workbook copy
BY_FILE = {e.filename: e for e in exports.HYTE_EXPORTS}
SURVEY = "hyte_ohjaus_kysely_2024.xlsx"


# --- copies and mutations ---------------------------------------------------------------------

def _copy(name: str, folder: Path) -> Path:
    target = folder / name
    if name.endswith(".csv"):
        lines = (HYTE / name).read_bytes().decode("utf-8-sig").split("\r\n")
        # the header and the first data lines; blank and test rows of the sample stay out
        body = [line for line in lines[1:] if line.replace(";", "").strip() and "TESTI" not in line.upper()]
        _write(target, [lines[0]] + body[:ROWS])
    else:
        shutil.copy(_small[name], target)
    return target


_small: dict[str, Path] = {}  # workbook name -> its small copy, written once per run


@pytest.fixture(scope="module", autouse=True)
def _small_workbooks(tmp_path_factory):
    """Each workbook's header and first XLSX_ROWS answers, written once: each case loads, edits
    and saves its own copy with openpyxl, which made a whole export the slowest part here."""
    folder = tmp_path_factory.mktemp("pienet")
    for name in (VSURVEY, SURVEY):
        book = load_workbook((KYSELY if name == SURVEY else HYTE) / name)
        book.worksheets[0].delete_rows(XLSX_ROWS + 2, book.worksheets[0].max_row)
        book.save(folder / name)
        _small[name] = folder / name


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8-sig").split("\r\n")[:-1]


def _write(path: Path, lines: list[str], *, bom=True, encoding="utf-8", end="\r\n", last_end=True) -> None:
    text = end.join(lines) + (end if last_end else "")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))


def cell(line: int, column: str, value: str):
    """Set one cell of a CSV (line numbers as in a text editor, header = 1)."""
    def mutate(path: Path):
        lines = _lines(path)
        header = lines[0].split(";")
        cells = lines[line - 1].split(";")
        cells[header.index(column)] = value
        lines[line - 1] = ";".join(cells)
        _write(path, lines)
    return mutate


def copy_cell(line: int, column: str, from_line: int):
    def mutate(path: Path):
        header = _lines(path)[0].split(";")
        cell(line, column, _lines(path)[from_line - 1].split(";")[header.index(column)])(path)
    return mutate


def lines_edit(edit: Callable[[list[str]], list[str]], **write):
    def mutate(path: Path):
        _write(path, edit(_lines(path)), **write)
    return mutate


def raw_bytes(data: bytes):
    return lambda path: path.write_bytes(data)


def xlsx(edit: Callable):
    def mutate(path: Path):
        book = load_workbook(path)
        edit(book)
        book.save(path)
    return mutate


def xcell(row: int, header: str, value):
    def edit(book):
        sheet = book.worksheets[0]
        column = next(c.column for c in sheet[1] if c.value == header)
        sheet.cell(row=row, column=column, value=value)
    return xlsx(edit)


def _to_other_sheet(book):
    data = book.worksheets[0]
    data.title = "Vastaukset"
    book.create_sheet("Yhteenveto", 0)


def _title_row(book):
    book.worksheets[0].insert_rows(1)
    book.worksheets[0].cell(row=1, column=1, value="Webropol-raportti 2024")


def _shift_year(lines):
    return [lines[0]] + [line.replace(".2024;", ".2020;") for line in lines[1:]]


# --- the cases --------------------------------------------------------------------------------

@dataclass
class Case:
    name: str
    file: str
    mutate: Callable[[Path], None]
    expected: tuple[str, ...] = ()  # parts of the message; empty: a soft problem
    logged: tuple[str, ...] = ()  # (soft) a cleaning-log reason that must appear
    values_logged: bool | None = None  # (soft) whether the log shows before/after values
    one_message: bool = False  # exactly one problem
    same_table: bool = True  # (soft) the clean table equals the undamaged copy's


VISIT, EVENT, VOL, FEED, MEAS, DOWN, VSURVEY = ("asiakastapaamiset.csv", "tapahtumat.csv", "vapaaehtoisrekisteri.csv",
                                                "asiakaspalaute.csv", "hyvinvointimittaukset.csv",
                                                "materiaalilataukset.csv", "vapaaehtoiskysely.xlsx")
HTML = b"<!DOCTYPE html>\n<html><head><title>Kirjaudu</title></head><body>Istunto vanhentui</body></html>\n"

CASES = [
    # file level
    Case("empty_csv", VISIT, raw_bytes(b""), ("asiakastapaamiset.csv", "tiedosto on tyhjä (0 tavua)")),
    Case("empty_csv_bom_only", EVENT, raw_bytes(b"\xef\xbb\xbf"), ("tapahtumat.csv", "rivi 1 on tyhjä")),
    Case("header_only", EVENT, lines_edit(lambda ls: ls[:1]), ("tapahtumat.csv", "tiedostossa ei ole yhtään riviä")),
    Case("header_only_downloads", DOWN, lines_edit(lambda ls: ls[:1]),
         ("materiaalilataukset.csv", "tiedostossa ei ole yhtään riviä")),
    Case("cp1252", FEED, lines_edit(lambda ls: ls, bom=False, encoding="cp1252"),
         ("asiakaspalaute.csv", "rivi 1", "Windows-1252", "odotettiin UTF-8", "CSV UTF-8")),
    Case("cp1252_in_body", VOL, lambda p: p.write_bytes(p.read_bytes().replace(b"tukihenkil\xc3\xb6", b"tukihenkil\xf6")),
         ("vapaaehtoisrekisteri.csv", "Windows-1252", "odotettiin UTF-8")),
    Case("comma_separated", DOWN, lines_edit(lambda ls: [l.replace(";", ",") for l in ls]),
         ("materiaalilataukset.csv", "rivi 1", "pilkku ','", "odotettiin puolipiste ';'")),
    Case("tab_separated", VOL, lines_edit(lambda ls: [l.replace(";", "\t") for l in ls]),
         ("vapaaehtoisrekisteri.csv", "sarkain (tab)", "odotettiin puolipiste ';'")),
    Case("renamed_header", EVENT, lines_edit(lambda ls: [ls[0].replace("Osallistujat", "Osallistujia")] + ls[1:]),
         ("tapahtumat.csv", "rivi 1 (otsikkorivi)", "sarake puuttuu: 'Osallistujat'",
          "löytyi sen sijaan 'Osallistujia'")),
    Case("extra_column", MEAS, lines_edit(lambda ls: [ls[0] + ";Huom"] + [l + ";" for l in ls[1:]]),
         ("hyvinvointimittaukset.csv", "tuntematon sarake: 'Huom'")),
    Case("truncated_last_line_fields", VISIT, lines_edit(lambda ls: ls[:-1] + [ls[-1].rsplit(";", 3)[0]]),
         ("asiakastapaamiset.csv", f"rivi {ROWS + 1} (viimeinen rivi)", "4 kenttää", "odotettiin 7 saraketta",
          "katkenneen")),
    Case("truncated_last_line_no_newline", EVENT, lines_edit(lambda ls: ls[:-1] + [ls[-1][:-1]], last_end=False),
         ("tapahtumat.csv", f"rivi {ROWS + 1} (viimeinen rivi)", "ei pääty rivinvaihtoon", "katkenneen")),
    Case("broken_middle_line", EVENT, cell(8, "Osallistujat", "3;;"), ("tapahtumat.csv", "rivi 8", "odotettiin 6 saraketta")),
    Case("other_years_export", EVENT, lines_edit(_shift_year),
         ("tapahtumat.csv", f"{ROWS} rivistä {ROWS} on päivätty vuoden 2024 ulkopuolelle",
          "onko tämä vuoden 2020 vienti")),
    # cells
    Case("word_for_count", EVENT, cell(10, "Osallistujat", "kolme"),
         ("tapahtumat.csv, rivi 10, sarake 'Osallistujat': arvo 'kolme' – odotettiin: kokonaisluku väliltä 1–2000",),
         one_message=True),
    Case("count_over_bound", EVENT, cell(11, "Osallistujat", "99999"),
         ("tapahtumat.csv, rivi 11, sarake 'Osallistujat': arvo '99999'", "väliltä 1–2000"), one_message=True),
    Case("downloads_over_bound", DOWN, cell(5, "Lataukset", "2000000"),
         ("materiaalilataukset.csv, rivi 5, sarake 'Lataukset': arvo '2000000'", "väliltä 1–100000")),
    Case("persons_zero", VISIT, cell(7, "Tavatut henkilöt", "0"),
         ("asiakastapaamiset.csv, rivi 7, sarake 'Tavatut henkilöt': arvo '0'", "väliltä 1–50")),
    Case("nps_eleven", FEED, cell(4, "Suosittelisitko palvelua läheisellesi? (0-10)", "11"),
         ("asiakaspalaute.csv, rivi 4", "arvo '11'", "väliltä 0–10")),
    Case("impossible_date", VISIT, cell(5, "Päivämäärä", "31.2.2024"),
         ("asiakastapaamiset.csv, rivi 5, sarake 'Päivämäärä': arvo '31.2.2024' – odotettiin: päivämäärä muodossa p.k.vvvv",)),
    Case("iso_date", DOWN, cell(6, "Päivä", "2024-01-03"), ("materiaalilataukset.csv, rivi 6, sarake 'Päivä': arvo '2024-01-03'",)),
    Case("future_measurement", MEAS, cell(9, "Mittauspäivä", "1.3.2042"),
         ("hyvinvointimittaukset.csv, rivi 9, sarake 'Mittauspäivä': arvo 1.3.2042", "ei tulevaisuudessa"),
         one_message=True),
    Case("ancient_start_date", VOL, cell(12, "Aloituspäivä", "1.1.1890"),
         ("vapaaehtoisrekisteri.csv, rivi 12, sarake 'Aloituspäivä': arvo 1.1.1890", "aikaisintaan 1.1.1924")),
    Case("unknown_service", EVENT, cell(6, "Palvelu", "Kuuhullut"),
         ("tapahtumat.csv, rivi 6, sarake 'Palvelu': arvo 'Kuuhullut' – odotettiin: palvelu vuoden 2024 "
          "palveluluettelosta",), one_message=True),
    Case("service_of_another_area", VISIT, lines_edit(
        lambda ls: [ls[0]] + [ls[1].replace(ls[1].split(";")[3], "Sekasin chat")] + ls[2:]),
         ("asiakastapaamiset.csv, rivi 2, sarake 'Palvelu': arvo 'Sekasin chat'",), one_message=True),
    Case("unknown_area", EVENT, cell(7, "Palvelualue", "Kuupalvelut"),
         ("tapahtumat.csv, rivi 7, sarake 'Palvelualue': arvo 'Kuupalvelut'", "yksi palvelualueista")),
    Case("yes_no_typo", VISIT, cell(8, "Yksinäisyys puheeksi", "Joo"),
         ("asiakastapaamiset.csv, rivi 8, sarake 'Yksinäisyys puheeksi': arvo 'Joo' – odotettiin: Kyllä tai Ei",)),
    Case("required_id_blank", EVENT, cell(9, "Tapahtuman ID", ""),
         ("tapahtumat.csv, rivi 9, sarake 'Tapahtuman ID': arvo ''", "tekstiä")),
    Case("same_event_id_other_contents", EVENT, copy_cell(20, "Tapahtuman ID", 3),
         ("tapahtumat.csv, rivi 20, sarake 'Tapahtuman ID'", "sama tunniste myös rivillä 3"), one_message=True),
    Case("same_visit_id_other_contents", VISIT, copy_cell(30, "Käynnin ID", 2),
         ("asiakastapaamiset.csv, rivi 30, sarake 'Käynnin ID'", "sama tunniste myös rivillä 2")),
    Case("same_feedback_id_other_contents", FEED, copy_cell(15, "Vastauksen ID", 14),
         ("asiakaspalaute.csv, rivi 15, sarake 'Vastauksen ID'", "sama tunniste myös rivillä 14")),
    Case("same_task_id_other_contents", VOL, copy_cell(40, "Tehtävän ID", 2),
         ("vapaaehtoisrekisteri.csv, rivi 40, sarake 'Tehtävän ID'", "sama tunniste myös rivillä 2")),
    Case("two_birth_years", VOL, lines_edit(lambda ls: ls + [
        ";".join(["VT99999", ls[1].split(";")[1], str(int(ls[1].split(";")[2]) + 1), "digituki", "1.2.2024"])]),
         ("vapaaehtoisrekisteri.csv", f"rivi {ROWS + 2}, sarake 'Syntymävuosi'", "rivillä 2")),
    Case("volunteer_too_young", VOL, cell(5, "Syntymävuosi", "2015"),
         ("vapaaehtoisrekisteri.csv, rivi 5, sarake 'Syntymävuosi': arvo 2015", "väliltä 1924–2009")),
    Case("volunteer_too_old", VOL, cell(6, "Syntymävuosi", "1901"),
         ("vapaaehtoisrekisteri.csv, rivi 6, sarake 'Syntymävuosi': arvo 1901", "ikä 15–100")),
    Case("unknown_task", VOL, cell(7, "Tehtävä", "avaruustoiminta"),
         ("vapaaehtoisrekisteri.csv, rivi 7, sarake 'Tehtävä': arvo 'avaruustoiminta'", "tukihenkilötoiminta")),
    Case("unknown_material", DOWN, cell(8, "Materiaali", "Salainen opas"),
         ("materiaalilataukset.csv, rivi 8, sarake 'Materiaali': arvo 'Salainen opas'", "Itsemyötätunto-opas")),
    Case("unknown_language", DOWN, cell(9, "Kieli", "de"),
         ("materiaalilataukset.csv, rivi 9, sarake 'Kieli': arvo 'de'", "fi, sv, en")),
    Case("measurement_outside_scale", MEAS, lines_edit(
        lambda ls: [l if i != next(j for j, m in enumerate(ls) if ";yksinaisyys;" in m) else l.rsplit(";", 1)[0] + ";9"
                    for i, l in enumerate(ls)]),
         ("hyvinvointimittaukset.csv", "sarake 'Arvo': arvo 9", "asteikolla 1–5"), one_message=True),
    Case("unknown_measurement_item", MEAS, cell(4, "Mittari", "onnellisuus"),
         ("hyvinvointimittaukset.csv, rivi 4, sarake 'Mittari': arvo 'onnellisuus'", "mittariluettelosta")),
    Case("unknown_measurement_round", MEAS, cell(4, "Mittauskerta", "puolivälissä"),
         ("hyvinvointimittaukset.csv, rivi 4, sarake 'Mittauskerta': arvo 'puolivälissä'", "alku, väliarvio, loppu")),
    # soft: fixed, logged, the clean table unchanged
    Case("service_upper_case", EVENT, lambda p: cell(4, "Palvelu", _lines(p)[3].split(";")[3].upper())(p),
         logged=("palvelun nimi yhtenäistetty",), values_logged=True),
    Case("service_stray_spaces", VISIT, lambda p: cell(4, "Palvelu", "  " + _lines(p)[3].split(";")[3] + " ")(p),
         logged=("ylimääräiset välilyönnit poistettu",), values_logged=True),
    Case("old_service_name", EVENT, lambda p: _old_name(p), logged=("palvelun nimi yhtenäistetty",), values_logged=True),
    Case("exact_duplicate_row", VISIT, lines_edit(lambda ls: ls[:5] + [ls[4]] + ls[5:]),
         logged=("täsmällinen kaksoiskappale rivistä 5",)),
    Case("test_row", EVENT, lines_edit(lambda ls: ls + ["T99999;2.2.2024;Nuorten palvelut;Sekasin chat;1;Ei;".rstrip(";")
                                                        .replace("T99999", "TESTI-1")]),
         logged=("testirivi: tunnisteessa testimerkki",)),
    Case("blank_lines", DOWN, lines_edit(lambda ls: ls[:3] + [";;;"] + ls[3:]), logged=("tyhjä rivi",)),
    Case("free_text_spaces_not_logged_verbatim", FEED, lambda p: _pad_free_text(p),
         logged=("ylimääräiset välilyönnit poistettu",), values_logged=False),
    Case("utf8_without_bom", MEAS, lines_edit(lambda ls: ls, bom=False)),
    Case("task_in_upper_case", VOL, cell(3, "Tehtävä", "DIGITUKI"), (), same_table=False),  # figures compare lower case
    # the volunteer survey (Webropol Excel)
    Case("xlsx_is_html", VSURVEY, raw_bytes(HTML), ("vapaaehtoiskysely.xlsx", "ei ole Excel-työkirja", "HTML-sivu")),
    Case("xlsx_empty_file", VSURVEY, raw_bytes(b""), ("vapaaehtoiskysely.xlsx", "tiedosto on tyhjä (0 tavua)")),
    Case("xlsx_is_csv", VSURVEY, raw_bytes((HYTE / EVENT).read_bytes()[:400]), ("vapaaehtoiskysely.xlsx", "CSV")),
    Case("xlsx_data_on_other_sheet", VSURVEY, xlsx(_to_other_sheet),
         ("vapaaehtoiskysely.xlsx", "välilehdeltä 'Vastaukset'", "'Yhteenveto', 'Vastaukset'")),
    Case("xlsx_title_row", VSURVEY, xlsx(_title_row),
         ("vapaaehtoiskysely.xlsx", "otsikot ovat rivillä 2", "Webropol-raportti 2024")),
    Case("xlsx_same_respondent_twice", VSURVEY, xcell(9, "Vastaajan numero", 1),
         ("vapaaehtoiskysely.xlsx, rivi 9, sarake 'Vastaajan numero': arvo 1", "sama tunniste myös rivillä 2")),
    Case("xlsx_answer_years_early", VSURVEY, xcell(6, "Vastausaika", pd.Timestamp(2019, 3, 4, 10, 15).to_pydatetime()),
         ("vapaaehtoiskysely.xlsx, rivi 6, sarake 'Vastausaika': arvo 4.3.2019 10:15", "vastausaika kyselyn")),
    Case("xlsx_answer_in_future", VSURVEY, xcell(6, "Vastausaika", pd.Timestamp(2042, 3, 4, 10, 15).to_pydatetime()),
         ("vapaaehtoiskysely.xlsx, rivi 6, sarake 'Vastausaika': arvo 4.3.2042 10:15", "ei tulevaisuudessa")),
    Case("xlsx_bad_likert", VSURVEY, xcell(7, exports.VOLUNTEER_SURVEY.columns[2].raw, "Aika hyvä"),
         ("vapaaehtoiskysely.xlsx, rivi 7", "arvo 'Aika hyvä'", "Täysin samaa mieltä"), one_message=True),
    Case("xlsx_renamed_header", VSURVEY, xlsx(lambda b: b.worksheets[0].cell(row=1, column=2, value="Vastausaika (UTC)")),
         ("vapaaehtoiskysely.xlsx", "sarake puuttuu: 'Vastausaika'", "löytyi sen sijaan 'Vastausaika (UTC)'")),
    Case("xlsx_nps_twelve", VSURVEY, xcell(5, exports.VOLUNTEER_SURVEY.columns[13].raw, 12),
         ("vapaaehtoiskysely.xlsx, rivi 5", "arvo 12", "väliltä 0–10")),
    # the professionals' survey (Webropol Excel, kysely)
    Case("survey_same_respondent_twice", SURVEY, xcell(10, "Vastaajan numero", 1),
         ("hyte_ohjaus_kysely_2024.xlsx, rivi 10, sarake 'Vastaajan numero': arvo 1", "rivillä 2")),
    Case("survey_answer_years_early", SURVEY, xcell(4, "Lähetysaika", pd.Timestamp(2020, 1, 8, 9, 0).to_pydatetime()),
         ("hyte_ohjaus_kysely_2024.xlsx, rivi 4, sarake 'Lähetysaika': arvo 8.1.2020 9:00", "vastausaika kyselyn")),
    Case("survey_is_html", SURVEY, raw_bytes(HTML), ("hyte_ohjaus_kysely_2024.xlsx", "HTML-sivu")),
    Case("survey_title_row", SURVEY, xlsx(_title_row), ("hyte_ohjaus_kysely_2024.xlsx", "otsikot ovat rivillä 2")),
    Case("survey_on_other_sheet", SURVEY, xlsx(_to_other_sheet),
         ("hyte_ohjaus_kysely_2024.xlsx", "välilehdeltä 'Vastaukset'")),
    Case("survey_renamed_header", SURVEY, xlsx(lambda b: b.worksheets[0].cell(row=1, column=2, value="Aloitus aika")),
         ("hyte_ohjaus_kysely_2024.xlsx", "sarake puuttuu: 'Aloitusaika'", "löytyi sen sijaan 'Aloitus aika'")),
]


def _old_name(path: Path):
    lines = _lines(path)
    number = next(i for i, line in enumerate(lines) if ";Aamukorva;" in line) + 1
    cell(number, "Palvelu", "Aamu-korva")(path)


def _pad_free_text(path: Path):
    lines = _lines(path)
    header = lines[0].split(";")
    column = header.index("Avoin palaute")
    number = next(i for i, line in enumerate(lines) if i and line.split(";")[column]) + 1
    cell(number, "Avoin palaute", "  " + lines[number - 1].split(";")[column] + "  ")(path)


def _clean(path: Path):
    log = clean.CleaningLog()
    if path.name == SURVEY:
        from hyte_nb.kysely.questionnaire import survey_export
        return clean.clean_export(path, survey_export(YEAR), YEAR, log), log
    return clean_one(path, BY_FILE[path.name], YEAR, log, require_rows=True), log


_baselines: dict[str, pd.DataFrame] = {}


def _baseline(name: str, folder: Path) -> pd.DataFrame:
    if name not in _baselines:
        (folder / "perus").mkdir(exist_ok=True)
        _baselines[name] = _clean(_copy(name, folder / "perus"))[0]
    return _baselines[name]


def test_there_are_enough_cases_across_every_export():
    assert len(CASES) >= 40
    assert {c.file for c in CASES} == set(BY_FILE) | {SURVEY}
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corrupted_export(case: Case, tmp_path):
    path = _copy(case.file, tmp_path)
    source = hashlib.sha256(((KYSELY if case.file == SURVEY else HYTE) / case.file).read_bytes()).hexdigest()
    case.mutate(path)
    if case.expected:
        with pytest.raises(ExportError) as error:
            _clean(path)
        message = str(error.value)
        for part in case.expected:
            assert part in message, (part, message)
        assert str(path) in message  # the file is named
        assert "Traceback" not in message and "Error:" not in message.split(" – ")[0]
        if case.one_message:
            assert len(error.value.problems) == 1, error.value.problems
        for internal in ("arvo False", "arvo True", "00:00:00", "<NA>", "arvo nan", "arvo None"):
            assert internal not in message
    else:
        tidy, log = _clean(path)
        entries = log.frame()
        for reason in case.logged:
            mine = entries[entries["syy"] == reason]
            assert len(mine), (reason, entries)
            if case.values_logged is not None:
                assert (mine["ennen"] != "").all() == case.values_logged
                assert (mine["jälkeen"] != "").all() == case.values_logged
        expected = _baseline(case.file, tmp_path)
        if not case.same_table:
            assert len(tidy) == len(expected)
            return
        pd.testing.assert_frame_equal(tidy.drop(columns="_rivi"), expected.drop(columns="_rivi"))
    # the source exports are never written
    assert hashlib.sha256(((KYSELY if case.file == SURVEY else HYTE) / case.file).read_bytes()).hexdigest() == source


# --- through the real build ------------------------------------------------------------------

def _project(tmp_path: Path) -> Path:
    """A project folder with a copy of the year's HYTE exports (the ones a case damages); the
    notebooks, texts and published figures are links to the repository's. The survey's exports
    are left out: only the report whose export is damaged is built."""
    root = tmp_path / "projekti"
    (root / "data" / "raw" / str(YEAR)).mkdir(parents=True)
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, root / name)
    for name in ("notebooks", "tekstit", "data/reference"):
        if (ROOT / name).exists():
            (root / name).symlink_to(ROOT / name)
    shutil.copytree(HYTE, root / "data" / "raw" / str(YEAR) / "hyte")
    shutil.copy(HYTE.parent / "ESIMERKKIAINEISTO.txt", root / "data" / "raw" / str(YEAR))
    return root


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _break_events(root):
    path = root / "data/raw/2024/hyte/tapahtumat.csv"
    path.write_bytes(path.read_bytes().replace(b";", b",", 1 << 30))


def _cp1252_feedback(root):
    path = root / "data/raw/2024/hyte/asiakaspalaute.csv"
    path.write_bytes(path.read_bytes().decode("utf-8-sig").encode("cp1252", errors="replace"))


@pytest.mark.parametrize("damage, expected", [(_break_events, "pilkku ','"), (_cp1252_feedback, "Windows-1252")],
                         ids=["comma_separated_events", "cp1252_feedback"])
def test_a_damaged_export_stops_the_build(tmp_path, damage, expected):
    from hyte_nb.pipeline.pipeline import BuildError, build_year

    root = _project(tmp_path)
    damage(root)
    before = _hashes(root / "data" / "raw")
    try:
        result = build_year(YEAR, root=root, quiet=True)
    except BuildError as error:
        message = str(error)
    else:
        assert result.failed, "the build succeeded"
        message = "\n".join(result.failed.values())
    assert expected in message
    assert "hyte" in message or "tapahtumat" in message or "asiakaspalaute" in message
    pages = [p for p in (root / "reports" / str(YEAR) / "hyte").rglob("*.html") if p.name != "index.html"]
    assert pages == []  # nothing of the damaged report rendered
    # (the project holds only the HYTE exports; that the other reports of a year are published all
    # the same is tests/test_years.py's broken-survey build)
    assert _hashes(root / "data" / "raw") == before
