"""PDF deliverables: headless Chromium prints each rendered HTML page, with the page's own
print styles. Chromium comes from Debian (`make pdf` installs it when it is missing)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# Flags for a closed network: no background connections, no first-run or sync services.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer"]


def find_chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def print_pdf(html_path: Path, pdf_path: Path, timeout: int = 120) -> Path:
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("Chromiumia ei löydy: asenna se (make pdf asentaa Debianin chromium-paketin)")
    with tempfile.TemporaryDirectory(prefix="hyte_nb-chromium-") as profile:
        subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={pdf_path}",
                        Path(html_path).resolve().as_uri()], check=True, capture_output=True, timeout=timeout)
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RuntimeError(f"{html_path}: PDF:n tulostus ei tuottanut tiedostoa")
    return pdf_path


def print_reports(report_root: Path) -> list[Path]:
    """A PDF beside every section page under reports/<year>/ (index pages are only links)."""
    pages = sorted(p for p in Path(report_root).rglob("*.html") if p.name != "index.html")
    return [print_pdf(page, page.with_suffix(".pdf")) for page in pages]
