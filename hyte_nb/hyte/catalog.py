"""The HYTE catalogues (hyte_nb/hyte/metadata/, or the project folder's own palvelut.yml,
mittarit.yml and luvut.yml, drafted by `python -m hyte_nb hyte luonnos`): service areas,
services, measurement items and how each figure is computed.

A service's changes during the years are declared on its entry: `alkaen: 2025` (new that
year) or `alkaen: 2025-03-01` (new on that day), `asti: 2025-06-30` (ended that day), and
`vanhat:` the old names its records may carry, each a name (the tie alone) or
`{nimi: Keikka-apu, asti: 2025-03-31}` (the old name used until that day, counted under the
new one)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import pandas as pd

from hyte_nb.core import catalog

PACKAGE = "hyte_nb.hyte"
DRAFT_COMMAND = "python -m hyte_nb hyte luonnos"  # drafts the catalogues from a year's exports


def source(name: str = "palvelut") -> str:
    """Where the catalogue in use is (for messages)."""
    return catalog.source(PACKAGE, name)


def old_names(entry) -> list[tuple[str, date | None]]:
    """A service's old names (its `vanhat`), each with the last day it may appear (or None)."""
    olds = entry.get("vanhat") if isinstance(entry, dict) else entry
    out = []
    for old in olds if isinstance(olds, list) else []:
        if isinstance(old, dict):
            out.append((str(old["nimi"]), old.get("asti")))
        else:
            out.append((str(old), None))
    return out


def load(name: str, root=None):
    """palvelut, mittarit or luvut (of the project `root`, else of this process's project)."""
    return catalog.load(PACKAGE, name, root)


def areas(root=None) -> dict[str, dict]:
    """Area key -> {'nimi': ..., 'lyhenne': ...}, in the catalogue's order."""
    return load("palvelut", root)["alueet"]


def area_keys() -> dict[str, str]:
    """Area name as exports write it -> area key."""
    return {v["nimi"]: k for k, v in areas().items()}


def services(year: int | None = None) -> pd.DataFrame:
    """The service catalogue (of one year, or every service ever): one row per (area key,
    service), with the reference ids of the service's figures (None where the service has no
    client work or no events): id_asiakkaat (clients or support pairs), id_kohtaamiset (their
    encounters), id_kerrat (events) and id_tapahtumakohtaamiset (encounters in events)."""
    # Made once per year and catalogue file (a page asks for it several times); the caller's own copy.
    return _services(year, catalog.version("palvelut")).copy()


@lru_cache(maxsize=32)
def _services(year: int | None, version) -> pd.DataFrame:
    entries = [s for s in load("palvelut")["palvelut"] if year is None or catalog.in_year(s, year)]
    table = pd.DataFrame(entries)
    for column in ("asiakastyo", "tapahtumat", "asiakkaat", "tapahtumakohtaamiset", "vanhat", "alkaen", "asti"):
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
