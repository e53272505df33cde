"""Every report keeps one contract (hyte_nb/reports.py): the registry names its module, and the
module cleans (tables, log, period and figures written once), loads its section model, says which
figures its pages hide and declares its pages. The comparison year is declared once and carried
in Paths. No core module imports the build."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pandas as pd
import pytest

from hyte_nb import reports
from hyte_nb.pipeline import declared, manifest, pipeline
from hyte_nb.core import clean as core_clean
from hyte_nb.core import display
from hyte_nb.core.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "hyte_nb"


def test_the_registry_names_every_declared_report():
    assert reports.keys() == list(declared.load(ROOT))
    with pytest.raises(ValueError, match="tuntematon raportti 'kolmas'"):
        reports.module("kolmas")


@pytest.mark.parametrize("key", reports.keys())
def test_each_report_keeps_the_contract(key, tmp_path):
    module = reports.module(key)
    assert module.KEY == key
    assert all(callable(getattr(module, name)) for name in reports.CONTRACT if name != "KEY")
    pages = module.pages(ROOT)
    assert pages == declared.load(ROOT)[key] and pages.key == key

    folder = Paths.of(2024, key, ROOT, processed=tmp_path / "processed", reports=tmp_path / "reports")
    assert module.hidden(folder) == {}  # before the cleaning, nothing to hide
    cleaned = module.clean(folder)
    assert isinstance(cleaned, core_clean.Cleaned)
    written = {p.name for p in folder.processed.iterdir()}
    assert {"luvut.parquet", "puhdistusloki.csv", "ajanjakso.json"} <= written
    assert {f"{name}.parquet" for name in cleaned.tables} <= written
    # The log on disk is the whole cleaning's, every table's rows included.
    log = pd.read_csv(folder.processed / "puhdistusloki.csv")
    assert len(log) == len(cleaned.log.frame()) and len(log) > 0

    section = module.load(folder)
    assert isinstance(section, display.Section)
    assert section.appendix == f"{pages.cleaning.page}.html"
    assert section.comparison_year == 2023
    assert module.hidden(folder) == section.hidden  # the index hides what the pages hide
    assert reports.hidden(key, folder) == section.hidden
    # Through the registry, as the pipeline and the index ask: the same pages, the same section model,
    # whose footnotes are its own (a new section starts a new page: no state between pages).
    assert reports.pages(key, ROOT) == pages and reports.declared(ROOT)[key] == pages
    loaded = reports.load(key, folder)
    assert type(loaded) is type(section) and loaded.hidden == section.hidden
    assert loaded.footnotes is not section.footnotes and loaded.take_footnotes() == []


def test_a_section_keeps_its_own_footnotes_and_the_page_shows_them_after_its_next_output(monkeypatch):
    from hyte_nb.hyte import sections

    folder = Paths.of(2024, "hyte", ROOT)
    figures = pd.DataFrame({"nimi": ["Kohtaamiset"], "arvo": [58318.0], "n": [float("nan")], "yksikko": ["lkm"],
                            "osio": ["yleiskatsaus"]}, index=pd.Index(["kohtaamiset"], name="id"))
    first, second = (sections.HyteSection(2024, figures, None, ROOT, folder.reference, folder) for _ in range(2))
    assert first.luku("kohtaamiset") == "58\u00a0318¹"  # printed 58 972 in the published report
    assert second.take_footnotes() == []  # another page's section knows nothing of it
    shown = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj.data))
    first.note_suppression()  # a hidden figure's note waits for the page's next output
    display.Page(first).md("Kohtaamisia " + first.luku("kohtaamiset"))
    assert shown[0] == "Kohtaamisia 58\u00a0318¹" and "pienten lukujen suojaus" in shown[1] and len(shown) == 2
    assert second.footnotes.pending == [] and first.footnotes.pending == []
    # the mark's own line is kept for the index (a story page says it in one line at its end)
    lines = first.take_footnotes()
    assert len(lines) == 1 and "Julkaistussa raportissa 58\u00a0972" in lines[0]
    assert not hasattr(display, "_pending") and not hasattr(display, "new_page")


def test_a_project_declaring_an_unknown_report_is_told_how_to_fix_it(tmp_path):
    root = _project(tmp_path, "{}")
    text = (root / "reports.yml").read_text(encoding="utf-8").replace("  kysely:\n", "  kolmas:\n", 1)
    (root / "reports.yml").write_text(text, encoding="utf-8")
    words = (root / "organisaatio.yml").read_text(encoding="utf-8").replace("  kysely:\n", "  kolmas:\n", 1)
    (root / "organisaatio.yml").write_text(words, encoding="utf-8")
    with pytest.raises(ValueError, match="raporttia kolmas ei tunneta"):
        reports.declared(root)


def test_the_survey_figures_are_written_once_with_the_staff_and_the_areas(tmp_path):
    folder = Paths.of(2024, "kysely", ROOT, processed=tmp_path)
    cleaned = reports.module("kysely").clean(folder)
    figures = pd.read_parquet(tmp_path / "luvut.parquet")
    assert figures.index.is_unique
    assert {"ky_vastaajat", "ky_vastaajat_2023", "ky_vastausaste", "ky_alueita"} <= set(figures.index)
    assert figures.loc["ky_vastaajat", "arvo"] == 123
    assert any(note.startswith("Puhdistettu kyselyaineisto") for note in cleaned.notes)
    assert {"kysely_2024", "kysely_2023", "henkilosto_2024", "alueet"} <= set(cleaned.tables)


def _project(tmp_path: Path, comparisons: str) -> Path:
    root = tmp_path / "projekti"
    root.mkdir()
    text = (ROOT / "reports.yml").read_text(encoding="utf-8")
    text = text.replace("  kysely:\n", f"  kysely:\n    vertailuvuodet: {comparisons}\n", 1)
    (root / "reports.yml").write_text(text, encoding="utf-8")
    shutil.copy(ROOT / "organisaatio.yml", root / "organisaatio.yml")
    return root


def test_the_comparison_year_is_declared_once_and_carried_in_paths(tmp_path):
    root = _project(tmp_path, "{2026: 2024}")
    assert Paths.of(2026, "kysely", root).comparison_year == 2024
    assert Paths.of(2025, "kysely", root).comparison_year == 2024  # the year before, undeclared
    assert Paths.of(2026, "hyte", root).comparison_year == 2025  # declared for the survey only
    assert Paths.of(2026, "kysely", root, comparison_year=2022).comparison_year == 2022  # a notebook's parameter
    assert Paths.of(2026, "kysely", root).comparison.raw == root / "data" / "raw" / "2024" / "kysely"
    # The manifest fingerprints the declared comparison year's exports, not the year before's.
    for year in (2024, 2025):
        raw = root / "data" / "raw" / str(year) / "kysely"
        raw.mkdir(parents=True)
        (raw / "vienti.xlsx").write_text(str(year), encoding="utf-8")
    report = declared.load(root)["kysely"]
    task = pipeline.Task(report, report.cleaning, Paths.of(2026, "kysely", root), cleaning=True)
    inputs = manifest.inputs_of(task)
    assert root / "data" / "raw" / "2024" / "kysely" / "vienti.xlsx" in inputs
    assert root / "data" / "raw" / "2025" / "kysely" / "vienti.xlsx" not in inputs


def test_a_badly_declared_comparison_year_is_named(tmp_path):
    root = _project(tmp_path, "[2024]")
    with pytest.raises(ValueError, match="vertailuvuodet: anna vuosi ja sen vertailuvuosi"):
        Paths.of(2026, "kysely", root)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_no_core_module_imports_the_build():
    assert list((PACKAGE / "core").glob("*.py"))
    for path in sorted((PACKAGE / "core").glob("*.py")):
        upward = {name for name in _imports(path) if name.startswith(("hyte_nb.pipeline", "hyte_nb.reports"))}
        assert not upward, f"{path.name} imports {upward}"
