"""The HYTE report's cleaning rules on top of the shared cleaning: service names mapped to
the year's catalogue, area names to keys, and the table checks that need the catalogues.
Then every export of the year cleaned into data/processed/<year>/hyte/."""

from __future__ import annotations

import difflib
import operator
from datetime import date
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from hyte_nb.core import period
from hyte_nb.core.clean import CleaningLog, clean_export, fmt_day, write_processed
from hyte_nb.core.read import ROW, ExportError, distinct, no_rows, distinct_pairs, problem, subset, with_cells
from hyte_nb.core.schema import Export
from hyte_nb.hyte import catalog
from hyte_nb.hyte.exports import BIRTH_AGES, HYTE_EXPORTS


def service_lookup(year: int) -> dict[tuple[str, str], str]:
    """(area key, casefolded name or old name) -> canonical service name, for the year."""
    lookup = {}
    for row in catalog.services(year).itertuples():
        for name in [row.palvelu] + [old for old, _ in catalog.old_names(row.vanhat)]:
            lookup[(row.alue, name.casefold())] = row.palvelu
    return lookup


def normalise_services(raw: pd.DataFrame, export: Export, path: Path, log: CleaningLog, year: int) -> pd.DataFrame:
    """Map service names to the catalogue (case, old names), logging each change. The rule runs
    once per distinct (area, service) pair of the export and is mapped back to its rows."""
    if "Palvelu" not in raw or "Palvelualue" not in raw:
        return raw
    lookup = service_lookup(year)
    area_keys = catalog.area_keys()
    codes, pairs = distinct_pairs(raw["Palvelualue"], raw["Palvelu"])
    canonical = [lookup.get((area_keys.get(a), p.casefold()), p) if isinstance(p, str) else p for a, p in pairs]
    _old_names_in_time(raw, export, path, year, codes, pairs, area_keys)
    renamed = np.array([isinstance(p, str) and c != p for (_, p), c in zip(pairs, canonical)], dtype=bool)[codes]
    if not renamed.any():
        return raw
    where = np.flatnonzero(renamed)
    after = [canonical[c] for c in codes[where]]
    services = raw["Palvelu"]
    log.add_rows(export.key, path, raw[ROW].to_numpy()[where], "muutettu", "palvelun nimi yhtenäistetty", "Palvelu",
                 subset(services, where), after)
    raw = raw.copy(deep=False)
    raw["Palvelu"] = with_cells(services, where, after)
    return raw


def _old_names_in_time(raw: pd.DataFrame, export: Export, path: Path, year: int, codes, pairs, area_keys) -> None:
    """An old name declared with its last day (`vanhat: [{nimi: …, asti: 2025-03-31}]`) may not
    appear in a record dated after that day: the rename is then not what the catalogue says."""
    until = {(row.alue, old.casefold()): (old, last, row.palvelu) for row in catalog.services(year).itertuples()
             for old, last in catalog.old_names(row.vanhat) if last is not None}
    date_column = next((c.raw for c in export.columns if c.name == "pvm"), None)
    if not until or date_column not in raw:
        return
    days = None
    problems = []
    for code, (area, name) in enumerate(pairs):
        hit = until.get((area_keys.get(area), name.casefold())) if isinstance(name, str) else None
        if hit is None:
            continue
        if days is None:  # a day that does not parse is the date parser's to report
            days = pd.to_datetime(raw[date_column], format="%d.%m.%Y", errors="coerce")
        old, last, new = hit
        late = np.flatnonzero((codes == code) & (days > pd.Timestamp(last)).to_numpy(dtype=bool))
        problems += [problem(path, raw[ROW].iat[i], "Palvelu", name,
                             f"palvelun {new!r} uusi nimi: vanhaa nimeä {old!r} käytetään palveluluettelon "
                             f"({catalog.source()}) mukaan vain {fmt_day(last)} asti, tämä rivi on päivätty "
                             f"{raw[date_column].iat[i]}. Korjaa vanhan nimen päivä (asti) tai rivin palvelu")
                     for i in late]
    if problems:
        raise ExportError(problems)


def check_table(tidy: pd.DataFrame, export: Export, path: Path, year: int) -> pd.DataFrame:
    """Area names to keys, then the table checks."""
    if "alue" in tidy:
        tidy = _area_keys(tidy, path, export)
    validate(tidy, export, path, year)
    if "palvelu" in tidy and "pvm" in tidy:
        _services_in_time(tidy, export, path, year)
    if "vapaaehtoinen" in tidy and "syntymavuosi" in tidy:
        _one_birth_year(tidy, export, path)
    return tidy


def _area_keys(tidy: pd.DataFrame, path: Path, export: Export) -> pd.DataFrame:
    keys = catalog.area_keys()
    codes, names = distinct(tidy["alue"])
    if not all(isinstance(n, str) and n in keys for n in names):
        unknown = tidy.loc[~tidy["alue"].isin(list(keys)), [ROW, "alue"]]
        raw_name = next(c.raw for c in export.columns if c.name == "alue")
        raise ExportError([problem(path, r, raw_name, v, f"yksi palvelualueista: {', '.join(keys)} "
                                   f"({catalog.source()}). Uusi alue ilmoitetaan palveluluettelossa; komento "
                                   f"{catalog.DRAFT_COMMAND} {Path(path).parent} luonnostelee sen")
                           for r, v in unknown.itertuples(index=False)])
    tidy = tidy.copy(deep=False)
    tidy["alue"] = pd.array([keys[n] for n in names], dtype="string").take(codes)
    return tidy


def _services_in_time(tidy: pd.DataFrame, export: Export, path: Path, year: int) -> None:
    """A service that started or ended during the year (`alkaen`/`asti` as a day) has no record
    dated before it started or after it ended."""
    bounded = [r for r in catalog.services(year).itertuples()
               if isinstance(r.alkaen, date) or isinstance(r.asti, date)]
    problems = []
    raw_name = {c.name: c.raw for c in export.columns}
    for svc in bounded:
        mine = (tidy["alue"] == svc.alue) & (tidy["palvelu"] == svc.palvelu)
        for bound, words, beyond in ((svc.alkaen, "alkoi", operator.lt), (svc.asti, "päättyi", operator.gt)):
            if not isinstance(bound, date):  # a year (or nothing): the catalogue's year filter has it
                continue
            outside = beyond(tidy["pvm"], pd.Timestamp(bound))
            for row, day in tidy.loc[(mine & outside).fillna(False), [ROW, "pvm"]].itertuples(index=False):
                problems.append((int(row), problem(path, row, raw_name["pvm"], day,
                                        f"päivä, jolloin palvelu {svc.palvelu!r} oli käytössä: se {words} "
                                        f"{fmt_day(bound)} palveluluettelon ({catalog.source()}) mukaan. Korjaa "
                                        f"palvelun päivä (alkaen/asti) tai rivin palvelu")))
    if problems:  # in the file's row order, whichever service each row breaks
        raise ExportError([message for _, message in sorted(problems)])


def _one_birth_year(tidy: pd.DataFrame, export: Export, path: Path) -> None:
    """A person attribute: one birth year per volunteer. Two birth years name both rows."""
    pairs = tidy[["vapaaehtoinen", "syntymavuosi"]].drop_duplicates()
    twice = pairs["vapaaehtoinen"].duplicated(keep=False)
    if not twice.any():
        return
    problems = []
    raw_name = {c.name: c.raw for c in export.columns}
    for person in pairs.loc[twice, "vapaaehtoinen"].unique():
        mine = tidy.loc[tidy["vapaaehtoinen"] == person, [ROW, "syntymavuosi"]]
        first_row, first_year = mine.iloc[0]
        for row, born in mine.itertuples(index=False):
            if born != first_year:
                problems.append(problem(path, row, raw_name["syntymavuosi"], born,
                                        f"sama syntymävuosi kuin saman vapaaehtoisen ({raw_name['vapaaehtoinen']} "
                                        f"{person!r}) rivillä {first_row}: {first_year}"))
    raise ExportError(problems)


def tasks() -> list[str]:
    """Volunteer tasks (luvut.yml vapaaehtoiset.osuudet), compared case-insensitively."""
    return sorted(catalog.load("luvut")["vapaaehtoiset"]["osuudet"])


def materials() -> list[str]:
    """Materials: luvut.yml `lataukset` and the ones the report does not print."""
    spec = catalog.load("luvut")
    return sorted({m["materiaali"] for m in spec["lataukset"]} | set(spec.get("muut_materiaalit", [])))


def birth_years(year: int) -> tuple[int, int]:
    return year - BIRTH_AGES[1], year - BIRTH_AGES[0]


PAIR_CHECK = "palvelu ei kuulu tälle palvelualueelle"
SCALE_CHECK = "arvo mittarin asteikon ulkopuolella"


def table_schema(export: Export, year: int) -> pa.DataFrameSchema:
    """Checks that need the whole table, the catalogues or the year, beyond the cell types."""
    checks = []
    columns = {}
    names = {c.name for c in export.columns}
    if {"alue", "palvelu"} <= names:
        services = catalog.services(year)
        pairs = {(r.alue, r.palvelu) for r in services.itertuples()}
        columns["palvelu"] = pa.Column("string", pa.Check.isin(sorted(set(services["palvelu"]))), nullable=False)
        checks.append(pa.Check(lambda df: pd.Series([(a, p) in pairs for a, p in zip(df["alue"], df["palvelu"])],
                                                    index=df.index), error=PAIR_CHECK))
    if export.key == "hyvinvointimittaukset":
        items = catalog.load("mittarit")
        columns["mittari"] = pa.Column("string", pa.Check.isin(sorted(items)))
        checks.append(pa.Check(lambda df: pd.Series(
            [items[m]["asteikko"][0] <= v <= items[m]["asteikko"][1] if m in items else True
             for m, v in zip(df["mittari"], df["arvo"])], index=df.index), error=SCALE_CHECK))
    if "tehtava" in names:
        known = tasks()
        columns["tehtava"] = pa.Column("string", pa.Check(lambda s: s.str.lower().isin(known),
                                                          error="tehtävä tehtäväluettelossa"), nullable=False)
    if "materiaali" in names:
        columns["materiaali"] = pa.Column("string", pa.Check.isin(materials()), nullable=False)
    if "syntymavuosi" in names:
        lo, hi = birth_years(year)
        columns["syntymavuosi"] = pa.Column("Int64", pa.Check.in_range(lo, hi), nullable=False)
    return pa.DataFrameSchema(columns, checks=checks)


def unknown_service(area: str, name, year: int, path: Path) -> str:
    """What a service name the year's catalogue lacks should have been, the nearest known one
    (a typo or a rename) and how to declare it: new, renamed or ended, and the command that
    drafts it."""
    services = catalog.services(year)
    here = list(services.loc[services["alue"] == area, "palvelu"])
    elsewhere = list(services.loc[services["palvelu"] == name, "alue"])
    close = difflib.get_close_matches(str(name), here, n=1, cutoff=0.5) or difflib.get_close_matches(
        str(name), list(services["palvelu"]), n=1, cutoff=0.5)
    nearest = (f"; palvelu on luettelossa alueella {elsewhere[0]}" if elsewhere else
               f"; lähin tunnettu palvelu on {close[0]!r}" if close else "")
    return (f"palvelu vuoden {year} palveluluettelosta alueelle {area} ({catalog.source()}){nearest}. Jos palvelu "
            f"on uusi, nimetty uudelleen tai päättynyt, ilmoita se palveluluettelossa (alkaen, vanhat, asti); "
            f"komento {catalog.DRAFT_COMMAND} {Path(path).parent} luonnostelee sen")


def _expected(column: str, export: Export, year: int, tidy: pd.DataFrame, index, check: str, path: Path) -> str:
    if column == "palvelu":
        return unknown_service(tidy.at[index, "alue"], tidy.at[index, "palvelu"], year, path)
    if column == "arvo":
        items = catalog.load("mittarit")
        item = tidy.at[index, "mittari"]
        return f"arvo mittarin {item} asteikolla {'–'.join(map(str, items[item]['asteikko']))}"
    if column == "mittari":
        return "mittari mittariluettelosta (hyte_nb/hyte/metadata/mittarit.yml)"
    if column == "tehtava":
        return "yksi tehtävistä (isot ja pienet kirjaimet samoin): " + ", ".join(tasks())
    if column == "materiaali":
        return "yksi materiaaleista: " + ", ".join(materials())
    if column == "syntymavuosi":
        lo, hi = birth_years(year)
        return f"syntymävuosi väliltä {lo}–{hi} (ikä {BIRTH_AGES[0]}–{BIRTH_AGES[1]} vuonna {year})"
    return f"arvo, joka täyttää ehdon {check}"


def validate(tidy: pd.DataFrame, export: Export, path: Path, year: int) -> None:
    """Run the table schema and report failures with the file's own row numbers, one message
    per bad cell: a check on the whole row (service and area) is reported once, on the cell it
    is about, with the value as the user typed it. The checks are first made column-wise
    (_passes); only a table that may fail goes through pandera, whose failure cases give the
    messages."""
    if _passes(tidy, export, year):
        return
    try:
        table_schema(export, year).validate(tidy, lazy=True)
    except pa.errors.SchemaErrors as errors:
        problems = {}
        raw_name = {c.name: c.raw for c in export.columns}
        for case in errors.failure_cases.itertuples():
            if pd.isna(case.index):
                continue
            check = str(case.check)
            if PAIR_CHECK in check:
                column = "palvelu"
            elif SCALE_CHECK in check:
                column = "arvo"
            elif case.column in raw_name:
                column = case.column
            else:
                continue
            key = (int(tidy.at[case.index, ROW]), column)
            if key not in problems:
                problems[key] = problem(path, key[0], raw_name[column], tidy.at[case.index, column],
                                        _expected(column, export, year, tidy, case.index, check, path))
        ordered = [problems[k] for k in sorted(problems, key=lambda k: (list(raw_name).index(k[1]), k[0]))]
        raise ExportError(ordered) from None


def _passes(tidy: pd.DataFrame, export: Export, year: int) -> bool:
    """True only when table_schema surely passes: the same checks, strictly, once per distinct
    value or pair of values. False sends the table to pandera."""
    string = pd.StringDtype()
    names = {c.name for c in export.columns}
    if {"alue", "palvelu"} <= names:
        services = catalog.services(year)
        pairs = {(r.alue, r.palvelu) for r in services.itertuples()}
        if tidy["palvelu"].dtype != string or tidy["palvelu"].isna().any():
            return False
        _, found = distinct_pairs(tidy["alue"], tidy["palvelu"])
        if not all(isinstance(p, str) and (a, p) in pairs for a, p in found):
            return False
    if export.key == "hyvinvointimittaukset":
        items = catalog.load("mittarit")
        if tidy["mittari"].dtype != string or tidy["mittari"].isna().any():
            return False
        _, found = distinct_pairs(tidy["mittari"], tidy["arvo"])
        try:
            if not all(m in items and items[m]["asteikko"][0] <= v <= items[m]["asteikko"][1] for m, v in found):
                return False
        except TypeError:  # a missing value: let pandera say what it says
            return False
    for name, known in (("tehtava", tasks), ("materiaali", materials)):
        if name in names:
            _, found = distinct(tidy[name])
            allowed = {k.lower() for k in known()} if name == "tehtava" else set(known())
            if not all(isinstance(v, str) and (v.lower() if name == "tehtava" else v) in allowed for v in found):
                return False
    if "syntymavuosi" in names:
        lo, hi = birth_years(year)
        values = tidy["syntymavuosi"]
        if values.isna().any() or not ((values >= lo) & (values <= hi)).all():
            return False
    return True


def clean_one(path: Path, export: Export, year: int, log: CleaningLog, require_rows: bool = False) -> pd.DataFrame:
    """One HYTE export cleaned by the shared steps and the HYTE rules. With require_rows (as
    clean_year does) an export with no rows, or none left after junk rows, is an error."""
    table = clean_export(path, export, year, log, normalise=partial(normalise_services, year=year),
                         check=partial(check_table, year=year))
    if require_rows and not len(table) and log.summary and log.summary[-1]["rivejä ulos"] == 0:
        raise no_rows(Path(path), export)
    return table


def clean_year(year: int, raw_dir: Path, processed: Path) -> tuple[CleaningLog, dict[str, pd.DataFrame]]:
    """Clean every export of the year into processed (parquet) with the cleaning log, and the
    period the data covers (ajanjakso.json: the whole of a past year; in a running year up to
    the latest date in the records)."""
    log = CleaningLog()
    tables = {export.key: clean_one(Path(raw_dir) / export.filename, export, year, log, require_rows=True)
              for export in HYTE_EXPORTS}  # any error stops before anything is written
    write_processed(tables, log, Path(processed))
    period.of_data(year, period.latest_date(tables, year)).write(Path(processed))
    return log, tables


def load_processed(processed: Path) -> dict[str, pd.DataFrame]:
    """The clean tables of a year, as written by clean_year."""
    processed = Path(processed)
    missing = [e.filename for e in HYTE_EXPORTS if not (processed / f"{e.key}.parquet").exists()]
    if missing:
        raise FileNotFoundError(f"{processed}: puhdistettuja tauluja puuttuu ({', '.join(missing)}); "
                                f"aja ensin puhdistusmuistio 00_puhdistus.ipynb")
    return {e.key: pd.read_parquet(processed / f"{e.key}.parquet") for e in HYTE_EXPORTS}
