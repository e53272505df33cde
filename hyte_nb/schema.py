"""What each raw export looks like: file, headers, and what every column must hold.

One declaration per export serves three readers: the generator writes these headers, io
parses and validates by them, and data/raw/README.md documents them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hyte_nb import config


LIKERT5 = ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä",
           "Jokseenkin samaa mieltä", "Täysin samaa mieltä"]


@dataclass(frozen=True)
class Column:
    raw: str  # header as the source system writes it
    name: str  # tidy name used in processed tables
    kind: str  # text | int | date | datetime | yesno | choice | likert5 | checkbox
    required: bool = True
    lo: int | None = None
    hi: int | None = None
    choices: tuple[str, ...] = ()
    doc: str = ""

    def expected(self) -> str:
        """What a valid value looks like, in words (used in error messages)."""
        if self.kind == "int":
            bounds = f" väliltä {self.lo}–{self.hi}" if self.hi is not None else f" ≥ {self.lo}" if self.lo is not None else ""
            return "kokonaisluku" + bounds
        if self.kind == "date":
            return "päivämäärä muodossa p.k.vvvv"
        if self.kind == "datetime":
            return "aikaleima"
        if self.kind == "yesno":
            return "Kyllä tai Ei"
        if self.kind in ("choice", "likert5"):
            return "yksi vaihtoehdoista: " + ", ".join(self.choices or LIKERT5)
        if self.kind == "checkbox":
            return "1 tai tyhjä"
        return "tekstiä"


@dataclass(frozen=True)
class Export:
    key: str
    filename: str
    doc: str
    grain: str
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def rename(self) -> dict[str, str]:
        return {c.raw: c.name for c in self.columns}


CLIENT_MEETINGS = Export(
    "asiakastapaamiset", "asiakastapaamiset.csv",
    "Asiakastietojärjestelmän käyntiraportti", "yksi rivi per asiakastapaaminen",
    (
        Column("Käynnin ID", "kaynti", "text", doc="käynnin tunniste"),
        Column("Päivämäärä", "pvm", "date"),
        Column("Palvelualue", "alue", "text", doc="Senioripalvelut, Perhepalvelut, Nuorten palvelut tai Aikuispalvelut"),
        Column("Palvelu", "palvelu", "text", doc="palvelu palveluluettelon (hyte_nb/metadata/palvelut.yml) mukaan"),
        Column("Asiakastunnus", "asiakas", "text", doc="pseudonyymi asiakkaan tai tukiparin tunnus"),
        Column("Tavatut henkilöt", "henkilot", "int", lo=1, hi=50, doc="tapaamisessa kohdatut henkilöt"),
        Column("Yksinäisyys puheeksi", "puheeksi", "yesno"),
    ),
)

EVENTS = Export(
    "tapahtumat", "tapahtumat.csv",
    "Tapahtumakirjaukset", "yksi rivi per toteutunut tapahtuma tai ryhmäkerta",
    (
        Column("Tapahtuman ID", "tapahtuma", "text"),
        Column("Päivämäärä", "pvm", "date"),
        Column("Palvelualue", "alue", "text"),
        Column("Palvelu", "palvelu", "text"),
        Column("Osallistujat", "osallistujat", "int", lo=1, hi=2000, doc="kohtaamiset: osallistujat, puhelut tai keskustelut"),
        Column("Yksinäisyys puheeksi", "puheeksi", "yesno"),
    ),
)

VOLUNTEER_REGISTRY = Export(
    "vapaaehtoisrekisteri", "vapaaehtoisrekisteri.csv",
    "Vapaaehtoisrekisterin tehtäväraportti", "yksi rivi per vapaaehtoistehtävä (sama henkilö voi olla usealla rivillä)",
    (
        Column("Tehtävän ID", "tehtava_id", "text"),
        Column("Vapaaehtoistunnus", "vapaaehtoinen", "text"),
        Column("Syntymävuosi", "syntymavuosi", "int", lo=1900, hi=2010),
        Column("Tehtävä", "tehtava", "text", doc="tehtäväluokka, esim. tukihenkilötoiminta"),
        Column("Aloituspäivä", "aloitus", "date"),
    ),
)

FEEDBACK_ITEMS = {
    "selkiintyi": "Ajatukseni selkiintyivät",
    "ymmarrys": "Ymmärrykseni omasta tilanteestani lisääntyi",
    "ongelmanratkaisu": "Keinoni ratkaista ongelmia lisääntyivät",
    "kuulluksi": "Tulin kuulluksi ja kohdatuksi",
    "hyodyllinen": "Koin saamani avun hyödylliseksi",
    "puhuttua": "Sain puhuttua itselleni tärkeistä asioista",
    "hallinta_apu": "Sain apua väkivaltaisen käytöksen hallintaan",
}

CLIENT_FEEDBACK = Export(
    "asiakaspalaute", "asiakaspalaute.csv",
    "Asiakaspalautelomakkeen vastaukset", "yksi rivi per palautevastaus",
    (
        Column("Vastauksen ID", "vastaus", "text"),
        Column("Vastauspäivä", "pvm", "date"),
        Column("Palvelualue", "alue", "text"),
        Column("Palvelu", "palvelu", "text"),
        Column("Suosittelisitko palvelua läheisellesi? (0-10)", "suosittelu", "int", required=False, lo=0, hi=10),
        *(Column(text + " (1-5)", key, "int", required=False, lo=1, hi=5,
                 doc="1 = täysin eri mieltä … 5 = täysin samaa mieltä") for key, text in FEEDBACK_ITEMS.items()),
        Column("Avoin palaute", "avoin", "text", required=False),
        Column("Saako palautetta lainata nimettömänä?", "lupa", "yesno", required=False,
               doc="vain Kyllä-vastausten avoimia vastauksia voi lainata"),
    ),
)

MEASUREMENTS = Export(
    "hyvinvointimittaukset", "hyvinvointimittaukset.csv",
    "Hyvinvointimittarien tulokset", "yksi rivi per asiakas, mittauskerta ja mittari",
    (
        Column("Asiakastunnus", "asiakas", "text"),
        Column("Palvelualue", "alue", "text"),
        Column("Palvelu", "palvelu", "text"),
        Column("Ryhmä", "ryhma", "text", required=False, doc="alaryhmä, esim. korkeakouluopiskelijat"),
        Column("Mittauskerta", "kerta", "choice", choices=("alku", "väliarvio", "loppu")),
        Column("Mittauspäivä", "pvm", "date"),
        Column("Mittari", "mittari", "text", doc="mittarin tunnus (hyte_nb/metadata/mittarit.yml)"),
        Column("Arvo", "arvo", "int", lo=0, hi=50, doc="mittarin asteikolla"),
    ),
)

DOWNLOADS = Export(
    "materiaalilataukset", "materiaalilataukset.csv",
    "Verkkosivuston analytiikka: materiaalien lataukset", "yksi rivi per päivä, materiaali ja kieli",
    (
        Column("Päivä", "pvm", "date"),
        Column("Materiaali", "materiaali", "text"),
        Column("Kieli", "kieli", "choice", choices=("fi", "sv", "en")),
        Column("Lataukset", "lataukset", "int", lo=1),
    ),
)

SURVEY_STATEMENTS = {
    "merkittava": "Koen vapaaehtoistehtäväni merkittäväksi",
    "merkityksellinen": "Tunnen itseni merkitykselliseksi",
    "hyvinvointi": "Hyvinvointini on parantunut vapaaehtoistoiminnan myötä",
    "yhteiso": "Tunnen kuuluvani yhteisöön",
    "ymmarrys": "Ymmärrykseni yksinäisyydestä on laajentunut",
    "saavuttanut": "Koen saavuttaneeni jotakin tärkeää",
    "tavannut": "Olen tavannut ihmisiä, joita en olisi muuten tavannut",
}
SURVEY_MOTIVES = {
    "hyvinvointivaikutukset": "Toiminnan hyvinvointivaikutukset",
    "yhteiskunta": "Halu vaikuttaa yhteiskuntaan",
    "kohtaaminen": "Asiakaskohderyhmien kohtaaminen",
    "oppiminen": "Uuden oppiminen",
}
_STATEMENTS_Q = "Kuinka samaa mieltä olet seuraavista väittämistä?"
_MOTIVES_Q = "Mikä motivoi sinua vapaaehtoistoiminnassa? Valitse kaikki sopivat."

VOLUNTEER_SURVEY = Export(
    "vapaaehtoiskysely", "vapaaehtoiskysely.xlsx",
    "Webropol-kysely vapaaehtoisille, Excel-vienti", "yksi rivi per vastaaja",
    (
        Column("Vastaajan numero", "vastaaja", "int", lo=1),
        Column("Vastausaika", "aika", "datetime"),
        *(Column(f"{_STATEMENTS_Q} - {text}", key, "likert5", required=False)
          for key, text in SURVEY_STATEMENTS.items()),
        *(Column(f"{_MOTIVES_Q} - {text}", f"motiivi_{key}", "checkbox", required=False)
          for key, text in SURVEY_MOTIVES.items()),
        Column("Kuinka todennäköisesti suosittelisit vapaaehtoistehtävääsi ystävällesi? "
               "(0 = en lainkaan todennäköisesti, 10 = erittäin todennäköisesti)", "suosittelu", "int",
               required=False, lo=0, hi=10),
        Column("Oletko harkinnut vapaaehtoistoiminnan lopettamista?", "lopettaminen", "choice",
               required=False, choices=("Kyllä", "En", "En osaa sanoa")),
        Column("Mitä haluaisit kertoa vapaaehtoistoiminnastasi?", "avoin", "text", required=False),
        Column("Saako vastaustasi lainata nimettömänä raporteissamme?", "lupa", "yesno", required=False),
    ),
)

HYTE_EXPORTS = (CLIENT_MEETINGS, EVENTS, VOLUNTEER_REGISTRY, CLIENT_FEEDBACK, MEASUREMENTS, DOWNLOADS,
                VOLUNTEER_SURVEY)


# -- the professionals' survey (Webropol), built from hyte_nb/metadata/kysely.yml --------------
def slug(text: str) -> str:
    """'Keski-Suomen hyvinvointialue' -> 'keski_suomen_hyvinvointialue' (tidy column names)."""
    text = text.lower().translate(str.maketrans("äöåé", "aoae"))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def survey_questions(year: int) -> list[dict]:
    return [q for q in config.load_metadata("kysely")["kysymykset"] if year in q["vuodet"]]


def option_column(question: dict, option: str) -> str:
    """Tidy name of a checkbox option's or matrix row's column."""
    return f"{question['key']}__{slug(option)}"


def survey_export(year: int) -> Export:
    """The Webropol export of a survey year: respondent number, timestamps, then one column per
    single-choice question, checkbox option, matrix row and open question."""
    columns = [Column("Vastaajan numero", "vastaaja", "int", lo=1),
               Column("Aloitusaika", "aloitettu", "datetime"),
               Column("Lähetysaika", "lahetetty", "datetime")]
    for q in survey_questions(year):
        if q["tyyppi"] == "valinta":
            columns.append(Column(q["teksti"], q["key"], "choice", required=False,
                                  choices=tuple(o["teksti"] for o in q["vaihtoehdot"])))
        elif q["tyyppi"] == "monivalinta":
            columns += [Column(f"{q['teksti']} - {o['teksti']}", option_column(q, o["teksti"]), "checkbox",
                               required=False) for o in q["vaihtoehdot"]]
        elif q["tyyppi"] == "matriisi":
            columns += [Column(f"{q['teksti']} - {r['teksti']}", option_column(q, r["teksti"]), "choice",
                               required=False, choices=tuple(q["asteikko"])) for r in q["rivit"]]
        else:
            columns.append(Column(q["teksti"], q["key"], "text", required=False))
    return Export("kysely", f"hyte_ohjaus_kysely_{year}.xlsx", "Webropol-kysely sote-ammattilaisille, Excel-vienti",
                  "yksi rivi per vastaaja", tuple(columns))
