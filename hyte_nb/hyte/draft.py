"""`python -m hyte_nb hyte luonnos data/raw/<vuosi>/hyte`: the HYTE catalogues drafted from a
year's exports alone, written as commented YAML into the project folder (palvelut.yml,
mittarit.yml, luvut.yml), where they take the place of the bundled ones (core/catalog.py).

What the exports say is drafted: the service areas and their services (with client work, with
events or both), the spellings that are old names or typos of another service (a rare name
close to a common one of the same area), the measurement items with their scales, the measured
client groups with the points they were measured at, the feedback items each service asked,
the volunteer tasks and the materials. What the exports cannot say is listed as undecided, on
stdout and at the top of the file, and never made up: the printed report's reference ids (the
draft's ids are mechanical), which clients are support pairs, the NPS groups, the items' names,
limits and good directions, and which page shows each material's downloads.

An existing catalogue is never overwritten without `--korvaa`; without it the command lists the
services of the exports that the catalogue lacks, with the entry to add and the nearest known
service (a rename goes under that one's `vanhat`).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from hyte_nb.core import period, texts
from hyte_nb.core.clean import CleaningLog, clean_export
from hyte_nb.hyte import exports
from hyte_nb.hyte.catalog import old_names

FILES = ("palvelut", "mittarit", "luvut")
RARE = 5  # a spelling seen at most this many times in each export, beside a common one: an old name or typo
SIMILAR = 0.5  # difflib ratio from which a rare name is taken for another service's old name
CHECK = "TARKISTA"


@dataclass
class Draft:
    year: int
    catalogues: dict[str, dict]  # palvelut, mittarit, luvut
    undecided: list[str] = field(default_factory=list)  # what the analyst decides, in Finnish


def slug(text: str) -> str:
    """An id part: 'Tuki- ja kriisimentorointi' -> 'tuki_ja_kriisimentorointi'."""
    text = text.casefold().translate(str.maketrans("äöåé", "aoae"))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def year_of(raw_dir: Path) -> int | None:
    """data/raw/<vuosi>/hyte -> vuosi."""
    name = Path(raw_dir).resolve().parent.name
    return int(name) if name.isdigit() else None


def read_exports(raw_dir: Path, year: int) -> dict[str, pd.DataFrame]:
    """Every export parsed and rid of junk rows (blank, test, duplicate, another year's) by the
    shared cleaning, without any catalogue check: the catalogue is what is being drafted."""
    log = CleaningLog()
    return {e.key: clean_export(Path(raw_dir) / e.filename, e, year, log) for e in exports.HYTE_EXPORTS}


# -- service areas and services -------------------------------------------------------------------
def _spellings(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, str], dict[tuple[str, str], Counter]]:
    """Area names (casefolded -> the commonest spelling) and per (area, casefolded service) the
    spellings with their rows, counted per export."""
    areas: Counter = Counter()
    services: dict[tuple[str, str], Counter] = {}
    for key in ("asiakastapaamiset", "tapahtumat", "asiakaspalaute", "hyvinvointimittaukset"):
        table = tables[key].dropna(subset=["alue", "palvelu"])
        for (area, service), rows in table.groupby(["alue", "palvelu"]).size().items():
            areas[area] += rows
            services.setdefault((area.casefold(), service.casefold()), Counter())[(service, key)] += rows
    names = {}
    for area, _ in areas.most_common():
        names.setdefault(area.casefold(), area)
    return names, services


def _area_entries(area_names: list[str]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    used: set[str] = set()
    for name in area_names:
        key = slug(name)
        short = next(key[:n] for n in range(3, len(key) + 2) if key[:n] not in used)
        used.add(short)
        out[key] = {"nimi": name, "lyhenne": short}
    return out


def draft_services(tables: dict[str, pd.DataFrame], draft: Draft) -> dict:
    area_names, spellings = _spellings(tables)
    areas = _area_entries(sorted(area_names.values()))
    key_of = {v["nimi"].casefold(): k for k, v in areas.items()}
    total = {k: sum(c.values()) for k, c in spellings.items()}
    most = {k: max(Counter({s: n for (s, _), n in c.items()}).items(), key=lambda kv: kv[1])[0]
            for k, c in spellings.items()}
    # a rare spelling close to a commoner service of the same area: that one's old name or a typo
    olds: dict[tuple[str, str], list[str]] = {}
    for (area, name), counts in spellings.items():
        if max(counts.values()) > RARE:
            continue
        others = [n for (a, n) in spellings if a == area and n != name and total[(a, n)] > total[(area, name)]]
        close = difflib.get_close_matches(name, others, n=1, cutoff=SIMILAR)
        if close:
            olds.setdefault((area, close[0]), []).append(most[(area, name)])
            draft.undecided.append(f"palvelut.yml: {most[(area, name)]!r} ({total[(area, name)]} riviä) on luonnoksessa "
                                   f"palvelun {most[(area, close[0])]!r} vanha nimi tai kirjoitusvirhe (vanhat). "
                                   f"Jos se on oma palvelunsa, tee sille oma rivi.")
    as_old = {(a, n.casefold()) for (a, _), ns in olds.items() for n in ns}
    entries = []
    meetings = {(a.casefold(), s.casefold()) for a, s in tables["asiakastapaamiset"][["alue", "palvelu"]].dropna()
                .drop_duplicates().itertuples(index=False)}
    events = {(a.casefold(), s.casefold()) for a, s in tables["tapahtumat"][["alue", "palvelu"]].dropna()
              .drop_duplicates().itertuples(index=False)}
    for (area, name) in sorted(spellings, key=lambda k: (area_names[k[0]], -total[k])):
        if (area, name) in as_old:
            continue
        key = key_of[area]
        prefix = f"{areas[key]['lyhenne']}_{slug(most[(area, name)])}"
        names = {(area, name)} | {(area, o.casefold()) for o in olds.get((area, name), [])}
        entry = {"alue": key, "palvelu": most[(area, name)]}
        if names & meetings:
            entry["asiakastyo"] = prefix
        if names & events:
            entry["tapahtumat"] = prefix + ("_tapahtumat" if "asiakastyo" in entry else "")
        entry["nps"] = f"{areas[key]['lyhenne']}_nps"
        if olds.get((area, name)):
            entry["vanhat"] = sorted(olds[(area, name)])
        entries.append(entry)
    if any("asiakastyo" in e for e in entries):
        draft.undecided.append("palvelut.yml: asiakastyön palveluiden asiakkaat lasketaan asiakkaina. Jos palvelun "
                               "asiakas on tukipari (vapaaehtoinen ja tuettava), lisää palvelulle asiakkaat: parit.")
    draft.undecided.append("palvelut.yml: suositteluluku (NPS) on luonnoksessa yksi kullekin palvelualueelle "
                           "(nps_ryhmat). Jaa tai yhdistä ryhmiä palveluiden nps-kentällä.")
    draft.undecided.append("palvelut.yml: alueiden tunnukset ja lyhenteet on johdettu nimistä; tunnus nimeää "
                           "alueen sivun ja tekstitiedoston (tekstit/<vuosi>/hyte/<tunnus>.md), lyhenne lukujen "
                           "tunnusten alun.")
    return {"alueet": areas, "palvelut": entries,
            "nps_ryhmat": {f"{a['lyhenne']}_nps": f"{a['nimi']}: suositteluluku" for a in areas.values()}}


# -- measurements ---------------------------------------------------------------------------------
def _scale(values: pd.Series) -> list[int]:
    low, high = int(values.min()), int(values.max())
    if low >= 1 and high <= 5:
        return [1, 5]
    if low >= 0 and high <= 10:
        return [0, 10]
    return [low // 10 * 10, -(-high // 10) * 10]


def draft_items(table: pd.DataFrame, draft: Draft) -> dict:
    items = {}
    for item, values in table.dropna(subset=["mittari", "arvo"]).groupby("mittari")["arvo"]:
        scale = _scale(values.astype(float))
        items[item] = {"nimi": item, "asteikko": scale, **({"raja": 4} if scale == [1, 5] else {})}
    if items:
        draft.undecided.append("mittarit.yml: jokaisen mittarin nimi on luonnoksessa sen tunnus, asteikko päätelty "
                               "havaituista arvoista ja 1–5-mittarin raja 4 (osuus 4–5 vastanneista). Anna nimet "
                               "ja tarkista asteikot ja rajat.")
    return items


def draft_measurements(table: pd.DataFrame, services: dict, items: dict, draft: Draft) -> list[dict]:
    """One block per measured (area, service, group), with the points its items were measured at."""
    areas = {v["nimi"].casefold(): k for k, v in services["alueet"].items()}
    canonical = {}
    for entry in services["palvelut"]:
        for name in [entry["palvelu"], *(o for o, _ in old_names(entry))]:
            canonical[(entry["alue"], name.casefold())] = entry["palvelu"]
    rows = table.dropna(subset=["alue", "palvelu", "mittari"]).copy()
    rows["alue"] = rows["alue"].str.casefold().map(areas)
    rows["palvelu"] = [canonical.get((a, p.casefold()), p) for a, p in zip(rows["alue"], rows["palvelu"])]
    rows["ryhma"] = rows["ryhma"].astype(object).where(rows["ryhma"].notna(), "")
    blocks = []
    short = {k: v["lyhenne"] for k, v in services["alueet"].items()}
    for (area, service, group), block_rows in rows.groupby(["alue", "palvelu", "ryhma"], sort=True):
        points = set(block_rows["kerta"])
        end = "loppu" if "loppu" in points else "väliarvio" if "väliarvio" in points else None
        prefix = "_".join(p for p in (short[area], slug(service), slug(group)) if p)
        block = {"alue": area, "palvelu": service, **({"ryhma": group} if group else {}),
                 **({"loppukerta": "väliarvio"} if end == "väliarvio" else {}),
                 "asiakkaat": {"kaikki": f"{prefix}_asiakkaat"}}
        measured = block_rows.groupby("mittari")["kerta"].agg(set)
        shares, means = {}, {}
        for item, at in measured.items():
            both = "alku" in at and end in at
            if item == "hyvinvointi" and both:
                block["hyvinvointi"] = {"lisaantyi": f"{prefix}_hyv_lisaantyi", "pysyi": f"{prefix}_hyv_pysyi"}
            elif items[item]["asteikko"] == [1, 5] and (both or end in at):
                ids = {p: f"{prefix}_{slug(item)}_{p}" for p in (("alku", "loppu") if both else ("loppu",))}
                if both:
                    ids.update(muutos=f"{prefix}_{slug(item)}_muutos", suunta="väheni")
                shares[item] = ids
            elif both and item != "hyvinvointi":
                means[item] = {"muutos": f"{prefix}_{slug(item)}_muutos", "suunta": "lieveni"}
            else:
                draft.undecided.append(f"luvut.yml: mittari {item} ({service}{', ' + group if group else ''}) on "
                                       f"mitattu vain kerralla {', '.join(sorted(at))}; luonnoksessa siitä ei ole lukua.")
        if shares:
            block["osuudet"] = shares
        if means:
            block["keskiarvot"] = means
        blocks.append(block)
    if blocks:
        draft.undecided.append("luvut.yml: jokaisen muutoksen suunta on luonnoksessa väheni (osuudet) tai lieveni "
                               "(keskiarvot), eli pienempi on parempi. Vaihda nousi tai esim. vahvistuivat "
                               "mittareille, joissa suurempi on parempi.")
    return blocks


# -- feedback, volunteers, downloads -----------------------------------------------------------------
def draft_feedback(table: pd.DataFrame, services: dict, draft: Draft) -> dict:
    areas = {v["nimi"].casefold(): k for k, v in services["alueet"].items()}
    canonical = {(e["alue"], n.casefold()): e["palvelu"] for e in services["palvelut"]
                 for n in [e["palvelu"], *(o for o, _ in old_names(e))]}
    short = {k: v["lyhenne"] for k, v in services["alueet"].items()}
    shares = []
    rows = table.dropna(subset=["alue", "palvelu"])
    answered = rows[list(exports.FEEDBACK_ITEMS)].notna()
    keys = [(areas.get(a.casefold()), canonical.get((areas.get(a.casefold()), p.casefold()), p))
            for a, p in zip(rows["alue"], rows["palvelu"])]
    by_service = answered.groupby(pd.MultiIndex.from_tuples(keys, names=["alue", "palvelu"])).any()
    for (area, service), asked in by_service.iterrows():
        for item in exports.FEEDBACK_ITEMS:
            if asked[item]:
                shares.append({"alue": area, "palvelu": service, "kysymys": item,
                               "id": f"{short[area]}_{slug(service)}_{item}"})
    draft.undecided.append("luvut.yml: avoimien palautteiden lukumäärät (palaute.avoimet) ovat luonnoksessa tyhjiä; "
                           "lisää ne, jotka raportti näyttää.")
    return {"osuudet": shares, "avoimet": []}


def draft_volunteers(tables: dict[str, pd.DataFrame]) -> tuple[dict, dict]:
    tasks = sorted(tables["vapaaehtoisrekisteri"]["tehtava"].dropna().str.lower().unique())
    registry = {"tehtavat": "vap_tehtavat", "henkilot": "vap_henkilot", "keski_ika": "vap_keski_ika",
                "osuudet": {t: f"vap_osuus_{slug(t)}" for t in tasks}}
    survey = tables["vapaaehtoiskysely"]
    answered = [k for k in exports.SURVEY_STATEMENTS if survey[k].notna().any()]
    motives = [k for k in exports.SURVEY_MOTIVES if survey[f"motiivi_{k}"].notna().any()]
    questions = {"vastaajat": "vk_vastaajat", "vaittamat": {k: f"vk_{k}" for k in answered},
                 "motiivit": {k: f"vk_motiivi_{k}" for k in motives},
                 "lopettaminen": "vk_harkitsee_lopettamista", "nps": "vk_nps"}
    return registry, questions


def draft_figures(tables: dict[str, pd.DataFrame], services: dict, items: dict, draft: Draft) -> dict:
    registry, survey = draft_volunteers(tables)
    materials = sorted(tables["materiaalilataukset"]["materiaali"].dropna().unique())
    if materials:
        draft.undecided.append(f"luvut.yml: materiaalien ({', '.join(materials)}) lataukset ovat luonnoksessa "
                               f"kohdassa muut_materiaalit (kelvollisia rivejä, ei lukua). Siirrä lataukset-kohtaan "
                               f"alueen kanssa ne, jotka alueen sivu näyttää.")
    return {"mittaukset": draft_measurements(tables["hyvinvointimittaukset"], services, items, draft),
            "palaute": draft_feedback(tables["asiakaspalaute"], services, draft),
            "vapaaehtoiskysely": survey, "vapaaehtoiset": registry,
            "yleiskatsaus": {}, "muut_materiaalit": materials, "lataukset": []}


def draft(raw_dir: Path, year: int) -> Draft:
    tables = read_exports(raw_dir, year)
    result = Draft(year, {})
    services = draft_services(tables, result)
    items = draft_items(tables["hyvinvointimittaukset"], result)
    figures = draft_figures(tables, services, items, result)
    result.undecided.append("Tunnukset (esim. sen_keskusteluapu_asiakkaat) on muodostettu mekaanisesti. Jos "
                            "täsmäytät julkaistuun raporttiin (data/reference/hyte_<vuosi>_julkaistut_luvut.csv), "
                            "käytä sen tunnuksia.")
    result.catalogues = {"palvelut": services, "mittarit": items, "luvut": figures}
    return result


# -- writing ---------------------------------------------------------------------------------------
HEADERS = {
    "palvelut": "Palveluluettelo: palvelualueet, palvelut ja niiden lukujen tunnukset (hyte_nb/hyte/catalog.py).\n"
                "Uusi palvelu: alkaen: <vuosi tai päivä>; päättynyt: asti: <vuosi tai päivä>; uusi nimi: vanha\n"
                "nimi kohtaan vanhat (pelkkä nimi tai {nimi: Vanha, asti: 2025-03-31}).",
    "mittarit": "Hyvinvointimittarit: nimi, asteikko ja 1–5-mittarin raja (osuus rajasta ylöspäin).",
    "luvut": "Miten luvut lasketaan: mitatut asiakasryhmät, palaute, vapaaehtoiset ja lataukset.",
}


def render(name: str, catalogue: dict, draft: Draft) -> str:
    notes = [u for u in draft.undecided if u.startswith(f"{name}.yml") or (name == "luvut" and ".yml" not in u)]
    lines = [f"# {line}" for line in HEADERS[name].splitlines()]
    lines += [f"# Luonnos vuoden {draft.year} vienneistä: python -m hyte_nb hyte luonnos. Ratkaise kohdat {CHECK}."]
    lines += [f"# {CHECK}: {note}" for note in notes]
    body = yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False, width=110, default_flow_style=None)
    if name == "palvelut":  # one line per service, as in the bundled catalogue
        entries = "\n".join("  - " + yaml.safe_dump(e, allow_unicode=True, sort_keys=False, width=10_000,
                                                     default_flow_style=True).strip()
                            for e in catalogue["palvelut"])
        rest = {k: v for k, v in catalogue.items() if k != "palvelut"}
        body = (yaml.safe_dump({"alueet": rest["alueet"]}, allow_unicode=True, sort_keys=False)
                + "palvelut:\n" + entries + "\n"
                + yaml.safe_dump({"nps_ryhmat": rest["nps_ryhmat"]}, allow_unicode=True, sort_keys=False))
    return "\n".join(lines) + "\n" + body


def missing_services(draft: Draft, root: Path) -> list[str]:
    """The exports' services that the project's palvelut.yml lacks, each with the line to add
    and the nearest service it has (a rename: put the new name under that one's vanhat)."""
    path = Path(root) / "palvelut.yml"
    known = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names = {(e["alue"], n.casefold()) for e in known.get("palvelut", [])
             for n in [e["palvelu"], *(o for o, _ in old_names(e))]}
    area_key = {v["nimi"]: k for k, v in (known.get("alueet") or {}).items()}
    drafted_areas = draft.catalogues["palvelut"]["alueet"]
    out = []
    for entry in draft.catalogues["palvelut"]["palvelut"]:
        area = area_key.get(drafted_areas[entry["alue"]]["nimi"])
        if area is None:
            out.append(f"alue {drafted_areas[entry['alue']]['nimi']!r} puuttuu kohdasta alueet (palvelu "
                       f"{entry['palvelu']!r})")
            continue
        if (area, entry["palvelu"].casefold()) in names:
            continue
        here = [e["palvelu"] for e in known.get("palvelut", []) if e["alue"] == area]
        close = difflib.get_close_matches(entry["palvelu"], here, n=1, cutoff=SIMILAR)
        line = yaml.safe_dump({**entry, "alue": area, "alkaen": draft.year}, allow_unicode=True,
                              default_flow_style=True, sort_keys=False, width=10_000).strip()
        hint = (f"; jos se on palvelun {close[0]!r} uusi nimi, lisää {close[0]!r}:lle vanhat-kohtaan vanha nimi "
                f"ja muuta nimi" if close else "")
        out.append(f"palvelu {entry['palvelu']!r} alueella {area} puuttuu: uutena lisää rivi - {line}{hint}")
    return out


def area_text_stubs(areas: dict[str, dict], root: Path, year: int) -> list[Path]:
    """An empty text file (its parts optional) for each area's page, where the project has texts
    for the report but none for the area: the area's page needs its file."""
    folder, _ = texts.folder_for(root, year, "hyte")
    if folder is None:
        return []
    written = []
    for key, area in areas.items():
        path = folder / f"{key}.md"
        if not path.exists():
            path.write_text(f"<!-- {area['nimi']}: osa \"palvelut\" näkyy palvelutaulukon alla ja osa \"tulokset\" "
                            f"hyvinvointitulosten lopussa; kumpikin saa puuttua tai olla tyhjä. -->\n",
                            encoding="utf-8")
            written.append(path)
    return written


def run(raw_dir: Path, root: Path, year: int | None = None, overwrite: bool = False, out=print) -> int:
    """The command: draft, write what may be written, print the rest. 0 when written or nothing
    is missing, 1 when an existing catalogue lacks services of the exports."""
    raw_dir = Path(raw_dir)
    year = year or year_of(raw_dir) or period.today().year
    result = draft(raw_dir, year)
    existing = [n for n in FILES if (Path(root) / f"{n}.yml").exists()]
    if existing and not overwrite:
        out(f"Projektikansiossa on jo {', '.join(f'{n}.yml' for n in existing)}; niitä ei korvata ilman "
            f"valitsinta --korvaa.")
        missing = missing_services(result, root) if "palvelut" in existing else []
        for line in missing:
            out(f"- {line}")
        if not missing:
            out(f"Palveluluettelossa on jokainen vuoden {year} vientien palvelu.")
        return 1 if missing else 0
    for name in FILES:
        path = Path(root) / f"{name}.yml"
        path.write_text(render(name, result.catalogues[name], result), encoding="utf-8")
        out(f"Kirjoitettu {path}")
    for path in area_text_stubs(result.catalogues["palvelut"]["alueet"], root, year):
        out(f"Kirjoitettu {path}")
    out(f"Ratkaistavaa ({len(result.undecided)}):")
    for note in result.undecided:
        out(f"- {note}")
    return 0
