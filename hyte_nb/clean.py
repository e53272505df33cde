"""How an export is cleaned. Every removed or changed row is written to the cleaning log,
and for every table: rows in = rows out + rows removed.

Order of work on one export:
1. remove blank lines, test rows and exact duplicates (logged);
2. trim stray whitespace and map service names to the catalogue (case, old names; logged);
3. parse and validate every cell and the table (io + pandera): any error stops here,
   naming file, row, column, value and what was expected;
4. remove records dated outside the report year (logged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from hyte_nb import config, fmt, schema
from hyte_nb.io import ROW, ExportError, is_blank, parse, problem, read_raw

TEST_ROW = re.compile(r"\btesti", re.IGNORECASE)
DATED_BY_YEAR = {"asiakastapaamiset", "tapahtumat", "asiakaspalaute", "materiaalilataukset"}


@dataclass
class CleaningLog:
    entries: list[dict] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)

    def add(self, table: str, path: Path, row: int, action: str, reason: str, column: str = "",
            before="", after="") -> None:
        self.entries.append({"taulu": table, "tiedosto": Path(path).name, "rivi": int(row), "toimenpide": action,
                             "syy": reason, "sarake": column, "ennen": "" if before is None else str(before),
                             "jälkeen": "" if after is None else str(after)})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.entries, columns=["taulu", "tiedosto", "rivi", "toimenpide", "syy", "sarake",
                                                   "ennen", "jälkeen"])

    def summary_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.summary)


def service_lookup() -> dict[tuple[str, str], str]:
    """(area key, casefolded name or old name) -> canonical service name."""
    lookup = {}
    for row in config.services().itertuples():
        names = [row.palvelu] + (list(row.vanhat) if isinstance(row.vanhat, list) else [])
        for name in names:
            lookup[(row.alue, name.casefold())] = row.palvelu
    return lookup


def clean_export(path: Path, export: schema.Export, year: int, log: CleaningLog) -> pd.DataFrame:
    raw = read_raw(path, export)
    rows_in = len(raw)
    first_entry = len(log.entries)  # this export's log entries are the ones added from here on
    raw = _drop_junk(raw, export, path, log)
    raw = _normalise_text(raw, export, path, log)
    tidy = parse(raw, export, path)
    if "alue" in tidy:
        tidy = _area_keys(tidy, path, export)
    validate(tidy, export, path)
    if export.key in DATED_BY_YEAR:
        outside = tidy["pvm"].dt.year != year
        for row, day in zip(tidy.loc[outside, ROW], tidy.loc[outside, "pvm"]):
            log.add(export.key, path, row, "poistettu", f"päiväys vuoden {year} ulkopuolella", "pvm",
                    fmt.date(day))
        tidy = tidy[~outside]
    entries = log.entries[first_entry:]
    removed = sum(1 for e in entries if e["toimenpide"] == "poistettu")
    changed = len({e["rivi"] for e in entries if e["toimenpide"] == "muutettu"})
    log.summary.append({"taulu": export.key, "tiedosto": Path(path).name, "rivejä sisään": rows_in,
                        "rivejä ulos": len(tidy), "poistettu": removed, "muutettuja rivejä": changed})
    if rows_in != len(tidy) + removed:  # the log must account for every row
        raise AssertionError(f"{path}: {rows_in} riviä sisään, {len(tidy)} ulos ja {removed} poistettu")
    return tidy.reset_index(drop=True)


def _drop_junk(raw: pd.DataFrame, export: schema.Export, path: Path, log: CleaningLog) -> pd.DataFrame:
    cells = raw.drop(columns=ROW)
    blank = cells.apply(lambda r: all(is_blank(v) for v in r), axis=1)
    for row in raw.loc[blank, ROW]:
        log.add(export.key, path, row, "poistettu", "tyhjä rivi")
    raw = raw[~blank]
    cells = raw.drop(columns=ROW)
    test = cells.apply(lambda r: any(isinstance(v, str) and TEST_ROW.search(v) for v in r), axis=1)
    for row in raw.loc[test, ROW]:
        log.add(export.key, path, row, "poistettu", "testirivi (teksti 'testi')")
    raw = raw[~test]
    cells = raw.drop(columns=ROW).astype(str)
    duplicate = cells.duplicated(keep="first")
    first_row = {}
    for row, key in zip(raw[ROW], map(tuple, cells.to_numpy())):
        first_row.setdefault(key, row)
    for row, key in zip(raw.loc[duplicate, ROW], map(tuple, cells[duplicate].to_numpy())):
        log.add(export.key, path, row, "poistettu", f"täsmällinen kaksoiskappale rivistä {first_row[key]}")
    return raw[~duplicate]


def _normalise_text(raw: pd.DataFrame, export: schema.Export, path: Path, log: CleaningLog) -> pd.DataFrame:
    """Trim whitespace in text cells and map service names to the catalogue, logging each change."""
    raw = raw.copy()
    for column in export.columns:
        if column.kind not in ("text", "choice"):
            continue
        values = raw[column.raw]
        is_text = values.map(lambda v: isinstance(v, str))
        stripped = values.where(~is_text, values[is_text].str.strip())
        changed = is_text & (stripped != values)
        for row, before, after in zip(raw.loc[changed, ROW], values[changed], stripped[changed]):
            log.add(export.key, path, row, "muutettu", "ylimääräiset välilyönnit poistettu", column.raw, before, after)
        raw[column.raw] = stripped
    if "Palvelu" in raw and "Palvelualue" in raw:
        lookup = service_lookup()
        area_keys = {v["nimi"]: k for k, v in config.areas().items()}
        canonical = [lookup.get((area_keys.get(a), p.casefold()), p) if isinstance(p, str) else p
                     for a, p in zip(raw["Palvelualue"], raw["Palvelu"])]
        canonical = pd.Series(canonical, index=raw.index, dtype=object)
        renamed = raw["Palvelu"].map(lambda v: isinstance(v, str)) & (canonical != raw["Palvelu"])
        for row, before, after in zip(raw.loc[renamed, ROW], raw.loc[renamed, "Palvelu"], canonical[renamed]):
            log.add(export.key, path, row, "muutettu", "palvelun nimi yhtenäistetty", "Palvelu", before, after)
        raw["Palvelu"] = canonical
    return raw


def _area_keys(tidy: pd.DataFrame, path: Path, export: schema.Export) -> pd.DataFrame:
    keys = {v["nimi"]: k for k, v in config.areas().items()}
    unknown = tidy.loc[~tidy["alue"].isin(list(keys)), [ROW, "alue"]]
    if len(unknown):
        raw_name = next(c.raw for c in export.columns if c.name == "alue")
        raise ExportError([problem(path, r, raw_name, v, "yksi palvelualueista: " + ", ".join(keys))
                           for r, v in unknown.itertuples(index=False)])
    tidy = tidy.copy()
    tidy["alue"] = tidy["alue"].map(keys).astype("string")
    return tidy


def table_schema(export: schema.Export) -> pa.DataFrameSchema:
    """Checks that need the whole table or the catalogues, beyond the cell types."""
    checks = []
    columns = {}
    if {"alue", "palvelu"} <= {c.name for c in export.columns}:
        known = set(service_lookup().values())
        pairs = {(r.alue, r.palvelu) for r in config.services().itertuples()}
        columns["palvelu"] = pa.Column("string", pa.Check.isin(sorted(known)), nullable=False)
        checks.append(pa.Check(lambda df: pd.Series([(a, p) in pairs for a, p in zip(df["alue"], df["palvelu"])],
                                                    index=df.index),
                               error="palvelu ei kuulu tälle palvelualueelle"))
    if export.key == "hyvinvointimittaukset":
        items = config.load_metadata("mittarit")
        columns["mittari"] = pa.Column("string", pa.Check.isin(sorted(items)))
        checks.append(pa.Check(lambda df: pd.Series(
            [items[m]["asteikko"][0] <= v <= items[m]["asteikko"][1] if m in items else True
             for m, v in zip(df["mittari"], df["arvo"])], index=df.index),
            error="arvo mittarin asteikon ulkopuolella"))
    return pa.DataFrameSchema(columns, checks=checks)


def validate(tidy: pd.DataFrame, export: schema.Export, path: Path) -> None:
    """Run the table schema and report failures with the file's own row numbers."""
    try:
        table_schema(export).validate(tidy, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems = []
        raw_name = {c.name: c.raw for c in export.columns}
        for case in errors.failure_cases.itertuples():
            if pd.isna(case.index):
                continue
            row = tidy.at[case.index, ROW]
            column = case.column if case.column in raw_name else "palvelu" if "palvelu" in tidy else "arvo"
            if export.key == "hyvinvointimittaukset" and "asteikon" in str(case.check):
                column = "arvo"
                expected = "arvo mittarin {} asteikolla {}".format(
                    tidy.at[case.index, "mittari"],
                    "–".join(map(str, config.load_metadata("mittarit")[tidy.at[case.index, "mittari"]]["asteikko"])))
            elif column == "palvelu":
                expected = f"palvelu palveluluettelosta alueelle {tidy.at[case.index, 'alue']} (hyte_nb/metadata/palvelut.yml)"
            else:
                expected = f"arvo, joka täyttää ehdon {case.check}"
            problems.append(problem(path, row, raw_name[column], tidy.at[case.index, column], expected))
        raise ExportError(sorted(set(problems), key=problems.index)) from None


def clean_year(year: int, raw_dir: Path, processed_dir: Path) -> CleaningLog:
    """Clean every export of the year into processed_dir (parquet) with the cleaning log."""
    log = CleaningLog()
    tables = {export.key: clean_export(Path(raw_dir) / export.filename, export, year, log)
              for export in schema.HYTE_EXPORTS}  # any error stops before anything is written
    write_processed(tables, log, Path(processed_dir))
    return log


def write_processed(tables: dict[str, pd.DataFrame], log: CleaningLog, processed_dir: Path) -> None:
    """Clean tables as parquet, with the cleaning log and its summary beside them."""
    processed_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_parquet(processed_dir / f"{name}.parquet", index=False)
    log.frame().to_csv(processed_dir / "puhdistusloki.csv", index=False)
    log.summary_frame().to_csv(processed_dir / "puhdistus_yhteenveto.csv", index=False)


def load_processed(year: int, processed_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """The clean tables of a year, as written by clean_year."""
    processed_dir = Path(processed_dir or config.processed_dir(year))
    missing = [e.filename for e in schema.HYTE_EXPORTS if not (processed_dir / f"{e.key}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{processed_dir}: puhdistettuja tauluja puuttuu ({', '.join(missing)}); "
                                f"aja ensin puhdistusmuistio 00_puhdistus.ipynb")
    return {e.key: pd.read_parquet(processed_dir / f"{e.key}.parquet") for e in schema.HYTE_EXPORTS}
