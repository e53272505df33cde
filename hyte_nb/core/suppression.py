"""Small-count suppression: no published table or chart lets a reader count fewer than five
persons in a breakdown by a person's attribute, or work such a count out from the totals.

The rule (Statistics Finland's output checking of tables: primary and secondary suppression
with a threshold rule for frequency tables)
----------------------------------------------------------------------------------------------
- **Which tables.** Counts of persons broken down by an attribute of the person: municipality,
  professional group, responsibility area, service used, age group, a client's measured
  outcome. The caller says which kind a table is (`kind=PERSONS`, `ANSWERS` or `EVENTS`): the
  answer distribution of a whole question of an anonymous survey (`ANSWERS`) and counts of
  events, encounters or downloads (`EVENTS`) are not person breakdowns and are shown as they are.
- **Primary suppression (threshold rule).** A count of 1 to threshold − 1 persons (threshold 5
  by default, so 1–4) is shown as "< 5". Zero is shown: it identifies nobody. A line (row,
  column, or the whole 1-D table) whose own total is below the threshold is suppressed as a
  whole, zeros included ("< 5" is still true of a zero), as Statistics Finland does for a row
  whose total is below the threshold.
- **Secondary suppression.** Where a hidden count could be worked out from a printed total
  and the other printed counts, complementary counts are hidden too and shown as "..".
  They are chosen deterministically, smallest first: the shown counts of the lines through the
  exposed cell are tried in order of size (inner cells before totals, ties in row-major order)
  and the first that protects the cell on its own is hidden, else the smallest, and the next
  step goes on from there; only where its lines have nothing left to hide does the search move
  on to the lines of the cells hidden with it. In a 1-D breakdown with a printed total a single
  hidden count is recoverable, so a second one is hidden; in a 2-D table with margins every
  line with a hidden cell gets at least two hidden cells or its total hidden. A total is hidden
  only where no inner count can protect: every place that prints that n (a caption, a
  sentence) must then print `total_text()` instead.
- **What is proved.** The reader is assumed to know every printed count and total, that the
  cells add up to their totals, that "< 5" means 1–4 (0–4 in a line suppressed as a whole) and
  that ".." means 5 or more. Suppression continues until every hidden non-zero count has at
  least two values consistent with all of that. The check is exact: a table with its margins is
  a circulation (what flows into a row flows out through its total), so another whole-number
  table fitting everything printed exists exactly when the hidden count lies on a cycle of the
  table's residual graph (`_movable`). This is stronger than "every line has two hidden cells":
  two hidden counts of a line adding up to 2 (1 + 1) or to 8 (4 + 4) satisfy that rule and
  still give both values away; here they get a third. (tests/test_properties.py checks the
  guarantee on random tables independently: line by line, by linear algebra, and by
  enumeration or integer programming.)
- **Shares and intervals.** A share, a confidence interval, a change or any other figure
  computed on a hidden count is hidden as well (`mask`, shown as ".."); in a chart a hidden
  category has no bar (`values` gives NaN) and its label carries the mark (`labels`).
- **Threshold.** 5 unless the project's organisaatio.yml says otherwise
  (`pienet_luvut: {raja: 5}`; at least 3). The file cannot switch suppression off.
- **Internal runs.** Suppression is switched off only by the environment variable
  HYTE_NB_EI_JULKAISTAVAKSI=1 (the build passes its environment on to every notebook). Every page
  of such a run must then carry `banner()`: "EI JULKAISTAVAKSI".

Sources: Statistics Finland, output checking in remote access (FIONA): "Cell suppression includes
primary suppression of cells with a risk of disclosure and secondary suppression. Secondary
suppression ensures that the values of primarily suppressed cells cannot be disclosed by means of
table row or column totals ... If only a small number of statistical units belong to a particular
row total of the table (fewer than the used threshold value), the row is suppressed in total",
https://stat.fi/en/services/services-for-researchers/instructions-for-researchers/using-the-datasets/output-checking-fiona
and its guide "Remote access to research data", chapter 3 (statistical data protection),
https://guides.stat.fi/remote-access-to-research-data/statistical-data-protection. The threshold
rule for frequency tables: a cell is sensitive when it has fewer than a set number of units,
usually three to five (Glossary of Statistical Disclosure Control, UNECE/Eurostat 2005, in the
OECD glossary of statistical terms, https://stats.oecd.org/glossary/detail.asp?ID=7010). The
mark ".." for a figure withheld for confidentiality follows the Finnish statistical tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hyte_nb.core import figures as figures_table
from hyte_nb.core import fmt
# The threshold, the internal-run switch and its banner live apart, without pandas: every page
# and index of a build reads them, also a rebuild that runs no notebook.
from hyte_nb.core.suppression_settings import (ENV_OFF, MINIMUM_THRESHOLD, Settings, banner,  # noqa: F401
                                               banner_html, settings)

HIDDEN = ".."  # a secondary-suppressed count, and every share or interval computed on a hidden count
CHART_NOTE = "Piilotettu pienten lukujen suojauksen vuoksi: {}"  # a chart's note on its hidden values (charts' missing=)

# What a table counts; the caller must say which (only PERSONS is suppressed).
PERSONS = "henkilöt"  # persons broken down by an attribute of theirs
ANSWERS = "vastaukset"  # the answer distribution of a whole question of an anonymous survey
EVENTS = "tapahtumat"  # events, encounters, downloads: not persons
KINDS = (PERSONS, ANSWERS, EVENTS)

PRIMARY = "ensisijainen"  # 1..threshold-1, or in a line whose total is below the threshold
SECONDARY = "toissijainen"  # hidden so that a primary one cannot be worked out
_SHOWN = ""


# -- the engine: cells, the equations a reader knows, and what they give away ----------------------
@dataclass
class _Table:
    """Every published cell of a table (inner cells and totals) and its additive equations:
    sum(values[parts]) == values[total]."""

    values: np.ndarray
    margin: np.ndarray  # bool: a total, not an inner cell
    equations: list[tuple[list[int], int]]

    def lines_of(self) -> list[list[int]]:
        lines: list[list[int]] = [[] for _ in self.values]
        for k, (parts, total) in enumerate(self.equations):
            for cell in (*parts, total):
                lines[cell].append(k)
        return lines


def _initial(table: _Table, threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """Primary suppression: statuses and the reader's lower bound of each primary cell (0 in a
    line suppressed as a whole, where a '< 5' may hide a zero; 1 elsewhere)."""
    values = table.values
    status = np.array([_SHOWN] * len(values), dtype=object)
    small = (values >= 1) & (values < threshold)
    status[small & ~table.margin] = PRIMARY
    low = np.ones(len(values), dtype=np.int64)
    for parts, total in table.equations:
        if 1 <= values[total] < threshold:  # the whole line, zeros included
            status[total] = PRIMARY
            status[parts] = PRIMARY
            low[parts] = 0
    return status, low


def _arcs(table: _Table) -> list[tuple[int, int]]:
    """Every cell as an arc (tail, head) between equations, so that the table's equations say
    "what flows into an equation flows out of it": a table with its margins is a circulation.

    A cell is a part (+1) or the total (-1) of each equation it is in. Equations are two-coloured
    so that a cell with the same sign in two equations joins two colours and one with opposite
    signs joins one colour; the equations of one colour are multiplied by -1. Then every cell
    has +1 in one equation (its tail) and -1 in the other (its head). A cell in one equation
    only (a count whose row total is not printed) has the free node `ground` at its other end."""
    ground = len(table.equations)
    signs: list[list[tuple[int, int]]] = [[] for _ in table.values]
    for k, (parts, total) in enumerate(table.equations):
        for cell in parts:
            signs[cell].append((k, 1))
        signs[total].append((k, -1))
    colour: dict[int, int] = {}
    links: list[list[tuple[int, int]]] = [[] for _ in table.equations]  # (other equation, must differ)
    for cell_signs in signs:
        if len(cell_signs) == 2:
            (a, sa), (b, sb) = cell_signs
            links[a].append((b, int(sa == sb)))
            links[b].append((a, int(sa == sb)))
        elif len(cell_signs) > 2:
            raise ValueError("Pienten lukujen suojaus: solu kuuluu useampaan kuin kahteen summaan")
    for start in range(len(table.equations)):
        if start in colour:
            continue
        colour[start], queue = 0, [start]
        while queue:
            here = queue.pop()
            for other, differ in links[here]:
                wanted = colour[here] ^ differ
                if other not in colour:
                    colour[other] = wanted
                    queue.append(other)
                elif colour[other] != wanted:
                    raise ValueError("Pienten lukujen suojaus: taulukon summat eivät muodosta kiertoa")
    arcs = []
    for cell_signs in signs:
        ends = {}
        for k, sign in cell_signs:
            ends[sign if colour[k] == 0 else -sign] = k
        arcs.append((ends.get(1, ground), ends.get(-1, ground)))
    return arcs


def _movable(arcs: list[tuple[int, int]], values: np.ndarray, status: np.ndarray, low: np.ndarray,
             threshold: int, cell: int) -> bool:
    """Can this hidden cell change by one while every printed figure stays as printed and every
    hidden one stays within what its mark says (primary: low..threshold-1, secondary:
    threshold or more)? Only if it lies on a cycle of the residual graph: any other table that
    fits differs from this one by a sum of cycles (a circulation), each of which fits on its
    own, so the answer is exact."""
    adjacency: dict[int, list[int]] = {}
    for other, (tail, head) in enumerate(arcs):
        if other == cell or status[other] == _SHOWN:
            continue
        lowest = int(low[other]) if status[other] == PRIMARY else threshold
        highest = threshold - 1 if status[other] == PRIMARY else None
        if highest is None or values[other] + 1 <= highest:
            adjacency.setdefault(tail, []).append(head)
        if values[other] - 1 >= lowest:
            adjacency.setdefault(head, []).append(tail)

    def reaches(source: int, target: int) -> bool:
        seen, queue = {source}, [source]
        while queue:
            here = queue.pop()
            if here == target:
                return True
            for nxt in adjacency.get(here, ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return False

    tail, head = arcs[cell]
    lowest = int(low[cell]) if status[cell] == PRIMARY else threshold
    highest = threshold - 1 if status[cell] == PRIMARY else None
    up = (highest is None or values[cell] + 1 <= highest) and reaches(head, tail)
    down = values[cell] - 1 >= lowest and reaches(tail, head)
    return up or down


def _exposed(table: _Table, status: np.ndarray, low: np.ndarray, threshold: int,
             only: list[int] | None = None) -> list[int]:
    """Hidden non-zero cells that have a single possible value."""
    arcs = _arcs(table)
    cells = only if only is not None else range(len(table.values))
    return [cell for cell in cells if status[cell] != _SHOWN and table.values[cell] > 0
            and not _movable(arcs, table.values, status, low, threshold, cell)]


def _candidates(table: _Table, status: np.ndarray, cell: int, lines_of: list[list[int]], threshold: int) -> list[int]:
    """Cells that may be hidden to protect an exposed one, in the order they are tried: the
    shown counts of its lines, smallest first (inner cells before totals, then row-major order);
    where its lines have nothing left to hide, those of the lines of the cells hidden with it,
    and so on outwards."""
    seen_lines: set[int] = set()
    frontier, seen_cells = [cell], {cell}
    while frontier:
        lines = sorted({k for c in frontier for k in lines_of[c]} - seen_lines)
        if not lines:
            return []
        seen_lines.update(lines)
        members = sorted({c for k in lines for c in (*table.equations[k][0], table.equations[k][1])})
        candidates = [c for c in members if status[c] == _SHOWN and table.values[c] >= threshold]
        if candidates:
            return sorted(candidates, key=lambda c: (bool(table.margin[c]), int(table.values[c]), c))
        frontier = [c for c in members if status[c] != _SHOWN and c not in seen_cells]
        seen_cells.update(frontier)
    return []


def _protect(table: _Table, threshold: int) -> np.ndarray:
    """Primary suppression, then complementary cells one at a time until no hidden non-zero
    count has a single possible value. Each step protects one exposed cell (the one the last
    step worked on while it is still exposed, else the first primary one, else the first, in
    row-major order) with the first candidate, smallest first, that protects it on its own;
    where none does alone, with the smallest, and the next step goes on from there."""
    status, low = _initial(table, threshold)
    lines_of = table.lines_of()
    cell = None
    while True:
        exposed = _exposed(table, status, low, threshold)
        if not exposed:
            return status
        if cell not in exposed:
            cell = min(exposed, key=lambda c: (status[c] != PRIMARY, c))
        candidates = _candidates(table, status, cell, lines_of, threshold)
        if not candidates:  # everything around it is hidden already: cannot happen with consistent totals
            raise RuntimeError("Pienten lukujen suojaus ei löytänyt piilotettavaa solua; taulukko: "
                               f"{table.values.tolist()}")
        chosen = candidates[0]
        for candidate in candidates:
            status[candidate] = SECONDARY
            still = _exposed(table, status, low, threshold, only=[cell])
            status[candidate] = _SHOWN
            if not still:
                chosen = candidate
                break
        status[chosen] = SECONDARY


# -- what a page uses ------------------------------------------------------------------------------------
def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Tuntematon taulukon laji {kind!r}: valitse suppression.PERSONS (henkilöt jaoteltuna "
                         f"henkilön ominaisuuden mukaan), ANSWERS (anonyymin kyselyn kysymyksen vastausjakauma) tai "
                         f"EVENTS (tapahtumat, kohtaamiset, lataukset).")


def _whole_numbers(values, what: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if np.isnan(array).any() or (array < 0).any() or (array != np.round(array)).any():
        raise ValueError(f"Pienten lukujen suojaus: {what} pitää olla ei-negatiivisia kokonaislukuja, "
                         f"saatiin {np.asarray(values).tolist()}")
    return array.astype(np.int64)


@dataclass
class Suppression:
    """A table's counts and which of them are hidden. Build it with `one_way` or `two_way`.

    status (like counts): '' shown, PRIMARY ('< 5'), SECONDARY ('..'); totals likewise:
    `total_status` (1-D), `row_total_status`, `column_total_status`, `grand_total_status` (2-D;
    '' also where the total is not printed)."""

    kind: str
    settings: Settings
    counts: pd.Series | pd.DataFrame
    status: pd.Series | pd.DataFrame
    total_status: str = _SHOWN
    row_total_status: pd.Series | None = None
    column_total_status: pd.Series | None = None
    grand_total_status: str = _SHOWN
    _table: _Table | None = field(default=None, repr=False)  # every published cell, for `exposed`
    _labels: list | None = field(default=None, repr=False)
    _all_status: np.ndarray | None = field(default=None, repr=False)

    @property
    def active(self) -> bool:
        """Does suppression apply (a person breakdown, suppression on)?"""
        return self.kind == PERSONS and self.settings.on

    @property
    def hidden(self) -> pd.Series | pd.DataFrame:
        """True where a count is hidden (primary or secondary): mask its shares with it."""
        return self.status != _SHOWN

    @property
    def any(self) -> bool:
        """Is anything hidden (a count or a total)? Then the page needs `footnote()`."""
        totals = [self.total_status, self.grand_total_status]
        for extra in (self.row_total_status, self.column_total_status):
            if extra is not None:
                totals.extend(extra.tolist())
        return bool(np.asarray(self.hidden).any()) or any(s != _SHOWN for s in totals)

    @property
    def total_hidden(self) -> bool:
        """1-D: is the total hidden too (then n must not be printed anywhere either)?"""
        return self.total_status != _SHOWN

    def _mark(self, status: str, value) -> str:
        if status == PRIMARY:
            return self.settings.mark
        if status == SECONDARY:
            return HIDDEN
        return fmt.number(value)

    def text(self) -> pd.Series | pd.DataFrame:
        """The counts as printed: '58', '< 5', '..'."""
        if isinstance(self.counts, pd.DataFrame):
            return pd.DataFrame({c: [self._mark(s, v) for s, v in zip(self.status[c], self.counts[c])]
                                 for c in self.counts.columns}, index=self.counts.index, dtype=object)
        return pd.Series([self._mark(s, v) for s, v in zip(self.status, self.counts)], index=self.counts.index,
                         dtype=object, name=self.counts.name)

    def total_text(self) -> str:
        """1-D: the total as printed (also for 'n = …' in a caption)."""
        return self._mark(self.total_status, int(np.asarray(self.counts).sum()))

    def row_totals_text(self) -> pd.Series:
        return pd.Series([self._mark(s, v) for s, v in zip(self.row_total_status, self.counts.sum(axis=1))],
                         index=self.counts.index, dtype=object)

    def column_totals_text(self) -> pd.Series:
        return pd.Series([self._mark(s, v) for s, v in zip(self.column_total_status, self.counts.sum(axis=0))],
                         index=self.counts.columns, dtype=object)

    def grand_total_text(self) -> str:
        return self._mark(self.grand_total_status, int(np.asarray(self.counts).sum()))

    def _where(self, where) -> np.ndarray:
        return np.asarray(self.hidden if where is None else where, dtype=bool)

    def mask(self, values, where=None, mark: str = HIDDEN):
        """Values (numbers or text: shares, intervals, changes) computed on the counts, in the same
        order and shape, with `mark` where the count is hidden (or where `where` says)."""
        hide = self._where(where)
        if isinstance(values, pd.DataFrame):
            out = values.astype(object).copy()
            out = out.mask(pd.DataFrame(hide.reshape(out.shape), index=out.index, columns=out.columns), mark)
            return out
        index = values.index if isinstance(values, pd.Series) else None
        array = np.asarray(values, dtype=object).copy()
        array[hide.reshape(array.shape)] = mark
        return pd.Series(array, index=index, dtype=object,
                         name=values.name if isinstance(values, pd.Series) else None)

    def values(self, values, where=None):
        """Numbers for a chart, NaN where hidden (no bar, no whisker)."""
        hide = self._where(where)
        if isinstance(values, (pd.Series, pd.DataFrame)):
            out = values.astype(float).copy()
            return out.mask(hide.reshape(out.shape) if isinstance(out, pd.DataFrame) else hide)
        array = np.asarray(values, dtype=float).copy()
        array[hide.reshape(array.shape)] = np.nan
        return array

    def marks(self) -> pd.Series | pd.DataFrame:
        """'' where a count is shown, its mark ('< 5', '..') where hidden, by the counts' labels:
        for a chart's data table and alt text, or to mask figures by id (build the counts with
        figure ids as the index)."""
        if isinstance(self.counts, pd.DataFrame):
            return pd.DataFrame({c: [self._mark(s, 0) if s != _SHOWN else "" for s in self.status[c]]
                                 for c in self.counts.columns}, index=self.counts.index, dtype=object)
        return pd.Series([self._mark(s, 0) if s != _SHOWN else "" for s in self.status], index=self.counts.index,
                         dtype=object)

    def labels(self, labels) -> list[str]:
        """1-D: category labels for a chart, the mark added to a hidden one: 'Luhanka (< 5)'."""
        status = list(self.status)
        return [f"{label} ({self._mark(s, 0)})" if s != _SHOWN else str(label) for label, s in zip(labels, status)]

    def table(self, frame: pd.DataFrame, count: str, derived: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
        """1-D, one call per displayed table: `frame` (formatted, one row per count, in the
        counts' order) with its `count` column replaced by the printed counts and every `derived`
        column (share, interval, …) masked where the count is hidden."""
        if len(frame) != len(self.counts):
            raise ValueError(f"Taulukossa on {len(frame)} riviä, lukumääriä {len(self.counts)}")
        out = frame.copy()
        out[count] = self.text().to_numpy()
        for column in derived:
            out[column] = self.mask(out[column].to_numpy()).to_numpy()
        return out

    def footnote(self, unit: str = "henkilöä") -> str:
        """The explanation a page prints under a table or chart with hidden counts ('' if none)."""
        if not self.any:
            return ""
        text = f"{self.settings.mark} = alle {self.settings.threshold} {unit}"
        if self._has(SECONDARY):
            text += (f"; {HIDDEN} = luku on piilotettu, jotta pieniä lukuja ei voisi päätellä summista")
        return text + ". Piilotetuista luvuista laskettuja osuuksia ja luottamusvälejä ei näytetä."

    def _has(self, status: str) -> bool:
        everything = list(np.asarray(self.status).ravel()) + [self.total_status, self.grand_total_status]
        for extra in (self.row_total_status, self.column_total_status):
            if extra is not None:
                everything.extend(extra.tolist())
        return status in everything

    def exposed(self) -> list:
        """Hidden non-zero counts a reader could still work out exactly, by label (a self-check:
        always empty)."""
        if not self.active or self._table is None:
            return []
        _, low = _initial(self._table, self.settings.threshold)
        return [self._labels[c] for c in _exposed(self._table, self._all_status, low, self.settings.threshold)]


def _line(values: np.ndarray, total: bool = True) -> _Table:
    n = len(values)
    if not total:
        return _Table(values, np.zeros(n, dtype=bool), [])
    return _Table(np.append(values, values.sum()), np.append(np.zeros(n, dtype=bool), True),
                  [(list(range(n)), n)])


def _grid(values: np.ndarray, row_totals: bool, column_totals: bool) -> _Table:
    r, c = values.shape
    cells = list(values.ravel())
    margin = [False] * (r * c)
    equations = []
    row_at = col_at = None
    if row_totals:
        row_at = len(cells)
        cells += list(values.sum(axis=1))
        margin += [True] * r
        equations += [([i * c + j for j in range(c)], row_at + i) for i in range(r)]
    if column_totals:
        col_at = len(cells)
        cells += list(values.sum(axis=0))
        margin += [True] * c
        equations += [([i * c + j for i in range(r)], col_at + j) for j in range(c)]
    if row_totals and column_totals:
        grand = len(cells)
        cells.append(values.sum())
        margin.append(True)
        equations += [([row_at + i for i in range(r)], grand), ([col_at + j for j in range(c)], grand)]
    return _Table(np.array(cells, dtype=np.int64), np.array(margin, dtype=bool), equations)


def one_way(counts, *, kind: str, total: bool = True, config: Settings | None = None) -> Suppression:
    """A breakdown of one attribute: counts per category (a Series; a list is numbered 0..).
    `total`: is the total printed (on the page, in a caption such as 'n = 123', or elsewhere in
    the report)? Almost always; with total=False only the primary rule applies.

    >>> s = one_way(pd.Series({"Jyväskylä": 66, "Laukaa": 6, "Luhanka": 1}), kind=PERSONS)
    >>> s.text().tolist()       # Luhanka 1 < 5; alone it would be 73 - 66 - 6: Laukaa hidden too
    ['66', '..', '<\xa05']
    """
    _check_kind(kind)
    config = config or settings()
    counts = counts.copy() if isinstance(counts, pd.Series) else pd.Series(list(counts))
    values = _whole_numbers(counts.to_numpy(), "lukumäärien")
    table = _line(values, total)
    status = np.array([_SHOWN] * len(table.values), dtype=object)
    if kind == PERSONS and config.on and len(values):
        status = _protect(table, config.threshold)
    return Suppression(kind, config, counts, pd.Series(status[:len(values)], index=counts.index, dtype=object),
                       total_status=status[len(values)] if total else _SHOWN, _table=table,
                       _labels=[*counts.index, "yhteensä"][:len(table.values)], _all_status=status)


def two_way(counts: pd.DataFrame, *, kind: str, row_totals: bool = True, column_totals: bool = True,
            config: Settings | None = None) -> Suppression:
    """A cross-tabulation (rows × columns of counts). `row_totals` / `column_totals`: are the
    rows' / columns' totals printed (in the table, a caption, or as the n of each column)?
    E.g. a background question's answers by survey year: rows = options, columns = years,
    column_totals=True (each year's n is printed), row_totals=False."""
    _check_kind(kind)
    config = config or settings()
    values = _whole_numbers(counts.to_numpy(), "lukumäärien").reshape(counts.shape)
    r, c = values.shape
    table = _grid(values, row_totals, column_totals)
    status = np.array([_SHOWN] * len(table.values), dtype=object)
    if kind == PERSONS and config.on and values.size:
        status = _protect(table, config.threshold)
    labels = [(row, col) for row in counts.index for col in counts.columns]
    labels += [(row, "yhteensä") for row in counts.index] if row_totals else []
    labels += [("yhteensä", col) for col in counts.columns] if column_totals else []
    labels += [("yhteensä", "yhteensä")] if row_totals and column_totals else []
    at = r * c
    inner = pd.DataFrame(status[:at].reshape(r, c), index=counts.index, columns=counts.columns, dtype=object)
    row_status = column_status = None
    if row_totals:
        row_status = pd.Series(status[at:at + r], index=counts.index, dtype=object)
        at += r
    if column_totals:
        column_status = pd.Series(status[at:at + c], index=counts.columns, dtype=object)
        at += c
    grand = status[at] if row_totals and column_totals else _SHOWN
    return Suppression(kind, config, counts.copy(), inner, row_total_status=row_status,
                       column_total_status=column_status, grand_total_status=grand, _table=table, _labels=labels,
                       _all_status=status)


def binary(count: int, n: int, *, kind: str, config: Settings | None = None) -> Suppression:
    """A share of n persons (count with the attribute, n - count without), n printed: hide the
    share (`.any`) when either side is 1..threshold-1, since n gives the other side away."""
    if count > n:
        raise ValueError(f"Pienten lukujen suojaus: osa {count} on suurempi kuin kaikki {n}")
    return one_way(pd.Series([count, n - count], index=["kyllä", "ei"]), kind=kind, config=config)


def counts_from_shares(shares, n) -> pd.Series:
    """The counts behind shares (percent) of n persons, for tables that store shares and n (the
    figures table): round(share * n / 100), checked to be whole numbers of n."""
    values = pd.Series(shares, dtype=float) if not isinstance(shares, pd.Series) else shares.astype(float)
    n = np.broadcast_to(np.asarray(n, dtype=float), values.shape)
    exact = values.to_numpy() * n / 100
    counts = np.round(exact)
    if (np.abs(exact - counts) > 1e-6 * np.maximum(n, 1)).any():
        raise ValueError(f"Pienten lukujen suojaus: osuudet {values.tolist()} eivät ole kokonaislukuja "
                         f"{n.tolist()}:sta")
    return pd.Series(counts.astype(np.int64), index=values.index)


def figure_marks(figures: pd.DataFrame, ids: list[str], *, counts: str, total: bool = True,
                 config: Settings | None = None) -> dict[str, str]:
    """{figure id: mark} for the hidden figures of one person breakdown kept in the figures
    table (index id; columns arvo, n): what a figure listing, the reconciliation or an index
    headline must mask so that it hides what the page's table hides. `counts` says where the
    breakdown's counts are: 'arvo' (the figures are counts, e.g. clients per service), 'n' (each
    figure's n is its group's count, e.g. NPS per service group) or 'osuus' (the figures are
    shares of their n, e.g. volunteers per task)."""
    rows = figures.loc[list(ids)]
    if counts == "arvo":
        values = rows["arvo"]
    elif counts == "n":
        values = rows["n"]
    elif counts == "osuus":
        values = counts_from_shares(rows["arvo"], rows["n"].to_numpy(dtype=float))
    else:
        raise ValueError(f"counts: 'arvo', 'n' tai 'osuus', ei {counts!r}")
    marks = one_way(pd.Series(values.to_numpy(), index=rows.index), kind=PERSONS, total=total, config=config).marks()
    return {fid: mark for fid, mark in marks.items() if mark}


def count(n: int, *, kind: str, config: Settings | None = None) -> str:
    """A single count printed on its own (e.g. 'n' of one group): '< 5' for 1..threshold-1."""
    _check_kind(kind)
    config = config or settings()
    value = int(_whole_numbers([n], "lukumäärän")[0])
    if kind == PERSONS and config.on and 1 <= value < config.threshold:
        return config.mark
    return fmt.number(value)


# -- figures computed from counts of persons ---------------------------------------------------------------
def derived(figures: pd.DataFrame, hidden: Mapping[str, object] = (), config: Settings | None = None
            ) -> dict[str, tuple[str, str]]:
    """The derived figures of a figures table that a public page hides, beyond those in `hidden`
    (the report's breakdowns): {id: (the value's mark, the n's mark or '')}. One rule for every
    share, change in percentage points, NPS and mean, on every page, text and index (each
    report's `hidden_figures` ends with it; a difference between years is hidden where either
    year's figure is, `display.section_figures`):

    - a figure is hidden ('..') when any person count it is computed from (its `perusta` in the
      figures table: a share's count with and without, both shares' of a change, an NPS's or a
      mean's n), or its own n, is 1..threshold-1, since the figure and its n give that count
      away; its n is then printed as '< 5' too where the n itself is such a count;
    - an NPS is hidden when the printed score with its n leaves a single possible number of
      promoters, passives or detractors and that number is 1..threshold-1 (n = 6, NPS +83: 5
      promoters, 1 passive);
    - a figure computed from a hidden figure (its `lahteet`) is hidden, until nothing changes.
    Empty when suppression is off."""
    config = config or settings()
    if not config.on or figures.empty:
        return {}
    small = range(1, config.threshold)
    out: dict[str, tuple[str, str]] = {}
    # Every column read once into dicts: the rule visits every figure, some of them many times.
    ns = figures["n"].to_dict() if "n" in figures.columns else {}
    units, values = figures["yksikko"].to_dict(), figures["arvo"].to_dict()
    bases, sources = figures_table.bases(figures), figures_table.all_sources(figures)

    def n_mark(fid: str) -> str:
        n = ns.get(fid)
        return config.mark if n is not None and not pd.isna(n) and int(n) in small else ""

    for fid in figures.index:
        if fid in hidden:
            continue
        counts = bases[fid]
        pinned = (units[fid] == "nps" and counts and not pd.isna(values[fid])
                  and nps_pins_a_small_count(float(values[fid]), int(ns[fid]), config))
        if counts and (any(c in small for c in counts) or n_mark(fid)) or pinned:  # its base n is a count too
            out[fid] = (HIDDEN, n_mark(fid))
    changed = True
    while changed:
        changed = False
        for fid in figures.index:
            if fid not in hidden and fid not in out and any(
                    s in hidden or s in out for s in sources[fid]):
                out[fid] = (HIDDEN, n_mark(fid))
                changed = True
    return out


def nps_pins_a_small_count(score: float, n: int, config: Settings | None = None) -> bool:
    """Does an NPS printed as a whole number (+83) with its n leave a single possible count of
    promoters, passives or detractors, 1..threshold-1? (score = (promoters - detractors) / n.)"""
    config = config or settings()
    if n < 1:
        return False
    printed = fmt.round_half_away(score)
    found: list[set[int]] = [set(), set(), set()]
    for k in range(-n, n + 1):  # promoters - detractors
        # only a k within about half a point of the printed score can round to it: the exact
        # rounding (a Decimal's) is asked of those few, not of all 2n + 1
        if abs(k / n * 100 - printed) > 0.51 or fmt.round_half_away(k / n * 100) != printed:
            continue
        for promoters in range(max(k, 0), (n + k) // 2 + 1):
            detractors = promoters - k
            found[0].add(promoters)
            found[1].add(n - promoters - detractors)
            found[2].add(detractors)
    return any(len(values) == 1 and 1 <= next(iter(values)) < config.threshold for values in found)
