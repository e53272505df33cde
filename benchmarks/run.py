"""Times the pipeline's stages on the bundled sample and prints the figures.

Run with `make benchmark`. Timing goals live here, not in unit tests.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from hyte_nb.build import declared, pipeline
from hyte_nb.core.paths import Paths, find_root
from hyte_nb.hyte import figures
from hyte_nb.hyte.cleaning import clean_year
from hyte_nb.hyte.sample import write_sample


def timed(label: str, func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label:<45} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    root = find_root(Path(__file__).resolve().parent)
    folder = Paths.of(2024, "hyte", root)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        timed("sample generator (7 exports)", write_sample, Paths.of(2024, "hyte", root, raw=tmp / "raw"))
        _, tables = timed("cleaning (7 exports, ~30 000 rows)", clean_year, 2024, folder.raw, tmp / "processed")
        timed("all 198 figures from clean tables", figures.compute_all, tables, 2024)
        build = Paths.of(2024, "hyte", root, processed=tmp / "build", reports=tmp / "reports")
        timed("full build (papermill + nbconvert, 7 pages)", pipeline.build_report, declared.load(root)["hyte"], build)


if __name__ == "__main__":
    main()
