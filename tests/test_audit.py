import pandas as pd
import pytest

from conftest import ROOT
from hyte_nb.core import audit, reference
from hyte_nb.core.paths import Paths


@pytest.fixture(scope="module")
def report_audit():
    return audit.Audit(reference.load(Paths.of(2024, "hyte", ROOT).reference))


def test_granularity_like_grim():
    assert audit.granularity_ok(64, 67)  # 43/67 = 64.2 %
    assert not audit.granularity_ok(64, 15)  # 9/15 = 60 %, 10/15 = 66.7 %
    assert not audit.granularity_ok(12, 45)
    assert audit.granularity_ok(2.9, 105, decimals=1)  # 3/105 = 2.857
    assert audit.counts_giving(74, 109) == [81]


def test_count_rule_rounds_half_away_from_zero():
    assert audit.count_for(58, 25) == 15  # 14.5 -> 15
    assert audit.count_for(89, 59) == 53
    assert audit.nps_net_for(90, 177) == 159


def test_nps_granularity():
    assert audit.nps_granularity_ok(80, 160)
    assert not audit.nps_granularity_ok(50, 3)  # (p - d)/3 can be 33 % or 67 %, never 50 %


def test_solve_change_finds_counts_that_give_all_three_figures():
    # Closeness rose 62 % -> 72 % (+10 points) on n = 109: the rule's counts 68 and 78 give only 9 points.
    a, b, found = audit.solve_change(72, 62, 10, 109)
    assert found and (a, b) == (79, 68)
    assert round((78 - 68) / 109 * 100) == 9
    assert not audit.solve_change(89, 40, 48, 59)[2]


def test_reference_file_has_every_printed_figure(report_audit):
    ref = report_audit.ref
    assert len(ref) == 198
    assert set(ref["section"]) == {"yleiskatsaus", "vapaaehtoiset", "seniorit", "perheet", "nuoret", "aikuiset"}
    assert ref.loc["kohtaamiset", "value"] == 58972
    assert ref.loc["aik_aggredi_toivottomuus_vali", "decimals"] == 1


def test_audit_finds_the_known_inconsistencies(report_audit):
    flagged = report_audit.flagged()
    assert flagged == {
        "kohtaamiset", "tapahtumien_kohtaamiset", "osuus_seniorit", "osuus_nuoret", "osuus_aikuiset", "nps",
        "hyvinvointi_lisaantyi", "sen_kohtaamiset", "sen_tapahtumakohtaamiset", "per_hyv_lisaantyi",
        "per_hyv_pysyi", "per_mentor_vanhemmuus", "nuo_tuki_yksinaisyys_loppu", "nuo_tuki_yksinaisyys_muutos",
        "aik_kohtaamiset", "aik_hyv_pysyi", "aik_kaikki_yksinaisyys_alku", "aik_kaikki_yksinaisyys_loppu",
        "aik_kaikki_yksinaisyys_muutos",
    }


def test_adult_total_and_the_shares_that_follow_from_it(report_audit):
    assert report_audit.implied("aik_kohtaamiset") == 3791
    # The senior events' parts sum to 13 982, not the printed 14 636: the grand total follows.
    assert report_audit.implied("sen_tapahtumakohtaamiset") == 13982
    assert report_audit.implied("kohtaamiset") == 58318
    findings = report_audit.table().set_index("id")
    assert "57\u00a0654" in findings.loc["osuus_seniorit", "selitys"]  # printed shares used the wrong total
    assert report_audit.implied("osuus_aikuiset") == 7


def test_pooled_nps_cannot_be_86(report_audit):
    assert report_audit.implied("nps") == 87
    assert "773" in report_audit.table().set_index("id").loc["nps", "selitys"]


def test_sum_check_on_a_made_up_reference(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("id,section,label,value,unit,n,relation\n"
                    "t,x,Total,10,lkm,,sum:a+b\na,x,A,4,lkm,,\nb,x,B,5,lkm,,\n"
                    "s,x,Share,40,%,,share:a/t\n", encoding="utf-8")
    check = audit.Audit(reference.load(path))
    assert check.flagged() == {"t", "s"}
    assert check.implied("t") == 9
    assert check.implied("s") == 44


def test_unknown_relation_id_is_an_error(tmp_path):
    path = tmp_path / "ref.csv"
    path.write_text("id,section,label,value,unit,n,relation\nt,x,T,1,lkm,,sum:a+b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown ids"):
        reference.load(path)
