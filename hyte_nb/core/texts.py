"""The analyst's words: per-year Markdown texts with placeholders for computed figures, and
the choice of quotes. Judgement (principles, highlights and concerns, closing words, the
survey's conclusions) is written by people, not computed, so it lives beside the project in
files the analyst edits, not in notebooks or code:

    tekstit/<vuosi>/<raportti>/<sivu>.md       one file per page, in parts:
                                                 <!-- osa: nimi -->  starts the part `nimi`
    tekstit/<vuosi>/<raportti>/sitaatit.yml    which consented answers the pages quote

A placeholder `{id}` is filled with the figure `id` of the year's figures table
(luvut.parquet), formatted as the report writes it (58 318, 37 %, +87); `{id.n}` gives its
n. `{{` and `}}` are literal braces. An unknown placeholder, a missing file or a part the
page needs but the file lacks stops the build with a Finnish error naming the file.

The report's explanatory prose that is the same every year (the sentences the code fills with
figures, notes on suppression and the reconciliation, the weighting's account) is in Markdown
files of the same kind that ship with the package, hyte_nb/tekstit/<alue>.md (`alue`: yhteiset,
hyte, kysely, kehitys), with placeholders {name} the code fills (`phrase`). A project rewords any part in
its own copy, tekstit/yleiset/<alue>.md: the parts it has replace the package's, the others stay.

A year without its own text folder uses the latest earlier year's texts, filled with this
year's figures, and the page says so. The quote selection is never borrowed from another
year (its ids belong to one year's exports): without the file, every consented answer is
quoted, except those that carry contact details (a request to be contacted, not a testimonial).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from hyte_nb.core import privacy
from hyte_nb.core.paths import find_root

if TYPE_CHECKING:  # pandas is imported where it is used: the build's index pages read texts without it
    import pandas as pd

FOLDER = "tekstit"
COMMON = "yleiset"  # tekstit/yleiset/<alue>.md: the project's wording of the package's prose
DEFAULTS = Path(__file__).resolve().parent.parent / "tekstit"  # hyte_nb/tekstit/<alue>.md
QUOTES_FILE = "sitaatit.yml"
PART = re.compile(r"^[ \t]*<!--[ \t]*osa:[ \t]*([\w-]+)[ \t]*-->[ \t]*$", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
# {id}, {id.n} or {id.ero} (a change in words its test allows); {{ and }} are literal braces
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
NAME = re.compile(r"^([A-Za-z0-9_]+)(?:\.(n|ero))?$")
# A short attribution at the very end of a quote: "(Mies 35v)", "(Vapaaehtoinen)", "(koordinaattori)"
ATTRIBUTION = re.compile(r"\s*\(([^()]{1,30})\)\s*$")


class TextError(ValueError):
    """An editorial text that cannot be shown as written; the message names the file."""


# -- where the texts are --------------------------------------------------------------------------
def folder_for(root: Path, year: int, report: str) -> tuple[Path | None, int | None]:
    """The text folder of the year, or else of the latest earlier year that has one: (folder,
    its year); (None, None) when no year up to this one has texts for the report."""
    base = Path(root) / FOLDER
    years = sorted(int(p.name) for p in base.glob("[0-9][0-9][0-9][0-9]")
                   if (p / report).is_dir() and int(p.name) <= int(year)) if base.is_dir() else []
    if not years:
        return None, None
    return base / str(years[-1]) / report, years[-1]


def split_parts(text: str, path: Path) -> dict[str, str]:
    """`<!-- osa: nimi -->` lines split a file into named parts; comments are the analyst's notes
    and never shown. A file of comments only has no parts (a page whose parts are optional)."""
    markers = list(PART.finditer(text))
    before = COMMENT.sub("", text[:markers[0].start()] if markers else text).strip()
    if before:
        raise TextError(f"{path}: tekstiä ennen ensimmäistä osaa ({before[:40]!r}…). Jokainen teksti kuuluu "
                        f"johonkin osaan: lisää sen eteen rivi <!-- osa: nimi -->.")
    parts: dict[str, str] = {}
    for i, marker in enumerate(markers):
        name = marker.group(1)
        if name in parts:
            raise TextError(f"{path}: osa {name!r} on tiedostossa kahdesti.")
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        parts[name] = COMMENT.sub("", text[marker.end():end]).strip()
    return parts


def placeholders(text: str) -> list[tuple[str, str | None, int]]:
    """(figure id, attribute or None, line number) of every placeholder in a text."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        if match.group(1) is None:
            continue  # {{ or }}
        line = text.count("\n", 0, match.start()) + 1
        name = NAME.match(match.group(1).strip())
        found.append((name.group(1), name.group(2), line) if name else (match.group(1), "?", line))
    return found


def check(text: str, known: Iterable[str], where: str) -> None:
    """Every placeholder names a known figure (with .n only where the figure has an n)."""
    known = set(known)
    for name, attribute, line in placeholders(text):
        if attribute == "?":
            raise TextError(f"{where}, rivi {line}: paikkamerkki {{{name}}} ei ole muotoa {{luku}} tai {{luku.n}}. "
                            f"Kirjoita aaltosulkeet tekstiin kahdesti: {{{{ ja }}}}.")
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=3)
            hint = f" Tarkoititko: {', '.join(close)}?" if close else ""
            raise TextError(f"{where}, rivi {line}: tuntematon paikkamerkki {{{name}}}: vuoden lukutaulussa ei ole "
                            f"lukua {name!r}.{hint}")


def fill(text: str, value: Callable[[str, str | None], str]) -> str:
    """Placeholders replaced by value(id, attribute); {{ and }} become braces."""

    def replace(match: re.Match) -> str:
        if match.group(1) is None:
            return match.group(0)[0]
        name = NAME.match(match.group(1).strip())
        return value(name.group(1), name.group(2))

    return PLACEHOLDER.sub(replace, text)


@dataclass
class PageTexts:
    """One page's editorial texts: its file's parts, checked against the year's figures."""

    page: str
    year: int  # the report's year
    path: Path | None  # None: no texts were written for the report up to this year
    source_year: int | None  # the year whose texts these are
    parts: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @property
    def borrowed(self) -> bool:
        return self.path is not None and self.source_year != self.year

    def note(self) -> str | None:
        """What the page says about its texts, when they are not this year's own."""
        if self.path is None:
            return phrase("yhteiset", "tekstit_puuttuvat")
        if self.borrowed:
            return phrase("yhteiset", "tekstit_lainattu", lahdevuosi=self.source_year, vuosi=self.year)
        return None

    def part(self, name: str, optional: bool = False) -> str | None:
        """The part's raw text (None when the report has no texts at all, or an optional part
        is not in the file); a required part the file lacks is an error naming the file."""
        if self.path is None or (optional and name not in self.parts):
            return None
        if name not in self.parts:
            raise TextError(f"{self.path}: osaa {name!r} ei ole. Sivu {self.page} näyttää sen; lisää tiedostoon rivi "
                            f"<!-- osa: {name} --> ja sen alle teksti (tyhjä osa on sallittu). Tiedoston osat: "
                            f"{', '.join(self.parts) or 'ei yhtään'}.")
        self.used.add(name)
        return self.parts[name]

    def unused(self) -> list[str]:
        return [name for name in self.parts if name not in self.used]


def load(root: Path, year: int, report: str, page: str, known: Iterable[str]) -> PageTexts:
    """The page's texts for the year (or the latest earlier year's), every placeholder checked."""
    folder, source_year = folder_for(root, year, report)
    if folder is None:
        return PageTexts(page, int(year), None, None)
    path = folder / f"{page}.md"
    if not path.exists():
        raise TextError(f"Tekstitiedosto puuttuu: {path}. Sivu {page} näyttää sen osat; kirjoita tiedosto "
                        f"(mallina käy edellisen vuoden samanniminen tiedosto).")
    parts = split_parts(path.read_text(encoding="utf-8"), path)
    known = set(known)
    for name, text in parts.items():
        check(text, known, f"{path}, osa {name}")
    return PageTexts(page, int(year), path, source_year, parts)


# -- the package's prose, reworded by the project where it wants -----------------------------------------
def _paragraphs(text: str) -> str:
    """A part as the code uses it: a line break inside a paragraph is a space (the files wrap
    their lines), an empty line between paragraphs and the line break before a list item stay."""
    return re.sub(r"(?<!\n)\n(?![\n\-*]|\d+\. )", " ", text)


@lru_cache(maxsize=None)
def _common_parts(path: Path, version: tuple[int, int]) -> dict[str, str]:
    """A prose file's parts (cached until the file changes)."""
    return {name: _paragraphs(text) for name, text in split_parts(path.read_text(encoding="utf-8"), path).items()}


def _version(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def common_parts(area: str, root: Path | None = None) -> tuple[dict[str, str], dict[str, Path]]:
    """The prose of `area` (yhteiset, hyte, kysely, kehitys): the package's parts, each replaced by the
    project's own where tekstit/yleiset/<alue>.md has it; and the file each part comes from. A part
    the package does not have is a typo in the project's file: an error naming it."""
    default = DEFAULTS / f"{area}.md"
    parts = dict(_common_parts(default, _version(default)))
    where = dict.fromkeys(parts, default)
    try:
        own = find_root(root) / FOLDER / COMMON / f"{area}.md"
    except FileNotFoundError:  # not inside a project folder: the package's wording
        return parts, where
    if own.exists():
        mine = _common_parts(own, _version(own))
        unknown = [name for name in mine if name not in parts]
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(parts), n=3)
            raise TextError(f"{own}: osaa {unknown[0]!r} ei ole paketin tekstissä {default.name}"
                            + (f" (tarkoititko: {', '.join(close)}?)" if close else "") + ".")
        parts |= mine
        where |= dict.fromkeys(mine, own)
    return parts, where


def phrase(area: str, name: str, root: Path | None = None, **values) -> str:
    """The part `name` of the prose of `area`, its placeholders {name} filled from `values`
    (as given: the caller formats figures). An unknown placeholder is an error naming the file."""
    parts, where = common_parts(area, root)
    if name not in parts:
        raise KeyError(f"{DEFAULTS / area}.md: osa {name!r} puuttuu")

    def value(key: str, attribute: str | None) -> str:
        if key not in values or attribute is not None:
            raise TextError(f"{where[name]}, osa {name}: tuntematon paikkamerkki {{{key}}}; käytettävissä: "
                            f"{', '.join('{' + k + '}' for k in values) or 'ei yhtään'}.")
        return str(values[key])

    return fill(parts[name], value)


# -- quotes ---------------------------------------------------------------------------------------------
def split_attribution(text: str) -> tuple[str, str | None]:
    """A quote and the short attribution its author or the staff put in brackets at its end:
    'Keskustelusta oli hyötyä. (Mies 35v)' -> ('Keskustelusta oli hyötyä.', 'Mies 35v'). A
    longer bracketed remark at the end belongs to the quote."""
    match = ATTRIBUTION.search(text)
    if not match or len(match.group(1).split()) > 4:
        return text, None
    return text[:match.start()].rstrip(), match.group(1).strip()


def is_contact_request(text: str) -> bool:
    """An answer with a phone number or an email address asks to be contacted: it is passed on to
    the service, not quoted as a testimonial."""
    return bool(privacy.PHONE.search(text) or privacy.EMAIL.search(text))


def quote_selection(root: Path, year: int, report: str) -> tuple[Path, dict[str, list[str]]] | None:
    """(file, table -> answer ids) from this year's sitaatit.yml, or None when there is none."""
    path = Path(root) / FOLDER / str(year) / report / QUOTES_FILE
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise TextError(f"{path}: tiedosto ei ole kelvollista YAMLia: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise TextError(f"{path}: odotettiin taulujen nimiä ja niiden alle luettelo vastausten tunnisteista, "
                        f"esim. asiakaspalaute: [P00036, P00369].")
    return path, {str(table): [str(i) for i in ids] for table, ids in data.items()}


@dataclass
class Quote:
    answer: str  # the answer's id in its table
    text: str  # personal data removed, attribution split off
    attribution: str | None = None  # e.g. "Mies 35v", shown after the closing quotation mark
    source: str = ""  # e.g. the service


def consented(answers: pd.DataFrame) -> pd.DataFrame:
    return answers[answers["lupa"].fillna(False).astype(bool) & answers["avoin"].notna()]


def choose_quotes(answers: pd.DataFrame, id_column: str, table: str,
                  selection: tuple[Path, dict[str, list[str]]] | None, source_column: str | None = None,
                  within: pd.Series | None = None) -> list[Quote]:
    """The quotes to show from one table's answers: those the selection file lists for the
    table (in its order), or without a selection every consented answer that is not a contact
    request; `within` (a mask over the answers, e.g. one service area) keeps those of one page.
    Listing an answer without consent, a contact request or an id the table does not have is
    an error."""
    import pandas as pd

    allowed = consented(answers)
    ids = answers[id_column].astype(str)
    if selection is not None and table in selection[1]:
        path, chosen = selection[0], selection[1][table]
        rows = []
        for answer in chosen:
            match = answers[ids == answer]
            if match.empty:
                raise TextError(f"{path}: taulussa {table} ei ole vastausta {answer}.")
            row = match.iloc[0]
            if match.index[0] not in allowed.index:
                raise TextError(f"{path}: vastauksen {answer} kirjoittaja ei antanut lupaa lainata (tai vastauksessa "
                                f"ei ole avointa tekstiä), joten sitä ei voi näyttää.")
            if is_contact_request(str(row["avoin"])):
                raise TextError(f"{path}: vastaus {answer} on yhteydenottopyyntö (siinä on yhteystietoja), ei "
                                f"sitaatti: välitä se palvelulle ja poista se luettelosta.")
            rows.append(row)
        picked = pd.DataFrame(rows)
    else:
        picked = allowed[~allowed["avoin"].astype(str).map(is_contact_request)]
    if within is not None:
        picked = picked[within.reindex(picked.index, fill_value=False).to_numpy(dtype=bool)]
    quotes = []
    for _, row in picked.iterrows():
        text, attribution = split_attribution(privacy.redact(str(row["avoin"])))
        source = str(row[source_column]) if source_column and pd.notna(row.get(source_column)) else ""
        quotes.append(Quote(str(row[id_column]), text, attribution, source))
    return quotes


def contact_requests(answers: pd.DataFrame, id_column: str) -> list[str]:
    """Ids of consented answers that carry contact details (never quoted)."""
    allowed = consented(answers)
    return [str(i) for i, t in zip(allowed[id_column], allowed["avoin"].astype(str)) if is_contact_request(t)]
