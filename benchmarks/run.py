"""Times the pipeline's stages on the bundled sample and prints the figures.

Run with `make benchmark`. Timing goals live here, not in unit tests.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from hyte_nb import build, clean, config, figures, sample


def timed(label: str, func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label:<45} {time.perf_counter() - started:7.2f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        timed("sample generator (7 exports)", sample.write_sample, 2024, tmp / "raw")
        timed("cleaning (7 exports, ~30 000 rows)", clean.clean_year, 2024, config.raw_dir(2024), tmp / "processed")
        tables = clean.load_processed(2024, tmp / "processed")
        timed("all 198 figures from clean tables", figures.compute_all, tables, 2024)
        timed("full build (papermill + nbconvert, 7 pages)", build.build_hyte, 2024, config.raw_dir(2024),
              tmp / "build", tmp / "reports")


if __name__ == "__main__":
    main()
