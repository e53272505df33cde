import pytest

from hyte_nb import build, config


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The HYTE report built once for the whole session: papermill runs, nbconvert renders."""
    root = tmp_path_factory.mktemp("build")
    pages = build.build_hyte(2024, raw_dir=config.raw_dir(2024), processed_dir=root / "processed",
                             report_dir=root / "reports")
    return root, pages
