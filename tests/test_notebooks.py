"""Notebook hygiene, and the real thing: papermill runs every notebook on the sample and
nbconvert renders it; the reconciliation each executed notebook wrote must hold."""

import json
import re

import nbformat
import pandas as pd
import pytest

from conftest import ROOT
from hyte_nb.pipeline import declared, pipeline
from hyte_nb.core import audit, display, parameters, reconcile, reference
from hyte_nb.core.paths import KERNEL_NAME, Paths
from hyte_nb.hyte import sections

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REFERENCE = Paths.of(2024, "hyte", ROOT).reference


def test_there_are_notebooks_for_cleaning_and_every_section():
    assert [p.name for p in NOTEBOOKS] == ["00_puhdistus.ipynb", "01_yleiskatsaus.ipynb", "02_vapaaehtoiset.ipynb",
                                           "03_palvelualue.ipynb", "09_liitteet.ipynb", "10_kysely_puhdistus.ipynb",
                                           "11_kysely_toteutus.ipynb", "12_kysely_hyte_ohjaus.ipynb",
                                           "13_kysely_toimintamalli.ipynb", "14_kysely_huomioita.ipynb",
                                           "15_kysely_vertailu.ipynb", "16_kysely_vastausosuus.ipynb",
                                           "17_kysely_alueet.ipynb", "18_kysely_tulokset.ipynb",
                                           "19_kysely_liitteet.ipynb", "20_kehitys.ipynb",
                                           "tiivistelma.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_hygiene(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in nb.cells[0].metadata.get("tags", []), "the notebook must start with its parameters cell"
    # the page of every built year has no year: its default is the project folder's built years
    assert ("projektikansio = None" if path.name == "20_kehitys.ipynb" else "vuosi = 2024") in code[0].source
    assert all(not c.outputs and c.execution_count is None for c in code), "committed without outputs"
    assert nb.metadata.kernelspec.name == KERNEL_NAME
    # Thin notebooks: logic lives in hyte_nb, not in def/class cells.
    assert not any(re.search(r"^\s*(def|class) ", c.source, re.M) for c in code)


def test_every_section_is_rendered_with_an_index(built):
    root, pages = built
    names = sorted(p.name for p in (root / "reports").glob("*.html"))
    assert names == ["00_puhdistus.html", "01_yleiskatsaus.html", "02_vapaaehtoiset.html", "03_seniorit.html",
                     "04_perheet.html", "05_nuoret.html", "06_aikuiset.html", "hyte_liitteet.html",
                     "hyte_tiivistelma.html", "index.html"]
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert f'href="{page.name}"' in index


def test_executed_notebooks_reconcile_with_the_published_report(built):
    root, _ = built
    tables = [pd.read_csv(p, index_col="id") for p in sorted((root / "processed").glob("tasmaytys_*.csv"))]
    table = pd.concat(tables)
    assert len(tables) == 6  # overview, volunteers, four areas
    assert sorted(table.index) == sorted(reference.load(REFERENCE).index)
    flagged = audit.Audit(reference.load(REFERENCE)).flagged()
    matched = table["tila"] == reconcile.MATCH
    assert (table.loc[matched, "laskettu_arvo"] == table.loc[matched, "julkaistu_arvo"]).all()
    assert set(table.index[~matched]) == flagged
    assert (table.loc[~matched, "tila"] == reconcile.EXPLAINED).all()


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", html, flags=re.S))


def test_pages_are_self_contained(built):
    root, _ = built
    for page in (root / "reports").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), page.name
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", html), page.name
        assert "<script src" not in html
        body = html.split("<body", 1)[1]
        assert "jp-CodeMirrorEditor" not in body and "hl-ipython3" not in body, page.name  # no code shown
        assert "In&nbsp;[" not in body and "Out[" not in body, page.name  # no prompts


def test_pages_speak_finnish_with_finnish_typography(built):
    root, _ = built
    overview = _text((root / "reports" / "01_yleiskatsaus.html").read_text(encoding="utf-8"))
    assert "2\u00a0742" in overview and "58\u00a0318" in overview
    assert "+87" in overview
    appendix = _text((root / "reports" / "00_puhdistus.html").read_text(encoding="utf-8"))  # the audit's headline
    assert "179 täsmää" in appendix.replace("\u00a0", " ")
    seniors = _text((root / "reports" / "03_seniorit.html").read_text(encoding="utf-8"))
    assert "prosenttiyksikköä" in seniors
    assert "69\u00a0%:lla" in seniors


def test_no_personal_data_in_deliverables(built):
    root, _ = built
    for page in (root / "reports").glob("*.html"):
        text = _text(page.read_text(encoding="utf-8"))
        assert not re.search(r"\b(AS|TP)-\d{6}\b", text), f"client id in {page.name}"
        assert not re.search(r"\bV\d{6}\b", text), f"volunteer id in {page.name}"
        assert "@example.fi" not in text and "040 123 4567" not in text, page.name
    # The one consented answer with contact details is a contact request: not quoted (its details
    # least of all); the appendix counts it and its id goes only to an internal file.
    # Redaction of quoted answers: tests/test_texts.py.
    seniors = _text((root / "reports" / "03_seniorit.html").read_text(encoding="utf-8"))
    assert "Kiitos kaikille ihanasta syksystä" not in seniors and "Maija" not in seniors
    appendix = _text((root / "reports" / "00_puhdistus.html").read_text(encoding="utf-8"))
    assert "yhteydenottopyyntöjä" in appendix and "P00020" not in appendix
    internal = pd.read_csv(root / "processed" / "yhteydenottopyynnot.csv")
    assert list(internal["vastaus"]) == ["P00020"]


def test_only_consented_quotes_are_shown(built):
    root, _ = built
    answers = pd.read_parquet(root / "processed" / "asiakaspalaute.parquet")
    youth = _text((root / "reports" / "05_nuoret.html").read_text(encoding="utf-8"))
    # the page shows a few, the appendix all of them
    youth += _text((root / "reports" / "hyte_liitteet.html").read_text(encoding="utf-8"))
    consented = answers[(answers["alue"] == "nuoret") & answers["lupa"].fillna(False)]["avoin"].dropna()
    refused = answers[(answers["alue"] == "nuoret") & ~answers["lupa"].fillna(False)]["avoin"].dropna()
    assert len(consented) == 4
    for text in consented:
        assert text[:40] in youth
    for text in set(refused):
        assert text not in youth


def test_a_bad_export_stops_the_build_before_rendering(tmp_path):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(Paths.of(2024, "hyte", ROOT).raw, raw)
    path = raw / "tapahtumat.csv"
    data = path.read_bytes().replace(b";Perheparkki;", b";Perheparkkiii;", 1)
    path.write_bytes(data)
    folder = Paths.of(2024, "hyte", ROOT, raw=raw, processed=tmp_path / "p", reports=tmp_path / "r")
    with pytest.raises(pipeline.BuildError, match=r"tapahtumat.csv, rivi \d+, sarake 'Palvelu': arvo 'Perheparkkiii'"):
        pipeline.build_report(declared.load(ROOT)["hyte"], folder)
    assert not list((tmp_path / "r").glob("*.html"))


def test_the_area_notebook_rejects_an_unknown_area():
    with pytest.raises(parameters.ParameterError, match="Tuntematon palvelualue 'senioit'; kelvolliset arvot: "
                                                        "seniorit, perheet, nuoret, aikuiset"):
        sections.area_names("senioit")


def test_a_year_without_cleaned_data_stops_with_the_years_that_have_it(tmp_path):
    folder = Paths.of(2031, "hyte", ROOT, processed=tmp_path / "2031")
    with pytest.raises(parameters.ParameterError, match="Vuodelta 2031 ei ole puhdistettua aineistoa .* aja ensin "
                                                        "00_puhdistus.ipynb"):
        sections.load(folder)
    with pytest.raises(parameters.ParameterError, match="Parametrin kasitelty_kansio kansiota"):
        parameters.paths(2024, "hyte", kasitelty_kansio=str(tmp_path / "ei" / "ole"))
    with pytest.raises(parameters.ParameterError, match="ei ole vuosiluku"):
        parameters.paths("viime vuosi", "hyte")


def test_a_year_without_a_published_report_shows_a_note_instead_of_failing(tmp_path):
    section = sections.HyteSection(2025, pd.DataFrame(), None, tmp_path, tmp_path / "puuttuu.csv")
    assert not section.has_reference
    assert display.reconciliation(section, "yleiskatsaus").empty
    assert display.audit_summary(section).empty
    assert not list(tmp_path.glob("tasmaytys_*.csv"))
