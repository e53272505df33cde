"""The figures computed from the clean sample against the published ones, in-process."""

import pytest

from hyte_nb import audit, clean, config, figures, reconcile, reference


@pytest.fixture(scope="module")
def reconciled(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    clean.clean_year(2024, config.raw_dir(2024), out)
    computed = figures.compute_all(clean.load_processed(2024, out), 2024)
    ref = reference.load()
    return computed, reconcile.reconcile(computed, ref, audit.Audit(ref))


def test_every_printed_figure_is_computed(reconciled):
    computed, table = reconciled
    assert set(reference.load().index) <= set(computed.index)


def test_headline_counts(reconciled):
    _, table = reconciled
    assert reconcile.summary(table) == {"painettuja lukuja": 198, "täsmää": 179, "selitetty": 19, "poikkeaa": 0}


def test_explained_figures_are_exactly_the_audit_findings(reconciled):
    _, table = reconciled
    explained = set(table.index[table["tila"] == reconcile.EXPLAINED])
    assert explained == audit.Audit(reference.load()).flagged()


def test_some_values_directly(reconciled):
    computed, _ = reconciled
    assert computed.loc["asiakkaat", "arvo"] == 2742
    assert computed.loc["kohtaamiset", "arvo"] == 58318  # the printed 58 972 cannot be right
    assert computed.loc["aik_kohtaamiset", "arvo"] == 3791
    assert computed.loc["sen_nps", "arvo"] == pytest.approx(128 / 160 * 100)
    assert computed.loc["nps", "n"] == 773
    assert round(computed.loc["vap_keski_ika", "arvo"]) == 52
    assert computed.loc["aik_aggredi_toivottomuus_vali", "arvo"] == pytest.approx(3 / 105 * 100)
