"""Years in a row: each report's figures over every built year, read from the years' figures
tables (data/processed/<vuosi>/<raportti>/luvut.parquet), for reports/kehitys.html and the
analysts' tidy file.

- A year is in a report's series when reports/<vuosi>/tila.json lists the report as built and
  its figures table exists.
- A figure a built year did not compute (a question not asked, a service not offered) is
  "ei mitattu" in that year, never 0.
- A figure whose label or unit differs from the previous measured year's (a reworded question or
  option, which the questionnaire keeps with its years; a service renamed after an earlier year
  was built) is a break in the series; so is a break declared in reports.yml (`kehitys: katkokset`). A change is
  never computed across a break.
- Small counts are hidden as on the year's own pages (each report's `hidden`, hyte_nb/reports.py).
- For a sample survey (`otos: true` in reports.yml), each share gets its 95 % Wilson interval
  and the change over the years (the years since the last break) is tested as the two-year
  comparison tests it (hyte_nb.core.stats.contingency_test: chi-square, permutation or Fisher),
  with Holm's adjustment over the report's figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hyte_nb.pipeline import declared
from hyte_nb.core import figures as figures_table
from hyte_nb.core import fmt, stats, suppression, texts
from hyte_nb.core.paths import Paths
from hyte_nb.kehitys.years import TIDY_NAME, built_years

NOT_MEASURED = "ei mitattu"  # the default; each report words it in tekstit (kehitys.md: puuttuu_<raportti>)
BREAK = "sarjakatko"
TIDY_COLUMNS = ["vuosi", "raportti", "id", "nimi", "arvo", "n", "yksikko", "suojattu"]


# -- the years' figures -------------------------------------------------------------------------------
def _hidden_in(report: str, folder: Paths) -> dict:
    """The figures the year's public pages hide, by the report's own rules (none for a report
    the package does not know)."""
    from hyte_nb import reports

    return reports.hidden(report, folder) if report in reports.REPORTS else {}


@dataclass
class Year:
    """One built year of one report: its figures table and the figures its pages hide."""

    year: int
    figures: pd.DataFrame
    hidden: dict = field(default_factory=dict)  # id -> display.Hidden(value mark, n mark)
    sample: bool = False


def load_years(root: Path, report: str) -> list[Year]:
    out = []
    for year in built_years(root, report):
        folder = Paths.of(year, report, root)
        out.append(Year(year, figures_table.read(folder.processed), _hidden_in(report, folder), folder.is_sample))
    return out


# -- one figure over the years ------------------------------------------------------------------------
@dataclass
class Point:
    year: int
    value: float | None = None  # None: not measured, or hidden
    n: int | None = None
    label: str | None = None  # None: the year did not measure the figure
    unit: str | None = None
    mark: str = ""  # '< 5' or '..' where small-count suppression hides the value
    n_mark: str = ""  # the n's mark where the n itself is a hidden count
    low: float | None = None  # 95 % Wilson interval of a survey share
    high: float | None = None
    missing: str = NOT_MEASURED  # what the year says where it did not measure the figure

    @property
    def measured(self) -> bool:
        return self.label is not None

    @property
    def shown(self) -> bool:
        return self.measured and not self.mark

    def row(self) -> pd.Series:
        return pd.Series({"arvo": self.value, "yksikko": self.unit})

    def text(self) -> str:
        """The value as the pages write it, its mark, or 'ei mitattu'."""
        if not self.measured:
            return self.missing
        if self.mark:
            return self.mark
        return figures_table.formatted(self.row())

    def n_text(self) -> str:
        if not self.measured or self.n is None:
            return "–" if not self.n_mark else self.n_mark
        return self.n_mark or fmt.number(self.n)


@dataclass
class Break:
    year: int  # the first year of the new definition
    reason: str


@dataclass
class Series:
    report: str
    id: str
    points: list[Point]  # one per built year of the report, oldest first
    breaks: list[Break] = field(default_factory=list)
    test: stats.TestResult | None = None

    @property
    def latest(self) -> Point:
        return next(p for p in reversed(self.points) if p.measured)

    @property
    def label(self) -> str:
        return self.latest.label

    @property
    def unit(self) -> str:
        return self.latest.unit

    def break_before(self, year: int) -> Break | None:
        return next((b for b in self.breaks if b.year == year), None)

    @property
    def comparable(self) -> list[Point]:
        """The years since the last break (the same definition as the latest year)."""
        start = max((b.year for b in self.breaks), default=min(p.year for p in self.points))
        return [p for p in self.points if p.year >= start]

    def change(self, i: int) -> str:
        """The change from the year before, in the figure's own terms: '–' for the first year or
        next to a year that did not measure it, '..' next to a hidden value, 'sarjakatko' where the
        definition changed."""
        if i == 0:
            return "–"
        now, before = self.points[i], self.points[i - 1]
        if self.break_before(now.year) and now.measured and before.measured:
            return BREAK
        if not (now.measured and before.measured):
            return "–"
        if now.mark or before.mark:
            return suppression.HIDDEN
        return figures_table.change(now.row(), before.row())

    def period(self) -> tuple[Point, Point] | None:
        """The first and last measured year since the last break (None: fewer than two)."""
        measured = [p for p in self.comparable if p.measured]
        return (measured[0], measured[-1]) if len(measured) >= 2 else None

    def period_change(self) -> str:
        """The change over the whole comparable period, e.g. '2023–2025: +4 prosenttiyksikköä'."""
        period = self.period()
        if period is None:
            return "–"
        first, last = period
        if first.mark or last.mark:
            return suppression.HIDDEN
        return f"{first.year}–{last.year}: {figures_table.change(last.row(), first.row())}"

    @property
    def changed(self) -> bool | None:
        """Did the test find a change after Holm's adjustment (None: not tested)?"""
        if self.test is None or self.test.p_holm != self.test.p_holm:
            return None
        return self.test.p_holm < stats.ALPHA


def not_measured(report: str, year: int, root: Path | None = None) -> str:
    """How a year that did not measure a figure is written: the report's own words where the
    prose has them (the survey: 'ei kysytty', the year is the column), else 'ei mitattu'. Never 0."""
    try:
        return texts.phrase("kehitys", f"puuttuu_{report}", root, vuosi=year)
    except KeyError:
        return NOT_MEASURED


def build_series(report: str, years: list[Year], fid: str, declared_breaks: dict | None = None,
                 sample: bool = False, root: Path | None = None) -> Series | None:
    """The figure `fid` over the report's built years, with its breaks (worded as the project
    `root` words them); for a sample survey (`sample`), each share's Wilson interval. None where
    no built year has the figure."""
    points = []
    for y in years:
        if fid not in y.figures.index:
            points.append(Point(y.year, missing=not_measured(report, y.year, root)))
            continue
        row = y.figures.loc[fid]
        n = None if pd.isna(row["n"]) else int(row["n"])
        hidden = y.hidden.get(fid)
        point = Point(y.year, None if hidden else float(row["arvo"]), None if hidden and hidden.n else n,
                      str(row["nimi"]), str(row["yksikko"]), hidden.value if hidden else "",
                      hidden.n if hidden else "")
        if sample and point.shown and point.unit == "%" and n:
            low, high = stats.wilson(_count(point.value, n), n)
            point.low, point.high = float(low), float(high)
        points.append(point)
    if not any(p.measured for p in points):  # not yet measured (or a mistyped id): the page lists it
        return None
    series = Series(report, fid, points)
    previous = None
    for point in points:
        if not point.measured:
            continue
        if previous is not None and (point.label != previous.label or point.unit != previous.unit):
            unit_changed = point.label == previous.label
            series.breaks.append(Break(point.year, texts.phrase(
                "kehitys", "katko_yksikko" if unit_changed else "katko_maaritelma", root, vuosi=point.year,
                edellinen=previous.year, oli=previous.unit if unit_changed else previous.label,
                on=point.unit if unit_changed else point.label)))
        previous = point
    for spec in (declared_breaks or {}).get(fid, []):
        year = int(spec["vuosi"])
        if not series.break_before(year):
            series.breaks.append(Break(year, texts.phrase("kehitys", "katko_ilmoitettu", root, vuosi=year,
                                                          syy=str(spec["syy"]).rstrip("."))))
    series.breaks.sort(key=lambda b: b.year)
    return series


def _count(share: float, n: int) -> int:
    """The count behind a share of n (the figures keep shares unrounded)."""
    return int(round(share * n / 100))


def test_change(series: Series) -> stats.TestResult | None:
    """Did the share differ between the comparable years? A years × (chose, did not) table,
    tested as the two-year comparison tests a question (chi-square; a permutation p-value where
    expected counts are small; Fisher's exact test for two years). None where fewer than two
    years show the share with its n."""
    points = [p for p in series.comparable if p.shown and p.unit == "%" and p.n]
    if len(points) < 2:
        return None
    counts = [_count(p.value, p.n) for p in points]
    table = pd.DataFrame({"kyllä": counts, "ei": [p.n - c for p, c in zip(points, counts)]},
                         index=[p.year for p in points])
    return stats.contingency_test(table, series.label)


# -- the page's material ------------------------------------------------------------------------------
@dataclass
class ReportTrends:
    key: str
    title: str  # the report's title without the year
    organisation: str
    years: list[Year]
    series: list[Series]
    sample_survey: bool = False
    unmeasured: list[str] = field(default_factory=list)  # declared ids no built year has

    @property
    def year_numbers(self) -> list[int]:
        return [y.year for y in self.years]

    @property
    def tested(self) -> list[Series]:
        return [s for s in self.series if s.test is not None and s.test.p == s.test.p]


@dataclass
class Trends:
    root: Path
    reports: list[ReportTrends]

    @property
    def years(self) -> list[int]:
        return sorted({y for r in self.reports for y in r.year_numbers})

    @property
    def sample(self) -> bool:
        return any(y.sample for r in self.reports for y in r.years)


def report_title(report: declared.Report) -> str:
    """'Yhdessä yksinäisyys voitetaan – HYTE-raportti' for a title with {vuosi} at its end."""
    return report.title_template.replace("{vuosi}", "").strip(" –-")


def load(root: Path) -> Trends:
    """Every declared report's key figures (reports.yml: kehitys → raportit → <raportti> →
    luvut) over its built years; the survey's changes tested with Holm over its figures."""
    root = Path(root)
    spec = declared.trends(root)
    if spec is None:
        raise ValueError(f"{root / declared.REPORTS_FILE}: kehitys-osaa ei ole, joten kehityssivua ei tehdä")
    reports = declared.load(root)
    out = []
    for key, settings in spec.reports.items():
        if key not in reports:
            raise ValueError(f"{declared.REPORTS_FILE}: kehitys-osan raporttia {key!r} ei ole raportit-osassa "
                             f"(raportit: {', '.join(reports)})")
        years = load_years(root, key)
        if not years:
            continue
        built = {fid: build_series(key, years, fid, spec.breaks, settings.sample, root) for fid in settings.figures}
        series = [s for s in built.values() if s is not None]
        if settings.sample:
            for s in series:
                s.test = test_change(s)
            stats.holm([s.test for s in series if s.test is not None])
        out.append(ReportTrends(key, report_title(reports[key]), reports[key].organisation, years, series,
                                settings.sample, [fid for fid, s in built.items() if s is None]))
    if not out:
        raise ValueError("Yhtään vuotta ei ole vielä tehty: aja ensin `python -m hyte_nb build --year <vuosi>`.")
    return Trends(root, out)


# -- tables -------------------------------------------------------------------------------------------
def summary_table(report: ReportTrends) -> pd.DataFrame:
    """One row per key figure: its value in every built year ('ei mitattu', '< 5', '..'), and
    the change over the comparable period; a break is marked in the year it starts (¦)."""
    rows = []
    for s in report.series:
        row = {"Luku": s.label}
        for p in s.points:
            row[str(p.year)] = ("¦ " if s.break_before(p.year) else "") + p.text()
        row["Muutos koko jaksolla"] = s.period_change()
        if report.sample_survey:
            row["p (Holm)"] = fmt.number(s.test.p_holm, 3) if s.test is not None and s.test.p_holm == s.test.p_holm \
                else "–"
        rows.append(row)
    return pd.DataFrame(rows)


def series_table(series: Series, sample: bool = False) -> pd.DataFrame:
    """One figure year by year: its value, n, (the survey's 95 % interval,) the change from the
    year before and what changed where the series breaks."""
    rows = []
    for i, p in enumerate(series.points):
        row = {"Vuosi": str(p.year), "Arvo": p.text(), "n": p.n_text()}
        if sample:
            row["95 %:n luottamusväli, %"] = (f"{fmt.number(p.low)}–{fmt.number(p.high)}" if p.low is not None
                                              else "–")
        row["Muutos edellisestä vuodesta"] = series.change(i)
        found = series.break_before(p.year)
        row["Huomautus"] = found.reason if found else ""
        rows.append(row)
    return pd.DataFrame(rows)


# -- the analysts' tidy file --------------------------------------------------------------------------
def tidy(trends: Trends) -> pd.DataFrame:
    """Every figure of every built year of every report (not only the page's key figures), one
    row each: vuosi, raportti, id, nimi, arvo, n, yksikko, suojattu. A figure hidden on the
    year's pages has no value here either (and no n where the n is the hidden count)."""
    frames = []
    for report in trends.reports:
        for y in report.years:
            f = y.figures
            hidden = pd.Series([fid in y.hidden for fid in f.index], index=f.index)
            n_hidden = pd.Series([bool(y.hidden[fid].n) if fid in y.hidden else False for fid in f.index],
                                 index=f.index)
            frames.append(pd.DataFrame({
                "vuosi": y.year, "raportti": report.key, "id": f.index.astype(str), "nimi": f["nimi"].astype(str),
                "arvo": f["arvo"].astype(float).mask(hidden), "n": f["n"].astype("Int64").mask(n_hidden),
                "yksikko": f["yksikko"].astype(str), "suojattu": hidden.to_numpy()}))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TIDY_COLUMNS)
    out["vuosi"] = out["vuosi"].astype(np.int64)
    out["n"] = out["n"].astype("Int64")
    out["suojattu"] = out["suojattu"].astype(bool)
    return out[TIDY_COLUMNS].sort_values(["raportti", "id", "vuosi"], kind="stable").reset_index(drop=True)


def write_tidy(trends: Trends, folder: Path) -> list[Path]:
    """kehitys_luvut.parquet and kehitys_luvut.csv (Finnish convention: ';', decimal comma,
    UTF-8 with BOM, as the survey's analyst files) into `folder` (reports/, beside the page)."""
    from hyte_nb.kysely.exports_spss import write_csv_fi

    table = tidy(trends)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    parquet = folder / f"{TIDY_NAME}.parquet"
    table.to_parquet(parquet, index=False)
    shown = table.astype(object).where(table.notna(), "")
    shown["suojattu"] = table["suojattu"].map({True: "kyllä", False: "ei"})
    return [write_csv_fi(shown, folder / f"{TIDY_NAME}.csv"), parquet]
