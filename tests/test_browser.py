"""A real browser: headless Chromium opens the rendered pages offline and prints them to PDF;
the PDF's text must carry the Finnish figures, and the page's images must have loaded."""

import subprocess

import pytest

from hyte_nb.build import pdf

pytestmark = pytest.mark.skipif(pdf.find_chromium() is None, reason="Chromium is installed by `make test`")


@pytest.fixture(scope="module")
def overview_html(built):
    root, _ = built
    return root / "reports" / "01_yleiskatsaus.html"


def test_page_prints_to_pdf_with_its_figures(overview_html, tmp_path):
    out = pdf.print_pdf(overview_html, tmp_path / "yleiskatsaus.pdf")
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Toiminnan laajuus" in text
    assert "2 742" in text.replace("\u00a0", " ") and "58 318" in text.replace("\u00a0", " ")
    assert "Täsmäytys" in text
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:"))) >= 2


def test_images_load_offline_in_the_browser(overview_html, tmp_path):
    # Chromium reports each image's natural width after loading; an image that failed has 0.
    script = tmp_path / "check.html"
    script.write_text(
        "<script>window.onload=()=>{const f=document.querySelector('iframe');"
        "const imgs=[...f.contentDocument.images];document.title=imgs.length+':'+"
        "imgs.filter(i=>i.naturalWidth>0).length;};</script>"
        f'<iframe src="{overview_html.as_uri()}"></iframe>', encoding="utf-8")
    dom = subprocess.run([pdf.find_chromium(), *pdf.CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                          "--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom",
                          script.as_uri()], capture_output=True, text=True, timeout=120).stdout
    title = dom.split("<title>")[1].split("</title>")[0]
    total, loaded = map(int, title.split(":"))
    assert total >= 1 and loaded == total
