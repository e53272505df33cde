"""Who answered, against who could have: the staff register (data/raw/<vuosi>/kysely/henkilosto.csv,
counts of professionals by responsibility area and professional group as the HR system
reports them), the response rate overall, by group and by area with 95 % Wilson intervals,
and the respondents' profile against the staff's: a goodness-of-fit test per background
question, standardised differences, and which groups are under-represented and by how much.

A page is a few calls:

    henkilosto = population.load_staff(kansiot)            # StaffMissing: its message says what is needed
    population.response_rates(osio.answers, henkilosto)     # -> DataFrame
    profiili = population.profile(osio.answers, henkilosto) # -> Profile: .tables, .tests, .sentences()

Without the staff file every loader raises StaffMissing, whose message (also
`population.missing_message(kansiot)`) tells the page what file would enable it;
`population.staff_if_any(kansiot)` gives None instead, for a page that then says so and stops.

The survey's cleaning (kysely/report.py) cleans the registers into the processed folder with
the survey (`clean_population`), puts the response rate into the figures table
(`response_figures`) and writes the analysts' files with the weights (`write_analyst_files`). The page shows the rates and the
profile with `show_response_rates` and `show_profile`: counts of fewer than five respondents in a
group (and any count they could be worked out from) are hidden (hyte_nb.core.suppression), with
the rates and shares computed on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as sstats

from hyte_nb.core import charts, clean, display, fmt, suppression, texts
from hyte_nb.core.figures import FigureTable
from hyte_nb.core.paths import Paths
from hyte_nb.core.read import ROW, ExportError, problem
from hyte_nb.core.schema import Column, Export
from hyte_nb.core.stats import ALPHA, MONTE_CARLO_SEED, wilson
from hyte_nb.kysely import questionnaire

_phrase = partial(texts.phrase, "kysely")  # a sentence of the survey's pages (hyte_nb/tekstit/kysely.md)

STAFF_FILE = "henkilosto.csv"
TOTAL_ROW = "Yhteensä"  # the HR report's last line; cleaning checks it against the rows and removes it
TOTAL_REASON = "yhteenvetorivi (Yhteensä), täsmää rivien summaan"
MARGINS = ("ammattiryhma", "vastuualue")  # the background questions the staff register also has
NOTABLE = 0.1  # |standardised difference| from which a group counts as over- or under-represented
MONTE_CARLO_DRAWS = 9999
CLEANING_NOTEBOOK = "10_kysely_puhdistus.ipynb"
MARGIN_NAMES = {"ammattiryhma": "Ammattiryhmä", "vastuualue": "Vastuualue"}  # as the staff register heads them
MARGIN_BY = {"ammattiryhma": "ammattiryhmittäin", "vastuualue": "vastuualueittain"}
RATE_FIGURE = "ky_vastausaste"
STAFF_FIGURE = "ky_henkilosto"
FIGURE_SECTION = "vastausosuus"


def staff_export() -> Export:
    """The HR system's report of the staff, aggregated: one row per responsibility area and
    professional group, named as the survey's background questions name them."""
    area, group = questionnaire.question("vastuualue"), questionnaire.question("ammattiryhma")
    return Export("henkilosto", STAFF_FILE,
                  "Henkilöstöhallinnon raportti: sote-ammattilaiset vastuualueittain ja ammattiryhmittäin",
                  "yksi rivi per vastuualue ja ammattiryhmä (ei henkilötietoja)", (
                      Column("Poimintapäivä", "poimintapaiva", "date", doc="päivä, jolta henkilöstötiedot on poimittu"),
                      Column("Vastuualue", "vastuualue", "choice", choices=tuple(questionnaire.options(area)),
                             doc="kyselyn kysymyksen Vastuualueeni vaihtoehdot"),
                      Column("Ammattiryhmä", "ammattiryhma", "choice", choices=tuple(questionnaire.options(group)),
                             doc="kyselyn kysymyksen Ammattiryhmäni vaihtoehdot"),
                      Column("Henkilöitä", "henkiloita", "int", lo=0, doc="henkilöitä poimintapäivänä"),
                  ))


# -- where the file is, and what a page says without it ---------------------------------------
class StaffMissing(FileNotFoundError):
    """The staff register of the year is not there; str() is the Finnish sentence a page shows."""


def staff_path(folder: Paths, year: int | None = None) -> Path:
    year = folder.year if year is None else year
    return (folder.raw if year == folder.year else folder.of_year(year).raw) / STAFF_FILE


def _shown(path: Path, folder: Paths) -> str:
    try:
        return str(path.relative_to(folder.root))
    except ValueError:
        return str(path)


def missing_message(folder: Paths, year: int | None = None) -> str:
    """The sentence a page shows where the year's staff file is missing."""
    year = folder.year if year is None else year
    path = _shown(staff_path(folder, year), folder)
    return _phrase("henkilosto_puuttuu", tiedosto=path, vuosi=year)


def has_staff(folder: Paths, year: int | None = None) -> bool:
    return staff_path(folder, year).exists()


# -- cleaning -----------------------------------------------------------------------------------
def _drop_total_row(raw: pd.DataFrame, export: Export, path: Path, log: clean.CleaningLog) -> pd.DataFrame:
    """The HR report ends with a Yhteensä line: it must equal the sum of the rows above it,
    and is then removed (logged). A total that does not add up is an error."""
    area = raw["Vastuualue"].astype(object)
    is_total = np.array([isinstance(v, str) and v.strip().casefold() == TOTAL_ROW.casefold() for v in area],
                        dtype=bool)
    if not is_total.any():
        return raw
    rows = raw[ROW].to_numpy()
    counts = pd.to_numeric(raw["Henkilöitä"].astype(object).map(lambda v: str(v).strip() if v is not None else v),
                           errors="coerce")
    problems = []
    if is_total.sum() > 1:
        problems += [problem(path, r, "Vastuualue", TOTAL_ROW, "vain yksi Yhteensä-rivi") for r in rows[is_total][1:]]
    elif counts[~is_total].notna().all():  # the rows' own errors, if any, are reported by parsing
        expected = int(counts[~is_total].sum())
        value = raw["Henkilöitä"].astype(object)[is_total].iloc[0]
        if counts[is_total].iloc[0] != expected:
            problems.append(problem(path, rows[is_total][0], "Henkilöitä", value,
                                    f"muiden rivien summa {fmt.number(expected)}"))
    if problems:
        raise ExportError(problems)
    log.add_rows(export.key, path, rows[is_total], "poistettu", TOTAL_REASON)
    return raw.loc[~is_total]


def _check_staff(tidy: pd.DataFrame, export: Export, path: Path) -> pd.DataFrame:
    """One row per area and group; someone on the staff."""
    problems = []
    repeated = tidy.duplicated(["vastuualue", "ammattiryhma"], keep=False)
    for (area, group), rows in tidy[repeated].groupby(["vastuualue", "ammattiryhma"], sort=False)[ROW]:
        for row in rows.iloc[1:]:
            problems.append(problem(path, row, "Ammattiryhmä", group, f"vastuualueen {area} ammattiryhmä vain kerran "
                                    f"(sama pari myös rivillä {rows.iloc[0]})"))
    if not problems and int(tidy["henkiloita"].sum()) == 0:
        problems.append(f"{path}: henkilöitä yhteensä 0 – odotettiin henkilöstön määriä")
    if problems:
        raise ExportError(problems)
    return tidy


def clean_staff(path: Path, year: int, log: clean.CleaningLog) -> pd.DataFrame:
    """The staff register cleaned by the project's rules: blank and test rows, exact duplicate
    rows and the total row removed (logged), every cell validated (errors name the file, row,
    column, value and what was expected), each area and group pair at most once."""
    return clean.clean_export(path, staff_export(), year, log, normalise=_drop_total_row, check=_check_staff)


def processed_name(year: int) -> str:
    return f"henkilosto_{year}"


def clean_population(folder: Paths, previous_year: int | None, log: clean.CleaningLog) -> dict[str, pd.DataFrame]:
    """The staff registers of the year and the comparison year that exist, cleaned, as
    {table name: table} for clean.write_processed (henkilosto_<vuosi>.parquet)."""
    tables = {}
    for year in (folder.year, previous_year):
        if year is not None and has_staff(folder, year):
            tables[processed_name(year)] = clean_staff(staff_path(folder, year), year, log)
    return tables


def load_staff(folder: Paths, year: int | None = None) -> pd.DataFrame:
    """The cleaned staff register of the year: the one the cleaning notebook wrote, else the
    raw file cleaned here by the same rules. StaffMissing where the raw file is not there."""
    year = folder.year if year is None else year
    processed = folder.processed / f"{processed_name(year)}.parquet"
    if processed.exists():
        return pd.read_parquet(processed)
    if not has_staff(folder, year):
        raise StaffMissing(missing_message(folder, year))
    return clean_staff(staff_path(folder, year), year, clean.CleaningLog())


def staff_if_any(folder: Paths, year: int | None = None) -> pd.DataFrame | None:
    """load_staff(), or None where the year has no staff register (the page then shows
    missing_message() and stops)."""
    try:
        return load_staff(folder, year)
    except StaffMissing:
        return None


# -- what the cleaning notebook adds -------------------------------------------------------------------
def figures(answers: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """The response rate (percent of the staff, n = the staff) and the staff total, as rows of
    the figures table (section 'vastausosuus')."""
    out = FigureTable()
    total = int(staff["henkiloita"].sum())
    out.put(RATE_FIGURE, len(answers) / total * 100, total, label="Vastausaste (osuus henkilöstöstä)", unit="%",
            section=FIGURE_SECTION, basis=[len(answers), total - len(answers)])  # who answered, who did not
    out.put(STAFF_FIGURE, total, label="Sote-ammattilaisia henkilöstöraportissa", unit="lkm", section=FIGURE_SECTION)
    return out.frame()


def response_figures(folder: Paths, answers: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The year's response-rate figures, where the cleaning found the year's staff register
    (tables: what clean_population gave); empty otherwise."""
    staff = tables.get(processed_name(folder.year))
    return pd.DataFrame() if staff is None else figures(answers, staff)


@dataclass
class AnalystFiles:
    """The files written for analysts, and the survey years whose files carry weights."""

    paths: list[Path]
    weighted: list[int]

    def sentence(self) -> str:
        """What the analysts get, in Finnish, by file name (no folder: the page names no paths)."""
        spss = [p.stem for p in self.paths if p.suffix == ".sav"]
        if not spss:
            return _phrase("analyytikoille_ei_tiedostoja")
        names = spss[0] if len(spss) == 1 else ", ".join(spss[:-1]) + " ja " + spss[-1]
        text = _phrase("analyytikoille", tiedostot=names)
        if self.weighted:
            return text + " " + _phrase("analyytikoille_painot", vuodet=" ja ".join(str(y) for y in self.weighted))
        return text + " " + _phrase("analyytikoille_ei_painoja")


def write_analyst_files(folder: Paths, surveys: dict[int, pd.DataFrame], tables: dict[str, pd.DataFrame]
                        ) -> AnalystFiles:
    """Each survey year's clean table for analysts (exports_spss: kysely_<vuosi>.sav, .csv and the
    codebook) in the processed folder, with the raking weights to that year's staff where its
    register was cleaned (tables: what clean_population gave), else without weights."""
    from hyte_nb.kysely import exports_spss, weighting

    written, weighted = [], []
    for year, answers in sorted(surveys.items(), reverse=True):
        staff = tables.get(processed_name(year))
        weights = None
        if staff is not None:
            try:
                weights = weighting.rake(answers, staff)
                weighted.append(year)
            except weighting.WeightingError:
                weights = None
        written += exports_spss.write_analyst_files(folder, answers, weights, year)
    return AnalystFiles(written, weighted)


# -- the staff in numbers -------------------------------------------------------------------------
def levels(key: str) -> list[str]:
    return questionnaire.options(questionnaire.question(key))


def staff_counts(staff: pd.DataFrame, key: str) -> pd.Series:
    """Staff per level of a background question, in the questionnaire's order (0 where none)."""
    return staff.groupby(key, observed=True)["henkiloita"].sum().reindex(levels(key), fill_value=0).astype(int)


def extract_date(staff: pd.DataFrame) -> str:
    """When the staff were counted (the latest extract date), as Finns write it."""
    return fmt.date(pd.Timestamp(staff["poimintapaiva"].max()))


# -- response rates ---------------------------------------------------------------------------------
def response_rates(answers: pd.DataFrame, staff: pd.DataFrame) -> pd.DataFrame:
    """Respondents per staff member, overall, by professional group and by responsibility area,
    in percent with a 95 % Wilson interval. A respondent who did not say their group (area)
    counts in the overall rate only; attrs['ei_tietoa'] says how many there were per question."""
    rows = [{"ryhmittely": "Kaikki", "ryhma": "Kaikki vastaajat", "vastaajia": len(answers),
             "henkilosto": int(staff["henkiloita"].sum())}]
    unknown = {}
    for key in MARGINS:
        counts = answers[key].value_counts().reindex(levels(key), fill_value=0)
        unknown[key] = int(answers[key].isna().sum())
        staff_n = staff_counts(staff, key)
        heading = questionnaire.title(questionnaire.question(key))
        rows += [{"ryhmittely": heading, "ryhma": level, "vastaajia": int(counts[level]),
                  "henkilosto": int(staff_n[level])} for level in levels(key)]
    table = pd.DataFrame(rows)
    answered = table["vastaajia"].to_numpy()
    base = table["henkilosto"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(base > 0, answered / np.where(base > 0, base, 1) * 100, np.nan)
        low, high = wilson(np.minimum(answered, base), np.where(base > 0, base, 1))
    table["vastausaste"] = rate
    table["ci_ala"] = np.where(base > 0, low, np.nan)
    table["ci_yla"] = np.where(base > 0, high, np.nan)
    table.attrs["ei_tietoa"] = unknown
    return table


def response_rate_table(rates: pd.DataFrame) -> pd.DataFrame:
    """response_rates() as a page shows it: Finnish numbers and headings."""
    return pd.DataFrame({
        "Ryhmittely": rates["ryhmittely"], "Ryhmä": rates["ryhma"],
        "Vastaajia": [fmt.number(v) for v in rates["vastaajia"]],
        "Henkilöstöä": [fmt.number(v) for v in rates["henkilosto"]],
        "Vastausaste, %": [fmt.number(v, 1) for v in rates["vastausaste"]],
        "95 %:n luottamusväli, %": [f"{fmt.number(lo, 1)}–{fmt.number(hi, 1)}" if lo == lo else fmt.MISSING
                                    for lo, hi in zip(rates["ci_ala"], rates["ci_yla"])],
    })


# -- the respondents' profile against the staff's -----------------------------------------------
@dataclass
class FitTest:
    """Do the respondents fall into the levels as the staff do? (chi-square goodness of fit)"""

    kysymys: str
    testi: str
    statistic: float
    df: int
    p: float
    n: int


def goodness_of_fit(observed: np.ndarray, shares: np.ndarray, label: str) -> FitTest:
    """Chi-square goodness-of-fit of observed counts against the staff's shares. Where an
    expected count is under 5 the p-value is the share of 9 999 multinomial draws from the
    staff's shares (seeded) whose statistic is at least the observed one."""
    observed = np.asarray(observed, dtype=float)
    keep = np.asarray(shares) > 0
    observed, shares = observed[keep], np.asarray(shares, dtype=float)[keep] / np.sum(np.asarray(shares)[keep])
    n = int(observed.sum())
    if n == 0 or len(observed) < 2:
        return FitTest(label, "ei testattavissa", float("nan"), 0, float("nan"), n)
    expected = shares * n
    statistic = float(((observed - expected) ** 2 / expected).sum())
    df = len(observed) - 1
    if (expected < 5).any():
        draws = np.random.default_rng(MONTE_CARLO_SEED).multinomial(n, shares, size=MONTE_CARLO_DRAWS)
        simulated = ((draws - expected) ** 2 / expected).sum(axis=1)
        p = (1 + int((simulated >= statistic - 1e-9).sum())) / (MONTE_CARLO_DRAWS + 1)
        return FitTest(label, "khiin neliö (Monte Carlo -p)", statistic, df, p, n)
    return FitTest(label, "khiin neliö", statistic, df, float(sstats.chi2.sf(statistic, df)), n)


def standardised_difference(p_respondents: np.ndarray, p_staff: np.ndarray) -> np.ndarray:
    """(p_r - p_s) / sqrt((p_r(1 - p_r) + p_s(1 - p_s)) / 2) for shares as fractions: the
    difference of a category's share in standard deviations; |d| >= 0.1 is the usual mark of
    a notable imbalance."""
    p_r, p_s = np.asarray(p_respondents, dtype=float), np.asarray(p_staff, dtype=float)
    spread = np.sqrt((p_r * (1 - p_r) + p_s * (1 - p_s)) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(spread > 0, (p_r - p_s) / np.where(spread > 0, spread, 1), 0.0)


def profile_table(answers: pd.DataFrame, staff: pd.DataFrame, key: str) -> pd.DataFrame:
    """One background question: respondents and staff per level, their shares (percent), the
    difference in points, the standardised difference, the adjusted residual and the
    representation ratio (share of respondents / share of staff)."""
    labels = levels(key)
    counts = answers[key].value_counts().reindex(labels, fill_value=0).to_numpy()
    staff_n = staff_counts(staff, key).to_numpy()
    n, total = counts.sum(), staff_n.sum()
    p_r = counts / n if n else np.full(len(labels), np.nan)
    p_s = staff_n / total
    expected = p_s * n
    with np.errstate(divide="ignore", invalid="ignore"):
        residual = np.where(expected > 0, (counts - expected) / np.sqrt(expected * (1 - p_s)), np.nan)
        ratio = np.where(p_s > 0, p_r / p_s, np.nan)
        rate = np.where(staff_n > 0, counts / staff_n * 100, np.nan)
    return pd.DataFrame({"vastaajia": counts, "osuus_vastaajista": p_r * 100, "henkilosto": staff_n,
                         "osuus_henkilostosta": p_s * 100, "ero": (p_r - p_s) * 100,
                         "standardoitu_ero": standardised_difference(p_r, p_s), "korjattu_jaannos": residual,
                         "edustavuus": ratio, "vastausaste": rate}, index=pd.Index(labels, name=key))


@dataclass
class Profile:
    """The respondents against the staff, per background question (MARGINS)."""

    tables: dict[str, pd.DataFrame]
    tests: dict[str, FitTest]
    overall_rate: float  # percent of the staff who answered
    unknown: dict[str, int] = field(default_factory=dict)  # respondents who did not say

    def under_represented(self) -> pd.DataFrame:
        """Groups whose share of the respondents falls short of their share of the staff by a
        standardised difference of at least NOTABLE, largest shortfall first."""
        return self._represented(lambda d: d <= -NOTABLE, ascending=True)

    def over_represented(self) -> pd.DataFrame:
        return self._represented(lambda d: d >= NOTABLE, ascending=False)

    def _represented(self, rule, ascending: bool) -> pd.DataFrame:
        rows = []
        for key, table in self.tables.items():
            for level, row in table[rule(table["standardoitu_ero"])].iterrows():
                rows.append({"kysymys": key, "ryhma": level, **row.to_dict()})
        frame = pd.DataFrame(rows)
        return frame.sort_values("standardoitu_ero", ascending=ascending).reset_index(drop=True) if rows else frame

    def differs(self, key: str) -> bool:
        """Does the respondents' distribution differ from the staff's at the 5 % level?"""
        test = self.tests[key]
        return test.p == test.p and test.p < ALPHA

    def hidden(self, config: suppression.Settings | None = None) -> dict[str, set[str]]:
        """Per background question, the levels whose respondent count a page hides (fewer than
        five, or one that would give such a count away): suppression.one_way over the levels."""
        return {key: set(table.index[np.asarray(_persons(table["vastaajia"], config).hidden)])
                for key, table in self.tables.items()}

    def published_sentences(self, config: suppression.Settings | None = None) -> list[str]:
        """sentences() as a page prints them: nothing about a level whose count is hidden."""
        return self.sentences(self.hidden(config), (config or suppression.settings()).threshold)

    def sentences(self, hidden: dict[str, set[str]] | None = None, threshold: int | None = None) -> list[str]:
        """The profile in plain Finnish: per question whether the respondents differ from the
        staff, then who is under-represented and by how much. `hidden`: levels (per question)
        whose respondent count is suppressed; they get one sentence without figures, which names
        the suppression's `threshold` (the project's, by default)."""
        hidden = hidden or {}
        secret = {level for levels in hidden.values() for level in levels}
        out = []
        for key, table in self.tables.items():
            test, heading = self.tests[key], questionnaire.title(questionnaire.question(key))
            if test.p != test.p:
                continue
            p = "p < 0,001" if test.p < 0.001 else f"p = {fmt.number(test.p, 3)}"
            out.append(_phrase("jakauma_poikkeaa" if test.p < ALPHA else "jakauma_ei_poikkea", kysymys=heading,
                               testi=test.testi, p=p))
        for row in self.under_represented().itertuples():
            if row.ryhma in secret:
                continue
            out.append(_phrase("aliedustettu", ryhma=row.ryhma, osuus_vastaajista=fmt.percent(row.osuus_vastaajista),
                               osuus_henkilostosta=fmt.percent(row.osuus_henkilostosta),
                               ero=fmt.percentage_points(-row.ero), vastausaste=fmt.percent(row.vastausaste, 1),
                               koko_vastausaste=fmt.percent(self.overall_rate, 1)))
        for row in self.over_represented().itertuples():
            if row.ryhma in secret:
                continue
            out.append(_phrase("yliedustettu", ryhma=row.ryhma, osuus_vastaajista=fmt.percent(row.osuus_vastaajista),
                               osuus_henkilostosta=fmt.percent(row.osuus_henkilostosta),
                               vastausaste=fmt.percent(row.vastausaste, 1)))
        for key, levels in hidden.items():
            shown = [level for level in self.tables[key].index if level in levels]
            if shown:
                out.append(_phrase("edustus_piilotettu", ryhmat=_and(shown),
                                   raja=threshold or suppression.settings().threshold))
        return out


def profile(answers: pd.DataFrame, staff: pd.DataFrame) -> Profile:
    """The respondents' profile against the staff's, for each background question the staff
    register has (professional group, responsibility area)."""
    tables, tests = {}, {}
    for key in MARGINS:
        table = profile_table(answers, staff, key)
        tables[key] = table
        tests[key] = goodness_of_fit(table["vastaajia"].to_numpy(), table["henkilosto"].to_numpy(),
                                     questionnaire.title(questionnaire.question(key)))
    overall = len(answers) / int(staff["henkiloita"].sum()) * 100
    return Profile(tables, tests, overall, {key: int(answers[key].isna().sum()) for key in MARGINS})


def profile_display(table: pd.DataFrame) -> pd.DataFrame:
    """profile_table() as a page shows it."""
    return pd.DataFrame({
        "Vastaajia": [fmt.number(v) for v in table["vastaajia"]],
        "Osuus vastaajista, %": [fmt.number(v) for v in table["osuus_vastaajista"]],
        "Henkilöstöä": [fmt.number(v) for v in table["henkilosto"]],
        "Osuus henkilöstöstä, %": [fmt.number(v) for v in table["osuus_henkilostosta"]],
        "Ero, %-yks.": [fmt.nps(v) for v in table["ero"]],
        "Standardoitu ero": [fmt.number(v, 2) for v in table["standardoitu_ero"]],
        "Vastausaste, %": [fmt.number(v, 1) for v in table["vastausaste"]],
    }, index=table.index.rename(""))


# -- what the page shows -----------------------------------------------------------------------------------
def _persons(counts: pd.Series, config: suppression.Settings | None = None) -> suppression.Suppression:
    """Respondents per level of a background question: a breakdown of persons, its total printed."""
    return suppression.one_way(pd.Series(np.asarray(counts, dtype=int), index=list(counts.index)),
                               kind=suppression.PERSONS, config=config)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " ja " + words[-1]


def overall(rates: pd.DataFrame) -> pd.Series:
    """The response rate of all respondents (the first row of response_rates())."""
    return rates.iloc[0]


def show_response_rates(rates: pd.DataFrame, key: str, config: suppression.Settings | None = None) -> None:
    """One background question's response rates (key: ammattiryhma or vastuualue): a chart with
    95 % whiskers, its axis fitted to the rates, and the table right below it. A group with fewer
    than five respondents (and one that would give such a count away) shows '< 5' or '..' and no
    rate; the chart keeps its row without a bar, and its note names it."""
    heading = questionnaire.title(questionnaire.question(key))
    rows = rates[rates["ryhmittely"] == heading].reset_index(drop=True)
    counts = _persons(pd.Series(rows["vastaajia"].to_numpy(), index=rows["ryhma"]), config)
    hidden = np.asarray(counts.hidden)
    keep = hidden | rows["vastausaste"].notna().to_numpy()  # a group without staff has no rate at all
    drawn = rows[keep].assign(ryhma=[label for label, k in zip(counts.labels(rows["ryhma"]), keep) if k])
    drawn.loc[hidden[keep], ["vastausaste", "ci_ala", "ci_yla"]] = np.nan
    overall_rate = overall(rates)
    note = (f"Vastaajia / henkilöstöä; viikset: 95 %:n luottamusväli. Koko henkilöstö "
            f"{fmt.percent(overall_rate['vastausaste'], 1)}.")
    if (~hidden[keep]).any():
        chart = charts.bars_with_intervals(drawn["ryhma"], drawn["vastausaste"], drawn["ci_ala"], drawn["ci_yla"], None,
                                           note, subject=f"Vastausaste {MARGIN_BY[key]}", category=MARGIN_NAMES[key],
                                           small=True, value_name="Vastausaste, %", missing=suppression.CHART_NOTE)
        display.show(chart, numbers_below=True)
    frame = response_rate_table(rows).drop(columns="Ryhmittely").rename(columns={"Ryhmä": MARGIN_NAMES[key]})
    numeric = ["Vastaajia", "Henkilöstöä", "Vastausaste, %", "95 %:n luottamusväli, %"]
    display.table(counts.table(frame, "Vastaajia", derived=["Vastausaste, %", "95 %:n luottamusväli, %"]), numeric)
    if counts.any:
        display.md(counts.footnote("vastaajaa"))


def show_profile(result: Profile, key: str, config: suppression.Settings | None = None) -> None:
    """One background question: the respondents' and the staff's shares side by side (chart), and
    the table of respondents, both shares, their difference and the standardised difference (the
    staff counts and the response rates are in show_response_rates' table); hidden counts as there."""
    table = result.tables[key]
    counts = _persons(table["vastaajia"], config)
    hidden = np.asarray(counts.hidden)
    respondents = table["osuus_vastaajista"].to_numpy(dtype=float).copy()
    respondents[hidden] = np.nan
    note = (f"n = {counts.total_text()} vastaajaa ja {fmt.number(int(table['henkilosto'].sum()))} henkilöstön "
            f"ammattilaista.")
    chart = charts.grouped_bars(counts.labels(list(table.index)),
                                {"Vastaajat": respondents, "Henkilöstö": table["osuus_henkilostosta"].to_numpy()},
                                None, note, subject=f"{questionnaire.title(questionnaire.question(key))}: osuus "
                                                    f"vastaajista ja henkilöstöstä", category=MARGIN_NAMES[key],
                                missing=suppression.CHART_NOTE)  # names each hidden share
    display.show(chart, numbers_below=True)
    frame = profile_display(table).reset_index(drop=True).drop(columns=["Henkilöstöä", "Vastausaste, %"])  # shown above
    frame.insert(0, MARGIN_NAMES[key], list(table.index))
    frame = counts.table(frame, "Vastaajia", derived=["Osuus vastaajista, %", "Ero, %-yks.", "Standardoitu ero"])
    display.table(frame, list(frame.columns[1:]))
    if counts.any:
        display.md(counts.footnote("vastaajaa"))


def fit_table(result: Profile) -> pd.DataFrame:
    """The goodness-of-fit tests as a page shows them."""
    return pd.DataFrame([{"Kysymys": t.kysymys, "Testi": t.testi,
                          "Khiin neliö": fmt.number(t.statistic, 2) if t.statistic == t.statistic else fmt.MISSING,
                          "Vapausasteet": fmt.number(t.df),
                          "p": fmt.MISSING if t.p != t.p else "< 0,001" if t.p < 0.001 else fmt.number(t.p, 3),
                          "Vastaajia": fmt.number(t.n)} for t in result.tests.values()])
