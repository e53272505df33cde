import pandas as pd
import pytest

from hyte_nb.core import metrics


def test_nps_counts_promoters_minus_detractors_over_answered():
    scores = pd.Series([10, 9, 9, 8, 7, 6, 0, None])
    value, n = metrics.nps(scores)
    assert n == 7
    assert value == pytest.approx((3 - 2) / 7 * 100)


def test_nps_of_nothing_is_missing_not_zero():
    value, n = metrics.nps(pd.Series([None, None], dtype="float"))
    assert n == 0 and value != value


def test_share_skips_missing():
    value, n = metrics.share(pd.Series([True, False, True, None], dtype="boolean"))
    assert (value, n) == (pytest.approx(200 / 3), 3)


def test_change_in_points_uses_unrounded_shares():
    # 51.1 % -> 11.1 % rounds to 51 and 11 but the change is 40.0 points, not 51 - 11 = 40 by luck:
    before, after = 23 / 45 * 100, 5 / 45 * 100
    assert metrics.change_in_points(before, after) == pytest.approx(-40.0)
    # 35.49 -> 14.5 prints 35 % and 15 % (difference 20) but the change is 20.99 -> 21 points
    assert round(metrics.change_in_points(35.49, 14.5)) == -21


def test_relative_change_of_means():
    assert metrics.relative_change(pd.Series([10, 30]), pd.Series([15, 25])) == pytest.approx(0.0)
    assert metrics.relative_change(pd.Series([20, 20]), pd.Series([15, 15])) == pytest.approx(-25.0)


def test_wellbeing_direction_pairs_clients_and_drops_unpaired():
    start = pd.Series({"a": 5, "b": 5, "c": 5, "d": 4})
    end = pd.Series({"a": 7, "b": 5, "c": 3})
    direction = metrics.wellbeing_direction(start, end)
    assert direction.to_dict() == {"a": "lisääntyi", "b": "pysyi", "c": "väheni"}


def test_nps_bounds_are_reached_exactly():
    assert metrics.nps(pd.Series([10, 9, None]))[0] == 100.0
    assert metrics.nps(pd.Series([0, 6, 3]))[0] == -100.0
    assert metrics.nps(pd.Series([7, 8]))[0] == 0.0


def test_nps_skips_blanks_of_nullable_integers():
    value, n = metrics.nps(pd.Series([10, pd.NA, 0, 8], dtype="Int64"))
    assert n == 3 and value == pytest.approx(0.0)
