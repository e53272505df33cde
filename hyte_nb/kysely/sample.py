"""Sample Webropol exports of the professionals' survey on hyte guidance (2024 and 2023).

2024 is calibrated to the published report: every printed share fixes whole counts with the
audit's rules, and the printed bases (n) and numbers of selections hold. Where the report
has only a chart, the distributions below are our choice (listed in data/raw/README.md).
The 2023 export is illustrative, not published data. Seeded: two runs, identical files.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from hyte_nb.core import audit, reference
from hyte_nb.core.exportfiles import spread, write_webropol_xlsx
from hyte_nb.core.paths import Paths
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


class SurveyGenerator:
    def __init__(self, year: int, reference_file: Path, seed: int = SEED):
        self.year = year
        self.rng = np.random.default_rng(seed + year)
        self.questions = {q["key"]: q for q in questionnaire.survey_questions(year)}
        self.ref = reference.load(reference_file) if year == CALIBRATED_YEAR else None

    def value(self, fid: str) -> float:
        return float(self.ref.loc[fid, "value"])

    def n_of(self, fid: str) -> int:
        return int(self.ref.loc[fid, "n"])

    def respondents(self) -> int:
        return int(self.value("ky_vastaajat")) if self.year == 2024 else RESPONDENTS[self.year]

    def choice(self, labels: dict[str, float], answered: int, total: int) -> list:
        counts, _ = audit.apportion(labels, answered)
        answers = np.array([label for label, c in counts.items() for _ in range(c)] + [None] * (total - answered),
                           dtype=object)
        return list(self.rng.permutation(answers))

    def single(self, key: str, total: int) -> list:
        q = self.questions[key]
        if key == "kunta":  # the report prints Jyväskylä's share; everyone else is spread over the rest
            jkl = audit.count_for(self.value("ky_kunta_jyvaskyla") if self.year == 2024 else JYVASKYLA_2023, total)
            others = [o["teksti"] for o in q["vaihtoehdot"][1:]]
            counts = dict(zip(others, spread(total - jkl, len(others), self.rng)))
            answers = ["Jyväskylä"] * jkl + [o for o, c in counts.items() for _ in range(c)]
            return list(self.rng.permutation(np.array(answers, dtype=object)))
        if self.year == 2023:
            shares, answered = SURVEY_2023[key]
        elif key in CHART_ONLY_2024:
            shares, answered = CHART_ONLY_2024[key], int(self.value(q["n_id"]))
        else:
            ids = {o["teksti"]: o["id"] for o in q["vaihtoehdot"]}
            shares = {label: self.value(fid) for label, fid in ids.items()}
            answered = self.n_of(next(iter(ids.values())))
        return self.choice(shares, answered, total)

    def checkbox(self, key: str, total: int) -> dict[str, list]:
        """Every answering respondent picks at least one option; options get their counts."""
        q = self.questions[key]
        if self.year == 2023:
            selections, answered = SURVEY_2023[key]
        else:
            selections, answered = CHART_ONLY_2024[key], int(self.value(q["n_id"]))
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

    def matrix(self, key: str, total: int) -> dict[str, list]:
        q = self.questions[key]
        out = {}
        if self.year == 2023:
            rows, answered = SURVEY_2023[key]
            for row in q["rivit"]:
                out[row["teksti"]] = self.choice(dict(zip(q["asteikko"], rows[row["teksti"]])), answered, total)
            return out
        answered = self.n_of(q["rivit"][0]["ids"][0])
        for row in q["rivit"]:
            printed = {label: self.value(fid) for label, fid in zip(q["asteikko"], row["ids"])}
            if len(printed) < len(q["asteikko"]):  # only "Kyllä" printed: the rest split 1:2
                rest = 100 - sum(printed.values())
                printed.update({q["asteikko"][1]: rest / 3, q["asteikko"][2]: rest * 2 / 3})
                counts = {label: audit.count_for(v, answered) for label, v in printed.items()}
                counts[q["asteikko"][2]] = answered - counts[q["asteikko"][0]] - counts[q["asteikko"][1]]
                printed = {label: 100 * c / answered for label, c in counts.items()}
            out[row["teksti"]] = self.choice(printed, answered, total)
        return out

    def open_answers(self, key: str, total: int) -> list:
        q = self.questions[key]
        printed = self.year == 2024 and "n_id" in q
        count = int(self.value(q["n_id"])) if printed else OPEN_ANSWERS[self.year][key]
        quotes = SEED_QUOTES.get(key, []) if self.year == 2024 else []
        pool = OPEN_POOLS[key]
        texts = list(quotes)
        while len(texts) < count:
            k = int(self.rng.integers(1, 3))
            texts.append(" ".join(self.rng.choice(pool, size=k, replace=False)))
        people = self.rng.choice(total, size=count, replace=False)
        answers = [None] * total
        for person, text in zip(people, texts):
            answers[person] = text
        return answers

    def build(self) -> pd.DataFrame:
        total = self.respondents()
        opened, days = WINDOWS[self.year]
        # Answers start between opening (8:00 on the first day) and 22:00 on the last day.
        latest = (days - 1) * 24 * 60 + 14 * 60
        starts = sorted(opened + timedelta(minutes=int(m)) for m in self.rng.integers(0, latest, total))
        table = {"vastaaja": list(range(1, total + 1)), "aloitettu": starts,
                 "lahetetty": [s + timedelta(minutes=int(self.rng.integers(3, 25))) for s in starts]}
        for key, q in self.questions.items():
            if q["tyyppi"] == "valinta":
                table[key] = self.single(key, total)
            elif q["tyyppi"] == "monivalinta":
                for option, values in self.checkbox(key, total).items():
                    table[option_column(q, option)] = values
            elif q["tyyppi"] == "matriisi":
                for row, values in self.matrix(key, total).items():
                    table[option_column(q, row)] = values
            else:
                table[key] = self.open_answers(key, total)
        return pd.DataFrame(table)


def write_survey_sample(folder: Paths, seed: int | None = None) -> Path:
    """The Webropol export of folder.year into folder.raw."""
    out_dir = folder.raw
    out_dir.mkdir(parents=True, exist_ok=True)
    export = questionnaire.survey_export(folder.year)
    table = SurveyGenerator(folder.year, Paths.of(CALIBRATED_YEAR, "kysely", folder.root).reference,
                            SEED if seed is None else seed).build()
    test = table.iloc[0].copy()  # a test response sent before the survey opened, as real exports have
    test["vastaaja"] = len(table) + 1
    test["muuta"] = "testivastaus"
    table.loc[len(table)] = test
    path = out_dir / export.filename
    write_webropol_xlsx(table[[c.name for c in export.columns]], export, path, folder.year)
    return path
