"""Which years the page of every built year shows, and which files it is made from: kept
apart from the series logic (pandas, scipy) so that a rebuild that changed nothing decides to
skip the page without importing them."""

from __future__ import annotations

import json
from pathlib import Path

from hyte_nb.pipeline import declared
from hyte_nb.core.paths import FIGURES_FILE, Paths

TIDY_NAME = "kehitys_luvut"  # .csv and .parquet beside the page


def built_years(root: Path, report: str) -> list[int]:
    """The years whose index (reports/<vuosi>/tila.json) lists the report as built and whose
    figures table exists."""
    years = []
    for status in sorted((Path(root) / "reports").glob("[0-9][0-9][0-9][0-9]/tila.json")):
        year = int(status.parent.name)
        built = json.loads(status.read_text(encoding="utf-8")).get("valmiit", [])
        if report in built and (Paths.of(year, report, root).processed / FIGURES_FILE).exists():
            years.append(year)
    return years


def inputs(root: Path) -> list[Path]:
    """Every file the page is made from: each year's status, and for each built report its
    processed tables (the figures table; the survey's answers, which its hidden rules read) and
    the sample marker; the project's own YAML files."""
    root = Path(root)
    files = sorted(root.glob("*.yml")) + sorted((root / "reports").glob("[0-9][0-9][0-9][0-9]/tila.json"))
    for key in declared.load(root):
        for year in built_years(root, key):
            folder = Paths.of(year, key, root)
            files += sorted(folder.processed.glob("*.parquet"))
            if folder.is_sample:
                files.append(folder.sample_marker)
    return list(dict.fromkeys(files))
