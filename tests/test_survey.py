"""The survey's analysis on the sample: distributions, Wilson intervals (checked against the
formula computed independently), the group and year tests, theme coding, the figures, and
what the section helpers give the notebooks to put into words."""

import math

import pandas as pd
import pytest
from scipy import stats as scipy_stats

from conftest import ROOT
from hyte_nb.core import audit, clean, display, fmt, reconcile, reference, stats
from hyte_nb.core.paths import Paths
from hyte_nb.kysely import analysis, questionnaire, sections, themes

REFERENCE = Paths.of(2024, "kysely", ROOT).reference


@pytest.fixture(scope="module")
def answers():
    log = clean.CleaningLog()
    return {y: clean.clean_export(Paths.of(y, "kysely", ROOT).raw / questionnaire.survey_export(y).filename,
                                  questionnaire.survey_export(y), y, log) for y in (2024, 2023)}


@pytest.fixture
def shown(monkeypatch):
    """What the section helpers would show: their Markdown texts; charts and tables skipped."""
    texts = []
    monkeypatch.setattr(display, "md", texts.append)  # what a page (display.Page) shows goes through these
    for module in (display, sections):  # the helpers without a section show directly
        monkeypatch.setattr(module, "show", lambda fig, *args, **kwargs: sections.charts.plt.close(fig))
        monkeypatch.setattr(module, "table", lambda frame, numeric=None, caption="": None)
    return texts


def section_of(answers, year, previous_year):
    tables = {y: answers[y] for y in (year, previous_year) if y in answers}
    return sections.SurveySection(year, previous_year, tables, pd.DataFrame(), None, Paths.of(year, "kysely", ROOT).processed,
                                  Paths.of(year, "kysely", ROOT).reference)


def wilson_by_hand(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - half) * 100, (centre + half) * 100


@pytest.mark.parametrize("k,n", [(85, 121), (5, 115), (0, 30), (30, 30), (1, 121)])
def test_wilson_interval_matches_the_formula(k, n):
    low, high = stats.wilson(k, n)
    expected = wilson_by_hand(k, n)
    assert float(low) == pytest.approx(expected[0], abs=1e-9)
    assert float(high) == pytest.approx(expected[1], abs=1e-9)


def test_single_choice_distribution(answers):
    q = questionnaire.question("hyodyllisyys")
    dist = analysis.distribution(answers[2024]["hyodyllisyys"], questionnaire.options(q))
    assert dist["n"].iloc[0] == 121
    assert list(dist["lkm"]) == [71, 40, 9, 1]
    assert dist.loc["Melko hyödyttömänä", "osuus"] == pytest.approx(9 / 121 * 100)
    low, high = wilson_by_hand(71, 121)
    assert dist.loc["Hyödyllisenä", "ci_ala"] == pytest.approx(low)
    assert dist.loc["Hyödyllisenä", "ci_yla"] == pytest.approx(high)


def test_checkbox_shares_are_of_respondents_and_selections_add_up(answers):
    result = analysis.checkbox(answers[2024], questionnaire.question("toiminta"))
    assert result["n"].iloc[0] == 123 and result.attrs["valinnat"] == 480
    assert result.index[0] == "Liikunta" and result["lkm"].iloc[0] == 98
    assert result["osuus"].iloc[0] == pytest.approx(98 / 123 * 100)
    reasons = analysis.checkbox(answers[2024], questionnaire.question("syyt"))
    assert (reasons["n"].iloc[0], reasons.attrs["valinnat"]) == (115, 257)


def test_survey_figures_reconcile(answers):
    ref = reference.load(REFERENCE)
    figures = analysis.compute_figures(answers[2024], 2024, answers[2023])
    table = reconcile.reconcile(figures, ref, audit.Audit(ref, audit.catalogue_values(ref, figures)))
    assert reconcile.summary(table) == {"painettuja lukuja": 59, "täsmää": 57, "selitetty": 2, "poikkeaa": 0}
    assert table.loc["ky_sujuvuus_hva_2", "tila"] == reconcile.EXPLAINED
    # The seed says 11 questions; the catalogue has 12 besides the background ones: the page shows
    # the catalogue's figure and the audit notes the seed's.
    assert (table.loc["ky_kysymyksia", "julkaistu_arvo"], table.loc["ky_kysymyksia", "laskettu_arvo"]) == (11, 12)
    assert table.loc["ky_kysymyksia", "tila"] == reconcile.EXPLAINED
    assert table.loc["ky_kysymyksia", "selitys"] == ("Painettu 11, mutta vuoden kysymysluettelossa on 12; "
                                                     "sivut näyttävät luettelon luvun.")
    assert figures.loc["ky_vastaajat_2023", "arvo"] == 109


def test_audit_finds_the_welfare_area_fluency_row_impossible():
    check = audit.Audit(reference.load(REFERENCE))
    findings = check.table()
    assert list(findings["id"]) == ["ky_sujuvuus_hva_2"]
    message = findings["selitys"].iloc[0]
    assert "n = 115" in message and "116" in message
    for row in ("srk", "kunnat", "jarj"):  # the other actors' rows are possible
        assert not any(f.startswith(f"ky_sujuvuus_{row}") for f in check.flagged())


def test_group_test_values(answers):
    results = {r.kysymys: r for r in analysis.group_tests(answers[2024], 2024)}
    knowledge = results["Hyte-toiminnan tunteminen"]
    crosstab = pd.crosstab(answers[2024]["ammattiryhma"], answers[2024]["tunteminen"])
    assert knowledge.cramers_v == pytest.approx(scipy_stats.contingency.association(crosstab.to_numpy(),
                                                                                    method="cramer"))
    assert knowledge.n == 121
    assert 0 <= knowledge.p <= knowledge.p_holm <= 1
    assert len(results) == 10


def test_holm_is_statsmodels_adjustment_and_a_repeated_family_gives_the_same(monkeypatch):
    from statsmodels.stats.multitest import multipletests

    def results():
        return [stats.TestResult(label, "khiin neliö", 1.0, p, 0.1, 50) for label, p in
                (("a", 0.01), ("b", float("nan")), ("c", 0.04), ("d", 0.03))]

    first = stats.holm(results())
    expected = multipletests([0.01, 0.04, 0.03], alpha=stats.ALPHA, method="holm")[1]
    tested = [r for r in first if r.p == r.p]
    assert [r.p_holm for r in tested] == pytest.approx(list(expected))
    assert first[1].p_holm != first[1].p_holm  # an untestable one stays without
    # the same family again is looked up, not adjusted again (statsmodels' Holm runs a full gc)
    monkeypatch.setattr(stats, "multipletests", lambda *a, **k: pytest.fail("adjusted again"))
    again = stats.holm(results())
    assert [r.p_holm for r in again if r.p == r.p] == [r.p_holm for r in tested]


def test_group_differences_give_the_notebook_what_it_words(answers):
    differences = analysis.GroupDifferences(analysis.group_tests(answers[2024], 2024))
    assert len(differences.tested) == 10
    assert differences.nominal == ["Hyte-toiminnan tunteminen"]  # p < 0.05 before the adjustment
    assert differences.adjusted == []  # none after Holm's
    assert differences.strongest.kysymys == "Hyte-toiminnan tunteminen"
    assert fmt.number(differences.strongest.cramers_v, 2) == "0,27"
    assert differences.strongest.strength() == "heikko"


def test_no_group_test_when_the_year_did_not_ask_for_the_group(answers, monkeypatch):
    asked = [q for q in questionnaire.all_questions() if q["key"] != "ammattiryhma"]
    monkeypatch.setattr(questionnaire, "all_questions", lambda: asked)
    differences = analysis.GroupDifferences(analysis.group_tests(answers[2024], 2024))
    assert differences.results == [] and differences.strongest is None


def test_contingency_test_detects_a_real_difference():
    strong = pd.DataFrame({"kyllä": [40, 5], "ei": [5, 40]}, index=["a", "b"])
    result = stats.contingency_test(strong, "x")
    assert result.testi == "Fisherin tarkka testi" and result.p < 1e-10 and result.cramers_v > 0.7
    none = pd.DataFrame({"x": [20, 20, 20], "y": [20, 20, 20]}, index=["a", "b", "c"])
    assert stats.contingency_test(none, "y").p == pytest.approx(1.0)


def test_year_tests_cover_questions_asked_in_both_years(answers):
    results = analysis.year_tests(answers[2024], answers[2023], 2024, 2023)
    labels = {r.kysymys for r in results}
    assert "Hyte-ohjaamisen hyödyllisyys" in labels
    assert not any("toimintamallin tarve" in label for label in labels)  # asked only in 2024
    usefulness = next(r for r in results if r.kysymys == "Hyte-ohjaamisen hyödyllisyys")
    assert usefulness.n == 121 + 107


def test_precision_of_a_share_near_one_half():
    precision = analysis.precision(123)
    low, high = wilson_by_hand(61, 123)
    assert (precision.low, precision.high) == (pytest.approx(low), pytest.approx(high))
    assert (fmt.number(precision.low), fmt.number(precision.high), fmt.number(precision.half_width)) == ("41", "58", "9")


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
    texts = pd.concat([answers[2024]["muuta"], pd.Series(["Kiire! t. Maija Virtanen 040 765 4321"])],
                      ignore_index=True)
    picked = themes.quotes(texts, themes.code(texts, themes.codebook("muuta")))
    joined = " ".join(q for _, q in picked)
    assert "Virtanen" not in joined and "040" not in joined


def test_open_question_gives_count_themes_and_clean_quotes(answers, shown):
    section = section_of(answers, 2024, 2023)
    result = sections.open_question(section, "muuta")
    assert shown == ["### Muuta hyte-ohjaamisesta\n\n*Mitä muuta haluat sanoa hyte-ohjaamisesta?*"]
    assert result.n == 24 and result.themes.loc["Tiedon löytäminen", "vastauksia"] == 12
    assert result.quotes and not any("@example.fi" in text or "040" in text for _, text in result.quotes)


def test_a_question_the_year_did_not_ask_shows_the_note(answers, shown):
    section = section_of(answers, 2023, 2022)
    sections.show_question(section, "toimintamalli")  # first asked in 2024
    assert shown[-1] == "Kysymystä ei esitetty vuoden 2023 kyselyssä."
    assert sections.open_question(section, "muuta") is not None
    assert not section.asked("syyt") and section.previous is None and not section.illustrative_previous


def test_other_questions_are_those_of_the_section_not_yet_shown(answers, shown):
    section = section_of(answers, 2024, 2023)
    for key in ("ohjaus_useus", "hyodyllisyys", "tunteminen", "tietolahteet", "ajankohtainen_tieto", "toiminta"):
        sections.show_question(section, key)
    assert sections.other_questions(section, "hyte_ohjaus") == ["syyt", "muuta"]
    assert sections.other_questions(sections.SurveySection(2023, 2022, {2023: answers[2023]}, pd.DataFrame(), None,
                                                           ROOT, ROOT), "hyte_ohjaus")[-2:] == ["toiminta", "muuta"]


def test_comparison_words_each_test_with_the_notebooks_sentences(answers, shown):
    section = section_of(answers, 2024, 2023)
    sections.comparison(section, changed="MUUTTUI {vertailuvuosi}->{vuosi} p={p} V={v}",
                        unchanged="EI {vertailuvuosi}->{vuosi} p={p}", untestable="EI TESTATTAVISSA")
    tests = {r.kysymys: r for r in analysis.year_tests(answers[2024], answers[2023], 2024, 2023)}
    sentences = [text for text in shown if text.startswith(("MUUTTUI", "EI"))]
    # every single-choice question and matrix row asked in both years, but the municipality (not compared)
    assert len(sentences) == len(tests) - 1 == 12 and "Kunta, jonka alueella pääasiassa työskentelen" in tests
    usefulness = tests["Hyte-ohjaamisen hyödyllisyys"]
    assert usefulness.p >= stats.ALPHA
    assert f"EI 2023->2024 p={fmt.number(usefulness.p, 3)}" in sentences
    assert "### Yhteisen hyte-ohjauksen toimintamallin tarve" not in shown  # asked only in 2024
    assert "### Kunta, jonka alueella pääasiassa työskentelen" not in shown


def test_comparison_without_the_previous_survey_shows_nothing(answers, shown):
    sections.comparison(section_of(answers, 2024, 2019), changed="x", unchanged="y", untestable="z")
    assert shown == []
