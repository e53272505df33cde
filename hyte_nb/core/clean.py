"""How an export is cleaned. Every removed or changed row is written to the cleaning log,
and for every table: rows in = rows out + rows removed.

Order of work on one export:
1. remove blank lines, test rows and exact duplicates (logged);
2. trim stray whitespace (logged), then the report's own normalisation, e.g. service names
   mapped to the catalogue (case, old names; logged);
3. parse and validate every cell, then the report's table checks (pandera): any error stops
   here, naming file, row, column, value and what was expected;
4. remove records dated outside the report year (logged).

Every step works on whole columns (Arrow's string kernels on a CSV export's text, the cell
rule once per distinct value elsewhere), never row by row, so that time and memory grow with
the file and no faster (benchmarks/cleaning.py); the tables, the log and the errors are the
ones the rules give cell by cell (tests/test_clean_scale.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hyte_nb.core import fmt, period
from hyte_nb.core.read import (ROW, ExportError, arrow, distinct, is_blank, is_text_column, maybe_padded, parse, problem, read_raw, subset,
                               text_series, to_numpy_bool, trimmed)
from hyte_nb.core.schema import Export

# The contract's test markers (data/raw/README.md, "Rows that cleaning removes"): a cell whose
# whole value, trimmed and in any case (str.lower), is a test word; or a value of an identifier
# column (Column.test_marker) that begins with a test word and a hyphen, e.g. TESTI-K003044.
# A word inside a longer text ("testimielessä", "protesti") never marks a row.
TEST_WORDS = frozenset({"testi", "test", "testivastaus"})
TEST_PREFIXES = ("testi-", "test-")
# Every test word holds "test"; the only characters whose lower() gives t, e or s are these
# ASCII letters, so a cell without this sequence is no test marker (tests/test_clean_scale.py
# checks it), and the exact rule runs only on the few cells that have it.
TEST_CANDIDATE = "[tT][eE][sS][tT]"

# The log's reasons for the rules that remove rows (the contract lists them).
BLANK_ROW = "tyhjä rivi"
TEST_ID = "testirivi: tunnisteessa testimerkki"
TEST_WORD = "testirivi: koko arvo on testisana"
DUPLICATE = "täsmällinen kaksoiskappale rivistä {}"
OUTSIDE_YEAR = "päiväys vuoden {} ulkopuolella"
# Removals a rule decided on what a row says rather than on its being empty or a checked total:
# the ones an analyst should glance at (judged_removals).
JUDGED = ("testirivi", "täsmällinen kaksoiskappale", "päiväys vuoden")


def is_test_value(value, identifier: bool = False) -> bool:
    """The test-marker rule on one cell."""
    if not isinstance(value, str):
        return False
    value = value.strip().lower()
    return value in TEST_WORDS or (identifier and value.startswith(TEST_PREFIXES))


@dataclass
class CleaningLog:
    entries: list[dict] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)

    def add(self, table: str, path: Path, row: int, action: str, reason: str, column: str = "",
            before="", after="") -> None:
        self.entries.append({"taulu": table, "tiedosto": Path(path).name, "rivi": int(row), "toimenpide": action,
                             "syy": reason, "sarake": column, "ennen": "" if before is None else str(before),
                             "jälkeen": "" if after is None else str(after)})

    def add_rows(self, table: str, path: Path, rows, action: str, reason: str, column: str = "", before=None,
                 after=None) -> None:
        """add() for many rows at once (rows, and before and after when given, side by side)."""
        name = Path(path).name
        n = len(rows)
        befores = [""] * n if before is None else ["" if b is None else str(b) for b in before]
        afters = [""] * n if after is None else ["" if a is None else str(a) for a in after]
        self.entries += [{"taulu": table, "tiedosto": name, "rivi": int(row), "toimenpide": action, "syy": reason,
                          "sarake": column, "ennen": b, "jälkeen": a} for row, b, a in zip(rows, befores, afters)]

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.entries, columns=["taulu", "tiedosto", "rivi", "toimenpide", "syy", "sarake",
                                                   "ennen", "jälkeen"])

    def summary_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.summary)


def judged_removals(log: CleaningLog) -> pd.DataFrame:
    """The rows removed for what they say (a test marker, an exact repeat of an earlier row, a
    date outside the year), per table and file in the log's order, by row: the removals an
    analyst should glance at. Blank rows and checked total rows hold nothing to lose and are left
    out. The values are the log's own, which never holds free text."""
    frame = log.frame()
    judged = frame[(frame["toimenpide"] == "poistettu") & frame["syy"].str.startswith(JUDGED)]
    order = {key: i for i, key in enumerate(dict.fromkeys(zip(frame["taulu"], frame["tiedosto"])))}
    position = [order[key] for key in zip(judged["taulu"], judged["tiedosto"])]
    judged = judged.assign(_jarjestys=position).sort_values(["_jarjestys", "rivi"], kind="stable")
    return judged[["taulu", "tiedosto", "rivi", "syy", "sarake", "ennen"]].reset_index(drop=True)


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
    raw = raw.copy(deep=False)  # ours alone, so that parse can let go of each column once parsed
    tidy = parse(raw, export, path, release=True)
    del raw
    check_ids(tidy, export, path)
    check_dates(tidy, export, path, year)
    if check:
        tidy = check(tidy, export, path)
    if export.dated:
        outside = (tidy["pvm"].dt.year != year).to_numpy(dtype=bool)
        if len(outside) and outside.mean() > OTHER_YEAR_SHARE:
            years = tidy.loc[outside, "pvm"].dt.year.value_counts()
            raise ExportError([f"{path}: {outside.sum()} rivistä {len(outside)} on päivätty vuoden {year} "
                               f"ulkopuolelle (eniten vuodelle {int(years.index[0])}: {int(years.iloc[0])} riviä) – "
                               f"onko tämä vuoden {int(years.index[0])} vienti? Odotettiin vuoden {year} "
                               f"tiedot; tarkista, että tiedosto on oikean vuoden kansiossa "
                               f"(data/raw/{year}/)"])
        if outside.any():
            date_column = next(c.raw for c in export.columns if c.name == "pvm")
            for row, day in zip(tidy[ROW].to_numpy()[outside], tidy.loc[outside, "pvm"]):
                log.add(export.key, path, row, "poistettu", OUTSIDE_YEAR.format(year), date_column, fmt.date(day))
            tidy = _keep_rows(tidy, ~outside)
    entries = log.entries[first_entry:]
    removed = sum(1 for e in entries if e["toimenpide"] == "poistettu")
    changed = len({e["rivi"] for e in entries if e["toimenpide"] == "muutettu"})
    log.summary.append({"taulu": export.key, "tiedosto": Path(path).name, "rivejä sisään": rows_in,
                        "rivejä ulos": len(tidy), "poistettu": removed, "muutettuja rivejä": changed})
    if rows_in != len(tidy) + removed:  # the log must account for every row
        raise AssertionError(f"{path}: {rows_in} riviä sisään, {len(tidy)} ulos ja {removed} poistettu")
    return tidy.reset_index(drop=True)


OTHER_YEAR_SHARE = 0.9  # more of the records than this outside the year: another year's export
EARLIEST_YEARS = 100  # a date more than this many years before the report year is implausible
SURVEY_WINDOW = pd.Timedelta(days=183)  # answers of one survey: within ~6 months of its median


def check_ids(tidy: pd.DataFrame, export: Export, path: Path) -> None:
    """A record id (Column.is_id) names one record: the same id on two rows that are not exact
    duplicates (those were dropped and logged) is an error naming both rows."""
    problems = []
    for column in export.columns:
        if not column.is_id:
            continue
        values = tidy[column.name]
        repeated = values.duplicated(keep=False).to_numpy(dtype=bool) & values.notna().to_numpy(dtype=bool)
        if not repeated.any():
            continue
        # the same record twice once cleaned (e.g. differing only by stray whitespace) is not a conflict
        others = [n for n in tidy.columns if n != ROW]
        same = tidy.loc[repeated, others].astype(str).duplicated(keep=False).to_numpy(dtype=bool)
        repeated[np.flatnonzero(repeated)[same]] = False
        repeated &= values.isin(values[repeated]).to_numpy(dtype=bool)
        if not repeated.any():
            continue
        rows = tidy[ROW].to_numpy()
        first = {}
        for row, value in zip(rows[repeated], values[repeated]):
            if value in first:
                problems.append(problem(path, row, column.raw, value,
                                        f"kukin tunniste vain kerran – sama tunniste myös rivillä {first[value]} "
                                        f"eri sisällöllä"))
            else:
                first[value] = row
    if problems:
        raise ExportError(problems)


def check_dates(tidy: pd.DataFrame, export: Export, path: Path, year: int, today: pd.Timestamp | None = None) -> None:
    """Every date plausible: none after the build date (hyte_nb.core.period.today(): the calendar
    day, or an earlier day pinned by HYTE_NB_TANAAN), none more than EARLIEST_YEARS before the
    report year; the answer times of a survey (datetime columns) within SURVEY_WINDOW of the
    survey's own median time. Column-wise: the bounds are compared once per column."""
    today = pd.Timestamp(period.today()) + pd.Timedelta(days=1) if today is None else today
    earliest = pd.Timestamp(year - EARLIEST_YEARS, 1, 1)
    problems = []
    rows = tidy[ROW].to_numpy()
    for column in export.columns:
        if column.kind not in ("date", "datetime"):
            continue
        values = tidy[column.name]
        stamps = values.to_numpy()
        known = ~pd.isna(stamps)
        if not known.any():
            continue
        future = known & (stamps >= np.datetime64(today))
        early = known & (stamps < np.datetime64(earliest))
        problems += [problem(path, r, column.raw, v, f"päiväys viimeistään {fmt_day(today - pd.Timedelta(days=1))} "
                             f"(ei tulevaisuudessa)") for r, v in zip(rows[future], values[future])]
        problems += [problem(path, r, column.raw, v, f"päiväys aikaisintaan {fmt_day(earliest)}")
                     for r, v in zip(rows[early], values[early])]
        if column.kind == "datetime":
            ok = known & ~future & ~early
            if ok.any():
                middle = pd.Series(stamps[ok]).median()
                far = ok & (np.abs(stamps - np.datetime64(middle)) > SURVEY_WINDOW.to_timedelta64())
                problems += [problem(path, r, column.raw, v,
                                     f"vastausaika kyselyn vastausajan sisällä (muut vastaukset noin "
                                     f"{fmt_day(middle)} ± 6 kuukautta)") for r, v in zip(rows[far], values[far])]
    if problems:
        raise ExportError(problems)


def fmt_day(day) -> str:
    day = pd.Timestamp(day)
    return f"{day.day}.{day.month}.{day.year}"


def _keep_rows(table: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """table[keep], column by column, letting go of each full column once it is filtered (the
    table passed in is emptied), so that the table is never held twice in full."""
    if keep.all():
        return table
    index = table.index[keep]
    columns = {}
    for name in list(table.columns):
        columns[name] = table.pop(name).array[keep]
    return pd.DataFrame(columns, index=index, copy=False)


def _drop_junk(raw: pd.DataFrame, export: Export, path: Path, log: CleaningLog) -> pd.DataFrame:
    """Blank rows, then test rows, then exact duplicates of an earlier row: logged in that
    order, each in row order, and removed (raw is emptied; the rows kept are returned)."""
    names = [c for c in raw.columns if c != ROW]
    rows = raw[ROW].to_numpy()
    candidates = np.arange(len(raw))  # rows blank in every column looked at so far
    for name in names:
        if not len(candidates):
            break
        values = raw[name] if len(candidates) == len(raw) else subset(raw[name], candidates)
        candidates = candidates[_blank_cells(values)]
    blank = np.zeros(len(raw), dtype=bool)
    blank[candidates] = True
    log.add_rows(export.key, path, rows[blank], "poistettu", BLANK_ROW)
    marked = _test_rows(raw, export, ~blank)
    for position in sorted(marked):
        column, reason = marked[position]
        log.add(export.key, path, rows[position], "poistettu", reason, column)
    keep = ~blank
    keep[list(marked)] = False
    duplicate, first = _duplicates(raw, names, keep)
    for row, first_row in zip(rows[duplicate], rows[first]):
        log.add(export.key, path, row, "poistettu", DUPLICATE.format(first_row))
    keep[duplicate] = False
    return _keep_rows(raw, keep)


def _test_rows(raw: pd.DataFrame, export: Export, candidates: np.ndarray) -> dict[int, tuple[str, str]]:
    """Position -> (column, reason) of the rows among candidates that carry a test marker, named
    by the first column (in the export's order) that holds one."""
    identifiers = {c.raw for c in export.columns if c.test_marker}
    found: dict[int, tuple[str, str]] = {}
    for name in raw.columns:
        if name == ROW:
            continue
        identifier = name in identifiers
        for position in np.flatnonzero(_test_cells(raw[name], identifier) & candidates):
            if position not in found:
                value = raw[name].iloc[position].strip().lower()
                found[int(position)] = (name, TEST_WORD if value in TEST_WORDS else TEST_ID)
    return found


def _blank_cells(values: pd.Series) -> np.ndarray:
    """is_blank of every cell."""
    if is_text_column(values):  # missing, empty, or whitespace only (then maybe_padded)
        blank = values.isna().to_numpy() | to_numpy_bool(pc.equal(pc.binary_length(arrow(values)), 0))
        maybe = np.flatnonzero(maybe_padded(values) & ~blank)
        if len(maybe):
            blank[maybe] = to_numpy_bool(pc.utf8_is_space(arrow(subset(values, maybe))))
        return blank
    codes, reps = distinct(values)
    return np.array([is_blank(v) for v in reps], dtype=bool)[codes]


def _test_cells(values: pd.Series, identifier: bool = False) -> np.ndarray:
    """is_test_value of every cell. In a text column the rule runs only on the cells that hold
    TEST_CANDIDATE, a necessary condition for it."""
    if is_text_column(values):
        test = _matching_cells(arrow(values), TEST_CANDIDATE)
        where = np.flatnonzero(test)
        if len(where):
            test[where] = [is_test_value(v, identifier) for v in subset(values, where)]
        return test
    codes, reps = distinct(values)
    return np.array([is_test_value(v, identifier) for v in reps], dtype=bool)[codes]


GROUP = 256  # cells looked at together by _matching_cells


def _matching_cells(data: pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Mask of the cells in which the regex pattern matches, for a pattern that is rare. The
    regex runs first over runs of GROUP cells read as one string (a view on the same bytes, so
    nothing is copied; a match across two cells only costs a closer look), then cell by cell
    only in the runs that match."""
    found = np.zeros(len(data), dtype=bool)
    start = 0
    for chunk in data.chunks:
        n = len(chunk)
        if n and chunk.buffers()[2] is not None:
            offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=n + 1, offset=chunk.offset * 8)
            edges = np.ascontiguousarray(np.append(offsets[::GROUP], offsets[-1]) if n % GROUP else offsets[::GROUP])
            runs = pa.LargeStringArray.from_buffers(len(edges) - 1, pa.py_buffer(edges), chunk.buffers()[2])
            for run in np.flatnonzero(to_numpy_bool(pc.match_substring_regex(runs, pattern))):
                cells = chunk.slice(run * GROUP, GROUP)
                found[start + run * GROUP:start + run * GROUP + len(cells)] = to_numpy_bool(
                    pc.match_substring_regex(cells, pattern))
        start += n
    return found


def _duplicates(raw: pd.DataFrame, names: list[str], keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mask of the kept rows that repeat an earlier kept row exactly, position of that earlier
    row for each of them). Cells compare as text (str() in Excel), as DataFrame.duplicated on
    astype(str) does. Rows are first narrowed, column by column, to those whose hashed text
    columns equal another row's (equal rows hash equal, so none is lost), then compared exactly
    column by column; after an id column only the few candidates are left to look at."""
    where = np.flatnonzero(keep)
    hashes = np.zeros(len(where), dtype=np.uint64)
    for name in names:
        values = raw[name]
        if len(where) < 2:
            break
        if not is_text_column(values):
            continue
        hashes = hashes * _PRIME + string_hashes(values if len(where) == len(raw) else subset(values, where))
        repeated = _repeated(hashes)
        where, hashes = where[repeated], hashes[repeated]
    group = np.zeros(len(where), dtype=np.int64)
    for name in names:
        if len(where) < 2:
            break
        values = subset(raw[name], where)
        if not is_text_column(values):
            values = values.astype(str)
        codes, uniques = pd.factorize(values)
        group, _ = pd.factorize(group * (len(uniques) + 1) + (codes + 1))
        repeated = np.bincount(group)[group] > 1
        where, group = where[repeated], group[repeated]
    duplicate = np.zeros(len(raw), dtype=bool)
    if len(where) < 2:
        return duplicate, np.zeros(0, dtype=np.intp)
    _, first_of_group = np.unique(group, return_index=True)
    first = where[first_of_group[group]]
    later = first != where
    duplicate[where[later]] = True
    return duplicate, first[later]


def _repeated(values: np.ndarray) -> np.ndarray:
    """Mask of the values that occur more than once."""
    ordered = np.sort(values)
    twice = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
    found = np.zeros(len(values), dtype=bool)
    if len(twice):
        bits = np.zeros(1 << 22, dtype=bool)  # a quick sieve before the exact look-up
        bits[(twice & np.uint64((1 << 22) - 1)).astype(np.intp)] = True
        maybe = np.flatnonzero(bits[(values & np.uint64((1 << 22) - 1)).astype(np.intp)])
        found[maybe] = twice[np.minimum(np.searchsorted(twice, values[maybe]), len(twice) - 1)] == values[maybe]
    return found


_PRIME = np.uint64(0x100000001B3)
_INVERSE = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_LENGTH = np.uint64(0x9E3779B97F4A7C15)
_powers: dict[str, np.ndarray] = {}


def _power_tables(size: int) -> tuple[np.ndarray, np.ndarray]:
    """_PRIME**k and _INVERSE**k (mod 2**64) for k = 0..size."""
    if len(_powers.get("up", ())) <= size:
        n = max(size + 1, 2 * len(_powers.get("up", ())), 1 << 16)
        up, down = np.full(n, _PRIME), np.full(n, _INVERSE)
        up[0] = down[0] = 1
        _powers["up"], _powers["down"] = np.cumprod(up, dtype=np.uint64), np.cumprod(down, dtype=np.uint64)
    return _powers["up"], _powers["down"]


def string_hashes(values: pd.Series) -> np.ndarray:
    """A 64-bit hash of every cell of a text column (equal text, equal hash; missing cells hash
    as empty ones), by whole columns: the polynomial sum of the cell's bytes, computed as a
    difference of running sums over the bytes of 65 536 cells at a time."""
    out, start = np.empty(len(values), dtype=np.uint64), 0
    for chunk in arrow(values).chunks:
        for piece in range(0, len(chunk), 1 << 16):
            cells = chunk.slice(piece, 1 << 16)
            n = len(cells)
            offsets = np.frombuffer(cells.buffers()[1], dtype=np.int64, count=n + 1, offset=cells.offset * 8)
            base, size = int(offsets[0]), int(offsets[-1] - offsets[0])
            up, down = _power_tables(size)
            running = np.zeros(size + 1, dtype=np.uint64)
            if size:
                data = np.frombuffer(cells.buffers()[2], dtype=np.uint8, count=size, offset=base).astype(np.uint64)
                data += 1
                data *= down[:size]
                np.cumsum(data, out=running[1:])
            ends = offsets[1:] - base
            begins = offsets[:-1] - base
            hashes = (running[ends] - running[begins]) * up[ends]
            hashes ^= (ends - begins).astype(np.uint64) * _LENGTH
            out[start:start + n] = hashes
            start += n
    return out


def _trim_whitespace(raw: pd.DataFrame, export: Export, path: Path, log: CleaningLog) -> pd.DataFrame:
    """Trim whitespace in text cells, logging each change."""
    raw = raw.copy(deep=False)
    rows = raw[ROW].to_numpy()
    for column in export.columns:
        if column.kind not in ("text", "choice"):
            continue
        values = raw[column.raw]
        if is_text_column(values):
            data, where, after = trimmed(values)
            if not len(where):
                continue
            before = subset(values, where)
            trimmed_values = text_series(data, values)
        else:
            codes, reps = distinct(values)
            is_text = np.array([isinstance(v, str) for v in reps], dtype=bool)[codes]
            trimmed_values = values.where(~is_text, values[is_text].str.strip())
            where = np.flatnonzero(is_text & (trimmed_values != values).to_numpy(dtype=bool))
            if not len(where):
                continue
            before, after = values.iloc[where], trimmed_values.iloc[where]
        if column.logs_values:
            log.add_rows(export.key, path, rows[where], "muutettu", "ylimääräiset välilyönnit poistettu", column.raw,
                         before, after)
        else:  # free text: the row, the column and the kind of change, never the text itself
            log.add_rows(export.key, path, rows[where], "muutettu", "ylimääräiset välilyönnit poistettu", column.raw)
        raw[column.raw] = trimmed_values
    return raw


def write_processed(tables: dict[str, pd.DataFrame], log: CleaningLog, processed: Path) -> None:
    """Clean tables as parquet, with the cleaning log and its summary beside them."""
    processed = Path(processed)
    processed.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_parquet(processed / f"{name}.parquet", index=False)
    log.frame().to_csv(processed / "puhdistusloki.csv", index=False)
    log.summary_frame().to_csv(processed / "puhdistus_yhteenveto.csv", index=False)


@dataclass
class Cleaned:
    """What a report's cleaning did (each report's `clean`, hyte_nb/reports.py): its log, the
    clean tables it wrote and the sentences its cleaning page says about what else it wrote."""

    log: CleaningLog
    tables: dict[str, pd.DataFrame]
    notes: list[str] = field(default_factory=list)
