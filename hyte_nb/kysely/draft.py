"""The questionnaire catalogue (kysely.yml) drafted from Webropol exports alone:
`python -m hyte_nb kysely luonnos <vienti.xlsx> [<toisen vuoden vienti.xlsx> …]` (README: "Kysely muuttui").

What an export tells: the question texts (headers; `Kysymys - vaihtoehto` for a checkbox option
or a matrix row), each question's kind (a column of 1/empty is a checkbox option, a shared set
of labels under one question is a matrix, numbers are numeric, sentences are open), checkbox
options and matrix rows in their column order, and the answers given. Several years' exports
tell each question's years (alkaen, asti, ei_kysytty) and each checkbox option's or matrix row's.

What it does not tell, so the draft leaves it to the analyst and lists it: the order of
single-choice answers (a known scale in asteikot.yml gives it; otherwise most common first, or
alphabetical in a long list), an answer nobody chose, the report section (osio), the grouping
compared in the group test (ryhmittely), short titles, the reference ids of printed figures,
and whether an answer that appears while another disappears was renamed (`aiemmin`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hyte_nb.core import catalog, read
from hyte_nb.core.clean import TEST_WORDS
from hyte_nb.core.schema import WEBROPOL_FIXED, Export, slug

SEPARATOR = " - "  # Webropol: "Kysymys - vaihtoehto" (checkbox option or matrix row)
LONG_LIST = 10  # a longer nominal list (e.g. municipalities) is drafted in alphabetical order
# Any key makes a section (page 18_kysely_tulokset, headings in osiot:); the bundled survey's own
# pages show these three (kysely/sections.py).
OSIOT = "mikä tahansa avain (otsikko kohdassa osiot:); valmiit kyselysivut: vastaajat, hyte_ohjaus, toimintamalli"
LAST = ("muu ", "muu,", "muut ", "en ", "ei ")  # answers that go after the others ("Muu", "En osaa sanoa")


@dataclass
class Draft:
    """The drafted catalogue and, per question key, what the analyst must still decide."""

    catalogue: dict
    undecided: dict[str, list[str]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    base: str = ""  # the catalogue the draft amends (kysely/amend.py), if any

    def note(self, key: str, text: str) -> None:
        self.undecided.setdefault(key, []).append(text)


# -- reading ---------------------------------------------------------------------------------------
def read_export(path: Path) -> tuple[int, list[str], dict[str, list]]:
    """(year, headers, answers per header) of a Webropol export, test answers and blanks left out."""
    export = Export("kysely", path.name, "Webropol-kyselyn Excel-vienti", "yksi rivi per vastaaja")
    try:
        table = read._read_xlsx(path, export)
    except read.ExportError:
        raise
    except Exception as error:  # noqa: BLE001 - no raw exception reaches the analyst
        raise read.ExportError([f"{path}: tiedostoa ei voitu lukea ({type(error).__name__}: {error}) – "
                                f"odotettiin Webropol-kyselyn Excel-vienti (.xlsx)"]) from error
    headers = [str(h) for h in table.columns]
    missing = [h for h in WEBROPOL_FIXED if h not in headers]
    if missing:
        raise read.ExportError([f"{path}, rivi 1 (otsikkorivi): sarake puuttuu: {m!r} – Webropol-viennissä "
                                f"ovat sarakkeet {', '.join(WEBROPOL_FIXED)} ja kysymykset" for m in missing])
    test = table.apply(lambda col: col.map(lambda v: str(v).strip().lower() in TEST_WORDS)).any(axis=1)
    table = table[~test]
    answers = {h: [v for v in table[h] if not read.is_blank(v)] for h in headers if h not in WEBROPOL_FIXED}
    return year_of(path, table["Lähetysaika"]), [h for h in headers if h not in WEBROPOL_FIXED], answers


def year_of(path: Path, sent) -> int:
    """The survey year: from the file name (hyte_ohjaus_kysely_2025.xlsx), its folder
    (data/raw/2025/kysely/), else the year most answers were sent."""
    for part in (path.stem, *reversed(path.parent.parts)):
        found = re.findall(r"(?<!\d)(20\d\d)(?!\d)", part)
        if found:
            return int(found[-1])
    years = Counter(getattr(v, "year", None) for v in sent if not read.is_blank(v))
    years.pop(None, None)
    if not years:
        raise read.ExportError([f"{path}: vuotta ei saatu tiedostonimestä, kansiosta eikä sarakkeesta Lähetysaika – "
                                f"nimeä tiedosto kuten hyte_ohjaus_kysely_<vuosi>.xlsx"])
    return years.most_common(1)[0][0]


def kind_of(values: list) -> str:
    """checkbox (1/empty), number, open (sentences) or choice (a few labels); empty if no answers."""
    if not values:
        return "empty"
    if all(str(v).strip() == "1" for v in values):
        return "checkbox"
    if all(isinstance(v, (int, float)) or re.fullmatch(r"\s*-?\d+([.,]\d+)?\s*", str(v)) for v in values):
        return "number"
    texts = [str(v).strip() for v in values]
    if len(set(texts)) > 30 or any(len(t) > 60 or t.endswith((".", "!", "?")) for t in texts):
        return "open"
    return "choice"


# -- one year's questionnaire ------------------------------------------------------------------------
def questions_of(headers: list[str], answers: dict[str, list], year: int) -> list[dict]:
    """One export's questions in column order: {teksti, tyyppi, counts | options | rows, notes}."""
    groups: list[tuple[str, list[str]]] = []  # (question text, its headers), consecutive headers grouped
    for header in headers:
        stem, sep, _ = header.partition(SEPARATOR)
        if sep and groups and groups[-1][0] == stem and SEPARATOR in groups[-1][1][0]:
            groups[-1][1].append(header)
        else:
            groups.append((stem if sep else header, [header]))
    out = []
    for stem, columns in groups:
        kinds = {h: kind_of(answers[h]) for h in columns}
        found = set(kinds.values()) - {"empty"}
        if len(columns) > 1 and found <= {"checkbox"}:
            out.append({"teksti": stem, "tyyppi": "monivalinta", "vaihtoehdot": [_rest(h) for h in columns],
                        "empty": [_rest(h) for h in columns if kinds[h] == "empty"]})
        elif len(columns) > 1 and found <= {"choice"}:
            out.append({"teksti": stem, "tyyppi": "matriisi", "rivit": [_rest(h) for h in columns],
                        "counts": sum((Counter(str(v).strip() for v in answers[h]) for h in columns), Counter())})
        else:  # single columns (a lone "A - B" header is a question of its own)
            for h in columns:
                out.append(_single(h, kinds[h], answers[h]))
    for q in out:
        q["year"] = year
    return out


def _rest(header: str) -> str:
    return header.partition(SEPARATOR)[2]


def _single(header: str, kind: str, values: list) -> dict:
    if kind == "checkbox":
        return {"teksti": header.partition(SEPARATOR)[0], "tyyppi": "monivalinta", "vaihtoehdot": [_rest(header)],
                "empty": []}
    if kind == "number":
        numbers = [float(str(v).replace(",", ".")) for v in values]
        return {"teksti": header, "tyyppi": "numero", "vali": [_whole(min(numbers)), _whole(max(numbers))]}
    if kind == "choice":
        return {"teksti": header, "tyyppi": "valinta", "counts": Counter(str(v).strip() for v in values)}
    return {"teksti": header, "tyyppi": "avoin", "empty": kind == "empty"}


def _whole(x: float):
    return int(x) if x == int(x) else x


# -- the order of a single choice's answers --------------------------------------------------------
def scales() -> list[dict]:
    """The known answer scales (kysely/metadata/asteikot.yml, or the project's own)."""
    return catalog.load("hyte_nb.kysely", "asteikot")


def _is_last(option: str) -> bool:
    return option.lower() in ("muu", "muut") or option.lower().startswith(LAST)


def order(counts: Counter) -> tuple[list[str], bool, list[str]]:
    """(answers in order, is it an ordered scale, notes for the analyst) from the answers given."""
    seen = list(counts)
    best = max(scales(), key=lambda s: (len(set(s["vaihtoehdot"]) & set(seen)), -len(s["vaihtoehdot"])))
    inside = [o for o in seen if o in best["vaihtoehdot"]]
    outside = [o for o in seen if o not in best["vaihtoehdot"]]
    if len(inside) >= 2 and all(_is_last(o) for o in outside):
        scale = best["vaihtoehdot"]
        options = [o for o in scale if o in inside]
        # an answer nobody chose is missing from the export: name the scale's gaps
        between = scale[scale.index(options[0]):scale.index(options[-1]) + 1]
        notes = [f"asteikon (asteikot.yml) vaihtoehtoa {o!r} ei valinnut kukaan: lisää se, jos lomakkeella oli"
                 for o in between if o not in options]
        extra = sorted(outside, key=lambda o: -counts[o])
        return options + extra, bool(best["jarjestetty"]), notes
    melko = _melko_scale(seen)
    if melko:
        return melko, True, [f"asteikon suunta ({melko[0]} … {melko[-1]}): tarkista lomakkeelta"]
    if len(seen) > LONG_LIST:
        options = sorted(seen, key=lambda o: (_is_last(o), o.translate(FI_SORT).lower()))
        return options, False, ["vaihtoehtojen järjestys aakkosissa (viennistä ei näe lomakkeen järjestystä): "
                                "tarkista lomakkeelta"]
    options = sorted(seen, key=lambda o: (_is_last(o), -counts[o]))
    notes = ["vaihtoehtojen järjestys yleisimmästä alkaen (viennistä ei näe lomakkeen järjestystä); "
             "järjestetty asteikko? tarkista lomakkeelta"] if len(seen) > 1 else []
    return options, False, notes


FI_SORT = str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}"})  # å, ä, ö after z


def _melko_scale(seen: list[str]) -> list[str] | None:
    """'X, Melko x, Melko y, Y' (a four-point scale no list knows), X and Y at the ends, answers
    such as 'En osaa sanoa' after it."""
    scale = [o for o in seen if not _is_last(o)]
    lower = {o.lower() for o in scale}
    poles = sorted(o for o in scale if f"melko {o.lower()}" in lower)
    if len(scale) != 4 or len(poles) != 2 or lower != {p.lower() for p in poles} | {f"melko {p.lower()}" for p in poles}:
        return None
    by_lower = {o.lower(): o for o in scale}
    first, last = poles
    return ([first, by_lower[f"melko {first.lower()}"], by_lower[f"melko {last.lower()}"], last]
            + [o for o in seen if _is_last(o)])


# -- several years into one catalogue ------------------------------------------------------------------
def draft(paths: list[Path]) -> Draft:
    """The catalogue of every year whose export is given, years and options tied by text."""
    per_year: dict[int, list[dict]] = {}
    for path in paths:
        year, headers, answers = read_export(Path(path))
        if year in per_year:
            raise ValueError(f"{path}: vuoden {year} vienti on annettu kahdesti – anna yksi vienti vuotta kohden")
        per_year[year] = questions_of(headers, answers, year)
    years = sorted(per_year)
    merged: list[list[dict]] = []  # one list of yearly versions per question, in questionnaire order
    for year in years:
        previous = -1
        for q in per_year[year]:
            found = next((i for i, versions in enumerate(merged) if versions[0]["teksti"] == q["teksti"]), None)
            if found is None:
                merged.insert(previous + 1, [q])
                found = previous + 1
            else:
                merged[found].append(q)
            previous = found
    result = Draft({"kysymykset": []}, sources=[str(p) for p in paths], years=years)
    keys: set[str] = set()
    for versions in merged:
        result.catalogue["kysymykset"].append(_entry(versions, years, keys, result))
    result.note("(koko kysely)", "ryhmittely: ryhmävertailun taustakysymyksen avain (esim. ammattiryhmä)")
    result.note("(koko kysely)", "nimi: kyselyn nimi")
    return result


def _key(text: str, keys: set[str]) -> str:
    words = slug(text).split("_")
    key = "_".join(words[:3])
    n = 2
    while key in keys:
        key, n = f"{'_'.join(words[:3])}_{n}", n + 1
    keys.add(key)
    return key


def _entry(versions: list[dict], years: list[int], keys: set[str], result: Draft) -> dict:
    latest = versions[-1]
    kinds = {v["tyyppi"] for v in versions}
    key = _key(latest["teksti"], keys)
    entry = {"key": key, "teksti": latest["teksti"], "tyyppi": latest["tyyppi"]}
    note = lambda text: result.note(key, text)  # noqa: E731
    if len(kinds) > 1:
        note(f"tyyppi vaihtui vuosien välillä ({', '.join(v['tyyppi'] + ' ' + str(v['year']) for v in versions)})")
    asked = [v["year"] for v in versions]
    if latest["tyyppi"] in ("valinta", "matriisi"):
        options, ordered, notes = order(sum((v.get("counts", Counter()) for v in versions), Counter()))
        for text in notes:
            note(text)
        if ordered:
            entry["jarjestetty"] = True
    note(f"osio: {OSIOT}")
    entry["alkaen"] = asked[0]
    if asked[-1] < years[-1]:
        entry["asti"] = asked[-1]
    gaps = [y for y in years if asked[0] < y < asked[-1] and y not in asked]
    if gaps:
        entry["ei_kysytty"] = gaps
    if latest["tyyppi"] == "valinta":
        entry["vaihtoehdot"] = [{"teksti": o} for o in options]
        only_some = {o: [v["year"] for v in versions if o in v.get("counts", {})] for o in options}
        for o, seen in only_some.items():
            if seen and seen != asked:
                note(f"vaihtoehto {o!r} valittiin vain vuosina {', '.join(map(str, seen))}: uusi (alkaen), "
                     f"poistunut (asti) tai uudelleennimetty (aiemmin: [vanha nimi])?")
    elif latest["tyyppi"] == "monivalinta":
        entry["vaihtoehdot"] = _by_years(versions, "vaihtoehdot", asked)
        for v in versions:
            for o in v.get("empty", []):
                note(f"vaihtoehtoa {o!r} ei valinnut kukaan vuonna {v['year']}")
    elif latest["tyyppi"] == "matriisi":
        entry["asteikko"] = options
        entry["rivit"] = _by_years(versions, "rivit", asked)
    elif latest["tyyppi"] == "numero":
        entry["vali"] = [min(v["vali"][0] for v in versions), max(v["vali"][1] for v in versions)]
        note(f"vali (pienin ja suurin sallittu arvo): viennissä {entry['vali'][0]}–{entry['vali'][1]}")
    elif any(v.get("empty") for v in versions):
        note("kukaan ei vastannut: avoin kysymys vai muu tyyppi?")
    return entry


def _by_years(versions: list[dict], part: str, asked: list[int]) -> list[dict]:
    """Checkbox options or matrix rows of every year in column order, each with its own years
    where they differ from the question's."""
    names: list[str] = []
    for v in versions:
        for i, name in enumerate(v[part]):
            if name not in names:
                before = v[part][i - 1] if i else None
                names.insert(names.index(before) + 1 if before in names else len(names), name)
    out = []
    for name in names:
        seen = [v["year"] for v in versions if name in v[part]]
        item = {"teksti": name}
        if seen[0] > asked[0]:
            item["alkaen"] = seen[0]
        if seen[-1] < asked[-1]:
            item["asti"] = seen[-1]
        out.append(item)
    return out


# -- the commented YAML ------------------------------------------------------------------------------
def _scalar(value) -> str:
    return yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**6).strip()[1:-1]


def _flow(item: dict) -> str:
    return "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in item.items()) + "}"


def render(result: Draft) -> str:
    """The draft as YAML, each undecided point a `# TARKISTA:` comment where it belongs."""
    command = "# python -m hyte_nb kysely luonnos " + " ".join(result.sources)
    if result.base:
        lines = [f"# Kyselyluettelo {result.base} ja vuoden {result.years[-1]} viennin muutokset:", command,
                 "# Tarkista jokainen TARKISTA-kohta lomakkeelta; kenttien selitykset: paketin luettelo",
                 "# hyte_nb/kysely/metadata/kysely.yml (README: \"Kysely muuttui\")."]
    else:
        lines = ["# Kyselyluettelon luonnos viennistä:", command,
                 "# Viennistä saatiin kysymysten tekstit, tyypit, vaihtoehdot ja vuodet. Tarkista jokainen",
                 "# TARKISTA-kohta lomakkeelta ja täydennä puuttuvat (osio, ryhmittely); katso kommentit",
                 "# paketin luettelosta hyte_nb/kysely/metadata/kysely.yml (README: \"Kysely muuttui\"). Lyhyet",
                 "# otsikot (lyhyesti) ja julkaistujen lukujen viitetunnukset (id, n_id, valinnat_id) voi lisätä."]
    catalogue = result.catalogue
    if "nimi" not in catalogue:
        lines.append("# TARKISTA: nimi: kyselyn nimi")
    lines.append(f"nimi: {_scalar(catalogue.get('nimi', ''))}")
    if catalogue.get("ryhmittely"):
        lines.append(f"ryhmittely: {_scalar(catalogue['ryhmittely'])}")
    else:
        lines += ["# TARKISTA: ryhmittely: ryhmävertailun taustakysymyksen avain (esim. ammattiryhmä)", "# ryhmittely: "]
    lines.append("kysymykset:")
    for q in catalogue["kysymykset"]:
        notes = [n for n in result.undecided.get(q["key"], []) if not n.startswith("osio")]
        lines.append(f"  - key: {q['key']}")
        lines += [f"    # TARKISTA: {n}" for n in notes]
        for name, value in q.items():
            if name == "key":
                continue
            if name in ("vaihtoehdot", "rivit"):
                lines.append(f"    {name}:")
                lines += [f"      - {_flow(item)}" for item in value]
            elif isinstance(value, list):
                lines.append(f"    {name}: [{', '.join(_scalar(v) for v in value)}]")
            else:
                lines.append(f"    {name}: {_scalar(value)}")
            if name == "tyyppi" and "osio" not in q:
                lines += [f"    # TARKISTA: osio: {OSIOT}", "    # osio: "]
    return "\n".join(lines) + "\n"


def undecided_lines(result: Draft) -> list[str]:
    """What the analyst must decide, one line per question (for the terminal)."""
    return [f"- {key}: " + "; ".join(notes) for key, notes in result.undecided.items()]


def exists_message(target: Path) -> str:
    return (f"{target} on jo olemassa, eikä sitä korvata: anna toinen tiedosto (--ulos "
            f"{target.with_suffix('.luonnos.yml').name}) tai korvaa se valitsimella --korvaa")


def write(result: Draft, target: Path, replace: bool = False) -> Path:
    """Write the draft; an existing file is replaced only when asked (--korvaa)."""
    if target.exists() and not replace:
        raise FileExistsError(exists_message(target))
    text = render(result)
    yaml.safe_load(text)  # the draft must parse as it stands
    target.write_text(text, encoding="utf-8")
    return target
