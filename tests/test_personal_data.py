"""No personal data in any deliverable (issue 8, item 5).

Realistic personal data, planted into every open-answer field of every export, must reach no
page and no PDF. The planted items: inflected Finnish first names and surnames, Swedish names
(known to Voikko, only in etunimet.txt, unknown to both next to a surname, in the genitive),
names on no list with a surname, street addresses (also inflected and Swedish), postal codes with
a town, register ids (client, support pair, volunteer, visit), emails, phones in several formats
and identity codes in every century form.

The planting, done by the shared project of several years (conftest's `years_project`) before its
running year 2026 is built: the HYTE answers the pages quote (those tekstit/2026/hyte/sitaatit.yml
would choose; with no choice made, as there, every other consented one) get the names, addresses,
ids and identity codes; the other consented answers and every tenth answer without consent get
all items, contact details included (an answer with a phone or an email is a contact request,
never quoted); every answer of every open question of both survey years, 2026 and its comparison
year 2025 (planted before 2025 is built), gets all items. Every fourth planted answer has stray
spaces around it, as real exports do (the cleaning trims them and logs the change). Both reports
of 2026 are built once per run (papermill + nbconvert) and printed to PDF here, and every page,
PDF and cleaning log of 2026 is scanned for every item and for the base form of every name. A
canary sentence in the planted text shows that it did reach the quotes, so that a clean scan
means something.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from conftest import ROOT
from hyte_nb.core.privacy import contains_personal_data, redact
from hyte_nb.hyte.exports import CLIENT_FEEDBACK, VOLUNTEER_SURVEY
from hyte_nb.kysely import questionnaire

YEAR = 2026  # the shared project's running year (conftest's `years_project`)
CANARY = "Kanarialintu laulaa aamuisin."  # harmless: shows that the planted paragraph reached a page


def hetu(date: str, number: str, sign: str) -> str:
    """A personal identity code with its check character (computed here, not by privacy.py)."""
    return f"{date}{sign}{number}{'0123456789ABCDEFHJKLMNPRSTUVWXY'[int(date + number) % 31]}"


@dataclass(frozen=True)
class Item:
    kind: str
    sentence: str  # as planted
    expected: str  # what redact must make of it
    needles: tuple[str, ...]  # none of these may appear in a deliverable (the item, base forms of names)


N, A, T, E, P, H = ("[nimi poistettu]", "[osoite poistettu]", "[tunnus poistettu]", "[sähköposti poistettu]",
                    "[puhelinnumero poistettu]", "[henkilötunnus poistettu]")

ITEMS = [
    # Finnish names in inflected forms, found by Voikko's morphology
    Item("etunimi", "Kiitos Ullalle avusta.", f"Kiitos {N} avusta.", ("Ullalle", "Ulla")),
    Item("etunimi", "Pekalle iso kiitos.", f"{N} iso kiitos.", ("Pekalle", "Pekka")),
    Item("etunimi", "Sain tukea Hannalta joka viikko.", f"Sain tukea {N} joka viikko.", ("Hannalta", "Hanna")),
    Item("etunimi", "Anna-Liisalle halaus.", f"{N} halaus.", ("Anna-Liisalle", "Anna-Liisa")),
    Item("etunimi", "Perjantaina Satu kuunteli minua.", f"Perjantaina {N} kuunteli minua.", ("Satu",)),
    Item("sukunimi", "Terveisiä Virtaselle!", f"Terveisiä {N}!", ("Virtaselle", "Virtanen")),
    Item("nimi", "Toivo Korhonen soitti minulle.", f"{N} soitti minulle.", ("Toivo", "Korhonen")),
    Item("nimi", "Ohjaajamme Jasmiina Rytköselle kuuluu kiitos.", f"Ohjaajamme {N} kuuluu kiitos.",
         ("Jasmiina", "Rytköselle", "Rytkönen")),
    Item("nimi", "Maija Mäkelä järjesti retken.", f"{N} järjesti retken.", ("Maija", "Mäkelä")),
    # names on no list, next to a known first name or surname
    Item("nimi ilman luetteloa", "Kiitos Zorina Heikkiselle.", f"Kiitos {N}.", ("Zorina", "Heikkiselle", "Heikkinen")),
    Item("nimi ilman luetteloa", "Mentorini Sanni Tšernova jaksoi kuunnella.", f"Mentorini {N} jaksoi kuunnella.",
         ("Sanni", "Tšernova")),
    # Swedish names
    Item("ruotsi", "Tack till Erik Johansson för hjälpen.", f"Tack till {N} för hjälpen.", ("Erik", "Johansson")),
    Item("ruotsi", "Åsa var underbar.", f"{N} var underbar.", ("Åsa",)),
    Item("ruotsi", "Stödpersonen Mats Persson hjälpte mig.", f"Stödpersonen {N} hjälpte mig.", ("Mats", "Persson")),
    Item("ruotsi", "Vi träffade Ingeborg Lindqvist varje vecka.", f"Vi träffade {N} varje vecka.",
         ("Ingeborg", "Lindqvist")),
    Item("ruotsi", "Det var Karins idé.", f"Det var {N} idé.", ("Karins", "Karin")),
    Item("ruotsi", "Kiitos Nyqvistille kyydistä.", f"Kiitos {N} kyydistä.", ("Nyqvistille", "Nyqvist")),
    # street addresses and postal codes with a town
    Item("osoite", "Asun osoitteessa Mannerheimintie 5 B 12.", f"Asun osoitteessa {A}.",
         ("Mannerheimintie 5 B 12", "Mannerheimintie 5")),
    Item("osoite", "Tapasimme Hämeenkadulla 3 olevassa kahvilassa.", f"Tapasimme {A} olevassa kahvilassa.",
         ("Hämeenkadulla 3",)),
    Item("osoite", "Jag bor på Storgatan 7 A 2.", f"Jag bor på {A}.", ("Storgatan 7",)),
    Item("osoite", "Postini tulee osoitteeseen Kalevankatu 12 as. 4, 40100 Jyväskylä.",
         f"Postini tulee osoitteeseen {A}.", ("Kalevankatu 12", "40100")),
    Item("postinumero", "Toimistomme on 00100 Helsinki.", f"Toimistomme on {A}.", ("00100 Helsinki", "00100")),
    # register ids
    Item("asiakastunnus", "Asiakasnumeroni on AS-482913.", f"Asiakasnumeroni on {T}.", ("AS-482913", "482913")),
    Item("asiakastunnus", "Tukiparimme tunnus TP-736251.", f"Tukiparimme tunnus {T}.", ("TP-736251", "736251")),
    Item("vapaaehtoistunnus", "Vapaaehtoistunnukseni V918273.", f"Vapaaehtoistunnukseni {T}.", ("V918273", "918273")),
    Item("käyntitunnus", "Käynnin numero oli K004711.", f"Käynnin numero oli {T}.", ("K004711",)),
    # contact details
    Item("sähköposti", "Kirjoita ulla.korhonen@esimerkki.fi.", f"Kirjoita {E}.", ("ulla.korhonen", "esimerkki.fi")),
    Item("sähköposti", "Tai erik.j(at)example.se kiitos.", f"Tai {E} kiitos.", ("erik.j", "example.se")),
    Item("puhelin", "Soita 050 987 6543 iltaisin.", f"Soita {P} iltaisin.", ("050 987 6543", "9876543")),
    Item("puhelin", "Numeroni on +358 44 555 1234.", f"Numeroni on {P}.", ("+358 44 555 1234", "5551234")),
    Item("puhelin", "Toimisto (09) 2345 678 auttaa.", f"Toimisto {P} auttaa.", ("(09) 2345 678", "2345 678")),
    Item("puhelin", "Gsm 045-1234567 toimii.", f"Gsm {P} toimii.", ("045-1234567", "1234567")),
    Item("puhelin", "Ring +46 70 123 45 67.", f"Ring {P}.", ("+46 70 123 45 67",)),
] + [
    # identity codes, every century sign: + (1800s); -, U–Y (1900s); A–F (2000s)
    Item("henkilötunnus", f"Hetuni on {code}.", f"Hetuni on {H}.", (code,))
    for code in (hetu(date, number, sign) for date, number, sign in [
        ("150385", "312", "+"), ("131052", "308", "-"), ("010594", "903", "U"), ("230871", "244", "V"),
        ("071166", "185", "W"), ("291259", "466", "X"), ("311288", "527", "Y"), ("240308", "158", "A"),
        ("050112", "076", "B"), ("180520", "937", "C"), ("090619", "644", "D"), ("270104", "333", "E"),
        ("161011", "212", "F")])
]

CONTACT_KINDS = ("sähköposti", "puhelin")
# Two paragraphs: an answer with a phone number or an email is a request to be contacted, which
# the HYTE pages never quote (hyte_nb/core/texts.py), so the names, addresses, ids and identity
# codes go into the answers the pages quote, and every item into the others.
QUOTABLE = " ".join([CANARY] + [item.sentence for item in ITEMS if item.kind not in CONTACT_KINDS])
PLANTED = " ".join([QUOTABLE] + [item.sentence for item in ITEMS if item.kind in CONTACT_KINDS])


def test_there_are_enough_planted_items_of_every_kind():
    assert len(ITEMS) >= 25
    assert {i.sentence.split()[-1][6] for i in ITEMS if i.kind == "henkilötunnus"} == set("+-UVWXYABCDEF")


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: f"{i.kind}: {i.sentence}")
def test_each_item_is_redacted(item):
    assert contains_personal_data(item.sentence)
    assert redact(item.sentence) == item.expected
    assert not contains_personal_data(item.expected)


def test_the_planted_paragraph_is_redacted_whole():
    cleaned = redact(PLANTED)
    assert cleaned.startswith(CANARY)
    assert _found(cleaned, [n for item in ITEMS for n in item.needles]) == []


# -- the planted build ---------------------------------------------------------------------
def _quoted_ids(root: Path, year: int, table: str) -> set[str] | None:
    """The answers the analyst chose to quote (tekstit/<year>/hyte/sitaatit.yml), if chosen."""
    path = root / "tekstit" / str(year) / "hyte" / "sitaatit.yml"
    if not path.exists():
        return None
    chosen = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(table)
    return None if chosen is None else {str(i) for i in chosen}


class _Planter:
    """What an open answer gets: a quoted answer the quotable paragraph, a consented answer
    not chosen for quoting (a contact request once planted) and every tenth answer without
    consent the whole paragraph; with no choice made, every second consented answer the whole
    paragraph too. Every fourth planted answer has stray spaces around it. A row repeated in the
    export (an exact duplicate, which cleaning drops) gets the same text, so it stays a duplicate."""

    def __init__(self, quoted: set[str] | None):
        self.quoted, self.count, self.done = quoted, 0, {}

    def __call__(self, answer: str, answer_id: str | None, consented: bool, position: int) -> str:
        key = (answer_id, answer, consented)
        if key not in self.done:
            self.done[key] = self._plant(answer, answer_id, consented, position)
        return self.done[key]

    def _plant(self, answer: str, answer_id: str | None, consented: bool, position: int) -> str:
        if consented and (self.quoted is None and position % 2 == 0 or
                          self.quoted is not None and answer_id in self.quoted):
            planted = f"{answer} {QUOTABLE}"
        elif consented or position % 10 == 0:
            planted = f"{answer} {PLANTED}"
        else:
            return answer
        self.count += 1
        return f"  {planted} " if self.count % 4 == 1 else planted


def _plant_csv(path: Path, planter: _Planter, export=CLIENT_FEEDBACK) -> int:
    """The open answers of a Finnish-locale CSV (same bytes otherwise: ';', BOM, CRLF)."""
    text = path.read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = rows[0]
    answer, consent, answer_id = (header.index(_raw(export, name)) for name in ("avoin", "lupa", "vastaus"))
    for position, row in enumerate(rows[1:]):
        if len(row) == len(header) and row[answer].strip() and "testi" not in row[answer].lower():
            row[answer] = planter(row[answer], row[answer_id], row[consent] == "Kyllä", position)
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))
    return planter.count


def _plant_xlsx(path: Path, columns: list[str], planter: _Planter, consent: str | None = None) -> int:
    """The open answers of a Webropol export (every answer is quotable where no consent is asked)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    respondent = header.index("Vastaajan numero")
    for position, row in enumerate(ws.iter_rows(min_row=2)):
        consented = consent is None or row[header.index(consent)].value == "Kyllä"
        for column in columns:
            cell = row[header.index(column)]
            if isinstance(cell.value, str) and cell.value.strip() and "testi" not in cell.value.lower():
                cell.value = planter(cell.value, str(row[respondent].value), consented, position)
    wb.save(path)
    return planter.count


def _raw(export, tidy: str) -> str:
    return next(c.raw for c in export.columns if c.name == tidy)


def _open_questions(year: int) -> list[str]:
    return [q["teksti"] for q in questionnaire.survey_questions(year) if q["tyyppi"] == "avoin"]


def plant_survey(root: Path, year: int) -> dict[str, int]:
    """Every answer of every open question of the year's survey gets every item (the survey quotes
    any answer). Returns the export's name -> how many answers were planted."""
    name = f"hyte_ohjaus_kysely_{year}.xlsx"
    export = root / "data" / "raw" / str(year) / "kysely" / name
    return {name: _plant_xlsx(export, _open_questions(year), _Planter(set()))}


def plant_year(root: Path, year: int) -> dict[str, int]:
    """The year's HYTE open answers as the module's docstring says, and its survey's."""
    hyte = root / "data" / "raw" / str(year) / "hyte"
    return {
        "asiakaspalaute.csv": _plant_csv(hyte / "asiakaspalaute.csv",
                                         _Planter(_quoted_ids(root, year, "asiakaspalaute"))),
        "vapaaehtoiskysely.xlsx": _plant_xlsx(hyte / "vapaaehtoiskysely.xlsx", [_raw(VOLUNTEER_SURVEY, "avoin")],
                                              _Planter(_quoted_ids(root, year, "vapaaehtoiskysely")),
                                              _raw(VOLUNTEER_SURVEY, "lupa")),
    } | plant_survey(root, year)


@pytest.fixture(scope="module")
def planted_build(years_project):
    """The running year of the shared project (conftest's `years_project`), planted before it was built:
    its folder and how many answers of each export were planted."""
    built = years_project.result["running"][0]  # the first build of 2026; test_running_year checks the others
    assert not built["failed"], built["failed"]
    return years_project.running, years_project.result["planted"]


def _page_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<img[^>]*>", " ", page)  # inline images: base64, not text
    return _normal(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _found(text: str, needles) -> list[str]:
    text = _normal(text)
    return [n for n in dict.fromkeys(needles) if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]


def _pages(root: Path) -> list[Path]:
    return sorted((root / "reports" / str(YEAR)).rglob("*.html"))


NEEDLES = [n for item in ITEMS for n in item.needles]
QUOTE_PAGES = ["hyte/02_vapaaehtoiset.html", "hyte/03_seniorit.html", "hyte/04_perheet.html", "hyte/05_nuoret.html",
               "hyte/06_aikuiset.html", "kysely/12_hyte_ohjaus.html", "kysely/13_toimintamalli.html"]


def test_the_planted_answers_reach_the_quotes(planted_build):
    """Without this the scan below could pass because nothing planted was shown at all."""
    root, counts = planted_build
    assert all(counts.values()), counts
    reports = root / "reports" / str(YEAR)
    for page in QUOTE_PAGES:
        text = _page_text(reports / page)
        assert CANARY in text, page
        assert "[nimi poistettu]" in text and "[henkilötunnus poistettu]" in text, page


CLEANING_PAGES = ["hyte/00_puhdistus.html", "kysely/10_puhdistus.html"]
# The cleaning log names the row, the column and the kind of change of a free-text cell, never
# its text, so the cleaning appendices are scanned like every other page.


def test_no_planted_item_on_any_page(planted_build):
    """Every page but the cleaning appendices (below): sections, quotes, indexes."""
    root, _ = planted_build
    reports = root / "reports" / str(YEAR)
    pages = [p for p in _pages(root) if str(p.relative_to(reports)) not in CLEANING_PAGES]
    assert len(pages) >= 13
    leaks = {str(p.relative_to(reports)): _found(_page_text(p), NEEDLES) for p in pages}
    assert {page: found for page, found in leaks.items() if found} == {}


# The shapes of the registers' record ids (data/raw/2024/hyte/*.csv): clients and support pairs,
# volunteers, visits, events, feedback answers, volunteer tasks.
REGISTER_ID = re.compile(r"(?<![\w-])(?:(?:AS|TP)-\d{6}|V\d{6}|K\d{6}|T\d{5}|P\d{5}|VT\d{5})(?:-V)?(?!\w)")


def test_no_register_id_on_any_page(planted_build):
    """Beyond the planted ones (scanned above): no record id of the sample's registers reaches a
    page either (a pseudonymous id still points at one person's records)."""
    root, _ = planted_build
    reports = root / "reports" / str(YEAR)
    planted = set(NEEDLES)
    found = {str(p.relative_to(reports)): sorted(set(REGISTER_ID.findall(_page_text(p))) - planted)
             for p in _pages(root)}
    assert {page: ids for page, ids in found.items() if ids} == {}


@pytest.mark.parametrize("page", CLEANING_PAGES)
def test_no_planted_item_on_a_cleaning_page(planted_build, page):
    root, _ = planted_build
    assert _found(_page_text(root / "reports" / str(YEAR) / page), NEEDLES) == []


@pytest.fixture(scope="module")
def printed(planted_build, tmp_path_factory):
    """Every PDF hyte_nb.pipeline.pdf prints of the planted year, read back by pdftotext: report
    folder (hyte, kysely) -> the text of its PDFs. Printed in a folder of links to the pages, so
    that the PDFs are not written into the shared project."""
    from hyte_nb.pipeline import pdf

    if pdf.find_chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("Chromium or pdftotext (poppler-utils) missing: make system installs them")
    root, _ = planted_build
    built = root / "reports" / str(YEAR)
    reports = tmp_path_factory.mktemp("pdf") / str(YEAR)
    for path in built.rglob("*"):
        if path.is_file():
            link = reports / path.relative_to(built)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    texts: dict[str, str] = {}
    for path in pdf.print_reports(reports):
        text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
        report = path.relative_to(reports).parts[0]
        texts[report] = texts.get(report, "") + "\n" + text
    return texts


def _found_in_print(text: str, needles) -> list[str]:
    """_found, and also the longer needles across line breaks: print wraps table cells anywhere
    (overflow-wrap) and hyphenates (Virta-/selle), which would hide an item from a plain scan."""
    joined = re.sub(r"\s+", "", re.sub(r"-\s*\n\s*", "", text))
    wrapped = [n for n in needles if len(re.sub(r"\s+", "", n)) >= 6 and re.sub(r"\s+", "", n) in joined]
    return list(dict.fromkeys(_found(text, needles) + wrapped))


@pytest.mark.parametrize("report", ["hyte", "kysely"])
def test_no_planted_item_in_the_pdf(printed, report):
    """The PDF of each report (every page printed, the cleaning appendix included)."""
    text = printed[report]
    assert CANARY.split()[0] in text and "poistettu" in text  # the quotes were printed
    assert _found_in_print(text, NEEDLES) == []


def test_no_planted_item_in_the_cleaning_logs(planted_build):
    """The cleaning logs beside the clean tables show the row, column and kind of change,
    never the raw free text."""
    root, _ = planted_build
    logs = sorted((root / "data" / "processed" / str(YEAR)).rglob("puhdistusloki.csv"))
    assert len(logs) == 2
    leaks = {log.parent.name: _found(log.read_text(encoding="utf-8"), NEEDLES) for log in logs}
    assert {k: v for k, v in leaks.items() if v} == {}


def test_redacting_a_years_open_answers_is_fast(planted_build):
    """Voikko once per process, every word analysed once: every open answer of the planted
    year (each carrying 40+ items) in well under the two seconds allowed."""
    root, _ = planted_build
    raw = root / "data" / "raw"
    texts = list(pd.read_csv(raw / str(YEAR) / "hyte" / "asiakaspalaute.csv", sep=";", dtype=str,
                             encoding="utf-8-sig")["Avoin palaute"].dropna())
    texts += list(pd.read_excel(raw / str(YEAR) / "hyte" / "vapaaehtoiskysely.xlsx")[
        _raw(VOLUNTEER_SURVEY, "avoin")].dropna())
    survey = pd.read_excel(raw / str(YEAR) / "kysely" / f"hyte_ohjaus_kysely_{YEAR}.xlsx")
    for column in _open_questions(YEAR):
        texts += list(survey[column].dropna().astype(str))
    started = time.perf_counter()
    cleaned = [redact(t) for t in texts]
    seconds = time.perf_counter() - started
    assert seconds < 2.0, f"{len(texts)} answers took {seconds:.2f} s"
    assert not any(_found(t, NEEDLES) for t in cleaned)
