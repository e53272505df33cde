"""Sample raw exports that look like the real ones: any year, deterministic for a seed.

The real record-level data is confidential. This generator writes one file per source
system under data/raw/<year>/hyte/. It aims at a table of target figures (`targets`):
- for the calibrated year (2024) the published report: counts come from the finest-grained
  printed figures (per service), percentages with a stated n fix whole counts by the audit's
  rule (round half away from zero), so the pipeline reproduces every printed figure;
- for any other year the same figures moved by a seeded amount (each service's counts by
  5-15 %, shares, changes and scores by a few points), so each year is a plausible year of
  its own that no published report backs.
It also plants the dirt real exports carry, which cleaning must remove or fix. Two runs
with the same year and seed write byte-identical files.

A year still running (the year of `today`, hyte_nb.core.period) gets the full year drawn the
same way and then cut at today: every record dated after today is left out, so volumes follow
the elapsed share of the year, clients measured this spring may still await their second
measurement, and the same seed gives the same files on the same day (and, on a later day, the
same records up to the earlier day and more). The volunteer survey, which a full year opens on
2.9., is held inside the elapsed period when it would close after today: its four weeks are
moved to end today (from 1.1. at the earliest), all respondents in. A year after today's is
refused with a Finnish error.

This is the only module besides hyte_nb.core.audit and the tests that reads the published
figures; nothing on the analysis path does.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from hyte_nb.core import audit, period, reference
from hyte_nb.core.audit import count_for, nps_net_for
from hyte_nb.core.paths import Paths
from hyte_nb.core.exportfiles import spread, write_csv, write_webropol_xlsx
from hyte_nb.core.schema import LIKERT5, Export
from hyte_nb.hyte import catalog
from hyte_nb.hyte.exports import FEEDBACK_ITEMS, HYTE_EXPORTS, SURVEY_MOTIVES

SEED = 20241231
CALIBRATED_YEAR = 2024  # the published report the sample reproduces
# Figures the report does not print but the sample needs: plausible values.
UNPRINTED = {"aik_puheeksi": 64, "omahoito_lataukset_fi": 812, "omahoito_lataukset_sv": 95}
# How far another year is from the calibrated one: each service's counts grow or shrink by
# 5-15 %; shares, changes and scores move by 1-3 points together (a better or a harder year)
# and by up to 3 more each; the volunteers' mean age moves by 1-3 years.
COUNT_CHANGE, YEAR_MOVE, OWN_MOVE, AGE_MOVE = (0.05, 0.15), (1.0, 3.0), (0.0, 3.0), (1.0, 3.0)
POINT_LIMITS = {"%": (0, 100), "pp": (-100, 100), "nps": (-100, 100)}
DERIVED = ("sum", "share", "pooled_nps")  # follow from the data; the sample never aims at them
# Support persons and errand help give most seniors' feedback (71 of their answers are open).
FEEDBACK_WEIGHTS = {("seniorit", "Tukihenkilötoiminta"): 6.0, ("seniorit", "Keikkatoiminta"): 6.0}

QUOTES = [  # (area, service, source, text): the report's quotes, with permission to quote
    ("seniorit", "Tukihenkilötoiminta", "palaute", "Tukihenkilö käy minun kanssa lääkärissä ja rokotuksissa. Hän on aina minun apuna. Olen jo melkein kolme vuotta saanut apua. Aina on ilmoitettu että löytyykö vapaaehtoinen. Suosittelin yhdelle tuttavalle ja hän sai ystävän teidän kautta."),
    ("seniorit", "Keikkatoiminta", "palaute", "Ilman sitä (kauppa-apua) en tule toimeen, kun en voi mennä ovesta ulos. Mä en mitenkään pärjäisi, pitäisi olla laitoksessa. Tämän avun turvin voin olla kotona. Se on korvaamatonta. Vapaaehtoinen on uskomattoman ihana."),
    ("seniorit", "Ryhmätoiminta", "palaute", "Jag var nöjd med precis allt faktiskt. Antalet ggr (15 lagom), kunnig dirigent och mycket sympatiska deltagare (vilket förstås inte går att garantera och det är dessutom min subjektiva åsikt)"),
    ("seniorit", "Keskusteluapu", "palaute", "Keskustelut ovat olleet tosi hyviä. Selkiyttivät omia asioita kun sai sanottua niitä ääneen. Olen aika kiitollinen, että loppujen lopuksi rohkaistuin ottamaan yhteyttä."),
    ("seniorit", "Digituki", "palaute", "Digiopastaja oli mahdottoman mukava, juotiin kahvit opettelun lomassa. Pidin siitä, ettei ollut kiirettä mihinkään ja opettelun lisäksi sain kohdata opastajan ihmisenä ja tutustua puolin ja toisin. Hän tuli tutuksi jo yhdellä käynnillä."),
    ("perheet", "Perheiden keskusteluapu", "palaute", "Sain olla oma itseni ja puhua avoimesti ja rehellisesti asioistani. Minua kuunneltiin ja sain apua asioiden pohtimiseen ja omien asioideni selvittämiseen. Keskustelusta oli suuresti hyötyä. (Mies 35v)"),
    ("perheet", "Sairaalan keikka-apu", "palaute", "Olen etuoikeutettu, että saan olla HelsinkiMission kanssa ja kautta tekemässä hyvää perheille. Erityisesti olen tykännyt olla osastolla potilaan seurana. Sain kuulla, että sillä oli suuri apu vanhemmalle, kun hän pääsi rauhassa soittamaan puheluita (Vapaaehtoinen)"),
    ("perheet", "Perhementoritoiminta", "palaute", "Mukavia tapaamisia perhementorin kanssa, lisää jaksamista ja tuo vaihtelua yksinhuoltajaperheen arkeen. Lapsi 10v on tykännyt perhementorista ja on ollut iloissaan tapaamisista, kuten myös vanhempi."),
    ("perheet", "Albertin olohuone ja neuvolaparkki", "palaute", "Koin onnistumisen kokemuksen, tuodessani yhteen lapsen päivähoidon aloitusta jännittävän isän ja sattumalta päiväkodissa työskennelleen äidin. Vertaistuesta oli ilmiselvästi hyötyä isälle. (koordinaattori)"),
    ("nuoret", "Keskusteluapu", "palaute", "Sain puhua rauhallisessa ja turvallisessa ympäristössä. Minut kohdattiin empaattisesti. Pidin siitä, että työntekijä ei ottanut kantaa tai neuvonut minua. Hän oli läsnä ja kuunteli, se riitti. Sain konkreettisia työkaluja, miten olla armollisempi itselleni esim. itsemyötätuntoharjoituksia."),
    ("nuoret", "Keskusteluapu", "palaute", "Jag har börjat förstå mera mig själv och mina känslor. Jag har blivit förstådd utan att känt mig att jag är konstig eller onormal. Det har varit skönt att någon lyssnar på en och jag har verkligen fått en känsla att ni bryr er."),
    ("nuoret", "Tuki- ja kriisimentorointi", "palaute", "Tukihenkilötoiminnan kautta oon saanut paljon enemmän varmuutta omaan identiteettiini ja sen pohdiskeluun. On myös ollut ihanaa päästä rakentamaan turvallista ihmissuhdetta ja on auttanut minua saamaan luottoa muihin ihmisiin ja enemmän toivoa tulevaisuuteen. Parasta kuitenkin on se, että olen saanut todella ihanan tukihenkilön, johon voi samaistua ja jonka kanssa on niin helppo keskustella ihan mistä vaan"),
    ("nuoret", "Tuki- ja kriisimentorointi", "palaute", "Jag kan säga att det är så nyttigt att ha en stödperson. Då känner man sig inte ensam. Stödpersonen hjälper att vara aktiv, komma igång och stöder massor med problem. Det beror också på stödpersonen hur den kan hjälpa och stöda"),
    ("aikuiset", "Väkivaltatyön asiakastyö", "palaute", "Jos kokee pettymyksen ja turvattomuuden tunnetta maailmassa, niin Aggredissa et tunne sitä"),
    ("aikuiset", "Yksinäisyyden keskusteluapu", "palaute", "Yksinäisyystyössä oli paljon hyvää: matala kynnys osallistua, juuri minun tarpeitani ja toiveitani kuunneltiin, materiaali oli mielenkiintoista ja antoi paljon ajattelemisen aihetta, yksinäisyystyön asiantuntija oli ammattilainen. Työikäisille ei ole vastaavaa muualla, tätä todella tarvitaan!"),
    ("aikuiset", "Yksinäisyyden keskusteluapu", "palaute", "Mielestäni työskentelystä olisi apua ja arvoa melkein jokaiselle ihmiselle välittämättä siitä onko kyseinen ihminen yksinäinen. Tunnistin paljon asioita materiaalissa työskentelyn aikana jotka aiheuttavat turhia ongelmia tuntemilleni ihmisille vaikka heillä olisi paljon sosiaalisia suhteita."),
    ("aikuiset", "Perjantaipuhelin", "palaute", "Perjantaipuhelin kokemus on ollut todella hyvä ja voisin harkita jonkinlaista vapaaehtoistoimintaa jatkossakin."),
    ("aikuiset", "Perjantaipuhelin", "palaute", "Vaikka keskustelumme Perjantaipuhelimessa oli melko surullinen, niin tunsin olleeni soittajalle kuuntelija hänen tarvitsemallaan hetkellä."),
    ("aikuiset", "Perjantaipuhelin", "palaute", "Keskustelumme Perjantaipuhelimessa oli välillä vakavaa, mutta hyvässä mielessä ja välillä myös naurun säestyksellä. Todella, todella kiva kokemus."),
]
VOLUNTEER_QUOTES = [
    "Olen oppinut vapaaehtoistyössä kohtaamaan toisen ilman iän tuomia asenteita tai ennakkoluuloja, arvostamaan ja kunnioittamaan jokaista yksilönä, ennenkaikkea kohtaamaan toisen kuuntelemis- ja oppimismielessä.",
    "Jag känner, att jag tillhör en glad team, som gör fina saker tillsammans. Jag är alltid på gott humör när jag har varit på volontärverksamhet.",
]
# A consented answer that carries contact details: cleaning keeps it, the report must not.
PERSONAL_DATA_ANSWER = ("seniorit", "Yhteisötoiminta", "Kiitos kaikille ihanasta syksystä! Jos haluatte kysyä "
                        "lisää, soittakaa minulle 040 123 4567 tai kirjoittakaa maija.virtanen@example.fi.")
FILLER_ANSWERS = [
    "Kiitos avusta.", "Hyvä ja ystävällinen palvelu.", "Toivoisin enemmän iltaryhmiä.",
    "Sain apua juuri silloin kun tarvitsin.", "Vapaaehtoinen oli ihana.", "Tapaamiset olivat liian harvoin.",
    "Mukava tunnelma ja hyvät kahvit.", "Olen suositellut tätä ystävilleni.", "Kaikki toimi hyvin.",
    "Odotan jo seuraavaa kertaa.", "Puhelin oli välillä varattu.", "Tunsin itseni tervetulleeksi.",
]
VOLUNTEER_FILLER = [
    "Vapaaehtoistyö antaa minulle paljon.", "Koulutukset olivat hyviä.", "Toivoisin enemmän yhteisiä tapaamisia.",
    "Ohjaajat ovat aina tavoitettavissa.", "Olen saanut uusia ystäviä.", "Tehtävä sopii elämäntilanteeseeni.",
]


def random_dates(k: int, year: int, rng: np.random.Generator, start_day: int = 0, end_day: int = 365) -> list[date]:
    first = date(year, 1, 1)
    last = (date(year, 12, 31) - first).days
    days = rng.integers(start_day, min(end_day, last) + 1, k)
    return [first + timedelta(days=int(d)) for d in days]


def fi_date(d: date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def flags(k: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """A random boolean vector of length n with exactly k True."""
    out = np.zeros(n, dtype=bool)
    out[rng.choice(n, size=k, replace=False)] = True
    return out


def likert_values(agree: np.ndarray, rng: np.random.Generator, high=(4, 5), low=(1, 3)) -> np.ndarray:
    return np.where(agree, rng.integers(high[0], high[1] + 1, len(agree)), rng.integers(low[0], low[1] + 1, len(agree)))


def nps_scores(score: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """n scores 0-10 whose NPS is the printed one (by the audit's rule for whole counts)."""
    net = nps_net_for(score, n)
    detractors = (n - net) // 5
    promoters = net + detractors
    passives = n - promoters - detractors
    values = np.concatenate([rng.integers(9, 11, promoters), rng.integers(7, 9, passives), rng.integers(0, 7, detractors)])
    return rng.permutation(values)


# -- what the sample aims at ----------------------------------------------------------
def targets(reference_file: Path, year: int, seed: int) -> pd.DataFrame:
    """The target figures as a reference table (hyte_nb.core.reference.load), UNPRINTED
    included: the published ones for the calibrated year, moved ones for any other year."""
    ref = reference.load(reference_file)
    unprinted = pd.DataFrame({"value": [float(v) for v in UNPRINTED.values()], "unit": "lkm", "decimals": 0,
                              "n": pd.array([pd.NA] * len(UNPRINTED), dtype="Int64"),
                              "relations": [[] for _ in UNPRINTED]}, index=list(UNPRINTED))
    table = pd.concat([ref, unprinted])
    return table if year == CALIBRATED_YEAR else moved(table, year, seed)


def moved(table: pd.DataFrame, year: int, seed: int) -> pd.DataFrame:
    """Every target moved by a seeded amount, keeping the targets consistent with each other:
    counts that belong together share one factor (see count_groups), a change follows from
    its two shares, the shares of one question add up to 100."""
    rng = np.random.default_rng([seed, year])
    year_move = shift(rng, YEAR_MOVE)
    groups = count_groups(year)
    group_of = {fid: groups.get(fid, fid.split("_")[0]) for fid in table.index}
    factor = {key: 1 + shift(rng, COUNT_CHANGE) for key in sorted(set(group_of.values()))}
    out = table.copy()
    for fid, row in table.iterrows():
        if any(rel.kind in DERIVED for rel in row["relations"]):
            continue
        f = factor[group_of[fid]]
        if not pd.isna(row["n"]):
            out.at[fid, "n"] = max(1, round(row["n"] * f))
        if row["unit"] == "lkm":
            value = max(1, round(row["value"] * f))
        elif row["unit"] == "v":
            value = round(row["value"] + shift(rng, AGE_MOVE))
        else:
            low, high = POINT_LIMITS.get(row["unit"], (-np.inf, np.inf))
            value = min(max(round(row["value"] + year_move + shift(rng, OWN_MOVE), row["decimals"]), low), high)
        out.at[fid, "value"] = float(value)
    for fid, row in out.iterrows():
        for rel in row["relations"]:
            if rel.kind == "change":
                out.at[fid, "value"] = round(out.at[rel.ids[0], "value"] - out.at[rel.ids[1], "value"], row["decimals"])
            elif rel.kind == "distribution":  # each option grows or shrinks on its own
                ids = list(rel.ids)
                factors = 1 + np.array([shift(rng, COUNT_CHANGE) for _ in ids])
                out.loc[ids, "value"] = whole_percentages(table.loc[ids, "value"] * factors)
    # Wellbeing rose, stayed or fell: what one share gains, the other loses.
    for block in catalog.load("luvut")["mittaukset"]:
        if "hyvinvointi" in block:
            up, same = block["hyvinvointi"]["lisaantyi"], block["hyvinvointi"]["pysyi"]
            out.at[same, "value"] = table.at[up, "value"] + table.at[same, "value"] - out.at[up, "value"]
    return out


def count_groups(year: int) -> dict[str, str]:
    """Figure id -> the service it grows or shrinks with: a service's clients, encounters,
    events and measured clients move together, so none outgrows another. Ids not listed
    move with the first part of their id (sen, per, nuo, aik, vap, vk)."""
    groups = {}
    for svc in catalog.services(year).itertuples():
        for fid in (svc.id_asiakkaat, svc.id_kohtaamiset, svc.id_kerrat, svc.id_tapahtumakohtaamiset):
            if fid:
                groups[fid] = f"{svc.alue}/{svc.palvelu}"
    for block in catalog.load("luvut")["mittaukset"]:
        for fid in strings_in(block):
            groups[fid] = f"{block['alue']}/{block['palvelu']}"
    return groups


def strings_in(spec) -> list[str]:
    """Every string in a nested catalogue entry (its figure ids among them)."""
    if isinstance(spec, dict):
        return [s for value in spec.values() for s in strings_in(value)]
    return [spec] if isinstance(spec, str) else []


def shift(rng: np.random.Generator, size: tuple[float, float]) -> float:
    """A move up or down, of a size between the two bounds."""
    return float(rng.choice([-1, 1]) * rng.uniform(*size))


def whole_percentages(values: pd.Series) -> pd.Series:
    """Whole percentages in proportion to values, adding up to 100 (the largest takes the rest)."""
    shares = (values / values.sum() * 100).round()
    shares[shares.idxmax()] += 100 - shares.sum()
    return shares


class SampleGenerator:
    def __init__(self, year: int, reference_file: Path, seed: int = SEED, today: date | None = None):
        self.year = year
        self.last = period.last_day(year, today)  # 31.12., or today in a running year
        self.rng = np.random.default_rng(seed)
        self.targets = targets(reference_file, year, seed)
        self.services = catalog.services(year)
        self.spec = catalog.load("luvut")
        self.area_names = {k: v["nimi"] for k, v in catalog.areas().items()}
        self.clients: dict[tuple[str, str], list[str]] = {}
        ids = self.rng.choice(np.arange(100000, 1000000), size=6000, replace=False)
        self._ids = iter(int(i) for i in ids)

    def value(self, fid: str) -> float:
        return float(self.targets.loc[fid, "value"])

    def n_of(self, fid: str) -> int | None:
        n = self.targets.loc[fid, "n"]
        return None if pd.isna(n) else int(n)

    # -- client meetings and events -------------------------------------------------
    def client_meetings(self) -> pd.DataFrame:
        rows = []
        for svc in self.services.dropna(subset=["asiakastyo"]).itertuples():
            n_clients = int(self.value(svc.id_asiakkaat))
            encounters = int(self.value(svc.id_kohtaamiset))
            tag = "TP" if svc.id_asiakkaat.endswith("_parit") else "AS"  # support pairs, or clients
            clients = [f"{tag}-{next(self._ids)}" for _ in range(n_clients)]
            self.clients[(svc.alue, svc.palvelu)] = clients
            # Families are often met together; everyone else one person a meeting.
            n_meetings = max(n_clients, round(encounters / 1.4)) if svc.alue == "perheet" else encounters
            persons = spread(encounters, n_meetings, self.rng)
            per_client = spread(n_meetings, n_clients, self.rng)
            owners = np.repeat(clients, per_client)
            for client, people, day in zip(owners, persons, random_dates(n_meetings, self.year, self.rng)):
                rows.append({"pvm": day, "alue": self.area_names[svc.alue], "palvelu": svc.palvelu,
                             "asiakas": client, "henkilot": int(people), "puheeksi": "Ei"})
        table = pd.DataFrame(rows).sort_values(["pvm", "alue", "palvelu", "asiakas"], kind="stable")
        table.insert(0, "kaynti", [f"K{i:06d}" for i in range(1, len(table) + 1)])
        return table.reset_index(drop=True)

    def events(self) -> pd.DataFrame:
        rows = []
        for svc in self.services.dropna(subset=["tapahtumat"]).itertuples():
            count = int(self.value(svc.id_kerrat))
            participants = spread(int(self.value(svc.id_tapahtumakohtaamiset)), count, self.rng)
            for people, day in zip(participants, random_dates(count, self.year, self.rng)):
                rows.append({"pvm": day, "alue": self.area_names[svc.alue], "palvelu": svc.palvelu,
                             "osallistujat": int(people), "puheeksi": "Ei"})
        table = pd.DataFrame(rows).sort_values(["pvm", "alue", "palvelu"], kind="stable")
        table.insert(0, "tapahtuma", [f"T{i:05d}" for i in range(1, len(table) + 1)])
        return table.reset_index(drop=True)

    def mark_loneliness(self, meetings: pd.DataFrame, events: pd.DataFrame) -> None:
        """Loneliness was raised in exactly the target number of meetings and events per area."""
        for area in catalog.areas().values():
            target = int(self.value(f"{area['lyhenne']}_puheeksi"))
            in_meetings = meetings.index[meetings["alue"] == area["nimi"]]
            in_events = events.index[events["alue"] == area["nimi"]]
            chosen = self.rng.choice(len(in_meetings) + len(in_events), size=target, replace=False)
            meetings.loc[in_meetings[chosen[chosen < len(in_meetings)]], "puheeksi"] = "Kyllä"
            events.loc[in_events[chosen[chosen >= len(in_meetings)] - len(in_meetings)], "puheeksi"] = "Kyllä"

    # -- wellbeing measurements -----------------------------------------------------
    def measurements(self) -> pd.DataFrame:
        rows: list[dict] = []
        blocks = self.spec["mittaukset"]
        subgroups = [b for b in blocks if b.get("ryhma")]
        for block in (b for b in blocks if not b.get("ryhma")):
            key = (block["alue"], block["palvelu"])
            groups = [b for b in subgroups if (b["alue"], b["palvelu"]) == key]
            rows += self._measure_block(block, groups)
        table = pd.DataFrame(rows)
        table["alue"] = table["alue"].map(self.area_names)
        return table

    def _block_size(self, block: dict) -> int:
        counts = block.get("asiakkaat", {})
        if "kaikki" in counts:
            return int(self.value(counts["kaikki"]))
        if "alku" in counts:
            return int(self.value(counts["alku"]))
        if "hyvinvointi" in block:
            return self.n_of(block["hyvinvointi"]["lisaantyi"])
        return max(self.n_of(i) for item in block["osuudet"].values() for k, i in item.items() if k in ("alku", "loppu", "muutos"))

    def _measure_block(self, block: dict, groups: list[dict]) -> list[dict]:
        rng = self.rng
        n = self._block_size(block)
        clients = self.clients[(block["alue"], block["palvelu"])][:n]
        end = block.get("loppukerta", "loppu")
        ended = n if "loppu" not in block.get("asiakkaat", {}) else int(self.value(block["asiakkaat"]["loppu"]))
        # Subgroups take consecutive clients (e.g. 59 adults, then 25 students).
        group_of = {c: "" for c in clients}
        members_of, start = {}, 0
        for group in groups:
            size = max(self.n_of(i) for fig in group["osuudet"].values() for k, i in fig.items() if k != "suunta")
            members_of[group["ryhma"]] = clients[start:start + size]
            group_of.update({c: group["ryhma"] for c in members_of[group["ryhma"]]})
            start += size
        start_days = dict(zip(clients, random_dates(n, self.year, rng, 0, 150)))
        rows = []

        def add(client, point, item, value):
            day = start_days[client] + timedelta(days=0 if point == "alku" else int(rng.integers(60, 200)))
            rows.append({"asiakas": client, "alue": block["alue"], "palvelu": block["palvelu"],
                         "ryhma": group_of[client], "kerta": point, "pvm": day, "mittari": item, "arvo": int(value)})

        if "hyvinvointi" in block:
            ids = block["hyvinvointi"]
            base = self.n_of(ids["lisaantyi"])
            up = count_for(self.value(ids["lisaantyi"]), base)
            same = count_for(self.value(ids["pysyi"]), base)
            direction = rng.permutation(np.array([1] * up + [0] * same + [-1] * (base - up - same)))
            for i, client in enumerate(clients):
                first = int(rng.integers(2, 9))
                add(client, "alku", "hyvinvointi", first)
                if i < base:  # the rest have no second measurement yet
                    step = {1: int(rng.integers(1, 3)), 0: 0, -1: -int(rng.integers(1, 3))}[direction[i]]
                    add(client, end, "hyvinvointi", first + step)

        item_sets = [(item, fig, clients) for item, fig in block.get("osuudet", {}).items()]
        item_sets += [(item, fig, members_of[g["ryhma"]]) for g in groups for item, fig in g["osuudet"].items()]
        for item, fig, members in item_sets:
            self._shares(item, fig, members, ended, end, add)

        for item, ids in block.get("keskiarvot", {}).items():
            self._mean_change(item, ids, clients, end, add)
        return rows

    def _shares(self, item, fig, members, ended, end, add):
        """Measurements of a 1-5 item whose share at or above the limit is printed."""
        rng = self.rng
        n = len(members)
        if "alku" in fig and "loppu" in fig:
            rel = self.targets.loc[fig["muutos"], "relations"][0]
            first, second = (self.targets.loc[i] for i in rel.ids)
            change = self.targets.loc[fig["muutos"]]
            a, b, _ = audit.solve_change(first["value"], second["value"], change["value"], n,
                                         (first["decimals"], second["decimals"], change["decimals"]))
            counts = {rel.ids[0]: a, rel.ids[1]: b}
            starts, ends = counts[fig["alku"]], counts[fig["loppu"]]
            for point, k in (("alku", starts), (end, ends)):
                for client, value in zip(members, likert_values(flags(k, n, rng), rng)):
                    add(client, point, item, value)
        elif "muutos" in fig:  # only the change is printed, from different bases
            finished = members[:ended]
            starts = round(0.7 * n)
            target = self.value(fig["muutos"])
            ends = min(range(len(finished) + 1),
                       key=lambda k: abs(round(100 * (starts / n - k / len(finished))) - target) * 1000 + k)
            for client, value in zip(members, likert_values(flags(starts, n, rng), rng)):
                add(client, "alku", item, value)
            for client, value in zip(finished, likert_values(flags(ends, len(finished), rng), rng)):
                add(client, end, item, value)
        elif "loppu" in fig:  # asked only at the end
            base = self.n_of(fig["loppu"]) or ended
            finished = members[:base]
            k = count_for(self.value(fig["loppu"]), base)
            for client, value in zip(finished, likert_values(flags(k, base, rng), rng)):
                add(client, end, item, value)

    def _mean_change(self, item, ids, clients, end, add):
        rng = self.rng
        target = self.value(ids["muutos"]) * (-1 if ids["suunta"] == "lieveni" else 1)
        centre = {"se_yksinaisyys": 36, "suhteet": 26, "mieliala": 24}.get(item, 30)
        first = np.clip(np.round(rng.normal(centre, 5, len(clients))), 10, 50).astype(int)
        last = np.clip(np.round(first * (1 + target / 100) + rng.normal(0, 2, len(clients))), 10, 50).astype(int)
        while round(100 * (last.mean() - first.mean()) / first.mean()) != target:
            too_high = 100 * (last.mean() - first.mean()) / first.mean() > target
            movable = np.flatnonzero(last > 10) if too_high else np.flatnonzero(last < 50)
            last[rng.choice(movable)] += -1 if too_high else 1
        for client, a, b in zip(clients, first, last):
            add(client, "alku", item, a)
            add(client, end, item, b)

    # -- feedback ---------------------------------------------------------------------
    def feedback(self) -> pd.DataFrame:
        """One row per response. Each NPS group gets exactly its printed n of 0-10 scores. A service
        whose feedback items print a base of their own gets that many rows; where the base is
        larger than the NPS n, the extra respondents skipped the 0-10 question."""
        rng = self.rng
        items_of: dict[tuple[str, str], list[dict]] = {}
        for x in self.spec["palaute"]["osuudet"]:
            items_of.setdefault((x["alue"], x["palvelu"]), []).append(x)
        rows = []
        for group, services in self.services.groupby("nps", sort=False):
            n = self.n_of(group)
            area = services["alue"].iloc[0]
            scores = list(nps_scores(self.value(group), n, rng))
            fixed = {s: max(self.n_of(x["id"]) for x in items_of[(area, s)])
                     for s in services["palvelu"] if (area, s) in items_of}
            free = [s for s in services["palvelu"] if s not in fixed]
            counts = {}
            if free:  # the rest of the group's responses, split at random over its other services
                weights = np.array([FEEDBACK_WEIGHTS.get((area, s), 1.0) for s in free])
                counts = dict(zip(free, rng.multinomial(max(n - sum(fixed.values()), 0), weights / weights.sum())))
            counts.update(fixed)
            skipped = sum(counts.values()) - n
            for service, count in counts.items():
                for _ in range(count):
                    skip = skipped > 0 and service in fixed
                    skipped -= skip
                    rows.append({"alue": area, "palvelu": service, "suosittelu": None if skip else scores.pop()})
        table = pd.DataFrame(rows)
        for col in FEEDBACK_ITEMS:
            table[col] = pd.array([None] * len(table), dtype="Int64")
        for (area, service), items in items_of.items():
            where = table.index[(table["alue"] == area) & (table["palvelu"] == service)]
            for x in items:
                base = self.n_of(x["id"])
                answered = where[:base]
                k = count_for(self.value(x["id"]), base)
                table.loc[answered, x["kysymys"]] = likert_values(flags(k, base, rng), rng)
        self._open_answers(table)
        table["alue"] = table["alue"].map(self.area_names)
        table.insert(0, "pvm", random_dates(len(table), self.year, rng))
        table = table.sort_values("pvm", kind="stable").reset_index(drop=True)
        table.insert(0, "vastaus", [f"P{i:05d}" for i in range(1, len(table) + 1)])
        return table

    def _open_answers(self, table: pd.DataFrame) -> None:
        rng = self.rng
        table["avoin"] = None
        table["lupa"] = None
        quotes = QUOTES + [PERSONAL_DATA_ANSWER]
        for area, service, *rest in quotes:
            text = rest[-1]
            spare = table.index[(table["alue"] == area) & (table["palvelu"] == service) & table["avoin"].isna()]
            if len(spare) == 0:  # a quote from a service with no scored feedback row (volunteers' reflections)
                table.loc[len(table)] = {"alue": area, "palvelu": service, "suosittelu": None}
                spare = table.index[-1:]
            table.loc[spare[0], ["avoin", "lupa"]] = [text, "Kyllä"]
        # The printed count of open answers from support persons and errand help (n = 71).
        spec = self.spec["palaute"]["avoimet"][0]
        pool = table.index[(table["alue"] == spec["alue"]) & table["palvelu"].isin(spec["palvelut"])]
        missing = int(self.value(spec["id"])) - int(table.loc[pool, "avoin"].notna().sum())
        empty = [i for i in pool if pd.isna(table.at[i, "avoin"])]
        for i in rng.choice(empty, size=missing, replace=False):
            table.at[i, "avoin"] = FILLER_ANSWERS[int(rng.integers(len(FILLER_ANSWERS)))]
            table.at[i, "lupa"] = "Ei"
        others = table.index[~table.index.isin(pool) & table["avoin"].isna()]
        for i in rng.choice(others, size=len(others) // 4, replace=False):
            table.at[i, "avoin"] = FILLER_ANSWERS[int(rng.integers(len(FILLER_ANSWERS)))]
            table.at[i, "lupa"] = "Ei" if rng.random() < 0.7 else None

    # -- volunteers -------------------------------------------------------------------
    def volunteer_registry(self) -> pd.DataFrame:
        rng = self.rng
        spec = self.spec["vapaaehtoiset"]
        tasks = int(self.value(spec["tehtavat"]))
        people = int(self.value(spec["henkilot"]))
        counts, _ = audit.apportion({task: self.value(fid) for task, fid in spec["osuudet"].items()}, tasks)
        slots = rng.permutation(np.repeat(list(counts), list(counts.values())))
        owners = list(range(people)) + list(range(tasks - people))
        # A second task is always a different task than the first: swap with another second
        # task or, when one task is common enough that none fits, with someone's only task.
        swappable = [*range(people, tasks), *range(tasks - people, people)]
        for j in range(people, tasks):
            if slots[j] == slots[owners[j]]:
                swap = next(k for k in swappable if slots[k] != slots[owners[j]] and slots[j] != slots[owners[k]])
                slots[j], slots[swap] = slots[swap], slots[j]
        target = self.value(spec["keski_ika"])
        ages = np.clip(np.round(rng.normal(target, 15, people)), 18, 88).astype(int)
        while round(ages.mean()) != target:
            step = 1 if ages.mean() < target else -1
            who = rng.integers(people)
            if ages[who] + step >= 18:  # volunteers are adults
                ages[who] += step
        ids = [f"V{next(self._ids)}" for _ in range(people)]
        # A stream of their own, seeded by the one draw the registry has always taken from the main
        # stream: every later export (the volunteer survey and its consents to quote) stays the same.
        starts = self._start_dates(np.random.default_rng(rng.integers(0, 366, tasks)), ages[owners])
        table = pd.DataFrame({"vapaaehtoinen": [ids[o] for o in owners],
                              "syntymavuosi": [self.year - int(ages[o]) for o in owners],
                              "tehtava": slots, "aloitus": starts})
        table = table.sort_values(["vapaaehtoinen", "aloitus"], kind="stable").reset_index(drop=True)
        table.insert(0, "tehtava_id", [f"VT{i:05d}" for i in range(1, len(table) + 1)])
        return table

    FIRST_START_AGE, LONGEST_SERVICE = 16, 30  # years

    def _start_dates(self, rng: np.random.Generator, ages: np.ndarray) -> list[date]:
        """When each task began: years of service drawn as real registries show them (most began
        within the last few years, a few have served for decades: exponential, mean 3 years), never
        after the year's end, never before the volunteer was 16 nor over 30 years back."""
        end = date(self.year, 12, 31)
        served = np.minimum(rng.exponential(3.0, len(ages)),
                            np.minimum(np.asarray(ages) - self.FIRST_START_AGE, self.LONGEST_SERVICE))
        return [end - timedelta(days=int(years * 365.25)) for years in served]

    def volunteer_survey(self) -> pd.DataFrame:
        rng = self.rng
        spec = self.spec["vapaaehtoiskysely"]
        n = int(self.value(spec["vastaajat"]))
        table = pd.DataFrame({"vastaaja": range(1, n + 1)})
        opened, minutes = period.window_by(datetime(self.year, 9, 2, 8, 0), 60 * 24 * 28, self.last)
        table["aika"] = [opened + timedelta(minutes=int(m)) for m in np.sort(rng.integers(0, minutes, n))]
        for key, fid in spec["vaittamat"].items():
            agree = flags(count_for(self.value(fid), n), n, rng)
            table[key] = [LIKERT5[v - 1] for v in likert_values(agree, rng)]
        for key in SURVEY_MOTIVES:
            fid = spec["motiivit"].get(key)
            k = count_for(self.value(fid), n) if fid else round(0.58 * n)
            table[f"motiivi_{key}"] = np.where(flags(k, n, rng), 1, None)
        table["suosittelu"] = nps_scores(self.value(spec["nps"]), n, rng)
        quitting = count_for(self.value(spec["lopettaminen"]), n)
        unsure = round(0.06 * n)
        table["lopettaminen"] = rng.permutation(["Kyllä"] * quitting + ["En osaa sanoa"] * unsure + ["En"] * (n - quitting - unsure))
        table["avoin"] = None
        table["lupa"] = None
        answered = rng.choice(n, size=60, replace=False)
        for i, row in enumerate(answered):
            if i < len(VOLUNTEER_QUOTES):
                table.loc[row, ["avoin", "lupa"]] = [VOLUNTEER_QUOTES[i], "Kyllä"]
            else:
                table.loc[row, ["avoin", "lupa"]] = [VOLUNTEER_FILLER[i % len(VOLUNTEER_FILLER)], "Ei"]
        return table

    def downloads(self) -> pd.DataFrame:
        rng = self.rng
        totals = [(x["materiaali"], x["kieli"], int(self.value(x["id"]))) for x in self.spec["lataukset"]]
        totals += [("Yksinäisyyden omahoito-opas", lang, int(self.value(f"omahoito_lataukset_{lang}"))) for lang in ("fi", "sv")]
        days = pd.date_range(f"{self.year}-01-01", f"{self.year}-12-31").date
        rows = []
        for material, language, total in totals:
            per_day = rng.multinomial(total, np.full(len(days), 1 / len(days)))
            rows += [{"pvm": d, "materiaali": material, "kieli": language, "lataukset": int(c)}
                     for d, c in zip(days, per_day) if c > 0]
        return pd.DataFrame(rows).sort_values(["pvm", "materiaali", "kieli"], kind="stable").reset_index(drop=True)

    # -- everything, with the dirt real exports have ----------------------------------
    def build(self) -> dict[str, pd.DataFrame]:
        meetings = self.client_meetings()
        events = self.events()
        self.mark_loneliness(meetings, events)
        return self.until_last({
            "asiakastapaamiset": meetings,
            "tapahtumat": events,
            "vapaaehtoisrekisteri": self.volunteer_registry(),
            "asiakaspalaute": self.feedback(),
            "hyvinvointimittaukset": self.measurements(),
            "materiaalilataukset": self.downloads(),
            "vapaaehtoiskysely": self.volunteer_survey(),
        })

    def until_last(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Every record dated after the last day (today, in a running year) left out; nothing
        changes in a past year."""
        span, out = period.Period(self.year, self.last), {}
        for key, table in tables.items():
            keep = pd.Series(True, index=table.index)
            for column in ("pvm", "aloitus", "aika"):
                if column in table:
                    keep &= span.covers(table[column])
            out[key] = table if keep.all() else table[keep].reset_index(drop=True)
        return out


def _as_text(table: pd.DataFrame, export: Export) -> pd.DataFrame:
    """Format every cell as the source system writes it (d.m.yyyy dates, blanks for missing)."""
    out = pd.DataFrame(index=table.index)
    for col in export.columns:
        values = table[col.name] if col.name in table else pd.Series([None] * len(table), index=table.index)
        if col.kind == "date":
            out[col.raw] = [fi_date(v) if v is not None and not pd.isna(v) else "" for v in values]
        else:
            out[col.raw] = ["" if v is None or pd.isna(v) else str(int(v)) if isinstance(v, (int, np.integer, float)) and not isinstance(v, bool) else str(v) for v in values]
    return out


def add_dirt(raw: pd.DataFrame, key: str, year: int, rng: np.random.Generator) -> pd.DataFrame:
    """Plant what real exports carry: test rows, exact duplicates, varying spellings,
    stray whitespace, old service names, blank lines and a record from another year."""
    raw = raw.copy()
    cols = list(raw.columns)
    if "Palvelu" in raw:
        services = catalog.services(year)
        picks = rng.choice(len(raw), size=min(40, len(raw)), replace=False)
        for i, pos in enumerate(picks):
            name = raw.iat[pos, cols.index("Palvelu")]
            variants = [name.upper(), name.lower(), f" {name}  ", f"{name} "]
            raw.iat[pos, cols.index("Palvelu")] = variants[i % len(variants)]
        for row in services.dropna(subset=["vanhat"]).itertuples():
            where = np.flatnonzero(raw["Palvelu"].str.strip() == row.palvelu)
            for pos in where[:3]:
                raw.iat[pos, cols.index("Palvelu")] = catalog.old_names(row.vanhat)[0][0]
    extra = []
    duplicates = raw.iloc[rng.choice(len(raw), size=2, replace=False)]
    extra += [r for _, r in duplicates.iterrows()]
    test = raw.iloc[int(rng.integers(len(raw)))].copy()
    first_text = next(c for c in cols if "ID" in c or "tunnus" in c.lower() or c == "Materiaali")
    test[first_text] = "TESTI-" + str(test[first_text])
    extra.append(test)
    date_col = next((c for c in cols if c in ("Päivämäärä", "Vastauspäivä", "Päivä", "Mittauspäivä")), None)
    if date_col and key in ("asiakastapaamiset", "tapahtumat", "materiaalilataukset"):
        stray = raw.iloc[int(rng.integers(len(raw)))].copy()
        stray[date_col] = f"31.12.{year - 1}"
        for c in cols:
            if c.endswith("ID"):
                stray[c] = stray[c] + "-V"
        extra.append(stray)
    blank = pd.Series({c: "" for c in cols})
    extra += [blank, blank]
    for row in extra:
        pos = int(rng.integers(1, len(raw)))
        raw = pd.concat([raw.iloc[:pos], row.to_frame().T, raw.iloc[pos:]], ignore_index=True)
    return raw


def write_sample(folder: Paths, seed: int | None = None, today: date | None = None) -> list[Path]:
    """Write every raw export of the year into folder.raw; returns the paths written. `today`:
    the day the sample is written on (default hyte_nb.core.period.today())."""
    generator = SampleGenerator(folder.year, reference.calibration(Paths.of(CALIBRATED_YEAR, "hyte", folder.root)),
                                SEED if seed is None else seed, today)
    out_dir = folder.raw
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = generator.build()
    written = []
    for export in HYTE_EXPORTS:
        table = tables[export.key]
        path = out_dir / export.filename
        if export.filename.endswith(".xlsx"):
            survey = table.copy()
            test = survey.iloc[0].copy()
            test["vastaaja"], test["avoin"] = len(survey) + 1, "TESTI"  # the contract's test word as the whole answer
            survey.loc[len(survey)] = test
            write_webropol_xlsx(survey, export, path, folder.year, generator.last)
        else:
            raw = add_dirt(_as_text(table, export), export.key, folder.year, generator.rng)
            write_csv(raw, path)
        written.append(path)
    return written
