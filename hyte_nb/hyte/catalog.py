"""The HYTE catalogues (hyte_nb/hyte/metadata/): service areas, services, measurement items
and how each figure is computed."""

from __future__ import annotations

import pandas as pd

from hyte_nb.core import catalog

PACKAGE = "hyte_nb.hyte"


def load(name: str):
    """palvelut, mittarit or luvut."""
    return catalog.load(PACKAGE, name)


def areas() -> dict[str, dict]:
    """Area key -> {'nimi': ..., 'lyhenne': ...}."""
    return load("palvelut")["alueet"]


def area_keys() -> dict[str, str]:
    """Area name as exports write it -> area key."""
    return {v["nimi"]: k for k, v in areas().items()}


def services(year: int | None = None) -> pd.DataFrame:
    """The service catalogue (of one year, or every service ever): one row per (area key,
    service), with the reference ids of the service's figures (None where the service has no
    client work or no events): id_asiakkaat (clients or support pairs), id_kohtaamiset (their
    encounters), id_kerrat (events) and id_tapahtumakohtaamiset (encounters in events)."""
    entries = [s for s in load("palvelut")["palvelut"] if year is None or catalog.in_year(s, year)]
    table = pd.DataFrame(entries)
    for column in ("asiakastyo", "tapahtumat", "asiakkaat", "tapahtumakohtaamiset", "vanhat"):
        if column not in table:
            table[column] = None
    table["alue_nimi"] = table["alue"].map({k: v["nimi"] for k, v in areas().items()})
    client_work = table["asiakastyo"].notna()
    events = table["tapahtumat"].notna()
    table["id_asiakkaat"] = (table["asiakastyo"] + "_" + table["asiakkaat"].fillna("asiakkaat")).where(client_work)
    table["id_kohtaamiset"] = (table["asiakastyo"] + "_kohtaamiset").where(client_work)
    table["id_kerrat"] = (table["tapahtumat"] + "_kerrat").where(events)
    table["id_tapahtumakohtaamiset"] = table["tapahtumakohtaamiset"].fillna(table["tapahtumat"] + "_kohtaamiset").where(events)
    return table.astype(object).where(table.notna(), None)
