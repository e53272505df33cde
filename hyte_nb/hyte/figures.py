"""Every figure of the HYTE report, computed from the clean tables of a year.

The result is the figures table (hyte_nb/core/figures.py): id (the reference id), label,
unrounded value, n, unit and the section that shows it. Nothing here reads the published
figures; the ids only name what is computed so that reconciliation can pair it with the
printed value. The catalogues of the year decide which services and measurements exist.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hyte_nb.core import metrics, period
from hyte_nb.core.figures import SAME_PERIOD, FigureTable
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import catalog
from hyte_nb.hyte.exports import FEEDBACK_ITEMS, SURVEY_MOTIVES, SURVEY_STATEMENTS

OVERVIEW, VOLUNTEERS = "yleiskatsaus", "vapaaehtoiset"
LIKERT_AGREE = 4  # 4-5 on a 1-5 scale counts as agreeing


def compute_all(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    out = FigureTable()
    activity(tables, year, out)
    feedback(tables, year, out)
    measurements(tables["hyvinvointimittaukset"], out)
    volunteers(tables, year, out)
    downloads(tables["materiaalilataukset"], out)
    # Figures the overview prints again under its own heading.
    out.copy("vapaaehtoistehtavat", "vap_tehtavat", label="Eri palvelutehtävissä olevia vapaaehtoisia",
             section=OVERVIEW)
    for fid, copy in overview_copies().items():
        if copy["lahde"] in out.rows:
            out.copy(fid, copy["lahde"], label=copy["nimi"], section=OVERVIEW)
    return out.frame()


def overview_copies() -> dict[str, dict]:
    """Section figures the overview prints again under an id of its own (luvut.yml `yleiskatsaus`)."""
    return catalog.load("luvut").get("yleiskatsaus") or {}


def write_same_period(folder: Paths) -> Path | None:
    """When the year is incomplete (its period ends before 31.12.), last year's figures for the
    same period (1.1.-the same day), computed from last year's clean tables with every record
    dated after that day left out, written beside this year's figures (vertailuluvut.parquet).
    Returns None, and leaves no such file, when the year is complete or last year's clean tables
    are not there (then no comparison is shown rather than an unequal one)."""
    from hyte_nb.hyte import cleaning

    target = folder.processed / SAME_PERIOD
    target.unlink(missing_ok=True)
    span = period.read(folder.processed)
    if span is None or span.complete:
        return None
    try:
        tables = cleaning.load_processed(folder.comparison.processed)
    except FileNotFoundError:
        return None
    same = span.same_in(folder.comparison_year)
    cut = {}
    for key, table in tables.items():
        keep = pd.Series(True, index=table.index)
        for column in table.columns:
            if pd.api.types.is_datetime64_any_dtype(table[column]):
                keep &= same.covers(table[column])
        cut[key] = table[keep].reset_index(drop=True)
    compute_all(cut, folder.comparison_year).to_parquet(target)
    return target


def activity(tables: dict[str, pd.DataFrame], year: int, out: FigureTable) -> None:
    """Clients, meetings' encounters, events and their encounters: per service, area and in all."""
    meetings, events = tables["asiakastapaamiset"], tables["tapahtumat"]
    for svc in catalog.services(year).itertuples():
        if svc.id_asiakkaat:
            rows = meetings[(meetings["alue"] == svc.alue) & (meetings["palvelu"] == svc.palvelu)]
            clients = "tukiparit" if svc.id_asiakkaat.endswith("_parit") else "asiakkaat"
            out.put(svc.id_asiakkaat, rows["asiakas"].nunique(), label=f"{svc.palvelu}: {clients}", unit="lkm",
                    section=svc.alue)
            out.put(svc.id_kohtaamiset, rows["henkilot"].sum(), label=f"{svc.palvelu}: asiakastapaamisten kohtaamiset",
                    unit="lkm", section=svc.alue)
        if svc.id_kerrat:
            rows = events[(events["alue"] == svc.alue) & (events["palvelu"] == svc.palvelu)]
            out.put(svc.id_kerrat, len(rows), label=f"{svc.palvelu}: tapahtumat", unit="lkm", section=svc.alue)
            out.put(svc.id_tapahtumakohtaamiset, rows["osallistujat"].sum(),
                    label=f"{svc.palvelu}: tapahtumien kohtaamiset", unit="lkm", section=svc.alue)
    for key, area in catalog.areas().items():
        p, name = area["lyhenne"], area["nimi"]
        m, e = meetings[meetings["alue"] == key], events[events["alue"] == key]
        for suffix, value, label in [
            ("asiakkaat", m["asiakas"].nunique(), "asiakkaat"),
            ("asiakaskohtaamiset", m["henkilot"].sum(), "asiakastapaamisten kohtaamiset"),
            ("tapahtumat", len(e), "tapahtumat"),
            ("tapahtumakohtaamiset", e["osallistujat"].sum(), "tapahtumien kohtaamiset"),
            ("kohtaamiset", m["henkilot"].sum() + e["osallistujat"].sum(), "kohtaamiset yhteensä"),
            ("puheeksi", m["puheeksi"].sum() + e["puheeksi"].sum(), "yksinäisyys otettiin puheeksi (kertaa)"),
        ]:
            out.put(f"{p}_{suffix}", value, label=f"{name}: {label}", unit="lkm", section=key)
    total = meetings["henkilot"].sum() + events["osallistujat"].sum()
    out.put("asiakkaat", meetings["asiakas"].nunique(), label="Asiakkaita", unit="lkm", section=OVERVIEW)
    out.put("tapahtumat", len(events), label="Tapahtumia", unit="lkm", section=OVERVIEW)
    out.put("asiakastapaamisten_kohtaamiset", meetings["henkilot"].sum(), label="Asiakastapaamisissa kohtaamisia",
            unit="lkm", section=OVERVIEW)
    out.put("tapahtumien_kohtaamiset", events["osallistujat"].sum(), label="Tapahtumissa kohtaamisia", unit="lkm",
            section=OVERVIEW)
    out.put("kohtaamiset", total, label="Kohtaamisia yhteensä", unit="lkm", section=OVERVIEW)
    for key, area in catalog.areas().items():
        out.put(f"osuus_{key}", out.value(f"{area['lyhenne']}_kohtaamiset") / total * 100,
                label=f"{area['nimi']}: osuus kohtaamisista", unit="%", section=OVERVIEW)


def feedback(tables: dict[str, pd.DataFrame], year: int, out: FigureTable) -> None:
    answers = tables["asiakaspalaute"]
    services = catalog.services(year)
    groups = services.set_index(["alue", "palvelu"])["nps"]
    group = pd.Series([groups.get((a, p)) for a, p in zip(answers["alue"], answers["palvelu"])], index=answers.index)
    group_area = dict(zip(services["nps"], services["alue"]))
    for name, label in catalog.load("palvelut")["nps_ryhmat"].items():
        score, n = metrics.nps(answers.loc[group == name, "suosittelu"].astype("float"))
        out.put(name, score, n, label=label, unit="nps", section=group_area[name], basis=[n])
    score, n = metrics.nps(answers["suosittelu"].astype("float"))
    out.put("nps", score, n, label="Hyvinvointipalveluiden suositteluluku NPS", unit="nps", section=OVERVIEW,
            basis=[n])
    spec = catalog.load("luvut")["palaute"]
    for item in spec["osuudet"]:
        rows = answers[(answers["alue"] == item["alue"]) & (answers["palvelu"] == item["palvelu"])]
        value, n = metrics.share(agree(rows[item["kysymys"]]))
        out.put(item["id"], value, n, label=f"{item['palvelu']}: {FEEDBACK_ITEMS[item['kysymys']]} (samaa mieltä)",
                unit="%", section=item["alue"], basis=split(value, n))  # clients who agreed, who did not
    for item in spec["avoimet"]:
        rows = answers[(answers["alue"] == item["alue"]) & answers["palvelu"].isin(item["palvelut"])]
        out.put(item["id"], rows["avoin"].notna().sum(), label=f"{' ja '.join(item['palvelut'])}: avoimia palautteita",
                unit="lkm", section=item["alue"])


def split(value: float, n: int) -> list[int]:
    """The person counts behind a share of n persons: [with, without]."""
    count = 0 if n == 0 else int(round(value * n / 100))
    return [count, n - count]


def agree(values: pd.Series) -> pd.Series:
    """True for 4-5, False for 1-3, missing stays missing."""
    return values.astype("float").ge(LIKERT_AGREE).where(values.notna())


def measurement_block(table: pd.DataFrame, block: dict) -> pd.DataFrame:
    rows = table[(table["alue"] == block["alue"]) & (table["palvelu"] == block["palvelu"])]
    if block.get("ryhma"):
        rows = rows[rows["ryhma"] == block["ryhma"]]
    return rows


def block_title(block: dict) -> str:
    return block["palvelu"] + (f" – {block['ryhma']}" if block.get("ryhma") else "")


def item_values(rows: pd.DataFrame, item: str, point: str) -> pd.Series:
    """One value per client for an item at a measurement point."""
    chosen = rows[(rows["mittari"] == item) & (rows["kerta"] == point)]
    return chosen.set_index("asiakas")["arvo"].astype("float")


def measurements(table: pd.DataFrame, out: FigureTable) -> None:
    items = catalog.load("mittarit")
    for block in catalog.load("luvut")["mittaukset"]:
        rows = measurement_block(table, block)
        end = block.get("loppukerta", "loppu")
        end_word = "väliarviossa" if end == "väliarvio" else "lopussa"
        title, section = block_title(block), block["alue"]

        def put(fid, value, n=None, *, label, unit, basis=None, sources=None):
            out.put(fid, value, n, label=f"{title}: {label}", unit=unit, section=section, basis=basis,
                    sources=sources)

        def put_share(fid, share, *, label):  # a share of the clients measured: its counts with and without
            put(fid, *share, label=label, unit="%", basis=split(*share))

        counts = block.get("asiakkaat", {})
        if "kaikki" in counts:
            put(counts["kaikki"], rows["asiakas"].nunique(), label="mitatut asiakkaat", unit="lkm")
        if "alku" in counts:
            put(counts["alku"], rows.loc[rows["kerta"] == "alku", "asiakas"].nunique(),
                label="asiakkaat alkumittauksessa", unit="lkm")
        if "loppu" in counts:
            put(counts["loppu"], rows.loc[rows["kerta"] == end, "asiakas"].nunique(),
                label=f"asiakkaat mittauksessa {end_word}", unit="lkm")
        if "hyvinvointi" in block:
            direction = metrics.wellbeing_direction(item_values(rows, "hyvinvointi", "alku"),
                                                    item_values(rows, "hyvinvointi", end))
            put_share(block["hyvinvointi"]["lisaantyi"], metrics.share(direction == "lisääntyi"),
                      label="hyvinvointi lisääntyi")
            put_share(block["hyvinvointi"]["pysyi"], metrics.share(direction == "pysyi"), label="hyvinvointi pysyi yllä")
        for item, ids in block.get("osuudet", {}).items():
            name, limit = items[item]["nimi"], items[item]["raja"]
            start = metrics.share(item_values(rows, item, "alku") >= limit)
            last = metrics.share(item_values(rows, item, end) >= limit)
            if "alku" in ids:
                put_share(ids["alku"], start, label=f"{name}, alussa")
            if "loppu" in ids:
                put_share(ids["loppu"], last, label=f"{name}, {end_word}")
            if "muutos" in ids:
                change = metrics.change_in_points(start[0], last[0])
                paired = len(set(item_values(rows, item, "alku").index) & set(item_values(rows, item, end).index))
                # from both shares' counts, printed or not: 2 of 3 and 1 of 2 give 17 points away
                put(ids["muutos"], -change if ids["suunta"] == "väheni" else change, paired,
                    label=f"{name} {ids['suunta']}", unit="pp", basis=[*split(*start), *split(*last), paired],
                    sources=[ids[p] for p in ("alku", "loppu") if p in ids])
        for item, ids in block.get("keskiarvot", {}).items():
            before, after = item_values(rows, item, "alku"), item_values(rows, item, end)
            change = metrics.relative_change(before, after)
            paired = len(set(before.index) & set(after.index))
            put(ids["muutos"], -change if ids["suunta"] == "lieveni" else change, paired,
                label=f"{items[item]['nimi']} {ids['suunta']} (keskiarvon muutos)", unit="% muutos",
                basis=[before.notna().sum(), after.notna().sum(), paired])  # the clients of both means


def volunteers(tables: dict[str, pd.DataFrame], year: int, out: FigureTable) -> None:
    spec = catalog.load("luvut")
    registry = tables["vapaaehtoisrekisteri"]
    reg = spec["vapaaehtoiset"]

    def put(fid, value, n=None, *, label, unit, basis=None):
        out.put(fid, value, n, label=label, unit=unit, section=VOLUNTEERS, basis=basis)

    put(reg["tehtavat"], len(registry), label="Vapaaehtoisia eri vapaaehtoistehtävissä", unit="lkm")
    people = registry.drop_duplicates("vapaaehtoinen")
    put(reg["henkilot"], len(people), label="Yksittäisiä vapaaehtoisia", unit="lkm")
    ages = year - people["syntymavuosi"].astype(float)
    put(reg["keski_ika"], ages.mean(), label="Vapaaehtoisten keski-ikä", unit="v", basis=[ages.notna().sum()])
    tasks = registry["tehtava"].str.lower()
    for task, fid in reg["osuudet"].items():
        share = metrics.share(tasks == task)
        put(fid, *share, label=f"Tehtävistä {task}", unit="%", basis=split(*share))
    survey = tables["vapaaehtoiskysely"]
    vk = spec["vapaaehtoiskysely"]
    put(vk["vastaajat"], len(survey), label="Vapaaehtoiskyselyn vastaajia", unit="lkm")
    for key, fid in vk["vaittamat"].items():
        put(fid, *metrics.share(agree(survey[key])), label=f"{SURVEY_STATEMENTS[key]} (samaa mieltä)", unit="%")
    for key, fid in vk["motiivit"].items():
        # A checkbox left empty by someone who answered the survey is a "no".
        put(fid, *metrics.share(survey[f"motiivi_{key}"].fillna(False)), label=f"Motiivina {SURVEY_MOTIVES[key].lower()}",
            unit="%")
    quitting = survey["lopettaminen"]
    put(vk["lopettaminen"], *metrics.share((quitting == "Kyllä").where(quitting.notna())),
        label="On harkinnut vapaaehtoistoiminnan lopettamista", unit="%")
    score, n = metrics.nps(survey["suosittelu"].astype("float"))
    put(vk["nps"], score, n, label="Vapaaehtoistoiminnan suositteluluku NPS", unit="nps", basis=[n])


def downloads(table: pd.DataFrame, out: FigureTable) -> None:
    languages = {"fi": "suomenkielisen", "sv": "ruotsinkielisen", "en": "englanninkielisen"}
    for item in catalog.load("luvut")["lataukset"]:
        rows = table[(table["materiaali"] == item["materiaali"]) & (table["kieli"] == item["kieli"])]
        out.put(item["id"], rows["lataukset"].sum(),
                label=f"{item['materiaali']}: {languages[item['kieli']]} version lataukset", unit="lkm",
                section=item["alue"])
