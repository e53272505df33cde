import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hyte_nb.build import declared, pipeline
from hyte_nb.core.paths import Paths

ROOT = Path(__file__).resolve().parent.parent  # the project folder: reports.yml, notebooks/, data/


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The HYTE report built once for the whole session: papermill runs, nbconvert renders.
    Processed data and pages go to a temporary folder, never to the project's own."""
    out = tmp_path_factory.mktemp("build")
    folder = Paths.of(2024, "hyte", ROOT, processed=out / "processed", reports=out / "reports")
    pages = pipeline.build_report(declared.load(ROOT)["hyte"], folder)
    return out, pages


@pytest.fixture(scope="session")
def built_survey(tmp_path_factory):
    """The survey report built once for the whole session, like the HYTE report."""
    out = tmp_path_factory.mktemp("kysely")
    folder = Paths.of(2024, "kysely", ROOT, processed=out / "processed", reports=out / "reports")
    pipeline.build_report(declared.load(ROOT)["kysely"], folder)
    return out / "reports", folder


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
def three_years(tmp_path_factory):
    """A project folder of its own with the survey of 2023 (sample), both reports of 2024 and a
    generated 2025 (`sample --year 2025 --seed 7`), built year by year with the build's own
    command. Only what the page of every built year needs is built: reports.yml declares each
    report's cleaning notebook (which writes the figures table) and no section pages. The
    project's questionnaire rewords one question in 2025 (a break in its series), and the page
    also shows a background share that small-count suppression hides. Returns the folder and
    the page's text after each year's build."""
    import shutil

    import yaml

    from hyte_nb.__main__ import main as cli
    from hyte_nb.core import catalog
    from hyte_nb.kysely import questionnaire

    root = tmp_path_factory.mktemp("kolme_vuotta")
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
    for year in ("2023", "2024"):  # read only: the build never writes data/raw
        (root / "data" / "raw" / year).symlink_to(ROOT / "data" / "raw" / year)
    pages = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HYTE_NB_ROOT", str(root))  # this process reads the project's questionnaire too
        assert cli(["--root", str(root), "sample", "--year", "2025", "--seed", "7"]) == 0
        for year in (2023, 2024, 2025):
            assert cli(["--root", str(root), "build", "--year", str(year)]) == 0
            pages[year] = page_text(BeautifulSoup((root / "reports" / "kehitys.html").read_text(encoding="utf-8"),
                                                  "html.parser"))
    return root, pages
