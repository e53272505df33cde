"""How a figure is written in Finnish: 58 972, 37 %, 2,9 %, +86, 10 prosenttiyksikköä."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"  # no-break space: digit groups and the space before % never wrap apart
MINUS = "\u2212"  # Finnish typography uses the minus sign, not a hyphen


def round_half_away(value: float, decimals: int = 0) -> float:
    """Round as people do on paper (2.5 -> 3, -2.5 -> -3), not banker's rounding."""
    quantum = Decimal(1).scaleb(-int(decimals))
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    return float(rounded)


def number(value: float, decimals: int = 0) -> str:
    """58972 -> '58 972'; 2.857 with decimals=1 -> '2,9'; negatives with a minus sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round_half_away(value, decimals)
    if rounded == 0:
        rounded = 0.0  # no "−0"
    text = f"{abs(rounded):,.{decimals}f}"
    text = text.replace(",", NBSP).replace(".", ",")
    return (MINUS if rounded < 0 else "") + text


def percent(value: float, decimals: int = 0) -> str:
    """37.4 -> '37 %' (the value is already a percentage)."""
    return f"{number(value, decimals)}{NBSP}%"


def nps(value: float) -> str:
    """NPS (and any signed change) is written with its sign: '+86', '0', '−12'."""
    rounded = round_half_away(value)
    if rounded > 0:
        return f"+{number(rounded)}"
    return number(rounded)


def percentage_points(value: float, decimals: int = 0) -> str:
    """A difference of two percentages: '10 prosenttiyksikköä', '1 prosenttiyksikkö'."""
    text = number(value, decimals)
    unit = "prosenttiyksikkö" if abs(round_half_away(value, decimals)) == 1 else "prosenttiyksikköä"
    return f"{text}{NBSP}{unit}"


def years(value: float) -> str:
    return f"{number(value)}{NBSP}vuotta"


def by_unit(value: float, unit: str, decimals: int = 0) -> str:
    """Format a figure by the unit used in the reference file."""
    if unit == "%":
        return percent(value, decimals)
    if unit == "% muutos":
        return percent(value, decimals)
    if unit == "pp":
        return percentage_points(value, decimals)
    if unit == "nps":
        return nps(value)
    if unit == "v":
        return years(value)
    return number(value, decimals)


def date(value) -> str:
    """A date as Finns write it: 1.10.2024."""
    return f"{value.day}.{value.month}.{value.year}"
