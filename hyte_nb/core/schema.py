"""What each raw export looks like: file, headers, and what every column must hold.

The declarations of each report's exports live with the report (hyte_nb/hyte/exports.py,
hyte_nb/kysely/questionnaire.py). One declaration serves three readers: the generator writes
these headers, reading parses and validates by them, and data/raw/README.md documents them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


LIKERT5 = ["Täysin eri mieltä", "Jokseenkin eri mieltä", "Ei samaa eikä eri mieltä",
           "Jokseenkin samaa mieltä", "Täysin samaa mieltä"]


WEBROPOL_ID = "Vastaajan numero"  # Webropol's respondent number: one row per respondent
WEBROPOL_FIXED = (WEBROPOL_ID, "Aloitusaika", "Lähetysaika")  # every Webropol export's own columns, then the questions
# Columns whose values come from a catalogue (services, areas, items, tasks, materials): the
# cleaning log may show them; free text never.
CATALOGUE_COLUMNS = frozenset({"palvelu", "alue", "mittari", "tehtava", "materiaali", "kieli", "kerta"})


@dataclass(frozen=True)
class Column:
    raw: str  # header as the source system writes it
    name: str  # tidy name used in processed tables
    kind: str  # text | int | date | datetime | yesno | choice | likert5 | checkbox
    required: bool = True
    lo: int | None = None
    hi: int | None = None
    choices: tuple[str, ...] = ()
    doc: str = ""
    unique: bool = False  # a record id: one row per value (exact duplicates are dropped first)
    test_marker: bool = False  # an identifier that marks a test row by a TESTI- prefix (data/raw/README.md)

    @property
    def is_id(self) -> bool:
        """A record id: declared unique, or Webropol's respondent number."""
        return self.unique or self.raw == WEBROPOL_ID

    @property
    def logs_values(self) -> bool:
        """Whether the cleaning log may show this column's values before and after a fix: only
        values from a closed list (choices, catalogue names), never free text (issue 8, item 5)."""
        return self.kind in ("choice", "likert5", "yesno") or self.name in CATALOGUE_COLUMNS

    def expected(self) -> str:
        """What a valid value looks like, in words (used in error messages)."""
        if self.kind == "int":
            bounds = f" väliltä {self.lo}–{self.hi}" if self.hi is not None else f" ≥ {self.lo}" if self.lo is not None else ""
            return "kokonaisluku" + bounds
        if self.kind == "date":
            return "päivämäärä muodossa p.k.vvvv"
        if self.kind == "datetime":
            return "aikaleima"
        if self.kind == "yesno":
            return "Kyllä tai Ei"
        if self.kind in ("choice", "likert5"):
            return "yksi vaihtoehdoista: " + ", ".join(self.choices or LIKERT5)
        if self.kind == "checkbox":
            return "1 tai tyhjä"
        return "tekstiä"


@dataclass(frozen=True)
class Export:
    key: str
    filename: str
    doc: str
    grain: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
    dated: bool = False  # records carry a date (pvm) that must fall in the report year

    @property
    def rename(self) -> dict[str, str]:
        return {c.raw: c.name for c in self.columns}




def slug(text: str) -> str:
    """'Keski-Suomen hyvinvointialue' -> 'keski_suomen_hyvinvointialue' (tidy column names)."""
    text = text.lower().translate(str.maketrans("äöåé", "aoae"))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")
