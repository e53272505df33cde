"""The HYTE report's raw exports: file, headers, and what every column must hold. The
contract is documented in data/raw/README.md; it is what the source systems write."""

from __future__ import annotations

from hyte_nb.core.schema import Column, Export

CLIENT_MEETINGS = Export(
    "asiakastapaamiset", "asiakastapaamiset.csv",
    "Asiakastietojärjestelmän käyntiraportti", "yksi rivi per asiakastapaaminen",
    (
        Column("Käynnin ID", "kaynti", "text", doc="käynnin tunniste", unique=True, test_marker=True),
        Column("Päivämäärä", "pvm", "date"),
        Column("Palvelualue", "alue", "text", doc="Senioripalvelut, Perhepalvelut, Nuorten palvelut tai Aikuispalvelut"),
        Column("Palvelu", "palvelu", "text", doc="palvelu palveluluettelon (hyte_nb/hyte/metadata/palvelut.yml) mukaan"),
        Column("Asiakastunnus", "asiakas", "text", doc="pseudonyymi asiakkaan tai tukiparin tunnus", test_marker=True),
        Column("Tavatut henkilöt", "henkilot", "int", lo=1, hi=50, doc="tapaamisessa kohdatut henkilöt"),
        Column("Yksinäisyys puheeksi", "puheeksi", "yesno"),
    ),
    dated=True,
)

EVENTS = Export(
    "tapahtumat", "tapahtumat.csv",
    "Tapahtumakirjaukset", "yksi rivi per toteutunut tapahtuma tai ryhmäkerta",
    (
        Column("Tapahtuman ID", "tapahtuma", "text", unique=True, test_marker=True),
        Column("Päivämäärä", "pvm", "date"),
        Column("Palvelualue", "alue", "text"),
        Column("Palvelu", "palvelu", "text"),
        Column("Osallistujat", "osallistujat", "int", lo=1, hi=2000, doc="kohtaamiset: osallistujat, puhelut tai keskustelut"),
        Column("Yksinäisyys puheeksi", "puheeksi", "yesno"),
    ),
    dated=True,
)

VOLUNTEER_REGISTRY = Export(
    "vapaaehtoisrekisteri", "vapaaehtoisrekisteri.csv",
    "Vapaaehtoisrekisterin tehtäväraportti", "yksi rivi per vapaaehtoistehtävä (sama henkilö voi olla usealla rivillä)",
    (
        Column("Tehtävän ID", "tehtava_id", "text", unique=True, test_marker=True),
        Column("Vapaaehtoistunnus", "vapaaehtoinen", "text", test_marker=True),
        Column("Syntymävuosi", "syntymavuosi", "int", lo=1900, hi=2100,
               doc="iän raporttivuonna oltava 15–100 (BIRTH_AGES)"),
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
        Column("Vastauksen ID", "vastaus", "text", unique=True, test_marker=True),
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
    dated=True,
)

MEASUREMENTS = Export(
    "hyvinvointimittaukset", "hyvinvointimittaukset.csv",
    "Hyvinvointimittarien tulokset", "yksi rivi per asiakas, mittauskerta ja mittari",
    (
        Column("Asiakastunnus", "asiakas", "text", test_marker=True),
        Column("Palvelualue", "alue", "text"),
        Column("Palvelu", "palvelu", "text"),
        Column("Ryhmä", "ryhma", "text", required=False, doc="alaryhmä, esim. korkeakouluopiskelijat"),
        Column("Mittauskerta", "kerta", "choice", choices=("alku", "väliarvio", "loppu")),
        Column("Mittauspäivä", "pvm", "date"),
        Column("Mittari", "mittari", "text", doc="mittarin tunnus (hyte_nb/hyte/metadata/mittarit.yml)"),
        Column("Arvo", "arvo", "int", lo=0, hi=50, doc="mittarin asteikolla"),
    ),
)

DOWNLOADS = Export(
    "materiaalilataukset", "materiaalilataukset.csv",
    "Verkkosivuston analytiikka: materiaalien lataukset", "yksi rivi per päivä, materiaali ja kieli",
    (
        Column("Päivä", "pvm", "date"),
        Column("Materiaali", "materiaali", "text", test_marker=True),
        Column("Kieli", "kieli", "choice", choices=("fi", "sv", "en")),
        Column("Lataukset", "lataukset", "int", lo=1, hi=100_000),
    ),
    dated=True,
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
        Column("Vastaajan numero", "vastaaja", "int", lo=1, hi=10_000_000),
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

# A volunteer's age in the report year (syntymävuosi checked against the year, not a fixed bound).
BIRTH_AGES = (15, 100)
HYTE_EXPORTS = (CLIENT_MEETINGS, EVENTS, VOLUNTEER_REGISTRY, CLIENT_FEEDBACK, MEASUREMENTS, DOWNLOADS,
                VOLUNTEER_SURVEY)


