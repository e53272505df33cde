"""Small-count suppression on the rendered pages (hyte_nb.core.suppression applied by the
sections): no person breakdown shows a count of 1-4, shares next to hidden counts are hidden,
the folded figure lists hide the same figures as the pages, and an internal run with
HYTE_NB_EI_JULKAISTAVAKSI=1 shows the real counts under the banner "EI JULKAISTAVAKSI".
Real values: the bundled 2024 sample built by conftest's `built` and `built_survey`."""

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from hyte_nb.pipeline import declared, pipeline
from hyte_nb.core import display, fmt, suppression
from hyte_nb.core.fmt import NBSP
from hyte_nb.core.paths import Paths
from hyte_nb.core.suppression import HIDDEN
from hyte_nb.hyte import catalog
from hyte_nb.hyte import sections as hyte
from hyte_nb.kysely import analysis, questionnaire
from hyte_nb.kysely import sections as kysely

LT5 = f"<{NBSP}5"
CONFIG = suppression.Settings(threshold=5, on=True)
# First headers of tables whose rows are persons grouped by an attribute of theirs, and the
# columns of those tables that count persons.
PERSON_ATTRIBUTES = {"Ammattiryhmä", "Asiakastyön laatu", "Tehtävä", "Vastuualue", "Kunta", "Palvelu", "Ryhmä",
                     "Hyvinvointitulos"}
PERSON_COUNTS = {"Vastaajia", "Asiakkaita tai tukipareja", "n"}
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _cell(td) -> str:
    """A cell's text without the marks of figures the published report printed differently."""
    return td.get_text().strip().rstrip(SUPERSCRIPTS)


def _tables(soup) -> list[tuple[list[str], list[list[str]]]]:
    """(headers, rows of cell texts) of every table of the page's main part."""
    found = []
    for table in soup.find("main").select("table.taulukko"):
        heads = [th.get_text().strip() for th in table.select("thead th")]
        rows = [[_cell(td) for td in tr.find_all("td")] for tr in table.select("tbody tr")]
        found.append((heads, rows))
    return found


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def hyte_pages(built):
    root, _ = built
    return {p.stem: _soup(p) for p in (root / "reports").glob("*.html") if p.name != "index.html"}


@pytest.fixture(scope="module")
def survey_pages(built_survey):
    reports, _ = built_survey
    return {p.stem: _soup(p) for p in reports.glob("*.html") if p.name != "index.html"}


@pytest.fixture(scope="module")
def hyte_figures(built):
    root, _ = built
    return pd.read_parquet(root / "processed" / "luvut.parquet")


# -- the survey -----------------------------------------------------------------------------------------
def test_the_municipality_table_shows_small_municipalities_as_fewer_than_five(survey_pages, built_survey):
    _, folder = built_survey
    answers = pd.read_parquet(folder.processed / "kysely_2024.parquet")
    q = questionnaire.question("kunta")
    counts = analysis.distribution(answers["kunta"], questionnaire.options(q))["lkm"]
    assert counts["Luhanka"] == 1 and counts["Jyväskylä"] == 66 and ((counts >= 1) & (counts <= 4)).sum() == 18
    # the shares with their intervals: the appendix (the story folds the municipalities into "Muut")
    heads, rows = next(t for t in _tables(survey_pages["kysely_liitteet"]) if t[0][0] == "Kunta")
    assert heads == ["Kunta", "Vastaajia", "Osuus, %", "95 %:n luottamusväli, %"]
    shown = {row[0]: row for row in rows}
    assert set(shown) == set(counts.index)
    for municipality, count in counts.items():
        row = shown[municipality]
        if 1 <= count <= 4:
            assert row[1:] == [LT5, HIDDEN, HIDDEN], row  # the count, its share and its interval
        else:
            assert row[1] == fmt.number(count), row
            assert HIDDEN not in row[2:], row
    assert shown["Luhanka"][1] == LT5 and shown["Jyväskylä"][1:3] == ["66", "54"]
    # 18 hidden counts adding up to 40 need no complement; n = 123 stays printed
    text = survey_pages["11_toteutus"].find("main").get_text(" ").replace(NBSP, " ")
    assert "< 5 = alle 5 vastaajaa" in text
    assert "eniten Jyväskylästä (54 %)" in text


def test_a_hidden_count_of_a_background_question_takes_a_complement_and_the_shares(survey_pages):
    tables = {t[0][0]: t[1] for t in _tables(survey_pages["kysely_liitteet"])}
    # Työskentelen: 95 / 24 / 4 of 123: the 4 is '< 5'; alone it would be 123 - 95 - 24, so the 24 goes too
    assert tables["Tehtävä"] == [["Asiakas- ja potilastyössä", "95", "77", "69–84"],
                                 ["Esihenkilönä", HIDDEN, HIDDEN, HIDDEN],
                                 ["Muissa tehtävissä", LT5, HIDDEN, HIDDEN]]
    assert tables["Vastuualue"][-1] == ["Konsernipalvelut", LT5, HIDDEN, HIDDEN]
    assert tables["Vastuualue"][-2][1] == HIDDEN  # the 13 of "Lasten, nuorten ja perheiden palvelut"
    assert tables["Ammattiryhmä"][-1] == ["Muu ammattilainen", "6", "5", "2–10"]  # 6: shown
    # the chart of the question names the hidden options with their marks and draws no bar for them
    alts = [img["alt"] for img in survey_pages["11_toteutus"].find("main").find_all("img")]
    role = next(a for a in alts if a.startswith("Pylväskuvio: työskentelen"))
    assert f"Muissa tehtävissä ({LT5})" in role and f"Esihenkilönä ({HIDDEN})" in role
    assert "Esihenkilönä 20" not in role and "n = 123" in role


def test_the_year_comparison_hides_the_shares_and_changes_of_hidden_counts(survey_pages, built_survey):
    _, folder = built_survey
    section = kysely.load(folder, 2023)
    tables = {t[0][0]: t for t in _tables(survey_pages["15_vertailu"])}
    assert "Kunta" not in tables  # the municipalities are not compared
    heads, rows = tables["Tehtävä"]
    assert heads == ["Tehtävä", "2023, %", "2024, %", "Muutos, prosenttiyksikköä"]
    q = questionnaire.question("rooli")
    counts = pd.DataFrame({y: analysis.distribution(section.tables[y]["rooli"], questionnaire.options(q))["lkm"]
                           for y in (2023, 2024)})
    s = suppression.two_way(counts, kind=suppression.PERSONS, row_totals=False, config=CONFIG)
    assert s.hidden.any().all() and s.exposed() == []
    for row, (label, hidden) in zip(rows, s.hidden.iterrows()):
        assert row[0] == label
        assert (row[1] == HIDDEN) == hidden[2023] and (row[2] == HIDDEN) == hidden[2024], row
        assert (row[3] == HIDDEN) == hidden.any(), row
    assert rows[-1] == ["Muissa tehtävissä", HIDDEN, HIDDEN, HIDDEN]
    # a checkbox question is not suppressed, and its n stays the respondents' (not the choices')
    q = questionnaire.question("tietolahteet")
    n = [int(analysis.checkbox(section.tables[y], q)["n"].iloc[0]) for y in (2023, 2024)]
    captions = [c.get_text() for c in survey_pages["15_vertailu"].select("main table.taulukko caption")]
    assert f"Osuus vastaajista: n = {n[0]} (2023) ja {n[1]} (2024)" in captions
    # an opinion question is an anonymous survey's answer distribution: nothing hidden
    opinions = [t for t in tables.values() if t[0][0] == "Vastaus"]
    assert opinions and all(HIDDEN not in cell for _, rows_ in opinions for row in rows_ for cell in row)


def test_opinion_questions_are_not_suppressed(survey_pages):
    for name in ("12_hyte_ohjaus", "13_toimintamalli"):
        for heads, rows in _tables(survey_pages[name]):
            assert heads[0] not in PERSON_ATTRIBUTES - {"Ryhmä"}
            assert all(cell not in (LT5, HIDDEN) for row in rows for cell in row), name


# -- every public page ------------------------------------------------------------------------------------
def test_no_person_breakdown_shows_a_count_of_one_to_four_and_shares_beside_hidden_counts_are_hidden(
        hyte_pages, survey_pages):
    checked = 0
    for name, soup in {**hyte_pages, **{f"kysely/{k}": v for k, v in survey_pages.items()}}.items():
        for heads, rows in _tables(soup):
            if heads[0] not in PERSON_ATTRIBUTES:
                continue
            counts = [i for i, h in enumerate(heads) if h in PERSON_COUNTS]
            # figures computed on the counts (a staff register's shares are not)
            shares = [i for i, h in enumerate(heads) if ("%" in h or h == "NPS") and "henkilöstö" not in h.lower()]
            for row in rows:
                for i in counts:
                    checked += 1
                    assert row[i] not in {"1", "2", "3", "4"}, (name, heads, row)
                    if row[i] in (LT5, HIDDEN):
                        assert all(row[j] == HIDDEN for j in shares), (name, heads, row)
    assert checked > 80  # the survey's five background tables, the services, NPS groups, feedback, outcomes


def test_area_pages_show_clients_per_service_and_area_as_the_figures_give_them(hyte_pages, hyte_figures):
    services = catalog.services(2024)
    hidden = hyte.hidden_figures(hyte_figures, 2024, CONFIG)
    for key, area in catalog.areas().items():
        page = next(s for n, s in hyte_pages.items() if n.endswith(key))
        # every service: the appendix's table (the story folds a long list into "Muut palvelut")
        table = hyte_pages["hyte_liitteet"].find(id=f"palvelut-{key}").find_next("table")
        full = BeautifulSoup(f"<main>{table}</main>", "html.parser")
        heads, rows = next(t for t in _tables(full) if "Asiakkaita tai tukipareja" in t[0])
        column = heads.index("Asiakkaita tai tukipareja")
        shown = {row[0]: row[column] for row in rows}
        for svc in services[services["alue"] == key].itertuples():
            if not svc.id_asiakkaat:
                assert shown[svc.palvelu] == ""
                continue
            clients = int(hyte_figures.loc[svc.id_asiakkaat, "arvo"])
            expected = hidden[svc.id_asiakkaat].value if svc.id_asiakkaat in hidden else fmt.number(clients)
            assert shown[svc.palvelu] == expected, (key, svc.palvelu)
            assert not 1 <= clients <= 4  # the sample has none: each is printed as it is
        cards = [c.get_text(" ").replace(NBSP, " ") for c in page.select(".avainluku")]
        total = int(hyte_figures.loc[f"{area['lyhenne']}_asiakkaat", "arvo"])
        assert any(c.startswith(f"{fmt.number(total).replace(NBSP, ' ')} asiakasta") for c in cards), cards


def test_wellbeing_shares_of_few_clients_are_hidden_and_the_page_says_why(hyte_pages, built):
    root, _ = built
    families, adults = hyte_pages["04_perheet"], hyte_pages["06_aikuiset"]
    # 20 % of 15 (3 clients stayed well) and what follows from it
    text = families.find("main").get_text(" ").replace(NBSP, " ")
    assert "Hyvinvointi lisääntyi 67 %:lla" in re.sub(r"\s+", " ", text)
    assert "pysyi yllä, ei näytetä (..²)" in re.sub(r"\s+", " ", text)
    sentence = next(p.get_text(" ") for p in families.find("main").find_all("p") if "Hyvinvointi lisääntyi" in p.get_text())
    assert "20" not in sentence and "n = 15" in sentence.replace(NBSP, " ")
    assert "pienten lukujen suojaus" in text and "Merkityt luvut (" in text  # the appendix explains the marks
    # 96 % of 25 (1 student without) and 2,9 % of 105 (3 clients): the table, the change, the chart
    tables = {tuple(r[0] for r in rows): rows for heads, rows in _tables(adults) if heads[0] == "Hyvinvointitulos"}
    students = next(rows for labels, rows in tables.items() if labels == ("Haitallinen yksinäisyys",) and
                    rows[0][-1] == "25")
    assert students == [["Haitallinen yksinäisyys", HIDDEN, "28", HIDDEN, "25"]]
    violence = next(rows for labels, rows in tables.items() if "Toivottomuus" in labels)
    assert [r for r in violence if r[0] == "Toivottomuus"] == [["Toivottomuus", "17", HIDDEN, HIDDEN, "105"]]
    alts = [img["alt"] for img in adults.find("main").find_all("img")]
    assert any("Toivottomuus (..)" in a and "2,9" not in a for a in alts)
    adult_text = adults.find("main").get_text(" ").replace(NBSP, " ")
    assert "2,9 %" not in adult_text and "96 %" not in adult_text and "68 prosenttiyksikköä" not in adult_text
    # the appendix is the internal check of the published figures: it still compares the computed ones
    checks = pd.concat(pd.read_csv(p, index_col="id") for p in (root / "processed").glob("tasmaytys_*.csv"))
    assert checks.loc["aik_aggredi_toivottomuus_vali", "laskettu"].replace(NBSP, " ") == "2,9 %"
    assert checks.loc["per_hyv_pysyi", "laskettu"].replace(NBSP, " ") == "20 %"


def test_the_folded_figure_lists_hide_the_same_figures_as_the_pages(hyte_pages, hyte_figures, built):
    hidden = hyte.hidden_figures(hyte_figures, 2024, CONFIG)
    root, _ = built
    assert hyte.hidden_in(Paths.of(2024, "hyte", ROOT, processed=root / "processed")) == hidden  # for the index
    assert set(hidden) == {"per_hyv_pysyi", "aik_opiskelijat_yksinaisyys_alku", "aik_opiskelijat_yksinaisyys_muutos",
                           "aik_aggredi_toivottomuus_vali", "aik_aggredi_toivottomuus_muutos"}
    for fid, mark in hidden.items():
        section = hyte_figures.loc[fid, "osio"]
        page = hyte_pages["hyte_liitteet"]  # every section's figures: in the appendix
        listing = page.find(id=f"kaikki-{section}").find_next("details").table
        row = next(tr for tr in listing.select("tbody tr") if tr.td.get_text() == hyte_figures.loc[fid, "nimi"])
        assert [_cell(td) for td in row.find_all("td")][1] == mark.value, fid
        assert "pienten lukujen suojaus" in page.find(id=f"kaikki-{section}").find_next("details").get_text()


def test_the_survey_figures_hidden_are_those_the_tables_hide(built_survey):
    _, folder = built_survey
    section = kysely.load(folder, 2023)
    # the 4s of "Muissa tehtävissä" and "Konsernipalvelut", and their complements (24 and 13)
    assert set(section.hidden) == {"ky_rooli_muu", "ky_rooli_esihenkilo", "ky_vastuu_konserni", "ky_vastuu_lnp"}
    assert kysely.hidden_in(folder) == section.hidden  # what the index's headline figures must hide too
    assert section.luku("ky_rooli_muu") == HIDDEN and section.luku("ky_ammatti_muu") == "5\u00a0%"


# -- how the HYTE figures are hidden when counts are small (real figures, some made small) -------------------
def test_small_client_counts_hide_a_complement_in_their_area_and_a_hidden_area_hides_its_services(hyte_figures):
    figures = hyte_figures.copy()
    figures.loc["sen_digi_asiakkaat", "arvo"] = 3  # 128 -> 3: the seniors' services and total change with it
    figures.loc[["sen_asiakkaat", "asiakkaat"], "arvo"] -= 125
    hidden = hyte.hidden_figures(figures, 2024, CONFIG)
    assert hidden["sen_digi_asiakkaat"].value == LT5
    assert hidden["sen_tuki_parit"].value == HIDDEN  # the smallest other service (140 support pairs)
    assert "sen_asiakkaat" not in hidden and "asiakkaat" not in hidden

    figures = hyte_figures.copy()  # the adults' services have 2 and 1 clients
    figures.loc["aik_yks_kesk_asiakkaat", "arvo"], figures.loc["aik_vakivalta_asiakkaat", "arvo"] = 2, 1
    figures.loc["aik_asiakkaat", "arvo"] = 3
    figures.loc["asiakkaat", "arvo"] -= 319
    hidden = hyte.hidden_figures(figures, 2024, CONFIG)
    assert [hidden[f].value for f in ("aik_asiakkaat", "aik_yks_kesk_asiakkaat", "aik_vakivalta_asiakkaat")] == [LT5] * 3
    assert hidden["per_asiakkaat"].value == HIDDEN  # the smallest other area: 3 = 2 742 - 319 - the others
    assert hidden["per_mentor_parit"].value == hidden["per_kesk_asiakkaat"].value == HIDDEN  # they add up to it
    assert "asiakkaat" not in hidden


def test_an_nps_group_of_few_answers_shows_its_n_as_a_mark_and_hides_its_score(hyte_figures):
    figures = hyte_figures.copy()
    figures.loc["aik_yks_nps", "n"] = 3
    figures.loc["nps", "n"] -= 22
    figures.loc["nuo_koki_selkiintyi", "n"] = 4
    hidden = hyte.hidden_figures(figures, 2024, CONFIG)
    assert hidden["aik_yks_nps"] == display.Hidden(HIDDEN, LT5)
    assert hidden["per_nps"] == display.Hidden(HIDDEN, HIDDEN)  # n = 95, the smallest other group
    assert hidden["nuo_koki_selkiintyi"] == display.Hidden(HIDDEN, LT5)
    section = hyte.HyteSection(2024, figures, None, Path("."), Path("/ei/ole.csv"))
    section.hidden = hyte.hidden_figures(figures, 2024, CONFIG)
    table = hyte.nps_table(section, "aikuiset")
    assert table.loc[table["Ryhmä"] == "Yksinäisyystyön suositteluluku", ["NPS", "n"]].values.tolist() == [[HIDDEN, LT5]]
    assert hyte.nps_sentences(section, "aikuiset")[0] == f"Yksinäisyystyön suositteluluku NPS on piilotettu (n = {LT5})."
    assert "pienten lukujen suojaus" in " ".join(section.take_footnotes())


def test_a_task_with_few_volunteers_has_no_bar_and_is_named_with_its_mark(hyte_figures, monkeypatch):
    figures = hyte_figures.copy()  # digituki 28 -> 3 volunteers, support persons 25 more
    figures.loc["vap_osuus_digituki", "arvo"] = 3 / 948 * 100
    figures.loc["vap_osuus_tukihenkilotoiminta", "arvo"] += 25 / 948 * 100
    shown = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj.data))
    monkeypatch.setattr(suppression, "settings", lambda root=None: CONFIG)
    section = hyte.HyteSection(2024, figures, None, Path("."), Path("/ei/ole.csv"))
    hyte.show_volunteer_tasks(section)
    figure = BeautifulSoup(shown[0], "html.parser")
    alt = figure.img["alt"]
    assert "digituki" not in alt.split("Piilotettu")[0] and "yhteisöpalvelut 3" not in alt  # no bars
    assert alt.endswith(f"Piilotettu pienten lukujen suojauksen vuoksi: yhteisöpalvelut (..), digituki ({LT5}).")
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in figure.select("tbody tr")]
    assert rows[-2:] == [["yhteisöpalvelut (..)", HIDDEN], [f"digituki ({LT5})", HIDDEN]]
    assert rows[0] == ["tukihenkilötoiminta", "47"]
    assert "pienten lukujen suojaus" in shown[1]  # the page says why, under the chart
    assert set(hyte.hidden_figures(figures, 2024, CONFIG)) >= {"vap_osuus_digituki", "vap_osuus_yhteisopalvelut"}


def test_nothing_is_hidden_when_suppression_is_off(hyte_figures):
    off = suppression.Settings(threshold=5, on=False)
    assert hyte.hidden_figures(hyte_figures, 2024, off) == {}


def test_marks_keep_a_column_numeric():
    frame = pd.DataFrame({"Palvelu": ["a", "b", "c"], "Asiakkaita": ["140", LT5, HIDDEN]})
    markup = display.table_html(frame)
    assert f'<td class="luku">&lt;{NBSP}5</td>' in markup and f'<td class="luku">{HIDDEN}</td>' in markup


# -- an internal run ------------------------------------------------------------------------------------
def test_pages_of_a_publication_build_carry_no_banner(survey_pages, hyte_pages):
    for soup in [*survey_pages.values(), *hyte_pages.values()]:
        assert soup.find(class_="ei-julkaistavaksi") is None


def test_an_internal_run_without_suppression_says_so_on_every_page_and_shows_the_counts(tmp_path, monkeypatch):
    report = declared.load(ROOT)["kysely"]
    report = dataclasses.replace(report, pages=tuple(p for p in report.pages
                                                     if p.page in ("11_toteutus", "kysely_liitteet")))
    folder = Paths.of(2024, "kysely", ROOT, processed=tmp_path / "processed", reports=tmp_path / "reports")
    monkeypatch.setenv(suppression.ENV_OFF, "1")  # for this test only; the build's kernels inherit it
    pages = pipeline.build_report(report, folder)
    assert sorted(p.name for p in pages) == ["10_puhdistus.html", "11_toteutus.html", "kysely_liitteet.html"]
    for path in pages:
        soup = _soup(path)
        banner = soup.find(class_="ei-julkaistavaksi")
        assert banner is not None and "EI JULKAISTAVAKSI" in banner.get_text(), path.name
        assert banner.find_parent("main") is None  # at the top, with the sample banner
    tables = {t[0][0]: t[1] for t in _tables(_soup(folder.reports / "kysely_liitteet.html"))}
    municipalities = {row[0]: row for row in tables["Kunta"]}
    assert municipalities["Luhanka"][1] == "1" and municipalities["Kivijärvi"][1] == "4"
    assert tables["Tehtävä"][1:] == [["Esihenkilönä", "24", "20", "13–27"], ["Muissa tehtävissä", "4", "3", "1–8"]]


def test_index_pages_say_when_suppression_is_off(monkeypatch):
    from hyte_nb.pipeline import index

    assert "EI JULKAISTAVAKSI" not in index.page("Raportit 2024", "<p>x</p>")
    monkeypatch.setenv(suppression.ENV_OFF, "1")
    assert "EI JULKAISTAVAKSI" in index.page("Raportit 2024", "<p>x</p>")


# -- the report's index: headline figures hidden as on the pages ------------------------------------------
def _project_with_headlines(tmp_path: Path, report: str, headlines: dict[str, str]) -> Path:
    """A project folder like ROOT whose reports.yml makes each figure the headline of its page."""
    import shutil

    import yaml

    root = tmp_path / "projekti"
    root.mkdir()
    shutil.copy(ROOT / "organisaatio.yml", root)
    spec = yaml.safe_load((ROOT / declared.REPORTS_FILE).read_text(encoding="utf-8"))
    for entry in spec["raportit"][report]["sivut"]:
        if entry["sivu"] in headlines:
            entry["paaluku"] = headlines[entry["sivu"]]
    (root / declared.REPORTS_FILE).write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return root


def _index_headlines(root: Path, report: str, processed: Path, reports: Path) -> dict[str, str]:
    from hyte_nb.pipeline import index

    spec = declared.load(root)[report]
    folder = Paths.of(2024, report, root, processed=processed, reports=reports,
                      reference=Paths.of(2024, report, ROOT).reference)
    path = index.write_report_index(spec, folder, [(f"{r.page}.html", r.title) for r in spec.pages],
                                    (f"{spec.cleaning.page}.html", spec.cleaning.title))
    soup = _soup(path)
    return {li.a["href"].removesuffix(".html"): li.select_one("p.tiivistelma strong").get_text().rstrip(SUPERSCRIPTS)
            for li in soup.select("ol.sisalto li") if li.select_one("p.tiivistelma strong")}, soup


def test_a_headline_count_of_few_clients_is_hidden_on_the_index_as_on_its_page(built, hyte_figures, tmp_path):
    figures = hyte_figures.copy()
    figures.loc["per_asiakkaat", "arvo"] = 3  # a service area with 3 clients
    processed = tmp_path / "processed"
    processed.mkdir()
    figures.to_parquet(processed / "luvut.parquet")
    pages = {"03_seniorit": "sen_asiakkaat", "04_perheet": "per_asiakkaat", "05_nuoret": "nuo_asiakkaat",
             "06_aikuiset": "aik_asiakkaat"}
    root = _project_with_headlines(tmp_path, "hyte", pages)
    shown, soup = _index_headlines(root, "hyte", processed, tmp_path / "reports")
    assert shown["04_perheet"] == LT5  # was "3"
    others = {page: shown[page] for page in pages if page != "04_perheet"}
    smallest = min(others, key=lambda page: figures.loc[pages[page], "arvo"])
    assert others.pop(smallest) == HIDDEN  # the smallest other area: the total would give the 3 away
    assert others == {page: fmt.number(figures.loc[pages[page], "arvo"]) for page in others}  # the rest as they are
    assert shown["01_yleiskatsaus"] == fmt.number(figures.loc["kohtaamiset", "arvo"])  # encounters are not persons
    assert "pienten lukujen suojaus" in soup.select_one("div.alaviitteet").get_text()


def test_a_hidden_survey_share_is_hidden_on_the_index_too(built_survey, tmp_path):
    _, folder = built_survey
    root = _project_with_headlines(tmp_path, "kysely", {"11_toteutus": "ky_rooli_muu", "12_hyte_ohjaus": "ky_ammatti_muu"})
    shown, _ = _index_headlines(root, "kysely", folder.processed, tmp_path / "reports")
    assert shown["11_toteutus"] == HIDDEN  # 4 respondents "Muissa tehtävissä": the page hides the share
    assert shown["12_hyte_ohjaus"] == f"5{NBSP}%"  # shown on the page, shown on the index
