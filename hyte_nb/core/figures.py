"""The figures table: every figure of a report, computed once per year after cleaning and
stored beside the clean tables (data/processed/<year>/<report>/luvut.parquet).

One row per figure: id, nimi (label), arvo (unrounded value), n (the base, where the figure
is a share or a score), yksikko (lkm, %, pp, nps, % muutos, v) and osio (the report section
that shows it). Section notebooks, the reconciliation and the tests all read this table.

A figure computed from counts of persons also says what it comes from, so that small-count
suppression can hide it where a count is small (hyte_nb.core.suppression.derived): perusta,
the person counts it is computed from (a share of n: the count with and the count without; a
change of two shares: those of both; an NPS or a mean: its n), and lahteet, the ids of the
figures it is computed from (a change: its two shares).

Last year beside this year: a complete year is set beside last year's figures table; a year
still running (its period, hyte_nb.core.period, ends before 31.12.) beside last year's figures
for the same period, computed by the report's cleaning from last year's clean tables
(vertailuluvut.parquet, same columns), or beside nothing when those tables are not there.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hyte_nb.core import fmt
from hyte_nb.core.paths import FIGURES_FILE, SAME_PERIOD

COLUMNS = ["arvo", "n", "nimi", "yksikko", "osio", "perusta", "lahteet"]


class FigureTable:
    """Collects figures while a report's computation runs."""

    def __init__(self):
        self.rows: dict[str, dict] = {}

    def put(self, fid: str, value: float, n: int | None = None, *, label: str, unit: str, section: str,
            basis: list[int] | None = None, sources: list[str] | None = None) -> None:
        """`basis`: the person counts the figure is computed from; `sources`: the figures it is
        computed from (see the module's docstring)."""
        self.rows[fid] = {"arvo": float(value), "n": None if n is None else int(n), "nimi": label,
                          "yksikko": unit, "osio": section,
                          "perusta": None if basis is None else [int(c) for c in basis],
                          "lahteet": None if sources is None else [str(f) for f in sources]}

    def copy(self, fid: str, source: str, *, label: str, section: str) -> None:
        """The same figure printed again under another heading."""
        self.rows[fid] = {**self.rows[source], "nimi": label, "osio": section}

    def value(self, fid: str) -> float:
        return self.rows[fid]["arvo"]

    def frame(self) -> pd.DataFrame:
        table = pd.DataFrame.from_dict(self.rows, orient="index", columns=COLUMNS)
        table.index.name = "id"
        table["arvo"] = table["arvo"].astype(float)
        table["n"] = table["n"].astype("Int64")
        return table


def basis(figures: pd.DataFrame, fid: str) -> list[int]:
    """The person counts a figure is computed from ([] for a figure that says none). A table
    written before figures recorded them (last year's, built by an earlier version) gives what
    its n says: a share's counts with and without, another derived figure's n."""
    if "perusta" in figures.columns:
        return _listed(figures, fid, "perusta", int)
    row = figures.loc[fid]
    if pd.isna(row["n"]) or pd.isna(row["arvo"]):
        return []
    n = int(row["n"])
    if row["yksikko"] == "%":
        count = int(round(row["arvo"] * n / 100))
        return [count, n - count]
    return [n] if row["yksikko"] in ("pp", "nps", "% muutos", "v") else []


def sources(figures: pd.DataFrame, fid: str) -> list[str]:
    """The ids of the figures a figure is computed from ([] for none)."""
    return _listed(figures, fid, "lahteet", str)


def bases(figures: pd.DataFrame) -> dict[str, list[int]]:
    """basis() of every figure, the column read once (for a rule that looks at all of them)."""
    if "perusta" not in figures.columns:
        return {fid: basis(figures, fid) for fid in figures.index}
    return {fid: _as_list(value, int) for fid, value in zip(figures.index, figures["perusta"])}


def all_sources(figures: pd.DataFrame) -> dict[str, list[str]]:
    """sources() of every figure, the column read once."""
    if "lahteet" not in figures.columns:
        return {fid: [] for fid in figures.index}
    return {fid: _as_list(value, str) for fid, value in zip(figures.index, figures["lahteet"])}


def _listed(figures: pd.DataFrame, fid: str, column: str, kind) -> list:
    if column not in figures.columns:  # a table written before the column existed
        return []
    return _as_list(figures.at[fid, column], kind)


def _as_list(value, kind) -> list:
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return []
    return [kind(v) for v in value]


def write(figures: pd.DataFrame, processed: Path) -> Path:
    path = Path(processed) / FIGURES_FILE
    figures.to_parquet(path)
    return path


def combine(table: pd.DataFrame, *more: pd.DataFrame) -> pd.DataFrame:
    """Figures computed beside the report's own (from an optional export, e.g. the staff
    register) added to its figures table; a figure already there is replaced."""
    for figures in more:
        if figures.empty:
            continue
        table = pd.concat([table.drop(index=[f for f in figures.index if f in table.index]), figures])
        table["n"] = table["n"].astype("Int64")
    return table


def read(processed: Path) -> pd.DataFrame:
    path = Path(processed) / FIGURES_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path}: lukutaulu puuttuu; aja ensin raportin puhdistusmuistio")
    return pd.read_parquet(path)


def read_if_exists(processed: Path) -> pd.DataFrame | None:
    path = Path(processed) / FIGURES_FILE
    return pd.read_parquet(path) if path.exists() else None


def comparison(processed: Path, comparison_processed: Path) -> pd.DataFrame | None:
    """The figures to set beside this year's: last year's for the same period when this year is
    incomplete (None when they were not computed), else last year's figures table (None when
    last year was not built)."""
    from hyte_nb.core import period

    span = period.read(processed)
    if span is not None and not span.complete:
        path = Path(processed) / SAME_PERIOD
        return pd.read_parquet(path) if path.exists() else None
    return read_if_exists(comparison_processed)


def formatted(row: pd.Series) -> str:
    """One figure as the report writes it, by its unit (shares and scores keep their n apart)."""
    decimals = 1 if row["yksikko"] == "v" or (row["yksikko"] == "%" and 0 < abs(row["arvo"]) < 5) else 0
    if row["yksikko"] == "v":
        return fmt.number(row["arvo"], 1) + "\u00a0v"
    return fmt.by_unit(row["arvo"], row["yksikko"], decimals)


def change(now: pd.Series, before: pd.Series) -> str:
    """The change from last year, in the figure's own terms: percentage points for shares,
    points for NPS, percent for counts."""
    unit = now["yksikko"]
    diff = now["arvo"] - before["arvo"]
    if unit in ("%", "pp", "% muutos"):
        return ("+" if fmt.round_half_away(diff) > 0 else "") + fmt.percentage_points(diff)
    if unit == "nps":
        return fmt.nps(diff) + " pistettä"
    if unit == "v":
        return ("+" if diff > 0 else "") + fmt.number(diff, 1) + "\u00a0v"
    if before["arvo"] == 0:
        return ("+" if diff > 0 else "") + fmt.number(diff)
    return ("+" if diff > 0 else "") + fmt.number(diff) + f" ({fmt.nps(diff / before['arvo'] * 100)}\u00a0%)"


def section_table(figures: pd.DataFrame, section: str, previous: pd.DataFrame | None = None,
                  year: int | None = None, comparison_year: int | None = None) -> pd.DataFrame:
    """Every figure of a section as text, with the comparison year's value (by default the
    year before) and the change beside it where its figures exist."""
    before_column = str(comparison_year if comparison_year is not None else (year - 1 if year else "Vertailu"))
    part = figures[figures["osio"] == section]
    rows = []
    for fid, row in part.iterrows():
        shown = {"Luku": row["nimi"], str(year) if year else "Arvo": formatted(row),
                 "n": "" if pd.isna(row["n"]) else fmt.number(row["n"])}
        if previous is not None:
            if fid in previous.index:
                before = previous.loc[fid]
                shown = {"Luku": row["nimi"], before_column: formatted(before), **{k: v for k, v in shown.items()
                                                                                   if k != "Luku"},
                         "Muutos": change(row, before)}
            else:
                shown = {"Luku": row["nimi"], before_column: "–", **{k: v for k, v in shown.items() if k != "Luku"},
                         "Muutos": "–"}
        rows.append(shown)
    return pd.DataFrame(rows)
