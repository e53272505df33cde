"""A year still running: the sample never writes a date after the day it runs, the cleaning
says what period the data covers, every page header and index shows it, and last year's
figures beside this year's are those of the same period. The day is pinned with
HYTE_NB_TANAAN (a real day in the past), so the tests give the same result on any later day."""

import json
import re
import zipfile
from datetime import date, datetime

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from conftest import ROOT, RUNNING_DAY, page_text
from hyte_nb.__main__ import main as cli
from hyte_nb.pipeline import declared, manifest, pipeline
from hyte_nb.pipeline.samples import write_year
from hyte_nb.core import fmt, period
from hyte_nb.core.paths import Paths
from hyte_nb.core.read import ExportError
from hyte_nb.hyte import cleaning, figures
from hyte_nb.hyte.exports import EVENTS
from hyte_nb.hyte.sample import CALIBRATED_YEAR, SampleGenerator
from test_years import _project

DAY = date(2026, 12, 4)
PINNED = RUNNING_DAY  # "2026-12-04": the day the shared project's running year is built
DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def dates_in(folder) -> dict[str, date]:
    """The latest date of each file under folder: d.m.yyyy in CSV text, dates and times in the
    cells of an xlsx and the timestamps of its zip members and document properties."""
    latest = {}

    def see(name, day):
        latest[name] = max(latest.get(name, day), day)

    for path in sorted(folder.rglob("*")):
        if path.suffix == ".csv":
            for m in DATE.finditer(path.read_text(encoding="utf-8-sig")):
                see(path.name, date(int(m[3]), int(m[2]), int(m[1])))
        elif path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True)
            for row in book.worksheets[0].iter_rows(values_only=True):
                for value in row:
                    if isinstance(value, datetime):
                        see(path.name, value.date())
            see(path.name, book.properties.created.date())
            see(path.name, book.properties.modified.date())
            with zipfile.ZipFile(path) as archive:
                for info in archive.infolist():
                    see(path.name, date(*info.date_time[:3]))
    return latest


# -- the generator ---------------------------------------------------------------------------------
def test_a_running_years_sample_writes_no_date_after_the_day_and_the_same_files_that_day(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        _project(folder)
    written = write_year(first, 2026, 3, DAY)
    write_year(second, 2026, 3, DAY)
    latest = dates_in(first / "data" / "raw" / "2026")
    assert len(latest) == 11 and max(latest.values()) <= DAY, {k: v for k, v in latest.items() if v > DAY}
    # The records run up to the day itself: the sample covers 1.1.-today.
    assert latest["asiakastapaamiset.csv"] == DAY and latest["materiaalilataukset.csv"] == DAY
    for path in written:
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path.name


def test_in_march_the_surveys_are_held_inside_the_elapsed_period(tmp_path):
    day = date(2026, 3, 15)
    write_year(_project(tmp_path), 2026, 3, day)
    raw = tmp_path / "data" / "raw" / "2026"
    latest = dates_in(raw)
    assert max(latest.values()) <= day, {k: v for k, v in latest.items() if v > day}
    # The volunteer survey (2.9.-30.9. in a full year) closes on the day, all its respondents in.
    book = load_workbook(raw / "hyte" / "vapaaehtoiskysely.xlsx", read_only=True)
    times = [r[1] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True) if r[1]]
    assert len(times) > 300 and min(times) >= datetime(2026, 2, 15) and max(times).date() == day
    # The staff are counted no later than the day (31.8. in a full year).
    assert latest["henkilosto.csv"] == day


def test_a_running_year_is_the_full_year_cut_at_the_day():
    """Volumes follow the elapsed share: a later day has the earlier day's records and more."""
    reference = Paths.of(CALIBRATED_YEAR, "hyte", ROOT).reference
    march = SampleGenerator(2026, reference, 3, date(2026, 3, 15)).build()
    december = SampleGenerator(2026, reference, 3, DAY).build()
    for key in ("asiakastapaamiset", "tapahtumat", "asiakaspalaute", "materiaalilataukset"):
        early = december[key][pd.to_datetime(december[key]["pvm"]) <= pd.Timestamp(2026, 3, 15)]
        assert early.reset_index(drop=True).equals(march[key]), key
    share = len(march["tapahtumat"]) / len(december["tapahtumat"])
    assert abs(share - 74 / 338) < 0.04  # 74 of 338 days


def test_a_future_year_is_refused_in_finnish(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv(period.ENV, PINNED)
    root = _project(tmp_path)
    assert cli(["--root", str(root), "sample", "--year", "2027"]) == 1
    assert "Vuosi 2027 ei ole vielä alkanut (tänään on 4.12.2026)" in capsys.readouterr().err
    assert not (root / "data" / "raw" / "2027").exists()


def test_the_day_can_be_pinned_but_never_to_the_future(monkeypatch):
    monkeypatch.setenv(period.ENV, "4.12.2026")
    assert period.today() == DAY
    monkeypatch.setenv(period.ENV, "2999-01-01")
    with pytest.raises(ValueError, match="HYTE_NB_TANAAN=2999-01-01: päivä on tulevaisuudessa"):
        period.today()
    monkeypatch.setenv(period.ENV, "huomenna")
    with pytest.raises(ValueError, match="odotettiin päivämäärä muodossa vvvv-kk-pp tai p.k.vvvv"):
        period.today()


def test_the_period_of_a_year():
    assert period.of_data(2025, pd.Timestamp(2025, 11, 30), DAY) == period.Period(2025, date(2025, 12, 31))
    running = period.of_data(2026, pd.Timestamp(2026, 12, 3, 14), DAY)
    assert running.line() == "Ajanjakso 1.1.–3.12.2026 (vuosi kesken)" and running.days == 337
    assert period.of_data(2026, None, DAY).label() == "1.1.–4.12.2026"
    assert running.same_in(2025).label() == "1.1.–3.12.2025"
    assert period.Period(2028, date(2028, 2, 29)).same_in(2027).label() == "1.1.–28.2.2027"


# -- the build of a running year -------------------------------------------------------------------
@pytest.fixture(scope="module")
def running(years_project):
    """The running year of the shared project (conftest's `years_project`): 2025 cleaned (last year's
    tables, `sample --year 2025 --seed 7`), 2026 sampled (seed 3) and built on 4.12.2026, built
    again that day and the next day. Its folder and what each of the three builds did (built,
    failed, each run's name, whether it is a cleaning, its status)."""
    return years_project.running, *years_project.result["running"]


def test_the_running_year_builds_and_says_its_period_on_every_page(running):
    root, result, _, _ = running
    assert result["failed"] == {} and result["built"] == ["hyte", "kysely"]
    hyte = json.loads((root / "data" / "processed" / "2026" / "hyte" / "ajanjakso.json").read_text(encoding="utf-8"))
    assert hyte == {"vuosi": 2026, "alku": "2026-01-01", "loppu": "2026-12-04", "kesken": True}
    survey = period.read(root / "data" / "processed" / "2026" / "kysely")
    assert not survey.complete and survey.end <= DAY  # the latest answer's day
    lines = {"hyte": "Ajanjakso 1.1.–4.12.2026 (vuosi kesken) · vertailu: sama ajanjakso 1.1.–4.12.2025",
             "kysely": survey.line()}
    for key, line in lines.items():
        pages = sorted((root / "reports" / "2026" / key).glob("*.html"))
        assert len(pages) >= 8
        for page in pages:
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            shown = soup.select_one(".sivun-ylaosa .ajanjakso") or soup.select_one("main .ajanjakso")
            assert shown is not None and page_text(shown).strip() == line, page.name


def test_the_indexes_say_the_period(running):
    root, _, _, _ = running
    survey = period.read(root / "data" / "processed" / "2026" / "kysely")
    for index in (root / "reports" / "2026" / "index.html", root / "reports" / "index.html"):
        text = page_text(BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser"))
        assert "HYTE-raportti 2026 (1.1.–4.12.2026, vuosi kesken)" in text, index
        assert f"hyte-ohjaamisesta 2026 ({survey.label()}, vuosi kesken)" in text, index


def test_last_years_figures_beside_are_those_of_the_same_period(running):
    root, _, _, _ = running
    tables = cleaning.load_processed(Paths.of(2025, "hyte", root).processed)
    events = tables["tapahtumat"]
    same = pd.read_parquet(root / "data" / "processed" / "2026" / "hyte" / figures.SAME_PERIOD)
    whole = figures.compute_all(tables, 2025)
    assert same.loc["tapahtumat", "arvo"] == (events["pvm"] <= pd.Timestamp(2025, 12, 4)).sum()
    assert same.loc["tapahtumat", "arvo"] < whole.loc["tapahtumat", "arvo"] == len(events)
    # every section's figures, with last year's beside them, are in the appendix (the overview's first)
    page = BeautifulSoup((root / "reports" / "2026" / "hyte" / "hyte_liitteet.html").read_text(encoding="utf-8"),
                         "html.parser")
    folded = page.find("summary", string=re.compile("Osion kaikki luvut"))
    assert page_text(folded).strip().endswith("ja vuosi 2025 samalta ajanjaksolta 1.1.–4.12.2025")
    assert "Vuosi 2026 on kesken (1.1.–4.12.2026), joten vertailu: sama ajanjakso 1.1.–4.12.2025." in page_text(page)
    row = next(r for r in page.select("details tr") if "Tapahtumia" in page_text(r))
    this_year = pd.read_parquet(root / "data" / "processed" / "2026" / "hyte" / "luvut.parquet")
    assert [page_text(c).strip() for c in row.find_all("td")][:3] == \
        ["Tapahtumia", *(fmt.number(t.loc["tapahtumat", "arvo"]).replace("\u00a0", " ") for t in (same, this_year))]
    comparison = (root / "reports" / "2026" / "kysely" / "15_vertailu.html").read_text(encoding="utf-8")
    assert "verrataan vuoden 2025 kyselyyn kokonaisuudessaan" in page_text(BeautifulSoup(comparison, "html.parser"))


def test_the_day_is_an_input_of_a_running_years_cleaning_only(running):
    _, _, again, next_day = running
    assert {o["status"] for o in again["outcomes"]} == {"ohitettu"}  # the same day: nothing runs again
    reran = sorted(o["run"] for o in next_day["outcomes"] if o["status"] == "valmis")
    assert reran == ["2026/hyte/00_puhdistus", "2026/kysely/10_puhdistus"]  # the data still end 4.12.
    assert {o["status"] for o in next_day["outcomes"] if not o["cleaning"]} == {"ohitettu"}


def test_a_finished_years_runs_do_not_depend_on_the_day(monkeypatch):
    monkeypatch.setenv(period.ENV, PINNED)
    report = declared.load(ROOT)["hyte"]
    finished = pipeline.Task(report, report.cleaning, Paths.of(2025, "hyte", ROOT), cleaning=True)
    assert manifest.day_of(finished) == ""
    assert not any(p.is_relative_to(Paths.of(2024, "hyte", ROOT).processed) for p in manifest.inputs_of(finished))
    running_task = pipeline.Task(report, report.cleaning, Paths.of(2026, "hyte", ROOT), cleaning=True)
    assert manifest.day_of(running_task) == PINNED


def test_the_validator_still_refuses_a_date_after_the_day(running, tmp_path, monkeypatch):
    monkeypatch.setenv(period.ENV, PINNED)
    root, _, _, _ = running
    lines = (root / "data" / "raw" / "2026" / "hyte" / EVENTS.filename).read_text(encoding="utf-8-sig").splitlines()
    i = next(i for i, line in enumerate(lines) if re.match(r"T\d{5};", line))  # an event, not a planted row
    lines[i] = DATE.sub("5.12.2026", lines[i], count=1)
    path = tmp_path / EVENTS.filename
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    with pytest.raises(ExportError) as error:
        cleaning.clean_one(path, EVENTS, 2026, cleaning.CleaningLog())
    assert (f"{path}, rivi {i + 1}, sarake 'Päivämäärä': arvo 5.12.2026 – odotettiin: päiväys viimeistään 4.12.2026 "
            f"(ei tulevaisuudessa)") in str(error.value)
