"""The survey's analysis on the sample: distributions, Wilson intervals (checked against the
formula computed independently), the group and year tests, theme coding and the figures."""

import math

import pandas as pd
import pytest

from hyte_nb import audit, clean, config, reconcile, reference, schema, survey, themes


@pytest.fixture(scope="module")
def answers():
    log = clean.CleaningLog()
    return {y: clean.clean_export(config.raw_dir(y, "kysely") / schema.survey_export(y).filename,
                                  schema.survey_export(y), y, log) for y in (2024, 2023)}


def wilson_by_hand(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) * 100, (centre + half) * 100


@pytest.mark.parametrize("k,n", [(85, 121), (5, 115), (0, 30), (30, 30), (1, 121)])
def test_wilson_interval_matches_the_formula(k, n):
    low, high = survey.wilson(k, n)
    expected = wilson_by_hand(k, n)
    assert float(low) == pytest.approx(expected[0], abs=1e-9)
    assert float(high) == pytest.approx(expected[1], abs=1e-9)


def test_single_choice_distribution(answers):
    q = survey.question("hyodyllisyys")
    dist = survey.distribution(answers[2024]["hyodyllisyys"], survey.options(q))
    assert dist["n"].iloc[0] == 121
    assert list(dist["lkm"]) == [71, 40, 9, 1]
    assert dist.loc["Melko hyödyttömänä", "osuus"] == pytest.approx(9 / 121 * 100)
    low, high = wilson_by_hand(71, 121)
    assert dist.loc["Hyödyllisenä", "ci_ala"] == pytest.approx(low)
    assert dist.loc["Hyödyllisenä", "ci_yla"] == pytest.approx(high)


def test_checkbox_shares_are_of_respondents_and_selections_add_up(answers):
    result = survey.checkbox(answers[2024], survey.question("toiminta"))
    assert result["n"].iloc[0] == 123 and result.attrs["valinnat"] == 480
    assert result.index[0] == "Liikunta" and result["lkm"].iloc[0] == 98
    assert result["osuus"].iloc[0] == pytest.approx(98 / 123 * 100)
    reasons = survey.checkbox(answers[2024], survey.question("syyt"))
    assert (reasons["n"].iloc[0], reasons.attrs["valinnat"]) == (115, 257)


def test_survey_figures_reconcile(answers):
    ref = reference.load(config.reference_file(2024, "kysely"))
    table = reconcile.reconcile(survey.compute_figures(answers[2024], 2024, answers[2023]), ref, audit.Audit(ref))
    assert reconcile.summary(table) == {"painettuja lukuja": 58, "täsmää": 57, "selitetty": 1, "poikkeaa": 0}
    assert table.loc["ky_sujuvuus_hva_2", "tila"] == reconcile.EXPLAINED


def test_audit_finds_the_welfare_area_fluency_row_impossible():
    check = audit.Audit(reference.load(config.reference_file(2024, "kysely")))
    findings = check.table()
    assert list(findings["id"]) == ["ky_sujuvuus_hva_2"]
    message = findings["selitys"].iloc[0]
    assert "n = 115" in message and "116" in message
    for row in ("srk", "kunnat", "jarj"):  # the other actors' rows are possible
        assert not any(f.startswith(f"ky_sujuvuus_{row}") for f in check.flagged())


def test_group_test_values(answers):
    results = {r.kysymys: r for r in survey.group_tests(answers[2024], 2024)}
    knowledge = results["Hyte-toiminnan tunteminen"]
    crosstab = pd.crosstab(answers[2024]["ammattiryhma"], answers[2024]["tunteminen"])
    from scipy import stats

    assert knowledge.cramers_v == pytest.approx(stats.contingency.association(crosstab.to_numpy(), method="cramer"))
    assert knowledge.n == 121
    assert 0 <= knowledge.p <= knowledge.p_holm <= 1
    assert len(results) == 10
    sentence = survey.group_sentence(list(results.values()))
    assert "Holmin korjaus" in sentence or "ei ollut" in sentence


def test_contingency_test_detects_a_real_difference():
    strong = pd.DataFrame({"kyllä": [40, 5], "ei": [5, 40]}, index=["a", "b"])
    result = survey.contingency_test(strong, "x")
    assert result.testi == "Fisherin tarkka testi" and result.p < 1e-10 and result.cramers_v > 0.7
    none = pd.DataFrame({"x": [20, 20, 20], "y": [20, 20, 20]}, index=["a", "b", "c"])
    assert survey.contingency_test(none, "y").p == pytest.approx(1.0)


def test_year_tests_cover_questions_asked_in_both_years(answers):
    results = survey.year_tests(answers[2024], answers[2023], 2024, 2023)
    labels = {r.kysymys for r in results}
    assert "Hyte-ohjaamisen hyödyllisyys" in labels
    assert not any("toimintamallin tarve" in label for label in labels)  # asked only in 2024
    usefulness = next(r for r in results if r.kysymys == "Hyte-ohjaamisen hyödyllisyys")
    assert usefulness.n == 121 + 107


def test_theme_coding_with_the_codebook(answers):
    coded = themes.code(pd.Series(["Kiireessä unohtuu.", "Ajantasaista tietoa on vaikea löytää.", "Hyvä."]),
                        themes.codebook("muuta"))
    assert coded["Kiire"].tolist() == [True, False, False]
    assert coded["Tiedon löytäminen"].tolist() == [False, True, False]
    counts = themes.theme_counts(coded)
    assert counts.loc["(ei teemaa)", "vastauksia"] == 1
    sample_counts = themes.theme_counts(themes.code(answers[2024]["puheeksi"], themes.codebook("puheeksi")))
    assert sample_counts.attrs["n"] == 61
    assert sample_counts.loc["Motivoiva haastattelu ja kuuntelu", "vastauksia"] == 27


def test_quotes_from_open_answers_carry_no_personal_data(answers):
    texts = answers[2024]["muuta"]
    picked = themes.quotes(pd.concat([texts, pd.Series(["Kiire! t. Maija Virtanen 040 765 4321"])],
                                     ignore_index=True),
                           themes.code(pd.concat([texts, pd.Series(["Kiire! t. Maija Virtanen 040 765 4321"])],
                                                 ignore_index=True), themes.codebook("muuta")))
    joined = " ".join(q for _, q in picked)
    assert "Virtanen" not in joined and "040" not in joined
