"""A real browser: Debian's headless Chromium, driven by Playwright, opens every rendered page of
both reports offline. axe-core's WCAG 2.1 AA rules find no violation at a phone's 400 px and a
desktop's 1280 px; every image has a Finnish alt text (never nbconvert's English default) and
loads without the network; a page prints to PDF with its figures."""

import re
import subprocess
from dataclasses import dataclass, field

import pytest

from hyte_nb.pipeline import pdf

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.skipif(pdf.find_chromium() is None, reason="Chromium is installed by `make test`")

WIDTHS = (400, 1280)
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
NBCONVERT_DEFAULT_ALT = "No description has been provided for this image"
ENGLISH = re.compile(r"\b(the|of|and|image|chart|figure|description|provided|showing)\b", re.I)


@pytest.fixture(scope="session")
def survey_built(built_survey):
    return built_survey[0]


@pytest.fixture(scope="session")
def rendered_pages(built, survey_built, three_years):
    """Every page of both reports, their index pages included, and the page of every built year
    (three years) with the index of all years that links it."""
    root, _ = built
    pages = sorted((root / "reports").glob("*.html")) + sorted(survey_built.glob("*.html"))
    pages += [three_years[0] / "reports" / "kehitys.html", three_years[0] / "reports" / "index.html"]
    assert len(pages) >= 15
    return pages


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=pdf.find_chromium(), headless=True,
                                              args=pdf.LAUNCH_ARGS)
        yield chromium
        chromium.close()


def open_offline(browser, path, width: int):
    """The page at the given width, every request to the network refused and recorded."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.network_requests = []

    def route(request_route):
        if request_route.request.url.startswith(("http:", "https:", "ws:", "wss:")):
            page.network_requests.append(request_route.request.url)
            return request_route.abort()
        return request_route.continue_()

    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    return page


@dataclass
class Visit:
    """What the browser found on one page: axe-core's violations at each width, and at the
    widest the images' alt texts, whether each image loaded, and what asked for the network."""

    violations: dict[int, list[dict]] = field(default_factory=dict)
    alts: list[str | None] = field(default_factory=list)
    loaded: list[bool] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def visits(browser, rendered_pages) -> dict:
    """Every page opened once, offline, at the narrowest width; axe-core runs at each width in
    turn (the viewport resized, the page laid out again), the other checks read it at the widest."""
    axe_script = axe_module.Axe().axe_script
    found = {}
    for path in rendered_pages:
        page = open_offline(browser, path, WIDTHS[0])
        try:
            visit = Visit()
            page.evaluate(axe_script)  # once per page (the package's Axe.run injects it on every run)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                visit.violations[width] = page.evaluate("options => axe.run(document, options)",
                                                        WCAG_21_AA)["violations"]
            assert page.viewport_size["width"] == max(WIDTHS)
            visit.alts = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.getAttribute('alt'))")
            visit.loaded = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
            visit.network_requests = list(page.network_requests)
        finally:
            page.close()
        found[path] = visit
    return found


def describe_violation(violation: dict) -> str:
    nodes = violation["nodes"]
    example = nodes[0] if nodes else {}
    return (f"{violation['id']} ({violation.get('impact')}): {violation['help']}; {len(nodes)} kohtaa, "
            f"esim. {example.get('target')} {str(example.get('html', ''))[:120]}")


def test_axe_finds_no_wcag_21_aa_violation(visits):
    found = []
    for path, visit in visits.items():
        assert sorted(visit.violations) == sorted(WIDTHS)
        for width, violations in visit.violations.items():
            found += [f"{path.parent.parent.name}/{path.name} @ {width} px: {describe_violation(v)}"
                      for v in violations]
    assert not found, f"{len(found)} axe-core violations:\n" + "\n".join(found)


def test_every_image_has_a_finnish_alt_text(visits):
    bad = []
    for path, visit in visits.items():
        for alt in visit.alts:
            text = (alt or "").strip()
            if (not text or text == NBCONVERT_DEFAULT_ALT or ENGLISH.search(text)
                    or not ("kuvio" in text.lower() or re.search("[äöå]", text, re.I))):
                bad.append(f"{path.name}: {text[:80]!r}")
    assert not bad, f"{len(bad)} images without a Finnish alt text:\n" + "\n".join(bad)


def test_images_load_offline_in_the_browser(visits):
    for path, visit in visits.items():
        assert all(visit.loaded), f"{path.name}: {visit.loaded.count(False)} images did not load"
        assert not visit.network_requests, f"{path.name} asked the network for {visit.network_requests}"


@pytest.fixture(scope="module")
def overview_html(built):
    root, _ = built
    return root / "reports" / "01_yleiskatsaus.html"


def test_page_prints_to_pdf_with_its_figures(browser, overview_html, tmp_path):
    out = pdf.print_pdf(overview_html, tmp_path / "yleiskatsaus.pdf", browser)
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace("\u00a0", " ")
    assert "Toiminnan laajuus" in text
    assert "2 742" in text and "58 318" in text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) >= 2
    assert re.search(r"^Page size:.*\(A4\)", info, re.M), info
