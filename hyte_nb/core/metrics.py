"""How a figure is computed. Every function returns unrounded values; rounding is for display."""

from __future__ import annotations

import pandas as pd

PROMOTER_MIN = 9  # NPS: 9-10 promoters, 0-6 detractors
DETRACTOR_MAX = 6


def nps(scores: pd.Series) -> tuple[float, int]:
    """Net Promoter Score on a 0-10 scale, skipping blanks. Returns (score, n)."""
    answered = scores.dropna()
    n = len(answered)
    if n == 0:
        return float("nan"), 0
    promoters = (answered >= PROMOTER_MIN).sum()
    detractors = (answered <= DETRACTOR_MAX).sum()
    return float((promoters - detractors) / n * 100), n


def share(flags: pd.Series) -> tuple[float, int]:
    """Share (percent) of True among the answered (non-missing) values. Returns (share, n)."""
    answered = flags.dropna()
    n = len(answered)
    if n == 0:
        return float("nan"), 0
    return float(answered.astype(bool).sum() / n * 100), n


def change_in_points(before: float, after: float) -> float:
    """Percentage-point change from unrounded shares (never from rounded ones)."""
    return after - before


def relative_change(before: pd.Series, after: pd.Series) -> float:
    """Change of the mean as percent of the starting mean."""
    start = before.mean()
    return float((after.mean() - start) / start * 100)


def wellbeing_direction(start: pd.Series, end: pd.Series) -> pd.Series:
    """'lisääntyi' / 'pysyi' / 'väheni' for paired scores (index = client)."""
    paired = pd.DataFrame({"alku": start, "loppu": end}).dropna()
    direction = pd.Series("pysyi", index=paired.index)
    direction[paired["loppu"] > paired["alku"]] = "lisääntyi"
    direction[paired["loppu"] < paired["alku"]] = "väheni"
    return direction
