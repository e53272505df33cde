"""Where things are. Every path the notebooks use is built here, never by string in a notebook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
REFERENCE = DATA / "reference"
REFERENCE_FILE = REFERENCE / "hyte_2024_julkaistut_luvut.csv"  # the published 2024 report
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
DEFAULT_YEAR = 2024
KERNEL_NAME = "hyte_nb"


def raw_dir(year: int, source: str = "hyte") -> Path:
    return RAW / str(year) / source


def processed_dir(year: int, source: str = "hyte") -> Path:
    return PROCESSED / str(year) / source


def reference_file(year: int, source: str = "hyte") -> Path:
    """The published figures of a year's report (absent for a year not yet published)."""
    return REFERENCE / f"{source}_{year}_julkaistut_luvut.csv"


def report_dir(year: int, source: str = "hyte") -> Path:
    return REPORTS / str(year) / source


# -- metadata that sits beside the code (hyte_nb/metadata/*.yml) -----------------------
METADATA = Path(__file__).resolve().parent / "metadata"


def load_metadata(name: str) -> dict:
    with open(METADATA / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def areas() -> dict[str, dict]:
    """Area key -> {'nimi': ..., 'lyhenne': ...}."""
    return load_metadata("palvelut")["alueet"]


def services() -> pd.DataFrame:
    """The service catalogue: one row per (area key, service), with the reference ids of the
    service's figures (None where the service has no client work or no events):
    id_asiakkaat (clients or support pairs), id_kohtaamiset (their encounters), id_kerrat
    (events) and id_tapahtumakohtaamiset (encounters in events)."""
    table = pd.DataFrame(load_metadata("palvelut")["palvelut"])
    table["alue_nimi"] = table["alue"].map({k: v["nimi"] for k, v in areas().items()})
    client_work = table["asiakastyo"].notna()
    events = table["tapahtumat"].notna()
    table["id_asiakkaat"] = (table["asiakastyo"] + "_" + table["asiakkaat"].fillna("asiakkaat")).where(client_work)
    table["id_kohtaamiset"] = (table["asiakastyo"] + "_kohtaamiset").where(client_work)
    table["id_kerrat"] = (table["tapahtumat"] + "_kerrat").where(events)
    table["id_tapahtumakohtaamiset"] = table["tapahtumakohtaamiset"].fillna(table["tapahtumat"] + "_kohtaamiset").where(events)
    return table.astype(object).where(table.notna(), None)
