"""Property-based tests (hypothesis) of the metrics, the Finnish formatters and small-count
suppression: each property is checked on a few hundred generated cases, not on hand-picked ones.

Suppression is checked from what a reader sees (the printed text), independently of how
`hyte_nb.core.suppression` decides: no line with a hidden count has only one hidden member, no
hidden count follows linearly from the printed ones, and (exactly, by enumeration or integer
programming) every hidden non-zero count has at least two possible values.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from hyte_nb.core import fmt, metrics, suppression
from hyte_nb.core.fmt import MINUS, NBSP
from hyte_nb.kysely import analysis

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- metrics ---------------------------------------------------------------------------------------
scores = st.lists(st.one_of(st.integers(0, 10), st.none()), max_size=60)


@FAST
@given(scores)
def test_nps_is_promoters_minus_detractors_over_the_answered(values):
    value, n = metrics.nps(pd.Series(values, dtype="float"))
    answered = [v for v in values if v is not None]
    assert n == len(answered)
    if not answered:
        assert math.isnan(value)
        return
    promoters = sum(v >= 9 for v in answered)
    detractors = sum(v <= 6 for v in answered)
    assert value == pytest.approx((promoters - detractors) / len(answered) * 100)
    assert -100 <= value <= 100


@FAST
@given(scores)
def test_nps_reads_nullable_integers_like_floats(values):
    as_float = metrics.nps(pd.Series(values, dtype="float"))
    as_nullable = metrics.nps(pd.Series(values, dtype="Int64"))
    assert as_float[1] == as_nullable[1]
    assert as_float[0] == pytest.approx(as_nullable[0], nan_ok=True)


@FAST
@given(st.lists(st.one_of(st.booleans(), st.none()), max_size=60))
def test_a_share_and_its_complement_make_a_hundred(flags):
    series = pd.Series(flags, dtype="boolean")
    share, n = metrics.share(series)
    other, m = metrics.share(~series)
    assert n == m == sum(f is not None for f in flags)
    if n:
        assert 0 <= share <= 100
        assert math.fsum([share, other]) == pytest.approx(100)


LABELS = ["Hyvin", "Melko hyvin", "Melko huonosti", "Huonosti", "En osaa sanoa"]


@FAST
@given(st.lists(st.one_of(st.sampled_from(LABELS), st.none()), min_size=1, max_size=80))
def test_shares_of_a_distribution_sum_to_a_hundred_before_rounding(answers):
    if all(a is None for a in answers):
        answers = answers + [LABELS[0]]
    dist = analysis.distribution(pd.Series(answers, dtype=object), LABELS)
    assert int(dist["lkm"].sum()) == int(dist["n"].iloc[0]) == sum(a is not None for a in answers)
    assert math.fsum(dist["osuus"]) == pytest.approx(100, abs=1e-9)
    assert ((dist["ci_ala"] <= dist["osuus"] + 1e-9) & (dist["osuus"] <= dist["ci_yla"] + 1e-9)).all()


@FAST
@given(st.lists(st.sampled_from(["ryhmänohjaus", "tukihenkilö", "asiointiapu", "keskusteluapu"]), min_size=1,
                max_size=80))
def test_shares_of_tasks_computed_one_by_one_sum_to_a_hundred(tasks):
    series = pd.Series(tasks)
    shares = [metrics.share(series == task)[0] for task in set(tasks)]
    assert math.fsum(shares) == pytest.approx(100)


# -- formatters ------------------------------------------------------------------------------------
finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e30, max_value=1e30)
everyday = st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
                     st.integers(-10**15, 10**15).map(float),
                     st.integers(-10**6, 10**6).map(lambda k: k / 1000))  # exact ties: 2.5, -0.125
decimals = st.integers(0, 4)


@FAST
@given(st.one_of(finite, everyday), decimals)
def test_finnish_numbers_round_trip(x, d):
    text = fmt.number(x, d)
    assert fmt.parse_number(text) == fmt.round_half_away(x, d)


@FAST
@given(st.one_of(finite, everyday), decimals)
def test_finnish_numbers_look_finnish(x, d):
    text = fmt.number(x, d)
    assert "." not in text and "-" not in text and " " not in text  # decimal comma, minus sign, no-break spaces
    assert (text.count(",") == 1) == (d > 0)
    whole = text.lstrip(MINUS).split(",")[0].split(NBSP)
    assert 1 <= len(whole[0]) <= 3 and all(len(group) == 3 for group in whole[1:])
    assert text.startswith(MINUS) == (fmt.round_half_away(x, d) < 0)  # so never "−0"


@FAST
@given(everyday, decimals)
def test_rounding_is_half_away_from_zero(x, d):
    rounded = fmt.round_half_away(x, d)
    assert fmt.round_half_away(-x, d) == -rounded
    assert abs(rounded - x) <= 0.5 * 10 ** -d + 1e-9 * max(1, abs(x))


@FAST
@given(st.one_of(everyday, st.just(float("nan"))), decimals)
def test_percent_is_the_number_and_a_no_break_space(x, d):
    if math.isnan(x):
        assert fmt.percent(x, d) == fmt.MISSING
    else:
        assert fmt.percent(x, d) == f"{fmt.number(x, d)}{NBSP}%"


@FAST
@given(st.floats(min_value=-100, max_value=100, allow_nan=False))
def test_nps_carries_plus_or_minus_sign_and_never_a_signed_zero(x):
    text, rounded = fmt.nps(x), fmt.round_half_away(x)
    assert text not in ("+0", f"{MINUS}0", "-0")
    if rounded > 0:
        assert text.startswith("+") and fmt.parse_number(text[1:]) == rounded
    elif rounded < 0:
        assert text.startswith(MINUS) and fmt.parse_number(text) == rounded
    else:
        assert text == "0"


@FAST
@given(everyday, decimals)
def test_percentage_points_singular_only_after_a_whole_one(x, d):
    text = fmt.percentage_points(x, d)
    figure = fmt.number(x, d)
    singular = figure in ("1", f"{MINUS}1")  # "1,0 prosenttiyksikköä" (ISK § 783), "1 prosenttiyksikkö"
    assert text == f"{figure}{NBSP}" + ("prosenttiyksikkö" if singular else "prosenttiyksikköä")


# -- suppression -------------------------------------------------------------------------------------
CONFIG = suppression.Settings(threshold=5, on=True)
T = CONFIG.threshold
count_values = st.one_of(st.integers(0, 6), st.integers(0, 40))


def _published(s: suppression.Suppression) -> tuple[list[str], list[tuple[list[int], int]]]:
    """What the reader sees, as cells (texts) and additive equations over their positions."""
    if isinstance(s.counts, pd.DataFrame):
        inner = s.text().to_numpy()
        r, c = inner.shape
        texts = list(inner.ravel())
        equations = []
        rows = s.row_totals_text().tolist() if s.row_total_status is not None else None
        cols = s.column_totals_text().tolist() if s.column_total_status is not None else None
        row_at = col_at = None
        if rows is not None:
            row_at = len(texts)
            texts += rows
            equations += [([i * c + j for j in range(c)], row_at + i) for i in range(r)]
        if cols is not None:
            col_at = len(texts)
            texts += cols
            equations += [([i * c + j for i in range(r)], col_at + j) for j in range(c)]
        if rows is not None and cols is not None:
            texts.append(s.grand_total_text())
            grand = len(texts) - 1
            equations += [([row_at + i for i in range(r)], grand), ([col_at + j for j in range(c)], grand)]
        return texts, equations
    texts = s.text().tolist() + [s.total_text()]
    return texts, [(list(range(len(texts) - 1)), len(texts) - 1)]


def _true_values(s: suppression.Suppression) -> list[int]:
    if isinstance(s.counts, pd.DataFrame):
        values = s.counts.to_numpy()
        out = list(values.ravel())
        if s.row_total_status is not None:
            out += list(values.sum(axis=1))
        if s.column_total_status is not None:
            out += list(values.sum(axis=0))
        if s.row_total_status is not None and s.column_total_status is not None:
            out.append(values.sum())
        return [int(v) for v in out]
    return [int(v) for v in s.counts] + [int(s.counts.sum())]


def _reader_bounds(texts, equations) -> dict[int, tuple[float, float]]:
    """What the marks tell: '< 5' is 1-4 (0-4 where the line's total is '< 5' too), '..' is 5 or more."""
    mark = CONFIG.mark
    in_small_line = {p for parts, total in equations if texts[total] == mark for p in parts}
    bounds = {}
    for k, text in enumerate(texts):
        if text == mark:
            bounds[k] = (0 if k in in_small_line else 1, T - 1)
        elif text == suppression.HIDDEN:
            bounds[k] = (T, math.inf)
    return bounds


def _check_nothing_recoverable(s: suppression.Suppression) -> None:
    texts, equations = _published(s)
    truth = _true_values(s)
    bounds = _reader_bounds(texts, equations)
    hidden = sorted(bounds)
    # Whatever is shown is true, and no count of 1-4 is shown in a person breakdown.
    for k, text in enumerate(texts):
        if k not in bounds:
            assert fmt.parse_number(text) == truth[k]
            assert not 1 <= truth[k] < T, (texts, truth)
        else:
            low, high = bounds[k]
            assert low <= truth[k] <= high, (texts, truth)  # the marks do not lie
    if not hidden:
        return
    column = {cell: i for i, cell in enumerate(hidden)}
    matrix = np.zeros((len(equations), len(hidden)))
    for row, (parts, total) in enumerate(equations):
        for p in parts:
            if p in column:
                matrix[row, column[p]] += 1
        if total in column:
            matrix[row, column[total]] -= 1
    exposed_to_check = [cell for cell in hidden if truth[cell] > 0]
    # 1. No single row or column equation gives a hidden count: a line with one has another.
    for row, (parts, total) in enumerate(equations):
        members = [c for c in (*parts, total) if c in column]
        assert len(members) != 1 or truth[members[0]] == 0, f"line {row} gives away a hidden cell: {texts}"
    # 2. Linear reasoning over all equations together: no hidden count is a combination of them.
    rank = np.linalg.matrix_rank(matrix)
    for cell in exposed_to_check:
        unit = np.zeros(len(hidden))
        unit[column[cell]] = 1
        assert np.linalg.matrix_rank(np.vstack([matrix, unit])) > rank, f"cell {cell} follows linearly: {texts}"
    # 3. Exactly, with what the marks tell (1-4, 5 or more): another whole-number table fits.
    x = np.array([truth[c] for c in hidden])
    low = np.array([bounds[c][0] for c in hidden])
    high = np.array([bounds[c][1] for c in hidden])
    if len(hidden) <= 9:  # every step of -1, 0, +1 (enough for a totally unimodular table)
        steps = np.array(list(itertools.product((-1, 0, 1), repeat=len(hidden))))
        fits = (np.abs(steps @ matrix.T) < 1e-9).all(axis=1) & ((x + steps) >= low).all(axis=1) \
            & ((x + steps) <= high).all(axis=1)
        for cell in exposed_to_check:
            assert (fits & (steps[:, column[cell]] != 0)).any(), f"cell {cell} = {truth[cell]} recoverable: {texts}"
        return
    rhs = matrix @ x
    for cell in exposed_to_check:  # integer programming: is there a whole-number table with another value?
        found = False
        for direction in (-1, 1):
            lo, hi = low.astype(float), np.where(np.isinf(high), 10 ** 6, high).astype(float)
            if direction < 0:
                hi[column[cell]] = x[column[cell]] - 1
            else:
                lo[column[cell]] = x[column[cell]] + 1
            if lo[column[cell]] > hi[column[cell]]:
                continue
            result = milp(np.zeros(len(hidden)), constraints=LinearConstraint(matrix, rhs, rhs),
                          integrality=np.ones(len(hidden)), bounds=Bounds(lo, hi))
            found = found or result.status == 0
        assert found, f"cell {cell} = {truth[cell]} recoverable: {texts}"


@SLOW
@given(st.lists(count_values, min_size=1, max_size=8))
def test_suppressed_one_way_breakdown_gives_no_small_count_away(values):
    s = suppression.one_way(pd.Series(values), kind=suppression.PERSONS, config=CONFIG)
    _check_nothing_recoverable(s)
    assert s.exposed() == []


@st.composite
def crosstabs(draw):
    rows, columns = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    values = draw(st.lists(count_values, min_size=rows * columns, max_size=rows * columns))
    return pd.DataFrame(np.array(values).reshape(rows, columns))


@SLOW
@given(crosstabs(), st.sampled_from([(True, True), (False, True), (True, False)]))
def test_suppressed_cross_tabulation_gives_no_small_count_away(table, margins):
    row_totals, column_totals = margins
    s = suppression.two_way(table, kind=suppression.PERSONS, row_totals=row_totals, column_totals=column_totals,
                            config=CONFIG)
    _check_nothing_recoverable(s)
    assert s.exposed() == []


@FAST
@given(st.lists(count_values, min_size=1, max_size=8), st.sampled_from([suppression.ANSWERS, suppression.EVENTS]))
def test_answer_distributions_and_events_are_shown_as_they_are(values, kind):
    s = suppression.one_way(pd.Series(values), kind=kind, config=CONFIG)
    assert [fmt.parse_number(t) for t in s.text()] == values and not s.any


@FAST
@given(st.lists(count_values, min_size=1, max_size=8))
def test_suppression_switched_off_hides_nothing(values):
    off = suppression.Settings(threshold=5, on=False)
    s = suppression.one_way(pd.Series(values), kind=suppression.PERSONS, config=off)
    assert [fmt.parse_number(t) for t in s.text()] == values and not s.any


@SLOW
@given(st.lists(count_values, min_size=1, max_size=8))
def test_suppression_is_deterministic_and_shares_follow_their_counts(values):
    counts = pd.Series(values)
    first = suppression.one_way(counts, kind=suppression.PERSONS, config=CONFIG)
    again = suppression.one_way(counts.copy(), kind=suppression.PERSONS, config=CONFIG)
    assert first.text().tolist() == again.text().tolist() and first.total_text() == again.total_text()
    total = max(sum(values), 1)
    shares = first.mask([fmt.percent(v / total * 100) for v in values])
    assert [s == suppression.HIDDEN for s in shares] == first.hidden.tolist()
    bars = first.values([v / total * 100 for v in values])
    assert list(np.isnan(bars)) == first.hidden.tolist()


@SLOW
@given(st.lists(st.tuples(count_values, count_values), min_size=1, max_size=8))
def test_a_year_comparison_hides_what_each_years_own_table_hides(pairs):
    # The same year's distribution is shown on its own page and beside the previous year's: the
    # two pages must hide the same counts, or together they would give a hidden count away.
    table = pd.DataFrame(pairs, columns=[2023, 2024])
    both = suppression.two_way(table, kind=suppression.PERSONS, row_totals=False, config=CONFIG)
    for year in table.columns:
        alone = suppression.one_way(table[year], kind=suppression.PERSONS, config=CONFIG)
        assert both.text()[year].tolist() == alone.text().tolist()
        assert both.column_totals_text()[year] == alone.total_text()
