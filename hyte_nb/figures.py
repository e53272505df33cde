"""Every figure of the HYTE report, computed from the clean tables.

The result is one table: id (the reference id), arvo (unrounded), n (the base, where the
figure is a share or a score). Nothing here reads the published figures; the ids only
name what is computed so that reconciliation can pair it with the printed value.
"""

from __future__ import annotations

import pandas as pd

from hyte_nb import config, metrics

# Figures printed twice under different headings.
SAME_AS = {"vapaaehtoistehtavat": "vap_tehtavat", "hyvinvointi_lisaantyi": "per_hyv_lisaantyi"}
LIKERT_AGREE = 4  # 4-5 on a 1-5 scale counts as agreeing


class Figures:
    def __init__(self):
        self.rows: dict[str, tuple[float, int | None]] = {}

    def put(self, fid: str, value: float, n: int | None = None) -> None:
        self.rows[fid] = (float(value), n)

    def put_pair(self, fid: str, pair: tuple[float, int]) -> None:
        self.put(fid, *pair)

    def frame(self) -> pd.DataFrame:
        table = pd.DataFrame([(k, v, n) for k, (v, n) in self.rows.items()], columns=["id", "arvo", "n"])
        table["n"] = table["n"].astype("Int64")
        return table.set_index("id")


def compute_all(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    out = Figures()
    activity(tables, out)
    feedback(tables, out)
    measurements(tables["hyvinvointimittaukset"], out)
    volunteers(tables, year, out)
    downloads(tables["materiaalilataukset"], out)
    for alias, source in SAME_AS.items():
        out.rows[alias] = out.rows[source]
    return out.frame()


def activity(tables: dict[str, pd.DataFrame], out: Figures) -> None:
    """Clients, meetings' encounters, events and their encounters: per service, area and in all."""
    meetings, events = tables["asiakastapaamiset"], tables["tapahtumat"]
    for svc in config.services().itertuples():
        if svc.id_asiakkaat:
            rows = meetings[(meetings["alue"] == svc.alue) & (meetings["palvelu"] == svc.palvelu)]
            out.put(svc.id_asiakkaat, rows["asiakas"].nunique())
            out.put(svc.id_kohtaamiset, rows["henkilot"].sum())
        if svc.id_kerrat:
            rows = events[(events["alue"] == svc.alue) & (events["palvelu"] == svc.palvelu)]
            out.put(svc.id_kerrat, len(rows))
            out.put(svc.id_tapahtumakohtaamiset, rows["osallistujat"].sum())
    for key, area in config.areas().items():
        p = area["lyhenne"]
        m, e = meetings[meetings["alue"] == key], events[events["alue"] == key]
        out.put(f"{p}_asiakkaat", m["asiakas"].nunique())
        out.put(f"{p}_asiakaskohtaamiset", m["henkilot"].sum())
        out.put(f"{p}_tapahtumat", len(e))
        out.put(f"{p}_tapahtumakohtaamiset", e["osallistujat"].sum())
        out.put(f"{p}_kohtaamiset", m["henkilot"].sum() + e["osallistujat"].sum())
        out.put(f"{p}_puheeksi", m["puheeksi"].sum() + e["puheeksi"].sum())
    total = meetings["henkilot"].sum() + events["osallistujat"].sum()
    out.put("asiakkaat", meetings["asiakas"].nunique())
    out.put("tapahtumat", len(events))
    out.put("asiakastapaamisten_kohtaamiset", meetings["henkilot"].sum())
    out.put("tapahtumien_kohtaamiset", events["osallistujat"].sum())
    out.put("kohtaamiset", total)
    for key, area in config.areas().items():
        out.put(f"osuus_{key}", out.rows[f"{area['lyhenne']}_kohtaamiset"][0] / total * 100)


def feedback(tables: dict[str, pd.DataFrame], out: Figures) -> None:
    answers = tables["asiakaspalaute"]
    groups = config.services().set_index(["alue", "palvelu"])["nps"]
    group = pd.Series([groups.get((a, p)) for a, p in zip(answers["alue"], answers["palvelu"])], index=answers.index)
    for name in config.load_metadata("palvelut")["nps_ryhmat"]:
        out.put_pair(name, metrics.nps(answers.loc[group == name, "suosittelu"].astype("float")))
    out.put_pair("nps", metrics.nps(answers["suosittelu"].astype("float")))
    spec = config.load_metadata("luvut")["palaute"]
    for item in spec["osuudet"]:
        rows = answers[(answers["alue"] == item["alue"]) & (answers["palvelu"] == item["palvelu"])]
        out.put_pair(item["id"], metrics.share(_agree(rows[item["kysymys"]])))
    for item in spec["avoimet"]:
        rows = answers[(answers["alue"] == item["alue"]) & answers["palvelu"].isin(item["palvelut"])]
        out.put(item["id"], rows["avoin"].notna().sum())


def _agree(values: pd.Series) -> pd.Series:
    """True for 4-5, False for 1-3, missing stays missing."""
    return values.astype("float").ge(LIKERT_AGREE).where(values.notna())


def measurement_block(table: pd.DataFrame, block: dict) -> pd.DataFrame:
    rows = table[(table["alue"] == block["alue"]) & (table["palvelu"] == block["palvelu"])]
    if block.get("ryhma"):
        rows = rows[rows["ryhma"] == block["ryhma"]]
    return rows


def item_values(rows: pd.DataFrame, item: str, point: str) -> pd.Series:
    """One value per client for an item at a measurement point."""
    chosen = rows[(rows["mittari"] == item) & (rows["kerta"] == point)]
    return chosen.set_index("asiakas")["arvo"].astype("float")


def measurements(table: pd.DataFrame, out: Figures) -> None:
    items = config.load_metadata("mittarit")
    for block in config.load_metadata("luvut")["mittaukset"]:
        rows = measurement_block(table, block)
        end = block.get("loppukerta", "loppu")
        counts = block.get("asiakkaat", {})
        if "kaikki" in counts:
            out.put(counts["kaikki"], rows["asiakas"].nunique())
        if "alku" in counts:
            out.put(counts["alku"], rows.loc[rows["kerta"] == "alku", "asiakas"].nunique())
        if "loppu" in counts:
            out.put(counts["loppu"], rows.loc[rows["kerta"] == end, "asiakas"].nunique())
        if "hyvinvointi" in block:
            direction = metrics.wellbeing_direction(item_values(rows, "hyvinvointi", "alku"),
                                                    item_values(rows, "hyvinvointi", end))
            out.put_pair(block["hyvinvointi"]["lisaantyi"], metrics.share(direction == "lisääntyi"))
            out.put_pair(block["hyvinvointi"]["pysyi"], metrics.share(direction == "pysyi"))
        for item, ids in block.get("osuudet", {}).items():
            limit = items[item]["raja"]
            start = metrics.share(item_values(rows, item, "alku") >= limit)
            last = metrics.share(item_values(rows, item, end) >= limit)
            if "alku" in ids:
                out.put_pair(ids["alku"], start)
            if "loppu" in ids:
                out.put_pair(ids["loppu"], last)
            if "muutos" in ids:
                change = metrics.change_in_points(start[0], last[0])
                paired = len(set(item_values(rows, item, "alku").index) & set(item_values(rows, item, end).index))
                out.put(ids["muutos"], -change if ids["suunta"] == "väheni" else change, paired)
        for item, ids in block.get("keskiarvot", {}).items():
            before, after = item_values(rows, item, "alku"), item_values(rows, item, end)
            change = metrics.relative_change(before, after)
            paired = len(set(before.index) & set(after.index))
            out.put(ids["muutos"], -change if ids["suunta"] == "lieveni" else change, paired)


def volunteers(tables: dict[str, pd.DataFrame], year: int, out: Figures) -> None:
    spec = config.load_metadata("luvut")
    registry = tables["vapaaehtoisrekisteri"]
    reg = spec["vapaaehtoiset"]
    out.put(reg["tehtavat"], len(registry))
    people = registry.drop_duplicates("vapaaehtoinen")
    out.put(reg["henkilot"], len(people))
    out.put(reg["keski_ika"], (year - people["syntymavuosi"].astype(float)).mean())
    tasks = registry["tehtava"].str.lower()
    for task, fid in reg["osuudet"].items():
        out.put_pair(fid, metrics.share(tasks == task))
    survey = tables["vapaaehtoiskysely"]
    vk = spec["vapaaehtoiskysely"]
    out.put(vk["vastaajat"], len(survey))
    for key, fid in vk["vaittamat"].items():
        out.put_pair(fid, metrics.share(_agree(survey[key])))
    for key, fid in vk["motiivit"].items():
        # A checkbox left empty by someone who answered the survey is a "no".
        out.put_pair(fid, metrics.share(survey[f"motiivi_{key}"].fillna(False)))
    quitting = survey["lopettaminen"]
    out.put_pair(vk["lopettaminen"], metrics.share((quitting == "Kyllä").where(quitting.notna())))
    out.put_pair(vk["nps"], metrics.nps(survey["suosittelu"].astype("float")))


def downloads(table: pd.DataFrame, out: Figures) -> None:
    for item in config.load_metadata("luvut")["lataukset"]:
        rows = table[(table["materiaali"] == item["materiaali"]) & (table["kieli"] == item["kieli"])]
        out.put(item["id"], rows["lataukset"].sum())
