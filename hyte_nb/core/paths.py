"""Where things are. One `Paths` object, built from the project folder, the year and the
report, gives every folder; nothing else works a path out.

The project folder holds `reports.yml`, `notebooks/`, `data/` and `reports/`. It is found
from the working directory upwards (so notebooks run in `notebooks/` find it too), or given
with `--root` / the environment variable HYTE_NB_ROOT. It never follows from where the
package is installed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_YEAR = 2024
SAMPLE_MARKER = "ESIMERKKIAINEISTO.txt"  # in data/raw/<year>/: that year's exports are generated sample data
KERNEL_NAME = "hyte_nb"
MARKER = "reports.yml"  # the file that makes a folder a project folder


def find_root(start: Path | str | None = None) -> Path:
    """The project folder: HYTE_NB_ROOT, else the nearest folder upwards holding reports.yml."""
    if start is None and os.environ.get("HYTE_NB_ROOT"):
        start = os.environ["HYTE_NB_ROOT"]
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).exists():
            return folder
    raise FileNotFoundError(f"Projektikansiota ei löydy: kansiosta {here} tai sen yläkansioista ei löydy tiedostoa "
                            f"{MARKER}. Aja komento projektikansiossa tai anna --root.")


@dataclass(frozen=True)
class Paths:
    """Every folder of one report of one year. By default, under the project folder:

    data/raw/<year>/<report>/                   the exports (read only)
    data/processed/<year>/<report>/             clean tables, figures table, cleaning log
    data/processed/<year>/<report>/muistiot/    executed notebooks
    reports/<year>/<report>/                    the rendered pages
    data/reference/<report>_<year>_julkaistut_luvut.csv   the published figures (if any)

    Any of raw, processed, reports and reference can be given instead (a test build, a run on
    exports kept elsewhere); everything else follows from them.
    """

    root: Path
    year: int
    report: str
    raw: Path
    processed: Path
    reports: Path
    reference: Path

    @classmethod
    def of(cls, year: int, report: str = "hyte", root: Path | str | None = None, *, raw=None, processed=None,
           reports=None, reference=None) -> Paths:
        root = find_root(root)
        year = int(year)
        return cls(root, year, report,
                   Path(raw) if raw else root / "data" / "raw" / str(year) / report,
                   Path(processed) if processed else root / "data" / "processed" / str(year) / report,
                   Path(reports) if reports else root / "reports" / str(year) / report,
                   Path(reference) if reference else root / "data" / "reference" / f"{report}_{year}_julkaistut_luvut.csv")

    @property
    def executed(self) -> Path:
        return self.processed / "muistiot"

    @property
    def sample_marker(self) -> Path:
        """Present when the year's exports were written by the sample generator."""
        return self.raw.parent / SAMPLE_MARKER

    @property
    def is_sample(self) -> bool:
        return self.sample_marker.exists()

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    def of_year(self, year: int) -> Paths:
        """The same report of another year under the same project folder (the comparison
        year's exports, last year's figures), in the default folders."""
        return Paths.of(year, self.report, self.root)
