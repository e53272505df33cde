"""How an export is read: raw text cells with the file's own row numbers, and typed parsing
that reports every bad cell by file, row, column, value and what was expected.

Everything works on whole columns. `parse_cell` is the rule for one cell; a column applies it
once per distinct value (a column of dates has a few hundred, however long the file) and maps
the results back, or, for free text and numbers, uses Arrow's string kernels where they give
exactly what the rule gives (anything they cannot vouch for goes through the rule too).

File-level rules (read_raw). Every problem with the file itself is an ExportError that names
the file and says what was found instead of what was expected; no other exception leaves
read_raw (anything unexpected becomes "tiedostoa ei voitu lukea" with the file named):
- an empty file (0 bytes, or no header) and a header-only file: "tiedostossa ei ole yhtään riviä";
- encoding: UTF-8 with or without BOM is read. Any other encoding is refused, never guessed:
  a file that decodes as Windows-1252 (cp1252, what Excel's plain "CSV (luetteloerotin)"
  writes) is named as such, with the first line that is not UTF-8 and how to save it as
  UTF-8 ("CSV UTF-8 (luetteloerotin)");
- separator: ';'. A header that splits on ',' or a tab instead names the separator found;
- a CSV whose last line has fewer fields than the header, or whose last line lacks the line
  end while the other lines have one, is a truncated export: the last line is named;
- Excel: the data on the first sheet, headers on row 1. When the headers are found on another
  sheet or on a lower row (a title row above them), the message names the sheets found or the
  row that holds them; a file that is not an Excel workbook (an HTML page saved as .xlsx)
  says what it looks like;
- a missing header is shown beside the unknown header found that is closest to it (difflib).
"""

from __future__ import annotations

import difflib
import mmap
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
from openpyxl import load_workbook

from hyte_nb.core.schema import LIKERT5, Column, Export

ROW = "_rivi"  # the row number in the source file (header is row 1), kept for error messages
FI_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
ASCII_INT = r"^-?[0-9]{1,18}$"  # what int64 holds for sure; other integers go through parse_cell


class ExportError(ValueError):
    """Bad input: every problem names the file, row, column, value and what was expected."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:25]
        more = f"\n… ja {len(problems) - len(shown)} muuta virhettä" if len(problems) > len(shown) else ""
        super().__init__(f"Aineistossa on {len(problems)} virhettä:\n" + "\n".join(shown) + more)


def shown(value) -> str:
    """A cell's value as the user sees it in the export: text quoted, dates d.m.yyyy,
    Kyllä/Ei, whole numbers without a decimal part, never a Python repr of an internal type."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return "(tyhjä)"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (bool, np.bool_)):
        return "Kyllä" if value else "Ei"
    if isinstance(value, (datetime, date, pd.Timestamp, np.datetime64)):
        stamp = pd.Timestamp(value)
        text = f"{stamp.day}.{stamp.month}.{stamp.year}"
        return text + (f" {stamp.hour}:{stamp.minute:02d}" if (stamp.hour, stamp.minute) != (0, 0) else "")
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def problem(path: Path, row: int | str, column: str, value, expected: str) -> str:
    shown_value = shown(value)
    return f"{path}, rivi {row}, sarake '{column}': arvo {shown_value} – odotettiin: {expected}"


def check_columns(path: Path, found: list[str], export: Export) -> None:
    """The header must hold exactly the declared columns: a column the catalogue does not know
    and a declared column the export lacks are both errors, never dropped or filled silently.
    A missing header is shown with the unknown header found closest to it."""
    expected = [c.raw for c in export.columns]
    missing = [c for c in expected if c not in found]
    unknown = [c for c in found if c not in expected]
    problems = []
    for m in missing:
        close = difflib.get_close_matches(m, unknown, n=1, cutoff=0.6)
        hint = f" – löytyi sen sijaan {close[0]!r} (lähin vastine; onko otsikko muutettu?)" if close else ""
        problems.append(f"{path}, rivi 1 (otsikkorivi): sarake puuttuu: {m!r}{hint}")
    problems += [f"{path}, rivi 1 (otsikkorivi): tuntematon sarake: {u!r} – sitä ei ole luettelossa; jos se on uusi "
                 f"kysymys tai sarake, lisää se luetteloon (katso README: \"Adding an export column\")" for u in unknown]
    if problems:
        problems.append(f"{path}: löytyi {len(found)} saraketta, odotettiin {len(expected)}: "
                        + ", ".join(repr(c) for c in expected))
        raise ExportError(problems)


def read_raw(path: Path, export: Export) -> pd.DataFrame:
    """The export as it is: one column per declared header (text, or the cell's own type in
    Excel), plus the source row number. Fails on missing or unknown headers, naming them, and
    on every file-level problem (module docstring); any other failure while reading becomes an
    ExportError naming the file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: tiedostoa ei löydy (odotettiin: {export.doc}, {export.filename})")
    try:
        table = _read_xlsx(path, export) if path.suffix.lower() in (".xlsx", ".xlsm") else _read_csv(path, export)
    except ExportError:
        raise
    except Exception as error:  # noqa: BLE001 - no raw exception reaches the user
        raise ExportError([f"{path}: tiedostoa ei voitu lukea ({type(error).__name__}: {error}) – odotettiin: "
                           f"{export.doc} ({export.filename}), kuten data/raw/README.md kuvaa"]) from error
    check_columns(path, list(table.columns), export)
    table = table[[c.raw for c in export.columns]]
    table.insert(0, ROW, np.arange(2, len(table) + 2, dtype=np.int64))
    return table


def no_rows(path: Path, export: Export) -> ExportError:
    """A header-only export (or one whose every row was removed as junk): for a report's
    export an empty table is an error, not an empty report."""
    return ExportError([f"{path}: tiedostossa ei ole yhtään riviä (vain otsikkorivi tai pelkkiä tyhjiä/testirivejä) – "
                        f"odotettiin: {export.grain}"])


def _read_xlsx(path: Path, export: Export) -> pd.DataFrame:
    with open(path, "rb") as f:
        head = f.read(512)
    if not head:
        raise ExportError([f"{path}: tiedosto on tyhjä (0 tavua) – odotettiin Excel-työkirja, jossa {export.grain}"])
    if not zipfile.is_zipfile(path):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        looks = ("HTML-sivu (esim. selaimesta tallennettu sivu tai kirjautumissivu)"
                 if text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")) or b"<html" in text
                 else "vanha Excel 97–2003 (.xls) -tiedosto" if head.startswith(b"\xd0\xcf\x11\xe0")
                 else "tekstitiedosto (CSV?)" if b";" in head or b"," in head
                 else "tuntematon tiedostomuoto")
        raise ExportError([f"{path}: tiedosto ei ole Excel-työkirja (.xlsx) vaan {looks} – tallenna vienti "
                           f"uudelleen Excel-muodossa (.xlsx) lähdejärjestelmästä"])
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = book.worksheets
        rows = list(sheets[0].iter_rows(values_only=True))
        expected = {c.raw for c in export.columns}

        def header_of(row) -> list[str]:
            return [str(h).strip() if h is not None else "" for h in row]

        if not rows:
            found = _find_headers(sheets[1:], expected, header_of)
            if found:
                raise ExportError([f"{path}: ensimmäinen välilehti {sheets[0].title!r} on tyhjä; otsikot löytyivät "
                                   f"välilehdeltä {found[0]!r} (rivi {found[1]}) – odotettiin tiedot ensimmäisellä "
                                   f"välilehdellä; välilehdet: " + ", ".join(repr(s.title) for s in sheets)])
            raise ExportError([f"{path}: tiedosto on tyhjä (ensimmäisellä välilehdellä {sheets[0].title!r} ei ole "
                               f"yhtään riviä) – odotettiin otsikkorivi ja {export.grain}"])
        header = header_of(rows[0])
        if not expected & set(header):
            for i, row in enumerate(rows[1:10], start=2):
                if len(expected & set(header_of(row))) >= max(1, len(expected) // 2):
                    raise ExportError([f"{path}: otsikot ovat rivillä {i}, eivät rivillä 1 – rivillä 1 on "
                                       f"{_cells_shown(rows[0])}; poista otsikkorivin yläpuolella olevat rivit "
                                       f"(esim. otsikko), niin että sarakeotsikot ovat rivillä 1"])
            found = _find_headers(sheets[1:], expected, header_of)
            if found:
                raise ExportError([f"{path}: ensimmäiseltä välilehdeltä {sheets[0].title!r} ei löydy odotettuja "
                                   f"otsikoita; ne löytyivät välilehdeltä {found[0]!r} (rivi {found[1]}) – "
                                   f"odotettiin tiedot ensimmäisellä välilehdellä; välilehdet: "
                                   + ", ".join(repr(s.title) for s in sheets)])
        table = pd.DataFrame(rows[1:], columns=header, dtype=object)
        del rows
    finally:
        book.close()
    # Excel may carry formatted but empty columns past the data: no header, no values.
    empty = [i for i, h in enumerate(table.columns) if h == "" and table.iloc[:, i].isna().all()]
    return table.iloc[:, [i for i in range(table.shape[1]) if i not in empty]]


def _cells_shown(row) -> str:
    cells = [str(c) for c in row if c is not None and str(c).strip()]
    return ", ".join(repr(c[:60]) for c in cells[:3]) or "tyhjä rivi"


def _find_headers(sheets, expected: set, header_of) -> tuple[str, int] | None:
    """(sheet name, row) where at least half of the expected headers are, in the first rows."""
    for sheet in sheets:
        for i, row in enumerate(sheet.iter_rows(values_only=True, max_row=10), start=1):
            if len(expected & set(header_of(row))) >= max(1, len(expected) // 2):
                return sheet.title, i
    return None


SEPARATORS = {";": "puolipiste ';'", ",": "pilkku ','", "\t": "sarkain (tab)", "|": "pystyviiva '|'"}


def _read_csv(path: Path, export: Export) -> pd.DataFrame:
    size = path.stat().st_size
    if size == 0:
        raise ExportError([f"{path}: tiedosto on tyhjä (0 tavua) – odotettiin otsikkorivi ja {export.grain}"])
    with open(path, "rb") as f:
        head = f.read(1 << 16)
        f.seek(max(0, size - (1 << 16)))
        tail = f.read()
    _check_encoding(path, head)
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    header_text = first.decode("utf-8-sig", errors="replace")
    if not header_text.strip():
        raise ExportError([f"{path}: rivi 1 on tyhjä – odotettiin otsikkorivi: "
                           + ";".join(c.raw for c in export.columns)])
    counts = {sep: header_text.count(sep) for sep in SEPARATORS}
    if counts[";"] < len(export.columns) - 1:
        best = max(counts, key=counts.get)
        if best != ";" and counts[best] >= max(1, counts[";"]):
            raise ExportError([f"{path}, rivi 1 (otsikkorivi): sarakkeet on erotettu merkillä {SEPARATORS[best]} "
                               f"– odotettiin puolipiste ';' (Excel: Tallenna nimellä → CSV UTF-8, "
                               f"luetteloerotin ';')"])
    _check_last_line(path, head, tail, size, export)
    table = _read_csv_arrow(path)
    if table is None:
        table = _read_csv_pandas(path, export)
    table.columns = [c.strip() for c in table.columns]
    return table


def _check_encoding(path: Path, head: bytes) -> None:
    """UTF-8 (BOM or not) only; the rest of the file is checked by the readers, whose failure
    comes back here through _encoding_problem."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # not a character cut at the end of the sample
            raise ExportError([_encoding_problem(path, head, error.start)]) from None


def _encoding_problem(path: Path, data: bytes, position: int) -> str:
    line = data.count(b"\n", 0, position) + 1
    try:
        data.decode("cp1252")
        found = "Windows-1252 (cp1252, Excelin tavallinen 'CSV (luetteloerotin)')"
    except UnicodeDecodeError:
        found = "tuntematon merkistö (ei UTF-8)"
    return (f"{path}, rivi {line}: tiedoston merkistö on {found} – odotettiin UTF-8; tallenna tiedosto "
            f"uudelleen muodossa 'CSV UTF-8 (luetteloerotin)' (Excel: Tallenna nimellä) tai muunna se UTF-8:ksi")


def _check_last_line(path: Path, head: bytes, tail: bytes, size: int, export: Export) -> None:
    """A truncated export: a last line that lacks the line end the other lines have, or has
    fewer fields than the header."""
    body = tail.rstrip(b"\r\n")
    if not body:
        return
    last = body.rsplit(b"\n", 1)[-1].rstrip(b"\r")
    if not last.replace(b";", b"").strip():
        return  # a blank line (;;;;): cleaning removes it
    if size <= len(tail) and b"\n" not in body:
        return  # header only
    if b'"' in last:
        return  # quoted cells may hold separators; the reader decides
    fields = last.count(b";") + 1
    ends = b"\r\n" if b"\r\n" in head else b"\n"
    truncated = not tail.endswith(b"\n") and head.count(ends) > 1
    if fields >= len(export.columns) and not truncated:
        return
    with open(path, "rb") as f:
        line = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) + (
            0 if tail.endswith(b"\n") else 1)
    if fields < len(export.columns):
        raise ExportError([f"{path}, rivi {line} (viimeinen rivi): {fields} kenttää – odotettiin "
                           f"{len(export.columns)} saraketta ';'-merkillä erotettuna; tiedosto näyttää katkenneen "
                           f"kesken viimeisen rivin – vie tiedosto uudelleen"])
    if truncated:
        raise ExportError([f"{path}, rivi {line} (viimeinen rivi): rivi ei pääty rivinvaihtoon kuten muut rivit – "
                           f"tiedosto näyttää katkenneen kesken viimeisen rivin – vie tiedosto uudelleen"])


def _read_csv_pandas(path: Path, export: Export) -> pd.DataFrame:
    """The reference reader (pandas' C parser): what a CSV export means, errors included."""
    try:
        return pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False,
                           skip_blank_lines=False)
    except UnicodeDecodeError:
        data = path.read_bytes()
        try:
            data.decode("utf-8")
            position = 0
        except UnicodeDecodeError as error:
            position = error.start
        raise ExportError([_encoding_problem(path, data, position)]) from None
    except pd.errors.EmptyDataError:
        raise ExportError([f"{path}: tiedostossa ei ole otsikkoriviä eikä yhtään riviä – odotettiin otsikkorivi ja "
                           f"{export.grain}"]) from None
    except pd.errors.ParserError as error:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        where = f"rivi {match.group(2)}: {match.group(3)} kenttää" if match else str(error)
        raise ExportError([f"{path}, {where} – odotettiin {len(export.columns)} saraketta ';'-merkillä "
                           f"erotettuna"]) from None


def _read_csv_arrow(path: Path) -> pd.DataFrame | None:
    """The same table as _read_csv_pandas, read by Arrow's multithreaded reader, or None where
    the two could differ: quotes in the file (pandas rejects some quoting Arrow accepts), a
    line with too few or too many fields (pandas pads or moves them), an empty, duplicated or
    undecodable header, invalid UTF-8, an empty file. The pandas reader then decides."""
    size = path.stat().st_size
    if size == 0:
        return None
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b'"') != -1:
            return None
        end = min(i for i in (data.find(b"\r"), data.find(b"\n"), size) if i != -1)
        try:
            names = data[:end].decode("utf-8-sig").split(";")
        except UnicodeDecodeError:
            return None
    if "" in names or len(set(names)) != len(names):
        return None
    try:
        table = pv.read_csv(path, read_options=pv.ReadOptions(block_size=16 << 20),  # fewer, longer chunks
                            parse_options=pv.ParseOptions(delimiter=";", quote_char=False, ignore_empty_lines=False),
                            convert_options=pv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                              strings_can_be_null=False, include_columns=names))
    except (pa.ArrowInvalid, pa.ArrowKeyError, pa.ArrowTypeError):
        return None
    if table.column_names != names:
        return None
    # pandas' own text dtype on Arrow's buffers, as read_csv(dtype=str) gives, without a copy
    return pd.DataFrame({name: pd.Series(pd.array(table.column(name), dtype="str"), copy=False) for name in names},
                        copy=False)


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


def parse(raw: pd.DataFrame, export: Export, path: Path, *, release: bool = False) -> pd.DataFrame:
    """Typed tidy columns from raw cells. Collects every bad cell before failing: one message
    per bad cell, column by column, in row order within a column. With release=True each raw
    column is dropped from raw once parsed, so that a large export is not held twice in full."""
    problems = []
    rows = raw[ROW].to_numpy()
    tidy = {ROW: rows}
    for column in export.columns:
        values = raw.pop(column.raw) if release else raw[column.raw]
        tidy[column.name], bad = parse_column(values, column)
        if bad.any():
            expected = column.expected()
            problems += [problem(path, row, column.raw, value, expected)
                         for row, value in zip(rows[bad], values[bad])]
        del values
    if problems:
        raise ExportError(problems)
    return pd.DataFrame(tidy, index=raw.index, copy=False)


def parse_column(values: pd.Series, column: Column) -> tuple:
    """(typed values, numpy mask of bad cells) for one raw column: parse_cell on every cell,
    with an out-of-bounds integer also bad, done column-wise."""
    if is_text_column(values) and column.kind == "text":
        return _parse_text(values, column)
    if is_text_column(values) and column.kind == "int":
        return _parse_int(values, column)
    codes, reps = distinct(values)
    parsed, bad = [], np.zeros(len(reps), dtype=bool)
    for i, value in enumerate(reps):
        try:
            value = parse_cell(value, column)
        except ValueError:
            value, bad[i] = None, True
        if value is not None and column.kind == "int" and not _in_bounds(value, column):
            bad[i] = True
        parsed.append(value)
    typed = _typed(parsed, column)  # the dtype parse_cell's values give (datetime unit included)
    return _take(typed, codes), bad[codes]


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


def _take(typed, codes: np.ndarray):
    return typed[codes] if isinstance(typed, np.ndarray) else typed.take(codes)


# ---------------------------------------------------------------------------------------------
# Column-wise building blocks, shared with the cleaning steps


def is_text_column(values: pd.Series) -> bool:
    """An Arrow-backed text column (a CSV export's): every cell a str, or missing."""
    return isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"


def arrow(values: pd.Series) -> pa.ChunkedArray:
    """The Arrow data behind a text column (missing cells are nulls)."""
    data = values.array.__arrow_array__()
    return data if isinstance(data, pa.ChunkedArray) else pa.chunked_array([data])


def to_numpy_bool(mask) -> np.ndarray:
    """An Arrow boolean result as a numpy mask (null = False)."""
    return np.array(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


# Bytes that can begin or end a cell with whitespace: ASCII whitespace, and every byte of a
# multi-byte UTF-8 character (a few of those are whitespace, e.g. the no-break space).
_EDGE = np.zeros(256, dtype=bool)
_EDGE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_EDGE[0x80:] = True


def _chunk_offsets(chunk: pa.Array) -> np.ndarray:
    return np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=len(chunk) + 1, offset=chunk.offset * 8)


def maybe_padded(values: pd.Series) -> np.ndarray:
    """Mask of the cells of a text column that may start or end with whitespace: every cell
    that does, and a few that do not (a non-ASCII first or last character). Looks at the first
    and last byte of each cell only."""
    found, start = np.zeros(len(values), dtype=bool), 0
    for chunk in arrow(values).chunks:
        n = len(chunk)
        if n and chunk.buffers()[2] is not None:
            offsets = _chunk_offsets(chunk)
            data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
            filled = offsets[1:] > offsets[:-1]
            found[start:start + n][filled] = _EDGE[data[offsets[:-1][filled]]] | _EDGE[data[offsets[1:][filled] - 1]]
        start += n
    return found


def trimmed(values: pd.Series) -> tuple[pa.ChunkedArray, np.ndarray, pa.ChunkedArray]:
    """str.strip() of every cell of a text column, as (the column trimmed, positions of the
    cells that changed, their new text). Only the cells maybe_padded finds are trimmed, by
    Arrow, whose Unicode whitespace is exactly Python's (tests/test_clean_scale.py); the
    column's other chunks are shared, not copied."""
    data = arrow(values)
    maybe = np.flatnonzero(maybe_padded(values))
    if not len(maybe):
        return data, maybe, pa.chunked_array([], type=data.type)
    before = arrow(subset(values, maybe))
    after = pc.utf8_trim_whitespace(before)
    changed = to_numpy_bool(pc.not_equal(before, after))
    where = maybe[changed]
    after = after.filter(pa.array(changed))
    return (replace_cells(data, where, after) if len(where) else data), where, after


def replace_cells(data: pa.ChunkedArray, positions: np.ndarray, new: pa.ChunkedArray) -> pa.ChunkedArray:
    """data with the cells at (sorted) positions replaced by new; chunks without a replaced cell
    are kept as they are."""
    new = new.combine_chunks() if isinstance(new, pa.ChunkedArray) else new
    chunks, start = [], 0
    for chunk in data.chunks:
        n = len(chunk)
        lo, hi = np.searchsorted(positions, [start, start + n])
        if hi > lo:
            mask = np.zeros(n, dtype=bool)
            mask[positions[lo:hi] - start] = True
            chunk = pc.replace_with_mask(chunk, pa.array(mask), new.slice(lo, hi - lo))
        chunks.append(chunk)
        start += n
    return pa.chunked_array(chunks, type=data.type)


def with_cells(values: pd.Series, positions: np.ndarray, new: list) -> pd.Series:
    """values with the cells at (sorted) positions set to new; a text column keeps its dtype
    and shares its untouched chunks."""
    if is_text_column(values) and all(isinstance(v, str) for v in new):
        return text_series(replace_cells(arrow(values), positions, pa.array(new, type=pa.large_string())), values)
    values = values.copy()
    values.iloc[positions] = new
    return values


def text_series(data: pa.ChunkedArray, like: pd.Series, index=None) -> pd.Series:
    """A text column of like's dtype holding data (no copy)."""
    return pd.Series(pd.array(data, dtype=like.dtype), index=like.index if index is None else index, copy=False)


def distinct(values: pd.Series) -> tuple[np.ndarray, list]:
    """(codes, one cell per code) such that every rule that looks at a cell gives the same
    answer for all cells of a code. Typed columns (text, numbers): equal values, missing cells
    one code. Columns of Python objects (Excel): equal type and equal text, so that 1, 1.0 and
    True, or None and NaN, stay apart, as the rules and the messages tell them apart."""
    if is_text_column(values):
        encoded = pc.dictionary_encode(arrow(values), null_encoding="encode")
        chunks = encoded.chunks
        if chunks and len({c.dictionary.buffers()[1].address for c in chunks}) == 1:  # one dictionary
            codes = np.concatenate([c.indices.to_numpy() for c in chunks])
            missing = values.dtype.na_value
            return codes, [missing if v is None else v for v in chunks[0].dictionary.to_pylist()]
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=False) == "string":
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return codes, list(uniques)
    types, _ = pd.factorize(values.map(type), use_na_sentinel=False)
    texts, text_uniques = pd.factorize(values.astype(str), use_na_sentinel=False)
    codes, _ = pd.factorize(types.astype(np.int64) * (len(text_uniques) + 1) + texts)
    _, first = np.unique(codes, return_index=True)
    return codes, list(values.iloc[first])


def distinct_pairs(first: pd.Series, second: pd.Series) -> tuple[np.ndarray, list[tuple]]:
    """distinct() of two columns together: (codes, one (first, second) pair of cells per code)."""
    first_codes, first_reps = distinct(first)
    second_codes, second_reps = distinct(second)
    size = len(first_reps) * len(second_reps)
    key = first_codes.astype(np.int64) * len(second_reps) + second_codes
    if size <= 1 << 22:  # few pairs possible: a table, not a hash
        present = np.flatnonzero(np.bincount(key, minlength=size))
        table = np.zeros(size, dtype=np.int64)
        table[present] = np.arange(len(present))
        codes = table[key]
    else:
        codes, present = pd.factorize(key)
    return codes, [(first_reps[k // len(second_reps)], second_reps[k % len(second_reps)]) for k in present]


def subset(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """values.iloc[positions] for sorted positions; for a text column chunk by chunk (Arrow's
    take on a column of many chunks would first copy the whole column into one)."""
    if not is_text_column(values):
        return values.iloc[positions]
    data = arrow(values)
    pieces, start = [], 0
    for chunk in data.chunks:
        n = len(chunk)
        lo, hi = np.searchsorted(positions, [start, start + n])
        if hi > lo:
            pieces.append(chunk.take(pa.array(positions[lo:hi] - start)))
        start += n
    return text_series(pa.chunked_array(pieces, type=data.type), values, values.index[positions])


def _parse_text(values: pd.Series, column: Column) -> tuple:
    """Free text: stripped; blank cells missing, and bad where the column is required."""
    text = trimmed(values)[0]
    blank = to_numpy_bool(pc.fill_null(pc.equal(pc.binary_length(text), 0), True))
    if blank.any():
        text = pc.if_else(pa.array(blank), pa.scalar(None, text.type), text)
    typed = pd.array(text, dtype="string")
    bad = blank if column.required else np.zeros(len(values), dtype=bool)
    return typed, bad


def _parse_int(values: pd.Series, column: Column) -> tuple:
    """Integers: plain ASCII digits by Arrow's cast; anything else (blank, Unicode digits,
    over 18 digits, words) by parse_cell, once per distinct value."""
    text = trimmed(values)[0]
    simple = pc.fill_null(pc.match_substring_regex(text, ASCII_INT), False)
    numbers = pc.cast(pc.if_else(simple, text, "0"), pa.int64()).to_numpy()
    known = to_numpy_bool(simple)
    bad = np.zeros(len(values), dtype=bool)
    others = np.flatnonzero(~known)
    if len(others):
        numbers = numbers.copy()
        codes, reps = distinct(subset(values, others))
        parsed, rep_bad = [], np.zeros(len(reps), dtype=bool)
        for i, value in enumerate(reps):
            try:
                parsed.append(parse_cell(value, column))
            except ValueError:
                parsed.append(None)
                rep_bad[i] = True
        typed = pd.array(parsed, dtype="Int64")  # an integer int64 cannot hold fails here, as it did
        numbers[others] = typed.to_numpy(dtype=np.int64, na_value=0)[codes]
        known[others] = ~typed.isna()[codes]
        bad[others] = rep_bad[codes]
    if column.lo is not None:
        bad |= known & (numbers < column.lo)
    if column.hi is not None:
        bad |= known & (numbers > column.hi)
    return pd.arrays.IntegerArray(numbers, ~known), bad
