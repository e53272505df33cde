"""What the HYTE section notebooks show: activity by service, encounters by area, wellbeing
outcomes, feedback, NPS, volunteers and the quotes the analyst chose. Figures come from the
year's figures table, each through `Section.luku` so that a figure the published report
printed differently carries its mark; the clean tables are read only for quotes.

Small-count suppression (`hidden_figures`): clients per service and per area, the n of each
NPS group, feedback items answered by 1-4 clients, volunteers per task and the wellbeing
outcomes (per-client health-related records) are person breakdowns, so a public page shows a
count of 1-4 as '< 5' and hides what could give it away ('..'). Encounters, events and
downloads are not persons and are shown as they are; so are the volunteer survey's answers.
`Section.luku` shows every hidden figure as its mark, so each page, the folded list of the
section's figures and the index hide the same ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hyte_nb.core import charts, fmt, parameters, suppression
from hyte_nb.core import figures as figures_table
from hyte_nb.core import texts
from hyte_nb.core.display import Hidden, Page, Section
from hyte_nb.core.suppression import HIDDEN, PERSONS
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import catalog, evidence, exports, figures

REPORT = "hyte"
CLEANING_NOTEBOOK = "00_puhdistus.ipynb"
APPENDIX = "00_puhdistus.html"  # the cleaning page, where the project folder declares no other
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
    appendix = APPENDIX

    def table(self, name: str) -> pd.DataFrame:
        """A clean table of the year (for quotes: figures come from the figures table)."""
        return pd.read_parquet(self.processed_dir / f"{name}.parquet")

    def hidden_figures(self, figures: pd.DataFrame, year: int) -> dict[str, Hidden]:
        return hidden_figures(figures, year, self.suppression_settings)

    def difference(self, fid: str) -> str:
        """{id.ero}: a wellbeing change in the words its test in the appendix allows."""
        return evidence.change_phrase(self, fid)


# -- small-count suppression ------------------------------------------------------------------------
def hidden_figures(figures: pd.DataFrame, year: int, config: suppression.Settings | None = None) -> dict[str, Hidden]:
    """The figures of a HYTE figures table (any year's) that a public page hides, with their
    marks. Person breakdowns only:
    - clients (or support pairs) per area, the total `asiakkaat` printed; per service of each
      area, the area's clients printed as their total (where an area's count is hidden, so are
      its services', which would add up to it);
    - the n of each NPS group (over all groups, so that every page hides the same ones; the
      overall NPS's n is their total): the n shows the mark, the NPS '..';
    - a count of open answers;
    - volunteers per task (counts from the task shares of all tasks);
    - wellbeing outcomes: clients measured;
    - then every derived figure by `suppression.derived`: a share, change, NPS or mean computed
      from a count of 1-4 persons (a wellbeing share of n clients whose either side is 1-4, a
      change whose start or end share has, a feedback item answered by 1-4 clients, a mean of
      1-4 clients) or from a hidden figure.
    Empty when suppression is off."""
    config = config or suppression.settings()
    if not config.on or figures.empty:
        return {}
    hidden: dict[str, Hidden] = {}

    def have(ids, column: str = "arvo") -> list[str]:
        """The ids the table has, with a value in `column` (a group nobody answered has none)."""
        return [i for i in ids if i and i in figures.index and pd.notna(figures.loc[i, column])]

    def put(fid: str, value: str, n: str = "") -> None:
        hidden.setdefault(fid, Hidden(value, n))  # the first mark stands ('< 5' before '..')

    def breakdown(ids: list[str], counts: pd.Series, total: str | None) -> suppression.Suppression:
        s = suppression.one_way(pd.Series(counts.to_numpy(dtype=float), index=ids), kind=PERSONS,
                                total=total is not None, config=config)
        for fid, mark in s.marks().items():
            if mark:
                put(fid, mark)
        if total is not None and s.total_hidden:
            put(total, s.total_text())
        return s

    # clients per area, and per service of each area
    areas = catalog.areas()
    area_ids = have(f"{a['lyhenne']}_asiakkaat" for a in areas.values())
    total = "asiakkaat" if "asiakkaat" in figures.index else None
    if area_ids:
        breakdown(area_ids, figures.loc[area_ids, "arvo"], total)
    services = catalog.services(year)
    per_area = {f"{area['lyhenne']}_asiakkaat": have(services.loc[services["alue"] == key, "id_asiakkaat"])
                for key, area in areas.items()}
    for area_id, ids in per_area.items():
        if ids:
            breakdown(ids, figures.loc[ids, "arvo"], area_id if area_id in figures.index else None)
    # An area's count hidden because of its services (or among the areas) leaves the areas'
    # line with one hidden count that the total gives away: hide the smallest other one too;
    # a hidden area's services would add up to it: hide them as well. Until nothing changes.
    changed = True
    while changed:
        changed = False
        hidden_areas = [a for a in area_ids if a in hidden]
        shown_areas = sorted((a for a in area_ids if a not in hidden), key=lambda a: figures.loc[a, "arvo"])
        if len(hidden_areas) == 1 and total is not None and total not in hidden and shown_areas:
            put(shown_areas[0], HIDDEN)
            changed = True
        for area_id in [a for a in area_ids if a in hidden]:
            for fid in per_area.get(area_id, []):
                if fid not in hidden:
                    put(fid, HIDDEN)
                    changed = True

    # NPS groups: the group's n is the count
    groups = have(load_nps_groups(), "n")
    if groups:
        s = suppression.one_way(pd.Series(figures.loc[groups, "n"].to_numpy(dtype=float), index=groups),
                                kind=PERSONS, total="nps" in figures.index, config=config)
        for fid, mark in s.marks().items():
            if mark:
                put(fid, HIDDEN, mark)
        if "nps" in figures.index and s.total_hidden:
            put("nps", HIDDEN, s.total_text())

    # feedback: counts of open answers (an item answered by 1-4 clients: `suppression.derived` below)
    spec = catalog.load("luvut")
    for item in spec["palaute"]["avoimet"]:
        if item["id"] in figures.index:
            value = int(figures.loc[item["id"], "arvo"])
            if suppression.count(value, kind=PERSONS, config=config) != fmt.number(value):
                put(item["id"], config.mark)

    # volunteers per task: the shares' counts of the volunteers in tasks
    tasks = have(have(spec["vapaaehtoiset"]["osuudet"].values()), "n")
    if tasks:
        counts = suppression.counts_from_shares(figures.loc[tasks, "arvo"], figures.loc[tasks, "n"].to_numpy(dtype=float))
        s = suppression.one_way(pd.Series(counts.to_numpy(), index=tasks), kind=PERSONS,
                                total="vap_tehtavat" in figures.index, config=config)
        for fid in tasks:
            if s.hidden[fid]:
                put(fid, HIDDEN)  # a share: the chart's label carries the count's mark
        if "vap_tehtavat" in figures.index and s.total_hidden:
            put("vap_tehtavat", s.total_text())

    # wellbeing outcomes: the clients measured (their shares, changes and means: below)
    for block in spec["mittaukset"]:
        for fid in have((block.get("asiakkaat") or {}).values()):
            value = int(figures.loc[fid, "arvo"])
            if suppression.count(value, kind=PERSONS, config=config) != fmt.number(value):
                put(fid, config.mark)

    # every share, change, NPS and mean computed from a small count of persons or from a hidden
    # figure (the figures table says what each comes from): one rule for every report
    for fid, (value, n) in suppression.derived(figures, hidden, config).items():
        put(fid, value, n)

    # the overview's copies of section figures (hyte/figures.py) hide with their originals
    for copy, original in COPIES.items():
        if copy in figures.index and original in hidden:
            put(copy, *hidden[original])
    return hidden


COPIES = {"vapaaehtoistehtavat": "vap_tehtavat", "hyvinvointi_lisaantyi": "per_hyv_lisaantyi"}


def hidden_in(folder: Paths) -> dict[str, Hidden]:
    """The figures the year's public pages hide (for a page built outside a notebook: the
    report's index with its headline figures, hyte_nb/pipeline/index.py): {} before the figures
    are computed. The threshold is the project folder's (organisaatio.yml)."""
    figures = figures_table.read_if_exists(folder.processed)
    return {} if figures is None else hidden_figures(figures, folder.year, suppression.settings(folder.root))


def load_nps_groups() -> list[str]:
    return list(catalog.load("palvelut")["nps_ryhmat"])


def load(folder: Paths) -> HyteSection:
    parameters.require_processed(folder, CLEANING_NOTEBOOK)
    from hyte_nb import reports

    # Last year's figures, or in a running year last year's for the same period (core/figures.py).
    section = HyteSection(folder.year, figures_table.read(folder.processed),
                          figures_table.previous(folder.processed, folder.comparison.processed),
                          folder.processed, folder.reference, folder)
    section.appendix = reports.appendix(REPORT, folder.root, APPENDIX)
    return section


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
    return _phrase("laajuus", **{fid: section.luku(fid) for fid in (
        "kohtaamiset", "asiakastapaamisten_kohtaamiset", "asiakkaat", "tapahtumat", "tapahtumien_kohtaamiset")})


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
    return _phrase("alueiden_osuudet", osuudet=", ".join(parts[:-1]) + " ja " + parts[-1])


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
    return _phrase("tukiparit", palvelu="palvelu" if len(services) == 1 else "palvelut", nimet=names)


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
    return [_phrase("lataukset", materiaali=material, maarat=" ja ".join(parts)) for material, parts in by_material.items()]


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
        # 'Väheni 49' only where the appendix's test supports a change (hyte.evidence)
        shown_change = (section.luku(ids["muutos"]) if section.is_hidden(ids["muutos"])  # hidden with its share
                        else evidence.change_text(section, ids))
        rows.append({"Hyvinvointitulos": items[item]["nimi"],
                     "Alkumittaus, %": section.luku(ids["alku"], unit=False),
                     f"{end_label}, %": section.luku(ids["loppu"], unit=False),
                     "Muutos, prosenttiyksikköä": shown_change,
                     "n": section.n_text(ids["alku"])})
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
            lines.append(f"{items[item]['nimi']}: {section.luku(ids['loppu'])} (n = {section.n_text(ids['loppu'])})")
        elif "muutos" in ids and section.is_hidden(ids["muutos"]):
            lines.append(_phrase("muutos_piilotettu", nimi=items[item]["nimi"], merkki=section.luku(ids["muutos"]),
                                 raja=suppression.settings().threshold))
        elif "muutos" in ids:
            lines.append(f"{items[item]['nimi']} {ids['suunta']} {section.luku(ids['muutos'])}")
    for item, ids in block.get("keskiarvot", {}).items():
        if section.is_hidden(ids["muutos"]):
            lines.append(_phrase("keskiarvo_piilotettu", nimi=items[item]["nimi"], merkki=section.luku(ids["muutos"]),
                                 raja=suppression.settings().threshold, n=section.n_text(ids["muutos"])))
            continue
        lines.append(_phrase("keskiarvon_muutos", nimi=items[item]["nimi"], suunta=ids["suunta"],
                             muutos=section.luku(ids["muutos"]), n=section.n_text(ids["muutos"])))
    return lines


def measured_clients(section: HyteSection, block: dict) -> str | None:
    counts = block.get("asiakkaat", {})
    if "alku" in counts and "loppu" in counts:
        end = "väliarviossa" if block.get("loppukerta") == "väliarvio" else "lopetustapaamisessa"
        return _phrase("mitatut_alku_loppu", alku=section.luku(counts["alku"]), loppukerta=end,
                       loppu=section.luku(counts["loppu"]))
    if "kaikki" in counts:
        return _phrase("mitatut", kaikki=section.luku(counts["kaikki"]))
    return None


def wellbeing_sentence(section: HyteSection, ids: dict) -> str:
    """'Hyvinvointi lisääntyi 69 %:lla ja pysyi yllä 25 %:lla (n = 109, …).' A share hidden by
    small-count suppression is left out of the sentence and named after it, with its mark."""
    rose, stayed = ids["lisaantyi"], ids["pysyi"]
    base = _phrase("hyvinvointi_perusta", n=section.n_text(rose))
    if not section.is_hidden(rose) and not section.is_hidden(stayed):
        return _phrase("hyvinvointi", lisaantyi=section.luku(rose, ":lla"), pysyi=section.luku(stayed, ":lla"),
                       perusta=base)
    if section.is_hidden(rose) and section.is_hidden(stayed):
        return _phrase("hyvinvointi_piilotettu", lisaantyi=section.luku(rose), pysyi=section.luku(stayed), perusta=base)
    if section.is_hidden(stayed):
        return _phrase("hyvinvointi_lisaantyi", lisaantyi=section.luku(rose, ":lla"), pysyi=section.luku(stayed),
                       perusta=base)
    return _phrase("hyvinvointi_pysyi", pysyi=section.luku(stayed, ":lla"), lisaantyi=section.luku(rose), perusta=base)


def _chart_value(section: HyteSection, fid: str) -> float:
    """A share for a chart: NaN (no dot, no bar) where it is hidden."""
    return float("nan") if section.is_hidden(fid) else section.value(fid)


def _marked_labels(section: HyteSection, labels: list[str], ids: list[dict]) -> list[str]:
    """Chart labels, each with the marks of its hidden shares: 'Toivottomuus (..)'."""
    out = []
    for label, item in zip(labels, ids):
        marks = list(dict.fromkeys(section.hidden[item[p]].value for p in ("alku", "loppu")
                                   if section.is_hidden(item[p])))
        out.append(f"{label} ({', '.join(marks)})" if marks else label)
    return out


def wellbeing_section(section: HyteSection, area: str) -> None:
    """Every measured client group of the area: the overall wellbeing, the items measured at
    the start and the end (table and chart), and the items measured once."""
    page = Page(section)
    for block in wellbeing_blocks(area):
        page.md(f"### {figures.block_title(block)}")
        clients = measured_clients(section, block)
        if clients:
            page.md(clients)
        if "hyvinvointi" in block:
            page.md(wellbeing_sentence(section, block["hyvinvointi"]))
        outcome = outcome_table(section, block)
        if outcome is not None:
            page.table(outcome, numeric=[c for c in outcome.columns if c != "Hyvinvointitulos"])
            end = "Väliarvio" if block.get("loppukerta") == "väliarvio" else "Loppumittaus"
            ids = [v for v in block["osuudet"].values() if "alku" in v and "loppu" in v]
            fig = charts.before_after(_marked_labels(section, list(outcome["Hyvinvointitulos"]), ids),
                                      [_chart_value(section, i["alku"]) for i in ids],
                                      [_chart_value(section, i["loppu"]) for i in ids],
                                      f"{figures.block_title(block)}: osuus asiakkaista", end_label=end,
                                      note=f"n = {section.n_text(ids[0]['alku'])}", missing=suppression.CHART_NOTE)
            page.show(fig, numbers_below=True)  # the table above has the chart's numbers
        lines = single_shares(section, block)
        if lines:
            page.md("\n".join(f"- {line}" for line in lines))


# -- feedback ------------------------------------------------------------------------------------
def nps_table(section: HyteSection, area: str | None = None) -> pd.DataFrame:
    names = catalog.load("palvelut")["nps_ryhmat"]
    groups = catalog.services(section.year)
    if area:
        groups = groups[groups["alue"] == area]
    return pd.DataFrame([{"Ryhmä": names[g], "NPS": section.luku(g), "n": section.n_text(g)}
                         for g in dict.fromkeys(groups["nps"])])


def nps_sentences(section: HyteSection, area: str) -> list[str]:
    """'Senioripalveluiden suositteluluku NPS on +80 (n = 160).' for each NPS group of the area;
    a group whose n is hidden: 'Yksinäisyystyön suositteluluku NPS on piilotettu (n = < 5).'"""
    return [f"{row['Ryhmä']} NPS on piilotettu (n = {row['n']})." if row["NPS"].startswith(HIDDEN) else
            f"{row['Ryhmä']} NPS on **{row['NPS']}** (n = {row['n']})." for _, row in nps_table(section, area).iterrows()]


def feedback_shares(section: HyteSection, area: str) -> pd.DataFrame | None:
    rows = [{"Palvelu": x["palvelu"], "Väittämä": exports.FEEDBACK_ITEMS[x["kysymys"]],
             "Samaa mieltä (4–5), %": section.luku(x["id"], unit=False), "n": section.n_text(x["id"])}
            for x in catalog.load("luvut")["palaute"]["osuudet"] if x["alue"] == area]
    return pd.DataFrame(rows) if rows else None


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


CONTACT_REQUESTS = "yhteydenottopyynnot.csv"  # internal: the answers asking to be contacted


def quote_note(section: HyteSection) -> None:
    """The appendix's account of the quotes: how they were chosen and what was left out."""
    root = section.folder.root if section.folder is not None else Path.cwd()
    chosen = texts.quote_selection(root, section.year, REPORT)
    how = _phrase("sitaatit_valittu" if chosen else "sitaatit_kaikki")
    requests = contact_requests(section)
    count = sum(len(ids) for ids in requests.values())
    # The ids go to an internal file for the staff who answer them, never onto a page: even a
    # pseudonymous id points at one person's records.
    pd.DataFrame([(source, i) for source, ids in requests.items() for i in ids], columns=["lahde", "vastaus"]
                 ).to_csv(section.processed_dir / CONTACT_REQUESTS, index=False)
    left = "" if not count else " " + _phrase("yhteydenottopyynnot", maara=count)
    Page(section).md(how + " " + _phrase("sitaatit_tietosuoja") + left)


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


def show_volunteer_tasks(section: HyteSection) -> None:
    """The chart of volunteers per task (shares of the volunteers in tasks). Volunteers per task
    are a person breakdown: a task with 1-4 volunteers (and what would give it away) keeps its
    row last with no bar, and the chart's note, alt text and table name it with its mark
    ('Digituki (< 5)')."""
    tasks = volunteer_tasks(section)
    n = section.value("vap_tehtavat")
    counts = suppression.counts_from_shares(tasks["osuus"].to_numpy(), n)
    s = suppression.one_way(pd.Series(counts.to_numpy(), index=tasks["Tehtävä"].to_numpy()), kind=PERSONS)
    shares = pd.Series(s.values(tasks["osuus"].to_numpy()), index=tasks["Tehtävä"].to_numpy())
    labels = s.labels(shares.index)
    fig = charts.horizontal_bars(labels, list(shares), "Vapaaehtoistehtävien jakauma",
                                 note=f"n = {s.total_text()} tehtävää", percent=True, missing=suppression.CHART_NOTE)
    hidden = dict(zip(labels, s.hidden.to_numpy()))
    data = fig.data_table.copy()  # the chart's rows in its order; a hidden share reads '..', not '–'
    data["Osuus, %"] = [HIDDEN if hidden[label] else value for label, value in zip(data["Luokka"], data["Osuus, %"])]
    if s.any:
        section.note_suppression()
    Page(section).show(fig, data=data)


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
    return _phrase("vapaaehtoistehtavat", tehtavat=section.luku("vap_tehtavat"), henkilot=section.luku("vap_henkilot"),
                   keski_ika=section.luku("vap_keski_ika"))


def _phrase(name: str, **values) -> str:
    """A sentence of the HYTE pages (hyte_nb/tekstit/hyte.md, or the project's wording of it)."""
    return texts.phrase("hyte", name, **values)
