"""The HYTE report's cleaning rules on top of the shared cleaning: service names mapped to
the year's catalogue, area names to keys, and the table checks that need the catalogues.
Then every export of the year cleaned into data/processed/<year>/hyte/."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from hyte_nb.core.clean import CleaningLog, clean_export, write_processed
from hyte_nb.core.read import ROW, ExportError, problem
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
    """Map service names to the catalogue (case, old names), logging each change."""
    if "Palvelu" not in raw or "Palvelualue" not in raw:
        return raw
    raw = raw.copy()
    lookup = service_lookup(year)
    area_keys = catalog.area_keys()
    canonical = [lookup.get((area_keys.get(a), p.casefold()), p) if isinstance(p, str) else p
                 for a, p in zip(raw["Palvelualue"], raw["Palvelu"])]
    canonical = pd.Series(canonical, index=raw.index, dtype=object)
    renamed = raw["Palvelu"].map(lambda v: isinstance(v, str)) & (canonical != raw["Palvelu"])
    for row, before, after in zip(raw.loc[renamed, ROW], raw.loc[renamed, "Palvelu"], canonical[renamed]):
        log.add(export.key, path, row, "muutettu", "palvelun nimi yhtenäistetty", "Palvelu", before, after)
    raw["Palvelu"] = canonical
    return raw


def check_table(tidy: pd.DataFrame, export: Export, path: Path, year: int) -> pd.DataFrame:
    """Area names to keys, then the table checks."""
    if "alue" in tidy:
        tidy = _area_keys(tidy, path, export)
    validate(tidy, export, path, year)
    return tidy


def _area_keys(tidy: pd.DataFrame, path: Path, export: Export) -> pd.DataFrame:
    keys = catalog.area_keys()
    unknown = tidy.loc[~tidy["alue"].isin(list(keys)), [ROW, "alue"]]
    if len(unknown):
        raw_name = next(c.raw for c in export.columns if c.name == "alue")
        raise ExportError([problem(path, r, raw_name, v, "yksi palvelualueista: " + ", ".join(keys))
                           for r, v in unknown.itertuples(index=False)])
    tidy = tidy.copy()
    tidy["alue"] = tidy["alue"].map(keys).astype("string")
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
    """Run the table schema and report failures with the file's own row numbers."""
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
