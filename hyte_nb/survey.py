"""How a survey question is analysed: distributions with 95 % Wilson intervals, checkbox
shares of respondents, the group test and the change from the previous survey."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from hyte_nb import config, fmt, schema

ALPHA = 0.05
MONTE_CARLO_SEED = 2024  # permutation p-values must not change from run to run


def wilson(count, n) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval (percent) for count successes out of n."""
    low, high = proportion_confint(np.asarray(count), np.asarray(n), alpha=ALPHA, method="wilson")
    return np.asarray(low) * 100, np.asarray(high) * 100


def questions(year: int) -> dict[str, dict]:
    return {q["key"]: q for q in schema.survey_questions(year)}


def question(key: str) -> dict:
    return next(q for q in config.load_metadata("kysely")["kysymykset"] if q["key"] == key)


def options(q: dict) -> list[str]:
    return [o["teksti"] for o in q.get("vaihtoehdot", [])] or list(q.get("asteikko", []))


def distribution(answers: pd.Series, labels: list[str]) -> pd.DataFrame:
    """Count, share, 95 % interval and n of each option of a single-choice answer column."""
    answered = answers.dropna()
    n = len(answered)
    counts = answered.value_counts().reindex(labels, fill_value=0)
    low, high = wilson(counts.to_numpy(), n)
    return pd.DataFrame({"lkm": counts.to_numpy(), "osuus": counts.to_numpy() / n * 100, "ci_ala": low,
                         "ci_yla": high, "n": n}, index=pd.Index(labels, name="vaihtoehto"))


def checkbox(table: pd.DataFrame, q: dict) -> pd.DataFrame:
    """Share of respondents choosing each option (respondents who chose at least one), sorted."""
    columns = {o["teksti"]: schema.option_column(q, o["teksti"]) for o in q["vaihtoehdot"]}
    chosen = table[list(columns.values())].fillna(False).astype(bool)
    answered = chosen.any(axis=1)
    n = int(answered.sum())
    counts = chosen[answered].sum().to_numpy()
    low, high = wilson(counts, n)
    result = pd.DataFrame({"lkm": counts, "osuus": counts / n * 100, "ci_ala": low, "ci_yla": high, "n": n},
                          index=pd.Index(list(columns), name="vaihtoehto"))
    result.attrs["valinnat"] = int(counts.sum())
    return result.sort_values("lkm", ascending=False, kind="stable")


def matrix(table: pd.DataFrame, q: dict) -> dict[str, pd.DataFrame]:
    """One distribution per row statement of a matrix question."""
    return {r["teksti"]: distribution(table[schema.option_column(q, r["teksti"])], q["asteikko"]) for r in q["rivit"]}


def answer_columns(q: dict) -> dict[str, str]:
    """Label -> tidy column of each single-choice answer set in a question (matrix: per row)."""
    if q["tyyppi"] == "valinta":
        return {q.get("lyhyesti", q["teksti"]): q["key"]}
    if q["tyyppi"] == "matriisi":
        return {f"{q.get('lyhyesti', q['teksti'])}: {r['teksti']}": schema.option_column(q, r["teksti"]) for r in q["rivit"]}
    return {}


# -- tests -------------------------------------------------------------------------------------
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


def group_tests(table: pd.DataFrame, year: int) -> list[TestResult]:
    """Does each question's answer depend on the respondent's professional group?"""
    group = config.load_metadata("kysely")["ryhmittely"]
    results = []
    for key, q in questions(year).items():
        if key == group or q["osio"] == "vastaajat":
            continue
        for label, column in answer_columns(q).items():
            crosstab = pd.crosstab(table[group], table[column])
            results.append(contingency_test(crosstab, label))
    return holm(results)


def year_tests(current: pd.DataFrame, previous: pd.DataFrame, year: int, previous_year: int) -> list[TestResult]:
    """Did the distribution of answers change between the two surveys (questions asked in both)?"""
    results = []
    both = set(questions(previous_year))
    for key, q in questions(year).items():
        if key not in both:
            continue
        for label, column in answer_columns(q).items():
            crosstab = pd.DataFrame({year: current[column].value_counts(), previous_year: previous[column].value_counts()}
                                    ).fillna(0).T
            results.append(contingency_test(crosstab, label))
    return holm(results)


def holm(results: list[TestResult]) -> list[TestResult]:
    """Holm-adjusted p-values: many questions tested at once find some 'differences' by chance."""
    tested = [r for r in results if r.p == r.p]
    if tested:
        adjusted = multipletests([r.p for r in tested], alpha=ALPHA, method="holm")[1]
        for r, p in zip(tested, adjusted):
            r.p_holm = float(p)
    return results


def tests_table(results: list[TestResult]) -> pd.DataFrame:
    return pd.DataFrame([{"Kysymys": r.kysymys, "Testi": r.testi, "p": fmt.number(r.p, 3) if r.p == r.p else "–",
                          "p (Holm)": fmt.number(r.p_holm, 3) if r.p_holm == r.p_holm else "–",
                          "Cramérin V": fmt.number(r.cramers_v, 2) if r.cramers_v == r.cramers_v else "–",
                          "Yhteys": r.strength() if r.cramers_v == r.cramers_v else "–", "n": fmt.number(r.n)}
                         for r in results])


def group_sentence(results: list[TestResult]) -> str:
    tested = [r for r in results if r.p == r.p]
    nominal = [r for r in tested if r.p < ALPHA]
    adjusted = [r for r in tested if r.p_holm < ALPHA]
    strongest = max(tested, key=lambda r: r.cramers_v)
    if not nominal:
        head = f"Ammattiryhmien välillä ei ollut tilastollisesti merkitseviä eroja yhdessäkään {len(tested)} kysymyksestä."
    elif not adjusted:
        head = (f"Ammattiryhmät erosivat {len(nominal)} kysymyksessä {len(tested)}:sta ilman korjausta "
                f"({', '.join(r.kysymys for r in nominal)}), mutta kun otetaan huomioon, että kysymyksiä testattiin "
                f"{len(tested)}, yksikään ero ei ole tilastollisesti merkitsevä (Holmin korjaus).")
    else:
        head = (f"Ammattiryhmät erosivat tilastollisesti merkitsevästi myös monitestauskorjauksen jälkeen "
                f"{len(adjusted)} kysymyksessä ({', '.join(r.kysymys for r in adjusted)}).")
    return (f"{head} Vahvin yhteys oli kysymyksessä {strongest.kysymys} (Cramérin V = "
            f"{fmt.number(strongest.cramers_v, 2)}, {strongest.strength()} yhteys). Pieni ryhmä (muut ammattilaiset) "
            f"heikentää testien voimaa, joten pieniä eroja ei voi sulkea pois.")


def year_sentence(result: TestResult, previous_year: int, year: int) -> str:
    if result.p != result.p:
        return "Muutosta ei voi testata."
    if result.p < ALPHA:
        return (f"Vastausten jakauma muuttui vuodesta {previous_year} vuoteen {year} tilastollisesti merkitsevästi "
                f"(p = {fmt.number(result.p, 3)}, Cramérin V = {fmt.number(result.cramers_v, 2)}).")
    return (f"Vastausten jakauma ei muuttunut tilastollisesti merkitsevästi vuodesta {previous_year} vuoteen {year} "
            f"(p = {fmt.number(result.p, 3)}).")


# -- the report's figures ------------------------------------------------------------------------
def compute_figures(table: pd.DataFrame, year: int, previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every printed figure of the survey report, from the clean answers (unrounded, with n)."""
    rows: dict[str, tuple[float, int | None]] = {"ky_vastaajat": (len(table), None)}
    if previous is not None:
        rows["ky_vastaajat_2023"] = (len(previous), None)
    rows["ky_kunnat"] = (table["kunta"].nunique(), None)
    for key, q in questions(year).items():
        if q["tyyppi"] == "valinta":
            dist = distribution(table[key], options(q))
            for o in q["vaihtoehdot"]:
                if "id" in o:
                    rows[o["id"]] = (dist.loc[o["teksti"], "osuus"], int(dist["n"].iloc[0]))
            if "n_id" in q:
                rows[q["n_id"]] = (int(dist["n"].iloc[0]), None)
        elif q["tyyppi"] == "monivalinta":
            result = checkbox(table, q)
            rows[q["n_id"]] = (int(result["n"].iloc[0]), None)
            rows[q["valinnat_id"]] = (result.attrs["valinnat"], None)
        elif q["tyyppi"] == "matriisi":
            for r in q["rivit"]:
                dist = distribution(table[schema.option_column(q, r["teksti"])], q["asteikko"])
                for label, fid in zip(q["asteikko"], r["ids"]):
                    rows[fid] = (dist.loc[label, "osuus"], int(dist["n"].iloc[0]))
        elif "n_id" in q:
            rows[q["n_id"]] = (int(table[key].notna().sum()), None)
    frame = pd.DataFrame([(k, v, n) for k, (v, n) in rows.items()], columns=["id", "arvo", "n"]).set_index("id")
    frame["n"] = frame["n"].astype("Int64")
    return frame
