"""Shared fixtures: the bundled 2024 sample, and one project of several years, each built once
for the whole test run.

`make test` runs the suite on every core (pytest-xdist, one worker per core, whole files per
worker: pyproject.toml's addopts). The end-to-end build of the sample year is the costly part,
so every page test reads one build of it:

- `sample_build`: both reports of the bundled 2024 sample, built by papermill and nbconvert
  once per test run, into a temporary folder (never the project's own data/processed or
  reports). The first worker that needs it builds it; the others wait for it (a file lock) and
  read the same folder. Read it, never write into it: every worker sees the same files.
- `built` (HYTE) and `built_survey` (the survey) are views of that one build, as before:
  `out, pages = built` gives out / "reports" (the pages) and out / "processed" (clean tables,
  luvut.parquet, puhdistusloki.csv); `reports, folder = built_survey` gives the pages and the
  survey's `Paths`.

- `sample_pdfs`: both reports of that build printed to PDF once per run, with one browser.

- `years_project`: one project of four years, built the same way once per run: 2023 and 2024 (their
  cleaning notebooks), 2025 (a generated year, every page) and a running year 2026 (every page,
  the day pinned, personal data planted into its open answers). `three_years` and
  `three_years_rebuild` are views of it for the page of every built year; test_years reads its
  2025, test_running_year and test_personal_data its 2026.

A new page test takes `built` or `built_survey` (or `sample_build`) as an argument and costs no
build; a test of another year or of several takes `years_project`. A test that needs other input (a
damaged export, a rebuild after a failure) builds its own in its own folder: copy only the files
it changes and link the rest (see tests/test_corrupted.py and test_years.py's `_own_copy`), and
build only the report it needs. Anything else costly that several files need once per run can
use `once_per_run` the same way `sample_build` does.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock

from hyte_nb.pipeline import declared, pipeline
from hyte_nb.core.paths import Paths

ROOT = Path(__file__).resolve().parent.parent  # the project folder: reports.yml, notebooks/, data/
SAMPLE_YEAR = 2024


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], object]) -> tuple[Path, object]:
    """`make(folder)` once for the whole test run, in a folder shared by every xdist worker:
    the first worker to get here runs it under a file lock, the others wait and read its result
    (JSON). A failure is kept too, so that each worker reports it instead of trying again.
    Returns the folder and the result. Call it from a session-scoped fixture."""
    if "PYTEST_XDIST_WORKER" not in os.environ:  # one process: a session fixture already runs once
        folder = tmp_path_factory.mktemp(name, numbered=False)
        return folder, make(folder)
    run = tmp_path_factory.getbasetemp().parent  # pytest-N/, one per run; each worker has its popen-gwN/ in it
    folder, result, failure = run / name, run / f"{name}.json", run / f"{name}.virhe"
    with FileLock(run / f"{name}.lock"):
        if result.exists():
            return folder, json.loads(result.read_text(encoding="utf-8"))
        if failure.exists():
            pytest.fail(f"{name} epäonnistui toisessa työprosessissa:\n{failure.read_text(encoding='utf-8')}")
        folder.mkdir()
        try:
            value = make(folder)
        except BaseException as error:
            failure.write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
            raise
        result.write_text(json.dumps(value), encoding="utf-8")
        return folder, value


@dataclass(frozen=True)
class SampleBuild:
    """Both reports of the bundled sample year, built into `folder`: <report>/processed and
    <report>/reports for each report."""

    folder: Path
    pages: dict[str, list[Path]]  # report key -> its pages in the order they were built

    def paths(self, report: str) -> Paths:
        out = self.folder / report
        return Paths.of(SAMPLE_YEAR, report, ROOT, processed=out / "processed", reports=out / "reports")


def _build_sample(folder: Path) -> dict[str, list[str]]:
    reports = declared.load(ROOT)
    build = SampleBuild(folder, {})
    pages = pipeline.build_reports([(reports[key], build.paths(key)) for key in ("hyte", "kysely")])
    return {key: [str(p) for p in found] for key, found in pages.items()}


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> SampleBuild:
    """The bundled sample year, both reports, built once per test run (see the module's docstring)."""
    folder, pages = once_per_run(tmp_path_factory, "esimerkkivuosi", _build_sample)
    return SampleBuild(folder, {key: [Path(p) for p in found] for key, found in pages.items()})


@pytest.fixture(scope="session")
def built(sample_build):
    """The HYTE report of the shared build: (folder with reports/ and processed/, its pages)."""
    return sample_build.folder / "hyte", sample_build.pages["hyte"]


@pytest.fixture(scope="session")
def built_survey(sample_build):
    """The survey report of the shared build: (its pages' folder, its Paths)."""
    folder = sample_build.paths("kysely")
    return folder.reports, folder


@pytest.fixture(scope="session")
def sample_pdfs(sample_build, tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Both reports of the shared build printed once per run, with one browser, beside their
    pages (hyte_nb/pipeline/pdf.py): report key -> (story PDF, appendix PDF). test_pdf and
    test_story read the same files."""
    import shutil

    from hyte_nb.pipeline import pdf

    sync_api = pytest.importorskip("playwright.sync_api")
    if pdf.find_chromium() is None or shutil.which("pdfinfo") is None:
        pytest.skip("Chromium and poppler-utils are installed by `make test`")

    def make(_folder: Path) -> dict[str, list[str]]:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=pdf.find_chromium(), headless=True,
                                                 args=pdf.LAUNCH_ARGS)
            try:
                out = {}
                for key in ("hyte", "kysely"):
                    story = pdf.print_report(sample_build.paths(key).reports, ROOT, browser=browser)
                    out[key] = [str(story), str(story.with_name(f"{story.stem}_liitteet.pdf"))]
            finally:
                browser.close()
        return out

    _, printed = once_per_run(tmp_path_factory, "esimerkkivuoden_pdf", make)
    return {key: (Path(story), Path(appendix)) for key, (story, appendix) in printed.items()}


# The files that take longest (a build of their own, the browser), measured with
# `make benchmark ARGS=--tests`: xdist hands out whole files in this order, so that the long
# ones start first and the workers finish together. Files not listed follow in their own order.
# test_personal_data builds the project of several years on one worker while the other builds
# the sample (test_story) and then the files with builds of their own; the files that only read
# the project of several years (test_years, test_running_year, test_trends, test_browser, test_pdf) come
# after those, when it is built, so that no worker waits for the other's build.
LONGEST_FIRST = ["test_personal_data.py", "test_story.py", "test_survey_years.py", "test_new_organisation.py",
                 "test_survey_changed.py", "test_corrupted.py", "test_survey_pages.py", "test_suppression_pages.py",
                 "test_years.py", "test_running_year.py", "test_trends.py", "test_browser.py", "test_pdf.py",
                 "test_properties.py"]


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: each file keeps its order


def page_text(soup) -> str:
    """What a reader sees of a page (or part of one): no styles, scripts or heading anchors,
    whitespace and no-break spaces as single spaces."""
    soup = BeautifulSoup(str(soup), "html.parser")
    for tag in soup(["style", "script"]):
        tag.decompose()
    for tag in soup.select("a.anchor-link"):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" ")).replace("\u00a0", " ")


# -- one project of several years: three years in a row and a running year ----------------------------
REWORDED = {  # the usefulness question reworded in 2025: the same figure ids, a new wording
    "key": "hyodyllisyys_2025", "teksti": "Miten hyödyllisenä pidät hyte-toimintaan ohjaamista omassa työssäsi?",
    "lyhyesti": "Hyte-ohjaamisen hyödyllisyys omassa työssä", "tyyppi": "valinta", "jarjestetty": True,
    "osio": "hyte_ohjaus", "alkaen": 2025,
    "vaihtoehdot": [{"teksti": "Erittäin hyödyllisenä", "id": "ky_hyodyllisyys_hyodyllinen"},
                    {"teksti": "Melko hyödyllisenä", "id": "ky_hyodyllisyys_melko_hyodyllinen"},
                    {"teksti": "Melko hyödyttömänä", "id": "ky_hyodyllisyys_melko_hyodyton"},
                    {"teksti": "Hyödyttömänä", "id": "ky_hyodyllisyys_hyodyton"}]}
SUPPRESSED_FIGURE = "ky_vastuu_konserni"  # 3 respondents in 2023 and 4 in 2024: hidden on the pages
RUNNING_DAY, NEXT_DAY = "2026-12-04", "2026-12-05"  # HYTE_NB_TANAAN while the running year 2026 is built


@dataclass(frozen=True)
class Years:
    """The shared project of several years (`years_project`). `folder`: 2023, 2024 and 2025;
    `running`: the running year 2026, a folder of its own whose last year (2025's exports and
    clean tables) are links to `folder`'s. `result`: what the build captured on the way (JSON)."""

    folder: Path
    running: Path
    result: dict


@pytest.fixture(scope="session")
def years_project(tmp_path_factory) -> Years:
    """One project, four years, built year by year with the build's own command, once per run
    (`once_per_run`: every worker reads the same folders, never writes into them):

    - 2023: the bundled survey and a generated HYTE year (seed 7); 2024: the bundled sample;
      both built with reports.yml declaring no section pages (each report's cleaning notebook,
      which writes the figures table, and the page of every built year);
    - 2025: `sample --year 2025 --seed 7` (run first, while 2024 is missing, so that it writes the
      survey's comparison year too, then 2024 becomes the bundled sample), built with every page
      of both reports, then built again with nothing changed;
    - 2026, the running year: `sample --year 2026 --seed 3` on 4.12.2026 (HYTE_NB_TANAAN), every
      page of both reports built that day, again that day and again the next day.

    The project's questionnaire rewords one question in 2025 (a break in its series), and the
    page of every built year also shows a background share that small-count suppression hides.
    Personal data is planted (tests/planting.py) into the open answers of 2026 and of
    2025's survey (2026's comparison year) before they are built.

    Readers: test_trends, test_pdf and test_browser (`three_years`, `three_years_rebuild`),
    test_years (2025), test_running_year and test_personal_data (2026). 2026 is built in a folder
    of its own so that the page of every built year, its tidy file and the figures of the three
    years stay as the three years' readers expect them."""
    folder, result = once_per_run(tmp_path_factory, "vuodet", _build_years)
    return Years(folder / "projekti", folder / "kesken", result)


@pytest.fixture(scope="session")
def three_years(years_project):
    """The folder of 2023–2025 (`years_project`) and the text of the page of every built year
    after each of the three years' builds."""
    return years_project.folder, {int(year): text for year, text in years_project.result["pages"].items()}


@pytest.fixture(scope="session")
def three_years_rebuild(years_project):
    """What a second build of 2025 printed (its lines) and the page of every built year's
    modification time before and after it. Done right after the first, in the build of
    `years_project`, so that no reader of the folder sees a file rewritten under it."""
    return years_project.result["rebuild"]


def _build_years(folder: Path) -> dict:
    import contextlib
    import io
    import shutil

    import yaml

    from hyte_nb.__main__ import main as cli
    from hyte_nb.core import catalog, period
    from hyte_nb.hyte import sample as hyte_sample
    from hyte_nb.kysely import questionnaire
    from planting import plant_survey, plant_year

    def printed_by(*args) -> tuple[int, list[str]]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = cli(["--root", str(root), *args])
        return code, out.getvalue().splitlines()

    def page() -> str:
        html = (root / "reports" / "kehitys.html").read_text(encoding="utf-8")
        return page_text(BeautifulSoup(html, "html.parser"))

    # -- 2023, 2024 and 2025 --
    root = folder / "projekti"
    root.mkdir()
    spec = yaml.safe_load((ROOT / "reports.yml").read_text(encoding="utf-8"))
    spec["kehitys"]["raportit"]["kysely"]["luvut"].append(SUPPRESSED_FIGURE)
    every_page = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    for report in spec["raportit"].values():
        report["sivut"] = []
    (root / "reports.yml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(ROOT / "organisaatio.yml", root / "organisaatio.yml")
    catalogue = catalog.load(questionnaire.PACKAGE, "kysely")
    by_key = {q["key"]: q for q in catalogue["kysymykset"]}
    by_key["hyodyllisyys"]["asti"] = 2024
    catalogue["kysymykset"].insert(list(by_key).index("hyodyllisyys") + 1, REWORDED)
    (root / "kysely.yml").write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("notebooks", "tekstit"):
        (root / name).symlink_to(ROOT / name)
    raw = root / "data" / "raw"
    raw.mkdir(parents=True)
    (root / "data" / "reference").symlink_to(ROOT / "data" / "reference")
    result = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HYTE_NB_ROOT", str(root))  # this process reads the project's questionnaire too
        code, written = printed_by("sample", "--year", "2025", "--seed", "7")
        assert code == 0
        result["sampled"] = [Path(line).relative_to(root).as_posix() for line in written]
        shutil.rmtree(raw / "2024")  # the generated comparison year gives way to the bundled sample
        (raw / "2024").symlink_to(ROOT / "data" / "raw" / "2024")  # read only: the build never writes data/raw
        (raw / "2023").mkdir()
        for name in ("kysely", "ESIMERKKIAINEISTO.txt"):
            (raw / "2023" / name).symlink_to(ROOT / "data" / "raw" / "2023" / name)
        hyte_sample.write_sample(Paths.of(2023, "hyte", root), 7)  # a HYTE year before the bundled one
        result["planted"] = plant_survey(root, 2025)
        result["pages"] = {}
        for year in (2023, 2024, 2025):
            if year == 2025:
                (root / "reports.yml").write_text(every_page, encoding="utf-8")
            result["code"] = cli(["--root", str(root), "build", "--year", str(year)])
            assert result["code"] == 0, f"the build of {year} failed"
            result["pages"][year] = page()
        before = (root / "reports" / "kehitys.html").stat().st_mtime_ns
        code, lines = printed_by("build", "--year", "2025")
        result["rebuild"] = {"code": code, "lines": lines, "before": before,
                             "after": (root / "reports" / "kehitys.html").stat().st_mtime_ns}

    # -- 2026, a year still running, in a folder of its own with 2025 as its last year --
    from hyte_nb.pipeline import pipeline

    running = folder / "kesken"
    running.mkdir()
    for name in ("reports.yml", "organisaatio.yml", "kysely.yml"):
        (running / name).symlink_to(root / name)
    for name in ("notebooks", "tekstit"):
        (running / name).symlink_to(ROOT / name)
    for name in ("raw", "processed"):  # last year's exports and clean tables: read only
        (running / "data" / name).mkdir(parents=True)
        (running / "data" / name / "2025").symlink_to(root / "data" / name / "2025")
    (running / "data" / "reference").symlink_to(ROOT / "data" / "reference")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HYTE_NB_ROOT", str(running))
        patch.setenv(period.ENV, RUNNING_DAY)  # the build's kernels inherit it
        assert cli(["--root", str(running), "sample", "--year", "2026", "--seed", "3"]) == 0
        result["planted"] |= plant_year(running, 2026)
        builds = [pipeline.build_year(2026, running, quiet=True), pipeline.build_year(2026, running, quiet=True)]
        patch.setenv(period.ENV, NEXT_DAY)
        builds.append(pipeline.build_year(2026, running, quiet=True))
    result["running"] = [{"built": b.built, "failed": b.failed,
                          "outcomes": [{"run": o.task.name, "cleaning": o.task.cleaning, "status": o.status}
                                       for o in b.outcomes]} for b in builds]
    return result
