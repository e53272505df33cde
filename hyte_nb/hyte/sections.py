"""What the HYTE section notebooks show: activity by service, encounters by area, wellbeing
outcomes, feedback, NPS, volunteers and the quotes the analyst chose. Figures come from the
year's figures table, each through `Section.luku` so that a figure the published report
printed differently carries its mark; the clean tables are read only for quotes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hyte_nb.core import charts, fmt, parameters
from hyte_nb.core import figures as figures_table
from hyte_nb.core import texts
from hyte_nb.core.display import Section, md, new_page, show, table
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import catalog, exports, figures

REPORT = "hyte"
CLEANING_NOTEBOOK = "00_puhdistus.ipynb"
OVERVIEW, VOLUNTEERS = figures.OVERVIEW, figures.VOLUNTEERS
QUOTED = {"asiakaspalaute": ("vastaus", "palvelu"), "vapaaehtoiskysely": ("vastaaja", None)}  # id, source column


@dataclass
class HyteSection(Section):
    """A HYTE section notebook's material: the year's figures table and clean tables, last
    year's figures where they exist, and the published figures for the reconciliation."""

    year: int
    figures: pd.DataFrame
    previous_figures: pd.DataFrame | None
    processed_dir: Path
    reference_file: Path
    folder: Paths | None = None

    def table(self, name: str) -> pd.DataFrame:
        """A clean table of the year (for quotes: figures come from the figures table)."""
        return pd.read_parquet(self.processed_dir / f"{name}.parquet")


def load(folder: Paths) -> HyteSection:
    parameters.require_processed(folder, CLEANING_NOTEBOOK)
    new_page()
    return HyteSection(folder.year, figures_table.read(folder.processed),
                       figures_table.read_if_exists(folder.of_year(folder.year - 1).processed),
                       folder.processed, folder.reference, folder)


def section_names() -> dict[str, str]:
    """The report's sections as the reconciliation names them, with their page titles."""
    return {OVERVIEW: "Yleiskatsaus", VOLUNTEERS: "Vapaaehtoistoiminta",
            **{key: area["nimi"] for key, area in catalog.areas().items()}}


# -- the overview -------------------------------------------------------------------------------
def scale_figures(section: HyteSection) -> list[tuple[str, str]]:
    """The overview's key figures, as the published report's first page has them."""
    return [(section.luku("asiakkaat"), "asiakasta"), (section.luku("tapahtumat"), "tapahtumaa"),
            (section.luku("kohtaamiset"), "kohtaamista eri palveluissa"),
            (section.luku("nps"), "hyvinvointipalveluiden suositteluluku NPS"),
            (section.luku("vapaaehtoistehtavat"), "vapaaehtoista eri palvelutehtävissä")]


def scale_sentence(section: HyteSection) -> str:
    return (f"Hyvinvointipalveluissa oli yhteensä **{section.luku('kohtaamiset')} kohtaamista**. "
            f"Asiakastapaamisissa kohdattiin {section.luku('asiakastapaamisten_kohtaamiset')} kertaa "
            f"{section.luku('asiakkaat')} asiakkaan kanssa, ja {section.luku('tapahtumat')} tapahtumassa oli "
            f"{section.luku('tapahtumien_kohtaamiset')} kohtaamista.")


def encounters_by_area(section: HyteSection) -> pd.DataFrame:
    """Encounters per area, in meetings and events (numbers, for charts and shares)."""
    rows = {}
    for key, area in catalog.areas().items():
        p = area["lyhenne"]
        rows[area["nimi"]] = {"Asiakastapaamiset": section.value(f"{p}_asiakaskohtaamiset"),
                              "Tapahtumat": section.value(f"{p}_tapahtumakohtaamiset"),
                              "Osuus": section.value(f"osuus_{key}")}
    return pd.DataFrame(rows).T


def area_table(section: HyteSection) -> pd.DataFrame:
    """Encounters per area and in all, formatted, with marks where the published report differs."""
    rows = []
    for key, area in catalog.areas().items():
        p = area["lyhenne"]
        rows.append({"Palvelualue": area["nimi"],
                     "Asiakastapaamisten kohtaamisia": section.luku(f"{p}_asiakaskohtaamiset"),
                     "Tapahtumien kohtaamisia": section.luku(f"{p}_tapahtumakohtaamiset"),
                     "Kohtaamisia yhteensä": section.luku(f"{p}_kohtaamiset"),
                     "Osuus kohtaamisista, %": section.luku(f"osuus_{key}", unit=False)})
    rows.append({"Palvelualue": "Yhteensä",
                 "Asiakastapaamisten kohtaamisia": section.luku("asiakastapaamisten_kohtaamiset"),
                 "Tapahtumien kohtaamisia": section.luku("tapahtumien_kohtaamiset"),
                 "Kohtaamisia yhteensä": section.luku("kohtaamiset"), "Osuus kohtaamisista, %": "100"})
    return pd.DataFrame(rows)


def area_shares_sentence(section: HyteSection) -> str:
    """'Kohtaamisista 35 % oli senioripalveluissa, …' largest first."""
    areas = sorted(catalog.areas().items(), key=lambda kv: -section.value(f"osuus_{kv[0]}"))
    parts = [f"{section.luku(f'osuus_{key}')} {area['nimi'].lower().replace('palvelut', 'palveluissa')}"
             for key, area in areas]
    return "Kohtaamisista oli " + ", ".join(parts[:-1]) + " ja " + parts[-1] + "."


# -- activity of an area ---------------------------------------------------------------------------
def activity_table(section: HyteSection, area: str) -> pd.DataFrame:
    """Per service: clients (or support pairs) and their encounters, events and theirs."""
    rows = []
    for svc in catalog.services(section.year).query("alue == @area").itertuples():
        row = {"Palvelu": svc.palvelu, "Asiakkaita tai tukipareja": "", "Asiakastapaamisten kohtaamisia": "",
               "Tapahtumia": "", "Tapahtumien kohtaamisia": ""}
        if svc.id_asiakkaat:
            row["Asiakkaita tai tukipareja"] = section.luku(svc.id_asiakkaat)
            row["Asiakastapaamisten kohtaamisia"] = section.luku(svc.id_kohtaamiset)
        if svc.id_kerrat:
            row["Tapahtumia"] = section.luku(svc.id_kerrat)
            row["Tapahtumien kohtaamisia"] = section.luku(svc.id_tapahtumakohtaamiset)
        rows.append(row)
    return pd.DataFrame(rows)


def paired_services(section: HyteSection, area: str) -> list[str]:
    """Services whose clients are counted as support pairs (a volunteer and the one supported)."""
    services = catalog.services(section.year).query("alue == @area")
    return [s.palvelu for s in services.itertuples() if s.id_asiakkaat and s.id_asiakkaat.endswith("_parit")]


def pairs_sentence(services: list[str]) -> str:
    names = services[0] if len(services) == 1 else ", ".join(services[:-1]) + " ja " + services[-1]
    return (f"Tukipareina (vapaaehtoinen ja tuettava) on laskettu {'palvelu' if len(services) == 1 else 'palvelut'} "
            f"{names}.")


def area_figures(section: HyteSection, area: str) -> list[tuple[str, str]]:
    """An area page's key figures: encounters in all, clients, events."""
    p = section_prefix(area)
    return [(section.luku(f"{p}_kohtaamiset"), "kohtaamista yhteensä"),
            (section.luku(f"{p}_asiakkaat"), f"asiakasta, {section.luku(f'{p}_asiakaskohtaamiset')} kohtaamista"),
            (section.luku(f"{p}_tapahtumat"), f"tapahtumaa, {section.luku(f'{p}_tapahtumakohtaamiset')} kohtaamista")]


def encounters_by_service(section: HyteSection, area: str) -> pd.Series:
    """All encounters (client meetings and events) per service of an area."""
    totals = {}
    for svc in catalog.services(section.year).query("alue == @area").itertuples():
        ids = [i for i in (svc.id_kohtaamiset, svc.id_tapahtumakohtaamiset) if i]
        totals[svc.palvelu] = sum(section.value(i) for i in ids)
    return pd.Series(totals)


def downloads(section: HyteSection, area: str) -> list[str]:
    """Sentences on material downloads shown on the area's page."""
    by_material: dict[str, list[str]] = {}
    words = {"fi": "suomeksi", "sv": "ruotsiksi", "en": "englanniksi"}
    for item in catalog.load("luvut")["lataukset"]:
        if item["alue"] == area and section.has(item["id"]):
            by_material.setdefault(item["materiaali"], []).append(f"{section.luku(item['id'])} {words[item['kieli']]}")
    return [f"{material}: ladattu {' ja '.join(parts)}." for material, parts in by_material.items()]


# -- wellbeing ---------------------------------------------------------------------------
def wellbeing_blocks(area: str) -> list[dict]:
    return [b for b in catalog.load("luvut")["mittaukset"] if b["alue"] == area]


def outcome_table(section: HyteSection, block: dict) -> pd.DataFrame | None:
    """Items measured at the start and the end: shares and the change in percentage points
    (from the unrounded shares), units in the headers."""
    items = catalog.load("mittarit")
    end_label = "Väliarvio" if block.get("loppukerta") == "väliarvio" else "Loppumittaus"
    rows = []
    for item, ids in block.get("osuudet", {}).items():
        if "alku" not in ids or "loppu" not in ids:
            continue
        change = section.value(ids["muutos"])
        word = {"väheni": ("Väheni", "Nousi"), "nousi": ("Nousi", "Väheni")}[ids["suunta"]][0 if change >= 0 else 1]
        rows.append({"Hyvinvointitulos": items[item]["nimi"],
                     "Alkumittaus, %": section.luku(ids["alku"], unit=False),
                     f"{end_label}, %": section.luku(ids["loppu"], unit=False),
                     "Muutos, prosenttiyksikköä": f"{word} {fmt.number(abs(change))}{section.mark(ids['muutos'])}",
                     "n": fmt.number(section.n(ids["alku"]))})
    return pd.DataFrame(rows) if rows else None


def single_shares(section: HyteSection, block: dict) -> list[str]:
    """Sentences for items asked only at the end, or whose change alone was printed, and for
    changes of a mean."""
    items = catalog.load("mittarit")
    lines = []
    for item, ids in block.get("osuudet", {}).items():
        if "alku" in ids and "loppu" in ids:
            continue
        if "loppu" in ids:
            lines.append(f"{items[item]['nimi']}: {section.luku(ids['loppu'])} (n = {fmt.number(section.n(ids['loppu']))})")
        elif "muutos" in ids:
            lines.append(f"{items[item]['nimi']} {ids['suunta']} {section.luku(ids['muutos'])}")
    for item, ids in block.get("keskiarvot", {}).items():
        lines.append(f"{items[item]['nimi']} {ids['suunta']} keskimäärin {section.luku(ids['muutos'])} "
                     f"(n = {fmt.number(section.n(ids['muutos']))})")
    return lines


def measured_clients(section: HyteSection, block: dict) -> str | None:
    counts = block.get("asiakkaat", {})
    if "alku" in counts and "loppu" in counts:
        end = "väliarviossa" if block.get("loppukerta") == "väliarvio" else "lopetustapaamisessa"
        return (f"Mitattuja asiakkaita oli alkukartoituksessa {section.luku(counts['alku'])} ja {end} "
                f"{section.luku(counts['loppu'])}.")
    if "kaikki" in counts:
        return f"Mitattuja asiakkaita oli {section.luku(counts['kaikki'])}."
    return None


def wellbeing_section(section: HyteSection, area: str) -> None:
    """Every measured client group of the area: the overall wellbeing, the items measured at
    the start and the end (table and chart), and the items measured once."""
    for block in wellbeing_blocks(area):
        md(f"### {figures.block_title(block)}")
        clients = measured_clients(section, block)
        if clients:
            md(clients)
        if "hyvinvointi" in block:
            ids = block["hyvinvointi"]
            md(f"Hyvinvointi lisääntyi **{section.luku(ids['lisaantyi'], ':lla')}** ja pysyi yllä "
               f"**{section.luku(ids['pysyi'], ':lla')}** (n = {fmt.number(section.n(ids['lisaantyi']))}, "
               f"asiakkaat, joilla on sekä alku- että loppumittaus).")
        outcome = outcome_table(section, block)
        if outcome is not None:
            table(outcome, numeric=[c for c in outcome.columns if c != "Hyvinvointitulos"])
            end = "Väliarvio" if block.get("loppukerta") == "väliarvio" else "Loppumittaus"
            ids = [v for v in block["osuudet"].values() if "alku" in v and "loppu" in v]
            fig = charts.before_after(list(outcome["Hyvinvointitulos"]), [section.value(i["alku"]) for i in ids],
                                      [section.value(i["loppu"]) for i in ids],
                                      f"{figures.block_title(block)}: osuus asiakkaista", end_label=end,
                                      note=f"n = {fmt.number(section.n(ids[0]['alku']))}")
            show(fig, numbers_below=True)  # the table above has the chart's numbers
        lines = single_shares(section, block)
        if lines:
            md("\n".join(f"- {line}" for line in lines))


# -- feedback ------------------------------------------------------------------------------------
def nps_table(section: HyteSection, area: str | None = None) -> pd.DataFrame:
    names = catalog.load("palvelut")["nps_ryhmat"]
    groups = catalog.services(section.year)
    if area:
        groups = groups[groups["alue"] == area]
    return pd.DataFrame([{"Ryhmä": names[g], "NPS": section.luku(g), "n": fmt.number(section.n(g))}
                         for g in dict.fromkeys(groups["nps"])])


def nps_sentences(section: HyteSection, area: str) -> list[str]:
    """'Senioripalveluiden suositteluluku NPS on +80 (n = 160).' for each NPS group of the area."""
    return [f"{row['Ryhmä']} NPS on **{row['NPS']}** (n = {row['n']})." for _, row in nps_table(section, area).iterrows()]


def feedback_shares(section: HyteSection, area: str) -> pd.DataFrame | None:
    rows = [{"Palvelu": x["palvelu"], "Väittämä": exports.FEEDBACK_ITEMS[x["kysymys"]],
             "Samaa mieltä (4–5), %": section.luku(x["id"], unit=False), "n": fmt.number(section.n(x["id"]))}
            for x in catalog.load("luvut")["palaute"]["osuudet"] if x["alue"] == area]
    return pd.DataFrame(rows) if rows else None


def open_answer_counts(section: HyteSection, area: str) -> list[str]:
    """Sentences for the printed counts of open answers (e.g. support persons and errand help)."""
    return [f"Palautteissa oli {section.luku(x['id'])} avointa vastausta ({' ja '.join(x['palvelut']).lower()})."
            for x in catalog.load("luvut")["palaute"]["avoimet"] if x["alue"] == area]


# -- quotes ---------------------------------------------------------------------------------------
def quotes(section: HyteSection, table_name: str, area: str | None = None) -> list[texts.Quote]:
    """The quotes of a table (and area) the analyst chose in the year's sitaatit.yml, or every
    consented answer that is not a contact request; personal data removed."""
    answers = section.table(table_name)
    within = answers["alue"] == area if area is not None else None
    id_column, source = QUOTED[table_name]
    root = section.folder.root if section.folder is not None else Path.cwd()
    return texts.choose_quotes(answers, id_column, table_name, texts.quote_selection(root, section.year, REPORT),
                               source, within)


def contact_requests(section: HyteSection) -> dict[str, list[str]]:
    """Consented answers that ask to be contacted (never quoted), by table."""
    found = {name: texts.contact_requests(section.table(name), id_column) for name, (id_column, _) in QUOTED.items()}
    return {name: ids for name, ids in found.items() if ids}


def quote_note(section: HyteSection) -> None:
    """The appendix's account of the quotes: how they were chosen and what was left out."""
    root = section.folder.root if section.folder is not None else Path.cwd()
    chosen = texts.quote_selection(root, section.year, REPORT)
    how = ("Sivuilla näytettävät sitaatit on valittu vuoden sitaattivalinnasta." if chosen else
           "Sivuilla näytetään kaikki avoimet vastaukset, joiden kirjoittaja antoi luvan lainata nimettömänä.")
    requests = contact_requests(section)
    count = sum(len(ids) for ids in requests.values())
    left = ("" if not count else
            f" {count} luvan antaneista vastauksista on yhteydenottopyyntöjä (niissä on puhelinnumero tai "
            f"sähköpostiosoite: {', '.join(i for ids in requests.values() for i in ids)}); niitä ei näytetä "
            f"sitaatteina, vaan ne kuuluvat palvelun hoidettaviksi.")
    md(how + " Sitaateista poistetaan nimet, puhelinnumerot, sähköpostiosoitteet ja henkilötunnukset." + left)


# -- small lookups the notebooks use -----------------------------------------------------------
def area_names(area: str) -> tuple[str, str]:
    """(display name, figure-id prefix) of a service area key; a Finnish error for a typo."""
    areas = catalog.areas()
    parameters.choice("palvelualue", area, areas)
    return areas[area]["nimi"], areas[area]["lyhenne"]


def section_prefix(area: str) -> str:
    return area_names(area)[1]


# -- volunteers -----------------------------------------------------------------------------------
def volunteer_figures(section: HyteSection) -> list[tuple[str, str]]:
    return [(section.luku("vap_tehtavat"), "vapaaehtoista eri vapaaehtoistehtävissä"),
            (section.luku("vap_henkilot"), "yksittäistä vapaaehtoista"),
            (section.luku("vap_keski_ika"), "vapaaehtoisten keski-ikä"),
            (section.luku("vk_nps"), "vapaaehtoistehtävän suositteluluku NPS")]


def volunteer_tasks(section: HyteSection) -> pd.DataFrame:
    spec = catalog.load("luvut")["vapaaehtoiset"]["osuudet"]
    return pd.DataFrame([{"Tehtävä": task, "osuus": section.value(fid)} for task, fid in spec.items()])


def volunteer_statements(section: HyteSection) -> pd.DataFrame:
    spec = catalog.load("luvut")["vapaaehtoiskysely"]["vaittamat"]
    return pd.DataFrame([{"Väittämä": exports.SURVEY_STATEMENTS[key], "osuus": section.value(fid), "n": section.n(fid)}
                         for key, fid in spec.items()])


def volunteer_motives(section: HyteSection) -> pd.DataFrame:
    """Motives: the share of respondents choosing each, formatted, the unit in the header."""
    spec = catalog.load("luvut")["vapaaehtoiskysely"]["motiivit"]
    return pd.DataFrame([{"Motiivi": exports.SURVEY_MOTIVES[key], "Valinneita, %": section.luku(fid, unit=False),
                          "n": fmt.number(section.n(fid))} for key, fid in spec.items()])


def tasks_sentence(section: HyteSection) -> str:
    return (f"Eri vapaaehtoistehtävissä on yhteensä {section.luku('vap_tehtavat')} vapaaehtoista. Osa toteuttaa "
            f"useampaa tehtävää: yksittäisiä vapaaehtoisia on {section.luku('vap_henkilot')}. Vapaaehtoisten "
            f"keski-ikä on {section.luku('vap_keski_ika')}.")
