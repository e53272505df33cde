"""Years in a row (hyte_nb/kehitys): a figure's series over the built years, its changes, the
years that did not measure it, breaks, small counts, the survey's tests with Holm, the tidy file,
and the page of every built year built end to end over three years (2023–2025 of the shared
project of several years, conftest's `years_project`)."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats
from statsmodels.stats.multitest import multipletests

from conftest import SUPPRESSED_FIGURE
from hyte_nb.pipeline import declared
from hyte_nb.core import charts, stats
from hyte_nb.core.display import Hidden
from hyte_nb.kehitys import sections, series
from hyte_nb.kehitys.series import Year

NBSP = "\u00a0"


def figures(rows: dict) -> pd.DataFrame:
    """A figures table as luvut.parquet has it: id -> (arvo, n, nimi, yksikko)."""
    table = pd.DataFrame([{"id": fid, "arvo": float(v[0]), "n": v[1], "nimi": v[2], "yksikko": v[3], "osio": "x"}
                          for fid, v in rows.items()]).set_index("id")
    table["n"] = table["n"].astype("Int64")
    return table


USEFUL = "Hyte-ohjaamisen hyödyllisyys: Hyödyllisenä"


@pytest.fixture
def years():
    """Three survey years: the share 'useful' 50 % of 100 → 60 % of 120 → 75 % of 80 (a real
    change), a share measured from 2024 on, the respondents, a background share hidden in 2024."""
    return [
        Year(2023, figures({"ky_vastaajat": (100, None, "Vastaajia", "lkm"), "useful": (50.0, 100, USEFUL, "%"),
                            "small": (6.0, 100, "Vastuualue: Konserni", "%")})),
        Year(2024, figures({"ky_vastaajat": (120, None, "Vastaajia", "lkm"), "useful": (60.0, 120, USEFUL, "%"),
                            "new": (40.0, 120, "Toimintamalli: Kyllä", "%"),
                            "small": (2.5, 120, "Vastuualue: Konserni", "%")}),
             hidden={"small": Hidden("..")}),
        Year(2025, figures({"ky_vastaajat": (80, None, "Vastaajia", "lkm"), "useful": (75.0, 80, USEFUL, "%"),
                            "new": (42.5, 80, "Toimintamalli: Kyllä", "%"),
                            "small": (10.0, 80, "Vastuualue: Konserni", "%")})),
    ]


def test_a_series_has_every_built_year_its_changes_and_its_period(years):
    s = series.build_series("kysely", years, "ky_vastaajat")
    assert [p.text() for p in s.points] == ["100", "120", "80"]
    assert [s.change(i) for i in range(3)] == ["–", "+20 (+20\u00a0%)", "−40 (−33\u00a0%)"]
    assert s.period_change() == "2023–2025: −20 (−20\u00a0%)"
    useful = series.build_series("kysely", years, "useful")
    assert [useful.change(i) for i in range(3)] == ["–", f"+10{NBSP}prosenttiyksikköä", f"+15{NBSP}prosenttiyksikköä"]
    assert useful.period_change() == f"2023–2025: +25{NBSP}prosenttiyksikköä"
    assert not useful.breaks


def test_a_year_that_did_not_measure_a_figure_says_so_never_zero(years):
    s = series.build_series("kysely", years, "new")
    first = s.points[0]
    assert not first.measured and first.value is None and first.text() == "ei kysytty"  # the survey's words
    assert [s.change(i) for i in range(3)] == ["–", "–", f"+3{NBSP}prosenttiyksikköä"]
    assert s.period_change() == f"2024–2025: +3{NBSP}prosenttiyksikköä"  # from the first year that measured it
    table = series.series_table(s)
    assert [v.replace(NBSP, " ") for v in table["Arvo"]] == ["ei kysytty", "40 %", "43 %"] and table["n"].iloc[0] == "–"
    assert series.build_series("hyte", years, "new").points[0].text() == "ei mitattu"  # HYTE's
    assert series.build_series("kysely", years[:1], "new") is None  # no built year has it: listed, not drawn


def test_a_changed_label_breaks_the_series_and_says_why(years):
    years[2].figures.loc["useful", "nimi"] = "Hyte-ohjaamisen hyödyllisyys omassa työssä: Erittäin hyödyllisenä"
    s = series.build_series("kysely", years, "useful")
    assert [b.year for b in s.breaks] == [2025]
    assert s.breaks[0].reason == ("Luvun määritelmä muuttui vuonna 2025: vuonna 2024 ”Hyte-ohjaamisen hyödyllisyys: "
                                  "Hyödyllisenä”, vuonna 2025 ”Hyte-ohjaamisen hyödyllisyys omassa työssä: Erittäin "
                                  "hyödyllisenä”.")
    assert s.change(2) == "sarjakatko"  # never a change across the break
    assert s.period() is None and s.period_change() == "–"  # one comparable year after it
    assert series.test_change(s) is None
    summary = series.summary_table(series.ReportTrends("kysely", "Kysely", "Org", years, [s]))
    assert summary.loc[0, "2025"] == f"¦ 75{NBSP}%" and summary.loc[0, "Luku"].endswith("Erittäin hyödyllisenä")


def test_a_declared_break_is_kept_and_the_period_starts_from_it(years):
    declared_breaks = {"ky_vastaajat": [{"vuosi": 2024, "syy": "vastaajat lasketaan nyt ilman testivastauksia"}]}
    s = series.build_series("kysely", years, "ky_vastaajat", declared_breaks)
    assert [(b.year, b.reason) for b in s.breaks] == [
        (2024, "Sarjassa on katko vuonna 2024: vastaajat lasketaan nyt ilman testivastauksia.")]
    assert s.change(1) == "sarjakatko" and s.change(2) == "−40 (−33\u00a0%)"
    assert s.period_change() == "2024–2025: −40 (−33\u00a0%)"


def test_hidden_values_stay_hidden_and_so_do_changes_computed_on_them(years):
    s = series.build_series("kysely", years, "small", sample=True)
    assert [p.text().replace(NBSP, " ") for p in s.points] == ["6 %", "..", "10 %"]
    assert s.points[1].value is None and s.points[1].low is None
    assert [s.change(i) for i in range(3)] == ["–", "..", ".."]
    assert s.period_change() == f"2023–2025: +4{NBSP}prosenttiyksikköä"
    # the test leaves the hidden year out: 6 of 100 against 8 of 80
    result = series.test_change(s)
    expected = scipy_stats.fisher_exact([[6, 94], [8, 72]])
    assert result.testi == "Fisherin tarkka testi" and result.p == pytest.approx(expected.pvalue)


def test_survey_changes_are_tested_across_the_years_with_holm(years):
    useful = series.build_series("kysely", years, "useful", sample=True)
    low, high = stats.wilson(72, 120)  # 60 % of 120
    assert (useful.points[1].low, useful.points[1].high) == (pytest.approx(float(low)), pytest.approx(float(high)))
    result = series.test_change(useful)
    table = np.array([[50, 50], [72, 48], [60, 20]])
    chi2 = scipy_stats.chi2_contingency(table)
    assert result.testi == "khiin neliö" and result.n == 300
    assert result.statistic == pytest.approx(chi2.statistic) and result.p == pytest.approx(chi2.pvalue)
    assert result.p < 0.01
    new = series.build_series("kysely", years, "new", sample=True)
    other = series.test_change(new)  # 48 of 120 against 34 of 80: no change
    stats.holm([result, other])
    adjusted = multipletests([result.p, other.p], method="holm")[1]
    assert (result.p_holm, other.p_holm) == (pytest.approx(adjusted[0]), pytest.approx(adjusted[1]))
    useful.test, new.test = result, other
    assert useful.changed is True and new.changed is False
    said = sections.sentence(useful, sample=True).replace(NBSP, " ")
    assert said.startswith("Osuus oli vuonna 2023 50 %, vuonna 2025 75 %: vuosien välinen ero on tilastollisesti "
                           "merkitsevä myös Holmin korjauksen jälkeen")
    said = sections.sentence(new, sample=True)
    assert "mahtuu sattuman vaihteluun" in said and "tilastollisesti merkitsevää muutosta ei ole" in said
    report = series.ReportTrends("kysely", "Kysely", "Org", years, [useful, new], sample_survey=True)
    assert sections.change_summary(report).endswith(f"Tilastollisesti merkitsevä muutos: {USEFUL}. Muiden lukujen "
                                                    f"erot mahtuvat sattuman vaihteluun.")


def test_the_tidy_file_has_every_figure_of_every_year_and_hides_what_pages_hide(years, tmp_path):
    trends = series.Trends(tmp_path, [series.ReportTrends("kysely", "Kysely", "Org", years, [])])
    table = series.tidy(trends)
    assert list(table.columns) == ["vuosi", "raportti", "id", "nimi", "arvo", "n", "yksikko", "suojattu"]
    assert len(table) == 3 + 4 + 4
    hidden = table[(table["id"] == "small") & (table["vuosi"] == 2024)].iloc[0]
    assert hidden["suojattu"] and pd.isna(hidden["arvo"]) and hidden["n"] == 120
    assert not table.loc[table["id"] != "small", "suojattu"].any()
    assert "new" not in set(table.loc[table["vuosi"] == 2023, "id"])  # not measured: no row, never a 0
    csv, parquet = series.write_tidy(trends, tmp_path)
    assert pd.read_parquet(parquet).equals(table)
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "vuosi;raportti;id;nimi;arvo;n;yksikko;suojattu"
    assert "2024;kysely;small;Vastuualue: Konserni;;120;%;kyllä" in lines
    assert "2025;kysely;small;Vastuualue: Konserni;10;80;%;ei" in lines
    assert "2025;kysely;new;Toimintamalli: Kyllä;42,5;80;%;ei" in lines  # decimal comma


def test_the_chart_of_a_series_says_its_numbers_gaps_and_breaks():
    fig = charts.years_line([2023, 2024, 2025], [float("nan"), 40.0, 42.5], ["ei mitattu", "40 %", "42 %"],
                            breaks=[2025], subject="Toimintamalli: Kyllä", value_name="Osuus, %")
    assert fig.alt_text == ("Viivakuvio: toimintamalli: Kyllä. Vuodet 2023–2025. 2023 ei mitattu, 2024 40 %, "
                            "2025 42 %, sarjakatko vuonna 2025.")
    assert fig.data_table.to_dict("list") == {"Vuosi": ["2023", "2024", "2025"],
                                              "Osuus, %": ["ei mitattu", "40 %", "42 %"]}
    charts.plt.close(fig)


def test_the_declaration_is_checked(tmp_path):
    (tmp_path / "reports.yml").write_text("kehitys: {muistio: 20_kehitys.ipynb, sivu: kehitys, otsikko: K,\n"
                                          "  raportit: {hyte: {luvut: []}}}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kehitys, raportti hyte: luvut puuttuu"):
        declared.trends(tmp_path)
    (tmp_path / "reports.yml").write_text("raportit: {}\n", encoding="utf-8")
    assert declared.trends(tmp_path) is None


# -- three years built end to end -------------------------------------------------------------------
def test_each_new_year_updates_the_page(three_years):
    _, pages = three_years
    assert pages[2023].count("Raportista on tehty vain vuosi 2023") == 2  # both reports
    assert "Yksikään tehty vuosi ei ole vielä mitannut näitä lukuja, joten ne eivät näy alla: ky_malli_hyodyttaisi" \
        in pages[2023]  # the model question was first asked in 2024
    assert "Raportista on tehty vuodet 2023 ja 2024." in pages[2024] and "2025" not in pages[2024]
    assert "Raportista on tehty vuodet 2023, 2024 ja 2025." in pages[2025]
    assert pages[2025].count("Raportista on tehty vuodet 2023, 2024 ja 2025.") == 2  # both reports


def _frame(table) -> pd.DataFrame:
    """An HTML table's cells as text (no-break spaces as spaces)."""
    def cells(row, tag):
        return [c.get_text(" ", strip=True).replace(NBSP, " ") for c in row.find_all(tag)]

    return pd.DataFrame([cells(r, "td") for r in table.tbody.find_all("tr")], columns=cells(table.thead, "th"))


def _tables(root):
    """The page's captioned tables by caption, and the page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((root / "reports" / "kehitys.html").read_text(encoding="utf-8"), "html.parser")
    return {t.caption.get_text(strip=True): _frame(t) for t in soup.find_all("table") if t.caption}, soup


def test_the_page_shows_each_figure_year_by_year_with_its_numbers(three_years):
    root, _ = three_years
    tables, soup = _tables(root)
    luvut = {y: pd.read_parquet(root / "data" / "processed" / str(y) / "kysely" / "luvut.parquet")
             for y in (2023, 2024, 2025)}
    summary = tables["Kysely sote-ammattilaisille hyte-ohjaamisesta: avainluvut vuosittain"].set_index("Luku")
    respondents = [int(luvut[y].loc["ky_vastaajat", "arvo"]) for y in (2023, 2024, 2025)]
    assert respondents[:2] == [109, 123]
    assert [summary.loc["Vastaajia", str(y)] for y in (2023, 2024, 2025)] == [str(r) for r in respondents]
    # "ei kysytty" (never 0): the model question was first asked in 2024
    model = summary.filter(like="Toimintamalli voisi hyödyttää", axis=0).iloc[0]
    assert model["2023"] == "ei kysytty" and model["2024"] == "70 %"
    yearly = tables["Yhteisen hyte-ohjauksen toimintamallin tarve: Toimintamalli voisi hyödyttää omaa työtäni: Kyllä "
                    "vuosittain"]
    assert list(yearly["Arvo"])[0] == "ei kysytty" and list(yearly["n"])[0] == "–"
    # a chart per figure, with a Finnish alt text that says the same
    images = soup.find_all("img")
    assert len(images) == 7 + 7  # HYTE's and the survey's key figures
    assert any("2023 ei kysytty, 2024 70 %" in img["alt"].replace(NBSP, " ") for img in images)
    hyte = tables["Yhdessä yksinäisyys voitetaan – HYTE-raportti: avainluvut vuosittain"].set_index("Luku")
    assert list(hyte.columns[:3]) == ["2023", "2024", "2025"]
    assert hyte.loc["Kohtaamisia yhteensä", "2024"] == "58 318"
    encounters = [pd.read_parquet(root / "data" / "processed" / str(y) / "hyte" / "luvut.parquet").loc["kohtaamiset", "arvo"]
                  for y in (2023, 2024, 2025)]
    assert [hyte.loc["Kohtaamisia yhteensä", str(y)] for y in (2023, 2024, 2025)] == \
        [f"{int(v):,}".replace(",", " ") for v in encounters]


def test_a_reworded_question_is_a_break_that_says_why(three_years):
    root, pages = three_years
    tables, _ = _tables(root)
    yearly = tables["Hyte-ohjaamisen hyödyllisyys omassa työssä: Erittäin hyödyllisenä vuosittain"]
    assert list(yearly["Muutos edellisestä vuodesta"])[2] == "sarjakatko"
    assert list(yearly["Huomautus"])[2] == ("Luvun määritelmä muuttui vuonna 2025: vuonna 2024 ”Hyte-ohjaamisen "
                                            "hyödyllisyys: Hyödyllisenä”, vuonna 2025 ”Hyte-ohjaamisen hyödyllisyys "
                                            "omassa työssä: Erittäin hyödyllisenä”.")
    assert "Muutos lasketaan vuodesta 2025 alkaen." in pages[2025]


def test_small_counts_are_hidden_on_the_page_and_in_the_tidy_file(three_years):
    root, pages = three_years
    tables, _ = _tables(root)
    label = pd.read_parquet(root / "data" / "processed" / "2023" / "kysely" / "luvut.parquet").loc[SUPPRESSED_FIGURE,
                                                                                                     "nimi"]
    yearly = tables[f"{label} vuosittain"]
    assert list(yearly["Arvo"])[:2] == ["..", ".."] and list(yearly["Muutos edellisestä vuodesta"])[1] == ".."
    assert "pienten lukujen suojaus" in pages[2025]
    tidy = pd.read_parquet(root / "reports" / "kehitys_luvut.parquet")
    rows = tidy[(tidy["id"] == SUPPRESSED_FIGURE) & tidy["vuosi"].isin([2023, 2024])]
    assert len(rows) == 2 and rows["suojattu"].all() and rows["arvo"].isna().all()
    csv = (root / "reports" / "kehitys_luvut.csv").read_bytes().decode("utf-8-sig")
    assert f"2023;kysely;{SUPPRESSED_FIGURE};{label};;" in csv


def test_the_survey_narrative_calls_a_change_a_change_only_when_the_test_supports_it(three_years):
    root, pages = three_years
    trends = series.load(root)
    survey = next(r for r in trends.reports if r.key == "kysely")
    assert [y.year for y in survey.years] == [2023, 2024, 2025]
    tested = survey.tested
    assert len(tested) >= 4
    adjusted = multipletests([s.test.p for s in tested], method="holm")[1]
    assert [s.test.p_holm for s in tested] == pytest.approx(list(adjusted))
    for s in tested:
        said = sections.sentence(s, sample=True)
        if s.test.p_holm < 0.05:
            assert "tilastollisesti merkitsevä myös Holmin korjauksen jälkeen" in said and said in pages[2025]
        else:
            assert "tilastollisesti merkitsevää muutosta ei ole" in said and said.replace("\u00a0", " ") in pages[2025]


def test_the_tidy_file_has_every_figure_of_every_built_year(three_years):
    root, _ = three_years
    tidy = pd.read_parquet(root / "reports" / "kehitys_luvut.parquet")
    built = {(y, r) for y in (2023, 2024, 2025) for r in ("kysely", "hyte")}
    expected = sum(len(pd.read_parquet(root / "data" / "processed" / str(y) / r / "luvut.parquet")) for y, r in built)
    assert len(tidy) == expected
    assert set(zip(tidy["vuosi"], tidy["raportti"])) == built
    row = tidy[(tidy["vuosi"] == 2024) & (tidy["id"] == "kohtaamiset")].iloc[0]
    assert (row["arvo"], row["raportti"], row["yksikko"], row["suojattu"]) == (58318.0, "hyte", "lkm", False)
    page = (root / "reports" / "kehitys.html").read_text(encoding="utf-8")
    assert 'href="kehitys_luvut.csv"' in page and 'href="kehitys_luvut.parquet"' in page
    assert 'href="kehitys.html"' in (root / "reports" / "index.html").read_text(encoding="utf-8")


def test_a_rebuild_that_changed_nothing_skips_the_page(three_years, three_years_rebuild):
    root, _ = three_years
    rebuild = three_years_rebuild  # the second build of 2025, run right after the three years (conftest)
    assert rebuild["code"] == 0
    lines = rebuild["lines"]
    runs = sum(1 + len(report.pages) for report in declared.load(root).values())  # 2025: every page
    assert [line.split()[-1] for line in lines[:-1]] == ["ohitettu"] * (runs + 1)  # and the page of every built year
    assert lines[-2].split()[0] == "kehitys"
    assert rebuild["after"] == rebuild["before"]  # the page was not written again
    entry = json.loads((root / "reports" / ".manifest.json").read_text(encoding="utf-8"))["kehitys"]
    assert set(entry["tulokset"]) >= {"kehitys.html", "kehitys_luvut.csv", "kehitys_luvut.parquet"}
