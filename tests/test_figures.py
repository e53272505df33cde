"""The figures computed from the clean sample against the published ones, in-process."""

import pytest

from conftest import ROOT
from hyte_nb.core import audit, reconcile, reference
from hyte_nb.core.paths import Paths
from hyte_nb.hyte import figures
from hyte_nb.hyte.cleaning import clean_year

FOLDER = Paths.of(2024, "hyte", ROOT)


@pytest.fixture(scope="module")
def reconciled(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    _, tables = clean_year(2024, FOLDER.raw, out)
    computed = figures.compute_all(tables, 2024)
    ref = reference.load(FOLDER.reference)
    return computed, reconcile.reconcile(computed, ref, audit.Audit(ref))


def test_every_printed_figure_is_computed(reconciled):
    computed, table = reconciled
    assert set(reference.load(FOLDER.reference).index) <= set(computed.index)


def test_headline_counts(reconciled):
    _, table = reconciled
    assert reconcile.summary(table) == {"painettuja lukuja": 198, "täsmää": 179, "selitetty": 19, "poikkeaa": 0}


def test_explained_figures_are_exactly_the_audit_findings(reconciled):
    _, table = reconciled
    explained = set(table.index[table["tila"] == reconcile.EXPLAINED])
    assert explained == audit.Audit(reference.load(FOLDER.reference)).flagged()


def test_some_values_directly(reconciled):
    computed, _ = reconciled
    assert computed.loc["asiakkaat", "arvo"] == 2742
    assert computed.loc["kohtaamiset", "arvo"] == 58318  # the printed 58 972 cannot be right
    assert computed.loc["aik_kohtaamiset", "arvo"] == 3791
    assert computed.loc["sen_nps", "arvo"] == pytest.approx(128 / 160 * 100)
    assert computed.loc["nps", "n"] == 773
    assert round(computed.loc["vap_keski_ika", "arvo"]) == 52
    assert computed.loc["aik_aggredi_toivottomuus_vali", "arvo"] == pytest.approx(3 / 105 * 100)


def test_every_figure_has_a_label_unit_and_section(reconciled):
    computed, _ = reconciled
    assert computed["nimi"].str.len().gt(0).all()
    assert set(computed["yksikko"]) == {"lkm", "%", "pp", "nps", "% muutos", "v"}
    assert set(computed["osio"]) == {"yleiskatsaus", "vapaaehtoiset", "seniorit", "perheet", "nuoret", "aikuiset"}
    assert computed.loc["nuo_lataukset_sv", "osio"] == "nuoret"
    assert computed.loc["sen_tuki_parit", "nimi"] == "Tukihenkilötoiminta: tukiparit"
