"""The rendered pages as a reader gets them: story first, the checks in one appendix per report,
page links, the sample banner, accessible structure (lang, one h1, headings in order, Finnish
alt texts), tables that put text left and numbers right, the analyst's texts, and marks with
footnotes beside figures that differ from the published report. Built by papermill and
nbconvert on the sample (the HYTE report in conftest's `built`, the survey here)."""

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, page_text
from hyte_nb.pipeline import index
from hyte_nb.kysely import sections as kysely

HYTE_ORDER = ["hyte_tiivistelma", "01_yleiskatsaus", "02_vapaaehtoiset", "03_seniorit", "04_perheet", "05_nuoret",
              "06_aikuiset", "hyte_liitteet", "00_puhdistus"]
SURVEY_ORDER = ["kysely_tiivistelma", "11_toteutus", "12_hyte_ohjaus", "13_toimintamalli", "14_huomioita",
                "kysely_liitteet", "15_vertailu", "16_vastausosuus", "17_alueet", "10_puhdistus"]
# the sections that end with their reconciliation line (not the summary or the appendix pages)
HYTE_SECTIONS = HYTE_ORDER[1:7]
SURVEY_SECTIONS = SURVEY_ORDER[1:5] + SURVEY_ORDER[6:9]


@pytest.fixture(scope="module")
def survey(built_survey):
    return built_survey


@pytest.fixture(scope="module")
def pages(built, survey):
    """page name -> parsed HTML, both reports."""
    hyte, _ = built
    found = {p.stem: p for p in (hyte / "reports").glob("*.html")}
    found.update({f"kysely/{p.stem}": p for p in survey[0].glob("*.html")})
    return {name: BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser") for name, path in found.items()}


text = page_text


def main_text(soup) -> str:
    return text(soup.find("main"))


# -- structure every page shares -------------------------------------------------------------------
def test_every_page_is_finnish_with_one_h1_and_headings_in_order(pages):
    for name, soup in pages.items():
        assert soup.html["lang"] == "fi", name
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels.count(1) == 1 and levels[0] == 1, (name, levels)
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (name, levels)  # no level skipped


def test_every_image_has_a_finnish_alt_text(pages):
    for name, soup in pages.items():
        for img in soup.find_all("img"):
            alt = img.get("alt", "")
            assert alt and "No description" not in alt and "provided" not in alt, (name, alt)
            assert img["src"].startswith("data:image/png;base64,"), name
        assert "No description has been provided" not in str(soup), name


def test_every_page_links_its_index_and_neighbours_in_the_declared_order(pages):
    for prefix, order in (("", HYTE_ORDER), ("kysely/", SURVEY_ORDER)):
        for i, name in enumerate(order):
            header = pages[prefix + name].find("header", class_="sivun-ylaosa")
            assert header.find("a", href="index.html"), name
            prev = header.find("a", rel="prev")
            nxt = header.find("a", rel="next")
            assert (prev["href"] if prev else None) == (f"{order[i - 1]}.html" if i else None), name
            assert (nxt["href"] if nxt else None) == (f"{order[i + 1]}.html" if i + 1 < len(order) else None), name
            assert f"Sivu {i + 1} / {len(order)}" in text(header)
        title = pages[prefix + order[1]].title.get_text()
        assert title.startswith(("Yleiskatsaus – Yhdessä yksinäisyys", "Toteutus ja vastaajat – Kysely"))
        assert pages[prefix + order[0]].title.get_text().startswith("Tiivistelmä – ")


def test_pages_built_on_the_sample_say_so_in_a_banner(pages, built):
    for name, soup in pages.items():
        banner = soup.find(class_="esimerkkiaineisto")
        assert banner is not None and "esimerkkiaineisto" in text(banner).lower(), name
    hyte, _ = built
    assert "esimerkkiaineisto" in (hyte / "reports" / "index.html").read_text(encoding="utf-8").lower()


def test_pages_from_real_exports_carry_no_banner(tmp_path):
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "data" / "raw" / "2024" / "hyte").mkdir(parents=True)
    real = index.page_links(tmp_path, 2024, "03_seniorit")
    assert real.previous == ("02_vapaaehtoiset.html", "Vapaaehtoistoiminta") and real.position == 4
    assert not real.sample and "esimerkkiaineisto" not in real.header().lower()
    assert 'class="esimerkkiaineisto"' not in index.page("Otsikko", "<p>x</p>")
    assert 'class="esimerkkiaineisto"' in index.page("Otsikko", "<p>x</p>", sample=True)
    (tmp_path / "data" / "raw" / "2024" / "ESIMERKKIAINEISTO.txt").write_text("esimerkki", encoding="utf-8")
    assert index.page_links(tmp_path, 2024, "03_seniorit").sample
    assert index.page_links(tmp_path, 2024, "99_ei_ole") is None


def test_every_section_page_ends_with_its_reconciliation_line_linking_to_the_appendix(pages):
    for prefix, order, sections in (("", HYTE_ORDER, HYTE_SECTIONS), ("kysely/", SURVEY_ORDER, SURVEY_SECTIONS)):
        appendix = pages[prefix + order[-1]]
        assert appendix.find("h1").get_text().startswith("Liite")
        for name in sections:
            lines = pages[prefix + name].select("main p.tasmaytys")
            assert len(lines) == 1, name
            last_output = pages[prefix + name].select("main .jp-OutputArea-output")[-1]
            assert last_output.select_one("p.tasmaytys") is not None, name  # the page's last word
            for link in lines[0].find_all("a"):
                target = link["href"].split("#")[1]
                assert link["href"].startswith(f"{order[-1]}.html#") and appendix.find(id=target), (name, target)
    overview = text(pages["01_yleiskatsaus"].select_one("p.tasmaytys"))
    assert ("sivun 12 julkaistusta luvusta 5 täsmää aineistosta laskettuun, 7 poikkeaa. Merkityt luvut (¹–¹¹) "
            "on julkaistussa raportissa painettu toisin") in overview


def test_no_reader_sees_a_file_path_or_a_module_name(pages):
    for name, soup in pages.items():
        shown = main_text(soup)
        assert not re.search(r"\b(data/|hyte_nb|\.ya?ml\b|\.parquet|\.csv\b|\.ipynb)", shown), name
        assert "harvoissa taulukoissa" not in shown, name


# -- tables ------------------------------------------------------------------------------------
def test_tables_put_text_left_numbers_right_and_units_in_headers(pages):
    seniors = pages["03_seniorit"]
    table = next(t for t in seniors.select("table.taulukko") if "Asiakkaita tai tukipareja" in text(t))
    heads = [(th.get_text(), th["class"][0]) for th in table.select("thead th")]
    assert heads[0] == ("Palvelu", "teksti") and all(c == "luku" for _, c in heads[1:])
    row = next(tr for tr in table.select("tbody tr") if "Tukihenkilötoiminta" in tr.get_text())
    assert [td.get_text() for td in row.find_all("td")][:3] == ["Tukihenkilötoiminta", "140", "2\u00a0236"]
    assert "paria" not in text(table)
    css = (ROOT / "hyte_nb" / "pipeline" / "templates" / "hyte" / "hyte.css").read_text(encoding="utf-8")
    # ours beat JupyterLab's ':not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td { text-align: right }'
    assert re.search(r"body\.jp-Notebook \.jp-RenderedHTMLCommon td \{[^}]*text-align: left", css)
    assert re.search(r"body\.jp-Notebook \.jp-RenderedHTMLCommon td\.luku,\s*body\.jp-Notebook "
                     r"\.jp-RenderedHTMLCommon th\.luku \{ text-align: right", css)
    assert "overflow-wrap: anywhere" in css and "max-width: 100%" in css


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_text_colour_of_the_house_style_has_contrast_4_5(pages):
    css = (ROOT / "hyte_nb" / "pipeline" / "templates" / "hyte" / "hyte.css").read_text(encoding="utf-8")
    backgrounds = set(re.findall(r"background: (#[0-9a-f]{6})", css)) | {"#ffffff"}
    colours = set(re.findall(r"(?<![-\w])color: (#[0-9a-f]{6})", css))
    assert colours and backgrounds
    for colour in colours:  # any text colour may stand on any background the style uses
        for background in backgrounds:
            assert contrast(colour, background) >= 4.5, (colour, background, round(contrast(colour, background), 2))


# -- the HYTE report's story ---------------------------------------------------------------------
def test_the_overview_reads_like_the_published_one(pages):
    overview = pages["01_yleiskatsaus"]
    shown = main_text(overview)
    order = ["Toiminnan periaatteet", "Myötätuntoinen kohtaaminen".lower(), "Toiminnan laajuus",
             "Kohtaamiset palvelualueittain", "Onnistumisia", "Huolenaiheita", "Ukrainan sota", "NPS on suosittelijoiden",
             "Kiitos tuestanne", "Osion kaikki luvut ja osuuksien luottamusvälit liitteessä",
             "Täsmäytys julkaistuun raporttiin"]
    positions = [shown.lower().find(part.lower()) for part in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), dict(zip(order, positions))
    figures = [text(card) for card in overview.select(".avainluku")]
    assert figures[:5] == ["2 742 asiakasta", "1 516 tapahtumaa", "58 318¹ kohtaamista eri palveluissa",
                           "+87² hyvinvointipalveluiden suositteluluku NPS", "948 vapaaehtoista eri palvelutehtävissä"]
    # the published report's own inconsistencies: one line at the page's end, explained in the appendix
    assert not [p for p in overview.select("p.alaviite") if "Julkaistussa raportissa" in text(p)]
    assert "Hyvinvointi lisääntyi 67 %:lla¹⁰ perheiden keskusteluavun aikana" in shown  # a text's placeholder
    # a change the analyst's text names is worded by its test
    assert "aikuisten haitallisen yksinäisyyden osuus laski 49¹¹ prosenttiyksikköä, mikä on tilastollisesti" in shown
    assert overview.select_one("details.lisatiedot") is None  # the section's figures: in the appendix
    figures = pages["hyte_liitteet"].find(id="kaikki-yleiskatsaus").find_next("details")
    assert figures.summary.get_text().startswith("Osion kaikki luvut (12)")
    assert "179 täsmää" not in shown and "Auditointi" not in shown  # the audit is in the appendix


def test_area_pages_quote_with_attributions_outside_and_no_contact_request(pages):
    families = pages["04_perheet"]
    figure = next(f for f in families.select("figure.sitaatti") if "Mies 35v" in f.get_text())
    assert figure.blockquote.get_text().strip().endswith("hyötyä.”")  # the attribution is not quoted
    assert text(figure.figcaption).strip() == "Perheiden keskusteluapu (Mies 35v)"
    assert "(Mies 35v)" not in figure.blockquote.get_text()
    seniors = main_text(pages["03_seniorit"])
    assert "soittakaa minulle" not in seniors and "poistettu]" not in seniors
    adults = main_text(pages["06_aikuiset"])
    assert "Sosiaaliset suhteet vahvistuivat keskimäärin 24 %" in adults and "vahvistui " not in adults
    assert "Yksinäisyyden omahoito-ohjelma on nyt myös mielenterveystalossa" in adults  # the analyst's text
    assert "2 473" in main_text(pages["00_puhdistus"])  # the printed figure, explained in the appendix


def test_the_appendix_holds_the_audit_the_reconciliation_and_the_cleaning(pages):
    appendix = pages["00_puhdistus"]
    shown = main_text(appendix)
    assert "198 eri lukua" in shown and "179 täsmää" in shown
    assert [h.get("id") for h in appendix.find_all("h3") if (h.get("id") or "").startswith("tasmaytys-")] == [
        "tasmaytys-yleiskatsaus", "tasmaytys-vapaaehtoiset", "tasmaytys-seniorit", "tasmaytys-perheet",
        "tasmaytys-nuoret", "tasmaytys-aikuiset"]
    assert "Rivit sisään ja ulos" in shown and "P00020" not in shown
    # the rows a rule removed for what they say, per table, with the rule and its column
    assert "Sisällön perusteella poistetut rivit" in shown
    assert "asiakaspalaute: 3 poistettua riviä" in shown and "vapaaehtoiskysely: 1 poistettu rivi" in shown
    assert "testirivi: tunnisteessa testimerkki Vastauksen ID" in shown
    assert "testirivi: koko arvo on testisana Mitä haluaisit kertoa vapaaehtoistoiminnastasi?" in shown


def test_the_survey_appendix_lists_the_removed_test_responses(pages):
    shown = main_text(pages["kysely/10_puhdistus"])
    assert "Sisällön perusteella poistetut rivit" in shown
    for name in ("hyte_ohjaus_kysely_2024", "hyte_ohjaus_kysely_2023", "esimerkkialue_a"):
        assert f"{name}: 1 poistettu rivi" in shown, name
    assert "testirivi: koko arvo on testisana Mitä muuta haluat sanoa hyte-ohjaamisesta?" in shown


def test_the_report_index_lists_every_page_with_a_summary_and_its_headline_figure(built):
    hyte, _ = built
    soup = BeautifulSoup((hyte / "reports" / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select("ol.sisalto > li")
    assert [li.a["href"] for li in items] == [f"{name}.html" for name in HYTE_ORDER]
    lines = [text(li.select_one(".tiivistelma")) for li in items]
    assert lines[0].startswith("Raportin tärkeimmät havainnot yhdellä sivulla")
    assert lines[1].startswith("58 318¹ kohtaamista. Toiminnan periaatteet")
    assert lines[3].startswith("20 471² kohtaamista.")
    assert lines[-1].startswith("Julkaistun raportin 198 luvusta 179 täsmää aineistosta laskettuun, 19 eroa selitetään.")
    assert all(len(line) > 40 for line in lines)


# -- the survey -----------------------------------------------------------------------------------
def test_the_surveys_first_section_reads_like_the_published_one(pages):
    shown = main_text(pages["kysely/11_toteutus"])
    for part in ("Raportti 16.12.2024", "1.10.2024–31.10.2024", "Kyselyyn saatiin 123 vastausta",
                 "Pilari 4, investointi 2", "taustatietojen lisäksi 12¹ kysymystä, joista 3 oli avoimia",
                 "käytetään tukemaan ohjelmassa toteutettavaa kehittämistyötä", "Vuoden 2023 luvut ovat havainnollistavia",
                 "Kyselyyn vastaajat", "Eroavatko ammattiryhmät toisistaan?", "sivun 19 julkaistusta luvusta 18 täsmää aineistosta laskettuun, 1 poikkeaa"):
        assert part in shown, part


def test_the_survey_marks_the_impossible_fluency_row(pages):
    evidence = pages["kysely/kysely_liitteet"]  # the shares with their intervals are the appendix's
    table = next(t for t in evidence.select("table.taulukko") if "Keski-Suomen hyvinvointialue" in text(t.caption or ""))
    cells = {tr.td.get_text(): [td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")}
    assert cells["Melko sujuvaa"][2] == "43¹"
    assert "Merkityt luvut (¹)" in text(evidence.select_one("p.tasmaytys"))
    model = pages["kysely/13_toimintamalli"]
    shown = main_text(model)
    assert "Hyötyjä asiakkaalle" in shown and "Hyötyjä ammattilaiselle ja organisaatiolle" in shown
    assert "Suurin osa vastaajista (70 %)" in shown and "Vastaajista 61 % uskoi" in shown


def test_the_observations_and_the_comparison(pages, survey):
    notes = main_text(pages["kysely/14_huomioita"])
    for part in ("tuloksista ei voida tehdä yleistyksiä", "vastausprosentti on jäänyt alhaiseksi",
                 "Mitä mahtavat ajatella hyte-ohjaamisesta ne, jotka eivät kyselyyn vastanneet?", "lämmin kiitos"):
        assert part in notes, part
    comparison = main_text(pages["kysely/15_vertailu"])
    assert comparison.count("Vastausten jakauma") == 1  # one summary, not a sentence under every question
    assert "yhdessäkään 12 vertaillusta kysymyksestä" in comparison
    assert "pyöristämättömistä osuuksista" in comparison
    _, folder = survey
    section = kysely.load(folder, 2023)
    assert kysely.question_counts(section) == {"kysymyksia": 12, "avoimia": 3}
    assert [r.kysymys for r in kysely.year_tests(section)][:2] == ["Ammattiryhmäni",
                                                                   "Asiakas- ja potilastyöni pääasiallinen laatu"]
    assert all(not r.kysymys.startswith("Kunta") for r in kysely.year_tests(section))


def test_texts_of_the_survey_pages_come_from_the_texts_folder():
    path = Path(ROOT / "tekstit" / "2024" / "kysely" / "huomioita.md")
    assert "Mitä mahtavat ajatella" in path.read_text(encoding="utf-8")
