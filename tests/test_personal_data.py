"""No personal data in any deliverable (issue 8, item 5).

Realistic personal data, planted into every open-answer field of every export, must reach no
page and no PDF. The planted items: inflected Finnish first names and surnames, Swedish names
(known to Voikko, only in etunimet.txt, unknown to both next to a surname, in the genitive),
names on no list with a surname, street addresses (also inflected and Swedish), postal codes with
a town, register ids (client, support pair, volunteer, visit), emails, phones in several formats
and identity codes in every century form.

The planting (tests/planting.py), done by the shared project of several years (conftest's
`years_project`) before its running year 2026 is built: the HYTE answers the pages quote (those
tekstit/2026/hyte/sitaatit.yml would choose; with no choice made, as there, every other
consented one) get the names, addresses, ids and identity codes; the other consented answers and
every tenth answer without consent get all items, contact details included (an answer with a
phone or an email is a contact request, never quoted); every answer of every open question of
both survey years, 2026 and its comparison year 2025 (planted before 2025 is built), gets all
items. Every fourth planted answer has stray spaces around it, as real exports do (the cleaning
trims them and logs the change). Both reports of 2026 are built once per run (papermill +
nbconvert) and printed to PDF here, and every page, PDF and cleaning log of 2026 is scanned for
every item and for the base form of every name. A canary sentence in the planted text shows that
it did reach the quotes, so that a clean scan means something.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from hyte_nb.core.privacy import contains_personal_data, redact
from hyte_nb.hyte.exports import VOLUNTEER_SURVEY
from planting import CANARY, ITEMS, PLANTED, open_questions, raw_header

YEAR = 2026  # the shared project's running year (conftest's `years_project`)


def test_there_are_enough_planted_items_of_every_kind():
    assert len(ITEMS) >= 25
    assert {i.sentence.split()[-1][6] for i in ITEMS if i.kind == "henkilötunnus"} == set("+-UVWXYABCDEF")


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: f"{i.kind}: {i.sentence}")
def test_each_item_is_redacted(item):
    assert contains_personal_data(item.sentence)
    assert redact(item.sentence) == item.expected
    assert not contains_personal_data(item.expected)


def test_the_planted_paragraph_is_redacted_whole():
    cleaned = redact(PLANTED)
    assert cleaned.startswith(CANARY)
    assert _found(cleaned, [n for item in ITEMS for n in item.needles]) == []


# -- the planted build ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def planted_build(years_project):
    """The running year of the shared project (conftest's `years_project`), planted before it was built:
    its folder and how many answers of each export were planted."""
    built = years_project.result["running"][0]  # the first build of 2026; test_running_year checks the others
    assert not built["failed"], built["failed"]
    return years_project.running, years_project.result["planted"]


def _page_text(path: Path) -> str:
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<img[^>]*>", " ", page)  # inline images: base64, not text
    return _normal(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def _found(text: str, needles) -> list[str]:
    text = _normal(text)
    return [n for n in dict.fromkeys(needles) if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text)]


def _pages(root: Path) -> list[Path]:
    return sorted((root / "reports" / str(YEAR)).rglob("*.html"))


NEEDLES = [n for item in ITEMS for n in item.needles]
QUOTE_PAGES = ["hyte/02_vapaaehtoiset.html", "hyte/03_seniorit.html", "hyte/04_perheet.html", "hyte/05_nuoret.html",
               "hyte/06_aikuiset.html", "kysely/12_hyte_ohjaus.html", "kysely/13_toimintamalli.html"]


def test_the_planted_answers_reach_the_quotes(planted_build):
    """Without this the scan below could pass because nothing planted was shown at all."""
    root, counts = planted_build
    assert all(counts.values()), counts
    reports = root / "reports" / str(YEAR)
    for page in QUOTE_PAGES:
        text = _page_text(reports / page)
        assert CANARY in text, page
        assert "[nimi poistettu]" in text and "[henkilötunnus poistettu]" in text, page


CLEANING_PAGES = ["hyte/00_puhdistus.html", "kysely/10_puhdistus.html"]
# The cleaning log names the row, the column and the kind of change of a free-text cell, never
# its text, so the cleaning appendices are scanned like every other page.


def test_no_planted_item_on_any_page(planted_build):
    """Every page but the cleaning appendices (below): sections, quotes, indexes."""
    root, _ = planted_build
    reports = root / "reports" / str(YEAR)
    pages = [p for p in _pages(root) if str(p.relative_to(reports)) not in CLEANING_PAGES]
    assert len(pages) >= 13
    leaks = {str(p.relative_to(reports)): _found(_page_text(p), NEEDLES) for p in pages}
    assert {page: found for page, found in leaks.items() if found} == {}


# The shapes of the registers' record ids (data/raw/2024/hyte/*.csv): clients and support pairs,
# volunteers, visits, events, feedback answers, volunteer tasks.
REGISTER_ID = re.compile(r"(?<![\w-])(?:(?:AS|TP)-\d{6}|V\d{6}|K\d{6}|T\d{5}|P\d{5}|VT\d{5})(?:-V)?(?!\w)")


def test_no_register_id_on_any_page(planted_build):
    """Beyond the planted ones (scanned above): no record id of the sample's registers reaches a
    page either (a pseudonymous id still points at one person's records)."""
    root, _ = planted_build
    reports = root / "reports" / str(YEAR)
    planted = set(NEEDLES)
    found = {str(p.relative_to(reports)): sorted(set(REGISTER_ID.findall(_page_text(p))) - planted)
             for p in _pages(root)}
    assert {page: ids for page, ids in found.items() if ids} == {}


@pytest.mark.parametrize("page", CLEANING_PAGES)
def test_no_planted_item_on_a_cleaning_page(planted_build, page):
    root, _ = planted_build
    assert _found(_page_text(root / "reports" / str(YEAR) / page), NEEDLES) == []


@pytest.fixture(scope="module")
def printed(planted_build, tmp_path_factory):
    """Every PDF hyte_nb.pipeline.pdf prints of the planted year, read back by pdftotext: report
    folder (hyte, kysely) -> the text of its PDFs. Printed in a folder of links to the pages, so
    that the PDFs are not written into the shared project."""
    from hyte_nb.pipeline import pdf

    if pdf.find_chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("Chromium or pdftotext (poppler-utils) missing: make system installs them")
    root, _ = planted_build
    built = root / "reports" / str(YEAR)
    reports = tmp_path_factory.mktemp("pdf") / str(YEAR)
    for path in built.rglob("*"):
        if path.is_file():
            link = reports / path.relative_to(built)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    texts: dict[str, str] = {}
    for path in pdf.print_reports(reports):
        text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
        report = path.relative_to(reports).parts[0]
        texts[report] = texts.get(report, "") + "\n" + text
    return texts


def _found_in_print(text: str, needles) -> list[str]:
    """_found, and also the longer needles across line breaks: print wraps table cells anywhere
    (overflow-wrap) and hyphenates (Virta-/selle), which would hide an item from a plain scan."""
    joined = re.sub(r"\s+", "", re.sub(r"-\s*\n\s*", "", text))
    wrapped = [n for n in needles if len(re.sub(r"\s+", "", n)) >= 6 and re.sub(r"\s+", "", n) in joined]
    return list(dict.fromkeys(_found(text, needles) + wrapped))


@pytest.mark.parametrize("report", ["hyte", "kysely"])
def test_no_planted_item_in_the_pdf(printed, report):
    """The PDF of each report (every page printed, the cleaning appendix included)."""
    text = printed[report]
    assert CANARY.split()[0] in text and "poistettu" in text  # the quotes were printed
    assert _found_in_print(text, NEEDLES) == []


def test_no_planted_item_in_the_cleaning_logs(planted_build):
    """The cleaning logs beside the clean tables show the row, column and kind of change,
    never the raw free text."""
    root, _ = planted_build
    logs = sorted((root / "data" / "processed" / str(YEAR)).rglob("puhdistusloki.csv"))
    assert len(logs) == 2
    leaks = {log.parent.name: _found(log.read_text(encoding="utf-8"), NEEDLES) for log in logs}
    assert {k: v for k, v in leaks.items() if v} == {}


def test_redacting_a_years_open_answers_is_fast(planted_build):
    """Voikko once per process, every word analysed once: every open answer of the planted
    year (each carrying 40+ items) in well under the two seconds allowed."""
    root, _ = planted_build
    raw = root / "data" / "raw"
    texts = list(pd.read_csv(raw / str(YEAR) / "hyte" / "asiakaspalaute.csv", sep=";", dtype=str,
                             encoding="utf-8-sig")["Avoin palaute"].dropna())
    texts += list(pd.read_excel(raw / str(YEAR) / "hyte" / "vapaaehtoiskysely.xlsx")[
        raw_header(VOLUNTEER_SURVEY, "avoin")].dropna())
    survey = pd.read_excel(raw / str(YEAR) / "kysely" / f"hyte_ohjaus_kysely_{YEAR}.xlsx")
    for column in open_questions(YEAR):
        texts += list(survey[column].dropna().astype(str))
    started = time.perf_counter()
    cleaned = [redact(t) for t in texts]
    seconds = time.perf_counter() - started
    assert seconds < 2.0, f"{len(texts)} answers took {seconds:.2f} s"
    assert not any(_found(t, NEEDLES) for t in cleaned)
