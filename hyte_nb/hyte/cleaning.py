"""The HYTE report's cleaning rules on top of the shared cleaning: service names mapped to
the year's catalogue, area names to keys, and the table checks that need the catalogues.
Then every export of the year cleaned into data/processed/<year>/hyte/."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from hyte_nb.core.clean import CleaningLog, clean_export, write_processed
from hyte_nb.core.read import ROW, ExportError, distinct, distinct_pairs, problem, subset, with_cells
from hyte_nb.core.schema import Export
from hyte_nb.hyte import catalog
from hyte_nb.hyte.exports import HYTE_EXPORTS


def service_lookup(year: int) -> dict[tuple[str, str], str]:
    """(area key, casefolded name or old name) -> canonical service name, for the year."""
    lookup = {}
    for row in catalog.services(year).itertuples():
        names = [row.palvelu] + (list(row.vanhat) if isinstance(row.vanhat, list) else [])
        for name in names:
            lookup[(row.alue, name.casefold())] = row.palvelu
    return lookup


def normalise_services(raw: pd.DataFrame, export: Export, path: Path, log: CleaningLog, year: int) -> pd.DataFrame:
    """Map service names to the catalogue (case, old names), logging each change. The rule runs
    once per distinct (area, service) pair of the export and is mapped back to its rows."""
    if "Palvelu" not in raw or "Palvelualue" not in raw:
        return raw
    lookup = service_lookup(year)
    area_keys = catalog.area_keys()
    codes, pairs = distinct_pairs(raw["Palvelualue"], raw["Palvelu"])
    canonical = [lookup.get((area_keys.get(a), p.casefold()), p) if isinstance(p, str) else p for a, p in pairs]
    renamed = np.array([isinstance(p, str) and c != p for (_, p), c in zip(pairs, canonical)], dtype=bool)[codes]
    if not renamed.any():
        return raw
    where = np.flatnonzero(renamed)
    after = [canonical[c] for c in codes[where]]
    services = raw["Palvelu"]
    log.add_rows(export.key, path, raw[ROW].to_numpy()[where], "muutettu", "palvelun nimi yhtenäistetty", "Palvelu",
                 subset(services, where), after)
    raw = raw.copy(deep=False)
    raw["Palvelu"] = with_cells(services, where, after)
    return raw


def check_table(tidy: pd.DataFrame, export: Export, path: Path, year: int) -> pd.DataFrame:
    """Area names to keys, then the table checks."""
    if "alue" in tidy:
        tidy = _area_keys(tidy, path, export)
    validate(tidy, export, path, year)
    return tidy


def _area_keys(tidy: pd.DataFrame, path: Path, export: Export) -> pd.DataFrame:
    keys = catalog.area_keys()
    codes, names = distinct(tidy["alue"])
    if not all(isinstance(n, str) and n in keys for n in names):
        unknown = tidy.loc[~tidy["alue"].isin(list(keys)), [ROW, "alue"]]
        raw_name = next(c.raw for c in export.columns if c.name == "alue")
        raise ExportError([problem(path, r, raw_name, v, "yksi palvelualueista: " + ", ".join(keys))
                           for r, v in unknown.itertuples(index=False)])
    tidy = tidy.copy(deep=False)
    tidy["alue"] = pd.array([keys[n] for n in names], dtype="string").take(codes)
    return tidy


def table_schema(export: Export, year: int) -> pa.DataFrameSchema:
    """Checks that need the whole table or the catalogues, beyond the cell types."""
    checks = []
    columns = {}
    if {"alue", "palvelu"} <= {c.name for c in export.columns}:
        services = catalog.services(year)
        pairs = {(r.alue, r.palvelu) for r in services.itertuples()}
        columns["palvelu"] = pa.Column("string", pa.Check.isin(sorted(set(services["palvelu"]))), nullable=False)
        checks.append(pa.Check(lambda df: pd.Series([(a, p) in pairs for a, p in zip(df["alue"], df["palvelu"])],
                                                    index=df.index),
                               error="palvelu ei kuulu tälle palvelualueelle"))
    if export.key == "hyvinvointimittaukset":
        items = catalog.load("mittarit")
        columns["mittari"] = pa.Column("string", pa.Check.isin(sorted(items)))
        checks.append(pa.Check(lambda df: pd.Series(
            [items[m]["asteikko"][0] <= v <= items[m]["asteikko"][1] if m in items else True
             for m, v in zip(df["mittari"], df["arvo"])], index=df.index),
            error="arvo mittarin asteikon ulkopuolella"))
    return pa.DataFrameSchema(columns, checks=checks)


def validate(tidy: pd.DataFrame, export: Export, path: Path, year: int) -> None:
    """Run the table schema and report failures with the file's own row numbers. The checks
    are first made column-wise (_passes); only a table that may fail goes through pandera,
    whose failure cases give the messages."""
    if _passes(tidy, export, year):
        return
    try:
        table_schema(export, year).validate(tidy, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems = []
        raw_name = {c.name: c.raw for c in export.columns}
        items = catalog.load("mittarit")
        for case in errors.failure_cases.itertuples():
            if pd.isna(case.index):
                continue
            row = tidy.at[case.index, ROW]
            column = case.column if case.column in raw_name else "palvelu" if "palvelu" in tidy else "arvo"
            if export.key == "hyvinvointimittaukset" and "asteikon" in str(case.check):
                column = "arvo"
                item = tidy.at[case.index, "mittari"]
                expected = f"arvo mittarin {item} asteikolla {'–'.join(map(str, items[item]['asteikko']))}"
            elif column == "palvelu":
                expected = (f"palvelu vuoden {year} palveluluettelosta alueelle {tidy.at[case.index, 'alue']} "
                            f"(hyte_nb/hyte/metadata/palvelut.yml)")
            else:
                expected = f"arvo, joka täyttää ehdon {case.check}"
            problems.append(problem(path, row, raw_name[column], tidy.at[case.index, column], expected))
        raise ExportError(sorted(set(problems), key=problems.index)) from None


def _passes(tidy: pd.DataFrame, export: Export, year: int) -> bool:
    """True only when table_schema surely passes: the same checks, strictly, once per distinct
    value or pair of values. False sends the table to pandera."""
    string = pd.StringDtype()
    names = {c.name for c in export.columns}
    if {"alue", "palvelu"} <= names:
        services = catalog.services(year)
        pairs = {(r.alue, r.palvelu) for r in services.itertuples()}
        if tidy["palvelu"].dtype != string or tidy["palvelu"].isna().any():
            return False
        _, found = distinct_pairs(tidy["alue"], tidy["palvelu"])
        if not all(isinstance(p, str) and (a, p) in pairs for a, p in found):
            return False
    if export.key == "hyvinvointimittaukset":
        items = catalog.load("mittarit")
        if tidy["mittari"].dtype != string or tidy["mittari"].isna().any():
            return False
        _, found = distinct_pairs(tidy["mittari"], tidy["arvo"])
        try:
            if not all(m in items and items[m]["asteikko"][0] <= v <= items[m]["asteikko"][1] for m, v in found):
                return False
        except TypeError:  # a missing value: let pandera say what it says
            return False
    return True


def clean_one(path: Path, export: Export, year: int, log: CleaningLog) -> pd.DataFrame:
    """One HYTE export cleaned by the shared steps and the HYTE rules."""
    return clean_export(path, export, year, log, normalise=partial(normalise_services, year=year),
                        check=partial(check_table, year=year))


def clean_year(year: int, raw_dir: Path, processed_dir: Path) -> tuple[CleaningLog, dict[str, pd.DataFrame]]:
    """Clean every export of the year into processed_dir (parquet) with the cleaning log."""
    log = CleaningLog()
    tables = {export.key: clean_one(Path(raw_dir) / export.filename, export, year, log)
              for export in HYTE_EXPORTS}  # any error stops before anything is written
    write_processed(tables, log, Path(processed_dir))
    return log, tables


def load_processed(processed_dir: Path) -> dict[str, pd.DataFrame]:
    """The clean tables of a year, as written by clean_year."""
    processed_dir = Path(processed_dir)
    missing = [e.filename for e in HYTE_EXPORTS if not (processed_dir / f"{e.key}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{processed_dir}: puhdistettuja tauluja puuttuu ({', '.join(missing)}); "
                                f"aja ensin puhdistusmuistio 00_puhdistus.ipynb")
    return {e.key: pd.read_parquet(processed_dir / f"{e.key}.parquet") for e in HYTE_EXPORTS}
