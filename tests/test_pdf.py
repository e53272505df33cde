"""The report's one A4 PDF, read back with poppler: every page A4, tagged, with an outline, a
cover, a table of contents whose page numbers are right, page numbers on every page, and the
text of every table cell of every HTML page of the report."""

import re
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from hyte_nb.pipeline import pdf

from conftest import ROOT

pytestmark = [
    pytest.mark.skipif(pdf.find_chromium() is None, reason="Chromium is installed by `make test`"),
    pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils is installed by `make test`"),
]
A4 = (595, 842)  # points


def run(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def squeeze(text: str) -> str:
    """Whitespace (line breaks, no-break spaces) removed: a cell may wrap onto several lines."""
    return re.sub(r"\s+", "", text.replace("\u00a0", " "))


@pytest.fixture(scope="session")
def report_pdf(sample_pdfs):
    return sample_pdfs["hyte"][0]  # printed once per run, also for test_story


@pytest.fixture(scope="session")
def report(built):
    out, _ = built
    return pdf.describe(out / "reports", ROOT)


@pytest.fixture(scope="session")
def pages_text(report_pdf) -> list[str]:
    """The text of each PDF page (pdftotext separates pages with a form feed)."""
    return run("pdftotext", "-raw", str(report_pdf), "-").split("\f")[:-1]


def page_count(path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(path)), re.M).group(1))


def test_every_page_is_a4(report_pdf):
    count = page_count(report_pdf)
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", "-f", "1", "-l", str(count),
                                                                            str(report_pdf)), re.M)
    assert len(sizes) == count >= 10 and count <= 24  # the story: at most 24 pages
    for width, height in sizes:
        assert abs(float(width) - A4[0]) <= 1 and abs(float(height) - A4[1]) <= 1, (width, height)


def test_tagged_with_an_outline(report_pdf):
    assert re.search(r"^Tagged:\s+yes", run("pdfinfo", str(report_pdf)), re.M)
    assert b"/Outlines" in report_pdf.read_bytes()
    structure = run("pdfinfo", "-struct", str(report_pdf))
    assert "H1" in structure and "Table" in structure and "TD" in structure


def test_cover_and_contents(report, pages_text):
    cover = " ".join(pages_text[0].split())
    assert report.organisation == "HelsinkiMissio" and report.organisation in cover
    assert report.year == 2024 and "2024" in cover
    assert squeeze("Yhdessä yksinäisyys voitetaan") in squeeze(cover)
    contents = pages_text[1]
    assert "Sisällys" in contents
    titles = [title for _, title in report.pages]  # the story; the appendix is its own PDF
    assert titles[:2] == ["Tiivistelmä", "Yleiskatsaus"] and not any(t.startswith("Liite") for t in titles)
    starts = []
    for title in titles:
        match = re.search(rf"^{re.escape(title)}\s*(\d+)\s*$", contents, re.M)
        assert match, f"{title}: no page number in the table of contents"
        starts.append(int(match.group(1)))
    assert starts == sorted(starts) and starts[0] == 3  # cover, contents, then the sections
    # each section starts on its own page, the one the contents give
    for (page, title), start in zip(report.pages, starts):
        heading = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(["h1", "h2"])
        heading_text = heading.get_text(" ", strip=True).rstrip("¶")
        assert squeeze(heading_text) in squeeze(pages_text[start - 1]), (title, start, heading_text)


def test_page_numbers_on_every_page(pages_text):
    total = len(pages_text)
    for number, text in enumerate(pages_text, start=1):
        assert re.search(rf"\b{number}\s*/\s*{total}\b", text), f"page {number} has no page number"


@pytest.mark.parametrize("part", ["tarina", "liitteet"])
def test_every_table_cell_of_the_html_is_in_the_pdf(report, report_pdf, part):
    """Every table cell of the story's pages is in the story PDF (but the charts' numbers, folded
    under each chart on the page: on paper the appendix's tables have them), and every cell of
    the appendix pages is in the appendix PDF."""
    printed = report_pdf if part == "tarina" else report.appendix_pdf_path
    text = squeeze(run("pdftotext", "-raw", str(printed), "-"))
    missing, cells = [], 0
    for page, _ in report.pages if part == "tarina" else report.appendix:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for folded in soup.select("details.kaavion-luvut") if part == "tarina" else []:
            folded.decompose()
        for cell in soup.find_all(["td", "th"]):
            wanted = squeeze(cell.get_text(" "))
            if wanted:
                cells += 1
                if wanted not in text:
                    missing.append(f"{page.name}: {cell.get_text(' ', strip=True)}")
    assert cells > (50 if part == "tarina" else 500)
    assert not missing, f"{len(missing)} of {cells} table cells missing from the PDF:\n" + "\n".join(missing[:40])


def test_nothing_is_wider_than_the_page(report):
    """The assembled document laid out at A4's printable width (210 mm less 2 x 16 mm margins,
    673 CSS px): no image, table or text reaches past the right margin."""
    sync_api = pytest.importorskip("playwright.sync_api")
    width = pdf.PRINTABLE_WIDTH
    script = """w => [...document.querySelectorAll('main *')]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > w + 1)
        .map(e => e.tagName + ' ' + (e.textContent || '').trim().slice(0, 60))"""
    too_wide = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=pdf.find_chromium(), headless=True, args=pdf.LAUNCH_ARGS)
        page = browser.new_page()
        for part in ("tarina", "liitteet"):
            pdf.load(page, pdf.assemble(report, part=part))
            too_wide += page.evaluate(script, width)
        browser.close()
    assert not too_wide, too_wide[:20]



def test_the_numbers_written_into_the_laid_out_contents_are_what_assemble_writes(report):
    """A PDF's second print is of the first print's laid-out page with the table of contents'
    page numbers written in (pdf.FILL_CONTENTS): the same contents as assemble writes when it is
    given the numbers, a section without a number left blank, other targets ignored."""
    sync_api = pytest.importorskip("playwright.sync_api")
    anchors = [pdf._anchor(path) for path, _ in report.pages]
    numbers = {anchor: 3 + 2 * i for i, anchor in enumerate(anchors[1:])} | {"viite-muualle": 99}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=pdf.find_chromium(), headless=True, args=pdf.LAUNCH_ARGS)
        page = browser.new_page()
        page.set_content(pdf.assemble(report, part="tarina"))
        page.evaluate(pdf.FILL_CONTENTS, numbers)
        filled = page.inner_html("nav.sisallys")
        page.set_content(pdf.assemble(report, numbers, "tarina"))
        written = page.inner_html("nav.sisallys")
        browser.close()
    assert filled == written
    entries = BeautifulSoup(filled, "html.parser").select("li .sivu")
    assert [e.get_text() for e in entries] == ["", *(str(3 + 2 * i) for i in range(len(anchors) - 1))]

# -- the page of every built year: its own A4 PDF ----------------------------------------------------
def test_the_page_of_every_built_year_prints_as_a_tagged_a4_pdf_with_every_table_cell(three_years, tmp_path):
    built, _ = three_years
    root = tmp_path  # links to the page and the project's declarations: no PDF written into the shared folder
    (root / "reports").mkdir()
    (root / "reports" / "kehitys.html").symlink_to(built / "reports" / "kehitys.html")
    for name in ("reports.yml", "organisaatio.yml"):
        (root / name).symlink_to(built / name)
    printed = pdf.print_trends(root)
    assert printed == root / "reports" / "kehitys.pdf"
    count = page_count(printed)
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", run("pdfinfo", "-f", "1", "-l", str(count),
                                                                            str(printed)), re.M)
    assert len(sizes) == count >= 4
    assert all(abs(float(w) - A4[0]) <= 1 and abs(float(h) - A4[1]) <= 1 for w, h in sizes)
    assert re.search(r"^Tagged:\s+yes", run("pdfinfo", str(printed)), re.M)
    assert b"/Outlines" in printed.read_bytes()
    pages = run("pdftotext", "-raw", str(printed), "-").split("\f")[:-1]
    assert "Kehitys vuosittain" in pages[0] and "Esimerkkiaineisto" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", text), f"page {number} has no page number"
    text = squeeze("".join(pages))
    page = root / "reports" / "kehitys.html"
    cells = [squeeze(c.get_text(" ")) for c in BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
             .find_all(["td", "th"])]
    cells = [c for c in cells if c]
    assert len(cells) > 150
    missing = [c for c in cells if c not in text]
    assert not missing, missing[:20]
