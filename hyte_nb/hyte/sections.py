"""What the HYTE section notebooks show: activity by service, encounters by area, wellbeing
outcomes, feedback, NPS, volunteers and consented quotes. Figures come from the year's
figures table; the clean tables are read only for quotes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hyte_nb.core import charts, fmt, parameters, privacy
from hyte_nb.core import figures as figures_table
from hyte_nb.core.display import Section, md, show, table
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import catalog, exports, figures

REPORT = "hyte"
CLEANING_NOTEBOOK = "00_puhdistus.ipynb"


@dataclass
class HyteSection(Section):
    """A HYTE section notebook's material: the year's figures table and clean tables, last
    year's figures where they exist, and the published figures for the reconciliation."""

    year: int
    figures: pd.DataFrame
    previous_figures: pd.DataFrame | None
    processed_dir: Path
    reference_file: Path

    def table(self, name: str) -> pd.DataFrame:
        """A clean table of the year (for quotes: figures come from the figures table)."""
        return pd.read_parquet(self.processed_dir / f"{name}.parquet")


def load(folder: Paths) -> HyteSection:
    parameters.require_processed(folder, CLEANING_NOTEBOOK)
    return HyteSection(folder.year, figures_table.read(folder.processed),
                       figures_table.read_if_exists(folder.of_year(folder.year - 1).processed),
                       folder.processed, folder.reference)


# -- activity ---------------------------------------------------------------------------
def activity_table(section: HyteSection, area: str) -> pd.DataFrame:
    """Per service: clients and their encounters, events and theirs (formatted)."""
    rows = []
    for svc in catalog.services(section.year).query("alue == @area").itertuples():
        row = {"Palvelu": svc.palvelu, "Asiakkaita": "", "Asiakastapaamisten kohtaamisia": "",
               "Tapahtumia": "", "Tapahtumien kohtaamisia": ""}
        if svc.id_asiakkaat:
            pairs = svc.id_asiakkaat.endswith("_parit")
            row["Asiakkaita"] = fmt.number(section.value(svc.id_asiakkaat)) + (" paria" if pairs else "")
            row["Asiakastapaamisten kohtaamisia"] = fmt.number(section.value(svc.id_kohtaamiset))
        if svc.id_kerrat:
            row["Tapahtumia"] = fmt.number(section.value(svc.id_kerrat))
            row["Tapahtumien kohtaamisia"] = fmt.number(section.value(svc.id_tapahtumakohtaamiset))
        rows.append(row)
    return pd.DataFrame(rows)


def encounters_by_area(section: HyteSection) -> pd.DataFrame:
    """Encounters per area, in meetings and events (numbers, for charts and shares)."""
    rows = {}
    for key, area in catalog.areas().items():
        p = area["lyhenne"]
        rows[area["nimi"]] = {"Asiakastapaamiset": section.value(f"{p}_asiakaskohtaamiset"),
                              "Tapahtumat": section.value(f"{p}_tapahtumakohtaamiset"),
                              "Osuus": section.value(f"osuus_{key}")}
    return pd.DataFrame(rows).T


# -- wellbeing ---------------------------------------------------------------------------
def wellbeing_blocks(area: str) -> list[dict]:
    return [b for b in catalog.load("luvut")["mittaukset"] if b["alue"] == area]


def outcome_table(section: HyteSection, block: dict) -> pd.DataFrame | None:
    """Items measured at the start and the end: shares and the change in percentage points."""
    items = catalog.load("mittarit")
    end_label = "Väliarvio" if block.get("loppukerta") == "väliarvio" else "Loppumittaus"
    rows = []
    for item, ids in block.get("osuudet", {}).items():
        if "alku" not in ids or "loppu" not in ids:
            continue
        change = section.value(ids["muutos"])
        word = {"väheni": ("Väheni", "Nousi"), "nousi": ("Nousi", "Väheni")}[ids["suunta"]][0 if change >= 0 else 1]
        dec = 1 if 0 < section.value(ids["loppu"]) < 5 else 0  # small shares with one decimal, as printed
        rows.append({"Hyvinvointitulos": items[item]["nimi"], "Alkumittaus": fmt.percent(section.value(ids["alku"])),
                     end_label: fmt.percent(section.value(ids["loppu"]), dec),
                     "Muutos": f"{word} {fmt.percentage_points(abs(change))}",
                     "n": fmt.number(section.n(ids["alku"]))})
    return pd.DataFrame(rows) if rows else None


def single_shares(section: HyteSection, block: dict) -> list[str]:
    """Sentences for items asked only at the end, or whose change alone was printed."""
    items = catalog.load("mittarit")
    lines = []
    for item, ids in block.get("osuudet", {}).items():
        if "alku" in ids and "loppu" in ids:
            continue
        if "loppu" in ids:
            lines.append(f"{items[item]['nimi']}: {fmt.percent(section.value(ids['loppu']))} "
                         f"(n = {fmt.number(section.n(ids['loppu']))})")
        elif "muutos" in ids:
            lines.append(f"{items[item]['nimi']} {ids['suunta']} {fmt.percentage_points(section.value(ids['muutos']))}")
    for item, ids in block.get("keskiarvot", {}).items():
        lines.append(f"{items[item]['nimi']} {ids['suunta']} keskimäärin {fmt.percent(section.value(ids['muutos']))} "
                     f"(n = {fmt.number(section.n(ids['muutos']))})")
    return lines


# -- feedback and quotes -------------------------------------------------------------------
def nps_table(section: HyteSection, area: str | None = None) -> pd.DataFrame:
    names = catalog.load("palvelut")["nps_ryhmat"]
    groups = catalog.services(section.year)
    if area:
        groups = groups[groups["alue"] == area]
    return pd.DataFrame([{"Ryhmä": names[g], "NPS": fmt.nps(section.value(g)), "n": fmt.number(section.n(g))}
                         for g in dict.fromkeys(groups["nps"])])


def feedback_shares(section: HyteSection, area: str) -> pd.DataFrame | None:
    rows = [{"Palvelu": x["palvelu"], "Väittämä": exports.FEEDBACK_ITEMS[x["kysymys"]],
             "Samaa mieltä (4–5)": fmt.percent(section.value(x["id"])), "n": fmt.number(section.n(x["id"]))}
            for x in catalog.load("luvut")["palaute"]["osuudet"] if x["alue"] == area]
    return pd.DataFrame(rows) if rows else None


def open_answer_counts(section: HyteSection, area: str) -> list[str]:
    """Sentences for the printed counts of open answers (e.g. support persons and errand help)."""
    return [f"{' ja '.join(x['palvelut'])}: {fmt.number(section.value(x['id']))} avointa vastausta."
            for x in catalog.load("luvut")["palaute"]["avoimet"] if x["alue"] == area]


def consented_quotes(answers: pd.DataFrame, area: str | None = None) -> list[tuple[str, str]]:
    """(service, text) of open answers whose author allowed quoting, contact details removed."""
    rows = answers[answers["lupa"].fillna(False).astype(bool) & answers["avoin"].notna()]
    if area is not None:
        rows = rows[rows["alue"] == area]
    service = rows["palvelu"] if "palvelu" in rows else pd.Series("", index=rows.index)
    return [(s, privacy.redact(t)) for s, t in zip(service, rows["avoin"])]


# -- wellbeing section of an area --------------------------------------------------------------
def wellbeing_section(section: HyteSection, area: str) -> None:
    for block in wellbeing_blocks(area):
        md(f"### {figures.block_title(block)}")
        if "hyvinvointi" in block:
            ids = block["hyvinvointi"]
            md(f"Hyvinvointi lisääntyi **{fmt.percent(section.value(ids['lisaantyi']))}:lla** ja pysyi yllä "
               f"**{fmt.percent(section.value(ids['pysyi']))}:lla** (n = {fmt.number(section.n(ids['lisaantyi']))}, "
               f"asiakkaat, joilla on sekä alku- että loppumittaus).")
        outcome = outcome_table(section, block)
        if outcome is not None:
            table(outcome, numeric=[c for c in outcome.columns if c != "Hyvinvointitulos"])
            end = [c for c in outcome.columns if c in ("Loppumittaus", "Väliarvio")][0]
            ids = [v for v in block["osuudet"].values() if "alku" in v and "loppu" in v]
            fig = charts.before_after(list(outcome["Hyvinvointitulos"]), [section.value(i["alku"]) for i in ids],
                                     [section.value(i["loppu"]) for i in ids],
                                     f"{figures.block_title(block)}: osuus asiakkaista", end_label=end,
                                     note=f"n = {fmt.number(section.n(ids[0]['alku']))}")
            show(fig)
        lines = single_shares(section, block)
        if lines:
            md("\n".join(f"- {line}" for line in lines))


# -- small lookups the notebooks use -----------------------------------------------------------
def area_names(area: str) -> tuple[str, str]:
    """(display name, figure-id prefix) of a service area key; a Finnish error for a typo."""
    areas = catalog.areas()
    parameters.choice("palvelualue", area, areas)
    return areas[area]["nimi"], areas[area]["lyhenne"]


def encounters_by_service(section: HyteSection, area: str) -> pd.Series:
    """All encounters (client meetings and events) per service of an area."""
    totals = {}
    for svc in catalog.services(section.year).query("alue == @area").itertuples():
        ids = [i for i in (svc.id_kohtaamiset, svc.id_tapahtumakohtaamiset) if i]
        totals[svc.palvelu] = sum(section.value(i) for i in ids)
    return pd.Series(totals)


def volunteer_tasks(section: HyteSection) -> pd.DataFrame:
    spec = catalog.load("luvut")["vapaaehtoiset"]["osuudet"]
    return pd.DataFrame([{"Tehtävä": task, "osuus": section.value(fid)} for task, fid in spec.items()])


def volunteer_statements(section: HyteSection) -> pd.DataFrame:
    spec = catalog.load("luvut")["vapaaehtoiskysely"]["vaittamat"]
    return pd.DataFrame([{"Väittämä": exports.SURVEY_STATEMENTS[key], "osuus": section.value(fid), "n": section.n(fid)}
                         for key, fid in spec.items()])


def volunteer_motives(section: HyteSection) -> pd.DataFrame:
    spec = catalog.load("luvut")["vapaaehtoiskysely"]["motiivit"]
    return pd.DataFrame([{"Motiivi": exports.SURVEY_MOTIVES[key], "osuus": section.value(fid), "n": fmt.number(section.n(fid))}
                         for key, fid in spec.items()])
