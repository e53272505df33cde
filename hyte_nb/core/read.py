"""How an export is read: raw text cells with the file's own row numbers, and typed parsing
that reports every bad cell by file, row, column, value and what was expected."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from hyte_nb.core.schema import LIKERT5, Column, Export

ROW = "_rivi"  # the row number in the source file (header is row 1), kept for error messages
FI_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


class ExportError(ValueError):
    """Bad input: every problem names the file, row, column, value and what was expected."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:25]
        more = f"\n… ja {len(problems) - len(shown)} muuta virhettä" if len(problems) > len(shown) else ""
        super().__init__(f"Aineistossa on {len(problems)} virhettä:\n" + "\n".join(shown) + more)


def problem(path: Path, row: int | str, column: str, value, expected: str) -> str:
    shown = repr(value) if isinstance(value, str) else str(value)
    return f"{path}, rivi {row}, sarake '{column}': arvo {shown} – odotettiin: {expected}"


def check_columns(path: Path, found: list[str], export: Export) -> None:
    """The header must hold exactly the declared columns: a column the catalogue does not know
    and a declared column the export lacks are both errors, never dropped or filled silently."""
    expected = [c.raw for c in export.columns]
    missing = [c for c in expected if c not in found]
    unknown = [c for c in found if c not in expected]
    problems = [f"{path}, rivi 1 (otsikkorivi): sarake puuttuu: {m!r}" for m in missing]
    problems += [f"{path}, rivi 1 (otsikkorivi): tuntematon sarake: {u!r} – sitä ei ole luettelossa; jos se on uusi "
                 f"kysymys tai sarake, lisää se luetteloon (README: Vientiin tulee uusi sarake)" for u in unknown]
    if problems:
        problems.append(f"{path}: löytyi {len(found)} saraketta, odotettiin {len(expected)}: "
                        + ", ".join(repr(c) for c in expected))
        raise ExportError(problems)


def read_raw(path: Path, export: Export) -> pd.DataFrame:
    """The export as it is: one column per declared header (text, or the cell's own type in
    Excel), plus the source row number. Fails on missing or unknown headers, naming them."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: tiedostoa ei löydy (odotettiin: {export.doc}, {export.filename})")
    if path.suffix == ".xlsx":
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        table = pd.DataFrame(rows[1:], columns=header, dtype=object)
        # Excel may carry formatted but empty columns past the data: no header, no values.
        empty = [i for i, h in enumerate(header) if h == "" and table.iloc[:, i].isna().all()]
        table = table.iloc[:, [i for i in range(len(header)) if i not in empty]]
    else:
        try:
            table = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False,
                                skip_blank_lines=False)
        except pd.errors.ParserError as error:
            match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
            where = f"rivi {match.group(2)}: {match.group(3)} kenttää" if match else str(error)
            raise ExportError([f"{path}, {where} – odotettiin {len(export.columns)} saraketta ';'-merkillä "
                               f"erotettuna"]) from None
        table.columns = [c.strip() for c in table.columns]
    check_columns(path, list(table.columns), export)
    table = table[[c.raw for c in export.columns]].copy()
    table.insert(0, ROW, range(2, len(table) + 2))
    return table


def is_blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or (isinstance(value, str) and value.strip() == "")


def parse_cell(value, column: Column):
    """Parse one cell by its column's kind; returns the value or raises ValueError."""
    if is_blank(value):
        if column.required:
            raise ValueError("tyhjä")
        return None
    if column.kind == "int":
        if isinstance(value, (int, float)) and float(value).is_integer():
            return int(value)
        text = str(value).strip()
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(text)
        return int(text)
    if column.kind == "date":
        if isinstance(value, (datetime, date)):
            return pd.Timestamp(value).normalize()
        match = FI_DATE.match(str(value))
        if not match:
            raise ValueError(value)
        day, month, year = (int(g) for g in match.groups())
        return pd.Timestamp(date(year, month, day))  # raises on 31.2.
    if column.kind == "datetime":
        if isinstance(value, datetime):
            return pd.Timestamp(value)
        return pd.Timestamp(datetime.strptime(str(value).strip(), "%d.%m.%Y %H:%M"))
    if column.kind == "yesno":
        text = str(value).strip().capitalize()
        if text not in ("Kyllä", "Ei"):
            raise ValueError(value)
        return text == "Kyllä"
    if column.kind == "likert5":
        text = str(value).strip()
        if text not in LIKERT5:
            raise ValueError(value)
        return LIKERT5.index(text) + 1
    if column.kind == "checkbox":
        if str(value).strip() not in ("1", "1.0"):
            raise ValueError(value)
        return True
    if column.kind == "choice":
        text = str(value).strip()
        if text not in column.choices:
            raise ValueError(value)
        return text
    return str(value).strip()


def parse(raw: pd.DataFrame, export: Export, path: Path) -> pd.DataFrame:
    """Typed tidy columns from raw cells. Collects every bad cell before failing."""
    problems = []
    tidy = pd.DataFrame({ROW: raw[ROW].to_numpy()}, index=raw.index)
    for column in export.columns:
        values = []
        for row, value in zip(raw[ROW], raw[column.raw]):
            try:
                parsed = parse_cell(value, column)
            except ValueError:
                problems.append(problem(path, row, column.raw, value, column.expected()))
                parsed = None
            if parsed is not None and column.kind == "int" and not _in_bounds(parsed, column):
                problems.append(problem(path, row, column.raw, value, column.expected()))
            values.append(parsed)
        tidy[column.name] = _typed(values, column)
    if problems:
        raise ExportError(problems)
    return tidy


def _in_bounds(value: int, column: Column) -> bool:
    return (column.lo is None or value >= column.lo) and (column.hi is None or value <= column.hi)


def _typed(values: list, column: Column) -> pd.Series:
    if column.kind == "int":
        return pd.array(values, dtype="Int64")
    if column.kind in ("date", "datetime"):
        return pd.to_datetime(pd.Series(values, dtype=object)).to_numpy()
    if column.kind in ("yesno", "checkbox"):
        return pd.array(values, dtype="boolean")
    if column.kind == "likert5":
        return pd.array(values, dtype="Int64")
    return pd.array(values, dtype="string")
