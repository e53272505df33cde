"""Notebook hygiene, and the real thing: papermill runs every notebook on the sample and
nbconvert renders it; the reconciliation each executed notebook wrote must hold."""

import json
import re

import nbformat
import pandas as pd
import pytest

from hyte_nb import audit, build, config, reconcile, reference

NOTEBOOKS = sorted(config.NOTEBOOKS.glob("*.ipynb"))


def test_there_are_notebooks_for_cleaning_and_every_section():
    assert [p.name for p in NOTEBOOKS] == ["00_puhdistus.ipynb", "01_yleiskatsaus.ipynb", "02_vapaaehtoiset.ipynb",
                                           "03_palvelualue.ipynb", "10_kysely_puhdistus.ipynb",
                                           "11_kysely_toteutus.ipynb", "12_kysely_hyte_ohjaus.ipynb",
                                           "13_kysely_toimintamalli.ipynb", "14_kysely_huomioita.ipynb",
                                           "15_kysely_vertailu.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_hygiene(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", []), "first code cell must be tagged parameters"
    assert "vuosi = 2024" in code[0].source
    assert all(not c.outputs and c.execution_count is None for c in code), "committed without outputs"
    assert nb.metadata.kernelspec.name == config.KERNEL_NAME
    # Thin notebooks: logic lives in hyte_nb, not in def/class cells.
    assert not any(re.search(r"^\s*(def|class) ", c.source, re.M) for c in code)


def test_every_section_is_rendered_with_an_index(built):
    root, pages = built
    names = sorted(p.name for p in (root / "reports").glob("*.html"))
    assert names == ["00_puhdistus.html", "01_yleiskatsaus.html", "02_vapaaehtoiset.html", "03_seniorit.html",
                     "04_perheet.html", "05_nuoret.html", "06_aikuiset.html", "index.html"]
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert f'href="{page.name}"' in index


def test_executed_notebooks_reconcile_with_the_published_report(built):
    root, _ = built
    tables = [pd.read_csv(p, index_col="id") for p in sorted((root / "processed").glob("tasmaytys_*.csv"))]
    table = pd.concat(tables)
    assert len(tables) == 6  # overview, volunteers, four areas
    assert sorted(table.index) == sorted(reference.load().index)
    flagged = audit.Audit(reference.load()).flagged()
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
    assert "179 täsmää" in overview.replace("\u00a0", " ")
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
    seniors = _text((root / "reports" / "03_seniorit.html").read_text(encoding="utf-8"))
    assert "[puhelinnumero poistettu]" in seniors and "[sähköposti poistettu]" in seniors


def test_only_consented_quotes_are_shown(built):
    root, _ = built
    answers = pd.read_parquet(root / "processed" / "asiakaspalaute.parquet")
    youth = _text((root / "reports" / "05_nuoret.html").read_text(encoding="utf-8"))
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
    shutil.copytree(config.raw_dir(2024), raw)
    path = raw / "tapahtumat.csv"
    data = path.read_bytes().replace(b";Perheparkki;", b";Perheparkkiii;", 1)
    path.write_bytes(data)
    with pytest.raises(build.BuildError, match=r"tapahtumat.csv, rivi \d+, sarake 'Palvelu': arvo 'Perheparkkiii'"):
        build.build_hyte(2024, raw_dir=raw, processed_dir=tmp_path / "p", report_dir=tmp_path / "r")
    assert not list((tmp_path / "r").glob("*.html"))


def test_the_area_notebook_rejects_an_unknown_area(tmp_path):
    with pytest.raises(ValueError, match="Tuntematon palvelualue 'senioit'"):
        from hyte_nb import present

        present.area_names("senioit")


def test_a_year_without_a_published_report_shows_a_note_instead_of_failing(tmp_path):
    from hyte_nb import present

    section = present.Section(2025, {}, pd.DataFrame(), tmp_path, tmp_path / "puuttuu.csv")
    assert not section.has_reference
    assert present.reconciliation(section, "yleiskatsaus").empty
    assert present.audit_summary(section).empty
    assert not list(tmp_path.glob("tasmaytys_*.csv"))


# -- the professionals' survey ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def built_survey(tmp_path_factory):
    root = tmp_path_factory.mktemp("survey")
    pages = build.build_survey(2024, 2023, processed_dir=root / "processed", report_dir=root / "reports")
    return root, pages


def _page(root, name):
    return _text((root / "reports" / name).read_text(encoding="utf-8"))


def test_survey_sections_are_rendered(built_survey):
    root, pages = built_survey
    assert sorted(p.name for p in pages) == ["10_puhdistus.html", "11_toteutus.html", "12_hyte_ohjaus.html",
                                             "13_toimintamalli.html", "14_huomioita.html", "15_vertailu.html"]
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.name}"' in index for p in pages[1:])


def test_survey_notebooks_reconcile_with_the_published_survey(built_survey):
    root, _ = built_survey
    table = pd.concat(pd.read_csv(p, index_col="id") for p in sorted((root / "processed").glob("tasmaytys_*.csv")))
    ref = reference.load(config.reference_file(2024, "kysely"))
    assert sorted(table.index) == sorted(ref.index)
    matched = table["tila"] == reconcile.MATCH
    assert (table.loc[matched, "laskettu_arvo"] == table.loc[matched, "julkaistu_arvo"]).all()
    assert list(table.index[~matched]) == ["ky_sujuvuus_hva_2"]  # the row that cannot come from 115 answers
    assert table.loc["ky_sujuvuus_hva_2", "tila"] == reconcile.EXPLAINED
    observations = _page(root, "14_huomioita.html")
    assert "ei voi syntyä n = 115 vastauksesta" in observations


def test_survey_pages_show_intervals_tests_themes_and_n(built_survey):
    root, _ = built_survey
    guidance = _page(root, "12_hyte_ohjaus.html")
    # Usefulness: 71 of 121 answered "Hyödyllisenä": 59 %, Wilson 50–67 %.
    assert "95 %:n luottamusväli" in guidance.replace("\u00a0", " ")
    assert "50–67\u00a0%" in guidance
    assert "valittujen vastausten lukumäärä = 480" in guidance.replace("\u00a0", " ")
    respondents = _page(root, "11_toteutus.html")
    assert "Cramérin V" in respondents and "Holm" in respondents
    assert "1.10.2024–" in respondents and "123 vastausta" in respondents
    model = _page(root, "13_toimintamalli.html")
    assert "Motivoiva haastattelu ja kuuntelu" in model and "Avoimia vastauksia 61" in model
    assert "70\u00a0%" in model and "61\u00a0%" in model


def test_survey_comparison_marks_2023_as_illustrative(built_survey):
    root, _ = built_survey
    comparison = _page(root, "15_vertailu.html")
    assert "havainnollistavia" in comparison
    assert "prosenttiyksikköä" in comparison
    assert "tilastollisesti merkitsevästi" in comparison


def test_survey_pages_carry_no_personal_data(built_survey):
    root, _ = built_survey
    for page in (root / "reports").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), page.name
        text = _text(html)
        assert "Virtanen" not in text and "040 765 4321" not in text and "@example.fi" not in text, page.name


def test_missing_comparison_year_gives_a_note_not_a_failure(built_survey, tmp_path):
    import papermill as pm

    root, _ = built_survey
    out = tmp_path / "vertailu.ipynb"
    with __import__("tempfile").TemporaryDirectory() as sockets:
        pm.execute_notebook(str(config.NOTEBOOKS / "15_kysely_vertailu.ipynb"), str(out),
                            parameters={"vuosi": 2024, "vertailuvuosi": 2022, "kasitelty_kansio": str(root / "processed")},
                            kernel_name=config.KERNEL_NAME, cwd=str(config.NOTEBOOKS), progress_bar=False,
                            kernel_manager_class=build._ipc_kernel_manager(sockets))
    outputs = json.dumps(nbformat.read(out, as_version=4).cells[-1].outputs, ensure_ascii=False)
    assert "Vuoden 2022 kyselyn aineistoa ei ole" in outputs


def test_survey_of_a_year_without_a_comparison_year_builds_with_notes(tmp_path):
    """Building 2023: there is no 2022 survey and no published 2023 report to reconcile with."""
    pages = build.build_survey(2023, processed_dir=tmp_path / "p", report_dir=tmp_path / "r")
    assert len(pages) == 6
    comparison = _text((tmp_path / "r" / "15_vertailu.html").read_text(encoding="utf-8"))
    assert "Vuoden 2022 kyselyn aineistoa ei ole" in comparison
    respondents = _text((tmp_path / "r" / "11_toteutus.html").read_text(encoding="utf-8"))
    assert "109 vastausta" in respondents and "ei ole vielä julkaistu" in respondents
    assert not list((tmp_path / "p").glob("tasmaytys_*.csv"))
