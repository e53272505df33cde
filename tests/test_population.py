"""The staff register: cleaning, response rates with Wilson intervals, the respondents' profile
against the staff's, and the sample's register."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sstats

from conftest import ROOT
from hyte_nb.core import clean
from hyte_nb.core.paths import Paths
from hyte_nb.core.read import ExportError
from hyte_nb.kysely import population, questionnaire
from hyte_nb.kysely.sample import staff_sample, write_staff_sample

Z = 1.959963984540054  # the 97.5 % point of the standard normal
T, S, M = "Terveydenhuollon ammattilainen", "Sosiaalihuollon ammattilainen", "Muu ammattilainen"
KOTI, SOTE, SAIRAALA = "Koti- ja asumispalvelut", "Laaja-alainen sote-keskus", "Sairaalapalvelut"
LNP, KONSERNI = "Lasten, nuorten ja perheiden palvelut", "Konsernipalvelut"


def wilson_by_hand(count: float, n: float) -> tuple[float, float]:
    p = count / n
    centre = (p + Z ** 2 / (2 * n)) / (1 + Z ** 2 / n)
    half = Z / (1 + Z ** 2 / n) * math.sqrt(p * (1 - p) / n + Z ** 2 / (4 * n ** 2))
    return (centre - half) * 100, (centre + half) * 100


def staff_frame(cells: dict[tuple[str, str], int]) -> pd.DataFrame:
    return pd.DataFrame([{"poimintapaiva": pd.Timestamp(2024, 9, 30), "vastuualue": area, "ammattiryhma": group,
                          "henkiloita": n} for (area, group), n in cells.items()])


def answers_frame(pairs: list[tuple[str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame({"ammattiryhma": pd.array([g for g, _ in pairs], dtype="string"),
                         "vastuualue": pd.array([a for _, a in pairs], dtype="string")})


STAFF = staff_frame({(KOTI, T): 100, (KOTI, S): 100, (SAIRAALA, T): 200, (SAIRAALA, M): 50, (SOTE, S): 50})
# 5 health care (3 koti, 2 sairaala), 10 social care (6 koti, 4 sote), 1 other (sairaala), 1 who did not say
ANSWERS = answers_frame([(T, KOTI)] * 3 + [(T, SAIRAALA)] * 2 + [(S, KOTI)] * 6 + [(S, SOTE)] * 4
                        + [(M, SAIRAALA)] + [(None, None)])


def test_response_rates_overall_by_group_and_area_with_wilson_intervals():
    rates = population.response_rates(ANSWERS, STAFF).set_index("ryhma")
    assert rates.loc["Kaikki vastaajat", "vastaajia"] == 17 and rates.loc["Kaikki vastaajat", "henkilosto"] == 500
    assert rates.loc["Kaikki vastaajat", "vastausaste"] == pytest.approx(17 / 500 * 100)
    assert rates.loc[T, "vastausaste"] == pytest.approx(5 / 300 * 100)
    assert rates.loc[S, "vastausaste"] == pytest.approx(10 / 150 * 100)
    assert rates.loc[M, "vastausaste"] == pytest.approx(2.0)
    assert rates.loc[KOTI, "vastausaste"] == pytest.approx(9 / 200 * 100)
    assert rates.loc[SAIRAALA, "vastausaste"] == pytest.approx(3 / 250 * 100)
    assert rates.loc[SOTE, "vastausaste"] == pytest.approx(4 / 50 * 100)
    for level, (count, n) in {T: (5, 300), S: (10, 150), SOTE: (4, 50), "Kaikki vastaajat": (17, 500)}.items():
        low, high = wilson_by_hand(count, n)
        assert rates.loc[level, "ci_ala"] == pytest.approx(low, abs=1e-9)
        assert rates.loc[level, "ci_yla"] == pytest.approx(high, abs=1e-9)
    # No staff, no rate: a level the register does not have is '–', not 0 %.
    assert np.isnan(rates.loc[LNP, "vastausaste"]) and rates.loc[LNP, "henkilosto"] == 0
    assert rates.attrs["ei_tietoa"] == {"ammattiryhma": 1, "vastuualue": 1}
    shown = population.response_rate_table(population.response_rates(ANSWERS, STAFF))
    assert shown.loc[1, "Vastausaste, %"] == "1,7" and shown.loc[1, "95 %:n luottamusväli, %"] == "0,7–3,8"


def test_profile_goodness_of_fit_standardised_differences_and_the_under_represented():
    profile = population.profile(ANSWERS, STAFF)
    groups = profile.tables["ammattiryhma"]
    assert list(groups["vastaajia"]) == [5, 10, 1]
    assert groups.loc[T, "osuus_vastaajista"] == pytest.approx(5 / 16 * 100)
    assert groups.loc[T, "osuus_henkilostosta"] == pytest.approx(60.0)
    p_r, p_s = 5 / 16, 0.6
    assert groups.loc[T, "standardoitu_ero"] == pytest.approx((p_r - p_s) / math.sqrt((p_r * (1 - p_r) + p_s * (1 - p_s)) / 2))
    assert groups.loc[T, "edustavuus"] == pytest.approx(p_r / p_s)
    # Expected counts 9.6, 4.8, 1.6: one is under 5, so the p-value is simulated; the statistic is Pearson's.
    test = profile.tests["ammattiryhma"]
    expected = np.array([0.6, 0.3, 0.1]) * 16
    assert test.statistic == pytest.approx((((np.array([5, 10, 1]) - expected) ** 2) / expected).sum())
    assert test.testi == "khiin neliö (Monte Carlo -p)" and test.df == 2 and 0 < test.p < 0.05
    assert population.profile(ANSWERS, STAFF).tests["ammattiryhma"].p == test.p  # seeded
    under = profile.under_represented()
    # Hospital services: 3 of 16 respondents (19 %) but half of the staff; health care: 31 % against 60 %.
    assert list(under["ryhma"]) == [SAIRAALA, T, M]  # the largest shortfall first (other: 6 % against 10 %)
    assert set(profile.over_represented()["ryhma"]) == {S, KOTI, SOTE}
    sentences = " ".join(profile.sentences()).replace("\xa0", " ")
    assert sentences.startswith("Kysymyksessä ”Ammattiryhmäni” vastaajat jakautuvat eri tavoin kuin henkilöstö "
                                "(khiin neliö (Monte Carlo -p), p = 0,0")
    assert "Terveydenhuollon ammattilainen: 31 % vastaajista mutta 60 % henkilöstöstä, 29 prosenttiyksikköä " \
           "vähemmän kuin henkilöstössä; vastausaste 1,7 %" in sentences


def test_goodness_of_fit_with_large_counts_is_pearsons_chi_square():
    result = population.goodness_of_fit(np.array([30, 50, 20]), np.array([1000, 1000, 500]), "x")
    expected = np.array([40, 40, 20])
    statistic = ((np.array([30, 50, 20]) - expected) ** 2 / expected).sum()
    assert result.testi == "khiin neliö" and result.statistic == pytest.approx(statistic)
    assert result.p == pytest.approx(math.exp(-statistic / 2))  # chi-square with 2 df: P(X > x) = exp(-x/2)
    assert result.p == pytest.approx(sstats.chisquare([30, 50, 20], expected).pvalue)


def write(path, lines):
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


HEADER = "Poimintapäivä;Vastuualue;Ammattiryhmä;Henkilöitä"


def test_cleaning_removes_the_total_row_and_test_rows_and_logs_them(tmp_path):
    path = write(tmp_path / "henkilosto.csv", [HEADER, f"30.9.2024;{KOTI};{T};100", f"30.9.2024; {KOTI} ;{S};50",
                                              "30.9.2024;TESTI;;1", ";;;", "30.9.2024;Yhteensä;;150"])
    log = clean.CleaningLog()
    staff = population.clean_staff(path, 2024, log)
    assert list(staff["henkiloita"]) == [100, 50] and list(staff["vastuualue"]) == [KOTI, KOTI]
    reasons = dict(zip(log.frame()["rivi"], log.frame()["syy"]))
    assert reasons[5] == "tyhjä rivi" and reasons[4] == clean.TEST_WORD
    assert reasons[6] == "yhteenvetorivi (Yhteensä), täsmää rivien summaan"
    assert reasons[3] == "ylimääräiset välilyönnit poistettu"
    summary = log.summary_frame().iloc[0]
    assert (summary["rivejä sisään"], summary["rivejä ulos"], summary["poistettu"]) == (5, 2, 3)


def test_bad_cells_name_file_row_column_value_and_what_was_expected(tmp_path):
    path = write(tmp_path / "henkilosto.csv", [HEADER, f"30.9.2024;{KOTI};{T};100", f"31.9.2024;Hallinto;{S};-5",
                                              f"30.9.2024;{KOTI};{T};7", "30.9.2024;Yhteensä;;102"])
    with pytest.raises(ExportError) as error:
        population.clean_staff(path, 2024, clean.CleaningLog())
    message = str(error.value)
    # The total adds up (100 - 5 + 7 = 102), so it is removed and the rows' own errors are reported.
    assert "muiden rivien summa" not in message
    assert f"{path}, rivi 3, sarake 'Poimintapäivä': arvo '31.9.2024' – odotettiin: päivämäärä muodossa p.k.vvvv" in message
    assert f"{path}, rivi 3, sarake 'Vastuualue': arvo 'Hallinto' – odotettiin: yksi vaihtoehdoista: {KOTI}" in message
    assert f"{path}, rivi 3, sarake 'Henkilöitä': arvo '-5' – odotettiin: kokonaisluku ≥ 0" in message

    write(path, [HEADER, f"30.9.2024;{KOTI};{T};100", f"30.9.2024;{KOTI};{T};7", "30.9.2024;Yhteensä;;100"])
    with pytest.raises(ExportError) as error:
        population.clean_staff(path, 2024, clean.CleaningLog())
    assert f"{path}, rivi 4, sarake 'Henkilöitä': arvo '100' – odotettiin: muiden rivien summa 107" in str(error.value)

    write(path, [HEADER, f"30.9.2024;{KOTI};{T};100", f"30.9.2024;{KOTI};{T};7"])
    with pytest.raises(ExportError, match=rf"rivi 3, sarake 'Ammattiryhmä': arvo '{T}' – odotettiin: vastuualueen "
                                          rf"{KOTI} ammattiryhmä vain kerran \(sama pari myös rivillä 2\)"):
        population.clean_staff(path, 2024, clean.CleaningLog())


def test_without_the_staff_file_the_page_is_told_what_would_enable_it(tmp_path):
    folder = Paths.of(2031, "kysely", ROOT, raw=tmp_path / "raw", processed=tmp_path / "processed")
    assert not population.has_staff(folder)
    with pytest.raises(population.StaffMissing) as error:
        population.load_staff(folder)
    assert str(error.value) == population.missing_message(folder)
    assert str(error.value).startswith(f"Tämän sivun tekeminen vaatii tiedoston {tmp_path / 'raw' / 'henkilosto.csv'}")
    assert "Poimintapäivä, Vastuualue, Ammattiryhmä, Henkilöitä" in str(error.value)
    default = Paths.of(2031, "kysely", ROOT)
    assert population.missing_message(default).startswith(
        "Tämän sivun tekeminen vaatii tiedoston data/raw/2031/kysely/henkilosto.csv: henkilöstöhallinnon raportin")


@pytest.mark.parametrize("year", [2024, 2023])
def test_the_committed_staff_registers_are_what_the_generator_writes(tmp_path, year):
    path = write_staff_sample(Paths.of(year, "kysely", ROOT, raw=tmp_path))
    assert path.read_bytes() == (Paths.of(year, "kysely", ROOT).raw / population.STAFF_FILE).read_bytes()
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()


def survey(year: int) -> pd.DataFrame:
    folder = Paths.of(year, "kysely", ROOT)
    export = questionnaire.survey_export(year)
    return clean.clean_export(folder.raw / export.filename, export, year, clean.CleaningLog())


def test_the_samples_response_rates_are_a_few_percent():
    """The report: the response rate stayed low; the survey reached a few percent of the staff.
    Social care professionals answered most often, hospital staff least often."""
    for year in (2024, 2023):
        staff = population.load_staff(Paths.of(year, "kysely", ROOT, processed=ROOT / "data" / "puuttuu"))
        assert 5500 < staff["henkiloita"].sum() < 6500
        rates = population.response_rates(survey(year), staff).set_index("ryhma")["vastausaste"]
        assert 1.5 < rates["Kaikki vastaajat"] < 2.5
        assert all(0.5 < rates[level] < 5 for level in population.levels("ammattiryhma"))
        assert rates[S] == rates[population.levels("ammattiryhma")].max()
        assert rates[SAIRAALA] < rates["Kaikki vastaajat"]
    raw = staff_sample(2024)
    assert raw.iloc[-1]["Vastuualue"] == "Yhteensä" and raw.iloc[-1]["Henkilöitä"] == raw.iloc[:-1]["Henkilöitä"].sum()
    assert staff_sample(2024).equals(raw) and not staff_sample(2025).equals(raw)


def test_a_hidden_groups_sentence_names_the_projects_threshold():
    """Groups whose respondent count is suppressed get one sentence without figures, naming the
    threshold the project set (organisaatio.yml pienet_luvut.raja), not a fixed 5."""
    from hyte_nb.core import suppression

    profile = population.profile(ANSWERS, STAFF)
    sentences = profile.published_sentences(suppression.Settings(3, True, "testi"))
    hidden = [s for s in sentences if "vastaajien osuutta ei näytetä" in s]
    # 1 respondent is under 3; the 5 are hidden too, as the total of 16 would give the 1 away
    assert hidden == [f"{T} ja {M}: vastaajien osuutta ei näytetä pienten lukujen suojauksen vuoksi (vastaajia on "
                      f"alle 3 tai heidän määränsä olisi pääteltävissä muista luvuista)."]
    assert not any(M in s or T in s for s in sentences if s not in hidden)  # nothing else about the hidden groups
