"""Any year: a new year's sample is written and built end to end, with no code or catalogue edit
(2025 of the shared project of several years, conftest's `years_project`); the index of all years lists
what was built. A test that breaks an export builds 2025 again in a copy of its own."""

import hashlib
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from hyte_nb.__main__ import main as cli
from hyte_nb.pipeline import declared, index
from hyte_nb.core.paths import Paths


def _project(folder):
    """A project folder like the repository's, with no raw data yet."""
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, folder / name)
    (folder / "notebooks").symlink_to(ROOT / "notebooks")
    (folder / "tekstit").symlink_to(ROOT / "tekstit")  # the analyst's texts: only 2024's exist
    (folder / "data").mkdir()
    (folder / "data" / "reference").symlink_to(ROOT / "data" / "reference")
    return folder


@pytest.fixture(scope="module")
def year_2025(years_project):
    """The shared project (`sample --year 2025 --seed 7`, then `build --year 2025`, every page of
    both reports), the build's exit code and the files the sample wrote (relative paths)."""
    return years_project.folder, years_project.result["code"], years_project.result["sampled"]


def test_sample_writes_a_complete_year_and_its_survey_comparison_year(year_2025):
    root, _, written = year_2025
    hyte = sorted(p.name for p in (root / "data" / "raw" / "2025" / "hyte").iterdir())
    assert hyte == sorted(["asiakastapaamiset.csv", "tapahtumat.csv", "vapaaehtoisrekisteri.csv",
                           "asiakaspalaute.csv", "hyvinvointimittaukset.csv", "materiaalilataukset.csv",
                           "vapaaehtoiskysely.xlsx"])
    assert sorted(f"data/raw/2025/hyte/{name}" for name in hyte) == sorted(w for w in written if "/hyte/" in w)
    assert (root / "data" / "raw" / "2025" / "kysely" / "hyte_ohjaus_kysely_2025.xlsx").exists()
    # 2024 was missing when the sample ran (the shared project has the bundled 2024 in its place since)
    assert "data/raw/2024/kysely/hyte_ohjaus_kysely_2024.xlsx" in written
    # Both year folders say they hold generated data, so that their pages can say so.
    assert Paths.of(2025, "hyte", root).is_sample and "data/raw/2024/ESIMERKKIAINEISTO.txt" in written


def test_a_new_year_builds_both_reports_with_no_edit(year_2025):
    root, code, _ = year_2025
    assert code == 0
    status = json.loads((root / "reports" / "2025" / "tila.json").read_text(encoding="utf-8"))
    assert status == {"valmiit": ["hyte", "kysely"], "epaonnistuneet": []}
    pages = sorted(p.name for p in (root / "reports" / "2025" / "hyte").glob("*.html"))
    assert pages == ["00_puhdistus.html", "01_yleiskatsaus.html", "02_vapaaehtoiset.html", "03_seniorit.html",
                     "04_perheet.html", "05_nuoret.html", "06_aikuiset.html", "hyte_liitteet.html",
                     "hyte_tiivistelma.html", "index.html"]
    assert len(list((root / "reports" / "2025" / "kysely").glob("*.html"))) == 11
    # the summary of 2025: 2024's findings, filled with 2025's figures and worded by 2025's tests
    summary = (root / "reports" / "2025" / "hyte" / "hyte_tiivistelma.html").read_text(encoding="utf-8")
    assert "Sivun toimitetut tekstit ovat vuoden 2024 raportista" in summary and "tilastollisesti merkitsevä" in summary
    overview = (root / "reports" / "2025" / "hyte" / "01_yleiskatsaus.html").read_text(encoding="utf-8")
    assert "HYTE-raportti 2025" in overview
    assert "raporttia ei ole vielä julkaistu" in overview  # no published 2025 report to reconcile with
    # No texts written for 2025: the page uses 2024's, filled with 2025's figures, and says so.
    assert "Sivun toimitetut tekstit ovat vuoden 2024 raportista" in overview and "Onnistumisia" in overview


def test_every_figure_of_the_new_year_is_shown_as_text(year_2025):
    root, _, _ = year_2025
    figures = pd.read_parquet(root / "data" / "processed" / "2025" / "hyte" / "luvut.parquet")
    # every section's figures: in the appendix
    appendix = (root / "reports" / "2025" / "hyte" / "hyte_liitteet.html").read_text(encoding="utf-8")
    for fid in ("nuo_lataukset_fi", "nuo_lataukset_sv"):  # guide downloads: printed only as text in 2024
        assert figures.loc[fid, "nimi"] in appendix
    assert figures.loc["per_mentor_alku_n", "nimi"] in appendix  # mentoring's first meetings


def test_the_index_of_all_years_lists_the_built_year(year_2025):
    root, _, _ = year_2025
    page = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'href="2025/hyte/index.html"' in page and 'href="2025/kysely/index.html"' in page
    assert "Yhdessä yksinäisyys voitetaan – HYTE-raportti 2025" in page


def test_year_index_says_which_report_failed_and_root_index_lists_every_year(tmp_path):
    root = _project(tmp_path)
    reports = declared.load(root)
    index.write_year_index(root / "reports" / "2024", 2024, reports, ["hyte", "kysely"], {})
    index.write_year_index(root / "reports" / "2025", 2025, reports, ["hyte"],
                           {"kysely": "10_kysely_puhdistus.ipynb pysähtyi virheeseen:\n…"})
    index.write_root_index(root, reports)
    year = (root / "reports" / "2025" / "index.html").read_text(encoding="utf-8")
    assert "Raportin koonti epäonnistui" in year and "10_kysely_puhdistus.ipynb pysähtyi virheeseen: …" in year
    assert 'href="hyte/index.html"' in year and 'href="kysely/index.html"' not in year
    page = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert [int(y) for y in re.findall(r'<h2><a href="(\d{4})/index.html">', page)] == [2025, 2024]
    assert "Epäonnistui: kysely" in page


def test_previous_years_figures_are_shown_beside_this_years(tmp_path):
    from hyte_nb.core import figures

    now = pd.DataFrame({"arvo": [120.0, 40.0, 80.0], "n": pd.array([None, 50, 60], dtype="Int64"),
                        "nimi": ["Asiakkaita", "Osuus", "NPS"], "yksikko": ["lkm", "%", "nps"],
                        "osio": ["x", "x", "x"]}, index=pd.Index(["a", "b", "c"], name="id"))
    before = now.assign(arvo=[100.0, 45.0, 70.0])
    table = figures.section_table(now, "x", before, 2025)
    assert list(table.columns) == ["Luku", "2024", "2025", "n", "Muutos"]
    assert list(table["Muutos"]) == ["+20 (+20\u00a0%)", "\u22125\u00a0prosenttiyksikköä", "+10 pistettä"]


def test_the_package_ships_its_catalogues_and_templates(tmp_path):
    """`pip install .` (not only editable): the wheel carries every file the code reads."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True)
    names = zipfile.ZipFile(next(tmp_path.glob("hyte_nb-*.whl"))).namelist()
    for expected in ("hyte_nb/hyte/metadata/palvelut.yml", "hyte_nb/hyte/metadata/luvut.yml",
                     "hyte_nb/hyte/metadata/mittarit.yml", "hyte_nb/kysely/metadata/kysely.yml",
                     "hyte_nb/kysely/metadata/teemat.yml", "hyte_nb/core/etunimet.txt",
                     "hyte_nb/pipeline/templates/hyte/index.html.j2", "hyte_nb/pipeline/templates/hyte/hyte.css"):
        assert expected in names, expected


def test_a_rebuild_that_runs_no_notebook_imports_no_pandas():
    """What a rebuild with nothing changed loads (the build, its manifest, the index pages, the
    periods, the texts, suppression's settings) imports no pandas, matplotlib, nbconvert or
    papermill: pandas alone takes 0,7 s to import, a no-op rebuild of the sample 0,3 s in all."""
    import subprocess
    import sys

    code = ("import sys; from hyte_nb.pipeline import pipeline, index, manifest; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'numpy', 'pyarrow', 'matplotlib', "
            "'scipy', 'nbconvert', 'papermill'}))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_paths_follow_from_the_year_and_report():
    folder = Paths.of(2025, "kysely", ROOT)
    assert folder.raw == ROOT / "data" / "raw" / "2025" / "kysely"
    assert folder.processed == ROOT / "data" / "processed" / "2025" / "kysely"
    assert folder.executed == folder.processed / "muistiot"
    assert folder.reports == ROOT / "reports" / "2025" / "kysely"
    assert folder.reference == ROOT / "data" / "reference" / "kysely_2025_julkaistut_luvut.csv"
    assert folder.of_year(2024).raw == ROOT / "data" / "raw" / "2024" / "kysely"


def _hashes(folder):
    """Every file under folder (through links: a copy links what it does not change) -> its sha256."""
    return {(Path(d) / name).relative_to(folder): hashlib.sha256((Path(d) / name).read_bytes()).hexdigest()
            for d, _, names in os.walk(folder, followlinks=True) for name in names}


def _own_copy(source: Path, root: Path, exports: list[str], without: str | None = None) -> Path:
    """A copy of the shared project in which 2025 can be built again without writing into it:
    what a build of 2025 writes (its tables and executed notebooks, its pages, the page of every
    built year, the indexes and the manifest in reports/) and the `exports` the test changes are
    copied, everything else is a link; `without` is left out."""
    copied = {"data/processed/2025", "data/processed/kehitys", "reports/2025", *exports}

    def fill(folder: Path, into: Path) -> None:
        into.mkdir()
        for entry in folder.iterdir():
            name = entry.relative_to(source).as_posix()
            if name == without:
                continue
            if name in copied or folder.name == "reports" and entry.is_file():
                (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, into / entry.name)
            elif name == "reports" or any(c.startswith(f"{name}/") for c in copied):
                fill(entry, into / entry.name)
            else:
                (into / entry.name).symlink_to(entry)

    fill(source, root)
    return root


def test_a_failed_build_leaves_the_previous_pages_and_the_raw_data_as_they_were(year_2025, tmp_path):
    """In a copy with only the HYTE report's exports of 2025: a build in another folder runs every
    notebook again (a run's fingerprint names its files), so the survey, built there, would get
    new pages; here both reports' pages are the previous build's."""
    source, _, _ = year_2025
    root = _own_copy(source, tmp_path / "projekti", ["data/raw/2025/hyte/tapahtumat.csv"],
                     without="data/raw/2025/kysely")
    pages, raw = _hashes(root / "reports" / "2025"), _hashes(root / "data" / "raw")
    events = root / "data" / "raw" / "2025" / "hyte" / "tapahtumat.csv"
    original = events.read_bytes()
    events.write_bytes(original.replace(b";Perheparkki;", b";Perheparkkiii;", 1))
    try:
        assert cli(["--root", str(root), "build", "--year", "2025"]) == 1
        after = _hashes(root / "reports" / "2025")
        changed = {str(p) for p in set(after) | set(pages) if after.get(p) != pages.get(p)}
        assert changed == {"index.html", "tila.json"}  # only the year's index, which says what failed
        assert "Raportin koonti epäonnistui" in (root / "reports" / "2025" / "index.html").read_text(encoding="utf-8")
        assert not list((root / "reports").glob(".2025.uusi")) and not list((root / "reports").glob(".2025.vanha"))
    finally:
        events.write_bytes(original)
    assert _hashes(root / "data" / "raw") == raw  # the build never writes data/raw


def test_a_failed_survey_keeps_its_previous_pages_while_the_new_hyte_pages_are_published(year_2025, tmp_path):
    """Reports publish independently: the survey's export is broken, the HYTE report's data
    changed; the HYTE pages are the new build's, the survey's are the previous build's byte for
    byte, and the year's index names the failure with its message."""
    source, _, _ = year_2025
    survey_export = "data/raw/2025/kysely/hyte_ohjaus_kysely_2025.xlsx"
    root = _own_copy(source, tmp_path / "projekti", [survey_export, "data/raw/2025/hyte/tapahtumat.csv"])
    survey = root / survey_export
    survey.write_bytes(b"ei Excel-tiedosto")
    events = root / "data" / "raw" / "2025" / "hyte" / "tapahtumat.csv"
    lines = events.read_bytes().decode("utf-8").split("\n")
    fields = lines[1].split(";")
    fields[4] = str(int(fields[4]) + 1)  # one more participant in the first event
    lines[1] = ";".join(fields)
    events.write_bytes("\n".join(lines).encode("utf-8"))
    before = root / "data" / "processed" / "2025" / "hyte" / "luvut.parquet"
    encounters_before = pd.read_parquet(before).loc["kohtaamiset", "arvo"]
    OVERVIEW = Path("01_yleiskatsaus.html")
    survey_pages, hyte_pages = _hashes(root / "reports" / "2025" / "kysely"), _hashes(root / "reports" / "2025" / "hyte")

    assert cli(["--root", str(root), "build", "--year", "2025"]) == 1

    assert _hashes(root / "reports" / "2025" / "kysely") == survey_pages  # the previous build, untouched
    after = _hashes(root / "reports" / "2025" / "hyte")
    assert set(after) == set(hyte_pages) and after[OVERVIEW] != hyte_pages[OVERVIEW]
    encounters = pd.read_parquet(before).loc["kohtaamiset", "arvo"]
    assert encounters == encounters_before + 1
    overview = (root / "reports" / "2025" / "hyte" / "01_yleiskatsaus.html").read_text(encoding="utf-8")
    from hyte_nb.core import fmt

    assert fmt.number(encounters) in overview and fmt.number(encounters_before) not in overview
    year = (root / "reports" / "2025" / "index.html").read_text(encoding="utf-8")
    assert "Raportin koonti epäonnistui" in year
    failure = year.split("Raportin koonti epäonnistui")[1]
    assert "10_kysely_puhdistus.ipynb" in failure and "hyte_ohjaus_kysely_2025.xlsx" in failure  # the notebook and the file
    assert 'href="hyte/index.html"' in year and 'href="kysely/index.html"' in year  # the survey's previous pages
    status = json.loads((root / "reports" / "2025" / "tila.json").read_text(encoding="utf-8"))
    assert status == {"valmiit": ["hyte", "kysely"], "epaonnistuneet": ["kysely"]}
    assert not [p.name for p in (root / "reports").rglob("*") if p.name.endswith((".uusi", ".vanha"))]
