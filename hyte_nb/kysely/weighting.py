"""Weighted results beside the raw ones: raking weights to the staff margins (professional
group and responsibility area, from the staff register), their diagnostics, and weighted
shares with 95 % intervals that account for the weights.

The raking is done by svy (svy.Sample.weighting.rake, iterative proportional fitting, with
trim-and-rake cycles); svy also gives the linearisation (Taylor) standard errors that credit
the raking. The intervals shown are Wilson intervals at Kish's effective sample size, the
same kind of interval as the unweighted shares have, so the two columns differ only by the
weights; the Taylor interval is there for the analyst (method="taylor").

Definitions, per question (respondents with an answer and a weight):
    weighted share  p_w   = sum(w · [answer = option]) / sum(w)
    effective n     n_eff = sum(w)² / sum(w²)                (Kish)
    design effect   deff  = n / n_eff = 1 + CV(w)²           (due to weighting alone)
    95 % interval         = Wilson(p_w, n_eff)

A page is a few calls:

    painot = weighting.rake(osio.answers, henkilosto)               # -> Weights
    painot.diagnostics()                                             # -> DataFrame (Finnish)
    weighting.weighted_distribution(osio.answers["tunteminen"], vaihtoehdot, painot)
    weighting.weighted_question(osio.answers, kysymys, painot)      # any closed question
    tulos = weighting.effects(osio.answers, vuosi, painot)           # every share, weighted beside raw
    weighting.conclusion_sentence(tulos, "hyte_ohjaus")              # does weighting change a conclusion?
    weighting.weighted_year_tests(nyt, ennen, vuosi, edellinen, painot, painot_ennen)

The page shows them with `show_diagnostics`, `show_margins`, `largest_changes` (a chart),
`show_section` (every closed question of a section, weighted beside unweighted) and
`compare_years` (the comparison between the years, each weighted to its own staff).
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from hyte_nb.core import charts, display, fmt, texts
from hyte_nb.core.stats import ALPHA, TestResult, contingency_test, holm, wilson
from hyte_nb.kysely import analysis, population
from hyte_nb.kysely.questionnaire import option_column, options, title

_phrase = partial(texts.phrase, "kysely")  # a sentence of the survey's pages (hyte_nb/tekstit/kysely.md)

TRIM_FACTOR = 3.0  # trimming rule: no weight above 3 × the mean weight (then raked again)
TOLERANCE = 1e-10  # raking stops when every staff margin is met to this relative error
MAX_ITERATIONS = 1000
TRIM_CYCLES = 50
WEIGHT = "paino"


class WeightingError(ValueError):
    """The answers cannot be weighted to the staff (the message says why, in Finnish)."""


@dataclass
class Weights:
    """Raking weights of one year's respondents, summing to the staff total: weights[i] is how
    many professionals respondent i stands for (NaN: a respondent who could not be weighted)."""

    weights: pd.Series  # aligned with the answers' index
    targets: dict[str, pd.Series]  # the staff margins raked to (levels with respondents)
    cap: float | None  # the trimming cap (weight), None where trimming was not applied
    trimmed: int  # respondents whose final weight is at the cap
    untrimmed_max: float  # the largest weight before trimming, relative to the mean
    notes: list[str] = field(default_factory=list)  # levels or respondents left out, in Finnish
    trim_factor: float | None = TRIM_FACTOR
    levels: dict[str, pd.Series] = field(default_factory=dict, repr=False)  # each margin's answers, weighted rows
    _sample: object = field(default=None, repr=False)  # the raked svy.Sample (for Taylor standard errors)

    @property
    def weighted(self) -> pd.Series:
        return self.weights.dropna()

    @property
    def n(self) -> int:
        return int(self.weights.notna().sum())

    @property
    def total(self) -> float:
        return float(self.weighted.sum())

    @property
    def n_eff(self) -> float:
        return effective_n(self.weighted.to_numpy())

    @property
    def deff(self) -> float:
        """Design effect due to weighting (Kish): n / n_eff = 1 + CV²."""
        return self.n / self.n_eff

    @property
    def relative(self) -> pd.Series:
        """Weights relative to their mean (1 = an average respondent)."""
        return self.weights / self.weighted.mean()

    @property
    def max_relative(self) -> float:
        return float(self.relative.max())

    @property
    def min_relative(self) -> float:
        return float(self.relative.min())

    def margins(self) -> pd.DataFrame:
        """Every staff margin against the weighted respondents: they must agree."""
        rows = []
        for key, target in self.targets.items():
            column = self.levels[key]
            for level, staff_n in target.items():
                chosen = column == level
                rows.append({"kysymys": key, "ryhma": level, "henkilosto": float(staff_n),
                             "vastaajia": int(chosen.sum()), "painotettu_summa": float(self.weights[chosen].sum())})
        return pd.DataFrame(rows)

    def diagnostics(self) -> pd.DataFrame:
        """The weights in figures, as a page shows them."""
        if self.cap is None:
            rule = _phrase("painoja_ei_katkaistu")
        else:
            rule = _phrase("painojen_katkaisu", kerroin=fmt.number(self.trim_factor, 1),
                           katkaistuja=fmt.number(self.trimmed))
        rows = [
            ("Painotettuja vastaajia", fmt.number(self.n), "vastaajat, joiden ammattiryhmä ja vastuualue tiedetään"),
            ("Henkilöstöä, jota vastaajat edustavat", fmt.number(self.total), "painojen summa"),
            ("Efektiivinen otoskoko (Kish)", fmt.number(self.n_eff, 1),
             "(painojen summa)² / painojen neliöiden summa"),
            ("Painotuksen asetelmavaikutus", fmt.number(self.deff, 2),
             "vastaajamäärä / efektiivinen otoskoko: luottamusvälit levenevät sen neliöjuuren verran"),
            ("Suurin paino suhteessa keskiarvoon", fmt.number(self.max_relative, 2),
             f"ennen katkaisua {fmt.number(self.untrimmed_max, 2)}"),
            ("Pienin paino suhteessa keskiarvoon", fmt.number(self.min_relative, 2), ""),
            ("Katkaisusääntö", rule, ""),
        ]
        rows += [("Huomio", note, "") for note in self.notes]
        return pd.DataFrame(rows, columns=["Tunnusluku", "Arvo", "Selite"])


def effective_n(w: np.ndarray) -> float:
    """Kish's effective sample size, sum(w)² / sum(w²)."""
    w = np.asarray(w, dtype=float)
    return float(w.sum() ** 2 / (w ** 2).sum()) if len(w) and (w ** 2).sum() > 0 else 0.0


def _usable(answers: pd.DataFrame, staff: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame, list[str]]:
    """Which respondents can be weighted and to what staff cells: a level of the staff with no
    respondents is left out of the targets (with its staff, in both margins), and a
    respondent whose level has no staff, or who did not say, is left unweighted."""
    notes = []
    complete = answers[list(population.MARGINS)].notna().all(axis=1)
    if (~complete).any():
        notes.append(_phrase("ryhma_puuttuu", maara=fmt.number((~complete).sum())))
    cells = staff.groupby(list(population.MARGINS), observed=True)["henkiloita"].sum()
    cells = cells[cells > 0].reset_index()
    for _ in range(len(population.MARGINS) + 1):  # leaving out a level may leave respondents without staff
        present = {key: set(answers.loc[complete, key]) for key in population.MARGINS}
        keep = np.ones(len(cells), dtype=bool)
        for key in population.MARGINS:
            for level in sorted(set(cells[key]) - present[key], key=population.levels(key).index):
                staff_n = int(cells.loc[cells[key] == level, "henkiloita"].sum())
                notes.append(_phrase("ryhmalla_ei_vastaajia", ryhma=level, henkilosto=fmt.number(staff_n)))
            keep &= cells[key].isin(present[key]).to_numpy()
        cells = cells[keep]
        unstaffed = pd.Series(False, index=answers.index)
        for key in population.MARGINS:
            lacking = complete & ~answers[key].isin(set(cells[key]))
            for level, count in answers.loc[lacking, key].value_counts().items():
                notes.append(_phrase("ryhmalla_ei_henkilostoa", ryhma=level, maara=fmt.number(count)))
            unstaffed |= lacking
        complete &= ~unstaffed
        if keep.all() and not unstaffed.any():
            break
    return complete, cells, notes


def rake(answers: pd.DataFrame, staff: pd.DataFrame, trim: float | None = TRIM_FACTOR) -> Weights:
    """Raking weights that make the respondents' professional groups and responsibility areas
    add up to the staff's (each margin to TOLERANCE), trimmed at trim × the mean weight and
    raked again (svy's trim-and-rake cycle); trim=None does not trim. A cap the margins
    cannot live with is not applied (the diagnostics say so)."""
    import polars as pl
    import svy
    from svy.errors import WeightingError as SvyWeightingError
    from svy.weighting.types import TrimConfig

    usable, cells, notes = _usable(answers, staff)
    if not usable.any():
        raise WeightingError("Yhtäkään vastaajaa ei voi painottaa: ammattiryhmä ja vastuualue puuttuvat tai niillä ei "
                             "ole henkilöstöä.")
    targets = {key: cells.groupby(key)["henkiloita"].sum().reindex(
        [lv for lv in population.levels(key) if lv in set(cells[key])]).astype(float) for key in population.MARGINS}
    total = float(cells["henkiloita"].sum())
    n = int(usable.sum())
    frame = pl.DataFrame({key: answers.loc[usable, key].astype(str).tolist() for key in population.MARGINS}
                         | {"w0": np.full(n, total / n)})
    sample = svy.Sample(frame, svy.Design(wgt="w0"))
    controls = {key: target.to_dict() for key, target in targets.items()}

    def raked(trimming=None):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sample.weighting.rake(controls=controls, tol=TOLERANCE, max_iter=MAX_ITERATIONS, wgt_name=WEIGHT,
                                         trimming=trimming)

    plain = raked()
    untrimmed = plain.data[WEIGHT].to_numpy()
    untrimmed_max = float(untrimmed.max() / untrimmed.mean())
    result, cap, trimmed = plain, None, 0
    if trim is not None and untrimmed_max > trim:
        cap = trim * total / n
        try:
            result = raked(TrimConfig(upper=cap, max_iter=TRIM_CYCLES))
            trimmed = int((result.data[WEIGHT].to_numpy() >= cap * (1 - 1e-6)).sum())  # at the cap
        except SvyWeightingError:
            notes.append(_phrase("katkaisu_ei_onnistu", kerroin=fmt.number(trim, 1)))
            result, cap = plain, None
    elif trim is not None:
        cap = trim * total / n  # the rule holds without cutting any weight
    weights = pd.Series(np.nan, index=answers.index, name=WEIGHT)
    weights[usable] = result.data[WEIGHT].to_numpy()
    levels = {key: answers[key].where(usable) for key in population.MARGINS}
    return Weights(weights, targets, cap, trimmed, untrimmed_max, notes, trim, levels, result)


# -- weighted shares -----------------------------------------------------------------------------------
def _weights_of(weights: Weights | pd.Series) -> pd.Series:
    return weights.weights if isinstance(weights, Weights) else weights


def weighted_share(chosen: pd.Series, weights: pd.Series) -> tuple[float, float, float, float]:
    """(share %, interval low %, high %, n_eff) of a True/False column among the rows with a
    weight: Wilson at Kish's effective n."""
    keep = weights.notna() & chosen.notna()
    w, y = weights[keep].to_numpy(float), chosen[keep].to_numpy(bool)
    if not len(w):
        return float("nan"), float("nan"), float("nan"), 0.0
    p = float(w[y].sum() / w.sum())
    n_eff = effective_n(w)
    low, high = wilson(p * n_eff, n_eff)
    return p * 100, float(low), float(high), n_eff


def weighted_distribution(answers: pd.Series, labels: list[str], weights: Weights | pd.Series,
                          method: str = "kish") -> pd.DataFrame:
    """A single-choice answer column: the unweighted distribution (analysis.distribution:
    lkm, osuus, ci_ala, ci_yla, n) and beside it the weighted share (osuus_painotettu), its
    95 % interval (ci_ala_painotettu, ci_yla_painotettu), the effective n (n_eff) and the
    change weighting makes (muutos, points). method="taylor": the interval from svy's
    linearisation standard errors instead (logit interval, crediting the raking)."""
    raw = analysis.distribution(answers, labels)
    w = _weights_of(weights)
    keep = answers.notna() & w.notna()
    ww, values = w[keep].to_numpy(float), answers[keep].astype(object).to_numpy()
    n_eff = effective_n(ww)
    shares = np.array([ww[values == label].sum() for label in labels]) / ww.sum() * 100 if len(ww) else \
        np.full(len(labels), np.nan)
    if method == "taylor":
        low, high = _taylor(answers, labels, weights)
    else:
        low, high = wilson(shares / 100 * n_eff, n_eff) if n_eff else (np.full(len(labels), np.nan),) * 2
    out = raw.copy()
    out["osuus_painotettu"] = shares
    out["ci_ala_painotettu"] = np.asarray(low, dtype=float)
    out["ci_yla_painotettu"] = np.asarray(high, dtype=float)
    out["n_eff"] = n_eff
    out["muutos"] = out["osuus_painotettu"] - out["osuus"]
    return out


def _taylor(answers: pd.Series, labels: list[str], weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """95 % logit intervals (percent) from svy's Taylor linearisation on the raked sample,
    respondents without an answer out of the domain."""
    import polars as pl

    if not isinstance(weights, Weights) or weights._sample is None:
        raise WeightingError("Taylor-luottamusväli vaatii rake()-funktion painot.")
    import svy

    usable = weights.weights.notna()
    values = answers[usable].astype(object).where(answers[usable].notna(), None).tolist()
    data = weights._sample.data.with_columns(pl.Series("_y", values, dtype=pl.String))
    sample = svy.Sample(data, weights._sample.design)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        estimate = sample.estimation.prop("_y", drop_nulls=True).to_polars()
    found = dict(zip(estimate["_y"].to_list(), zip(estimate["lci"].to_list(), estimate["uci"].to_list())))
    low = np.array([found.get(label, (0.0, 0.0))[0] for label in labels]) * 100
    high = np.array([found.get(label, (0.0, 0.0))[1] for label in labels]) * 100
    return low, high


def weighted_checkbox(table: pd.DataFrame, q: dict, weights: Weights | pd.Series) -> pd.DataFrame:
    """A checkbox question: the share of respondents (who chose at least one option) choosing
    each option, unweighted (analysis.checkbox) and weighted, in the unweighted order."""
    raw = analysis.checkbox(table, q)
    w = _weights_of(weights)
    chosen = table[[option_column(q, o) for o in raw.index]].fillna(False).astype(bool)
    answered = chosen.any(axis=1)
    rows = [weighted_share(chosen.loc[answered, option_column(q, o)], w[answered]) for o in raw.index]
    out = raw.copy()
    out["osuus_painotettu"] = [r[0] for r in rows]
    out["ci_ala_painotettu"] = [r[1] for r in rows]
    out["ci_yla_painotettu"] = [r[2] for r in rows]
    out["n_eff"] = [r[3] for r in rows]
    out["muutos"] = out["osuus_painotettu"] - out["osuus"]
    return out


def weighted_question(table: pd.DataFrame, q: dict, weights: Weights | pd.Series) -> dict[str, pd.DataFrame]:
    """Every answer set of a closed question, weighted beside unweighted: {label: table}
    (a single-choice question: one; a matrix: one per row; a checkbox question: one)."""
    if q["tyyppi"] == "monivalinta":
        return {title(q): weighted_checkbox(table, q, weights)}
    return {label: weighted_distribution(table[column], _labels(q), weights)
            for label, column in analysis.answer_columns(q).items()}


def _labels(q: dict) -> list[str]:
    return list(q["asteikko"]) if q["tyyppi"] == "matriisi" else options(q)


def weighted_table(dist: pd.DataFrame) -> pd.DataFrame:
    """A weighted_distribution() or weighted_checkbox() as a page shows it."""
    def ci(low, high, decimals=0):
        return [f"{fmt.number(a, decimals)}–{fmt.number(b, decimals)}" if a == a else fmt.MISSING
                for a, b in zip(low, high)]

    return pd.DataFrame({
        "Vastaajia": [fmt.number(v) for v in dist["lkm"]],
        "Osuus, %": [fmt.number(v) for v in dist["osuus"]],
        "95 %:n luottamusväli, %": ci(dist["ci_ala"], dist["ci_yla"]),
        "Painotettu osuus, %": [fmt.number(v) for v in dist["osuus_painotettu"]],
        "Painotetun 95 %:n luottamusväli, %": ci(dist["ci_ala_painotettu"], dist["ci_yla_painotettu"]),
        "Muutos, %-yks.": [fmt.nps(v) for v in dist["muutos"]],
    }, index=dist.index.rename(""))


# -- does weighting change a conclusion? --------------------------------------------------------------
def effects(table: pd.DataFrame, year: int, weights: Weights | pd.Series, sections: set[str] | None = None
            ) -> pd.DataFrame:
    """Every option of every closed question of the year (background questions aside), weighted
    beside unweighted: one row per option with the question's key, section (osio), answer-set
    label, option, both shares and intervals and the change (points). sections= limits it."""
    frames = []
    for key, q in analysis.questions(year).items():
        if q["osio"] == "vastaajat" or q["tyyppi"] == "avoin" or (sections and q["osio"] not in sections):
            continue
        for label, dist in weighted_question(table, q, weights).items():
            frame = dist.reset_index()
            frame.insert(0, "kysymys", label)
            frame.insert(0, "osio", q["osio"])
            frame.insert(0, "key", key)
            frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


@dataclass
class Conclusion:
    """What weighting does to one section's shares."""

    largest: pd.Series | None  # the row of effects() with the largest change
    changed: list[str]  # conclusions that change, in Finnish

    @property
    def changes_any(self) -> bool:
        return bool(self.changed)


TIE = 5.0  # points: a lead or a distance from one half smaller than this is a near tie, not a conclusion


def conclusions(effect: pd.DataFrame, section: str | None = None) -> Conclusion:
    """A conclusion changes where weighting (1) moves a share outside the unweighted share's
    95 % interval, (2) changes which option is the most common where the unweighted lead was
    clear (at least TIE points), or (3) turns a clear majority (at least TIE points over one
    half) into a minority or back."""
    rows = effect if section is None else effect[effect["osio"] == section]
    if rows.empty:
        return Conclusion(None, [])
    changed = []
    for label, group in rows.groupby("kysymys", sort=False):
        ranked = group.sort_values("osuus", ascending=False, kind="stable")
        if len(ranked) > 1 and ranked["lkm"].sum():
            before, after = ranked.iloc[0], group.loc[group["osuus_painotettu"].idxmax()]
            if after["vaihtoehto"] != before["vaihtoehto"] and before["osuus"] - ranked.iloc[1]["osuus"] >= TIE:
                changed.append(_phrase("johtopaatos_yleisin", kysymys=label, painotettuna=after["vaihtoehto"],
                                       painottamatta=before["vaihtoehto"]))
        for row in group.itertuples():
            if not row.ci_ala <= row.osuus_painotettu <= row.ci_yla:
                changed.append(_phrase("johtopaatos_valin_ulkopuolella", kysymys=label, vaihtoehto=row.vaihtoehto,
                                       painotettuna=fmt.percent(row.osuus_painotettu), ala=fmt.number(row.ci_ala),
                                       yla=fmt.number(row.ci_yla)))
            elif (row.osuus - 50) * (row.osuus_painotettu - 50) < 0 and abs(row.osuus - 50) >= TIE:
                changed.append(_phrase("johtopaatos_enemmisto", kysymys=label, vaihtoehto=row.vaihtoehto,
                                       painotettuna=fmt.percent(row.osuus_painotettu),
                                       painottamatta=fmt.percent(row.osuus)))
    largest = rows.loc[rows["muutos"].abs().idxmax()]
    return Conclusion(largest, changed)


def conclusion_sentence(effect: pd.DataFrame, section: str | None = None) -> str:
    """One Finnish sentence per section: whether weighting changes any conclusion."""
    result = conclusions(effect, section)
    if result.largest is None:
        return _phrase("ei_painotettavia")
    row = result.largest
    largest = _phrase("suurin_muutos", muutos=fmt.percentage_points(abs(row["muutos"])), kysymys=row["kysymys"],
                      vaihtoehto=row["vaihtoehto"], painottamatta=fmt.percent(row["osuus"]),
                      painotettuna=fmt.percent(row["osuus_painotettu"]))
    if not result.changes_any:
        return _phrase("painotus_ei_muuta", suurin_muutos=largest)
    return _phrase("painotus_muuttaa", muutokset="; ".join(result.changed), suurin_muutos=largest)


# -- the comparison between years, with each year's weights -----------------------------------------------
def weighted_year_change(current: pd.Series, previous: pd.Series, labels: list[str], weights: Weights | pd.Series,
                         previous_weights: Weights | pd.Series) -> pd.DataFrame:
    """An answer column in both years, each weighted to its own year's staff: the weighted
    shares, their intervals and the change in points."""
    now = weighted_distribution(current, labels, weights)
    before = weighted_distribution(previous, labels, previous_weights)
    return pd.DataFrame({"osuus_ennen": before["osuus_painotettu"], "ci_ala_ennen": before["ci_ala_painotettu"],
                         "ci_yla_ennen": before["ci_yla_painotettu"], "osuus_nyt": now["osuus_painotettu"],
                         "ci_ala_nyt": now["ci_ala_painotettu"], "ci_yla_nyt": now["ci_yla_painotettu"],
                         "muutos": now["osuus_painotettu"] - before["osuus_painotettu"]}, index=now.index)


def effective_counts(answers: pd.Series, labels: list[str], weights: Weights | pd.Series) -> pd.Series:
    """The weighted distribution as whole counts at Kish's effective n: what a test of the
    weighted shares may take as its table (the first-order design-effect correction)."""
    dist = weighted_distribution(answers, labels, weights)
    n_eff = float(dist["n_eff"].iloc[0]) if len(dist) else 0.0
    exact = dist["osuus_painotettu"].fillna(0).to_numpy() / 100 * n_eff
    counts = np.floor(exact).astype(int)
    short = int(round(n_eff)) - counts.sum()
    if short > 0:
        counts[np.argsort(counts - exact, kind="stable")[:short]] += 1
    return pd.Series(counts, index=labels)


def weighted_year_tests(current: pd.DataFrame, previous: pd.DataFrame, year: int, previous_year: int,
                        weights: Weights | pd.Series, previous_weights: Weights | pd.Series,
                        sections: set[str] | None = None) -> list[TestResult]:
    """analysis.year_tests on the weighted distributions: each year weighted to its own staff
    by the same method, the test on the effective counts (so the design effect widens it),
    Holm-adjusted over the questions. sections= limits it to those report sections (osio)."""
    results = []
    both = set(analysis.questions(previous_year))
    for key, q in analysis.questions(year).items():
        if key not in both or (sections and q["osio"] not in sections):
            continue
        before = analysis.questions(previous_year)[key]
        for label, column in analysis.answer_columns(q).items():
            if column not in previous:  # a matrix row new this year: nothing to compare
                continue
            labels = _labels(q) + [o for o in _labels(before) if o not in _labels(q)]  # the options of both years
            crosstab = pd.DataFrame({year: effective_counts(current[column], labels, weights),
                                     previous_year: effective_counts(previous[column], labels, previous_weights)}).T
            results.append(contingency_test(crosstab, label))
    return holm(results)


# -- what the page shows -----------------------------------------------------------------------------------
LONG_TABLE = 6  # a question with more rows than this is folded away (<details>)
SHARE_COLUMNS = ["Vastaajia", "Osuus, %", "95 %:n luottamusväli, %", "Painotettu osuus, %",
                 "Painotetun 95 %:n luottamusväli, %", "Muutos, %-yks."]
NOT_FIGURES = ("Katkaisusääntö", "Huomio")


def show_diagnostics(weights: Weights) -> None:
    """The weights in figures (a table, numbers right), then the trimming rule and any notes."""
    table = weights.diagnostics()
    figures = table[~table["Tunnusluku"].isin(NOT_FIGURES)].reset_index(drop=True)
    display.table(figures, numeric=["Arvo"])
    rule = table.loc[table["Tunnusluku"] == "Katkaisusääntö", "Arvo"]
    if len(rule):
        display.md(f"**Katkaisusääntö.** {rule.iloc[0]}")
    notes = list(table.loc[table["Tunnusluku"] == "Huomio", "Arvo"])
    if notes:
        display.md("\n".join(f"- {note}" for note in notes))


def show_margins(weights: Weights) -> None:
    """Folded away: each staff margin beside the sum of the weights of its respondents (they agree)."""
    rows = weights.margins()
    frame = pd.DataFrame({"Ryhmä": rows["ryhma"], "Henkilöstöä": [fmt.number(v) for v in rows["henkilosto"]],
                          "Painojen summa": [fmt.number(v, 1) for v in rows["painotettu_summa"]]})
    display.details("Painot toistavat henkilöstön jakaumat (ammattiryhmät ja vastuualueet)",
                    display.table_html(frame, ["Henkilöstöä", "Painojen summa"]))


def largest_changes(effect: pd.DataFrame, count: int = 6):
    """The `count` shares weighting changes most, unweighted and weighted side by side."""
    rows = effect.loc[effect["muutos"].abs().sort_values(ascending=False, kind="stable").index[:count]]
    items = [f"{row.kysymys}: {row.vaihtoehto}" for row in rows.itertuples()]
    return charts.grouped_bars(items, {"Painottamaton": rows["osuus"].to_numpy(),
                                       "Painotettu": rows["osuus_painotettu"].to_numpy()}, None,
                               f"Prosenttia vastaajista; {count} suurinta muutosta kaikista osuuksista",
                               subject="Osuudet, joita painotus muuttaa eniten", category="Kysymys ja vastaus")


def _share_table(label: str, dist: pd.DataFrame) -> str:
    frame = weighted_table(dist).reset_index(drop=True)
    frame.insert(0, "Vastaus", list(dist.index))
    caption = (f"{label}: n = {fmt.number(int(dist['n'].iloc[0]))}, efektiivinen n = "
               f"{fmt.number(float(dist['n_eff'].iloc[0]), 1)}")
    return display.table_html(frame, SHARE_COLUMNS, caption)


def show_question(table: pd.DataFrame, q: dict, weights: Weights | pd.Series) -> None:
    """One closed question, weighted beside unweighted: a table per answer set (a matrix: one per
    row), folded away where the question has more than LONG_TABLE rows in all."""
    sets = weighted_question(table, q, weights)
    blocks = "".join(_share_table(label, dist) for label, dist in sets.items())
    rows = sum(len(dist) for dist in sets.values())
    if rows > LONG_TABLE:
        largest = max(float(dist["muutos"].abs().max()) for dist in sets.values())
        display.details(f"{title(q)}: {rows} osuutta painotettuna ja painottamatta, suurin muutos "
                        f"{fmt.percentage_points(largest)}", blocks)
    else:
        display.html_block(blocks)


def show_section(table: pd.DataFrame, year: int, weights: Weights | pd.Series, section: str) -> None:
    """Every closed question of a report section (osio), weighted beside unweighted."""
    for q in analysis.questions(year).values():
        if q["osio"] == section and q["tyyppi"] != "avoin":
            show_question(table, q, weights)


@dataclass
class YearComparison:
    """The change between the surveys tested on the weighted answers (each year to its own staff)
    beside the same test on the unweighted answers."""

    year: int
    previous_year: int
    weighted: list[TestResult]
    unweighted: list[TestResult]

    def _significant(self, results: list[TestResult]) -> list[str]:
        return [r.kysymys for r in results if r.p == r.p and r.p < ALPHA]

    def sentence(self) -> str:
        tested = [r for r in self.weighted if r.p == r.p]
        if not tested:
            return _phrase("painotettu_muutos_ei_testattavissa")
        years = _phrase("vuodesta_vuoteen", edellinen=self.previous_year, vuosi=self.year)
        changed = self._significant(self.weighted)
        if not changed:
            text = _phrase("painotettu_muutos_ei_merkitsevia", vuodet=years, testeja=len(tested))
        else:
            adjusted = [r.kysymys for r in tested if r.p_holm < ALPHA]
            text = _phrase("painotettu_muutos_merkitsevia", vuodet=years, muuttuneita=len(changed), testeja=len(tested),
                           kysymykset=", ".join(changed))
            text += " " + (_phrase("muutos_holm", kysymykset=", ".join(adjusted)) if adjusted else
                           _phrase("muutos_holm_ei_yksikaan"))
        before = self._significant(self.unweighted)
        if before == changed:
            return text + " " + _phrase("painottamaton_sama")
        return text + " " + _phrase("painottamaton_eri", kysymykset=", ".join(before) or "ei yksikään")

    def table(self) -> pd.DataFrame:
        plain = {r.kysymys: r for r in self.unweighted}

        def p(value: float) -> str:
            return fmt.MISSING if value != value else "< 0,001" if value < 0.001 else fmt.number(value, 3)

        return pd.DataFrame([{"Kysymys": r.kysymys, "p painottamatta": p(plain[r.kysymys].p) if r.kysymys in plain
                              else fmt.MISSING, "p painotettuna": p(r.p), "p (Holm) painotettuna": p(r.p_holm),
                              "Efektiivinen n": fmt.number(r.n)} for r in self.weighted])


def compare_years(current: pd.DataFrame, previous: pd.DataFrame, year: int, previous_year: int,
                  weights: Weights | pd.Series, previous_weights: Weights | pd.Series) -> YearComparison:
    """The questions of both years outside the background section (those are what the weights
    are made of): the weighted test of change and the unweighted one, each Holm-adjusted over
    the same questions."""
    sections = {q["osio"] for q in analysis.questions(year).values() if q["osio"] != "vastaajat"}
    weighted = weighted_year_tests(current, previous, year, previous_year, weights, previous_weights, sections)
    labels = {r.kysymys for r in weighted}
    unweighted = holm([copy.copy(r) for r in analysis.year_tests(current, previous, year, previous_year)
                       if r.kysymys in labels])
    return YearComparison(year, previous_year, weighted, unweighted)
