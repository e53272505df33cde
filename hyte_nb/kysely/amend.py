"""The catalogue in use with a new year's export's changes proposed (`python -m hyte_nb kysely
luonnos <vienti.xlsx>` where kysely.yml already describes the survey; README: "Kysely muuttui").

Everything the analyst decided stays (keys, sections, short titles, reference ids, option
order). The export adds: a question new this year (`alkaen`), a question missing from it
(`asti: <year - 1>`), a checkbox option or matrix row added (`alkaen`) or gone (`asti`), and an
option that looks like a renamed one (`aiemmin: [old label]`, proposed when the labels are
close). Each proposal is a `# TARKISTA:` note: the export cannot say whether a label was renamed
or replaced, nor whether a missing question will come back (`ei_kysytty`).
"""

from __future__ import annotations

import copy
import difflib
from pathlib import Path

import yaml

from hyte_nb.core import catalog
from hyte_nb.kysely import draft
from hyte_nb.kysely.questionnaire import earlier_names

CLOSE = 0.6  # difflib ratio from which a new label is proposed as a renamed old one


def in_use(root: Path) -> tuple[dict, str]:
    """The project's own kysely.yml, else the bundled one, and where it comes from."""
    own = root / "kysely.yml"
    if own.exists():
        return yaml.safe_load(own.read_text(encoding="utf-8")), str(own)
    return catalog.load("hyte_nb.kysely", "kysely"), "hyte_nb/kysely/metadata/kysely.yml"


def proposal(paths: list[Path], base: dict | None, base_name: str = "") -> draft.Draft:
    """One export of the same survey as `base` (at least half its questions known): `base` with
    the export's changes; otherwise a draft from the exports alone."""
    if base is None or len(paths) != 1:
        return draft.draft(paths)
    year, headers, answers = draft.read_export(Path(paths[0]))
    found = draft.questions_of(headers, answers, year)
    known = {q["teksti"] for q in base["kysymykset"]}
    if sum(f["teksti"] in known for f in found) * 2 < len(found):
        return draft.draft(paths)
    return amend(base, base_name, Path(paths[0]), year, found)


def amend(base: dict, base_name: str, path: Path, year: int, found: list[dict]) -> draft.Draft:
    result = draft.Draft(copy.deepcopy(base), sources=[str(path)], years=[year], base=base_name)
    questions = result.catalogue["kysymykset"]
    by_text = {q["teksti"]: q for q in questions}
    keys = {q["key"] for q in questions}
    found_texts = {f["teksti"] for f in found}
    gone = [q for q in questions if catalog.asked(q, year) and q["teksti"] not in found_texts]
    previous = -1
    for f in found:
        q = by_text.get(f["teksti"])
        if q is None:
            entry = draft._entry([f], [year], keys, result)
            near = difflib.get_close_matches(f["teksti"], [g["teksti"] for g in gone], n=1, cutoff=0.5)
            result.note(entry["key"], f"uusi kysymys vuonna {year}" + (
                f"; muistuttaa kysymystä {near[0]!r}, joka puuttuu viennistä: jos vain teksti muuttui, vaihda "
                f"sen teksti ja poista tämä" if near else ""))
            questions.insert(previous + 1, entry)
            previous += 1
            continue
        previous = questions.index(q)
        if f["tyyppi"] != q["tyyppi"]:
            result.note(q["key"], f"tyyppi viennissä {f['tyyppi']}, luettelossa {q['tyyppi']}")
        elif q["tyyppi"] == "valinta":
            _choices(q, f, year, result)
        elif q["tyyppi"] in ("monivalinta", "matriisi"):
            _columns(q, f, "vaihtoehdot" if q["tyyppi"] == "monivalinta" else "rivit", year, result)
    for q in gone:
        q["asti"] = year - 1
        result.note(q["key"], f"puuttuu vuoden {year} viennistä: ehdotettu asti: {year - 1}; jos kysymys palaa "
                              f"myöhemmin, käytä sen sijaan ei_kysytty: [{year}]")
    return result


def _names(item: dict) -> list[str]:
    return [item["teksti"], *earlier_names(item)]


def _rename(item: dict, new: str) -> None:
    item["aiemmin"] = [*earlier_names(item), item["teksti"]]
    item["teksti"] = new


def _renamed(q: dict, name: str, candidates: list[dict], cutoff: float, result: draft.Draft, why: str) -> bool:
    """Propose `name` as the new label of the closest of `candidates` (options the export no longer
    shows), if one is close enough: the option takes it, keeps its old label under `aiemmin`, and
    leaves the candidates; the analyst is told why and how to undo it."""
    near = difflib.get_close_matches(name, [i["teksti"] for i in candidates], n=1, cutoff=cutoff)
    if not near:
        return False
    item = next(i for i in candidates if i["teksti"] == near[0])
    candidates.remove(item)
    _rename(item, name)
    result.note(q["key"], f"{name!r}: ehdotettu vaihtoehdon {near[0]!r} uudeksi nimeksi (aiemmin){why}")
    return True


def _columns(q: dict, f: dict, part: str, year: int, result: draft.Draft) -> None:
    """Checkbox options or matrix rows: added, gone or renamed (one column each)."""
    items = q[part]
    names = f[part]
    now = [i for i in items if catalog.in_year(i, year)]
    vanished = [i for i in now if not set(_names(i)) & set(names)]
    for position, name in enumerate(names):
        if any(name in _names(i) for i in items):
            continue
        if _renamed(q, name, vanished, CLOSE, result,
                    f"; jos se on uusi vaihtoehto, lisää se alkaen: {year} ja anna vanhalle asti: {year - 1}"):
            continue
        before = names[position - 1] if position else None
        at = next((items.index(i) + 1 for i in items if before in _names(i)), len(items))
        items.insert(at, {"teksti": name, "alkaen": year})
        result.note(q["key"], f"{name!r}: uusi vaihtoehto vuonna {year}")
    for item in vanished:
        item["asti"] = year - 1
        result.note(q["key"], f"{item['teksti']!r}: puuttuu vuoden {year} viennistä, ehdotettu asti: {year - 1}")


def _choices(q: dict, f: dict, year: int, result: draft.Draft) -> None:
    """Single-choice answers the catalogue does not know: a renamed option (close to one nobody
    chose this year) or a new one."""
    options = q["vaihtoehdot"]
    chosen = set(f["counts"])
    unchosen = [o for o in options if catalog.in_year(o, year) and not set(_names(o)) & chosen]
    for label in f["counts"]:
        if any(label in _names(o) for o in options):
            continue
        if _renamed(q, label, unchosen, CLOSE - 0.1, result,
                    f", koska kukaan ei valinnut vanhaa; jos se on uusi vaihtoehto, lisää se alkaen: {year}"):
            continue
        last = [i for i, o in enumerate(options) if draft._is_last(o["teksti"])]
        options.insert(last[0] if last else len(options), {"teksti": label, "alkaen": year})
        result.note(q["key"], f"{label!r}: uusi vaihtoehto vuonna {year}; tarkista sen paikka lomakkeen järjestyksessä")
