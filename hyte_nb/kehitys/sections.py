"""What the page of all years (notebooks/20_kehitys.ipynb → reports/kehitys.html) shows: for
each report its key figures in every built year, the change per year and over the period, a
small chart per figure with its numbers in a table, the breaks and the years that did not
measure a figure; for a sample survey the intervals and the tests of change. The series logic
is in hyte_nb/kehitys/series.py."""

from __future__ import annotations

import html
import math

from hyte_nb.core import charts, fmt, stats, suppression, texts
from hyte_nb.core.figures import change
from hyte_nb.core.display import html_block, md, show, table
from hyte_nb.core.parameters import ParameterError
from hyte_nb.core.paths import find_root
from hyte_nb.kehitys import series as trends_mod
from hyte_nb.kehitys.series import ReportTrends, Series, Trends


def load(projektikansio=None) -> Trends:
    """The page's material; a Finnish message where no year has been built."""
    try:
        root = find_root(projektikansio)
        return trends_mod.load(root)
    except (FileNotFoundError, ValueError) as error:
        raise ParameterError(str(error)) from None


def downloads(trends: Trends) -> None:
    """The tidy file of all years' figures, written beside the page, and the links to it."""
    csv, parquet = trends_mod.write_tidy(trends, trends.root / "reports")
    rows = len(trends_mod.tidy(trends))
    html_block(f'<ul class="lataukset"><li><a href="{html.escape(csv.name)}" download>{html.escape(csv.name)}</a> '
               f"{html.escape(_phrase('tiedosto_csv'))}</li>"
               f'<li><a href="{html.escape(parquet.name)}" download>{html.escape(parquet.name)}</a> '
               f"{html.escape(_phrase('tiedosto_parquet'))}</li></ul>"
               f"<p>{html.escape(_phrase('tiedosto', rivit=fmt.number(rows)))}</p>")


def years_sentence(report: ReportTrends) -> str:
    years = report.year_numbers
    if len(years) == 1:
        return _phrase("vuosi_yksi", vuosi=years[0])
    return _phrase("vuodet", vuodet=_years(years))


def _years(years: list[int]) -> str:
    words = [str(y) for y in years]
    return " ja ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


def sentence(s: Series, sample: bool) -> str:
    """What the figure did over the comparable years, in one or two sentences. For a sample
    survey a change is called a change only when the test supports it after Holm's adjustment."""
    parts = []
    if s.breaks:
        last = s.breaks[-1]
        parts.append(_phrase("katko_muutos", katko=last.reason, vuosi=last.year))
    period = s.period()
    if period is None:
        parts.append(_phrase("vertailukelpoisia_yksi"))
        return " ".join(parts)
    first, last = period
    if first.mark or last.mark:
        parts.append(_phrase("piilotettu_jaksolla"))
        return " ".join(parts)
    moved = _phrase("vuosina", alkuvuosi=first.year, alku=first.text(), loppuvuosi=last.year, loppu=last.text())
    if not sample or s.unit != "%":
        parts.append(_phrase("luku_muuttui", vuosina=moved, muutos=change(last.row(), first.row())))
        return " ".join(parts)
    if s.changed is None:
        parts.append(_phrase("osuus_ei_testattavissa", vuosina=moved))
    else:
        parts.append(_phrase("osuus_merkitseva" if s.changed else "osuus_ei_merkitseva", vuosina=moved,
                             p=fmt.number(s.test.p_holm, 3)))
    return " ".join(parts)


def change_summary(report: ReportTrends) -> str:
    """The survey's tests read together: how many shares changed significantly after Holm."""
    tested = report.tested
    if not tested:
        return _phrase("testit_ei_voi")
    changed = [s for s in tested if s.changed]
    nominal = [s for s in tested if s.test.p < stats.ALPHA]
    base = _phrase("testit", testeja=len(tested))
    if changed:
        return base + " " + _phrase("testit_merkitsevat", luvut=", ".join(s.label for s in changed))
    if nominal:
        return base + " " + _phrase("testit_ilman_korjausta", luvut=", ".join(s.label for s in nominal),
                                    testeja=len(tested))
    return base + " " + _phrase("testit_ei_merkitsevia")


def _has_hidden(report: ReportTrends) -> bool:
    return any(p.mark or p.n_mark for s in report.series for p in s.points)


def suppression_footnote(report: ReportTrends) -> None:
    if not _has_hidden(report):
        return
    config = suppression.settings()
    note = _phrase("suojaus", merkki=config.mark, raja=config.threshold, piilotettu=suppression.HIDDEN)
    html_block(f'<div class="alaviitteet"><p class="alaviite">{html.escape(note)}</p></div>')


def show_summary(report: ReportTrends) -> None:
    frame = trends_mod.summary_table(report)
    years = [str(y) for y in report.year_numbers]
    table(frame, [*years, "Muutos koko jaksolla"] + (["p (Holm)"] if report.sample_survey else []),
          caption=f"{report.title}: avainluvut vuosittain")
    if any(s.breaks for s in report.series):
        md(_phrase("sarjakatko"))
    suppression_footnote(report)


def show_series(report: ReportTrends, s: Series) -> None:
    """One figure: its chart (a line over the years) with the year-by-year table right below."""
    md(f"### {s.label}")
    values = [p.value if p.shown else math.nan for p in s.points]
    unit = {"%": "Osuus, %", "nps": "Suositteluluku NPS", "pp": "Muutos, prosenttiyksikköä", "v": "Vuotta"}.get(
        s.unit, "Lukumäärä")
    low = high = None
    if report.sample_survey and any(p.low is not None for p in s.points):
        low = [p.low if p.low is not None else math.nan for p in s.points]
        high = [p.high if p.high is not None else math.nan for p in s.points]
    fig = charts.years_line([p.year for p in s.points], values, [p.text() for p in s.points], None,
                            "Pystyviivat: 95 %:n luottamusväli." if low is not None else "",
                            breaks=[b.year for b in s.breaks], low=low, high=high, subject=s.label,
                            value_name=unit)
    show(fig, numbers_below=True)
    frame = trends_mod.series_table(s, report.sample_survey)
    table(frame, [c for c in frame.columns if c not in ("Vuosi", "Huomautus")],
          caption=f"{s.label} vuosittain")
    md(sentence(s, report.sample_survey))


def show_report(report: ReportTrends) -> None:
    md(f"## {report.title}")
    md(f"{report.organisation}. {years_sentence(report)}")
    if report.unmeasured:
        md(_phrase("ei_mitattu", tunnukset=", ".join(report.unmeasured)))
    show_summary(report)
    if report.sample_survey:
        md(change_summary(report))
    for s in report.series:
        show_series(report, s)


def _phrase(name: str, **values) -> str:
    """A sentence of the page of every built year (hyte_nb/tekstit/kehitys.md, or the project's wording of it)."""
    return texts.phrase("kehitys", name, **values)
