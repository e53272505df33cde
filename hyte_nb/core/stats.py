"""Statistics every report may use: Wilson intervals for shares, tests of independence with
Cramér's V (permutation or exact p-values for sparse tables) and Holm's adjustment."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from hyte_nb.core import fmt

ALPHA = 0.05
MONTE_CARLO_SEED = 2024  # permutation p-values must not change from run to run


def wilson(count, n) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval (percent) for count successes out of n."""
    low, high = proportion_confint(np.asarray(count), np.asarray(n), alpha=ALPHA, method="wilson")
    return np.asarray(low) * 100, np.asarray(high) * 100


@dataclass
class TestResult:
    kysymys: str
    testi: str
    statistic: float
    p: float
    cramers_v: float
    n: int
    p_holm: float = float("nan")  # adjusted for the number of questions tested together

    def strength(self) -> str:
        v = self.cramers_v
        return "hyvin heikko" if v < 0.1 else "heikko" if v < 0.3 else "kohtalainen" if v < 0.5 else "vahva"


def contingency_test(crosstab: pd.DataFrame, label: str) -> TestResult:
    """Chi-square test of independence with Cramér's V. Where an expected count is under 5 the
    asymptotic p-value is unreliable, so the p-value comes from a permutation (Monte Carlo)
    distribution instead; a 2x2 table uses Fisher's exact test."""
    observed = crosstab.loc[crosstab.sum(axis=1) > 0, crosstab.sum(axis=0) > 0].to_numpy().astype(int)
    n = int(observed.sum())
    if min(observed.shape) < 2:
        return TestResult(label, "ei testattavissa", float("nan"), float("nan"), float("nan"), n)
    # The caller gets its own copy: holm() writes p_holm into it.
    return copy.copy(_tested(tuple(map(tuple, observed.tolist())), label))


@lru_cache(maxsize=1024)
def _tested(table: tuple[tuple[int, ...], ...], label: str) -> TestResult:
    """The test of one table of counts, once per process: the survey's pages test the same tables
    again (every page its group tests), and a permutation p-value draws 9999 tables; the seed
    is fixed, so the counts decide the result alone."""
    observed = np.array(table, dtype=int)
    n = int(observed.sum())
    v = float(stats.contingency.association(observed, method="cramer"))
    expected = stats.contingency.expected_freq(observed)
    if observed.shape == (2, 2):
        result = stats.fisher_exact(observed)
        return TestResult(label, "Fisherin tarkka testi", float(result.statistic), float(result.pvalue), v, n)
    if (expected < 5).any():
        method = stats.MonteCarloMethod(n_resamples=9999, rng=np.random.default_rng(MONTE_CARLO_SEED))
        result = stats.chi2_contingency(observed, correction=False, method=method)
        return TestResult(label, "khiin neliö (permutaatio-p)", float(result.statistic), float(result.pvalue), v, n)
    result = stats.chi2_contingency(observed)
    return TestResult(label, "khiin neliö", float(result.statistic), float(result.pvalue), v, n)


def holm(results: list[TestResult]) -> list[TestResult]:
    """Holm-adjusted p-values: many questions tested at once find some 'differences' by chance."""
    tested = [r for r in results if r.p == r.p]
    if tested:
        for r, p in zip(tested, _holm_adjusted(tuple(r.p for r in tested))):
            r.p_holm = p
    return results


@lru_cache(maxsize=256)
def _holm_adjusted(pvalues: tuple[float, ...]) -> tuple[float, ...]:
    """statsmodels' Holm, once per family of p-values in a process. Its Holm branch ends in a full
    gc.collect(), a third of a second in a kernel holding pandas and matplotlib, and a report's
    pages adjust the same families again (every survey page its group tests, every HYTE page
    the wellbeing changes); the p-values decide the result alone, so a repeat is looked up."""
    return tuple(float(p) for p in multipletests(list(pvalues), alpha=ALPHA, method="holm")[1])


def tests_table(results: list[TestResult]) -> pd.DataFrame:
    return pd.DataFrame([{"Kysymys": r.kysymys, "Testi": r.testi, "p": fmt.number(r.p, 3) if r.p == r.p else "–",
                          "p (Holm)": fmt.number(r.p_holm, 3) if r.p_holm == r.p_holm else "–",
                          "Cramérin V": fmt.number(r.cramers_v, 2) if r.cramers_v == r.cramers_v else "–",
                          "Yhteys": r.strength() if r.cramers_v == r.cramers_v else "–", "n": fmt.number(r.n)}
                         for r in results])
