"""The privacy filter on its own: each kind of personal data with its exact output, the words
it must leave alone, and the sample's real open answers (tests/test_personal_data.py plants
personal data into a whole build)."""

import time

import pandas as pd
import pytest

from conftest import ROOT
from hyte_nb.core import privacy
from hyte_nb.core.privacy import contains_personal_data, find, redact
from hyte_nb.kysely import questionnaire


@pytest.mark.parametrize("text", ["soita 040 123 4567", "numero 0401234567", "+358 40 123 4567", "puh. 09-123 4567",
                                  "maija.virtanen@example.fi", "hetu 131052-308T", "uusi 010101A123N"])
def test_personal_data_is_removed(text):
    assert contains_personal_data(text)
    assert not contains_personal_data(redact(text))


@pytest.mark.parametrize("text, expected", [
    # names in any inflected form, by Voikko
    ("Kiitos Ullalle ja Pekalle, Hannalta sain apua.",
     "Kiitos [nimi poistettu] ja [nimi poistettu], [nimi poistettu] sain apua."),
    ("Virtaselle terveiset!", "[nimi poistettu] terveiset!"),
    ("Hyvä Maija Virtanen, kiitos.", "Hyvä [nimi poistettu], kiitos."),
    ("Pidin Virtasesta paljon ja luotan Niemiseen.", "Pidin [nimi poistettu] paljon ja luotan [nimi poistettu]."),
    # a first name that is also a word: a name inside a sentence, or before a surname
    ("Toivon, että Toivo Virtanen jatkaa.", "Toivon, että [nimi poistettu] jatkaa."),
    ("Kiitos, Toivo!", "Kiitos, [nimi poistettu]!"),
    # names on no list, next to a known name
    ("Zlatan Virtanen auttoi. Tapasin Maija Zykovan.", "[nimi poistettu] auttoi. Tapasin [nimi poistettu]."),
    ("Kiitos Maija Mäkelä ja Kari Salo.", "Kiitos [nimi poistettu] ja [nimi poistettu]."),
    # Swedish names: Voikko's, etunimet.txt's, unknown ones next to a surname, the genitive
    ("Jag träffade Åsa Lindqvist och Mats. Tack Erik Johansson! Åsas kaffe var gott.",
     "Jag träffade [nimi poistettu] och [nimi poistettu]. Tack [nimi poistettu]! [nimi poistettu] kaffe var gott."),
    ("Vi träffade Ingeborg Lindqvist.", "Vi träffade [nimi poistettu]."),
    # abbreviations do not start a sentence; signatures are names
    ("Sain apua esim. Hannalta. t. Pekka", "Sain apua esim. [nimi poistettu]. t. [nimi poistettu]"),
    # addresses, postal codes with a town (one marker for both)
    ("Asun osoitteessa Mannerheimintie 5 B 12, 00100 Helsinki.", "Asun osoitteessa [osoite poistettu]."),
    ("Hämeenkadulla 3 oli kahvila.", "[osoite poistettu] oli kahvila."),
    ("Storgatan 5, 65100 Vasa", "[osoite poistettu]"),
    ("Vanha Porvoontie 12 as. 3 on kotini.", "[osoite poistettu] on kotini."),
    ("Toimisto FI-40100 Jyväskylä", "Toimisto [osoite poistettu]"),
    # register ids
    ("Asiakas AS-123456, pari TP-654321, vapaaehtoinen V123456, käynti K000123-V, tapahtuma T00012.",
     "Asiakas [tunnus poistettu], pari [tunnus poistettu], vapaaehtoinen [tunnus poistettu], "
     "käynti [tunnus poistettu], tapahtuma [tunnus poistettu]."),
    ("Tunnukseni on AS 123456.", "Tunnukseni on [tunnus poistettu]."),
    # contact details
    ("maija.virtanen@example.fi tai maija(at)example.fi", "[sähköposti poistettu] tai [sähköposti poistettu]"),
    ("Soita (09) 1234 567, 045-1234567 tai +46 70 123 45 67.",
     "Soita [puhelinnumero poistettu], [puhelinnumero poistettu] tai [puhelinnumero poistettu]."),
    # identity codes: exact form always; loose forms (lower case, no sign) only with a right check character
    ("Hetut 311299+123A ja 131052-308t.", "Hetut [henkilötunnus poistettu] ja [henkilötunnus poistettu]."),
    ("Ilman merkkiä 131052308T.", "Ilman merkkiä [henkilötunnus poistettu]."),
])
def test_redact_gives(text, expected):
    assert redact(text) == expected
    assert redact(expected) == expected  # idempotent: markers are not personal data


@pytest.mark.parametrize("text", [
    "Lapsi 10v on tykännyt", "Antalet ggr (15 lagom)", "vuonna 2024 noin 1 500 kertaa",
    "Olen jo melkein kolme vuotta saanut apua.",
    # capitalised common words at a sentence's start, also ones Voikko knows as names too
    "Kiitos avusta. Hyvä palvelu. Toivon lisää. Toivo heräsi. Aina joku vastasi. Ilman apua en pärjäisi.",
    "Onni on ystävä. Satu oli kaunis. Rauha tuli mieleen. Tuuli puhalsi. Usko palasi.",
    "Jag var nöjd. Det har varit skönt. Då känner man sig inte ensam. Mä en mitenkään pärjäisi.",
    # places: a municipality, district or street alone is not personal data
    "Jyväskylässä oli kivaa. Asun Kalliossa ja Malmilla. Muutin Kalliosta. Keski-Suomen hyvinvointialue.",
    "Tapasimme Hämeenkadun kahvilassa. Hoitopolulla 2 kuukautta.",
    # services and organisations; diseases named after a person
    "Albertin olohuoneessa oli kivaa. Perjantaipuhelimessa oli hyvä olla. Olen HelsinkiMission kanssa.",
    "Minulla on Parkinsonin tauti ja lapsella Aspergerin oireyhtymä.",
    # numbers that are not ids, phones or codes
    "noin 50000 euroa, 12.3.2024 klo 14, 2 x 45 min, 10 000 askelta",
    "Vuonna 2024 kävijöitä oli 1 234 ja 80-luvulta alkaen.",
    "Henkilötunnuksen muoto on ppkkvv-nnnT.",
])
def test_ordinary_text_stays(text):
    assert redact(text) == text
    assert not contains_personal_data(text)


def test_a_hetu_with_a_wrong_check_character_is_removed_only_when_written_exactly():
    assert redact("131052-308X") == "[henkilötunnus poistettu]"  # a mistyped code is still someone's
    assert redact("131052308X") == "131052308X"  # a loose string of digits and a letter is not
    assert redact("321352-308T") == "321352-308T"  # no 32nd day, no 13th month


def test_find_lists_kind_place_and_text():
    text = "Kiitos Ullalle! Soita 040 123 4567."
    assert [(f.kind, f.text, text[f.start:f.end]) for f in find(text)] == [
        ("nimi", "Ullalle", "Ullalle"), ("puhelinnumero", "040 123 4567", "040 123 4567")]
    assert find("") == [] and find(None) == []
    assert redact(None) is None


def test_voikko_is_loaded_once_per_process():
    assert privacy.voikko() is privacy.voikko()
    assert privacy.reading("Ullalle").first and privacy.reading("Virtaselle").surname


def test_the_name_list_holds_only_what_voikko_lacks():
    """etunimet.txt completes Voikko (Swedish names it lacks), it does not repeat it."""
    assert privacy.known_to_voikko() == []
    assert {"Åsa", "Mats", "Persson"} <= set(privacy.supplement())


def _sample_open_answers() -> list[str]:
    raw = ROOT / "data" / "raw"
    texts = list(pd.read_csv(raw / "2024" / "hyte" / "asiakaspalaute.csv", sep=";", dtype=str,
                             encoding="utf-8-sig")["Avoin palaute"].dropna())
    texts += list(pd.read_excel(raw / "2024" / "hyte" / "vapaaehtoiskysely.xlsx")[
        "Mitä haluaisit kertoa vapaaehtoistoiminnastasi?"].dropna())
    for year in (2024, 2023):
        survey = pd.read_excel(raw / str(year) / "kysely" / f"hyte_ohjaus_kysely_{year}.xlsx")
        for q in questionnaire.survey_questions(year):
            if q["tyyppi"] == "avoin":
                texts += list(survey[q["teksti"]].dropna().astype(str))
    return texts


def test_the_samples_open_answers_keep_their_meaning():
    """Every open answer of the sample (client feedback, volunteers, both survey years): the
    filter removes exactly the contact details and the name planted in two of them, nothing else."""
    texts = _sample_open_answers()
    assert len(texts) > 500
    found = sorted({(f.kind, f.text) for t in texts for f in find(t)})
    assert found == [("nimi", "Maija Virtanen"), ("puhelinnumero", "040 123 4567"),
                     ("puhelinnumero", "040 765 4321"), ("sähköposti", "maija.virtanen@example.fi")]


def test_a_years_open_answers_are_redacted_in_well_under_a_second():
    texts = _sample_open_answers()
    privacy.reading.cache_clear()
    privacy.analyses.cache_clear()
    started = time.perf_counter()
    for t in texts:
        redact(t)
    assert time.perf_counter() - started < 1.0
