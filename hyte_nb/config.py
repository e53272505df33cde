"""Where things are. Every path the notebooks use is built here, never by string in a notebook."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
REFERENCE = DATA / "reference"
REFERENCE_FILE = REFERENCE / "hyte_2024_julkaistut_luvut.csv"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
DEFAULT_YEAR = 2024
KERNEL_NAME = "hyte_nb"


def raw_dir(year: int, source: str = "hyte") -> Path:
    return RAW / str(year) / source


def processed_dir(year: int, source: str = "hyte") -> Path:
    return PROCESSED / str(year) / source


def report_dir(year: int, source: str = "hyte") -> Path:
    return REPORTS / str(year) / source
