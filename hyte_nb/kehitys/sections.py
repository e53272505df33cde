"""What the page of all years (notebooks/20_kehitys.ipynb → reports/kehitys.html) shows: for
each report its key figures in every built year, the change per year and over the period, a
small chart per figure with its numbers in a table, the breaks and the years that did not
measure a figure; for a sample survey the intervals and the tests of change. The series logic
is in hyte_nb/kehitys/series.py."""

from __future__ import annotations

import html
import math

from hyte_nb.core import charts, fmt, stats, suppression
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
               f"(CSV: puolipiste erottimena, desimaalipilkku, UTF-8; avautuu suomenkieliseen Exceliin)</li>"
               f'<li><a href="{html.escape(parquet.name)}" download>{html.escape(parquet.name)}</a> '
               f"(Parquet: R, Python, DuckDB)</li></ul>"
               f"<p>Tiedostossa on {fmt.number(rows)} riviä: jokaisen tehdyn vuoden jokainen luku, sarakkeet vuosi, "
               f"raportti, id, nimi, arvo, n, yksikko ja suojattu. Suojatun luvun arvo on tyhjä kuten "
               f"sivuillakin.</p>")


def years_sentence(report: ReportTrends) -> str:
    years = report.year_numbers
    if len(years) == 1:
        return (f"Raportista on tehty vain vuosi {years[0]}, joten kehitystä ei vielä voi kuvata: luvut näkyvät "
                f"tämän vuoden osalta.")
    return f"Raportista on tehty vuodet {_years(years)}."


def _years(years: list[int]) -> str:
    words = [str(y) for y in years]
    return " ja ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


def sentence(s: Series, sample: bool) -> str:
    """What the figure did over the comparable years, in one or two sentences. For a sample
    survey a change is called a change only when the test supports it after Holm's adjustment."""
    parts = []
    if s.breaks:
        last = s.breaks[-1]
        parts.append(f"{last.reason} Muutos lasketaan vuodesta {last.year} alkaen.")
    period = s.period()
    if period is None:
        parts.append("Vertailukelpoisia vuosia on vasta yksi, joten muutosta ei voi vielä kuvata.")
        return " ".join(parts)
    first, last = period
    if first.mark or last.mark:
        parts.append("Luku on piilotettu ainakin yhtenä vuonna pienten lukujen suojauksen vuoksi, joten koko "
                     "jakson muutosta ei näytetä.")
        return " ".join(parts)
    moved = f"vuonna {first.year} {first.text()}, vuonna {last.year} {last.text()}"
    if not sample or s.unit != "%":
        parts.append(f"Luku oli {moved} (muutos {change(last.row(), first.row())}).")
        return " ".join(parts)
    if s.changed is None:
        parts.append(f"Osuus oli {moved}. Muutosta ei voi testata.")
    elif s.changed:
        parts.append(f"Osuus oli {moved}: vuosien välinen ero on tilastollisesti merkitsevä myös Holmin korjauksen "
                     f"jälkeen (p = {fmt.number(s.test.p_holm, 3)}).")
    else:
        parts.append(f"Osuus oli {moved}, mutta ero mahtuu sattuman vaihteluun (Holmin korjattu p = "
                     f"{fmt.number(s.test.p_holm, 3)}), joten tilastollisesti merkitsevää muutosta ei ole.")
    return " ".join(parts)


def change_summary(report: ReportTrends) -> str:
    """The survey's tests read together: how many shares changed significantly after Holm."""
    tested = report.tested
    if not tested:
        return "Yhtäkään osuutta ei voi vielä testata: vertailukelpoisia vuosia on alle kaksi."
    changed = [s for s in tested if s.changed]
    nominal = [s for s in tested if s.test.p < stats.ALPHA]
    base = (f"Osuuksien muutos testattiin {len(tested)} luvussa (khiin neliö -testi vuosien välillä, 5 %:n "
            f"merkitsevyystaso, Holmin korjaus).")
    if changed:
        return (base + f" Tilastollisesti merkitsevä muutos: {', '.join(s.label for s in changed)}. Muiden lukujen "
                f"erot mahtuvat sattuman vaihteluun.")
    if nominal:
        return (base + f" Ilman korjausta merkitseviä olisivat {', '.join(s.label for s in nominal)}, mutta kun "
                f"testejä tehtiin {len(tested)}, yksikään muutos ei ole merkitsevä Holmin korjauksen jälkeen: "
                f"eroja on pidettävä suuntaa antavina.")
    return base + " Yhdessäkään ei ole tilastollisesti merkitsevää muutosta: erot mahtuvat sattuman vaihteluun."


def _has_hidden(report: ReportTrends) -> bool:
    return any(p.mark or p.n_mark for s in report.series for p in s.points)


def suppression_footnote(report: ReportTrends) -> None:
    if not _has_hidden(report):
        return
    config = suppression.settings()
    html_block(f'<div class="alaviitteet"><p class="alaviite">{html.escape(config.mark)} = alle {config.threshold} '
               f"henkilöä; {suppression.HIDDEN} = luku on piilotettu, koska se on laskettu alle {config.threshold} "
               f"henkilön joukosta tai siitä voisi päätellä alle {config.threshold} henkilön lukumäärän (pienten "
               f"lukujen suojaus), kuten vuoden omilla sivuilla.</p></div>")


def show_summary(report: ReportTrends) -> None:
    frame = trends_mod.summary_table(report)
    years = [str(y) for y in report.year_numbers]
    table(frame, [*years, "Muutos koko jaksolla"] + (["p (Holm)"] if report.sample_survey else []),
          caption=f"{report.title}: avainluvut vuosittain")
    if any(s.breaks for s in report.series):
        md("¦ = sarjakatko: luvun määritelmä muuttui tuona vuonna, ja muutos lasketaan vasta siitä alkaen.")
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
        md(f"Yksikään tehty vuosi ei ole vielä mitannut näitä lukuja, joten ne eivät näy alla: "
           f"{', '.join(report.unmeasured)} (lukutaulun tunnukset, reports.yml).")
    show_summary(report)
    if report.sample_survey:
        md(change_summary(report))
    for s in report.series:
        show_series(report, s)
