"""How sample exports are written, as the source systems write them: Finnish-locale CSV and
Webropol-style Excel, byte-identical from run to run. Used by each report's sample generator."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from hyte_nb.core.schema import Export


def spread(total: int, parts: int, rng: np.random.Generator, minimum: int = 1) -> np.ndarray:
    """Split a whole total into `parts` whole numbers, each at least `minimum`."""
    rest = total - parts * minimum
    if rest < 0:
        raise ValueError(f"cannot split {total} into {parts} parts of at least {minimum}")
    weights = rng.gamma(2.0, 1.0, parts)
    return minimum + rng.multinomial(rest, weights / weights.sum())


def write_csv(raw: pd.DataFrame, path: Path) -> None:
    """Finnish-locale export: ';' separator, UTF-8 with BOM, CRLF line ends."""
    text = raw.to_csv(sep=";", index=False, lineterminator="\r\n")
    path.write_bytes(("\ufeff" + text).encode("utf-8"))


def write_webropol_xlsx(table: pd.DataFrame, export: Export, path: Path, year: int, last: date | None = None) -> None:
    """A Webropol-style Excel export: question texts as headers, one row per respondent. Its
    timestamps are 1.12. of the year, or `last` (the day written, in a running year) when earlier."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Vastaukset"
    ws.append([c.raw for c in export.columns])
    for record in table.itertuples(index=False):
        ws.append([None if v is None or (not isinstance(v, str) and pd.isna(v)) else
                   int(v) if isinstance(v, (np.integer,)) else v for v in record])
    fixed = datetime(year, 12, 1)
    if last is not None and last < fixed.date():
        fixed = datetime(last.year, last.month, last.day)
    wb.properties.creator = "Webropol"
    wb.properties.created = fixed
    wb.properties.modified = fixed
    buffer = io.BytesIO()
    wb.save(buffer)
    _repack_zip(buffer.getvalue(), path, fixed)


def _repack_zip(data: bytes, path: Path, when: datetime) -> None:
    """Rewrite the xlsx zip with fixed timestamps so that two runs give identical bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
