"""A report's summary page ("Tiivistelmä"), the first page of its story: the five to eight
findings that matter, each with its figure and n, in plain Finnish.

Which findings and how they are worded is the analyst's choice, written in
tekstit/<vuosi>/<raportti>/tiivistelma.md (part `havainnot`: a Markdown list, one finding per
item, each with a link to where the story or the appendix shows it). The figures come from the
figures table through placeholders ({kohtaamiset}, {nps.n}); a change between a start and an
end measurement is worded by its test ({id.ero}); the survey's differences between groups and
years come from their tests as the sentences {ryhmaerot} and {vuosimuutos}. A list with fewer
than five or more than eight findings, or a finding without its n, stops the build with a
message naming the file.
"""

from __future__ import annotations

import re

from hyte_nb.core import display, texts
from hyte_nb.core.paths import Paths

FINDINGS = (5, 8)
ITEM = re.compile(r"^[-*] +(.+?)(?=^[-*] |\Z)", re.M | re.S)
HAS_N = re.compile(r"\bn = ")


def load(folder: Paths, previous_year: int | None = None):
    """The report's section object and the sentences its tests give (for the placeholders)."""
    if folder.report == "kysely":
        from hyte_nb.kysely import evidence
        from hyte_nb.kysely import sections as kysely

        section = kysely.load(folder, previous_year)
        groups = kysely.group_differences(section)
        changes = kysely.year_tests(section) if section.previous is not None else []
        extra = {"ryhmaerot": evidence.group_sentence(groups, section.year),
                 "vuosimuutos": evidence.year_sentence(changes, section.year, section.previous_year)}
        return section, extra
    from hyte_nb.hyte import sections as hyte

    return hyte.load(folder), {}


def findings(page_texts: display.Texts) -> list[str]:
    """The filled findings (Markdown), checked: five to eight, each with its n."""
    body = page_texts.filled("havainnot") or ""
    items = [item.strip() for item in ITEM.findall(body.strip())]
    where = page_texts.page.path
    if not FINDINGS[0] <= len(items) <= FINDINGS[1]:
        raise texts.TextError(f"{where}: tiivistelmässä on {len(items)} havaintoa; kirjoita osaan havainnot "
                              f"{FINDINGS[0]}–{FINDINGS[1]} havaintoa, kukin omalle rivilleen alkaen '- '.")
    missing = [item[:60] for item in items if not HAS_N.search(item)]
    if missing:
        raise texts.TextError(f"{where}: havainnosta puuttuu vastaajamäärä (n = …): {missing[0]!r}")
    return items


def show(section, page_texts: display.Texts, title: str = "Tiivistelmä") -> None:
    """The summary page: its heading, the analyst's introduction, the findings as a numbered
    list, the closing words, and one line on figures the published report printed otherwise."""
    page = display.Page(section)
    page.md(f"# {title}")
    page.text(page_texts, "johdanto", optional=True)  # or the note that no texts were written
    if page_texts.page.path is None:  # no year up to this one has texts: no findings to show
        page.marks_note()
        return
    items = findings(page_texts)
    page.md("\n".join(f"{i}. {item}" for i, item in enumerate(items, start=1)))
    page.text(page_texts, "lopuksi", optional=True)
    display.check_texts(section)
    page.marks_note()
