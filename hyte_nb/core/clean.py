"""How an export is cleaned. Every removed or changed row is written to the cleaning log,
and for every table: rows in = rows out + rows removed.

Order of work on one export:
1. remove blank lines, test rows and exact duplicates (logged);
2. trim stray whitespace (logged), then the report's own normalisation, e.g. service names
   mapped to the catalogue (case, old names; logged);
3. parse and validate every cell, then the report's table checks (pandera): any error stops
   here, naming file, row, column, value and what was expected;
4. remove records dated outside the report year (logged).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hyte_nb.core import fmt
from hyte_nb.core.read import ROW, is_blank, parse, read_raw
from hyte_nb.core.schema import Export

TEST_ROW = re.compile(r"\btesti", re.IGNORECASE)


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


# A report's own steps: normalise(raw, export, path, log) -> raw before parsing, and
# check(tidy, export, path) -> tidy after parsing (recode and validate; raises ExportError).
Normalise = Callable[[pd.DataFrame, Export, Path, CleaningLog], pd.DataFrame]
Check = Callable[[pd.DataFrame, Export, Path], pd.DataFrame]


def clean_export(path: Path, export: Export, year: int, log: CleaningLog, normalise: Normalise | None = None,
                 check: Check | None = None) -> pd.DataFrame:
    raw = read_raw(path, export)
    rows_in = len(raw)
    first_entry = len(log.entries)  # this export's log entries are the ones added from here on
    raw = _drop_junk(raw, export, path, log)
    raw = _trim_whitespace(raw, export, path, log)
    if normalise:
        raw = normalise(raw, export, path, log)
    tidy = parse(raw, export, path)
    if check:
        tidy = check(tidy, export, path)
    if export.dated:
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


def _drop_junk(raw: pd.DataFrame, export: Export, path: Path, log: CleaningLog) -> pd.DataFrame:
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


def _trim_whitespace(raw: pd.DataFrame, export: Export, path: Path, log: CleaningLog) -> pd.DataFrame:
    """Trim whitespace in text cells, logging each change."""
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
    return raw


def write_processed(tables: dict[str, pd.DataFrame], log: CleaningLog, processed_dir: Path) -> None:
    """Clean tables as parquet, with the cleaning log and its summary beside them."""
    processed_dir = Path(processed_dir)
    processed_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_parquet(processed_dir / f"{name}.parquet", index=False)
    log.frame().to_csv(processed_dir / "puhdistusloki.csv", index=False)
    log.summary_frame().to_csv(processed_dir / "puhdistus_yhteenveto.csv", index=False)


def read_log(processed_dir: Path) -> CleaningLog:
    """The cleaning log as the cleaning notebook wrote it (for the appendix and the tests)."""
    processed_dir = Path(processed_dir)
    entries = pd.read_csv(processed_dir / "puhdistusloki.csv", dtype=str, keep_default_na=False)
    entries["rivi"] = entries["rivi"].astype(int)
    summary = pd.read_csv(processed_dir / "puhdistus_yhteenveto.csv")
    return CleaningLog(entries.to_dict("records"), summary.to_dict("records"))
