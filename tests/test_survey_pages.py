"""The survey report's pages beyond the published report (issue 10), as a reader gets them:
the response rate and the weighted results, the welfare areas side by side, the analysts'
files the cleaning writes, and what the pages say when the staff register or the other
areas' exports are missing. Built by papermill and nbconvert on the sample (conftest's
`built_survey`)."""

import re
import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, page_text
from hyte_nb.pipeline import declared, pipeline
from hyte_nb.core import charts, fmt
from hyte_nb.core.paths import Paths
from hyte_nb.kysely import areas, population, weighting

RATES, AREAS = "16_vastausosuus", "17_alueet"
NEW_PAGES = (RATES, AREAS)
CHART_KINDS = ("Pylväskuvio", "Hajaantuva pylväskuvio", "Pinottu pylväskuvio", "Pistekuvio")
AREA_NAMES = ["Keski-Suomen hyvinvointialue", "Esimerkkialue A", "Esimerkkialue B"]


plain = page_text


@pytest.fixture(scope="module")
def pages(built_survey):
    reports, _ = built_survey
    return {name: BeautifulSoup((reports / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
            for name in NEW_PAGES}


def table_with(soup, header: str):
    """The first table whose header row has `header` as one of its cells."""
    for table in soup.select("main table.taulukko"):
        if header in [th.get_text() for th in table.select("thead th")]:
            return table
    raise AssertionError(f"no table headed {header!r}")


def rows(table) -> dict[str, list[str]]:
    return {tr.td.get_text(): [td.get_text().replace("\u00a0", " ") for td in tr.find_all("td")]
            for tr in table.select("tbody tr")}


# -- the response rate ---------------------------------------------------------------------------
def test_the_response_rate_page_shows_the_overall_rate_and_the_rates_by_group(pages):
    soup = pages[RATES]
    shown = plain(soup.find("main"))
    cards = [plain(card).strip() for card in soup.select(".avainluku")]
    assert cards[:3] == ["2,1 % vastausaste", "123 vastaajaa", "5 950 sote-ammattilaista henkilöstössä"]  # 123 / 5 950
    assert "yhteensä 5 950 sote-ammattilaista. Heistä 123 vastasi kyselyyn, joten vastausaste on 2,1 % " \
           "(95 %:n luottamusväli 1,7–2,5 %)" in shown
    groups = rows(table_with(soup, "Ammattiryhmä"))
    assert groups["Terveydenhuollon ammattilainen"] == ["Terveydenhuollon ammattilainen", "66", "3 678", "1,8", "1,4–2,3"]
    assert groups["Sosiaalihuollon ammattilainen"][1:4] == ["51", "1 806", "2,8"]
    assert groups["Muu ammattilainen"][1:4] == ["6", "466", "1,3"]
    areas_table = rows(table_with(soup, "Vastuualue"))
    assert areas_table["Koti- ja asumispalvelut"][1:4] == ["52", "2 137", "2,4"]
    # 4 respondents from group services: hidden with their rate, and one more so that the sum cannot give it away
    assert areas_table["Konsernipalvelut"][1:] == ["< 5", "256", "..", ".."]
    assert sum(r[1] == ".." for r in areas_table.values()) == 1
    assert "< 5 = alle 5 vastaajaa" in shown


def test_the_profile_names_the_under_represented_groups_in_plain_finnish(pages):
    shown = plain(pages[RATES].find("main"))
    assert "Kysymyksessä ”Ammattiryhmäni” vastaajat jakautuvat eri tavoin kuin henkilöstö (khiin neliö, p = 0,021)" in shown
    assert ("Terveydenhuollon ammattilainen: 54 % vastaajista mutta 62 % henkilöstöstä, 8 prosenttiyksikköä vähemmän "
            "kuin henkilöstössä") in shown
    assert "Sosiaalihuollon ammattilainen on vastaajissa yliedustettu" in shown
    profile = rows(table_with(pages[RATES], "Standardoitu ero"))
    assert profile["Terveydenhuollon ammattilainen"][1:] == ["66", "54", "62", "−8", "−0,17"]
    assert profile.keys() == {"Terveydenhuollon ammattilainen", "Sosiaalihuollon ammattilainen", "Muu ammattilainen"}


# -- the weights ---------------------------------------------------------------------------------
def test_the_weighted_results_show_the_diagnostics_and_a_conclusion_per_section(pages, built_survey):
    _, folder = built_survey
    answers = pd.read_parquet(folder.processed / "kysely_2024.parquet")
    weights = weighting.rake(answers, population.load_staff(folder))
    soup = pages[RATES]
    diagnostics = rows(table_with(soup, "Tunnusluku"))
    assert diagnostics["Efektiivinen otoskoko (Kish)"][1] == fmt.number(weights.n_eff, 1) == "112,4"
    assert diagnostics["Painotuksen asetelmavaikutus"][1] == fmt.number(weights.deff, 2) == "1,09"
    assert diagnostics["Suurin paino suhteessa keskiarvoon"][1] == fmt.number(weights.max_relative, 2)
    shown = plain(soup.find("main"))
    assert "Katkaisusääntö. Paino katkaistaan 3,0-kertaiseksi keskimääräisestä painosta" in shown
    assert shown.count("ei muuta osion johtopäätöksiä") == 2  # 1. Hyte-ohjaaminen, 2. Toimintamalli
    assert "suurin muutos on 3 prosenttiyksikköä (Hyte-ohjauksen tekemättä jäämisen syyt: Asiakas ei ole " \
           "kiinnostunut 45 % → 48 %)" in shown
    usefulness = rows(next(t for t in soup.select("main table.taulukko")
                           if (t.caption and t.caption.get_text().startswith("Hyte-ohjaamisen hyödyllisyys"))))
    assert usefulness["Melko hyödyllisenä"][1:] == ["40", "33", "25–42", "30", "22–39", "−3"]
    assert "Painottamaton vertailu antaa saman tuloksen" in shown  # the years, each weighted to its own staff


# -- the welfare areas -----------------------------------------------------------------------------
def test_the_cross_area_page_names_the_areas_and_tests_their_differences(pages):
    soup = pages[AREAS]
    shown = plain(soup.find("main"))
    sizes = rows(table_with(soup, "Hyvinvointialue"))
    assert [row[0] for row in sizes.values()] == AREA_NAMES
    assert [row[1] for row in sizes.values()] == ["123", "125", "123"]
    assert ("Hyte-toiminnan tunteminen: Alueiden vastaukset eroavat toisistaan (khiin neliö, p < 0,001; Cramérin V "
            "0,21, heikko). Keski-Suomen hyvinvointialue: 45 % vastasi hyvin tai melko hyvin (muilla alueilla 27–54 %; "
            "sija 2/3).") in shown
    assert ("Hyte-ohjaamisen hyödyllisyys: Alueiden vastaukset eivät eroa toisistaan tilastollisesti merkitsevästi "
            "(khiin neliö (permutaatio-p), p = 0,381") in shown
    assert "Holmin korjauksen jälkeenkin merkitseviä ovat: Hyte-toiminnan tunteminen" in shown
    not_compared = rows(table_with(soup, "Miksi ei vertailla"))
    assert "Onko työyksikköösi nimetty hyte-yhdyshenkilö?" in not_compared
    assert not_compared["Hyte-ohjauksen tekemättä jäämisen syyt"][2] == "ei kysytty alueilla: Esimerkkialue B"
    wide = next(t for t in soup.select("main table.taulukko")
                if t.caption and t.caption.get_text().startswith("Hyte-ohjaamisen hyödyllisyys: osuus vastaajista"))
    assert [th.get_text() for th in wide.select("thead th")] == ["Vastaus", *(f"{a}, %" for a in AREA_NAMES)]
    assert [th["class"][0] for th in wide.select("thead th")] == ["teksti", "luku", "luku", "luku"]
    assert rows(wide)["Hyödyllisenä"][1:] == ["59 (50–67)", "53 (44–61)", "45 (37–54)"]
    position = rows(table_with(soup, "Sija"))
    assert position["Hyte-toiminnan tunteminen"][1:] == ["Hyvin tai melko hyvin", "45", "27–54", "2/3", "< 0,001"]


# -- every new page ------------------------------------------------------------------------------------
def test_every_chart_on_the_new_pages_has_a_finnish_alt_text(pages):
    for name, soup in pages.items():
        images = soup.select("main img")
        assert len(images) >= 3, name
        for img in images:
            alt = img.get("alt", "")
            assert alt.startswith(CHART_KINDS) and len(alt) > 40, (name, alt)
            assert "No description" not in alt, name


def test_the_new_pages_have_their_headings_in_order_and_units_in_the_headers(pages):
    for name, soup in pages.items():
        levels = [int(h.name[1]) for h in soup.find("main").find_all(re.compile(r"^h[1-6]$"))]
        assert levels.count(1) == 1 and levels[0] == 1, (name, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, levels)
        for table in soup.select("main table.taulukko"):
            heads = table.select("thead th")
            assert heads[0]["class"] == ["teksti"], name  # the first column is text
    rates = table_with(pages[RATES], "Vastausaste, %")
    assert [th["class"][0] for th in rates.select("thead th")] == ["teksti", "luku", "luku", "luku", "luku"]


def test_the_report_index_gives_the_new_pages_their_headline_figures(built_survey):
    reports, _ = built_survey
    soup = BeautifulSoup((reports / "index.html").read_text(encoding="utf-8"), "html.parser")
    lines = {li.a["href"]: plain(li.select_one(".tiivistelma")) for li in soup.select("ol.sisalto > li")}
    assert lines[f"{RATES}.html"].startswith("2,1 % henkilöstöstä vastasi kyselyyn. Vastausaste ammattiryhmittäin")
    assert lines[f"{AREAS}.html"].startswith("3 hyvinvointialuetta rinnakkain.")


# -- the analysts' files ---------------------------------------------------------------------------------
def test_the_analysts_sav_file_reads_back_with_its_weights(built_survey):
    import pyreadstat

    _, folder = built_survey
    data, meta = pyreadstat.read_sav(str(folder.processed / "kysely_2024.sav"))
    assert len(data) == 123
    assert {"paino", "paino_henkilosto"} <= set(data.columns)
    assert data["paino_henkilosto"].sum() == pytest.approx(5950)
    assert data["paino"].mean() == pytest.approx(1.0)
    assert meta.variable_value_labels["hyodyllisyys"][1.0] == "Hyödyllisenä"
    assert (folder.processed / "kysely_2024.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (folder.processed / "kysely_2023.sav").exists()  # the comparison year too, with its own weights
    log = pd.read_csv(folder.processed / "puhdistusloki.csv")
    assert {"henkilosto", "alue_esimerkkialue_a"} <= set(log["taulu"])  # the same cleaning log


# -- without the staff register or the other areas -----------------------------------------------------
def test_without_the_staff_file_and_the_areas_the_pages_say_what_would_enable_them(tmp_path):
    """A project folder whose year has the survey's export only (no staff register, no other
    areas, no comparison year): the cleaning succeeds and the two pages say what is missing."""
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    for name in ("notebooks", "tekstit"):
        (tmp_path / name).symlink_to(ROOT / name)
    raw = tmp_path / "data" / "raw" / "2024" / "kysely"
    raw.mkdir(parents=True)
    shutil.copy(Paths.of(2024, "kysely", ROOT).raw / "hyte_ohjaus_kysely_2024.xlsx", raw)
    folder = Paths.of(2024, "kysely", tmp_path, reference=Paths.of(2024, "kysely", ROOT).reference)
    report = declared.load(tmp_path)["kysely"]
    report = declared.Report(report.key, report.cleaning, tuple(r for r in report.pages if r.page in NEW_PAGES),
                             report.title_template, report.organisation)
    pipeline.build_report(report, folder)
    rates = plain(BeautifulSoup((folder.reports / f"{RATES}.html").read_text(encoding="utf-8"), "html.parser")
                  .find("main"))
    assert "Tämän sivun tekeminen vaatii tiedoston data/raw/2024/kysely/henkilosto.csv" in rates
    assert "Vastaajat henkilöstöön verrattuna" not in rates and "Painotus" not in rates
    assert "Tämän sivun lukuja ei ole julkaistussa raportissa" in rates  # the page still ends as every page does
    other = plain(BeautifulSoup((folder.reports / f"{AREAS}.html").read_text(encoding="utf-8"), "html.parser")
                  .find("main"))
    assert "muiden hyvinvointialueiden kyselyviennit" in other and areas.LIST_FILE in other
    assert "Vertailtavat alueet" not in other
    import pyreadstat

    data, _ = pyreadstat.read_sav(str(folder.processed / "kysely_2024.sav"))
    assert len(data) == 123 and "paino" not in data.columns  # no staff, no weights


# -- the charts the pages added ------------------------------------------------------------------------------
def test_grouped_bars_and_small_shares_keep_the_chart_contract():
    grouped = charts.grouped_bars(["Terveydenhuollon ammattilainen", "Muu ammattilainen"],
                                  {"Vastaajat": [54.0, float("nan")], "Henkilöstö": [62.0, 8.0]}, None, "n = 123")
    assert grouped.alt_text.replace("\xa0", " ").startswith("Pylväskuvio. Rinnakkain Vastaajat ja Henkilöstö. Terveydenhuollon "
                                       "ammattilainen: Vastaajat 54 %, Henkilöstö 62 %; Muu ammattilainen: Henkilöstö 8 %")
    assert grouped.data_table.values.tolist() == [["Terveydenhuollon ammattilainen", "54", "62"],
                                                  ["Muu ammattilainen", "–", "8"]]
    assert list(grouped.data_table.columns) == ["Vastaus", "Vastaajat, %", "Henkilöstö, %"]
    rates = charts.bars_with_intervals(["A", "B"], [1.8, 2.8], [1.4, 2.2], [2.3, 3.7], None, small=True,
                                       value_name="Vastausaste, %")
    assert list(rates.axes[0].get_xticks()) == [0, 1, 2, 3, 4]  # not 0–100 %: a bar of 2 % would not show
    assert rates.data_table.values.tolist() == [["B", "2,8", "2,2–3,7"], ["A", "1,8", "1,4–2,3"]]
    assert "B 2,8\xa0%, A 1,8\xa0%" in rates.alt_text
    for fig in (grouped, rates):
        charts.plt.close(fig)


def test_no_page_puts_the_samples_invented_answers_under_a_real_welfare_area(built_survey):
    """The sample's other areas are fictitious (Esimerkkialue A, B): no built page, alt text or
    table names a real welfare area other than the own one."""
    reports, _ = built_survey
    checked = 0
    for path in sorted(reports.glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        text = plain(soup) + " " + " ".join(img.get("alt", "") for img in soup.find_all("img"))
        for real in ("Pohjois-Savo", "Etelä-Pohjanma", "Kuopio", "Seinäjoki"):
            assert real not in text, (path.name, real)
        named = set(re.findall(r"([A-ZÄÖÅ][\w-]+) hyvinvointialue\b", text))  # an area as pages name one
        assert named <= {"Keski-Suomen"}, (path.name, named)
        checked += 1
    assert checked >= 8
    assert "Esimerkkialue A" in plain(BeautifulSoup((reports / "17_alueet.html").read_text(encoding="utf-8"),
                                                    "html.parser"))


# -- the question count: the catalogue's figure on the page, the seed's in the appendix ------------
def test_the_question_count_comes_from_the_catalogue_and_the_appendix_notes_the_seeds(built_survey):
    reports, _ = built_survey
    story = plain(BeautifulSoup((reports / "11_toteutus.html").read_text(encoding="utf-8"), "html.parser").main)
    assert re.search(r"taustatietojen lisäksi 12¹? kysymystä, joista 3 oli avoimia", story), story[:2000]
    assert "11 kysymystä" not in story
    appendix = plain(BeautifulSoup((reports / "10_puhdistus.html").read_text(encoding="utf-8"), "html.parser").main)
    assert "Painettu 11, mutta vuoden kysymysluettelossa on 12; sivut näyttävät luettelon luvun." in appendix
