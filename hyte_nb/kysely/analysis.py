"""How a survey question is analysed: distributions with 95 % Wilson intervals, checkbox
shares of respondents, the group test and the change from the previous survey."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from hyte_nb.core.figures import FigureTable
from hyte_nb.core.stats import ALPHA, TestResult, contingency_test, holm, wilson
from hyte_nb.kysely import questionnaire
from hyte_nb.kysely.questionnaire import option_column, options, title


def questions(year: int) -> dict[str, dict]:
    return {q["key"]: q for q in questionnaire.survey_questions(year)}


def asked_questions(year: int) -> list[dict]:
    """The year's questions besides the background ones, as the catalogue lists them."""
    return [q for q in questions(year).values() if q["osio"] != "vastaajat"]


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
    columns = {o["teksti"]: option_column(q, o["teksti"]) for o in q["vaihtoehdot"]}
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
    return {r["teksti"]: distribution(table[option_column(q, r["teksti"])], q["asteikko"]) for r in q["rivit"]}


def answer_columns(q: dict) -> dict[str, str]:
    """Label -> tidy column of each single-choice answer set in a question (matrix: per row)."""
    if q["tyyppi"] == "valinta":
        return {title(q): q["key"]}
    if q["tyyppi"] == "matriisi":
        return {f"{title(q)}: {r['teksti']}": option_column(q, r["teksti"]) for r in q["rivit"]}
    return {}


def group_tests(table: pd.DataFrame, year: int) -> list[TestResult]:
    """Does each question's answer depend on the respondent's professional group?"""
    group = questionnaire.group_key()
    asked = questions(year)
    if group not in asked:  # the year did not ask for the group: nothing to compare
        return []
    results = []
    for key, q in asked.items():
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
            if column not in previous:  # a matrix row new this year: nothing to compare
                continue
            crosstab = pd.DataFrame({year: current[column].value_counts(), previous_year: previous[column].value_counts()}
                                    ).fillna(0).T
            results.append(contingency_test(crosstab, label))
    return holm(results)


@dataclass
class GroupDifferences:
    """The group tests read together: which questions differed, before and after Holm's
    adjustment, and where the association was strongest (the notebook words it)."""

    results: list[TestResult]

    @property
    def tested(self) -> list[TestResult]:
        return [r for r in self.results if r.p == r.p]

    @property
    def nominal(self) -> list[str]:
        """Questions that differ at the 5 % level without the adjustment."""
        return [r.kysymys for r in self.tested if r.p < ALPHA]

    @property
    def adjusted(self) -> list[str]:
        """Questions that still differ after Holm's adjustment."""
        return [r.kysymys for r in self.tested if r.p_holm < ALPHA]

    @property
    def strongest(self) -> TestResult | None:
        return max(self.tested, key=lambda r: r.cramers_v, default=None)


@dataclass
class Precision:
    """How precise a share is with n respondents: the 95 % interval of a share near one half,
    the widest there is."""

    n: int
    low: float
    high: float

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2


def precision(n: int) -> Precision:
    low, high = wilson(n // 2, n)
    return Precision(n, float(low), float(high))


# -- the report's figures ------------------------------------------------------------------------
def compute_figures(table: pd.DataFrame, year: int, previous: pd.DataFrame | None = None,
                    previous_year: int | None = None) -> pd.DataFrame:
    """Every figure of the survey report that has an id in the questionnaire (the printed
    ones), from the clean answers: unrounded, with n, label, unit and section."""
    out = FigureTable()
    out.put("ky_vastaajat", len(table), label="Vastaajia", unit="lkm", section="toteutus")
    out.put("ky_kysymyksia", len(asked_questions(year)), label="Kysymyksiä taustatietojen lisäksi", unit="lkm",
            section="toteutus")
    if previous is not None:
        previous_year = previous_year or year - 1
        out.put(f"ky_vastaajat_{previous_year}", len(previous), label=f"Vastaajia vuoden {previous_year} kyselyssä",
                unit="lkm", section="toteutus")
    if "kunta" in table:
        out.put("ky_kunnat", table["kunta"].nunique(), label="Kuntia, joiden alueelta vastattiin", unit="lkm",
                section="vastaajat")
    for key, q in questions(year).items():
        name, section = title(q), q["osio"]
        if q["tyyppi"] == "valinta":
            dist = distribution(table[key], options(q))
            n = int(dist["n"].iloc[0])
            for o in q["vaihtoehdot"]:
                if "id" in o:
                    out.put(o["id"], dist.loc[o["teksti"], "osuus"], n, label=f"{name}: {o['teksti']}", unit="%",
                            section=section)
            if "n_id" in q:
                out.put(q["n_id"], n, label=f"{name}: vastaajia", unit="lkm", section=section)
        elif q["tyyppi"] == "monivalinta":
            result = checkbox(table, q)
            if "n_id" in q:
                out.put(q["n_id"], int(result["n"].iloc[0]), label=f"{name}: vastaajia", unit="lkm",
                        section=section)
            if "valinnat_id" in q:
                out.put(q["valinnat_id"], result.attrs["valinnat"], label=f"{name}: valintoja", unit="lkm",
                        section=section)
        elif q["tyyppi"] == "matriisi":
            for r in q["rivit"]:
                dist = distribution(table[option_column(q, r["teksti"])], q["asteikko"])
                for label, fid in zip(q["asteikko"], r.get("ids", [])):
                    out.put(fid, dist.loc[label, "osuus"], int(dist["n"].iloc[0]),
                            label=f"{name}: {r['teksti']}: {label}", unit="%", section=section)
        elif "n_id" in q:
            out.put(q["n_id"], int(table[key].notna().sum()), label=f"{name}: avoimia vastauksia", unit="lkm",
                    section=section)
    return out.frame()
