"""How a figure is written in Finnish: 58 972, 37 %, 2,9 %, +86, 10 prosenttiyksikköä."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal

NBSP = "\u00a0"  # no-break space: digit groups and the space before % never wrap apart
MINUS = "\u2212"  # Finnish typography uses the minus sign, not a hyphen
MISSING = "–"  # a figure that does not exist (no answers, an undefined change)


def _missing(value) -> bool:
    """None, NaN of any float type (numpy's too), pandas' NA, and the infinities: nothing to print."""
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except TypeError:  # pandas.NA refuses float(); anything else that does is a caller's error
        if type(value).__name__ == "NAType":
            return True
        raise


def _rounded(value: float, decimals: int) -> Decimal:
    """The value as printed (its shortest repr), rounded half away from zero, as a Decimal."""
    exact = Decimal(repr(float(value)))
    if not exact.is_finite():
        return exact
    quantum = Decimal(1).scaleb(-int(decimals))
    # Enough digits for the whole result: the default context (28 digits) cannot hold 1e26 with
    # two decimals and raised decimal.InvalidOperation (found by tests/test_properties.py).
    digits = max(exact.adjusted(), 0) + 1 + max(int(decimals), 0) + 2
    return exact.quantize(quantum, rounding=ROUND_HALF_UP, context=Context(prec=max(28, digits)))


def round_half_away(value: float, decimals: int = 0) -> float:
    """Round as people do on paper (2.5 -> 3, -2.5 -> -3), not banker's rounding."""
    return float(_rounded(value, decimals))


def number(value: float, decimals: int = 0) -> str:
    """58972 -> '58 972'; 2.857 with decimals=1 -> '2,9'; negatives with a minus sign; a missing
    or infinite value -> '–'."""
    if _missing(value):
        return MISSING
    rounded = _rounded(value, decimals)
    # The digits of the rounded decimal, not of the nearest binary float (1e26 is printed
    # 100 000 … 000, not 100 000 000 000 000 004 764 729 344); no "−0".
    text = f"{abs(rounded):,.{max(int(decimals), 0)}f}"
    text = text.replace(",", NBSP).replace(".", ",")
    return (MINUS if rounded < 0 else "") + text


def percent(value: float, decimals: int = 0) -> str:
    """37.4 -> '37 %' (the value is already a percentage); a missing share -> '–', not '– %'."""
    if _missing(value):
        return MISSING
    return f"{number(value, decimals)}{NBSP}%"


def nps(value: float) -> str:
    """NPS (and any signed change) is written with its sign: '+86', '0', '−12' (never '−0')."""
    if _missing(value):
        return MISSING
    rounded = round_half_away(value)
    if rounded > 0:
        return f"+{number(rounded)}"
    return number(rounded)


def percentage_points(value: float, decimals: int = 0) -> str:
    """A difference of two percentages: '10 prosenttiyksikköä', '1 prosenttiyksikkö',
    '1,0 prosenttiyksikköä'. The singular only after the whole number one (±1): after a decimal
    number the unit is in the partitive like after any other number (Iso suomen kielioppi § 783:
    "neljä pilkku yhdeksän metriä")."""
    text = number(value, decimals)
    if text == MISSING:
        return MISSING
    unit = "prosenttiyksikkö" if text.lstrip(MINUS) == "1" else "prosenttiyksikköä"
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


_GROUP_SEPARATORS = (NBSP, "\u202f", " ")  # no-break, narrow no-break and plain space
_FINNISH_NUMBER = re.compile(r"(?P<sign>[\u2212-]?)(?P<whole>\d{1,3}(?:_\d{3})*)(?:,(?P<decimals>\d+))?")


def parse_number(text: str) -> float:
    """The inverse of `number`: '58 972' -> 58972.0, '−2,9' -> -2.9, '–' -> nan.

    Digit groups of three separated by a no-break space (a narrow no-break or a plain space is
    accepted too), a decimal comma, the minus sign U+2212 (a hyphen-minus is accepted). Anything
    else (a decimal point, misplaced group separators, a unit) is a ValueError: the parser checks
    the form as well as reading it. For every finite x and decimals d,
    parse_number(number(x, d)) == round_half_away(x, d)."""
    stripped = str(text).strip()
    if stripped == MISSING:
        return float("nan")
    if "_" in stripped:  # the group separator below: never in a Finnish number
        raise ValueError(f"Ei suomalaisittain kirjoitettu luku: {text!r}")
    grouped = stripped
    for separator in _GROUP_SEPARATORS:
        grouped = grouped.replace(separator, "_")
    match = _FINNISH_NUMBER.fullmatch(grouped)
    if not match:
        raise ValueError(f"Ei suomalaisittain kirjoitettu luku: {text!r} (odotettiin esim. '58{NBSP}972', "
                         f"'{MINUS}2,9')")
    digits = match["whole"].replace("_", "") + ("." + match["decimals"] if match["decimals"] else "")
    value = float(Decimal(digits))
    return -value if match["sign"] else value


def date(value) -> str:
    """A date as Finns write it: 1.10.2024."""
    return f"{value.day}.{value.month}.{value.year}"
