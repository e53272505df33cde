import filecmp

from openpyxl import load_workbook

from conftest import ROOT
from hyte_nb.core.audit import apportion
from hyte_nb.core.paths import Paths
from hyte_nb.core.schema import LIKERT5
from hyte_nb.hyte.exports import EVENTS, HYTE_EXPORTS, VOLUNTEER_SURVEY
from hyte_nb.hyte.sample import write_sample
from hyte_nb.kysely.questionnaire import survey_export
from hyte_nb.kysely.sample import write_survey_sample

RAW_2024 = Paths.of(2024, "hyte", ROOT).raw


def test_generator_is_deterministic_and_matches_the_bundled_sample(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    write_sample(Paths.of(2024, "hyte", ROOT, raw=first))
    write_sample(Paths.of(2024, "hyte", ROOT, raw=second))
    for export in HYTE_EXPORTS:
        name = export.filename
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        # The committed sample is exactly what the generator writes (nobody edited it by hand).
        assert filecmp.cmp(first / name, RAW_2024 / name, shallow=False), name


def test_csv_exports_use_finnish_locale_conventions():
    raw = (RAW_2024 / "tapahtumat.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    header, first = raw.decode("utf-8-sig").split("\r\n")[:2]
    assert header.split(";") == [c.raw for c in EVENTS.columns]
    day = first.split(";")[1]
    assert day.count(".") == 2 and not day.startswith("0")  # d.m.yyyy


def test_webropol_export_is_real_xlsx_with_question_texts_as_headers():
    sheet = load_workbook(RAW_2024 / "vapaaehtoiskysely.xlsx", read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.raw for c in VOLUNTEER_SURVEY.columns]
    assert len(rows) == 1 + 345 + 1  # header, respondents, one test response
    assert rows[1][2] in LIKERT5


def test_apportion_keeps_each_share_and_the_total():
    counts, possible = apportion({"a": 44, "b": 25, "c": 8, "d": 7, "e": 6, "f": 4, "g": 3, "h": 3}, 948)
    assert possible and sum(counts.values()) == 948
    assert all(round(100 * counts[k] / 948) == p for k, p in
               {"a": 44, "b": 25, "c": 8, "d": 7, "e": 6, "f": 4, "g": 3, "h": 3}.items())


def test_survey_generator_is_deterministic_and_matches_the_bundled_exports(tmp_path):
    for year in (2024, 2023):
        first = write_survey_sample(Paths.of(year, "kysely", ROOT, raw=tmp_path / "a"))
        second = write_survey_sample(Paths.of(year, "kysely", ROOT, raw=tmp_path / "b"))
        assert first.read_bytes() == second.read_bytes()
        assert first.read_bytes() == (Paths.of(year, "kysely", ROOT).raw / first.name).read_bytes()


def test_survey_export_is_webropol_shaped():
    sheet = load_workbook(Paths.of(2024, "kysely", ROOT).raw / survey_export(2024).filename, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:3] == ["Vastaajan numero", "Aloitusaika", "Lähetysaika"]
    assert "Millaiseen hyte-toimintaan ohjaat useimmiten? - Liikunta" in header  # one column per checkbox option
    assert "Miten sujuvaa hyte-ohjaus on seuraavien toimijoiden piiriin? - Kunnat" in header  # matrix row
    assert len(rows) == 1 + 123 + 1  # header, respondents, a test response
    checkbox = header.index("Millaiseen hyte-toimintaan ohjaat useimmiten? - Liikunta")
    assert {r[checkbox] for r in rows[1:]} <= {1, None}
    with_2023 = load_workbook(Paths.of(2023, "kysely", ROOT).raw / survey_export(2023).filename, read_only=True)
    header_2023 = next(with_2023.worksheets[0].iter_rows(values_only=True))
    assert not any(str(h).startswith("Miksi hyte-ohjaus jää") for h in header_2023)  # asked only in 2024


def test_volunteer_start_dates_vary_like_a_real_registry():
    """Not all in year - 8 (as they once were): most began within the last few years, some have
    served for ten years or more; none after the year's end, none before the volunteer was 16."""
    import pandas as pd

    registry = pd.read_csv(RAW_2024 / "vapaaehtoisrekisteri.csv", sep=";", encoding="utf-8-sig").dropna(how="all")  # planted blank rows
    starts = pd.to_datetime(registry["Aloituspäivä"], format="%d.%m.%Y")
    years = starts.dt.year
    assert starts.max() <= pd.Timestamp(2024, 12, 31)
    assert (years - registry["Syntymävuosi"] >= 16).all()
    assert years.nunique() >= 10
    assert (years >= 2022).mean() > 0.5  # most within the last three years
    assert 0 < (years <= 2014).sum() < 0.1 * len(years)  # a few long-serving ones
