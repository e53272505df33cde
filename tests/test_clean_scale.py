"""The column-wise cleaning gives what the cell-by-cell rules give: on a small planted export
(every kind of junk and dirt, every kind of bad cell), against a cell-by-cell reference of the
rules on generated cells, and on the facts the column-wise code relies on (Arrow's whitespace
is Python's, the test-row prefilter misses no test row, the Arrow reader reads what pandas
reads or leaves the file to pandas)."""

import io
import random
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from openpyxl import Workbook

from hyte_nb.core import clean, read
from hyte_nb.core.clean import CleaningLog
from hyte_nb.core.read import ROW, ExportError
from hyte_nb.core.schema import Column, Export
from hyte_nb.hyte import exports
from hyte_nb.hyte.cleaning import clean_one

HEADER = "Käynnin ID;Päivämäärä;Palvelualue;Palvelu;Asiakastunnus;Tavatut henkilöt;Yksinäisyys puheeksi"


def _row(i: int, service: str = "Keskusteluapu", client: str | None = None, people: str = "1",
         said: str = "Ei", day: str = "5.3.2024", area: str = "Senioripalvelut") -> str:
    return f"K{i:05d};{day};{area};{service};{client or f'AS-{i:05d}'};{people};{said}"


def _write(tmp_path, lines: list[str]):
    path = tmp_path / "asiakastapaamiset.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8"))
    return path


# What is planted at which file row (header = row 1, so list index i is row i + 2).
PLANTED = {
    10: ";;;;;;",
    11: "",
    12: " ; \t;\u00a0;;\u3000;;",
    20: _row(20, client="TESTI-asiakas"),
    21: _row(21, client="AS-protesti"),  # 'testi' not at a word start: kept
    22: _row(22, client="AS-ätesti"),  # ä is a letter, so no word start either: kept
    23: _row(23, client="Testikäyttäjä"),  # a word, not the TESTI- marker: kept
    24: _row(24, client="test"),  # a test word as the whole value, any case
    30: _row(30),  # row 31 repeats it exactly
    31: _row(30),
    32: _row(32, client=" AS-00032"),  # row 33 differs only by whitespace: not a duplicate
    33: _row(32),
    40: _row(40, service="Aamu-korva"),
    41: _row(41, service="DIGITUKI"),
    42: _row(42, service=" digiopastus\u00a0"),
    50: _row(50, people=" 3 ", said="kyllä"),
    51: _row(51, day=" 6.3.2024", said=" EI"),
    60: _row(60, day="31.12.2023"),
}


def _planted_lines(n: int = 200) -> list[str]:
    return [PLANTED.get(i + 2, _row(i + 2, people=str(1 + i % 7), said="Kyllä" if i % 3 else "Ei"))
            for i in range(n)]


def test_planted_export_is_cleaned_and_logged(tmp_path):
    path = _write(tmp_path, _planted_lines())
    log = CleaningLog()
    table = clean_one(path, exports.CLIENT_MEETINGS, 2024, log)
    entries = [(e["rivi"], e["toimenpide"], e["syy"], e["sarake"], e["ennen"], e["jälkeen"]) for e in log.entries]
    assert entries == [
        (10, "poistettu", "tyhjä rivi", "", "", ""),
        (11, "poistettu", "tyhjä rivi", "", "", ""),
        (12, "poistettu", "tyhjä rivi", "", "", ""),
        (20, "poistettu", "testirivi: tunnisteessa testimerkki", "Asiakastunnus", "", ""),
        (24, "poistettu", "testirivi: koko arvo on testisana", "Asiakastunnus", "", ""),
        (31, "poistettu", "täsmällinen kaksoiskappale rivistä 30", "", "", ""),
        (42, "muutettu", "ylimääräiset välilyönnit poistettu", "Palvelu", " digiopastus\u00a0", "digiopastus"),
        (32, "muutettu", "ylimääräiset välilyönnit poistettu", "Asiakastunnus", "", ""),  # free text: no values logged
        (40, "muutettu", "palvelun nimi yhtenäistetty", "Palvelu", "Aamu-korva", "Aamukorva"),
        (41, "muutettu", "palvelun nimi yhtenäistetty", "Palvelu", "DIGITUKI", "Digituki"),
        (42, "muutettu", "palvelun nimi yhtenäistetty", "Palvelu", "digiopastus", "Digituki"),
        (60, "poistettu", "päiväys vuoden 2024 ulkopuolella", "Päivämäärä", "31.12.2023", ""),
    ]
    assert log.summary == [{"taulu": "asiakastapaamiset", "tiedosto": "asiakastapaamiset.csv", "rivejä sisään": 200,
                            "rivejä ulos": 193, "poistettu": 7, "muutettuja rivejä": 4}]
    assert list(table.dtypes.astype(str)) == ["int64", "string", "datetime64[s]", "string", "string", "string",
                                              "Int64", "boolean"]
    by_row = table.set_index(ROW)
    assert by_row.loc[21, "asiakas"] == "AS-protesti" and by_row.loc[22, "asiakas"] == "AS-ätesti"
    assert by_row.loc[23, "asiakas"] == "Testikäyttäjä"
    assert by_row.loc[32, "asiakas"] == by_row.loc[33, "asiakas"] == "AS-00032"
    assert by_row.loc[[40, 41, 42], "palvelu"].tolist() == ["Aamukorva", "Digituki", "Digituki"]
    assert by_row.loc[40, "alue"] == "seniorit"
    assert by_row.loc[50, "henkilot"] == 3 and bool(by_row.loc[50, "puheeksi"]) is True
    assert by_row.loc[51, "pvm"] == pd.Timestamp("2024-03-06") and bool(by_row.loc[51, "puheeksi"]) is False
    assert table.index.equals(pd.RangeIndex(193))


BAD = {  # row: (cells changed, column named in the message, value shown, what was expected)
    5: (dict(people="kolme"), "Tavatut henkilöt", "'kolme'", "kokonaisluku väliltä 1–50"),
    6: (dict(people="51"), "Tavatut henkilöt", "'51'", "kokonaisluku väliltä 1–50"),
    7: (dict(people="3.0"), "Tavatut henkilöt", "'3.0'", "kokonaisluku väliltä 1–50"),
    8: (dict(day="31.2.2024"), "Päivämäärä", "'31.2.2024'", "päivämäärä muodossa p.k.vvvv"),
    9: (dict(day="2024-03-05"), "Päivämäärä", "'2024-03-05'", "päivämäärä muodossa p.k.vvvv"),
    13: (dict(said="Joo"), "Yksinäisyys puheeksi", "'Joo'", "Kyllä tai Ei"),
    14: (dict(client="  "), "Asiakastunnus", "''", "tekstiä"),
    15: (dict(said=""), "Yksinäisyys puheeksi", "''", "Kyllä tai Ei"),
}


def _bad_lines():
    lines = _planted_lines(60)
    for row, (cells, *_) in BAD.items():
        lines[row - 2] = _row(row, **cells)
    lines[24 - 2] = _row(24, people="٣")  # Arabic-Indic three: an integer to Python, as it was
    return lines


def test_every_bad_cell_is_named_once_in_column_then_row_order(tmp_path):
    path = _write(tmp_path, _bad_lines())
    with pytest.raises(ExportError) as error:
        clean_one(path, exports.CLIENT_MEETINGS, 2024, CleaningLog())
    expected = {}
    for row, (_, column, shown, what) in BAD.items():
        message = f"{path}, rivi {row}, sarake '{column}': arvo {shown} – odotettiin: {what}"
        expected.setdefault(column, []).append(message)
    order = [c.raw for c in exports.CLIENT_MEETINGS.columns]
    assert error.value.problems == [m for c in order for m in expected.get(c, [])]
    assert str(error.value).startswith(f"Aineistossa on {len(BAD)} virhettä:\n")


def test_catalogue_errors_after_the_cells_are_fine(tmp_path):
    lines = _planted_lines(60)
    lines[5 - 2] = _row(5, area="Kuupalvelut")
    path = _write(tmp_path, lines)
    with pytest.raises(ExportError) as error:
        clean_one(path, exports.CLIENT_MEETINGS, 2024, CleaningLog())
    assert error.value.problems == [f"{path}, rivi 5, sarake 'Palvelualue': arvo 'Kuupalvelut' – odotettiin: yksi "
                                    f"palvelualueista: Senioripalvelut, Perhepalvelut, Nuorten palvelut, "
                                    f"Aikuispalvelut (hyte_nb/hyte/metadata/palvelut.yml). Uusi alue ilmoitetaan "
                                    f"palveluluettelossa; komento python -m hyte_nb hyte luonnos {tmp_path} "
                                    f"luonnostelee sen"]
    lines[5 - 2] = _row(5, service="Kuuhullut")
    lines[6 - 2] = _row(6, service="Perheparkki")  # a family service under seniors
    path = _write(tmp_path, lines)
    with pytest.raises(ExportError) as error:
        clean_one(path, exports.CLIENT_MEETINGS, 2024, CleaningLog())
    named = [p for p in error.value.problems if "sarake 'Palvelu'" in p]
    fix = (f". Jos palvelu on uusi, nimetty uudelleen tai päättynyt, ilmoita se palveluluettelossa (alkaen, "
           f"vanhat, asti); komento python -m hyte_nb hyte luonnos {tmp_path} luonnostelee sen")
    assert named == [f"{path}, rivi 5, sarake 'Palvelu': arvo 'Kuuhullut' – odotettiin: palvelu vuoden 2024 "
                     f"palveluluettelosta alueelle seniorit (hyte_nb/hyte/metadata/palvelut.yml)" + fix,
                     f"{path}, rivi 6, sarake 'Palvelu': arvo 'Perheparkki' – odotettiin: palvelu vuoden 2024 "
                     f"palveluluettelosta alueelle seniorit (hyte_nb/hyte/metadata/palvelut.yml); palvelu on "
                     f"luettelossa alueella perheet" + fix]


def test_more_than_25_bad_cells_are_all_collected_and_25_shown(tmp_path):
    lines = _planted_lines(100)
    for row in range(60, 90):
        lines[row - 2] = _row(row, people="0")
    path = _write(tmp_path, lines)
    with pytest.raises(ExportError) as error:
        clean_one(path, exports.CLIENT_MEETINGS, 2024, CleaningLog())
    assert [int(re.search(r"rivi (\d+)", p).group(1)) for p in error.value.problems] == list(range(60, 90))
    message = str(error.value)
    assert message.startswith("Aineistossa on 30 virhettä:") and message.endswith("\n… ja 5 muuta virhettä")
    assert message.count("\n") == 26


def test_empty_and_all_junk_exports_give_empty_tables(tmp_path):
    log = CleaningLog()
    table = clean_one(_write(tmp_path, []), exports.CLIENT_MEETINGS, 2024, log)
    assert len(table) == 0 and str(table["pvm"].dtype) == "datetime64[s]" and str(table["henkilot"].dtype) == "Int64"
    table = clean_one(_write(tmp_path, [";;;;;;", _row(2, client="testi")]), exports.CLIENT_MEETINGS, 2024, log)
    assert len(table) == 0 and [e["syy"] for e in log.entries] == ["tyhjä rivi", "testirivi: koko arvo on testisana"]


# --- the column-wise rules against the cell-by-cell rules --------------------------------------

CELLS = ["", " ", "\t", "\u00a0", "\u3000", "1", " 1 ", "01", "-3", "+5", "3.0", "٣", "１", "12345678901234567890",
         "0", "50", "51", "Kyllä", "kyllä", " EI ", "ei", "Joo", "5.3.2024", " 5.3.2024 ", "05.03.2024", "31.2.2024",
         "5.3.24", "5.3.2024\n", "1.1.2024 10:00", " 2.9.2024 20:45", "alku", " loppu", "Alku", "x", "testi",
         "Täysin samaa mieltä", " Täysin eri mieltä", "En", "1.0"]


def _reference(values: pd.Series, column: Column):
    """The rule cell by cell, as parse used to apply it."""
    parsed, bad = [], []
    for value in values:
        try:
            v = read.parse_cell(value, column)
        except ValueError:
            v, b = None, True
        else:
            b = v is not None and column.kind == "int" and not read._in_bounds(v, column)
        parsed.append(v)
        bad.append(b)
    return read._typed(parsed, column), np.array(bad)


@pytest.mark.parametrize("column", [
    Column("a", "a", "text"), Column("a", "a", "text", required=False),
    Column("a", "a", "int", lo=1, hi=50), Column("a", "a", "int", required=False, lo=0),
    Column("a", "a", "date"), Column("a", "a", "datetime", required=False), Column("a", "a", "yesno"),
    Column("a", "a", "choice", required=False, choices=("alku", "loppu")), Column("a", "a", "likert5", required=False),
    Column("a", "a", "checkbox", required=False)])
def test_column_wise_parsing_is_the_cell_rule(column):
    rng = random.Random(7)
    cells = [rng.choice(CELLS) for _ in range(400)]
    if column.kind == "int":
        cells = [c for c in cells if c != "12345678901234567890"]  # int64 cannot hold it (an error, as it was)
    values = pd.Series(cells, dtype="str")
    values[5] = np.nan  # a missing cell, as a short CSV line gives
    typed, bad = read.parse_column(values, column)
    expected, expected_bad = _reference(values, column)
    assert (bad == expected_bad).all()
    ok = ~bad
    pd.testing.assert_series_equal(pd.Series(typed)[ok].reset_index(drop=True),
                                   pd.Series(expected)[ok].reset_index(drop=True))
    assert pd.Series(typed).dtype == pd.Series(expected).dtype


def test_excel_cells_of_every_type_parse_as_the_cell_rule():
    cells = [1, 1.0, True, 2.5, -0.0, 0, None, float("nan"), "1", " 7 ", "  ", "Kyllä", "x",
             pd.Timestamp("2024-09-02 20:45").to_pydatetime(), "2.9.2024 20:45"] * 3
    values = pd.Series(cells, dtype=object)
    for column in (Column("a", "a", "int", required=False, lo=0, hi=10), Column("a", "a", "text", required=False),
                   Column("a", "a", "checkbox", required=False), Column("a", "a", "datetime", required=False)):
        typed, bad = read.parse_column(values, column)
        expected, expected_bad = _reference(values, column)
        assert (bad == expected_bad).all(), column.kind
        assert pd.Series(typed)[~bad].tolist() == pd.Series(expected)[~bad].tolist()


def test_junk_and_duplicates_match_the_row_rules():
    rng = random.Random(3)
    words = ["a", "b", " a", "", " ", "testi", " TEST ", "Testi-x", "testi x", "protesti", "ätesti", "TESTİ", "teſti"]
    cells = pd.DataFrame({c: pd.Series([rng.choice(words) for _ in range(300)], dtype="str") for c in "xyz"})
    cells.insert(0, ROW, np.arange(2, 302))
    export = Export("t", "t.csv", "", "", tuple(Column(c, c, "text", required=False, test_marker=c == "x")
                                                for c in "xyz"))
    log = CleaningLog()
    kept = clean._drop_junk(cells.copy(), export, "t.csv", log)
    # the rules as they were applied row by row
    rows = [list(r) for r in cells[list("xyz")].itertuples(index=False)]
    expected, first = [], {}
    for number, row in zip(cells[ROW], rows):
        if all(read.is_blank(v) for v in row):
            expected.append((number, "tyhjä rivi"))
    for number, row in zip(cells[ROW], rows):
        if all(read.is_blank(v) for v in row):
            continue
        marked = [(v, c) for v, c in zip(row, "xyz") if clean.is_test_value(v, identifier=c == "x")]
        if marked:
            value = marked[0][0].strip().lower()
            expected.append((number, clean.TEST_WORD if value in clean.TEST_WORDS else clean.TEST_ID))
    survivors = []
    for number, row in zip(cells[ROW], rows):
        if all(read.is_blank(v) for v in row) or any(clean.is_test_value(v, c == "x") for v, c in zip(row, "xyz")):
            continue
        if tuple(row) in first:
            expected.append((number, f"täsmällinen kaksoiskappale rivistä {first[tuple(row)]}"))
        else:
            first[tuple(row)] = number
            survivors.append(number)
    assert [(e["rivi"], e["syy"]) for e in log.entries] == expected
    assert kept[ROW].tolist() == survivors


# --- facts the column-wise code relies on ------------------------------------------------------

ALL_CHARACTERS = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000]


def test_arrow_whitespace_is_python_whitespace():
    python = {c for c in ALL_CHARACTERS if c.isspace()}
    padded = pa.array(["a" + c for c in ALL_CHARACTERS])
    trimmed = pc.utf8_trim_whitespace(padded).to_pylist()
    assert {c for c, t in zip(ALL_CHARACTERS, trimmed) if t == "a"} == python
    alone = pc.utf8_is_space(pa.array(ALL_CHARACTERS)).to_pylist()
    assert {c for c, s in zip(ALL_CHARACTERS, alone) if s} == python
    # every whitespace character starts or ends with a byte maybe_padded looks for
    assert all(read._EDGE[c.encode()[0]] and read._EDGE[c.encode()[-1]] for c in python)


def test_test_row_prefilter_misses_no_test_row():
    """Only the ASCII letters lower() to t, e or s (and no character lowers to several characters
    holding one), so a cell without TEST_CANDIDATE cannot be a test marker."""
    classes = re.findall(r"\[([^\]]+)\]", clean.TEST_CANDIDATE)
    assert "".join(classes[:3]) == "tTeEsS" and classes[3] == classes[0]
    assert {c for c in ALL_CHARACTERS if set(c.lower()) & set("tes")} == set("tTeEsS")
    assert all(w.startswith("test") for w in [*clean.TEST_WORDS, *clean.TEST_PREFIXES])
    cells = pd.Series(["TEST", " testi\t", "a testi", "teſti", "Testivastaus", "TESTI-1", "testasin", None],
                      dtype="str")
    assert clean._test_cells(cells).tolist() == [True, True, False, False, True, False, False, False]
    assert clean._test_cells(cells, identifier=True).tolist() == [True, True, False, False, True, True, False, False]


@pytest.mark.parametrize("body, arrow_reads", [
    ("1;2;3\r\n4;5;6\r\n", True),
    ("1;2;3\r\n\r\n;;\r\n \t;\u00a0;x\r\n", True),  # blank lines and whitespace stay as they are
    ("1;2;3\n4;5;6", True),
    ('"1;x";2;3\r\n', False),  # quotes: pandas decides
    ("1;2\r\n", False),  # a short line: pandas pads it
    ("1;2;3\r\n4;5;6;7\r\n", False),  # a long line: pandas names it
])
def test_arrow_reader_reads_what_pandas_reads(tmp_path, body, arrow_reads):
    path = tmp_path / "x.csv"
    path.write_bytes(("\ufeffa;b;c\r\n" + body).encode("utf-8"))
    fast = read._read_csv_arrow(path)
    assert (fast is not None) == arrow_reads
    if fast is not None:
        reference = pd.read_csv(io.BytesIO(path.read_bytes()), sep=";", encoding="utf-8-sig", dtype=str,
                                keep_default_na=False, skip_blank_lines=False)
        pd.testing.assert_frame_equal(fast, reference)


def test_excel_export_is_read_as_before(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Vastaajan numero", "Avoin"])
    for row in ([1, " hyvä "], [2, None], [None, None], [2, None], [3, "testi"]):
        sheet.append(row)
    path = tmp_path / "k.xlsx"
    book.save(path)
    export = Export("k", "k.xlsx", "", "", (Column("Vastaajan numero", "n", "int", lo=1),
                                            Column("Avoin", "avoin", "text", required=False)))
    log = CleaningLog()
    table = clean.clean_export(path, export, 2024, log)
    assert [(e["rivi"], e["syy"]) for e in log.entries] == [
        (4, "tyhjä rivi"), (6, "testirivi: koko arvo on testisana"), (5, "täsmällinen kaksoiskappale rivistä 3"),
        (2, "ylimääräiset välilyönnit poistettu")]
    assert table["n"].tolist() == [1, 2] and table["avoin"].tolist() == ["hyvä", pd.NA]
