"""A questionnaire that changes between years, declared in kysely.yml only (README: "Kysely muuttui"):
a question new this year (`alkaen`), dropped (`asti`, or `ei_kysytty: [vuosi]`), an option or
matrix row added or dropped (its own `alkaen`/`asti`), an option renamed (`aiemmin: [vanha nimi]`:
read under either label, counted under the present one, so the years compare).

An export that differs from the year's questionnaire in a way the catalogue does not declare
stops the cleaning before anything is rendered: the message names the file, the header or
value, the nearest known question or option (difflib) and the command that drafts the fix.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from hyte_nb.core import catalog
from hyte_nb.core.clean import CleaningLog
from hyte_nb.core.read import ROW, ExportError, is_blank
from hyte_nb.core.schema import WEBROPOL_FIXED, Export
from hyte_nb.kysely import questionnaire
from hyte_nb.kysely.questionnaire import earlier_names, title


def command(path: Path) -> str:
    return f"python -m hyte_nb kysely luonnos {path}"


def headers_of(path: Path) -> list[str] | None:
    """The first sheet's header row (None when the file cannot be read: reading it reports why)."""
    try:
        book = load_workbook(path, read_only=True)
        try:
            row = next(book.worksheets[0].iter_rows(max_row=1, values_only=True), ())
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - read_raw names the problem with the file itself
        return None
    return [str(h).strip() for h in row if h is not None]


def known_headers() -> dict[str, str]:
    """Every header any year's questionnaire gives -> what it is ('Kysymys (2023–)')."""
    out = {}
    for q in questionnaire.all_questions():
        years = f"{q.get('alkaen', '')}–{q.get('asti', '')}"
        parts = q.get("vaihtoehdot", []) if q["tyyppi"] == "monivalinta" else q.get("rivit", [])
        if q["tyyppi"] in ("monivalinta", "matriisi"):
            for item in parts:
                for name in [item["teksti"], *earlier_names(item)]:
                    out[f"{q['teksti']} - {name}"] = f"kysymys {q['key']}, vaihtoehto {item['teksti']!r} ({years})"
        else:
            out[q["teksti"]] = f"kysymys {q['key']} ({years})"
    return out


def check_headers(path: Path, export: Export, year: int) -> None:
    """Every header of the file must be a question (or option) of the year's questionnaire, and
    every question of it must be in the file: an undeclared change names the nearest known one."""
    found = headers_of(path)
    if found is None or not set(WEBROPOL_FIXED) <= set(found):
        return  # not a readable Webropol header row: read_raw names what is wrong with the file
    expected = [c.raw for c in export.columns]
    unknown = [h for h in found if h not in expected and h not in WEBROPOL_FIXED]
    missing = [h for h in expected if h not in found and h not in WEBROPOL_FIXED]
    if not unknown and not missing:
        return
    known = known_headers()
    source = questionnaire.source()
    problems = []
    for header in unknown:
        near = difflib.get_close_matches(header, list(known), n=1, cutoff=0.5)
        hint = (f"; lähin tunnettu: {near[0]!r} ({known[near[0]]})" if near else "; lähintä tunnettua kysymystä ei ole")
        problems.append(f"{path}, rivi 1 (otsikkorivi), sarake {header!r}: kysymystä ei ole vuoden {year} "
                        f"kyselylomakkeessa ({source}){hint}. Jos kysymys on uusi tai sen teksti tai vaihtoehto muuttui, "
                        f"kirjaa muutos luetteloon (alkaen: {year}, tai vaihtoehdolle aiemmin: [vanha nimi]); "
                        f"luonnos muutoksesta: {command(path)}")
    for header in missing:
        near = difflib.get_close_matches(header, unknown, n=1, cutoff=0.5)
        hint = f"; löytyi sen sijaan {near[0]!r} (lähin vastine)" if near else ""
        problems.append(f"{path}, rivi 1 (otsikkorivi): sarake puuttuu: {header!r}{hint}. Jos kysymys jäi pois "
                        f"vuoden {year} lomakkeesta, kirjaa se luetteloon ({source}: asti: {year - 1} tai "
                        f"ei_kysytty: [{year}]); luonnos muutoksesta: {command(path)}")
    raise ExportError(problems)


def normaliser(year: int):
    """The cleaning step (clean.clean_export's normalise) that counts a renamed option under its
    present label (logged), and stops on an answer the year's questionnaire does not have."""
    def normalise(raw: pd.DataFrame, export: Export, path: Path, log: CleaningLog) -> pd.DataFrame:
        problems = []
        raw = raw.copy(deep=False)  # a renamed option's cells are replaced in our copy only
        for q in questionnaire.survey_questions(year):
            if q["tyyppi"] != "valinta" or q["teksti"] not in raw:
                continue
            present = {n: o["teksti"] for o in q["vaihtoehdot"] for n in [o["teksti"], *earlier_names(o)]}
            values = raw[q["teksti"]]
            for old, new in present.items():
                where = (values == old).to_numpy(dtype=bool)
                if old != new and where.any():
                    n = int(where.sum())
                    log.add_rows(export.key, path, raw[ROW].to_numpy()[where], "muutettu",
                                 "vaihtoehdon aiempi nimi (kysely.yml: aiemmin)", q["teksti"], [old] * n, [new] * n)
                    raw[q["teksti"]] = values = values.where(~where, new)
            for value in dict.fromkeys(v for v in values if not is_blank(v) and str(v).strip() not in present):
                rows = raw.loc[values == value, ROW].tolist()
                shown_rows = ", ".join(map(str, rows[:5])) + (" …" if len(rows) > 5 else "")
                near = difflib.get_close_matches(str(value), _all_options(q["key"]), n=1, cutoff=0.5)
                hint = f"; lähin tunnettu vaihtoehto: {near[0]!r}" if near else ""
                problems.append(f"{path}, rivi {shown_rows}, sarake {q['teksti']!r}: arvo {str(value)!r} ei ole "
                                f"vuoden {year} lomakkeen vaihtoehto ({', '.join(o['teksti'] for o in q['vaihtoehdot'])})"
                                f"{hint}. Uusi vaihtoehto: lisää se luetteloon (alkaen: {year}); uusi nimi: lisää "
                                f"vaihtoehdolle aiemmin: [vanha nimi]; luonnos muutoksesta: {command(path)}")
        if problems:
            raise ExportError(problems)
        return raw
    return normalise


def _all_options(key: str) -> list[str]:
    return [n for o in questionnaire.question(key).get("vaihtoehdot", []) for n in [o["teksti"], *earlier_names(o)]]


# -- what the year comparison says about a changed questionnaire --------------------------------------------
def option_changes(key: str, previous_year: int, year: int) -> dict[str, str]:
    """Option (or matrix row) -> how the questionnaire changed it between the two years:
    'uusi 2025', 'ei vaihtoehtona 2025', 'nimetty uudelleen (aiemmin: vanha nimi)'."""
    q = questionnaire.question(key)
    out = {}
    for item in q.get("vaihtoehdot", []) + q.get("rivit", []):
        before, now = catalog.in_year(item, previous_year), catalog.in_year(item, year)
        if now and not before:
            out[item["teksti"]] = f"uusi {year}"
        elif before and not now:
            out[item["teksti"]] = f"ei vaihtoehtona {year}"
        elif earlier_names(item):
            out[item["teksti"]] = f"nimetty uudelleen (aiemmin: {', '.join(earlier_names(item))})"
    return out


def asked_in_one_year(previous_year: int, year: int) -> pd.DataFrame:
    """The questions only one of the two years asked: what the comparison cannot compare."""
    rows = []
    for q in questionnaire.all_questions():
        before, now = catalog.asked(q, previous_year), catalog.asked(q, year)
        if before != now:
            rows.append({"Kysymys": title(q),
                         str(previous_year): "kysytty" if before else f"ei kysytty {previous_year}",
                         str(year): "kysytty" if now else f"ei kysytty {year}"})
    return pd.DataFrame(rows, columns=["Kysymys", str(previous_year), str(year)])
