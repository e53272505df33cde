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
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_YEAR = 2024
SAMPLE_MARKER = "ESIMERKKIAINEISTO.txt"  # in data/raw/<year>/: that year's exports are generated sample data
KERNEL_NAME = "hyte_nb"
MARKER = "reports.yml"  # the file that makes a folder a project folder
FIGURES_FILE = "luvut.parquet"  # a report year's figures table, in its processed folder (hyte_nb.core.figures)
SAME_PERIOD = "vertailuluvut.parquet"  # last year's figures for this year's period (a running year), beside FIGURES_FILE


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


@lru_cache(maxsize=16)
def _declared_comparisons(declaration: Path, modified: float) -> dict[str, dict[int, int]]:
    with open(declaration, encoding="utf-8") as handle:
        reports = (yaml.safe_load(handle) or {}).get("raportit") or {}
    comparisons = {}
    for key, spec in reports.items():
        years = (spec or {}).get("vertailuvuodet") or {}
        if not isinstance(years, dict):
            raise ValueError(f"{declaration}: raportti {key}, vertailuvuodet: anna vuosi ja sen vertailuvuosi, "
                             f"esim. {{2026: 2024}}")
        try:
            comparisons[key] = {int(year): int(other) for year, other in years.items()}
        except (TypeError, ValueError):
            raise ValueError(f"{declaration}: raportti {key}, vertailuvuodet {years!r}: vuosien pitää olla "
                             f"vuosilukuja, esim. {{2026: 2024}}") from None
    return comparisons


def declared_comparison(root: Path, report: str, year: int) -> int:
    """The year a report's year is compared with: as reports.yml declares it for that year
    (`vertailuvuodet: {2026: 2024}`, e.g. a survey held every other year), else the year before."""
    declaration = Path(root) / MARKER
    if not declaration.exists():
        return year - 1
    return _declared_comparisons(declaration, declaration.stat().st_mtime).get(report, {}).get(year, year - 1)


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

    comparison_year: the year this year's figures are set beside (last year's figures, the
    survey's earlier survey), declared once: the year before unless reports.yml declares another
    for the year (`vertailuvuodet`) or a notebook's parameter `vertailuvuosi` gives one.
    """

    root: Path
    year: int
    report: str
    raw: Path
    processed: Path
    reports: Path
    reference: Path
    comparison_year: int

    @classmethod
    def of(cls, year: int, report: str = "hyte", root: Path | str | None = None, *, raw=None, processed=None,
           reports=None, reference=None, comparison_year: int | None = None) -> Paths:
        root = find_root(root)
        year = int(year)
        return cls(root, year, report,
                   Path(raw) if raw else root / "data" / "raw" / str(year) / report,
                   Path(processed) if processed else root / "data" / "processed" / str(year) / report,
                   Path(reports) if reports else root / "reports" / str(year) / report,
                   Path(reference) if reference else root / "data" / "reference" / f"{report}_{year}_julkaistut_luvut.csv",
                   int(comparison_year) if comparison_year is not None else declared_comparison(root, report, year))

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

    @property
    def comparison(self) -> Paths:
        """The comparison year's folders (its exports, its figures), in the default folders."""
        return self.of_year(self.comparison_year)
