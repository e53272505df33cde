"""Raking weights to the staff margins (svy), their diagnostics, weighted shares with Kish-effective-n
Wilson intervals, the weighted year comparison, and the analysts' SPSS and CSV files."""

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from conftest import ROOT
from hyte_nb.core import clean
from hyte_nb.core.paths import Paths
from hyte_nb.kysely import analysis, exports_spss, population, questionnaire, weighting
from test_population import KONSERNI, KOTI, LNP, M, S, SAIRAALA, T, answers_frame, staff_frame, wilson_by_hand

# Four respondents, one in each cell of group (T, S) × area (koti, sairaala); the staff: T 60, S 40,
# koti 70, sairaala 30. Raking from equal weights keeps the cells' odds ratio at 1, so the cell
# weights a, 60 − a, 70 − a, a − 30 satisfy a(a − 30) = (60 − a)(70 − a): a = 42.
SMALL_STAFF = staff_frame({(KOTI, T): 40, (SAIRAALA, T): 20, (KOTI, S): 30, (SAIRAALA, S): 10})
SMALL_ANSWERS = answers_frame([(T, KOTI), (T, SAIRAALA), (S, KOTI), (S, SAIRAALA)])


def test_raking_reproduces_the_staff_margins_and_the_hand_computed_weights():
    weights = weighting.rake(SMALL_ANSWERS, SMALL_STAFF)
    assert weights.weights.to_numpy() == pytest.approx([42, 18, 28, 12], abs=1e-6)
    margins = weights.margins()
    assert (margins["painotettu_summa"] - margins["henkilosto"]).abs().max() < 1e-6
    assert dict(zip(margins["ryhma"], margins["henkilosto"])) == {T: 60, S: 40, KOTI: 70, SAIRAALA: 30}
    assert weights.total == pytest.approx(100)


def test_effective_n_and_design_effect_as_defined():
    weights = weighting.rake(SMALL_ANSWERS, SMALL_STAFF)
    w = np.array([42, 18, 28, 12], dtype=float)
    assert weights.n_eff == pytest.approx(w.sum() ** 2 / (w ** 2).sum(), rel=1e-9)  # 10 000 / 3 016
    assert weights.n_eff == pytest.approx(10000 / 3016, rel=1e-9)
    assert weights.deff == pytest.approx(4 / (10000 / 3016), rel=1e-9)
    assert weights.deff == pytest.approx(1 + (w.std() / w.mean()) ** 2, rel=1e-9)  # 1 + CV²
    assert weights.max_relative == pytest.approx(42 / 25) and weights.min_relative == pytest.approx(12 / 25)
    table = weights.diagnostics().set_index("Tunnusluku")["Arvo"]
    assert table["Efektiivinen otoskoko (Kish)"] == "3,3" and table["Painotuksen asetelmavaikutus"] == "1,21"
    assert table["Katkaisusääntö"].startswith("Paino katkaistaan 3,0-kertaiseksi")


def test_a_weighted_share_and_its_interval_against_a_hand_computation():
    answers = pd.Series(["Hyvin", "Huonosti", "Hyvin", None, "Huonosti", "Hyvin"], dtype="string")
    weights = pd.Series([1.0, 1.0, 2.0, 5.0, 2.0, 4.0])
    dist = weighting.weighted_distribution(answers, ["Hyvin", "Huonosti"], weights)
    # The respondent who skipped the question (weight 5) is left out: weights 1, 1, 2, 2, 4.
    p = (1 + 2 + 4) / 10
    n_eff = 10 ** 2 / (1 + 1 + 4 + 4 + 16)  # 100 / 26
    assert dist.loc["Hyvin", "osuus_painotettu"] == pytest.approx(70.0)
    assert dist.loc["Hyvin", "n_eff"] == pytest.approx(n_eff)
    low, high = wilson_by_hand(p * n_eff, n_eff)
    assert dist.loc["Hyvin", "ci_ala_painotettu"] == pytest.approx(low, abs=1e-9)
    assert dist.loc["Hyvin", "ci_yla_painotettu"] == pytest.approx(high, abs=1e-9)
    assert (round(low, 2), round(high, 2)) == (26.11, 93.91)
    # Beside it, the unweighted distribution: 3 of 5.
    assert dist.loc["Hyvin", "osuus"] == pytest.approx(60.0) and dist.loc["Hyvin", "muutos"] == pytest.approx(10.0)
    shown = weighting.weighted_table(dist)
    assert list(shown.loc["Hyvin"]) == ["3", "60", "23–88", "70", "26–94", "+10"]


def test_trimming_caps_the_largest_weight_and_the_margins_still_hold():
    # One health care professional in hospital services stands for a large part of the staff.
    staff = staff_frame({(KOTI, T): 300, (SAIRAALA, T): 300, (KOTI, S): 300, (SAIRAALA, S): 100})
    answers = answers_frame([(T, KOTI)] * 8 + [(T, SAIRAALA)] + [(S, KOTI)] * 8 + [(S, SAIRAALA)] * 3)
    untrimmed = weighting.rake(answers, staff, trim=None)
    assert untrimmed.max_relative > 3 and untrimmed.cap is None
    trimmed = weighting.rake(answers, staff)
    assert trimmed.max_relative <= 3 * (1 + 1e-6) and trimmed.trimmed == 1
    assert trimmed.untrimmed_max == pytest.approx(untrimmed.max_relative)
    margins = trimmed.margins()
    assert (margins["painotettu_summa"] - margins["henkilosto"]).abs().max() < 1e-6
    assert trimmed.n_eff > untrimmed.n_eff


def test_a_cap_the_margins_cannot_live_with_is_not_applied_and_said_so():
    staff = staff_frame({(KOTI, T): 300, (SAIRAALA, T): 400, (KOTI, S): 300, (SAIRAALA, S): 150})
    answers = answers_frame([(T, KOTI)] * 8 + [(T, SAIRAALA)] + [(S, KOTI)] * 8 + [(S, SAIRAALA)] * 3)
    weights = weighting.rake(answers, staff)
    assert weights.cap is None and weights.max_relative > 4
    assert weights.notes == ["Painoja ei voitu katkaista 3,0-kertaisiksi keskiarvosta niin, että henkilöstön jakaumat "
                             "säilyvät; painot ovat katkaisemattomat."]
    margins = weights.margins()
    assert (margins["painotettu_summa"] - margins["henkilosto"]).abs().max() < 1e-6


def test_a_staff_level_without_respondents_is_left_out_and_said_so():
    staff = staff_frame({(KOTI, T): 40, (SAIRAALA, T): 20, (KOTI, S): 30, (SAIRAALA, S): 10, (KONSERNI, M): 25})
    answers = answers_frame([(T, KOTI), (T, SAIRAALA), (S, KOTI), (S, SAIRAALA), (None, LNP)])
    weights = weighting.rake(answers, staff)
    assert weights.weights.iloc[:4].to_numpy() == pytest.approx([42, 18, 28, 12], abs=1e-6)
    assert np.isnan(weights.weights.iloc[4]) and weights.n == 4
    notes = " ".join(weights.notes).replace("\xa0", " ")
    assert "1 vastaajaa ei kertonut ammattiryhmäänsä tai vastuualuettaan" in notes
    assert "Muu ammattilainen: ei vastaajia, joten sen henkilöstö (25) on jätetty painotuksen ulkopuolelle." in notes
    assert "Konsernipalvelut: ei vastaajia, joten sen henkilöstö (25) on jätetty painotuksen ulkopuolelle." in notes
    assert weights.margins()["henkilosto"].sum() == 200  # both margins: the 100 professionals with respondents


def survey(year: int) -> pd.DataFrame:
    folder = Paths.of(year, "kysely", ROOT)
    export = questionnaire.survey_export(year)
    return clean.clean_export(folder.raw / export.filename, export, year, clean.CleaningLog())


@pytest.fixture(scope="module")
def sample_weights():
    out = {}
    for year in (2024, 2023):
        answers = survey(year)
        staff = population.load_staff(Paths.of(year, "kysely", ROOT, processed=ROOT / "data" / "puuttuu"))
        out[year] = (answers, weighting.rake(answers, staff))
    return out


def test_the_sample_weights_reproduce_the_staff_and_change_shares_by_a_few_points_at_most(sample_weights):
    for year, (answers, weights) in sample_weights.items():
        margins = weights.margins()
        assert (margins["painotettu_summa"] - margins["henkilosto"]).abs().max() < 1e-6
        assert weights.n == len(answers) and 1.05 < weights.deff < 1.3 and weights.max_relative <= 3
        effects = weighting.effects(answers, year, weights)
        assert 2 < effects["muutos"].abs().max() < 5
        assert set(effects["osio"]) == {"hyte_ohjaus", "toimintamalli"}
        for section in ("hyte_ohjaus", "toimintamalli"):
            assert weighting.conclusion_sentence(effects, section).startswith(
                "Painotus henkilöstön ammattiryhmä- ja vastuualuejakaumiin ei muuta osion johtopäätöksiä")


def test_taylor_intervals_from_svy_are_close_to_the_kish_ones(sample_weights):
    answers, weights = sample_weights[2024]
    labels = questionnaire.options(questionnaire.question("tunteminen"))
    kish = weighting.weighted_distribution(answers["tunteminen"], labels, weights)
    taylor = weighting.weighted_distribution(answers["tunteminen"], labels, weights, method="taylor")
    assert taylor["osuus_painotettu"].equals(kish["osuus_painotettu"])
    assert ((taylor["ci_ala_painotettu"] <= taylor["osuus_painotettu"])
            & (taylor["osuus_painotettu"] <= taylor["ci_yla_painotettu"])).all()
    assert (taylor["ci_ala_painotettu"] - kish["ci_ala_painotettu"]).abs().max() < 3
    assert (taylor["ci_yla_painotettu"] - kish["ci_yla_painotettu"]).abs().max() < 3


def test_the_year_comparison_weights_each_year_to_its_own_staff(sample_weights):
    (now, weights), (before, previous) = sample_weights[2024], sample_weights[2023]
    labels = questionnaire.options(questionnaire.question("hyodyllisyys"))
    change = weighting.weighted_year_change(now["hyodyllisyys"], before["hyodyllisyys"], labels, weights, previous)
    assert change["muutos"].to_numpy() == pytest.approx((change["osuus_nyt"] - change["osuus_ennen"]).to_numpy())
    assert change["osuus_nyt"].sum() == pytest.approx(100) and change["osuus_ennen"].sum() == pytest.approx(100)
    counts = weighting.effective_counts(now["hyodyllisyys"], labels, weights)
    answered = weights.weights[now["hyodyllisyys"].notna()].to_numpy()
    assert counts.sum() == round(answered.sum() ** 2 / (answered ** 2).sum())
    weighted = weighting.weighted_year_tests(now, before, 2024, 2023, weights, previous)
    plain = analysis.year_tests(now, before, 2024, 2023)
    assert [r.kysymys for r in weighted] == [r.kysymys for r in plain]
    assert all(r.n < p.n for r, p in zip(weighted, plain) if r.p == r.p)  # effective n: fewer than answered


def test_analysts_files_spss_with_labels_and_weights_and_finnish_csv(tmp_path, sample_weights):
    answers, weights = sample_weights[2024]
    folder = Paths.of(2024, "kysely", ROOT, processed=tmp_path)
    sav, csv, book = exports_spss.write_analyst_files(folder, answers, weights)
    assert (sav.name, csv.name, book.name) == ("kysely_2024.sav", "kysely_2024.csv", "kysely_2024_muuttujat.csv")
    data, meta = pyreadstat.read_sav(str(sav))
    assert len(data) == 123 and data["paino"].sum() == pytest.approx(123)
    assert data["paino_henkilosto"].sum() == pytest.approx(weights.total)
    assert meta.column_names_to_labels["tunteminen"] == questionnaire.question("tunteminen")["teksti"]
    assert meta.variable_value_labels["tunteminen"] == {1.0: "Hyvin", 2.0: "Melko hyvin", 3.0: "Melko huonosti",
                                                        4.0: "Huonosti"}
    assert (data["tunteminen"] == 1).sum() == (answers["tunteminen"] == "Hyvin").sum()
    assert meta.variable_value_labels["toiminta__liikunta"] == {1.0: "Valittu", 0.0: "Ei valittu"}
    assert all(len(name) <= 64 for name in data.columns)
    raw = csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    header, first = raw.decode("utf-8-sig").split("\r\n")[:2]
    assert header.split(";")[:4] == ["vastaaja", "aloitettu", "lahetetty", "ammattiryhma"]
    cells = first.split(";")
    assert cells[0] == "1" and cells[1].count(".") == 2 and ":" in cells[1]  # 1.10.2024 12:40
    assert cells[header.split(";").index("tunteminen")] in questionnaire.options(questionnaire.question("tunteminen"))
    weight = cells[header.split(";").index("paino")]
    assert "," in weight and "." not in weight  # decimal comma
    assert float(weight.replace(",", ".")) == pytest.approx(data["paino"].iloc[0])
    assert "tunteminen;Tunnen työskentelyalueeltani löytyvää hyte-toimintaa yleisesti ottaen;" \
           "\"1 = Hyvin; 2 = Melko hyvin; 3 = Melko huonosti; 4 = Huonosti\"" in book.read_text(encoding="utf-8-sig")
