"""The HYTE report's evidence: a test of every wellbeing change measured at the start and the
end, which decides whether a story page may call the change a change, and the appendix's
tables (tests, intervals, full lists of services and tasks).

The shares at the start and the end are compared with Fisher's exact test on the counts they
come from, as if the two measurements were independent samples. The same clients answered
both, so the test is cautious: a change it finds is there; a change it does not find may
still be (the published shares, not the pairs of answers, are what the pages show).
"""

from __future__ import annotations

import pandas as pd

from hyte_nb.core import evidence, fmt, stats, suppression, texts
from hyte_nb.hyte import catalog, figures

WORDS = {"väheni": ("Väheni", "Nousi"), "nousi": ("Nousi", "Väheni")}


def _changes(section) -> list[tuple[str, dict, dict]]:
    """(area, block, ids) of every item measured at the start and the end."""
    return [(b["alue"], b, ids) for b in catalog.load("luvut")["mittaukset"]
            for ids in b.get("osuudet", {}).values() if {"alku", "loppu", "muutos"} <= set(ids)
            and all(section.has(ids[k]) for k in ("alku", "loppu", "muutos"))]


def wellbeing_tests(section) -> dict[str, stats.TestResult]:
    """change figure id -> its test, Holm-adjusted over every change of the report (computed
    once per section object)."""
    cached = getattr(section, "_wellbeing_tests", None)
    if cached is not None:
        return cached
    items = catalog.load("mittarit")
    results = {}
    for _, block, ids in _changes(section):
        label = f"{figures.block_title(block)}: {items[_item(block, ids)]['nimi']}"
        results[ids["muutos"]] = evidence.two_shares_test(section.value(ids["alku"]), section.n(ids["alku"]),
                                                          section.value(ids["loppu"]), section.n(ids["loppu"]), label)
    stats.holm(list(results.values()))
    section._wellbeing_tests = results
    return results


def _item(block: dict, ids: dict) -> str:
    return next(k for k, v in block["osuudet"].items() if v is ids)


def change_text(section, ids: dict) -> str:
    """The change column of a wellbeing table: 'Väheni 49' where the test supports a change,
    else the signed change and 'ei tilastollisesti merkitsevä'."""
    change = section.value(ids["muutos"])
    result = wellbeing_tests(section).get(ids["muutos"])
    if evidence.significant(result):
        word = WORDS[ids["suunta"]][0 if change >= 0 else 1]
        return f"{word} {fmt.number(abs(change))}{section.mark(ids['muutos'])}"
    signed = -change if ids["suunta"] == "väheni" else change  # end minus start
    return f"{fmt.nps(signed)}{section.mark(ids['muutos'])} ({evidence.NOT_SIGNIFICANT})"


def tests_table(section, area: str | None = None) -> pd.DataFrame:
    """Every wellbeing change's test (of an area, or all): the shares, the change and p."""
    tests = wellbeing_tests(section)
    rows = []
    for block_area, block, ids in _changes(section):
        if area and block_area != area or section.is_hidden(ids["muutos"]):
            continue
        r = tests[ids["muutos"]]
        rows.append({"Mittari": r.kysymys, "Alussa, %": section.luku(ids["alku"], unit=False),
                     "Lopussa, %": section.luku(ids["loppu"], unit=False),
                     "Muutos, prosenttiyksikköä": change_text(section, ids), "Testi": r.testi,
                     "p": _p(r.p), "p (Holm)": _p(r.p_holm),
                     "n": section.n_text(ids["alku"])})
    return pd.DataFrame(rows)


def _p(p: float) -> str:
    return "< 0,001" if p < 0.001 else fmt.number(p, 3)


def change_phrase(section, fid: str) -> str:
    """A wellbeing change in words for the analyst's texts ({id.ero}): 'laski 21
    prosenttiyksikköä, mikä on tilastollisesti merkitsevä muutos' where the test supports it, else
    'muuttui −10 prosenttiyksikköä, mikä ei ole tilastollisesti merkitsevä muutos'."""
    found = [ids for _, _, ids in _changes(section) if ids["muutos"] == fid]
    if not found:
        raise texts.TextError(f"{{{fid}.ero}}: {fid} ei ole alku- ja loppumittauksen muutos, jolla on testi.")
    ids = found[0]
    if section.is_hidden(fid):
        return f"muuttui ({section.luku(fid)})"
    change = section.value(fid)
    signed = -change if ids["suunta"] == "väheni" else change  # end minus start
    mark = section.mark(fid)
    if evidence.significant(wellbeing_tests(section)[fid]):
        return texts.phrase("hyte", "muutos_merkitseva", suunta="nousi" if signed > 0 else "laski",
                            muutos=fmt.number(abs(signed)) + mark)
    return texts.phrase("hyte", "muutos_ei_merkitseva", muutos=fmt.nps(signed) + mark)


# -- long lists: the story shows the largest, the appendix every row ---------------------------------
SERVICES_SHOWN = 6  # an area with more services folds the rest into "Muut palvelut (k)"


def folded_services(section, area: str, table: pd.DataFrame, encounters: pd.Series,
                    keep: int = SERVICES_SHOWN) -> tuple[pd.DataFrame, pd.Series]:
    """The area's services table and encounters per service for the story: the `keep` services
    with most encounters in the catalogue's order, and one row "Muut palvelut (k)" summing the
    rest (a column whose folded cells include a hidden count is hidden in the sum too). The
    appendix shows every service (hyte_liitteet, "Palvelut kokonaisuudessaan")."""
    if len(table) <= keep + 1:
        return table, encounters
    top = set(encounters.sort_values(ascending=False, kind="stable").index[:keep])
    shown = table[table["Palvelu"].isin(top)]
    rest = table[~table["Palvelu"].isin(top)]
    other = {"Palvelu": f"Muut palvelut ({len(rest)})"}
    for column in table.columns[1:]:
        values = [_value(str(v)) for v in rest[column] if str(v)]
        if any(v != v for v in values):
            other[column] = suppression.HIDDEN  # a hidden count ('< 5', '..') among them
        else:
            other[column] = fmt.number(sum(values)) if values else ""
    folded = pd.concat([shown, pd.DataFrame([other])], ignore_index=True)
    series = pd.concat([encounters[encounters.index.isin(top)],
                        pd.Series({other["Palvelu"]: float(encounters[~encounters.index.isin(top)].sum())})])
    return folded, series


def _value(cell: str) -> float:
    """A table cell's count without its mark; NaN for a hidden one."""
    try:
        return fmt.parse_number(cell.rstrip("⁰¹²³⁴⁵⁶⁷⁸⁹"))
    except ValueError:
        return float("nan")
