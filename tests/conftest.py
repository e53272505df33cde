"""Shared fixtures: the bundled 2024 sample built once for the whole test run.

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

A new page test takes `built` or `built_survey` (or `sample_build`) as an argument and costs no
build. A test that needs other input (a damaged export, another year, planted data) builds its
own in its own folder: copy only the files it changes and link the rest (see tests/test_corrupted.py),
and build only the report it needs. Anything else costly that several files need once per run
can use `once_per_run` the same way `sample_build` does.
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
LONGEST_FIRST = ["test_personal_data.py", "test_browser.py", "test_years.py", "test_running_year.py",
                 "test_trends.py", "test_survey_years.py", "test_corrupted.py", "test_survey_pages.py",
                 "test_suppression_pages.py", "test_story.py", "test_pdf.py", "test_properties.py"]


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


# -- three years in a row (the page of every built year) -------------------------------------------
REWORDED = {  # the usefulness question reworded in 2025: the same figure ids, a new wording
    "key": "hyodyllisyys_2025", "teksti": "Miten hyödyllisenä pidät hyte-toimintaan ohjaamista omassa työssäsi?",
    "lyhyesti": "Hyte-ohjaamisen hyödyllisyys omassa työssä", "tyyppi": "valinta", "jarjestetty": True,
    "osio": "hyte_ohjaus", "alkaen": 2025,
    "vaihtoehdot": [{"teksti": "Erittäin hyödyllisenä", "id": "ky_hyodyllisyys_hyodyllinen"},
                    {"teksti": "Melko hyödyllisenä", "id": "ky_hyodyllisyys_melko_hyodyllinen"},
                    {"teksti": "Melko hyödyttömänä", "id": "ky_hyodyllisyys_melko_hyodyton"},
                    {"teksti": "Hyödyttömänä", "id": "ky_hyodyllisyys_hyodyton"}]}
SUPPRESSED_FIGURE = "ky_vastuu_konserni"  # 3 respondents in 2023 and 4 in 2024: hidden on the pages


@pytest.fixture(scope="session")
def three_years(_three_years_build):
    """A project folder of its own with both reports of 2023 (the bundled survey and a generated
    HYTE year), of 2024 (the bundled sample) and of a generated 2025 (`sample --year 2025
    --seed 7`), so that each report has three years, built year by year with the build's own
    command. Only what the page of every built year needs is built: reports.yml declares each
    report's cleaning notebook (which writes the figures table) and no section pages. The
    project's questionnaire rewords one question in 2025 (a break in its series), and the page
    also shows a background share that small-count suppression hides. Returns the folder and
    the page's text after each year's build. Built once per run (`once_per_run`): test_trends,
    test_pdf and test_browser read the same folder."""
    folder, result = _three_years_build
    return folder, {int(year): text for year, text in result["pages"].items()}


@pytest.fixture(scope="session")
def three_years_rebuild(_three_years_build):
    """What a second build of 2025 in the three years' project printed (its lines) and the page
    of every built year's modification time before and after it. Done once, right after the
    three years were built, so that no reader of the folder sees a file rewritten under it."""
    return _three_years_build[1]["rebuild"]


@pytest.fixture(scope="session")
def _three_years_build(tmp_path_factory):
    return once_per_run(tmp_path_factory, "kolme_vuotta", _build_three_years)


def _build_three_years(root: Path) -> dict:
    import contextlib
    import io
    import shutil

    import yaml

    from hyte_nb.__main__ import main as cli
    from hyte_nb.core import catalog
    from hyte_nb.kysely import questionnaire

    spec = yaml.safe_load((ROOT / "reports.yml").read_text(encoding="utf-8"))
    for report in spec["raportit"].values():
        report["sivut"] = []
    spec["kehitys"]["raportit"]["kysely"]["luvut"].append(SUPPRESSED_FIGURE)
    (root / "reports.yml").write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(ROOT / "organisaatio.yml", root / "organisaatio.yml")
    catalogue = catalog.load(questionnaire.PACKAGE, "kysely")
    by_key = {q["key"]: q for q in catalogue["kysymykset"]}
    by_key["hyodyllisyys"]["asti"] = 2024
    catalogue["kysymykset"].insert(list(by_key).index("hyodyllisyys") + 1, REWORDED)
    (root / "kysely.yml").write_text(yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("notebooks", "tekstit"):
        (root / name).symlink_to(ROOT / name)
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "reference").symlink_to(ROOT / "data" / "reference")
    (root / "data" / "raw" / "2024").symlink_to(ROOT / "data" / "raw" / "2024")  # read only: the build never writes data/raw
    (root / "data" / "raw" / "2023").mkdir()
    for name in ("kysely", "ESIMERKKIAINEISTO.txt"):
        (root / "data" / "raw" / "2023" / name).symlink_to(ROOT / "data" / "raw" / "2023" / name)
    from hyte_nb.core.paths import Paths
    from hyte_nb.hyte import sample as hyte_sample

    hyte_sample.write_sample(Paths.of(2023, "hyte", root), 7)  # a HYTE year before the bundled one
    pages = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HYTE_NB_ROOT", str(root))  # this process reads the project's questionnaire too
        assert cli(["--root", str(root), "sample", "--year", "2025", "--seed", "7"]) == 0
        for year in (2023, 2024, 2025):
            assert cli(["--root", str(root), "build", "--year", str(year)]) == 0
            pages[year] = page_text(BeautifulSoup((root / "reports" / "kehitys.html").read_text(encoding="utf-8"),
                                                  "html.parser"))
        page = root / "reports" / "kehitys.html"
        before, printed = page.stat().st_mtime_ns, io.StringIO()
        with contextlib.redirect_stdout(printed):
            code = cli(["--root", str(root), "build", "--year", "2025"])
    rebuild = {"code": code, "lines": printed.getvalue().splitlines(), "before": before,
               "after": page.stat().st_mtime_ns}
    return {"pages": pages, "rebuild": rebuild}
