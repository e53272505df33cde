"""The evidence behind a report's story, for its appendix: a 95 % Wilson interval for every share
of the figures table, and the words a story may use of a difference, decided by its test.

A story page says "väheni" or "nousi" only where the test in the appendix finds the difference
statistically significant (after Holm's adjustment over the differences tested together);
otherwise it gives the change and says "ei tilastollisesti merkitsevä".
"""

from __future__ import annotations

import pandas as pd

from hyte_nb.core import fmt, stats, suppression

NOT_SIGNIFICANT = "ei tilastollisesti merkitsevä"


def significant(result: stats.TestResult | None) -> bool:
    """Does the test support calling the difference a difference? (Holm-adjusted where it was
    adjusted, else the test's own p; no test, no difference.)"""
    if result is None or result.p != result.p:
        return False
    p = result.p_holm if result.p_holm == result.p_holm else result.p
    return p < stats.ALPHA


def share_intervals(figures: pd.DataFrame, hidden: dict | None = None) -> pd.DataFrame:
    """Every share of a figures table (unit '%', with its n) and its 95 % Wilson interval, as
    text: Luku, Osuus, %, n, 95 %:n luottamusväli, %. A share hidden by small-count suppression
    shows its mark and no interval."""
    hidden = hidden or {}
    shares = figures[(figures["yksikko"] == "%") & figures["n"].notna()]
    rows = []
    for fid, row in shares.iterrows():
        n = int(row["n"])
        if fid in hidden:
            rows.append({"Luku": row["nimi"], "Osuus, %": hidden[fid].value, "n": hidden[fid].n or fmt.number(n),
                         "95 %:n luottamusväli, %": suppression.HIDDEN, "id": fid})
            continue
        count = round(float(row["arvo"]) / 100 * n)
        low, high = stats.wilson(count, n) if n else (float("nan"), float("nan"))
        rows.append({"Luku": row["nimi"], "Osuus, %": fmt.number(float(row["arvo"])), "n": fmt.number(n),
                     "95 %:n luottamusväli, %": f"{fmt.number(float(low))}–{fmt.number(float(high))}", "id": fid})
    return pd.DataFrame(rows, columns=["Luku", "Osuus, %", "n", "95 %:n luottamusväli, %", "id"])


def two_shares_test(first: float, n_first: int, second: float, n_second: int, label: str) -> stats.TestResult:
    """Do two shares (percent, of n_first and n_second persons) differ? Fisher's exact test on
    the counts they come from."""
    a, b = round(first / 100 * n_first), round(second / 100 * n_second)
    crosstab = pd.DataFrame({"ensin": [a, n_first - a], "sitten": [b, n_second - b]}, index=["kyllä", "ei"])
    return stats.contingency_test(crosstab, label)
