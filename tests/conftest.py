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
