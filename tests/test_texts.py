"""The analyst's texts and the page apparatus, in-process: placeholders filled from the figures
table and checked, the fallback to an earlier year, the parts of a file, the quote selection
(consent, contact requests, attributions outside the quotation), the marks and one-line
footnotes beside figures that differ from the published report, charts' alt texts and tables."""

import re
import shutil

import matplotlib
import pandas as pd
import pytest

from conftest import ROOT
from hyte_nb.core import display, texts
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import sections

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

FIGURES = pd.DataFrame({"arvo": [58318.0, 66.666667, 86.804657, 40.0], "n": pd.array([None, 15, 773, 45], dtype="Int64"),
                        "nimi": ["Kohtaamisia yhteensä", "Hyvinvointi lisääntyi", "NPS", "Muutos"],
                        "yksikko": ["lkm", "%", "nps", "pp"], "osio": ["yleiskatsaus"] * 4},
                       index=pd.Index(["kohtaamiset", "hyvinvointi_lisaantyi", "nps", "nuo_tuki_yksinaisyys_muutos"],
                                      name="id"))


def section(tmp_path, reference=True, figures=FIGURES) -> sections.HyteSection:
    """A section of the figures above in a project folder of its own (the appendix from its reports.yml)."""
    if not (tmp_path / "reports.yml").exists():
        shutil.copy(ROOT / "reports.yml", tmp_path / "reports.yml")
    ref = Paths.of(2024, "hyte", ROOT).reference if reference else tmp_path / "ei_ole.csv"
    folder = Paths.of(2024, "hyte", tmp_path, processed=tmp_path, reference=ref)
    return sections.HyteSection(2024, figures, None, tmp_path, ref, folder)


@pytest.fixture
def project(tmp_path):
    """A project folder with the repository's declarations and a 2024 text folder."""
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "tekstit" / "2024" / "hyte").mkdir(parents=True)
    return tmp_path


def write(project, name, text, year=2024):
    path = project / "tekstit" / str(year) / "hyte" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- placeholders --------------------------------------------------------------------------------
def test_placeholders_are_filled_as_the_report_writes_figures_with_marks_and_n(project):
    write(project, "yleiskatsaus.md", "<!-- muistiinpano -->\n<!-- osa: a -->\nYhteensä {kohtaamiset} kohtaamista, "
                                      "NPS {nps} (n = {nps.n}); lisääntyi {hyvinvointi_lisaantyi}:lla. {{ei luku}}\n")
    s = section(project)
    loaded = display.texts(s, "yleiskatsaus")
    # 58 318 and +87 differ from the published 58 972 and +86: marked ¹ ², the mark after ':lla'
    assert loaded.filled("a") == ("Yhteensä 58\u00a0318¹ kohtaamista, NPS +87² (n = 773); lisääntyi "
                                  "67\u00a0%:lla³. {ei luku}")
    assert s.take_footnotes()[0].startswith('<span class="merkki">¹</span> Julkaistussa raportissa 58\u00a0972')


def test_an_unknown_placeholder_names_the_file_the_line_and_the_nearest_id(project):
    path = write(project, "yleiskatsaus.md", "<!-- osa: a -->\nRivi\n{kohtaamset} kohtaamista\n")
    with pytest.raises(texts.TextError) as error:
        display.texts(section(project), "yleiskatsaus")
    message = str(error.value)
    assert f"{path}, osa a, rivi 2: tuntematon paikkamerkki {{kohtaamset}}" in message
    assert "Tarkoititko: kohtaamiset?" in message


def test_a_missing_file_or_part_is_an_error_naming_the_file(project):
    with pytest.raises(texts.TextError, match=r"Tekstitiedosto puuttuu: .*tekstit/2024/hyte/seniorit\.md"):
        display.texts(section(project), "seniorit")
    path = write(project, "seniorit.md", "<!-- osa: tulokset -->\nHyvä vuosi.\n")
    loaded = display.texts(section(project), "seniorit")
    with pytest.raises(texts.TextError, match=re.escape(f"{path}: osaa 'palvelut' ei ole")):
        loaded.filled("palvelut")
    assert loaded.filled("palvelut", optional=True) is None


def test_parts_text_outside_parts_and_parts_no_page_shows(project):
    path = project / "x.md"
    assert texts.split_parts("<!-- vain kommentti -->\n", path) == {}
    assert texts.split_parts("<!-- osa: a -->\nA\n<!-- ohje -->\n<!-- osa: b -->\n\nB\n", path) == {"a": "A", "b": "B"}
    with pytest.raises(texts.TextError, match="tekstiä ennen ensimmäistä osaa"):
        texts.split_parts("Irrallinen\n<!-- osa: a -->\nA", path)
    with pytest.raises(texts.TextError, match="osa 'a' on tiedostossa kahdesti"):
        texts.split_parts("<!-- osa: a -->\nA\n<!-- osa: a -->\nB", path)
    write(project, "yleiskatsaus.md", "<!-- osa: a -->\nA\n<!-- osa: kirjoitusvirhe -->\nB\n")
    s = section(project, reference=False)
    display.Page(s).text(display.texts(s, "yleiskatsaus"), "a")
    with pytest.raises(texts.TextError, match="osat kirjoitusvirhe eivät näy millään sivulla"):
        display.Page(s).page_end(["yleiskatsaus"])


def test_the_packages_prose_is_reworded_part_by_part_in_the_projects_own_file(project):
    def say(name, **values):
        return texts.phrase("yhteiset", name, root=project, **values)

    package = say("merkityt", merkit="¹")
    assert say("ei_julkaistu", vuosi=2030).startswith("Vuoden 2030 raporttia ei ole vielä julkaistu")
    own = project / "tekstit" / "yleiset" / "yhteiset.md"
    own.parent.mkdir(parents=True)
    own.write_text("<!-- oma -->\n<!-- osa: ei_julkaistu -->\nVuoden {vuosi} raportti\nilmestyy myöhemmin.\n",
                   encoding="utf-8")
    assert say("ei_julkaistu", vuosi=2030) == "Vuoden 2030 raportti ilmestyy myöhemmin."  # a wrapped line joins
    assert say("merkityt", merkit="¹") == package  # a part the project did not copy is the package's
    own.write_text("<!-- osa: ei_julkaistuu -->\nX\n", encoding="utf-8")
    with pytest.raises(texts.TextError, match=r"yhteiset\.md: osaa 'ei_julkaistuu' ei ole .*tarkoititko: ei_julkaistu"):
        say("ei_julkaistu", vuosi=2030)
    own.write_text("<!-- osa: ei_julkaistu -->\nVuoden {vuos} raportti\n", encoding="utf-8")
    with pytest.raises(texts.TextError, match=r"osa ei_julkaistu: tuntematon paikkamerkki \{vuos\}; käytettävissä: \{vuosi\}"):
        say("ei_julkaistu", vuosi=2030)


def test_a_year_without_texts_uses_the_latest_earlier_years_and_says_so(project):
    write(project, "yleiskatsaus.md", "<!-- osa: a -->\n{kohtaamiset}\n", year=2022)
    write(project, "yleiskatsaus.md", "<!-- osa: a -->\nUusin {kohtaamiset}\n", year=2024)
    assert texts.folder_for(project, 2026, "hyte") == (project / "tekstit" / "2024" / "hyte", 2024)
    assert texts.folder_for(project, 2023, "hyte") == (project / "tekstit" / "2022" / "hyte", 2022)
    assert texts.folder_for(project, 2021, "hyte") == (None, None)
    borrowed = texts.load(project, 2026, "hyte", "yleiskatsaus", {"kohtaamiset"})
    assert borrowed.borrowed and "vuoden 2024 raportista" in borrowed.note() and "vuodelle 2026" in borrowed.note()
    own = texts.load(project, 2024, "hyte", "yleiskatsaus", {"kohtaamiset"})
    assert own.note() is None
    none = texts.load(project, 2021, "hyte", "yleiskatsaus", {"kohtaamiset"})
    assert none.part("a") is None and "ei ole kirjoitettu" in none.note()


def test_the_repositorys_texts_fill_with_the_2024_figures():
    """Every placeholder in every shipped text names a figure of its report's 2024 figures table."""
    for report in ("hyte", "kysely"):
        known = set(pd.read_csv(Paths.of(2024, report, ROOT).reference)["id"])
        for path in sorted((ROOT / "tekstit" / "2024" / report).glob("*.md")):
            for name, part in texts.split_parts(path.read_text(encoding="utf-8"), path).items():
                # besides the figures: values the notebooks compute (question counts, the tests' sentences)
                texts.check(part, known | {"kysymyksia", "avoimia", "ryhmaerot", "vuosimuutos"}, f"{path}, osa {name}")


# -- quotes ------------------------------------------------------------------------------------
def test_attributions_are_split_off_the_quote():
    assert texts.split_attribution("Keskustelusta oli suuresti hyötyä. (Mies 35v)") == (
        "Keskustelusta oli suuresti hyötyä.", "Mies 35v")
    assert texts.split_attribution("puheluita (Vapaaehtoinen)") == ("puheluita", "Vapaaehtoinen")
    long = "sympatiska deltagare (vilket förstås inte går att garantera och det är dessutom min subjektiva åsikt)"
    assert texts.split_attribution(long) == (long, None)
    assert texts.split_attribution("Ilman sitä (kauppa-apua) en tule toimeen.") == (
        "Ilman sitä (kauppa-apua) en tule toimeen.", None)


ANSWERS = pd.DataFrame({
    "vastaus": ["P1", "P2", "P3", "P4", "P5"],
    "alue": ["perheet", "perheet", "seniorit", "seniorit", "seniorit"],
    "palvelu": ["Perheiden keskusteluapu", "Perheparkki", "Digituki", "Yhteisötoiminta", "Digituki"],
    "avoin": ["Minua kuunneltiin. (Mies 35v)", "Kiva paikka.", "Maija Virtanen auttoi minua.",
              "Soittakaa minulle 040 123 4567.", "Ei lupaa."],
    "lupa": pd.array([True, True, True, True, False], dtype="boolean")})


def test_without_a_selection_every_consented_answer_but_contact_requests_is_quoted():
    quotes = texts.choose_quotes(ANSWERS, "vastaus", "asiakaspalaute", None, "palvelu")
    assert [q.answer for q in quotes] == ["P1", "P2", "P3"]
    assert quotes[0].text == "Minua kuunneltiin." and quotes[0].attribution == "Mies 35v"
    assert quotes[2].text == "[nimi poistettu] auttoi minua."  # personal data removed from what is quoted
    assert texts.contact_requests(ANSWERS, "vastaus") == ["P4"]
    seniors = texts.choose_quotes(ANSWERS, "vastaus", "asiakaspalaute", None, "palvelu", ANSWERS["alue"] == "seniorit")
    assert [q.answer for q in seniors] == ["P3"]


def test_the_selection_file_chooses_and_orders_and_refuses_what_cannot_be_quoted(tmp_path):
    path = tmp_path / "sitaatit.yml"
    chosen = texts.choose_quotes(ANSWERS, "vastaus", "asiakaspalaute", (path, {"asiakaspalaute": ["P3", "P1"]}))
    assert [q.answer for q in chosen] == ["P3", "P1"]
    with pytest.raises(texts.TextError, match="P5 kirjoittaja ei antanut lupaa"):
        texts.choose_quotes(ANSWERS, "vastaus", "asiakaspalaute", (path, {"asiakaspalaute": ["P5"]}))
    with pytest.raises(texts.TextError, match="P4 on yhteydenottopyyntö"):
        texts.choose_quotes(ANSWERS, "vastaus", "asiakaspalaute", (path, {"asiakaspalaute": ["P4"]}))
    with pytest.raises(texts.TextError, match="taulussa asiakaspalaute ei ole vastausta P9"):
        texts.choose_quotes(ANSWERS, "vastaus", "asiakaspalaute", (path, {"asiakaspalaute": ["P9"]}))


def test_the_selection_file_is_read_for_its_own_year_only(project):
    assert texts.quote_selection(project, 2024, "hyte") is None
    path = write(project, "sitaatit.yml", "asiakaspalaute: [P1, P2]\nvapaaehtoiskysely: [161]\n")
    assert texts.quote_selection(project, 2024, "hyte") == (path, {"asiakaspalaute": ["P1", "P2"],
                                                                   "vapaaehtoiskysely": ["161"]})
    assert texts.quote_selection(project, 2025, "hyte") is None
    write(project, "sitaatit.yml", "- P1\n")
    with pytest.raises(texts.TextError, match="odotettiin taulujen nimiä"):
        texts.quote_selection(project, 2024, "hyte")


def test_quotes_show_the_attribution_after_the_closing_quotation_mark(monkeypatch):
    shown = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj.data))
    display.quotes([texts.Quote("P1", "Minua kuunneltiin.", "Mies 35v", "Perheiden keskusteluapu")])
    assert ("<blockquote><p>”Minua kuunneltiin.”</p></blockquote>"
            "<figcaption>Perheiden keskusteluapu (Mies 35v)</figcaption>") in shown[0]


# -- marks and footnotes ----------------------------------------------------------------------------
def test_marks_number_the_differing_figures_once_per_page(tmp_path):
    s = section(tmp_path)
    assert s.luku("kohtaamiset") == "58\u00a0318¹" and s.luku("nps") == "+87²"
    assert s.luku("kohtaamiset", unit=False) == "58\u00a0318¹"  # the same mark again, no second footnote
    assert s.luku("hyvinvointi_lisaantyi", ":lla") == "67\u00a0%:lla³"
    lines = [re.sub(r"<[^>]+>", "", line) for line in s.take_footnotes()]
    assert lines == [
        "¹ Julkaistussa raportissa 58\u00a0972, mutta raportin omat osaluvut antavat yhteensä 58\u00a0318. "
        "Täsmäytys liitteessä",
        "² Julkaistussa raportissa +86, mutta osien NPS-luvuista ja n:istä (yhteensä n = 773) seuraa 671/773 = +87. "
        "Täsmäytys liitteessä",
        "³ Julkaistussa raportissa 64\u00a0%, mikä ei voi syntyä n = 15 vastauksesta: lähin mahdollinen on 67\u00a0%. "
        "Täsmäytys liitteessä"]
    assert 'href="00_puhdistus.html#tasmaytys-yleiskatsaus"' in display.footnote("¹", s.differing.loc["nps"],
                                                                                  "00_puhdistus.html")


def test_a_change_footnote_and_no_marks_without_a_published_report(tmp_path):
    s = section(tmp_path)
    assert s.luku("nuo_tuki_yksinaisyys_muutos") == "40\u00a0prosenttiyksikköä¹"
    assert re.sub(r"<[^>]+>", "", s.take_footnotes()[0]).startswith(
        "¹ Julkaistussa raportissa muutos 39\u00a0prosenttiyksikköä, mikä ei seuraa luvuista 51\u00a0% ja 12\u00a0% (n = 45)")
    unpublished = section(tmp_path, reference=False)
    assert unpublished.luku("kohtaamiset") == "58\u00a0318" and unpublished.take_footnotes() == []


def test_the_line_ending_a_page_counts_its_figures_and_links_to_the_appendix(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj.data))
    display.Page(section(tmp_path)).page_end(["yleiskatsaus"])
    text = re.sub(r"<[^>]+>", "", shown[-1])
    # FIGURES has 4 of the overview's 12 printed figures; kohtaamiset, nps, hyvinvointi_lisaantyi differ
    assert text.startswith("Täsmäytys julkaistuun raporttiin: sivun 12 julkaistusta luvusta 0 täsmää")
    assert 'href="00_puhdistus.html#tasmaytys-yleiskatsaus"' in shown[-1]
    display.Page(section(tmp_path, reference=False)).page_end(["yleiskatsaus"])
    assert "Vuoden 2024 raporttia ei ole vielä julkaistu" in shown[-1]


# -- charts and tables ---------------------------------------------------------------------------------
def test_a_chart_is_an_img_with_a_finnish_alt_text_and_its_numbers():
    fig, ax = plt.subplots()
    ax.set_title("Kohtaamiset palvelualueittain", loc="left")
    html = display.chart_html(fig)
    assert 'alt="Kaavio: Kohtaamiset palvelualueittain.' in html and html.count("<img ") == 1
    assert "No description" not in html and "<details" not in html
    fig, _ = plt.subplots()
    fig.alt_text = "Pylväskuvio: kohtaamiset. Senioripalvelut 20 471."
    fig.data_table = pd.DataFrame({"Palvelualue": ["Senioripalvelut"], "Kohtaamisia": ["20 471"]})
    html = display.chart_html(fig)
    assert 'alt="Pylväskuvio: kohtaamiset. Senioripalvelut 20 471."' in html
    assert "<details" in html and '<td class="teksti">Senioripalvelut</td><td class="luku">20 471</td>' in html
    fig, _ = plt.subplots()
    fig.data_table = pd.DataFrame({"a": ["x"], "b": ["1"]})
    assert "<details" not in display.chart_html(fig, numbers_below=True)  # the page's own table follows


def test_tables_put_text_left_and_numbers_right():
    frame = pd.DataFrame({"Palvelu": ["Tukihenkilötoiminta"], "Asiakkaita tai tukipareja": ["140"],
                          "Osuus, %": ["35⁴"], "Huom": ["pitkä teksti"]})
    html = display.table_html(frame)
    assert ('<th scope="col" class="teksti">Palvelu</th><th scope="col" class="luku">Asiakkaita tai tukipareja</th>'
            '<th scope="col" class="luku">Osuus, %</th><th scope="col" class="teksti">Huom</th>') in html
    assert 'class="taulukko"' in html


def test_area_tables_carry_units_in_their_headers(built):
    out, _ = built
    s = sections.load(Paths.of(2024, "hyte", ROOT, processed=out / "processed"))
    activity = sections.activity_table(s, "seniorit").set_index("Palvelu")
    assert activity.loc["Tukihenkilötoiminta", "Asiakkaita tai tukipareja"] == "140"
    assert sections.paired_services(s, "seniorit") == ["Tukihenkilötoiminta"]
    assert sections.pairs_sentence(["A", "B", "C"]) == "Tukipareina (vapaaehtoinen ja tuettava) on laskettu palvelut A, B ja C."
    outcome = sections.outcome_table(s, sections.wellbeing_blocks("seniorit")[0])
    assert list(outcome.columns) == ["Hyvinvointitulos", "Alkumittaus, %", "Loppumittaus, %", "Muutos, prosenttiyksikköä",
                                     "n"]
    # 74 % -> 64 % of 109 clients: not significant by the appendix's test, so not "Väheni 10"
    assert outcome.iloc[0].tolist() == ["Haitallinen yksinäisyys", "74", "64", "−10 (ei tilastollisesti merkitsevä)",
                                        "109"]
    youth = sections.outcome_table(s, sections.wellbeing_blocks("nuoret")[0])
    assert youth.iloc[0, 3] == "Väheni 21"  # 35 % -> 14 % of 579: significant
    adults = sections.single_shares(s, sections.wellbeing_blocks("aikuiset")[0])
    assert "Sosiaaliset suhteet vahvistuivat keskimäärin 24\u00a0% (n = 84)" in adults
