"""Small-count suppression: which counts are hidden and how they show, the threshold setting,
the switch for internal runs and its banner. The guarantee that nothing hidden can be worked out
again is checked on generated tables in test_properties.py."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hyte_nb.core import fmt, suppression
from hyte_nb.core.fmt import NBSP
from hyte_nb.core.suppression import ANSWERS, EVENTS, HIDDEN, PERSONS

ROOT = Path(__file__).resolve().parent.parent
CONFIG = suppression.Settings(threshold=5, on=True)
LT5 = f"<{NBSP}5"

# The bundled 2024 sample survey: respondents by municipality (n = 123).
MUNICIPALITIES = pd.Series({
    "Jyväskylä": 66, "Petäjävesi": 6, "Laukaa": 6, "Muurame": 5, "Kivijärvi": 4, "Kannonkoski": 4, "Kyyjärvi": 4,
    "Pihtipudas": 3, "Jämsä": 3, "Hankasalmi": 3, "Toivakka": 3, "Karstula": 3, "Äänekoski": 2, "Viitasaari": 2,
    "Multia": 2, "Uurainen": 1, "Saarijärvi": 1, "Keuruu": 1, "Joutsa": 1, "Kinnula": 1, "Konnevesi": 1,
    "Luhanka": 1, "Hankasalmi 2": 0})


def persons(values, **kw):
    return suppression.one_way(pd.Series(values), kind=PERSONS, config=CONFIG, **kw)


def test_respondents_by_municipality_show_fewer_than_five_as_such():
    s = suppression.one_way(MUNICIPALITIES, kind=PERSONS, config=CONFIG)
    text = s.text()
    assert text["Jyväskylä"] == "66" and text["Muurame"] == "5" and text["Hankasalmi 2"] == "0"
    assert (text[(MUNICIPALITIES >= 1) & (MUNICIPALITIES <= 4)] == LT5).all()
    assert s.total_text() == "123"  # 18 hidden counts adding up to 40: no complement needed
    assert HIDDEN not in text.tolist() and s.exposed() == []
    assert s.footnote().startswith(f"{LT5} = alle 5 henkilöä")


def test_one_hidden_count_beside_a_printed_total_gets_a_second():
    s = suppression.one_way(pd.Series({"Jyväskylä": 66, "Laukaa": 6, "Luhanka": 1}), kind=PERSONS, config=CONFIG)
    assert s.text().tolist() == ["66", HIDDEN, LT5]  # Luhanka would be 73 - 66 - 6; Laukaa, the smallest, goes too
    assert s.total_text() == "73"
    assert "piilotettu" in s.footnote()


def test_two_hidden_counts_that_add_up_to_two_get_a_third():
    # 1 + 1 = 2 satisfies "two hidden in every line" and still says both are 1.
    assert persons([1, 1, 50, 60]).text().tolist() == [LT5, LT5, HIDDEN, "60"]
    assert persons([4, 4, 50]).text().tolist() == [LT5, LT5, HIDDEN]  # 8 = 4 + 4 as well
    assert persons([1, 1, 1, 60]).text().tolist() == [LT5, LT5, LT5, HIDDEN]
    assert persons([3, 2, 60]).text().tolist() == [LT5, LT5, "60"]  # 5 = 1 + 4 = 2 + 3 ...: safe


def test_a_breakdown_whose_total_is_below_the_threshold_is_hidden_whole():
    s = persons([3, 0, 0])
    assert s.text().tolist() == [LT5] * 3 and s.total_text() == LT5 and s.total_hidden


def test_a_total_is_hidden_only_when_nothing_else_protects():
    s = persons([1, 5])  # 6 = 1 + 5: with the 5 hidden, "5 or more" would still leave 1
    assert s.text().tolist() == [LT5, "5"] and s.total_text() == HIDDEN and s.total_hidden


def test_cross_tabulation_with_margins():
    table = pd.DataFrame([[3, 10, 12], [8, 2, 9], [20, 30, 1]], index=["a", "b", "c"], columns=["x", "y", "z"])
    s = suppression.two_way(table, kind=PERSONS, config=CONFIG)
    text = s.text()
    assert [text.loc["a", "x"], text.loc["b", "y"], text.loc["c", "z"]] == [LT5] * 3
    hidden = s.hidden.to_numpy()
    for line in [*hidden, *hidden.T]:  # every row and column: none or at least two hidden
        assert line.sum() != 1
    assert s.row_totals_text().tolist() == ["25", "19", "51"] and s.grand_total_text() == "95"
    assert s.exposed() == []


def test_year_comparison_of_a_background_question():
    # Rows: options, columns: survey years; each year's n is printed, option totals are not.
    table = pd.DataFrame({2023: [60, 45, 4], 2024: [66, 51, 6]}, index=["terveys", "sosiaali", "muu"])
    s = suppression.two_way(table, kind=PERSONS, row_totals=False, config=CONFIG)
    assert s.text()[2023].tolist() == ["60", HIDDEN, LT5] and s.text()[2024].tolist() == ["66", "51", "6"]
    assert s.column_totals_text().tolist() == ["109", "123"]
    change = s.mask(pd.Series(["+1", "+2", "+3"], index=table.index), where=s.hidden.any(axis=1))
    assert change.tolist() == ["+1", HIDDEN, HIDDEN]


def test_shares_intervals_and_chart_values_of_hidden_counts_are_hidden():
    s = suppression.one_way(pd.Series({"a": 66, "b": 6, "c": 1}), kind=PERSONS, config=CONFIG)
    frame = pd.DataFrame({"Vastaus": ["a", "b", "c"], "Vastaajia": ["66", "6", "1"],
                          "Osuus": ["90 %", "8 %", "1 %"], "95 %:n luottamusväli": ["81–95 %", "4–17 %", "0–7 %"]})
    shown = s.table(frame, count="Vastaajia", derived=["Osuus", "95 %:n luottamusväli"])
    assert shown["Vastaajia"].tolist() == ["66", HIDDEN, LT5]
    assert shown["Osuus"].tolist() == ["90 %", HIDDEN, HIDDEN]
    assert shown["95 %:n luottamusväli"].tolist() == ["81–95 %", HIDDEN, HIDDEN]
    assert shown["Vastaus"].tolist() == ["a", "b", "c"] and frame["Vastaajia"].tolist() == ["66", "6", "1"]
    bars = s.values(pd.Series([90.4, 8.2, 1.4], index=["a", "b", "c"]))
    assert bars["a"] == 90.4 and np.isnan(bars["b"]) and np.isnan(bars["c"])
    assert s.labels(["a", "b", "c"]) == ["a", f"b ({HIDDEN})", f"c ({LT5})"]


def test_answer_distributions_and_events_are_not_person_breakdowns():
    for kind in (ANSWERS, EVENTS):
        s = suppression.one_way(pd.Series([1, 2, 50]), kind=kind, config=CONFIG)
        assert s.text().tolist() == ["1", "2", "50"] and not s.any and s.footnote() == ""


def test_the_caller_must_say_what_a_table_counts():
    with pytest.raises(TypeError):
        suppression.one_way(pd.Series([1, 2]), config=CONFIG)  # no kind
    with pytest.raises(ValueError, match="PERSONS"):
        suppression.one_way(pd.Series([1, 2]), kind="asiakkaat", config=CONFIG)
    with pytest.raises(ValueError, match="kokonaislukuja"):
        suppression.one_way(pd.Series([1.5, 2]), kind=PERSONS, config=CONFIG)


def test_a_share_of_n_persons_and_a_single_count():
    assert suppression.binary(2, 40, kind=PERSONS, config=CONFIG).any  # 2 of 40
    assert suppression.binary(38, 40, kind=PERSONS, config=CONFIG).any  # 2 without: n gives them away
    assert not suppression.binary(10, 40, kind=PERSONS, config=CONFIG).any
    assert not suppression.binary(0, 40, kind=PERSONS, config=CONFIG).any
    assert suppression.count(3, kind=PERSONS, config=CONFIG) == LT5
    assert suppression.count(0, kind=PERSONS, config=CONFIG) == "0"
    assert suppression.count(1234, kind=PERSONS, config=CONFIG) == f"1{NBSP}234"
    assert suppression.count(3, kind=ANSWERS, config=CONFIG) == "3"


def test_the_threshold_is_a_setting():
    three = suppression.Settings(threshold=3, on=True)
    s = suppression.one_way(pd.Series([1, 2, 3, 4, 50]), kind=PERSONS, config=three)
    assert s.text().tolist() == [f"<{NBSP}3", f"<{NBSP}3", "3", "4", "50"]  # 1 + 2 = 3 = 2 + 1: safe
    assert s.exposed() == []


def _project(tmp_path: Path, organisation: str) -> Path:
    (tmp_path / "reports.yml").write_text("raportit: {}\n", encoding="utf-8")
    (tmp_path / "organisaatio.yml").write_text(organisation, encoding="utf-8")
    return tmp_path


def test_settings_read_the_threshold_from_organisaatio_yml(tmp_path, monkeypatch):
    monkeypatch.delenv(suppression.ENV_OFF, raising=False)
    assert suppression.settings(_project(tmp_path, "julkaisija: X\n")) == suppression.Settings(5, True, "oletus")
    current = suppression.settings(_project(tmp_path, "pienet_luvut: {raja: 10}\n"))
    assert (current.threshold, current.on) == (10, True) and "organisaatio.yml" in current.source
    (tmp_path / "sub").mkdir()
    assert suppression.settings(tmp_path / "sub").threshold == 10  # found from a folder under the project too
    assert suppression.settings(ROOT).threshold >= suppression.MINIMUM_THRESHOLD  # the project's own file reads


@pytest.mark.parametrize("block", ["pienet_luvut: {raja: 2}", "pienet_luvut: {raja: '5'}", "pienet_luvut: {raja: true}",
                                   "pienet_luvut: {raja: 5, pois: true}", "pienet_luvut: 5"])
def test_a_bad_threshold_or_an_attempt_to_switch_off_in_the_file_is_refused(tmp_path, monkeypatch, block):
    monkeypatch.delenv(suppression.ENV_OFF, raising=False)
    with pytest.raises(ValueError, match="pienet_luvut"):
        suppression.settings(_project(tmp_path, block + "\n"))


def test_only_the_explicit_flag_switches_suppression_off_and_then_pages_say_so(tmp_path, monkeypatch):
    root = _project(tmp_path, "pienet_luvut: {raja: 5}\n")
    for value in ["", "0", "ei"]:
        monkeypatch.setenv(suppression.ENV_OFF, value)
        assert suppression.settings(root).on and suppression.banner(suppression.settings(root)) == ""
    monkeypatch.setenv(suppression.ENV_OFF, "1")
    off = suppression.settings(root)
    assert not off.on
    assert suppression.banner(off).startswith("**EI JULKAISTAVAKSI.**")
    assert "EI JULKAISTAVAKSI" in suppression.banner_html(off) and 'class="ei-julkaistavaksi"' in suppression.banner_html(off)
    s = suppression.one_way(pd.Series([1, 2, 50]), kind=PERSONS, config=off)
    assert s.text().tolist() == ["1", "2", "50"] and not s.active
    monkeypatch.setenv(suppression.ENV_OFF, "maybe")
    with pytest.raises(ValueError, match=suppression.ENV_OFF):
        suppression.settings(root)


def test_settings_are_read_when_none_are_given(tmp_path, monkeypatch):
    monkeypatch.setenv("HYTE_NB_ROOT", str(_project(tmp_path, "pienet_luvut: {raja: 4}\n")))
    monkeypatch.delenv(suppression.ENV_OFF, raising=False)
    s = suppression.one_way(pd.Series([3, 4, 50]), kind=PERSONS)
    assert s.settings.threshold == 4 and s.text().tolist() == [f"<{NBSP}4", HIDDEN, "50"]
    assert fmt.parse_number(s.total_text()) == 57


def test_marks_by_figure_id_and_counts_behind_shares():
    # Volunteers by task: the figures table keeps shares and n; the counts follow from them.
    shares = pd.Series({"vap_ryhmanohjaus": 300 / 391 * 100, "vap_tukihenkilo": 88 / 391 * 100,
                        "vap_asiointiapu": 3 / 391 * 100})
    counts = suppression.counts_from_shares(shares, 391)
    assert counts.tolist() == [300, 88, 3]
    s = suppression.one_way(counts, kind=PERSONS, config=CONFIG)
    assert s.marks().to_dict() == {"vap_ryhmanohjaus": "", "vap_tukihenkilo": HIDDEN, "vap_asiointiapu": LT5}
    with pytest.raises(ValueError, match="kokonaislukuja"):
        suppression.counts_from_shares([33.0], 10)


def test_figure_marks_mask_a_breakdown_kept_in_the_figures_table():
    figures = pd.DataFrame({"arvo": [80.0, 60.0, -20.0, 373.0, 3.0], "n": [160, 95, 3, None, None],
                            "yksikko": ["nps", "nps", "nps", "lkm", "lkm"]},
                           index=["sen_nps", "per_nps", "aik_nps", "sen_keikka_asiakkaat", "sen_digi_asiakkaat"])
    assert suppression.figure_marks(figures, ["sen_nps", "per_nps", "aik_nps"], counts="n", config=CONFIG) == \
        {"per_nps": HIDDEN, "aik_nps": LT5}
    assert suppression.figure_marks(figures, ["sen_keikka_asiakkaat", "sen_digi_asiakkaat"], counts="arvo",
                                    total=False, config=CONFIG) == {"sen_digi_asiakkaat": LT5}
