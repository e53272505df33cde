"""What a notebook shows: Finnish tables, key figures, quotes and the reconciliation.

Notebooks stay thin: they load a Section, call these helpers and narrate.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Image, Markdown, display

from hyte_nb import audit as audit_mod
from hyte_nb import clean, config, figures, fmt, plots, privacy, reconcile, reference
from hyte_nb.schema import FEEDBACK_ITEMS, SURVEY_MOTIVES, SURVEY_STATEMENTS


_NO_REFERENCE = ("Vuoden {year} raporttia ei ole vielä julkaistu (`data/reference/` ei sisällä sen lukuja), joten "
                 "täsmäytystä julkaistuun raporttiin ei tehdä. Luvut on laskettu aineistosta.")


class PublishedComparison:
    """What a section needs to set its figures against the published ones: the reference
    file (absent for a year not yet published), the audit and the reconciliation. Both are
    computed once per notebook."""

    figures: pd.DataFrame
    reference_file: Path

    @property
    def has_reference(self) -> bool:
        """A year whose report is not yet published has nothing to reconcile with."""
        return self.reference_file.exists()

    @cached_property
    def audit(self) -> audit_mod.Audit:
        return audit_mod.Audit(reference.load(self.reference_file))

    def reconciliation(self) -> pd.DataFrame:
        return reconcile.reconcile(self.figures, self.audit.ref, self.audit)


@dataclass
class Section(PublishedComparison):
    """Everything a HYTE section notebook needs: clean tables, computed figures, and (only for
    the closing reconciliation) the published figures with their audit."""

    year: int
    tables: dict[str, pd.DataFrame]
    figures: pd.DataFrame
    processed_dir: Path
    reference_file: Path

    def value(self, fid: str) -> float:
        return float(self.figures.loc[fid, "arvo"])

    def n(self, fid: str) -> int:
        return int(self.figures.loc[fid, "n"])


def load(year: int, processed_dir: str | None = None, reference_file: str | None = None) -> Section:
    processed = Path(processed_dir) if processed_dir else config.processed_dir(year)
    tables = clean.load_processed(year, processed)
    return Section(year, tables, figures.compute_all(tables, year), processed,
                   Path(reference_file) if reference_file else config.reference_file(year))


def md(text: str) -> None:
    display(Markdown(text))


def key_figures(items: list[tuple[str, str]]) -> None:
    """Big numbers with a caption, e.g. [("2 742", "asiakasta"), ...]."""
    cards = "".join(f'<div class="avainluku"><div class="arvo">{html.escape(v)}</div>'
                    f'<div class="selite">{html.escape(c)}</div></div>' for v, c in items)
    display(HTML(f'<div class="avainluvut">{cards}</div>'))


def table(frame: pd.DataFrame, numeric: list[str] | None = None) -> None:
    """A table of already formatted text; numeric columns are right-aligned."""
    numeric = set(numeric or [])
    head = "".join(f'<th class="{"luku" if c in numeric else ""}">{html.escape(str(c))}</th>' for c in frame.columns)
    body = "".join("<tr>" + "".join(f'<td class="{"luku" if c in numeric else ""}">{html.escape(str(v))}</td>'
                                    for c, v in zip(frame.columns, row)) + "</tr>"
                   for row in frame.itertuples(index=False))
    display(HTML(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"))


def show(fig) -> None:
    """Show a matplotlib figure as an inline PNG (self-contained in the HTML) and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plots.plt.close(fig)
    display(Image(buffer.getvalue()))


# -- activity ---------------------------------------------------------------------------
def activity_table(section: Section, area: str) -> pd.DataFrame:
    """Per service: clients and their encounters, events and theirs (formatted)."""
    rows = []
    for svc in config.services().query("alue == @area").itertuples():
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


def encounters_by_area(section: Section) -> pd.DataFrame:
    """Encounters per area, in meetings and events (numbers, for charts and shares)."""
    rows = {}
    for key, area in config.areas().items():
        p = area["lyhenne"]
        rows[area["nimi"]] = {"Asiakastapaamiset": section.value(f"{p}_asiakaskohtaamiset"),
                              "Tapahtumat": section.value(f"{p}_tapahtumakohtaamiset"),
                              "Osuus": section.value(f"osuus_{key}")}
    return pd.DataFrame(rows).T


# -- wellbeing ---------------------------------------------------------------------------
def wellbeing_blocks(area: str) -> list[dict]:
    return [b for b in config.load_metadata("luvut")["mittaukset"] if b["alue"] == area]


def block_title(block: dict) -> str:
    return block["palvelu"] + (f" – {block['ryhma']}" if block.get("ryhma") else "")


def outcome_table(section: Section, block: dict) -> pd.DataFrame | None:
    """Items measured at the start and the end: shares and the change in percentage points."""
    items = config.load_metadata("mittarit")
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


def single_shares(section: Section, block: dict) -> list[str]:
    """Sentences for items asked only at the end, or whose change alone was printed."""
    items = config.load_metadata("mittarit")
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
def nps_table(section: Section, area: str | None = None) -> pd.DataFrame:
    names = config.load_metadata("palvelut")["nps_ryhmat"]
    groups = config.services()
    if area:
        groups = groups[groups["alue"] == area]
    return pd.DataFrame([{"Ryhmä": names[g], "NPS": fmt.nps(section.value(g)), "n": fmt.number(section.n(g))}
                         for g in dict.fromkeys(groups["nps"])])


def feedback_shares(section: Section, area: str) -> pd.DataFrame | None:
    rows = [{"Palvelu": x["palvelu"], "Väittämä": FEEDBACK_ITEMS[x["kysymys"]],
             "Samaa mieltä (4–5)": fmt.percent(section.value(x["id"])), "n": fmt.number(section.n(x["id"]))}
            for x in config.load_metadata("luvut")["palaute"]["osuudet"] if x["alue"] == area]
    return pd.DataFrame(rows) if rows else None


def open_answer_counts(section: Section, area: str) -> list[str]:
    """Sentences for the printed counts of open answers (e.g. support persons and errand help)."""
    return [f"{' ja '.join(x['palvelut'])}: {fmt.number(section.value(x['id']))} avointa vastausta."
            for x in config.load_metadata("luvut")["palaute"]["avoimet"] if x["alue"] == area]


def consented_quotes(answers: pd.DataFrame, area: str | None = None) -> list[tuple[str, str]]:
    """(service, text) of open answers whose author allowed quoting, contact details removed."""
    rows = answers[answers["lupa"].fillna(False).astype(bool) & answers["avoin"].notna()]
    if area is not None:
        rows = rows[rows["alue"] == area]
    service = rows["palvelu"] if "palvelu" in rows else pd.Series("", index=rows.index)
    return [(s, privacy.redact(t)) for s, t in zip(service, rows["avoin"])]


def quotes(items: list[tuple[str, str]]) -> None:
    parts = [f'<blockquote class="sitaatti">”{html.escape(text)}”'
             + (f"<br><small>– {html.escape(source)}</small>" if source else "") + "</blockquote>"
             for source, text in items]
    display(HTML("".join(parts) or "<p>Ei lainattavia vastauksia.</p>"))


# -- reconciliation -------------------------------------------------------------------------
def reconciliation(section: Section, name: str) -> pd.DataFrame:
    """Show every printed figure of the section, published vs computed, and save the table
    beside the processed data for the tests and for the analyst."""
    if not section.has_reference:
        md(_NO_REFERENCE.format(year=section.year))
        return pd.DataFrame()
    table_all = section.reconciliation()
    part = table_all[table_all["osio"] == name]
    part.to_csv(section.processed_dir / f"tasmaytys_{name}.csv")
    summary = reconcile.summary(part)
    md(f"Osion {summary['painettuja lukuja']} julkaistusta luvusta **{summary['täsmää']} täsmää** aineistosta "
       f"laskettuun, **{summary['selitetty']}** ei voi pitää paikkaansa (ks. selitys) ja "
       f"**{summary['poikkeaa']}** poikkeaa muuten.")
    shown = part[["luku", "julkaistu", "laskettu", "n julkaistu", "n laskettu", "tila", "selitys"]]
    shown = shown.rename(columns={"luku": "Luku", "julkaistu": "Julkaistu", "laskettu": "Laskettu",
                                  "n julkaistu": "n (julkaistu)", "n laskettu": "n (laskettu)", "tila": "Tila",
                                  "selitys": "Selitys"})
    table(shown, numeric=["Julkaistu", "Laskettu", "n (julkaistu)", "n (laskettu)"])
    return part


# -- cleaning --------------------------------------------------------------------------------
def cleaning_summary(log: clean.CleaningLog) -> None:
    frame = log.summary_frame().copy()
    for col in ["rivejä sisään", "rivejä ulos", "poistettu", "muutettuja rivejä"]:
        frame[col] = frame[col].map(fmt.number)
    table(frame, numeric=["rivejä sisään", "rivejä ulos", "poistettu", "muutettuja rivejä"])


def cleaning_reasons(log: clean.CleaningLog) -> None:
    frame = log.frame()
    frame["syy"] = frame["syy"].str.replace(r" rivistä \d+", "", regex=True)  # group duplicates together
    counts = frame.groupby(["taulu", "toimenpide", "syy"]).size().reset_index(name="riviä")
    counts["riviä"] = counts["riviä"].map(fmt.number)
    table(counts, numeric=["riviä"])


# -- audit -----------------------------------------------------------------------------------
def audit_summary(section: Section) -> pd.DataFrame:
    """The headline count over the whole report, and every inconsistency the audit found."""
    if not section.has_reference:
        md(_NO_REFERENCE.format(year=section.year))
        return pd.DataFrame()
    summary = reconcile.summary(section.reconciliation())
    md(f"Julkaistussa raportissa on **{summary['painettuja lukuja']}** eri lukua. Aineistosta laskettuna "
       f"**{summary['täsmää']} täsmää** julkaistuun, **{summary['selitetty']}** julkaistua lukua auditointi osoittaa "
       f"mahdottomiksi (ne eivät voi syntyä raportin omista osaluvuista tai vastaajamääristä) ja "
       f"**{summary['poikkeaa']}** poikkeaa muuten.")
    findings = section.audit.table()
    shown = findings.assign(painettu=[fmt.number(v, 1 if v % 1 else 0) for v in findings["painettu"]],
                            johdettu=[fmt.number(v, 1 if v % 1 else 0) for v in findings["johdettu"]])
    shown = shown[["osio", "luku", "tarkistus", "painettu", "johdettu", "selitys"]].rename(columns={
        "osio": "Osio", "luku": "Luku", "tarkistus": "Tarkistus", "painettu": "Painettu",
        "johdettu": "Johdettu", "selitys": "Selitys"})
    table(shown, numeric=["Painettu", "Johdettu"])
    return findings


# -- wellbeing section of an area --------------------------------------------------------------
def wellbeing_section(section: Section, area: str) -> None:
    for block in wellbeing_blocks(area):
        md(f"### {block_title(block)}")
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
            fig = plots.before_after(list(outcome["Hyvinvointitulos"]), [section.value(i["alku"]) for i in ids],
                                     [section.value(i["loppu"]) for i in ids],
                                     f"{block_title(block)}: osuus asiakkaista", end_label=end,
                                     note=f"n = {fmt.number(section.n(ids[0]['alku']))}")
            show(fig)
        lines = single_shares(section, block)
        if lines:
            md("\n".join(f"- {line}" for line in lines))


# -- small lookups the notebooks use -----------------------------------------------------------
def area_names(area: str) -> tuple[str, str]:
    """(display name, figure-id prefix) of a service area key; a clear error for a typo."""
    areas = config.areas()
    if area not in areas:
        raise ValueError(f"Tuntematon palvelualue {area!r}; odotettiin yksi näistä: {', '.join(areas)}")
    return areas[area]["nimi"], areas[area]["lyhenne"]


def encounters_by_service(section: Section, area: str) -> pd.Series:
    """All encounters (client meetings and events) per service of an area."""
    totals = {}
    for svc in config.services().query("alue == @area").itertuples():
        ids = [i for i in (svc.id_kohtaamiset, svc.id_tapahtumakohtaamiset) if i]
        totals[svc.palvelu] = sum(section.value(i) for i in ids)
    return pd.Series(totals)


def volunteer_tasks(section: Section) -> pd.DataFrame:
    spec = config.load_metadata("luvut")["vapaaehtoiset"]["osuudet"]
    return pd.DataFrame([{"Tehtävä": task, "osuus": section.value(fid)} for task, fid in spec.items()])


def volunteer_statements(section: Section) -> pd.DataFrame:
    spec = config.load_metadata("luvut")["vapaaehtoiskysely"]["vaittamat"]
    return pd.DataFrame([{"Väittämä": SURVEY_STATEMENTS[key], "osuus": section.value(fid), "n": section.n(fid)}
                         for key, fid in spec.items()])


def volunteer_motives(section: Section) -> pd.DataFrame:
    spec = config.load_metadata("luvut")["vapaaehtoiskysely"]["motiivit"]
    return pd.DataFrame([{"Motiivi": SURVEY_MOTIVES[key], "osuus": section.value(fid), "n": fmt.number(section.n(fid))}
                         for key, fid in spec.items()])
