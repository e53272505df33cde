"""The day it is, and the period a year's data covers.

A year still running is reported on the data up to the last day it covers: the cleaning takes
the latest date among the year's records (never later than today), so a report of 4.12.2026 on
exports taken that morning says "1.1.–4.12.2026, vuosi kesken". A year before this one is
complete (1.1.–31.12.); a year after this one has no data yet and is refused.

"Today" is the calendar day, or the day pinned by the environment variable HYTE_NB_TANAAN
(yyyy-mm-dd or d.m.yyyy) for tests and for a rerun "as of" an earlier day. It is never later
than the real day: a pinned future day would let future dates through the validator.

The period is written by each report's cleaning beside its clean tables
(data/processed/<year>/<report>/ajanjakso.json), where the pages and the indexes read it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used: the build's index pages read periods without it
    import pandas as pd

ENV = "HYTE_NB_TANAAN"
FILENAME = "ajanjakso.json"


def _fi(day: date) -> str:
    return f"{day.day}.{day.month}.{day.year}"


def parse_day(text: str) -> date:
    """yyyy-mm-dd or d.m.yyyy."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            return date.fromisoformat("-".join(f"{int(p):02d}" for p in text.split("-")))
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", text):
            d, m, y = (int(p) for p in text.split("."))
            return date(y, m, d)
    except ValueError:
        pass
    raise ValueError(f"{ENV}={text!r}: odotettiin päivämäärä muodossa vvvv-kk-pp tai p.k.vvvv (esim. 2026-12-04)")


def today() -> date:
    """The day it is: HYTE_NB_TANAAN when set (never later than the real day), else the calendar day."""
    real = date.today()
    pinned = os.environ.get(ENV, "").strip()
    if not pinned:
        return real
    day = parse_day(pinned)
    if day > real:
        raise ValueError(f"{ENV}={pinned}: päivä on tulevaisuudessa (tänään on {_fi(real)}); anna tämä päivä "
                         f"tai aiempi")
    return day


def check_year(year: int, on: date | None = None) -> None:
    """A year after this one has no data yet: a Finnish error saying so."""
    on = on or today()
    if int(year) > on.year:
        raise ValueError(f"Vuosi {year} ei ole vielä alkanut (tänään on {_fi(on)}): aineistoa ja raporttia voi "
                         f"tehdä vuodelle {on.year} tai aiemmille vuosille.")


def last_day(year: int, on: date | None = None) -> date:
    """The last day a year's data can cover: 31.12. of a past year, today in a running year."""
    on = on or today()
    check_year(year, on)
    return date(year, 12, 31) if year < on.year else on


@dataclass(frozen=True)
class Period:
    """1.1.–end of one year."""

    year: int
    end: date

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def complete(self) -> bool:
        return self.end >= date(self.year, 12, 31)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self) -> str:
        """1.1.–4.12.2026"""
        return f"1.1.–{self.end.day}.{self.end.month}.{self.year}"

    def line(self) -> str:
        """What a page header says: 'Ajanjakso 1.1.–4.12.2026 (vuosi kesken)'."""
        return f"Ajanjakso {self.label()}" + ("" if self.complete else " (vuosi kesken)")

    def same_in(self, year: int) -> Period:
        """The same period of another year (29.2. becomes 28.2.)."""
        end = self.end
        try:
            return Period(year, end.replace(year=year))
        except ValueError:
            return Period(year, date(year, end.month, 28))

    def covers(self, stamps: pd.Series) -> pd.Series:
        """Which dates (or times) fall on or before the period's last day."""
        import pandas as pd

        return stamps.isna() | (pd.to_datetime(stamps) < pd.Timestamp(self.end + timedelta(days=1)))

    def write(self, processed: Path) -> Path:
        path = Path(processed) / FILENAME
        path.write_text(json.dumps({"vuosi": self.year, "alku": self.start.isoformat(), "loppu": self.end.isoformat(),
                                    "kesken": not self.complete}, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


def window_by(opened: datetime, minutes: int, last: date) -> tuple[datetime, int]:
    """A survey's answering window (its opening time and minutes open) moved earlier, when it
    would close after the day `last`, so that it closes at the end of that day; it opens on 1.1.
    at the earliest (and is then as much shorter). A window closing by then stays as it is."""
    closes = datetime.combine(last + timedelta(days=1), datetime.min.time())
    if opened + timedelta(minutes=minutes) <= closes:
        return opened, minutes
    start = max(closes - timedelta(minutes=minutes), datetime(last.year, 1, 1))
    return start, int((closes - start).total_seconds() // 60)


def of_data(year: int, latest: date | datetime | pd.Timestamp | None, on: date | None = None) -> Period:
    """The period a year's cleaned data covers: the whole of a past year; in a running year up to
    the latest date found in the records (the day of the export, in practice), never after today."""
    import pandas as pd

    end = last_day(year, on)
    if year < (on or today()).year or latest is None or pd.isna(latest):
        return Period(year, end)
    latest = pd.Timestamp(latest).date()
    return Period(year, min(max(latest, date(year, 1, 1)), end))


def latest_date(tables: dict[str, pd.DataFrame] | list[pd.DataFrame], year: int) -> pd.Timestamp | None:
    """The latest date or time within the year in any date column of the tables."""
    import pandas as pd

    found = []
    for table in (tables.values() if isinstance(tables, dict) else tables):
        for column in table.columns:
            values = table[column]
            if pd.api.types.is_datetime64_any_dtype(values):
                inside = values[values.dt.year == year]
                if len(inside.dropna()):
                    found.append(inside.max())
    return max(found) if found else None


def read(processed: Path) -> Period | None:
    """The period the cleaning wrote (None before the cleaning has run)."""
    path = Path(processed) / FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Period(int(data["vuosi"]), date.fromisoformat(data["loppu"]))
    except (FileNotFoundError, ValueError, KeyError):
        return None


def running(year: int) -> bool:
    """Is the year the one running today (its period depends on the day)?"""
    return int(year) == today().year
