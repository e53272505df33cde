"""Sample Webropol exports of the professionals' survey on hyte guidance, for any year.

2024 is calibrated to the published report: every printed share fixes whole counts with the
audit's rules, and the printed bases (n) and numbers of selections hold. Where the report
has only a chart, the distributions below are our choice (listed in data/raw/README.md).
The 2023 export is illustrative, not published data. Any other year is a plausible year of
its own that no report backs: the typical shares (2023's, and 2024's for what 2023 did not
ask) moved by a seeded Dirichlet draw, 100-130 respondents, a few weeks in the autumn.

Beside every year's export the generator writes the staff register (henkilosto.csv) and two
fictitious other welfare areas' exports of the same questionnaire (alueet/<tunnus>.xlsx, alueet/alueet.csv),
each from its own random stream, so that the survey's own export does not change with them.
Seeded: two runs with the same year and seed write identical files.

A year still running (hyte_nb.core.period) never gets an answer after today: a survey whose
window would close after today is held inside the elapsed period instead, its window moved to
close today (opening on 1.1. at the earliest), every respondent in, so that every page of the
report can be tried mid-year; the staff are counted no later than today. A year after today's
is refused with a Finnish error.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from hyte_nb.core import audit, period, reference
from hyte_nb.core.exportfiles import spread, write_csv, write_webropol_xlsx
from hyte_nb.core.paths import Paths
from hyte_nb.core.schema import Column, Export
from hyte_nb.kysely import questionnaire
from hyte_nb.kysely.questionnaire import option_column

SEED = 20241031
CALIBRATED_YEAR = 2024  # the published survey the sample reproduces
WINDOWS = {2024: (datetime(2024, 10, 1, 8), 31), 2023: (datetime(2023, 12, 4, 8), 19)}  # opened, days open
RESPONDENTS = {2023: 109}  # 2024 comes from the report
JYVASKYLA_2023 = 50

# Chosen where the 2024 report shows only a chart: selections per option (they add up to the
# printed number of selections), and shares for the current-information question.
CHART_ONLY_2024 = {
    "tietolahteet": {"Työkaverit": 78, "Internet-haku": 62, "Kuntien verkkosivut": 45, "Järjestöjen verkkosivut": 33,
                     "Hyvinvointialueen intranet": 28, "Asiakkaat ja omaiset": 24, "Sosiaalinen media": 14, "Muu": 10},
    "toiminta": {"Liikunta": 98, "Vertaistuki": 86, "Ryhmä- ja harrastustoiminta": 80, "Mielen hyvinvointi": 66,
                 "Ravitsemus": 48, "Kulttuuri": 36, "Päihdetyö": 30, "Vapaaehtoistoiminta": 24, "Muu": 12},
    "syyt": {"Kiire": 82, "En tunne sopivaa toimintaa": 58, "Asiakas ei ole kiinnostunut": 52,
             "Toimintaa ei ole lähellä asiakasta": 31, "Ohjaus ei kuulu työtehtäviini": 12, "Muu": 22},
    "ajankohtainen_tieto": {"Helposti": 6, "Melko helposti": 38, "Melko vaikeasti": 46, "Vaikeasti": 10},
}
# Open answers per question where the report prints no n (2024's other open questions print theirs).
OPEN_ANSWERS = {2024: {"muuta": 24}, 2023: {"puheeksi": 54, "hyodyt": 50, "muuta": 19}}

# The 2023 survey (illustrative): shares per option, answered n, selections per checkbox option.
SURVEY_2023 = {
    "ammattiryhma": ({"Terveydenhuollon ammattilainen": 50, "Sosiaalihuollon ammattilainen": 44, "Muu ammattilainen": 6}, 109),
    "asiakastyo": ({"Pidempiaikaisia asiakkuuksia": 58, "Kertaluonteisia asiakkuuksia": 25, "Hyvin satunnaista asiakastyötä": 17}, 109),
    "rooli": ({"Asiakas- ja potilastyössä": 80, "Esihenkilönä": 17, "Muissa tehtävissä": 3}, 109),
    "vastuualue": ({"Koti- ja asumispalvelut": 38, "Laaja-alainen sote-keskus": 33, "Sairaalapalvelut": 15,
                    "Lasten, nuorten ja perheiden palvelut": 11, "Konsernipalvelut": 3}, 109),
    "ohjaus_useus": ({"Päivittäin tai lähes päivittäin": 28, "Viikoittain": 27, "Kuukausittain": 12, "Satunnaisesti": 22,
                      "En tee hyte-ohjausta": 11}, 106),
    "hyodyllisyys": ({"Hyödyllisenä": 50, "Melko hyödyllisenä": 39, "Melko hyödyttömänä": 9, "Hyödyttömänä": 2}, 107),
    "tunteminen": ({"Hyvin": 4, "Melko hyvin": 33, "Melko huonosti": 50, "Huonosti": 13}, 107),
    "ajankohtainen_tieto": ({"Helposti": 4, "Melko helposti": 31, "Melko vaikeasti": 50, "Vaikeasti": 15}, 105),
    "tietolahteet": ({"Työkaverit": 70, "Internet-haku": 55, "Kuntien verkkosivut": 38, "Järjestöjen verkkosivut": 25,
                      "Hyvinvointialueen intranet": 15, "Asiakkaat ja omaiset": 22, "Sosiaalinen media": 12, "Muu": 8}, 104),
    "toiminta": ({"Liikunta": 85, "Vertaistuki": 70, "Ryhmä- ja harrastustoiminta": 66, "Mielen hyvinvointi": 50,
                  "Ravitsemus": 45, "Kulttuuri": 25, "Päihdetyö": 27, "Vapaaehtoistoiminta": 15, "Muu": 10}, 108),
    "sujuvuus": ({"Keski-Suomen hyvinvointialue": [3, 40, 45, 12], "Seurakunnat": [10, 30, 45, 15],
                  "Kunnat": [5, 36, 50, 9], "Järjestöt": [7, 35, 46, 12]}, 103),
}

OPEN_POOLS = {
    "puheeksi": ["Motivoiva haastattelu ja aktiivinen kuuntelu.", "Avoimet ja tarkentavat kysymykset.",
                 "Käytän kyselylomakkeita puheeksi ottamisen tukena.", "Verkostokartta ja mielenterveyden käsi.",
                 "Budjetointi asiakkaan kanssa ja verkostokartta.", "Otan puheeksi sosiaaliset suhteet ja voimavarat.",
                 "Kysyn harrastuksista, ystävistä ja voimavaroista.", "Kerron toiminnan hyvinvointivaikutuksista.",
                 "Kerron esimerkkejä ja näytän mallia esitteiden avulla.", "Ilmaisen oman huoleni asiakkaan tilanteesta.",
                 "Kuuntelen ja kysyn avoimesti, mikä asiakasta kiinnostaa."],
    "hyodyt": ["Paremmin voivat ja tyytyväisemmät asiakkaat ja omaiset.", "Elämänlaatu ja hyvinvointi lisääntyvät.",
               "Asiakkaan aktiivisuus lisääntyy.", "Itsemääräämisoikeus vahvistuu, kun asiakas valitsee itse.",
               "Toimintakyky paranee tai pysyy yllä.", "Kokonaistilanne kohenee.",
               "Lisää työtyytyväisyyttä ja oman työn merkityksellisyyttä.", "Tukee pääasiallisten työtehtävien toteuttamista.",
               "Vähentää ja ehkäisee raskaampien palvelujen tarvetta.", "Vahvistaa alueellista verkostoyhteistyötä."],
    "muuta": ["Ajantasaista tietoa on vaikea löytää.", "Kiireessä ohjaus unohtuu.", "Toivoisin yhteistä tietopankkia.",
              "Koulutusta ja yhteisiä tapaamisia tarvitaan lisää."],
}
SEED_QUOTES = {
    "puheeksi": ['Asiakkaan nostamiin asioihin tarttuminen ja niiden linkittäminen hyte-palveluihin. Pallon heittäminen '
                 'asiakkaalle: "oletko miettinyt tai jo löytänyt keinoja, miten voit vaikuttaa tähän (asiakkaan ongelmaan '
                 'tai sen osatekijään)"'],
    "muuta": ["Olen työskennellyt 80-luvulta alkaen samalla seutukunnalla ja asiakkaiden ohjaus hyte-palveluihin ei tuota "
              "ongelmia. Uusilla työntekijöillä on haasteita selvittää alueen palveluja ja hahmottaa kuntia alueena.",
              "Kiireessä ei aina tule mieleen, mistä asiakas voisi hyötyä tai mitä toimijoita olisi tarjolla.",
              "Jos itse elää eri elämänvaihetta, voi olla vaikea löytää nuoremmille ihmisille oikeita palveluita tai "
              "reittejä niiden löytämiseen",
              "Ajoittain haastava löytää ajantasaista tietoa. Joskus jäänyt esim. vuosiluvut ilmoittamatta, joten ei tiedä "
              "onko kyseinen tapahtuma ajankohtainen vai ollut jo viime vuonna tms.",
              # Contact details that must never reach the report:
              "Hyvä kysely! Lisätietoja saa minulta, Maija Virtanen, 040 765 4321 tai maija.virtanen@example.fi."],
}


# Where a generated year starts from (values, answered, respondents): the 2023 survey, and 2024
# for the questions 2023 did not ask (shares as in the 2024 sample; its printed n).
TYPICAL = {key: (values, answered, RESPONDENTS[2023]) for key, (values, answered) in SURVEY_2023.items()}
TYPICAL.update({key: (None, count, RESPONDENTS[2023]) for key, count in OPEN_ANSWERS[2023].items()})
TYPICAL["syyt"] = (CHART_ONLY_2024["syyt"], 115, 123)
TYPICAL["toimintamalli"] = ({"Toimintamalli voisi hyödyttää omaa työtäni": [70, 10, 20],
                             "Toteuttaisin hyte-ohjausta enemmän yhteisen toimintamallin myötä": [61, 13, 26]}, 121, 123)
NEW_QUESTION_RATE = {"avoin": 0.3}  # a question new to the catalogue: share answering (others 95 %)
CONCENTRATION = 150  # Dirichlet draw: a share of 50 % moves by about ±4 points from the typical year
JYVASKYLA_TYPICAL = (60, 60)  # Beta draw of Jyväskylä's share: about half, ±4 points


@dataclass
class YearPlan:
    """What one year's answers add up to; the generator then deals them out to respondents."""

    respondents: int
    opened: datetime  # 8:00 on the first day
    days: int  # days open
    jyvaskyla: int = 0  # respondents working mainly in Jyväskylä; the rest spread over the others
    single: dict[str, dict[str, int]] = field(default_factory=dict)  # answers per option
    checkbox: dict[str, tuple[dict[str, int], int]] = field(default_factory=dict)  # selections, answered
    matrix: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)  # row -> answers per step
    open: dict[str, int] = field(default_factory=dict)  # open answers
    quotes: dict[str, list[str]] = field(default_factory=dict)  # answers that must appear as written


def whole_counts(shares: dict[str, float], n: int) -> dict[str, int]:
    """Whole counts adding up to n, as near the shares as whole numbers go (largest remainder)."""
    exact = np.array(list(shares.values()), dtype=float)
    exact = exact / exact.sum() * n
    counts = np.floor(exact).astype(int)
    counts[np.argsort(counts - exact, kind="stable")[:n - counts.sum()]] += 1
    return dict(zip(shares, counts.tolist()))


class SurveyGenerator:
    def __init__(self, year: int, reference_file: Path, seed: int = SEED, today: date | None = None):
        self.year = year
        self.today = today
        self.rng = np.random.default_rng(seed + year)
        self.questions = {q["key"]: q for q in questionnaire.survey_questions(year)}
        if year == CALIBRATED_YEAR:
            self.plan = self.calibrated(reference.load(reference_file))
        elif year == 2023:
            self.plan = self.illustrative()
        else:
            self.plan = self.drawn()

    # -- what the year adds up to ----------------------------------------------------------------
    def calibrated(self, ref: pd.DataFrame) -> YearPlan:
        """2024: the published figures, and our choice where the report has only a chart."""
        def value(fid: str) -> float:
            return float(ref.loc[fid, "value"])

        total = int(value("ky_vastaajat"))
        plan = YearPlan(total, *WINDOWS[2024], jyvaskyla=audit.count_for(value("ky_kunta_jyvaskyla"), total),
                        quotes=SEED_QUOTES)
        for key, q in self.questions.items():
            if q["tyyppi"] == "valinta" and key != "kunta":
                if key in CHART_ONLY_2024:
                    shares, answered = CHART_ONLY_2024[key], int(value(q["n_id"]))
                else:
                    ids = {o["teksti"]: o["id"] for o in q["vaihtoehdot"]}
                    shares = {label: value(fid) for label, fid in ids.items()}
                    answered = int(ref.loc[next(iter(ids.values())), "n"])
                plan.single[key] = audit.apportion(shares, answered)[0]
            elif q["tyyppi"] == "monivalinta":
                plan.checkbox[key] = (CHART_ONLY_2024[key], int(value(q["n_id"])))
            elif q["tyyppi"] == "matriisi":
                answered = int(ref.loc[q["rivit"][0]["ids"][0], "n"])
                plan.matrix[key] = {row["teksti"]: self._printed_row(q, row, answered, value) for row in q["rivit"]}
            elif q["tyyppi"] == "avoin":
                plan.open[key] = int(value(q["n_id"])) if "n_id" in q else OPEN_ANSWERS[2024][key]
        return plan

    @staticmethod
    def _printed_row(q: dict, row: dict, answered: int, value) -> dict[str, int]:
        """A matrix row's counts from its printed shares."""
        printed = {label: value(fid) for label, fid in zip(q["asteikko"], row["ids"])}
        if len(printed) < len(q["asteikko"]):  # only "Kyllä" printed: the rest split 1:2
            rest = 100 - sum(printed.values())
            printed.update({q["asteikko"][1]: rest / 3, q["asteikko"][2]: rest * 2 / 3})
            counts = {label: audit.count_for(v, answered) for label, v in printed.items()}
            counts[q["asteikko"][2]] = answered - counts[q["asteikko"][0]] - counts[q["asteikko"][1]]
            printed = {label: 100 * c / answered for label, c in counts.items()}
        return audit.apportion(printed, answered)[0]

    def illustrative(self) -> YearPlan:
        """2023: the illustrative comparison survey."""
        total = RESPONDENTS[2023]
        plan = YearPlan(total, *WINDOWS[2023], jyvaskyla=audit.count_for(JYVASKYLA_2023, total))
        for key, q in self.questions.items():
            if q["tyyppi"] == "valinta" and key != "kunta":
                plan.single[key] = audit.apportion(*SURVEY_2023[key])[0]
            elif q["tyyppi"] == "monivalinta":
                plan.checkbox[key] = SURVEY_2023[key]
            elif q["tyyppi"] == "matriisi":
                rows, answered = SURVEY_2023[key]
                plan.matrix[key] = {r["teksti"]: audit.apportion(dict(zip(q["asteikko"], rows[r["teksti"]])),
                                                                answered)[0] for r in q["rivit"]}
            elif q["tyyppi"] == "avoin":
                plan.open[key] = OPEN_ANSWERS[2023][key]
        return plan

    def drawn(self) -> YearPlan:
        """Any other year: the typical year moved by seeded draws. A question new to the
        catalogue starts from even shares."""
        rng = self.rng
        total = int(rng.integers(100, 131))
        opened = datetime(self.year, 9, 1, 8) + timedelta(days=int(rng.integers(0, 50)))  # 1.9.-20.10.
        plan = YearPlan(total, opened, days=int(rng.integers(14, 29)),
                        jyvaskyla=int(round(total * rng.beta(*JYVASKYLA_TYPICAL))))
        for key, q in self.questions.items():
            kind, options = q["tyyppi"], questionnaire.options(q)
            values, base_answered, base_total = TYPICAL.get(key, (None, NEW_QUESTION_RATE.get(kind, 0.95), 1))
            answered = int(rng.binomial(total, base_answered / base_total))
            if kind == "valinta" and key != "kunta":
                plan.single[key] = whole_counts(self._moved(values or dict.fromkeys(options, 1)), answered)
            elif kind == "monivalinta":  # each option's share of those answering, moved a little
                rates = (np.array([values[o] for o in options]) / base_answered if values
                         else np.full(len(options), max(0.3, 1.5 / len(options))))
                rates = np.clip(rates * np.exp(rng.normal(0, 0.15, len(options))), 0.02, 0.95)
                selections = dict(zip(options, rng.binomial(answered, rates).tolist()))
                plan.checkbox[key] = (selections, min(answered, sum(selections.values())))  # one pick each at least
            elif kind == "matriisi":
                rows = values or {r["teksti"]: [1] * len(options) for r in q["rivit"]}
                plan.matrix[key] = {r["teksti"]: whole_counts(self._moved(dict(zip(options, rows[r["teksti"]]))),
                                                              answered) for r in q["rivit"]}
            elif kind == "avoin":
                plan.open[key] = answered
        return plan

    def _moved(self, shares: dict[str, float]) -> dict[str, float]:
        p = np.array(list(shares.values()), dtype=float)
        return dict(zip(shares, self.rng.dirichlet(CONCENTRATION * p / p.sum()).tolist()))

    @property
    def last(self) -> date:
        """The last day an answer can be sent: 31.12., or today in a running year (a year after
        today's is refused here, when answers are dealt out, not when a year is planned)."""
        return period.last_day(self.year, self.today)

    # -- dealing the answers out ---------------------------------------------------------------
    def deal(self, counts: dict[str, int], total: int) -> list:
        """The answers in random order; respondents beyond the counts left the question blank."""
        answered = sum(counts.values())
        answers = np.array([label for label, c in counts.items() for _ in range(c)] + [None] * (total - answered),
                           dtype=object)
        return list(self.rng.permutation(answers))

    def municipality(self, q: dict, total: int) -> list:
        """Jyväskylä's count is set; everyone else is spread over the other municipalities."""
        jkl = self.plan.jyvaskyla
        others = [o["teksti"] for o in q["vaihtoehdot"][1:]]
        counts = dict(zip(others, spread(total - jkl, len(others), self.rng)))
        answers = [q["vaihtoehdot"][0]["teksti"]] * jkl + [o for o, c in counts.items() for _ in range(c)]
        return list(self.rng.permutation(np.array(answers, dtype=object)))

    def checkbox(self, key: str, total: int) -> dict[str, list]:
        """Every answering respondent picks at least one option; options get their counts."""
        selections, answered = self.plan.checkbox[key]
        people = self.rng.choice(total, size=answered, replace=False)
        chosen = {option: set() for option in selections}
        options = list(selections)
        for person in people:  # one option each first, so nobody who answered has none
            remaining = np.array([selections[o] - len(chosen[o]) for o in options], dtype=float)
            pick = options[self.rng.choice(len(options), p=remaining / remaining.sum())]
            chosen[pick].add(person)
        for option in options:
            free = [p for p in people if p not in chosen[option]]
            extra = selections[option] - len(chosen[option])
            chosen[option].update(self.rng.choice(free, size=extra, replace=False).tolist())
        return {o: [1 if i in chosen[o] else None for i in range(total)] for o in options}

    def open_answers(self, key: str, total: int) -> list:
        count = self.plan.open[key]
        pool = OPEN_POOLS.get(key, OPEN_POOLS["muuta"])  # a new open question: general comments
        texts = list(self.plan.quotes.get(key, []))
        while len(texts) < count:
            k = int(self.rng.integers(1, 3))
            texts.append(" ".join(self.rng.choice(pool, size=k, replace=False)))
        people = self.rng.choice(total, size=count, replace=False)
        answers = [None] * total
        for person, text in zip(people, texts):
            answers[person] = text
        return answers

    def build(self) -> pd.DataFrame:
        total, opened, days = self.plan.respondents, self.plan.opened, self.plan.days
        # Answers start between opening (8:00 on the first day) and 22:00 on the last day, and
        # are sent within 25 minutes; in a running year the window closes by the end of today.
        latest = (days - 1) * 24 * 60 + 14 * 60
        opened, open_minutes = period.window_by(opened, latest + 25, self.last)
        latest = open_minutes - 25
        starts = sorted(opened + timedelta(minutes=int(m)) for m in self.rng.integers(0, latest, total))
        table = {"vastaaja": list(range(1, total + 1)), "aloitettu": starts,
                 "lahetetty": [s + timedelta(minutes=int(self.rng.integers(3, 25))) for s in starts]}
        for key, q in self.questions.items():
            if key == "kunta":
                table[key] = self.municipality(q, total)
            elif q["tyyppi"] == "valinta":
                table[key] = self.deal(self.plan.single[key], total)
            elif q["tyyppi"] == "monivalinta":
                for option, values in self.checkbox(key, total).items():
                    table[option_column(q, option)] = values
            elif q["tyyppi"] == "matriisi":
                for row, counts in self.plan.matrix[key].items():
                    table[option_column(q, row)] = self.deal(counts, total)
            else:
                table[key] = self.open_answers(key, total)
        return pd.DataFrame(table)


def write_survey_sample(folder: Paths, seed: int | None = None, today: date | None = None) -> Path:
    """The Webropol export of folder.year into folder.raw. `today`: the day the sample is
    written on (default hyte_nb.core.period.today())."""
    generator = SurveyGenerator(folder.year, reference.calibration(Paths.of(CALIBRATED_YEAR, "kysely", folder.root)),
                                SEED if seed is None else seed, today)
    period.last_day(folder.year, today)  # a year after today's: the error before anything is written
    out_dir = folder.raw
    out_dir.mkdir(parents=True, exist_ok=True)
    export = questionnaire.survey_export(folder.year)
    table = generator.build()
    open_questions = [q["key"] for q in questionnaire.survey_questions(folder.year) if q["tyyppi"] == "avoin"]
    if open_questions:  # a test response typed in by whoever set the survey up, as real exports have
        test = table.iloc[0].copy()
        test["vastaaja"] = len(table) + 1
        test[open_questions[-1]] = "testivastaus"
        table.loc[len(table)] = test
    path = out_dir / export.filename
    write_webropol_xlsx(table[[c.name for c in export.columns]], export, path, folder.year, generator.last)
    write_survey_extras(folder, seed, today)
    return path


# -- the staff register and the other welfare areas (written beside the survey's export) ----------
# The staff register (henkilosto.csv): the welfare area's social and health professionals by
# responsibility area and professional group, as the HR system reports them (aggregated counts,
# no persons). About 5 900 professionals, so that the survey's 100-130 respondents are about 2 %
# of them, as the report says ("vastausprosentti jäi alhaiseksi"). Social care professionals
# answered more often than the others, hospital staff least often (about 3 % against 1.5 %),
# so that weighting to the staff moves the sample's shares by a few points at most. Every
# sample year moves each cell by a seeded draw (about ±4 %).
STAFF_TYPICAL = {
    "Koti- ja asumispalvelut": {"Terveydenhuollon ammattilainen": 1050, "Sosiaalihuollon ammattilainen": 950,
                                "Muu ammattilainen": 100},
    "Laaja-alainen sote-keskus": {"Terveydenhuollon ammattilainen": 1180, "Sosiaalihuollon ammattilainen": 470,
                                  "Muu ammattilainen": 120},
    "Sairaalapalvelut": {"Terveydenhuollon ammattilainen": 1000, "Sosiaalihuollon ammattilainen": 70,
                         "Muu ammattilainen": 110},
    "Lasten, nuorten ja perheiden palvelut": {"Terveydenhuollon ammattilainen": 330,
                                              "Sosiaalihuollon ammattilainen": 220, "Muu ammattilainen": 40},
    "Konsernipalvelut": {"Terveydenhuollon ammattilainen": 90, "Sosiaalihuollon ammattilainen": 60,
                         "Muu ammattilainen": 110},
}
STAFF_SPREAD = 0.04  # a cell moves by about this much from year to year
STAFF_STREAM = 1  # the staff draws' own random stream: the survey's answers do not move


def staff_sample(year: int, seed: int = SEED, today: date | None = None) -> pd.DataFrame:
    """The year's staff register as the HR report lists it: area by area, group by group, and a
    Yhteensä line at the end. Counted the day before the survey opened (31.8. in a generated year),
    and never after today."""
    from hyte_nb.kysely import population

    rng = np.random.default_rng([seed, year, STAFF_STREAM])
    counted = (WINDOWS[year][0] if year in WINDOWS else datetime(year, 9, 1)) - timedelta(days=1)
    counted = min(counted.date(), period.last_day(year, today))
    day = f"{counted.day}.{counted.month}.{counted.year}"
    area_options = population.levels("vastuualue")
    group_options = population.levels("ammattiryhma")
    rows = []
    for area in area_options:
        for group in group_options:
            typical = STAFF_TYPICAL.get(area, {}).get(group, 100)  # an option new to the catalogue: a small unit
            rows.append([day, area, group, int(round(typical * np.exp(rng.normal(0, STAFF_SPREAD))))])
    total = sum(r[3] for r in rows)
    rows.append([day, population.TOTAL_ROW, "", total])
    return pd.DataFrame(rows, columns=[c.raw for c in population.staff_export().columns])


@dataclass(frozen=True)
class OtherArea:
    """Another welfare area that ran the same questionnaire, as its sample export is drawn: the
    typical year (as for any generated year), then some answers tilted towards the first
    options of an ordered scale (tilt < 1: e.g. knows the activities better) or away from them
    (tilt > 1); questions it left out; a question of its own; its own municipalities."""

    code: str  # the file name: alueet/<code>.xlsx
    name: str
    stream: int  # its own random stream
    municipalities: tuple[str, ...]  # the first one is the largest (about half of the respondents)
    tilts: dict = field(default_factory=dict)
    left_out: tuple[str, ...] = ()
    own_question: dict | None = None
    own_counts: dict | None = None  # shares of the own question's options


OWN_AREA_ROW = "Keski-Suomen hyvinvointialue"  # a matrix row that names the own area: each area names itself
# The sample's other areas are fictitious, and so are their municipalities: invented answers must
# never stand under a real welfare area's name.
OTHER_AREAS = (
    OtherArea("esimerkkialue_a", "Esimerkkialue A", 2, tuple(f"Esimerkkikunta A{i}" for i in range(1, 20)),
              tilts={"tunteminen": 0.45, "ajankohtainen_tieto": 0.6, "ohjaus_useus": 0.8}),
    OtherArea("esimerkkialue_b", "Esimerkkialue B", 3, tuple(f"Esimerkkikunta B{i}" for i in range(1, 19)),
              tilts={"tunteminen": 1.4, "sujuvuus": 1.35, "hyodyllisyys": 1.2},
              left_out=("syyt", "toimintamalli"),
              own_question={"key": "yhdyshenkilo", "teksti": "Onko työyksikköösi nimetty hyte-yhdyshenkilö?",
                            "tyyppi": "valinta", "osio": "hyte_ohjaus",
                            "vaihtoehdot": [{"teksti": "Kyllä"}, {"teksti": "Ei"}, {"teksti": "En tiedä"}]},
              own_counts={"Kyllä": 34, "Ei": 41, "En tiedä": 25}),
)


class AreaGenerator(SurveyGenerator):
    """Another welfare area's export of the year's questionnaire (see OtherArea)."""

    def __init__(self, year: int, area: OtherArea, seed: int = SEED, today: date | None = None):
        self.year = year
        self.today = today
        self.area = area
        self.rng = np.random.default_rng([seed, year, area.stream])
        self.questions = {q["key"]: q for q in questionnaire.survey_questions(year) if q["key"] not in area.left_out}
        self.plan = self.drawn()
        for key, tilt in area.tilts.items():
            if key in self.plan.single:
                self.plan.single[key] = self._tilted(self.plan.single[key], tilt)
            elif key in self.plan.matrix:
                self.plan.matrix[key] = {row: self._tilted(counts, tilt) for row, counts in self.plan.matrix[key].items()}
        self._own_words()

    @staticmethod
    def _tilted(counts: dict[str, int], tilt: float) -> dict[str, int]:
        shares = {label: max(c, 0.5) * tilt ** i for i, (label, c) in enumerate(counts.items())}
        return whole_counts(shares, sum(counts.values()))

    def _own_words(self) -> None:
        """The area's municipalities, the matrix row that names the area, its own question."""
        area = self.area
        if "kunta" in self.questions:
            q = copy.deepcopy(self.questions["kunta"])
            q["vaihtoehdot"] = [{"teksti": m} for m in area.municipalities]
            self.questions["kunta"] = q
        for key, q in list(self.questions.items()):
            if q["tyyppi"] == "matriisi" and any(r["teksti"] == OWN_AREA_ROW for r in q["rivit"]):
                q = copy.deepcopy(q)
                for r in q["rivit"]:
                    if r["teksti"] == OWN_AREA_ROW:
                        r["teksti"] = area.name
                self.questions[key] = q
                self.plan.matrix[key] = {area.name if row == OWN_AREA_ROW else row: counts
                                         for row, counts in self.plan.matrix[key].items()}
        if area.own_question:
            q = area.own_question
            self.questions[q["key"]] = q
            answered = int(self.rng.binomial(self.plan.respondents, 0.95))
            self.plan.single[q["key"]] = whole_counts(area.own_counts, answered)

    def export(self) -> Export:
        """The area's Webropol header: the year's columns less the questions it left out, its
        own row and municipality words, its own question last."""
        columns = []
        for column in questionnaire.survey_export(self.year).columns:
            key = column.name.split("__")[0]
            if key in self.area.left_out:
                continue
            if column.raw.endswith(f" - {OWN_AREA_ROW}"):
                q = self.questions[key]
                column = replace(column, raw=column.raw.replace(OWN_AREA_ROW, self.area.name),
                                 name=option_column(q, self.area.name))
            columns.append(column)
        if self.area.own_question:
            q = self.area.own_question
            columns.append(Column(q["teksti"], q["key"], "choice", required=False,
                                  choices=tuple(o["teksti"] for o in q["vaihtoehdot"])))
        return Export(f"alue_{self.area.code}", f"{self.area.code}.xlsx", f"{self.area.name}: Webropol-kysely",
                      "yksi rivi per vastaaja", tuple(columns))


AREAS_FOLDER = "alueet"
AREAS_LIST = "alueet.csv"


def write_areas_sample(folder: Paths, seed: int | None = None, today: date | None = None) -> list[Path]:
    """The other welfare areas' exports of the year (alueet/<tunnus>.xlsx, each with a test
    response as real exports have) and the list of areas (alueet/alueet.csv)."""
    out_dir = folder.raw / AREAS_FOLDER
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for area in OTHER_AREAS:
        generator = AreaGenerator(folder.year, area, SEED if seed is None else seed, today)
        export = generator.export()
        table = generator.build()
        _add_test_response(table, generator.questions)
        path = out_dir / export.filename
        write_webropol_xlsx(table[[c.name for c in export.columns]], export, path, folder.year, generator.last)
        written.append(path)
    areas = pd.DataFrame({"Tunnus": [a.code for a in OTHER_AREAS], "Hyvinvointialue": [a.name for a in OTHER_AREAS]})
    write_csv(areas, out_dir / AREAS_LIST)
    return [*written, out_dir / AREAS_LIST]


def _add_test_response(table: pd.DataFrame, questions: dict[str, dict]) -> None:
    open_questions = [key for key, q in questions.items() if q["tyyppi"] == "avoin"]
    if open_questions:
        test = table.iloc[0].copy()
        test["vastaaja"] = len(table) + 1
        test[open_questions[-1]] = "testivastaus"
        table.loc[len(table)] = test


def write_staff_sample(folder: Paths, seed: int | None = None, today: date | None = None) -> Path | None:
    """The year's staff register (henkilosto.csv), where the year asks both background
    questions the register counts by."""
    from hyte_nb.kysely import population

    if not all(questionnaire.is_asked(key, folder.year) for key in population.MARGINS):
        return None
    folder.raw.mkdir(parents=True, exist_ok=True)
    path = folder.raw / population.STAFF_FILE
    write_csv(staff_sample(folder.year, SEED if seed is None else seed, today), path)
    return path


def write_survey_extras(folder: Paths, seed: int | None = None, today: date | None = None) -> list[Path]:
    """Beside the survey's export: the staff register and the other areas' exports."""
    staff = write_staff_sample(folder, seed, today)
    return ([staff] if staff else []) + write_areas_sample(folder, seed, today)
