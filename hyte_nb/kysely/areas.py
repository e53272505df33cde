"""Several welfare areas side by side: other areas' Webropol exports of the same questionnaire,
each shared question's distribution per area with 95 % Wilson intervals and a test of
difference, and the own area's position. Questions that differ between areas are listed,
not forced together.

Layout (data/raw/README.md): data/raw/<vuosi>/kysely/alueet/<tunnus>.xlsx, one Webropol export
per area in the same layout as the own area's export, and data/raw/<vuosi>/kysely/alueet/alueet.csv
listing each file's tunnus and the area's name. The own area is the report's own export
(hyte_ohjaus_kysely_<vuosi>.xlsx), named as organisaatio.yml names the report's organisation.

What counts as the same question: the same column header as the own area's questionnaire of
the year (kysely.yml); its answers must then be the questionnaire's options (anything else is
an error naming file, row, column and value, as in the own export). A header the own
questionnaire does not have is the area's own question (a reworded question is one too), and
a question not asked in every area is not compared: both are listed by AreaSet.differences().
The municipality question is each area's own (its own municipalities): read, not compared.

A page is a few calls:

    alueet = areas.load(kansiot, osio.answers)          # AreasMissing: its message says what is needed
    alueet.differences()                                 # questions not compared, and why
    vertailu = alueet.compare("tunteminen")              # -> Comparison: .tables, .tests, .position(), .sentence()
    kaikki = alueet.compare_all()                        # every shared question, Holm-adjusted

The survey's cleaning (kysely/report.py) cleans the exports with the survey (`clean_areas`) and
puts the number of areas into the figures table (`area_figures`). The page shows `summary_sentence`, `position_table`,
then `show_comparison` for each comparison (a chart, the sentence, the shares with intervals) and
`differences()`. The background questions (professional group, responsibility area, …) are
breakdowns of persons: their tables hide counts of fewer than five (hyte_nb.core.suppression) and
they get no chart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from openpyxl import load_workbook

from hyte_nb.core import charts, clean, display, fmt, suppression, texts
from hyte_nb.core.figures import FigureTable
from hyte_nb.core.paths import Paths
from hyte_nb.core.read import ROW, ExportError, problem
from hyte_nb.core.schema import WEBROPOL_FIXED, Column, Export
from hyte_nb.core.stats import ALPHA, TestResult, contingency_test, holm, wilson
from hyte_nb.kysely import analysis, questionnaire
from hyte_nb.kysely.questionnaire import option_column, title

_phrase = partial(texts.phrase, "kysely")  # a sentence of the survey's pages (hyte_nb/tekstit/kysely.md)

FOLDER = "alueet"
LIST_FILE = "alueet.csv"
AREA_SPECIFIC = {"kunta"}  # questions whose options are each area's own
OWN_PREFIX = "oma: "  # tidy name of a column the own questionnaire does not have: "oma: <header>"
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DEFAULT_OWN_NAME = "Oma alue"
AREAS_FIGURE = "ky_alueita"
BACKGROUND = "vastaajat"  # the questionnaire's section of background questions: breakdowns of persons


def list_export() -> Export:
    return Export("alueet", LIST_FILE, "Vertailtavien hyvinvointialueiden luettelo", "yksi rivi per alue", (
        Column("Tunnus", "tunnus", "text", doc="alueen viennin tiedostonimi ilman päätettä: alueet/<tunnus>.xlsx"),
        Column("Hyvinvointialue", "nimi", "text", doc="alueen nimi sivuilla"),
    ))


# -- where the files are, and what a page says without them ------------------------------------------
class AreasMissing(FileNotFoundError):
    """No other area's export for the year; str() is the Finnish sentence a page shows."""


def folder_of(folder: Paths) -> Path:
    return folder.raw / FOLDER


def has_areas(folder: Paths) -> bool:
    return (folder_of(folder) / LIST_FILE).exists()


def missing_message(folder: Paths) -> str:
    try:
        where = folder_of(folder).relative_to(folder.root)
    except ValueError:
        where = folder_of(folder)
    return _phrase("alueet_puuttuvat", kansio=where, luettelo=LIST_FILE)


def own_name(folder: Paths) -> str:
    """The own area's name: the organisation of the survey report in organisaatio.yml."""
    path = folder.root / "organisaatio.yml"
    if path.exists():
        words = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        name = ((words.get("raportit") or {}).get(folder.report) or {}).get("organisaatio")
        if name:
            return name
    return DEFAULT_OWN_NAME


# -- reading and cleaning an area's export -----------------------------------------------------------------
def _header(path: Path) -> list[str]:
    if not path.exists():
        raise FileNotFoundError(f"{path}: tiedostoa ei löydy (odotettiin: toisen hyvinvointialueen Webropol-vienti)")
    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    first = next(sheet.iter_rows(max_row=1, values_only=True), ())
    return [str(h).strip() for h in first if h is not None and str(h).strip()]


def area_export(path: Path, year: int, code: str, name: str) -> Export:
    """The area's export as its header declares it: a column the own questionnaire of the year
    has is read by the questionnaire's rule (its options); the municipality question as text;
    any other column as the area's own question (text, named 'oma: <header>')."""
    header = _header(path)
    missing = [c for c in WEBROPOL_FIXED if c not in header]
    if missing:
        raise ExportError([f"{path}, rivi 1 (otsikkorivi): sarake puuttuu: {m!r}" for m in missing])
    known = {c.raw: c for c in questionnaire.survey_export(year).columns}
    columns = []
    for raw in header:
        column = known.get(raw)
        if column is None:
            column = Column(raw, OWN_PREFIX + raw, "text", required=False, doc="alueen oma kysymys")
        elif column.name in AREA_SPECIFIC:
            column = Column(raw, column.name, "text", required=False, doc="alueen omat vaihtoehdot")
        columns.append(column)
    return Export(f"alue_{code}", path.name, f"{name}: Webropol-kysely", "yksi rivi per vastaaja", tuple(columns))


def clean_area(path: Path, year: int, code: str, name: str, log: clean.CleaningLog) -> pd.DataFrame:
    return clean.clean_export(path, area_export(path, year, code, name), year, log)


def _check_list(tidy: pd.DataFrame, export: Export, path: Path) -> pd.DataFrame:
    problems = []
    for row, code in zip(tidy[ROW], tidy["tunnus"]):
        if not CODE.match(code):
            problems.append(problem(path, row, "Tunnus", code, "pienet kirjaimet a–z, numerot, - ja _ "
                                                              "(tunnus on tiedoston nimi)"))
        elif not (path.parent / f"{code}.xlsx").exists():
            problems.append(problem(path, row, "Tunnus", code, f"tiedosto {path.parent / (code + '.xlsx')}"))
    for row, code in zip(tidy.loc[tidy["tunnus"].duplicated(), ROW], tidy.loc[tidy["tunnus"].duplicated(), "tunnus"]):
        problems.append(problem(path, row, "Tunnus", code, "kukin tunnus vain kerran"))
    listed = set(tidy["tunnus"])
    problems += [f"{f}: vienti puuttuu luettelosta {path} (lisää sille rivi: Tunnus {f.stem!r})"
                 for f in sorted(path.parent.glob("*.xlsx")) if f.stem not in listed and not f.name.startswith("~$")]
    if problems:
        raise ExportError(problems)
    return tidy


def clean_areas(folder: Paths, log: clean.CleaningLog) -> dict[str, pd.DataFrame]:
    """The areas list and every listed area's export, cleaned by the project's rules (test
    rows, blank rows and duplicates removed and logged, every known column's answers checked
    against the questionnaire), as {table name: table} for clean.write_processed:
    alueet (tunnus, nimi) and alue_<tunnus>. Empty where the year has no other areas."""
    if not has_areas(folder):
        return {}
    list_path = folder_of(folder) / LIST_FILE
    listing = clean.clean_export(list_path, list_export(), folder.year, log, check=_check_list)
    tables = {"alueet": listing[["tunnus", "nimi"]].reset_index(drop=True)}
    for code, name in zip(listing["tunnus"], listing["nimi"]):
        tables[f"alue_{code}"] = clean_area(folder_of(folder) / f"{code}.xlsx", folder.year, code, name, log)
    return tables


# -- the areas together ---------------------------------------------------------------------------------------
@dataclass
class AreaSet:
    """The own area's answers and the other areas', by name (own first)."""

    year: int
    own: str
    tables: dict[str, pd.DataFrame]

    def _questions(self) -> dict[str, dict]:
        return {key: q for key, q in analysis.questions(self.year).items()
                if q["tyyppi"] != "avoin" and key not in AREA_SPECIFIC}

    def _has(self, column: str) -> list[str]:
        return [name for name, table in self.tables.items() if column in table]

    def answer_sets(self, q: dict) -> dict[str, list[str]]:
        """{label: columns} of a question's answer sets: a single-choice question one, a matrix
        one per row, a checkbox question one per option."""
        if q["tyyppi"] == "monivalinta":
            return {f"{title(q)}: {o['teksti']}": [option_column(q, o["teksti"])] for o in q["vaihtoehdot"]}
        return {label: [column] for label, column in analysis.answer_columns(q).items()}

    def shared(self) -> list[str]:
        """Questions asked in every area (a matrix: at least one row in every area; a checkbox
        question: every option in every area)."""
        out = []
        for key, q in self._questions().items():
            sets = self.answer_sets(q)
            present = [len(self._has(cols[0])) == len(self.tables) for cols in sets.values()]
            if (q["tyyppi"] == "matriisi" and any(present)) or all(present):
                out.append(key)
        return out

    def differences(self) -> pd.DataFrame:
        """Every question that is not compared across all areas, and why: not asked in every
        area (which areas lack it), a matrix row not asked everywhere, the area's own question,
        or a question whose options are each area's own."""
        rows = []
        names = list(self.tables)
        for key, q in analysis.questions(self.year).items():
            if q["tyyppi"] == "avoin":
                continue
            if key in AREA_SPECIFIC:
                rows.append({"Kysymys": title(q), "Alueet": ", ".join(self._has(key)),
                             "Miksi ei vertailla": "vaihtoehdot ovat kunkin alueen omat"})
                continue
            sets = self.answer_sets(q)
            lacking = {label: [n for n in names if n not in self._has(cols[0])] for label, cols in sets.items()}
            if q["tyyppi"] == "monivalinta" and any(lacking.values()):
                without = sorted({n for missing in lacking.values() for n in missing}, key=names.index)
                rows.append({"Kysymys": title(q), "Alueet": ", ".join(n for n in names if n not in without),
                             "Miksi ei vertailla": "ei kysytty alueilla: " + ", ".join(without)})
                continue
            for label, missing in lacking.items():
                if missing:
                    rows.append({"Kysymys": label, "Alueet": ", ".join(n for n in names if n not in missing),
                                 "Miksi ei vertailla": "ei kysytty alueilla: " + ", ".join(missing)})
        own_columns: dict[str, list[str]] = {}
        for name, table in self.tables.items():
            for column in table.columns:
                if column.startswith(OWN_PREFIX):
                    own_columns.setdefault(column[len(OWN_PREFIX):], []).append(name)
        for header, where in own_columns.items():
            rows.append({"Kysymys": header, "Alueet": ", ".join(where),
                         "Miksi ei vertailla": "alueen oma kysymys (ei oman alueen kyselylomakkeessa)"})
        return pd.DataFrame(rows, columns=["Kysymys", "Alueet", "Miksi ei vertailla"])

    def compare(self, key: str) -> Comparison:
        return compare(questionnaire.question(key), self.tables, self.own)

    def compare_all(self) -> list[Comparison]:
        """Every shared question compared; the p-values Holm-adjusted over all the tests."""
        comparisons = [self.compare(key) for key in self.shared()]
        holm([t for c in comparisons for t in c.tests.values()])
        return comparisons

    def sizes(self) -> pd.DataFrame:
        return pd.DataFrame({"Hyvinvointialue": list(self.tables),
                             "Vastaajia": [len(t) for t in self.tables.values()]})


def load(folder: Paths, own_answers: pd.DataFrame, own: str | None = None) -> AreaSet:
    """The own area's answers (the clean table of the year) with the other areas' exports: the
    tables the cleaning notebook wrote (alueet.parquet, alue_<tunnus>.parquet), else the raw
    exports cleaned here by the same rules. AreasMissing where the year has no areas list."""
    processed = folder.processed / "alueet.parquet"
    if processed.exists():
        listing = pd.read_parquet(processed)
        others = {name: pd.read_parquet(folder.processed / f"alue_{code}.parquet")
                  for code, name in zip(listing["tunnus"], listing["nimi"])}
    elif has_areas(folder):
        tables = clean_areas(folder, clean.CleaningLog())
        others = {name: tables[f"alue_{code}"] for code, name in zip(tables["alueet"]["tunnus"],
                                                                     tables["alueet"]["nimi"])}
    else:
        raise AreasMissing(missing_message(folder))
    own = own or own_name(folder)
    return AreaSet(folder.year, own, {own: own_answers, **others})


def load_if_any(folder: Paths, own_answers: pd.DataFrame, own: str | None = None) -> AreaSet | None:
    """load(), or None where the year has no other areas (the page then shows missing_message()
    and stops)."""
    try:
        return load(folder, own_answers, own)
    except AreasMissing:
        return None


# -- one question across the areas -------------------------------------------------------------------------------
@dataclass
class Comparison:
    """A question across the areas: per answer set a long table (alue, vaihtoehto, lkm, osuus,
    ci_ala, ci_yla, n), the test of difference between the areas, and the own area's place."""

    key: str
    title: str
    own: str
    tables: dict[str, pd.DataFrame]
    tests: dict[str, TestResult]
    ordered: bool = False
    not_compared: list[str] = field(default_factory=list)  # answer sets not asked in every area

    def wide(self, label: str | None = None) -> pd.DataFrame:
        """Options (rows) by area (columns): 'share % (low–high)', as a page shows it."""
        table = self.tables[label or next(iter(self.tables))]
        table = table.assign(teksti=[f"{fmt.number(p)} ({fmt.number(lo)}–{fmt.number(hi)})" if p == p else fmt.MISSING
                                     for p, lo, hi in zip(table["osuus"], table["ci_ala"], table["ci_yla"])])
        wide = table.pivot(index="vaihtoehto", columns="alue", values="teksti")
        wide = wide.reindex(index=list(dict.fromkeys(table["vaihtoehto"])), columns=list(dict.fromkeys(table["alue"])))
        counts = table.groupby("alue", sort=False)["n"].first()
        wide.loc["Vastaajia (n)"] = [fmt.number(counts[a]) for a in wide.columns]
        wide.index.name, wide.columns.name = "", ""
        return wide

    def position(self, label: str | None = None) -> pd.DataFrame:
        """Per option: the own area's share, its rank among the areas (1 = the highest share),
        the other areas' lowest and highest share, and the own area's difference from the
        other areas' mean share (points)."""
        table = self.tables[label or next(iter(self.tables))]
        shares = table.pivot(index="vaihtoehto", columns="alue", values="osuus")
        shares = shares.reindex(index=list(dict.fromkeys(table["vaihtoehto"])))
        others = shares.drop(columns=[self.own])
        rank = shares.rank(axis=1, ascending=False, method="min")[self.own]
        return pd.DataFrame({"oma": shares[self.own], "sija": rank.astype(int), "alueita": shares.shape[1],
                             "muut_pienin": others.min(axis=1), "muut_suurin": others.max(axis=1),
                             "ero_muihin": shares[self.own] - others.mean(axis=1)})

    def top_share(self, label: str | None = None) -> pd.Series | None:
        """An ordered scale: each area's share of the first two options (e.g. 'Hyvin' or
        'Melko hyvin'); None for other questions."""
        if not self.ordered:
            return None
        table = self.tables[label or next(iter(self.tables))]
        first = list(dict.fromkeys(table["vaihtoehto"]))[:2]
        return table[table["vaihtoehto"].isin(first)].groupby("alue", sort=False)["osuus"].sum()

    def differs(self, label: str | None = None, adjusted: bool = False) -> bool:
        test = self.tests[label or next(iter(self.tests))]
        p = test.p_holm if adjusted else test.p
        return p == p and p < ALPHA

    def sentence(self, label: str | None = None) -> str:
        """The comparison in plain Finnish: do the areas differ, and where the own area stands.
        A checkbox question: the options in which the areas differ."""
        label = label or next(iter(self.tables))
        if label not in self.tests:  # a checkbox question: one test per option
            differing = [(name.split(": ", 1)[-1], t) for name, t in self.tests.items() if t.p == t.p and t.p < ALPHA]
            if not differing:
                return _phrase("alueet_eivat_eroa_vaihtoehdoissa", kysymys=label)
            parts = []
            for option, test in differing:
                position = self.position(label).loc[option]
                parts.append(_phrase("alueet_vaihtoehto", vaihtoehto=option, p=_p(test.p), oma_alue=self.own,
                                     oma=fmt.percent(position["oma"]),
                                     muut=_range(position["muut_pienin"], position["muut_suurin"])))
            return _phrase("alueet_eroavat_vaihtoehdoissa", kysymys=label, vaihtoehdot=", ".join(parts))
        test = self.tests[label]
        if test.p != test.p:
            return _phrase("alueiden_eroa_ei_voi_testata", kysymys=label, testi=test.testi)
        text = _phrase("alueet_eroavat" if test.p < ALPHA else "alueet_eivat_eroa", kysymys=label, testi=test.testi,
                       p=_p(test.p), v=fmt.number(test.cramers_v, 2), voimakkuus=test.strength())
        top = self.top_share(label)
        if top is not None:
            first = " tai ".join(list(dict.fromkeys(self.tables[label]["vaihtoehto"]))[:2]).lower()
            others = top.drop(self.own)
            rank = int((top > top[self.own]).sum()) + 1
            text += " " + _phrase("oma_alue_kaksi_ensimmaista", oma_alue=self.own, osuus=fmt.percent(top[self.own]),
                                  vastaus=first, muut=_range(others.min(), others.max()), sija=rank, alueita=len(top))
        else:
            position = self.position(label)
            best = position["oma"].idxmax()
            text += " " + _phrase("oma_alue_yleisin", oma_alue=self.own, vastaus=best,
                                  osuus=fmt.percent(position.loc[best, "oma"]),
                                  muut=_range(position.loc[best, "muut_pienin"], position.loc[best, "muut_suurin"]))
        return text


def _p(p: float) -> str:
    return "p < 0,001" if p < 0.001 else f"p = {fmt.number(p, 3)}"


def _range(low: float, high: float) -> str:
    return fmt.percent(low) if fmt.number(low) == fmt.number(high) else f"{fmt.number(low)}–{fmt.percent(high)}"


def _long(answers: dict[str, pd.Series], labels: list[str]) -> pd.DataFrame:
    frames = []
    for area, values in answers.items():
        dist = analysis.distribution(values, labels).reset_index()
        dist.insert(0, "alue", area)
        frames.append(dist)
    return pd.concat(frames, ignore_index=True)


def compare(question: dict | str, tables: dict[str, pd.DataFrame], own: str | None = None) -> Comparison:
    """One question across the areas (tables: {area name: clean answers}, the own area first
    unless own= names it). Each answer set asked in every area gets its distribution per area
    with 95 % Wilson intervals and a chi-square test of the areas × options table (a permutation
    p-value where an expected count is under 5, Fisher's exact test for 2 × 2:
    hyte_nb.core.stats.contingency_test). A checkbox option is compared as the share of each
    area's respondents (who chose at least one option) choosing it."""
    q = questionnaire.question(question) if isinstance(question, str) else question
    own = own or next(iter(tables))
    out_tables, tests, skipped = {}, {}, []
    if q["tyyppi"] == "monivalinta":
        columns = [option_column(q, o["teksti"]) for o in q["vaihtoehdot"]]
        if not all(c in t for t in tables.values() for c in columns):
            return Comparison(q["key"], title(q), own, {}, {}, False, [title(q)])
        frames = []
        for area, table in tables.items():
            chosen = table[columns].fillna(False).astype(bool)
            answered = chosen[chosen.any(axis=1)]
            counts = answered.sum().to_numpy()
            low, high = wilson(counts, max(len(answered), 1))
            frames.append(pd.DataFrame({"alue": area, "vaihtoehto": [o["teksti"] for o in q["vaihtoehdot"]],
                                        "lkm": counts, "osuus": counts / len(answered) * 100 if len(answered) else np.nan,
                                        "ci_ala": low, "ci_yla": high, "n": len(answered)}))
            for o, column in zip(q["vaihtoehdot"], columns):
                label = f"{title(q)}: {o['teksti']}"
                crosstab = tests.setdefault(label, pd.DataFrame(columns=["valittu", "ei valittu"], dtype=int))
                crosstab.loc[area] = [int(answered[column].sum()), int((~answered[column]).sum())]
        out_tables[title(q)] = pd.concat(frames, ignore_index=True)
        tests = {label: contingency_test(crosstab.astype(int), label) for label, crosstab in tests.items()}
        return Comparison(q["key"], title(q), own, out_tables, tests, False, skipped)
    labels = list(q["asteikko"]) if q["tyyppi"] == "matriisi" else questionnaire.options(q)
    for label, column in analysis.answer_columns(q).items():
        if not all(column in t for t in tables.values()):
            skipped.append(label)
            continue
        answers = {area: table[column] for area, table in tables.items()}
        out_tables[label] = _long(answers, labels)
        crosstab = pd.DataFrame({area: values.value_counts().reindex(labels, fill_value=0)
                                 for area, values in answers.items()}).T
        tests[label] = contingency_test(crosstab, label)
    return Comparison(q["key"], title(q), own, out_tables, tests, bool(q.get("jarjestetty")), skipped)


def tests_table(comparisons: list[Comparison]) -> pd.DataFrame:
    """Every cross-area test as a page shows it (hyte_nb.core.stats.tests_table)."""
    from hyte_nb.core.stats import tests_table as table

    return table([t for c in comparisons for t in c.tests.values()])


# -- what the cleaning notebook adds ----------------------------------------------------------------------------
def area_figures(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The number of welfare areas side by side (the own area and the listed ones), where the
    cleaning found the areas (tables: what clean_areas gave); empty otherwise."""
    if "alueet" not in tables:
        return pd.DataFrame()
    out = FigureTable()
    out.put(AREAS_FIGURE, len(tables["alueet"]) + 1, label="Hyvinvointialueita rinnakkain", unit="lkm",
            section="alueet")
    return out.frame()


# -- what the page shows ---------------------------------------------------------------------------------------
def sizes_table(areas: AreaSet) -> pd.DataFrame:
    """The areas and their respondents, as a page shows them (the own area first)."""
    return pd.DataFrame({"Hyvinvointialue": list(areas.tables),
                         "Vastaajia": [fmt.number(len(t)) for t in areas.tables.values()]})


def is_background(comparison: Comparison) -> bool:
    """A background question (a breakdown of persons: hidden small counts, no chart)?"""
    return questionnaire.question(comparison.key)["osio"] == BACKGROUND


def by_section(comparisons: list[Comparison], background: bool | None = None) -> dict[str, list[Comparison]]:
    """The comparisons grouped by the questionnaire's sections (osio), in questionnaire order;
    background=True: the background questions only, False: all but them."""
    out: dict[str, list[Comparison]] = {}
    for comparison in comparisons:
        if background is None or is_background(comparison) == background:
            out.setdefault(questionnaire.question(comparison.key)["osio"], []).append(comparison)
    return out


def summary_sentence(comparisons: list[Comparison]) -> str:
    """In how many of the comparisons (a question, a matrix row, a checkbox option) the areas
    differ, before and after Holm's adjustment over all of them."""
    tests = [t for c in comparisons for t in c.tests.values() if t.p == t.p]
    if not tests:
        return _phrase("alueiden_eroa_ei_voi_testata_yhdessakaan")
    nominal = [t.kysymys for t in tests if t.p < ALPHA]
    adjusted = [t.kysymys for t in tests if t.p_holm < ALPHA]
    if not nominal:
        return _phrase("alueet_eivat_eronneet", vertailuja=len(tests))
    text = _phrase("alueet_erosivat", eroja=len(nominal), vertailuja=len(tests), kysymykset="; ".join(nominal))
    if adjusted:
        return text + " " + _phrase("alueet_erosivat_holm", vertailuja=len(tests), kysymykset="; ".join(adjusted))
    return text + " " + _phrase("alueet_erosivat_ei_holm", vertailuja=len(tests))


def position_table(comparisons: list[Comparison]) -> pd.DataFrame:
    """The own area's place in every ordered answer set outside the background questions: its
    share of the first two options ('Hyödyllisenä' or 'Melko hyödyllisenä'), the other areas'
    range, its rank (1 = the highest share) and whether the areas differ (p)."""
    rows = []
    for comparison in comparisons:
        if is_background(comparison) or not comparison.ordered:
            continue
        for label, table in comparison.tables.items():
            top = comparison.top_share(label)
            others = top.drop(comparison.own)
            first = list(dict.fromkeys(table["vaihtoehto"]))[:2]
            test = comparison.tests[label]
            rows.append({"Kysymys": label, "Vastaus": " tai ".join([first[0], *(f.lower() for f in first[1:])]),
                         f"{comparison.own}, %": fmt.number(top[comparison.own]),
                         "Muut alueet, %": f"{fmt.number(others.min())}–{fmt.number(others.max())}",
                         "Sija": f"{int((top > top[comparison.own]).sum()) + 1}/{len(top)}",
                         "p": _p(test.p).removeprefix("p = ").removeprefix("p ") if test.p == test.p else fmt.MISSING})
    return pd.DataFrame(rows)


def _n_note(comparison: Comparison, label: str) -> str:
    counts = comparison.tables[label].groupby("alue", sort=False)["n"].first()
    return "n = " + ", ".join(f"{fmt.number(v)}" for v in counts.iloc[:-1]) + f" ja {fmt.number(counts.iloc[-1])}" \
        + " (alueet kuvion järjestyksessä)"


def chart(comparison: Comparison, label: str | None = None):
    """The answer set across the areas: an ordered scale as one 100 % bar per area (diverging
    for an agreement scale), a checkbox question as each option's share per area side by side
    (largest share of the own area first), any other single choice as 100 % stacked bars."""
    label = label or next(iter(comparison.tables))
    table = comparison.tables[label]
    names = list(dict.fromkeys(table["alue"]))
    options = list(dict.fromkeys(table["vaihtoehto"]))
    shares = table.pivot(index="vaihtoehto", columns="alue", values="osuus").reindex(index=options, columns=names)
    note = _n_note(comparison, label)
    if questionnaire.question(comparison.key)["tyyppi"] == "monivalinta":
        order = shares[comparison.own].sort_values(ascending=False, kind="stable").index
        return charts.grouped_bars(list(order), {name: shares.loc[order, name].to_numpy() for name in names}, None,
                                   f"Osuus vastaajista; {note}", subject=f"{label} alueittain", category="Vaihtoehto")
    return charts.diverging({name: list(shares[name]) for name in names}, options, None, note,
                            kind="auto" if comparison.ordered else "stacked", subject=f"{label} alueittain",
                            category="Hyvinvointialue")


def _wide_table(comparison: Comparison, label: str, config: suppression.Settings | None
                ) -> tuple[pd.DataFrame, str, str]:
    """The shares with intervals per area (options as rows), its caption and, for a background
    question with hidden counts, the footnote."""
    table = comparison.tables[label]
    wide = comparison.wide(label).drop(index="Vastaajia (n)")
    names = list(wide.columns)
    counts = table.groupby("alue", sort=False)["n"].first()
    n_text = [fmt.number(counts[name]) for name in names]
    footnote = ""
    if is_background(comparison):
        crosstab = table.pivot(index="vaihtoehto", columns="alue", values="lkm").reindex(index=wide.index,
                                                                                        columns=names)
        hidden = suppression.two_way(crosstab.astype(int), kind=suppression.PERSONS, row_totals=False,
                                     column_totals=True, config=config)
        wide = hidden.mask(wide)
        n_text = list(hidden.column_totals_text())
        footnote = hidden.footnote("vastaajaa")
    frame = wide.reset_index(drop=True)
    frame.columns = [f"{name}, %" for name in names]
    frame.insert(0, "Vastaus", list(wide.index))
    caption = (f"{label}: osuus vastaajista, % (95 %:n luottamusväli); n = "
               + ", ".join(f"{name} {n}" for name, n in zip(names, n_text)))
    return frame, caption, footnote


def show_comparison(comparison: Comparison, config: suppression.Settings | None = None) -> None:
    """One question across the areas: its heading (a matrix row: a subheading per row), the chart
    (not for a background question), the sentence (do the areas differ, where the own area
    stands) and the shares with intervals per area."""
    display.md(f"### {comparison.title}")
    for label in comparison.tables:
        if label != comparison.title:
            display.md(f"#### {label.removeprefix(comparison.title + ': ')}")
        if not is_background(comparison):
            display.show(chart(comparison, label), numbers_below=True)  # the table below has its shares
        display.md(comparison.sentence(label))
        frame, caption, footnote = _wide_table(comparison, label, config)
        display.table(frame, list(frame.columns[1:]), caption)
        if footnote:
            display.md(footnote)
    if comparison.not_compared:
        display.md(_phrase("ei_vertailla", kysymykset="; ".join(comparison.not_compared)))


def differences_table(areas: AreaSet) -> pd.DataFrame:
    """AreaSet.differences() with a plain heading for the areas column."""
    return areas.differences().rename(columns={"Alueet": "Kysytty alueilla"})
