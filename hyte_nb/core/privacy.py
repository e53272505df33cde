"""No personal data in a deliverable: what is removed from an open answer before it is quoted.

`redact(text)` replaces each finding with a Finnish marker; `find(text)` lists the findings
(kind, place, text); `contains_personal_data(text)` is true exactly when `find` finds something,
i.e. when `redact` would change the text.

What is removed, in this order (a later kind never looks inside an earlier finding):

- **personal identity codes** (henkilötunnus) in every century form: ddmmyy, a century sign
  (``+`` 1800s; ``-``, ``U``–``Y`` 1900s; ``A``–``F`` 2000s), three digits and a check character,
  with a real day and month. Written exactly so, the code is removed whatever its check
  character (a mistyped code is still someone's); written loosely (lower case, spaces, no sign)
  only when its check character is right, which keeps other number-and-letter strings.
- **email addresses**, also written ``nimi(at)example.fi`` / ``nimi [at] example.fi``;
- **phone numbers**: Finnish (``040 123 4567``, ``040-1234567``, ``(09) 1234 567``, ``09-123 4567``,
  ``0800 123 456``) and international (``+358 40 123 4567``, ``+358 (0)40 …``, ``+46 70 123 45 67``);
- **register ids**: the shapes the source systems use, a prefix of one to three letters and five or
  six digits, with or without a hyphen: clients and support pairs ``AS-123456``, ``TP-123456``,
  volunteers ``V123456``, visits ``K000001``, events ``T00001``, feedback answers ``P00001``,
  volunteer tasks ``VT00001`` (a corrected record's ``-V`` suffix included); with a space only
  after those known prefixes (``AS 123456``), so that ``noin 50000 euroa`` stays;
- **street addresses**: a street name followed by a house number (``Mannerheimintie 5 B 12``,
  ``Hämeenkadulla 3``, ``Storgatan 5``, ``Vanha Porvoontie 12 as. 3``). A street name is a word
  whose base form by Voikko ends in a street word (katu, tie, kuja, polku, väylä, raitti, kaari,
  rinne, ranta, tori, aukio, mäki, portti, piha, linja, bulevardi, esplanadi, puistikko), in any
  inflected form, or a Swedish street word (gatan, vägen, gränd, stigen, allén, backen, torget,
  kajen, strand, plan). A number followed by a unit (``Hoitopolulla 2 kuukautta``) is not a
  house number;
- **postal codes with a town** (``00100 Helsinki``, ``FI-40100 Jyväskylä``);
- **names of persons**, found by Finnish morphology: Voikko (voikko-fi) tags first names
  (etunimi) and surnames (sukunimi) in any inflected form (``Ullalle`` → Ulla, ``Virtaselle`` →
  Virtanen) and knows many Swedish names (Erik, Karin, Lindqvist). ``etunimet.txt`` adds the
  Swedish and other names Voikko does not know (Åsa, Mats, Persson); Swedish names inflect only
  in the genitive (``Åsas``), which is recognised too. A capitalised word is a name when

  * inside a sentence, it has a first-name or surname reading (a common word is not
    capitalised there: ``kiitos Toivolle``, ``Perjantaina Satu kuunteli``);
  * at a sentence's start (the text's start, after ``. ! ? : ;``, a line break, an opening
    quote or bracket; not after abbreviations like ``esim.``), a name reading is its only
    reading (``Ullalle``, ``Maija``), or it is followed by a surname (``Toivo Virtanen``).
    ``Kiitos``, ``Hyvä``, ``Toivon`` (toivoa, toivo), ``Aina``, ``Ilman`` are ordinary words there;
  * it stands directly before or after such a name inside a sentence, whatever it is
    (a name Voikko does not know: ``Zlatan Virtanen``, ``Maija Zykova``, ``Åsa Lindqvist``),
    except a place name in a local case, which is taken only directly after a first name in
    the nominative (``Maija Malmille`` is a person, ``Maijalle Jyväskylään`` keeps the town).
    At a sentence's start, only a word Voikko does not know is taken in this way, and only
    before a surname (``Åsa Lindqvist``; not ``Kiitos Virtaselle``).

  Voikko tags some common surnames only as place names (Nieminen, Mäkelä): a place name whose
  base form ends in -nen counts as a surname, and a place name directly after a first name is
  its surname (``Maija Mäkelä``). Where Voikko reads a word as both a surname and something
  else, the other reading wins when the form is one not said of persons: the inessive
  (``Kalliossa``, ``Maunulassa``), another inner local case of a word that is also a common
  noun or a place (``Kalliosta``), a local case of a word that is also a place (``Malmilla``:
  the district Malmi, not Mr Malm), and the genitive of a disease's namesake (``Parkinsonin
  tauti``, ``Aspergerin oireyhtymä``). A service of the catalogue named after a person
  (``Albertin olohuone``) is a service, not a person.

**Place names.** A municipality, town, village or district alone is not personal data and
stays (``Jyväskylässä``, ``Keski-Suomen``): the reports already break answers down by
municipality, and a town names thousands of people. What identifies a person is kept out: a
street address (with its number), a postal code with the town, and a place name attached to a
person's name (removed as part of the name). A street name without a house number stays
(``Hämeenkadun kahvilassa``).

**Known limits.** A first name that is also a common word stays when it starts a sentence
alone (``Onni oli suuri`` keeps ``Onni``), and a name written in lower case or unknown both to
Voikko and to ``etunimet.txt`` with no name next to it stays (``kiitos Zlatanille``).
Organisation and work names built on a name lose it (``Mannerheimin Lastensuojeluliitto``,
``Harry Potteria``), and a town directly after a first name goes with the name
(``Maija Jyväskylästä soitti``): both err on the side of removing.

Voikko is loaded once per process and every word's analysis is cached; all open answers of a
report year are redacted in well under a second (tests/test_personal_data.py measures it).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

MARKERS = {"henkilötunnus": "[henkilötunnus poistettu]", "sähköposti": "[sähköposti poistettu]",
           "puhelinnumero": "[puhelinnumero poistettu]", "tunnus": "[tunnus poistettu]",
           "osoite": "[osoite poistettu]", "nimi": "[nimi poistettu]"}

VOIKKO_MISSING = ("Nimien poisto avovastauksista tarvitsee Voikon: asenna Debianin paketit libvoikko1 ja "
                  "voikko-fi (make system) ja Python-paketti libvoikko (pip install libvoikko).")


@dataclass(frozen=True)
class Finding:
    kind: str  # a key of MARKERS
    start: int
    end: int
    text: str


# -- identity codes ------------------------------------------------------------------------
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
HETU = re.compile(r"(?<![\w+-])(?P<date>\d{6})(?P<gap1>\s?)(?P<sign>[-+A-FU-Ya-fu-y]?)(?P<gap2>\s?)"
                  r"(?P<number>\d{3})(?P<check>[0-9A-Ya-y])(?!\w)")


def hetu_check_character(date: str, number: str) -> str:
    """The check character of the identity code ddmmyy?nnn: CHECK_CHARACTERS[ddmmyynnn mod 31]."""
    return CHECK_CHARACTERS[int(date + number) % 31]


def _is_exact_hetu(match: re.Match) -> bool:
    """Written as the register writes it: no spaces, a century sign, upper case."""
    sign, check = match["sign"], match["check"]
    return (not match["gap1"] and not match["gap2"] and sign != "" and sign == sign.upper()
            and check in CHECK_CHARACTERS)


def _is_hetu(match: re.Match) -> bool:
    """A real day and month, and either written exactly or with the right check character."""
    date = match["date"]
    if not (1 <= int(date[:2]) <= 31 and 1 <= int(date[2:4]) <= 12):
        return False
    return _is_exact_hetu(match) or match["check"].upper() == hetu_check_character(date, match["number"])


# -- contact details and ids ----------------------------------------------------------------
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+(?:@|\s?[(\[]\s?(?:at|ät|a)\s?[)\]]\s?)[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"""(?<![\w+])(?:
      \+\d{1,3}[\s-]?(?:\(0\)[\s-]?)?\d{1,4}(?:[\s-]?\d){4,10}     # +358 40 123 4567, +46 70 123 45 67
    | \(0\d{1,3}\)[\s-]?\d(?:[\s-]?\d){4,8}                       # (09) 1234 567
    | 0\d{1,3}(?:[\s-]?\d){5,9}                                   # 040 123 4567, 09-123 4567
    )(?![\w])""", re.X)
REGISTER_ID = re.compile(r"(?<![\w])(?:[A-Za-zÅÄÖåäö]{1,3}-?\d{5,6}|(?:AS|TP|VT|V|K|T|P)\s\d{5,6})"
                         r"(?:-[A-Za-z])?(?!\w)")

# -- addresses ------------------------------------------------------------------------------
STREET_WORDS = ("katu", "tie", "kuja", "polku", "väylä", "raitti", "kaari", "rinne", "ranta", "tori", "aukio",
                "mäki", "portti", "piha", "linja", "bulevardi", "esplanadi", "puistikko")
# Street words in their inflected stems, for street names Voikko does not analyse; Swedish
# street words (Swedish street names do not inflect in case).
STREET_SURFACE = re.compile(
    r"[A-ZÅÄÖ][\wÅÄÖåäö-]*?(?:"
    r"ka[td]u|tie|kuja|pol(?:k)?u|väylä|rai(?:t)?ti|kaar[eit]|rin(?:ne|tee|nett)|ran(?:t|n)a|tori|aukio|"
    r"m(?:äki|äe|äke)|por(?:t)?ti|piha|linja|bulevardi|esplanadi|puistik(?:k)?o"
    r")[a-zåäö]{0,5}|"
    r"[A-ZÅÄÖ][\wÅÄÖåäö-]*?(?:gatan|gata|vägen|väg|gränden|gränd|stigen|allén|backen|torget|kajen|"
    r"stranden|strand|planen|plan)")
STREET_QUALIFIERS = ("Vanha", "Uusi", "Iso", "Pieni", "Pohjoinen", "Eteläinen", "Itäinen", "Läntinen", "Gamla",
                     "Norra", "Södra", "Östra", "Västra", "Stora", "Lilla")
HOUSE_NUMBER = (r"(?>\d{1,4}(?!\d)(?:\s?[-–]\s?\d{1,4})?"  # 5, 5-7
                r"(?:\s?[A-Za-z](?![\wÅÄÖåäö])(?:\s?\d{1,3}(?!\d))?"  # B 12
                r"|\s?(?:as\.?|asunto|bst\.?)\s?\d{1,3}(?!\d))?)")  # as. 3
# A number followed by a unit counts something: not a house number.
UNITS = (r"(?:kerta|kerran|kertaa|vuo[ts]i|vuotta|vuode|kuukau|kk\b|viik|päiv|tunti|tunni|h\b|min\b|minuut|"
         r"euro|e\b|€|%|km\b|m\b|kpl|henk|hlö|ihmi|las(?:ta|ten)\b|lapsi|aikuis|asiakka|ggr|år|dag|timm|veck|"
         r"månad)")
ADDRESS = re.compile(rf"(?<![\w])(?:(?:{'|'.join(STREET_QUALIFIERS)})\s+)?(?P<street>[A-ZÅÄÖ][\wÅÄÖåäö-]+)"
                     rf"\s+(?P<number>{HOUSE_NUMBER})(?![\d,.]\d)(?!\s*{UNITS})")
POSTAL = re.compile(r"(?<![\w-])(?:FI-?)?\d{5}\s+[A-ZÅÄÖ][\wÅÄÖåäö-]+")

# -- names ----------------------------------------------------------------------------------
WORD = re.compile(r"[^\W\d_]+(?:[-‐'’][^\W\d_]+)*")
SENTENCE_BREAK = re.compile(r"[.!?…:;\n\r\"“”„«»(\[{]|(?:^|\n)\s*[-–•*]\s")
ABBREVIATIONS = {"esim", "ns", "mm", "yms", "tms", "jne", "ym", "ks", "kts", "n", "ca", "t", "terv", "klo", "tri",
                 "rva", "hra", "nti", "prof", "s", "vrt", "mt", "tmv", "bl", "a", "o", "d", "v", "st", "p"}
LOCAL_CASES = {"sisaolento", "sisaeronto", "sisatulento", "ulkoolento", "ulkoeronto", "ulkotulento"}
INNER_LOCAL_CASES = {"sisaolento", "sisaeronto", "sisatulento"}
# Diseases and syndromes named after a person: in the genitive they name the disease.
EPONYMS = {"Parkinson", "Alzheimer", "Asperger", "Tourette", "Sjögren", "Crohn", "Down", "Huntington", "Addison",
           "Cushing", "Hodgkin", "Basedow", "Hashimoto", "Raynaud", "Bechterew", "Menière", "Meniere", "Lyme"}


@dataclass(frozen=True)
class Reading:
    """What is known of one capitalised word."""

    first: bool = False  # a first-name reading
    first_nominative: bool = False  # ... in the nominative (Maija, not Maijalle): a surname may follow
    surname: bool = False  # a surname reading
    other: bool = False  # a reading that is not a person's name (a common word, a place)
    place_local: bool = False  # a place name in a local case (Jyväskylässä), and no name reading
    known: bool = False  # Voikko or etunimet.txt knows the word

    @property
    def name(self) -> bool:
        return self.first or self.surname


_lock = threading.Lock()


@cache
def voikko():
    """The Finnish Voikko, loaded once per process."""
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception as error:  # the C library or the Finnish dictionary is missing
        raise RuntimeError(VOIKKO_MISSING) from error


@lru_cache(maxsize=200_000)
def analyses(word: str) -> tuple[tuple[str, str, str], ...]:
    """Voikko's readings of a word: (class, base form, case)."""
    with _lock:
        result = voikko().analyze(word)
    return tuple((a.get("CLASS", ""), a.get("BASEFORM", ""), a.get("SIJAMUOTO") or "") for a in result)


@cache
def supplement() -> dict[str, tuple[frozenset[str], bool]]:
    """etunimet.txt: name -> (its kinds: etunimi, sukunimi; also an ordinary word?)."""
    names: dict[str, tuple[frozenset[str], bool]] = {}
    section = ""
    path = Path(__file__).resolve().parent / "etunimet.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("["):
            section = line.strip("[]")
            continue
        kind = "etunimi" if section == "etunimet" else "sukunimi"
        for name in line.split():
            kinds, ordinary = names.get(name.rstrip("?"), (frozenset(), False))
            names[name.rstrip("?")] = (kinds | {kind}, ordinary or name.endswith("?"))
    return names


def known_to_voikko() -> list[str]:
    """Names of etunimet.txt that this Voikko knows as names of the same kind (they may be
    dropped from the list)."""
    return [n for n, (kinds, _) in supplement().items() if kinds <= {c for c, _, _ in analyses(n)}]


@cache
def service_phrases() -> frozenset[tuple[str, str]]:
    """Service names of the catalogue that begin with a person's name ("Albertin olohuone"):
    (that word, the first five letters of the next word). In a quote they name the service,
    not a person, so "Albertin olohuoneessa" stays."""
    try:
        from hyte_nb.core import catalog

        services = catalog.load("hyte_nb.hyte", "palvelut")["palvelut"]
    except Exception:  # no catalogue: nothing is exempt
        return frozenset()
    phrases = set()
    for service in services:
        for name in [service["palvelu"], *(o["nimi"] if isinstance(o, dict) else o for o in service.get("vanhat") or [])]:
            words = WORD.findall(name)
            for first, second in zip(words, words[1:]):
                if first[0].isupper() and reading(first).name:
                    phrases.add((first, second[:5].lower()))
    return frozenset(phrases)


def _titled(word: str) -> str:
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-")) if word.isupper() else word


@lru_cache(maxsize=200_000)
def reading(word: str) -> Reading:
    """A capitalised word's readings, from Voikko and etunimet.txt."""
    word = _titled(word)
    found = list(analyses(word))
    extra = supplement().get(word)
    if not found and extra is None and len(word) > 2 and word[-1] == "s":  # Swedish genitive: Åsas, Eriks
        stem = word[:-1]
        found = [a for a in analyses(stem) if a[0] in ("etunimi", "sukunimi")]
        extra = supplement().get(stem)
    if not found and extra is None and "-" in word:  # a double name Voikko does not know: Ann-Sofie
        parts = [reading(p) for p in word.split("-") if p]
        if any(p.name for p in parts):
            return Reading(first=any(p.first for p in parts), first_nominative=any(p.first_nominative for p in parts),
                           surname=any(p.surname for p in parts), known=True)
    first = any(c == "etunimi" for c, _, _ in found) or (extra is not None and "etunimi" in extra[0])
    first_nominative = any(c == "etunimi" and case in ("nimento", "") for c, _, case in found) or (
        extra is not None and "etunimi" in extra[0] and word in supplement())
    surname = any(c == "sukunimi" for c, _, _ in found) or (extra is not None and "sukunimi" in extra[0])
    places = [(b, case) for c, b, case in found if c == "paikannimi"]
    if any(b.endswith("nen") for b, _ in places):  # Nieminen, Lahtinen: surnames Voikko tags as places
        surname = True
    other = any(c not in ("etunimi", "sukunimi") for c, _, _ in found) or (extra is not None and extra[1])
    surname_cases = {case for c, _, case in found if c == "sukunimi"}
    if surname and not first and surname_cases:
        if surname_cases <= {"sisaolento"}:
            surname = False  # Maunulassa, Kalliossa: "in" a person is not said of a person
        elif other and surname_cases <= INNER_LOCAL_CASES:
            surname = False  # Kalliosta, Kallioon with a common or place reading: a place
        elif places and all(case in LOCAL_CASES for _, case in places) and not any(
                b.endswith("nen") for b, _ in places):
            surname = False  # Malmilla, Malmille (Malmi, a district; Malm, a surname): a place
        elif surname_cases == {"omanto"} and {b for c, b, _ in found if c == "sukunimi"} <= EPONYMS:
            surname = False  # Parkinsonin tauti, Aspergerin oireyhtymä
    place_local = bool(places) and not (first or surname) and any(case in LOCAL_CASES for _, case in places)
    return Reading(first=first, first_nominative=first_nominative, surname=surname, other=other,
                   place_local=place_local, known=bool(found) or extra is not None)


def _names(text: str) -> list[tuple[int, int]]:
    """Spans of persons' names in the text (earlier findings masked with zeros, so they are
    neither words nor sentence breaks). Only capitalised words can be names; each knows whether
    it starts a sentence and whether it follows the previous capitalised word with only spaces
    between."""
    words, starts, linked = [], [], []
    previous, previous_capital = None, -2
    for index, match in enumerate(WORD.finditer(text)):
        if match[0][0].isupper():
            before = text[previous.end() if previous else 0:match.start()]
            start = previous is None and not before.strip() or bool(SENTENCE_BREAK.search(before))
            if start and previous is not None and before.strip() == "." and previous[0].lower() in ABBREVIATIONS:
                start = False  # esim. Hannalta, t. Pekka
            words.append(match)
            starts.append(start)
            linked.append(previous_capital == index - 1 and before != "" and not before.strip() and "\n" not in before)
            previous_capital = index
        previous = match
    n = len(words)
    if not n:
        return []
    readings = [reading(w[0]) for w in words]

    def joined(i: int) -> bool:  # capitalised words i and i + 1 stand side by side
        return i + 1 < n and linked[i + 1]

    anchor = [False] * n
    for i, r in enumerate(readings):
        if not r.name:
            continue
        if not starts[i] or not r.other:
            anchor[i] = True
        elif joined(i) and (readings[i + 1].surname or not readings[i + 1].known):
            anchor[i] = True  # Toivo Virtanen, Satu Zykova
    phrases = service_phrases()
    for i, w in enumerate(words):
        if anchor[i] and phrases and text[w.end():w.end() + 1] == " ":
            following = WORD.match(text, w.end() + 1)
            if following and (w[0], following[0][:5].lower()) in phrases:
                anchor[i] = False  # Albertin olohuoneessa: a service, not a person
    name = list(anchor)
    changed = True
    while changed:  # words next to a name: its unknown parts (Zlatan Virtanen, Maija Zykova)
        changed = False
        for i, r in enumerate(readings):
            if name[i]:
                continue
            after = i > 0 and linked[i] and (anchor[i - 1] or name[i - 1] and not r.known)
            before = joined(i) and (anchor[i + 1] or name[i + 1] and not r.known)
            if r.place_local:  # Maija Malmille, Kari Lahdelle; but Maijalle Jyväskylään stays
                ok = after and anchor[i - 1] and readings[i - 1].first_nominative
            elif starts[i]:
                ok = before and not r.known and readings[i + 1].surname
            else:
                ok = after or before
            if ok:
                name[i] = changed = True
    spans, i = [], 0
    while i < n:
        if name[i]:
            j = i
            while j + 1 < n and name[j + 1] and linked[j + 1]:
                j += 1
            spans.append((words[i].start(), words[j].end()))
            i = j + 1
        else:
            i += 1
    return spans


def _is_street(word: str) -> bool:
    """Voikko's base form ends in a street word (Hämeenkadulla → Hämeenkatu); a word Voikko
    does not know, by its ending (Storgatan, Mannerheimvägen)."""
    found = analyses(_titled(word))
    if not found:
        return STREET_SURFACE.fullmatch(word) is not None
    return any(base.lower().endswith(STREET_WORDS) and base.lower() not in STREET_WORDS for _, base, _ in found)


def find(text: str) -> list[Finding]:
    """Every piece of personal data in the text, in order of place."""
    if not isinstance(text, str) or not text:
        return []
    spans: list[tuple[int, int, str]] = []

    def free(start: int, end: int) -> bool:
        return not any(start < e and s < end for s, e, _ in spans)

    def add(kind: str, start: int, end: int) -> None:
        if free(start, end):
            spans.append((start, end, kind))

    hetus = [m for m in HETU.finditer(text) if _is_hetu(m)]
    for m in hetus:  # written exactly; loosely written ones after the phone numbers (0101011234)
        if _is_exact_hetu(m):
            add("henkilötunnus", m.start(), m.end())
    for kind, pattern in (("sähköposti", EMAIL), ("puhelinnumero", PHONE)):
        for m in pattern.finditer(text):
            add(kind, m.start(), m.end())
    for m in hetus:
        add("henkilötunnus", m.start(), m.end())
    for m in POSTAL.finditer(text):  # before ids: FI-00100 is a postal code
        add("osoite", m.start(), m.end())
    for m in REGISTER_ID.finditer(text):
        add("tunnus", m.start(), m.end())
    for m in ADDRESS.finditer(text):
        if _is_street(m["street"]):
            add("osoite", m.start(), m.end())
    masked, last = [], 0
    for s, e, _ in sorted(spans):
        masked += [text[last:s], "0" * (e - s)]
        last = e
    masked.append(text[last:])
    for start, end in _names("".join(masked)):
        add("nimi", start, end)
    return [Finding(kind, s, e, text[s:e]) for s, e, kind in sorted(spans)]


def redact(text: str) -> str:
    """The text with every finding replaced by its marker ([nimi poistettu], [osoite poistettu],
    …). A street address and the postal code after it become one marker."""
    if not isinstance(text, str):
        return text
    out, last, previous = [], 0, None
    for f in find(text):
        between = text[last:f.start]
        if previous == f.kind == "osoite" and re.fullmatch(r",?\s*", between):
            last = f.end  # Mannerheimintie 5, 00100 Helsinki: one address
            continue
        out += [between, MARKERS[f.kind]]
        last, previous = f.end, f.kind
    out.append(text[last:])
    return "".join(out)


def contains_personal_data(text: str) -> bool:
    """Would redact change the text?"""
    return bool(find(text))
