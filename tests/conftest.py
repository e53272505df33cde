from pathlib import Path

import pytest

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
