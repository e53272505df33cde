"""Personal data to plant into a year's open answers: conftest's `years_project` plants it into
its running year 2026 and into 2025's survey before building them, and tests/test_personal_data.py
checks that none of it reaches a deliverable.

The items: inflected Finnish first names and surnames, Swedish names (known to Voikko, only in
etunimet.txt, unknown to both next to a surname, in the genitive), names on no list with a
surname, street addresses (also inflected and Swedish), postal codes with a town, register ids
(client, support pair, volunteer, visit), emails, phones in several formats and identity codes
in every century form. How each answer is planted: `_Planter`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import yaml

from hyte_nb.hyte.exports import CLIENT_FEEDBACK, VOLUNTEER_SURVEY
from hyte_nb.kysely import questionnaire

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
    answer, consent, answer_id = (header.index(raw_header(export, name)) for name in ("avoin", "lupa", "vastaus"))
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


def raw_header(export, tidy: str) -> str:
    return next(c.raw for c in export.columns if c.name == tidy)


def open_questions(year: int) -> list[str]:
    return [q["teksti"] for q in questionnaire.survey_questions(year) if q["tyyppi"] == "avoin"]


def plant_survey(root: Path, year: int) -> dict[str, int]:
    """Every answer of every open question of the year's survey gets every item (the survey quotes
    any answer). Returns the export's name -> how many answers were planted."""
    name = f"hyte_ohjaus_kysely_{year}.xlsx"
    export = root / "data" / "raw" / str(year) / "kysely" / name
    return {name: _plant_xlsx(export, open_questions(year), _Planter(set()))}


def plant_year(root: Path, year: int) -> dict[str, int]:
    """The year's HYTE open answers as `_Planter` says, and its survey's."""
    hyte = root / "data" / "raw" / str(year) / "hyte"
    return {
        "asiakaspalaute.csv": _plant_csv(hyte / "asiakaspalaute.csv",
                                         _Planter(_quoted_ids(root, year, "asiakaspalaute"))),
        "vapaaehtoiskysely.xlsx": _plant_xlsx(hyte / "vapaaehtoiskysely.xlsx", [raw_header(VOLUNTEER_SURVEY, "avoin")],
                                              _Planter(_quoted_ids(root, year, "vapaaehtoiskysely")),
                                              raw_header(VOLUNTEER_SURVEY, "lupa")),
    } | plant_survey(root, year)
