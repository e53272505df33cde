from hyte_nb.core import fmt
from hyte_nb.core.fmt import NBSP


def test_thousands_are_grouped_with_no_break_space():
    assert fmt.number(58972) == f"58{NBSP}972"
    assert fmt.number(1234567) == f"1{NBSP}234{NBSP}567"
    assert fmt.number(948) == "948"


def test_decimal_comma_and_minus_sign():
    assert fmt.number(2.857, 1) == "2,9"
    assert fmt.number(-12.5) == "\u221213"
    assert fmt.number(-0.2) == "0"


def test_percent_has_no_break_space_before_sign():
    assert fmt.percent(37.4) == f"37{NBSP}%"
    assert fmt.percent(2.857, 1) == f"2,9{NBSP}%"


def test_nps_carries_its_sign():
    assert fmt.nps(86.4) == "+86"
    assert fmt.nps(0.2) == "0"
    assert fmt.nps(-4.6) == "\u22125"


def test_percentage_points_are_written_out_in_finnish():
    assert fmt.percentage_points(10) == f"10{NBSP}prosenttiyksikköä"
    assert fmt.percentage_points(1.2) == f"1{NBSP}prosenttiyksikkö"


def test_rounding_is_half_away_from_zero_not_bankers():
    assert fmt.round_half_away(2.5) == 3
    assert fmt.round_half_away(3.5) == 4
    assert fmt.round_half_away(-2.5) == -3
    assert fmt.round_half_away(0.125, 2) == 0.13
    assert round(2.5) == 2  # what Python would have printed


def test_by_unit_and_dates():
    from datetime import date

    assert fmt.by_unit(80, "nps") == "+80"
    assert fmt.by_unit(52, "v") == f"52{NBSP}vuotta"
    assert fmt.date(date(2024, 10, 1)) == "1.10.2024"


def test_parse_number_reads_what_number_writes():
    assert fmt.parse_number(f"58{NBSP}972") == 58972
    assert fmt.parse_number("\u22122,9") == -2.9
    assert fmt.parse_number(fmt.number(-1234567.891, 2)) == -1234567.89
    assert fmt.parse_number("1 234") == 1234  # a plain space is accepted too
    assert fmt.parse_number("–") != fmt.parse_number("–")  # missing: NaN


def test_parse_number_refuses_what_is_not_a_finnish_number():
    import pytest

    for text in ["1.5", "12 34", "1 234,", "\u2212", "abc", "1_234", f"37{NBSP}%", "1234,5.0"]:
        with pytest.raises(ValueError):
            fmt.parse_number(text)


def test_large_numbers_are_rounded_not_refused():
    # The decimal context held 28 digits: 1e26 with two decimals raised decimal.InvalidOperation.
    assert fmt.number(1e26, 2) == NBSP.join(["100"] + ["000"] * 8) + ",00"
    assert fmt.round_half_away(1e30, 3) == 1e30


def test_missing_values_of_every_kind_print_as_a_dash():
    import numpy as np
    import pandas as pd

    for missing in [None, float("nan"), np.float32("nan"), pd.NA, float("inf")]:
        assert fmt.number(missing) == "–"
        assert fmt.percent(missing) == "–"  # not "– %"
        assert fmt.nps(missing) == "–"
        assert fmt.percentage_points(missing) == "–"


def test_percentage_points_after_a_decimal_number_are_partitive():
    # Iso suomen kielioppi § 783: decimal numbers take the partitive ("neljä pilkku yhdeksän metriä").
    assert fmt.percentage_points(1.04, 1) == f"1,0{NBSP}prosenttiyksikköä"
    assert fmt.percentage_points(-1) == f"\u22121{NBSP}prosenttiyksikkö"
    assert fmt.percentage_points(0.96) == f"1{NBSP}prosenttiyksikkö"
    assert fmt.percentage_points(0.2) == f"0{NBSP}prosenttiyksikköä"
