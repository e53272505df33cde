"""The questionnaire of a survey year (hyte_nb/kysely/metadata/kysely.yml) and the Webropol
export it gives: respondent number, timestamps, then one column per single-choice question,
checkbox option, matrix row and open question.

A project folder may hold its own `kysely.yml` (and `teemat.yml`) beside reports.yml: it then
replaces the bundled one, so an organisation changes its questionnaire without editing the
installed package.
"""

from __future__ import annotations

import copy

from hyte_nb.core import catalog
from hyte_nb.core.schema import Column, Export, slug

PACKAGE = "hyte_nb.kysely"
FILENAME = "hyte_ohjaus_kysely_{year}.xlsx"


def source(name: str = "kysely") -> str:
    """Where the catalogue in use comes from (for messages)."""
    return catalog.source(PACKAGE, name)


def load(name: str = "kysely"):
    """kysely (the questionnaire) or teemat (the codebook of open answers)."""
    return catalog.load(PACKAGE, name)


def all_questions() -> list[dict]:
    """The catalogue's questions; a drafted catalogue whose sections were not yet chosen stops here."""
    return copy.deepcopy(_questions())


def _questions() -> list[dict]:
    """all_questions() without the copy: the parsed catalogue's own list, for reading only."""
    questions = catalog.shared(PACKAGE, "kysely")["kysymykset"]
    missing = [q["key"] for q in questions if not q.get("osio")]
    if missing:
        raise ValueError(f"{source()}: kysymykseltä puuttuu osio: {', '.join(missing)} – anna jokaiselle osio "
                         f"(mikä tahansa avain, otsikot kohdassa osiot: {{avain: otsikko}}); luonnoksen TARKISTA-kohdat kertovat, mitä "
                         f"viennistä ei voitu päätellä (README: \"Kysely muuttui\")")
    return questions


def question(key: str, year: int | None = None) -> dict:
    """A question with every option of every year, or (year=) with that year's options."""
    found = [q for q in _questions() if q["key"] == key]
    if not found:
        raise KeyError(f"Kysymystä {key!r} ei ole kyselyluettelossa ({source()})")
    own = copy.deepcopy(found[0])  # the caller's own, as all_questions() gives
    return own if year is None else of_year(own, year)


def of_year(q: dict, year: int) -> dict:
    """The question as that year's questionnaire asked it: the options and matrix rows valid
    that year (an option or row may have its own alkaen and asti)."""
    q = dict(q)
    for part in ("vaihtoehdot", "rivit"):
        if part in q:
            q[part] = [o for o in q[part] if catalog.in_year(o, year)]
    return q


def survey_questions(year: int) -> list[dict]:
    """The questions the year's questionnaire asked, in catalogue order, with that year's options."""
    return [of_year(q, year) for q in all_questions() if catalog.asked(q, year)]


def not_asked(year: int) -> list[dict]:
    """Questions the catalogue marks as left out of this year's questionnaire."""
    return [q for q in all_questions() if catalog.in_year(q, year) and not catalog.asked(q, year)]


def is_asked(key: str, year: int) -> bool:
    return catalog.asked(question(key), year)


def group_key() -> str:
    """The respondent attribute the group test compares (the professional group)."""
    catalogue = load()
    if not catalogue.get("ryhmittely"):
        raise ValueError(f"{source()}: ryhmittely puuttuu – anna ryhmävertailun taustakysymyksen avain, "
                         f"esim. ryhmittely: ammattiryhma")
    return catalogue["ryhmittely"]


def title(q: dict) -> str:
    """The question's short title (its full text where it has none)."""
    return q.get("lyhyesti", q["teksti"])


def option_column(question: dict, option: str) -> str:
    """Tidy name of a checkbox option's or matrix row's column."""
    return f"{question['key']}__{slug(option)}"


def options(q: dict) -> list[str]:
    return [o["teksti"] for o in q.get("vaihtoehdot", [])] or list(q.get("asteikko", []))


def earlier_names(item: dict) -> list[str]:
    """An option's or matrix row's earlier labels (`aiemmin: [vanha nimi]`): a renamed option
    is read under either label and counted under its present one."""
    earlier = item.get("aiemmin") or []
    return [earlier] if isinstance(earlier, str) else list(earlier)


def survey_export(year: int, headers: list[str] | None = None) -> Export:
    """The Webropol export of a survey year, by the questions that year asked. Given the file's
    headers, a renamed checkbox option's or matrix row's column is read under the label the
    file has (the present one or one of its `aiemmin` labels)."""
    columns = [Column("Vastaajan numero", "vastaaja", "int", lo=1, hi=10_000_000),
               Column("Aloitusaika", "aloitettu", "datetime"),
               Column("Lähetysaika", "lahetetty", "datetime")]
    for q in survey_questions(year):
        if q["tyyppi"] == "valinta":
            columns.append(Column(q["teksti"], q["key"], "choice", required=False,
                                  choices=tuple(n for o in q["vaihtoehdot"] for n in [o["teksti"], *earlier_names(o)])))
        elif q["tyyppi"] == "monivalinta":
            columns += [Column(_header(q, o, headers), option_column(q, o["teksti"]), "checkbox",
                               required=False) for o in q["vaihtoehdot"]]
        elif q["tyyppi"] == "matriisi":
            columns += [Column(_header(q, r, headers), option_column(q, r["teksti"]), "choice",
                               required=False, choices=tuple(q["asteikko"])) for r in q["rivit"]]
        elif q["tyyppi"] == "numero":
            low, high = q.get("vali", [None, None])
            columns.append(Column(q["teksti"], q["key"], "int", required=False, lo=low, hi=high))
        else:
            columns.append(Column(q["teksti"], q["key"], "text", required=False))
    return Export("kysely", FILENAME.format(year=year), "Webropol-kysely sote-ammattilaisille, Excel-vienti",
                  "yksi rivi per vastaaja", tuple(columns))


def _header(q: dict, item: dict, headers: list[str] | None) -> str:
    """`Kysymys - vaihtoehto` under the label the file uses (its present one by default)."""
    names = [item["teksti"], *earlier_names(item)]
    found = [n for n in names if headers is not None and f"{q['teksti']} - {n}" in headers]
    return f"{q['teksti']} - {(found or names)[0]}"
