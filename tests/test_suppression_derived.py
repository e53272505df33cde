"""Small counts stay hidden in derived figures (hyte_nb.core.suppression.derived): every share,
change in percentage points, NPS, mean and difference between years computed from a count of
1-4 persons is '..', on a page, in the analyst's texts and on the index alike. The figures are
computed by the report's own code (hyte_nb.hyte.figures) from small crafted clean tables of a
service with 1-4 persons, then shown through the real helpers."""

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from hyte_nb.core import display, suppression
from hyte_nb.core.figures import FigureTable
from hyte_nb.core.fmt import NBSP
from hyte_nb.core.paths import Paths
from hyte_nb.core.suppression import HIDDEN
from hyte_nb.hyte import figures as hyte_figures
from hyte_nb.hyte import sections as hyte

LT5 = f"<{NBSP}5"
CONFIG = suppression.Settings(threshold=5, on=True)
MENTORING = {"alue": "perheet", "palvelu": "Perhementoritoiminta", "ryhma": None}
ADULTS = {"alue": "aikuiset", "palvelu": "Yksinäisyyden keskusteluapu", "ryhma": None}


def _measurements(rows: list[tuple[dict, str, str, str, int]]) -> pd.DataFrame:
    """A clean measurement table: (service, client, point, item, value) per row."""
    return pd.DataFrame([{**service, "asiakas": client, "kerta": point, "mittari": item, "arvo": value}
                         for service, client, point, item, value in rows])


def issue_case() -> pd.DataFrame:
    """The issue's family mentoring: 3 clients at the start (2 lonely: 67 %), 2 at the end (1
    lonely: 50 %), so loneliness 'decreased by 17 percentage points', from which 2 of 3 and 1
    of 2 can be worked back; parenting supported for 1 of the 2 at the end (50 %)."""
    return _measurements([(MENTORING, "A", "alku", "yksinaisyys", 5), (MENTORING, "B", "alku", "yksinaisyys", 4),
                          (MENTORING, "C", "alku", "yksinaisyys", 2), (MENTORING, "A", "loppu", "yksinaisyys", 4),
                          (MENTORING, "B", "loppu", "yksinaisyys", 2), (MENTORING, "A", "loppu", "vanhemmuus", 5),
                          (MENTORING, "B", "loppu", "vanhemmuus", 3)])


def _feedback(service: dict, **columns) -> pd.DataFrame:
    """A clean client-feedback table of one service: every item column, empty unless given."""
    n = len(next(iter(columns.values())))
    items = {k: [None] * n for k in ("suosittelu", *hyte_figures.FEEDBACK_ITEMS, "avoin")}
    return pd.DataFrame({"alue": service["alue"], "palvelu": service["palvelu"], **items, **columns})


def _figures(measurements: pd.DataFrame | None = None, feedback: pd.DataFrame | None = None) -> pd.DataFrame:
    out = FigureTable()
    if measurements is not None:
        hyte_figures.measurements(measurements, out)
    if feedback is not None:
        hyte_figures.feedback({"asiakaspalaute": feedback}, 2024, out)
    return out.frame()


def _section(figures: pd.DataFrame, previous: pd.DataFrame | None = None, folder: Paths | None = None):
    section = hyte.HyteSection(2024, figures, previous, Path("."), Path("/ei/ole.csv"), folder)
    section.hidden = hyte.hidden_figures(figures, 2024, CONFIG)
    section.comparison_hidden = {} if previous is None else hyte.hidden_figures(previous, 2023, CONFIG)
    return section


# -- the rule, one kind of derived figure at a time -----------------------------------------------------
def test_a_change_in_percentage_points_of_three_and_two_clients_is_hidden():
    figures = _figures(issue_case())
    change = figures.loc["per_mentor_yksinaisyys_muutos"]
    assert round(change["arvo"]) == 17 and change["n"] == 2  # what the page printed before
    assert list(change["perusta"]) == [2, 1, 1, 1, 2]  # 2 of 3 at the start, 1 of 2 at the end, 2 paired
    hidden = hyte.hidden_figures(figures, 2024, CONFIG)
    assert hidden["per_mentor_yksinaisyys_muutos"] == display.Hidden(HIDDEN, LT5)
    assert hidden["per_mentor_alku_n"].value == hidden["per_mentor_loppu_n"].value == LT5
    section = _section(figures)
    lines = hyte.single_shares(section, next(b for b in hyte.wellbeing_blocks("perheet") if "asiakkaat" in b))
    text = " ".join(lines)
    assert "17" not in text and "väheni" not in text and "Haitallinen yksinäisyys: muutosta ei näytetä (..)" in text


def test_a_change_of_many_clients_with_few_on_one_side_is_hidden_and_one_without_is_shown():
    # 10 at the start (2 lonely), 8 at the end (1 lonely): n is large, but 2 and 1 follow from 12 points
    rows = [(MENTORING, f"K{i}", "alku", "yksinaisyys", 5 if i < 2 else 1) for i in range(10)]
    rows += [(MENTORING, f"K{i}", "loppu", "yksinaisyys", 5 if i < 1 else 1) for i in range(8)]
    figures = _figures(_measurements(rows))
    assert round(figures.loc["per_mentor_yksinaisyys_muutos", "arvo"]) == 8
    assert hyte.hidden_figures(figures, 2024, CONFIG)["per_mentor_yksinaisyys_muutos"] == display.Hidden(HIDDEN)
    rows = [(MENTORING, f"K{i}", "alku", "yksinaisyys", 5 if i < 6 else 1) for i in range(12)]
    rows += [(MENTORING, f"K{i}", "loppu", "yksinaisyys", 5 if i < 5 else 1) for i in range(10)]
    figures = _figures(_measurements(rows))  # 6 of 12 and 5 of 10: nothing small
    assert "per_mentor_yksinaisyys_muutos" not in hyte.hidden_figures(figures, 2024, CONFIG)
    assert _section(figures).luku("per_mentor_yksinaisyys_muutos") == f"0{NBSP}prosenttiyksikköä"


def test_a_share_of_two_clients_is_hidden_with_its_n():
    figures = _figures(issue_case())
    assert figures.loc["per_mentor_vanhemmuus", ["arvo", "n"]].tolist() == [50.0, 2]
    assert hyte.hidden_figures(figures, 2024, CONFIG)["per_mentor_vanhemmuus"] == display.Hidden(HIDDEN, LT5)
    line = hyte.single_shares(_section(figures), next(b for b in hyte.wellbeing_blocks("perheet")
                                                      if "asiakkaat" in b))[-1]
    assert line == f"Toiminta tukee vanhemmuutta: .. (n = {LT5})"


def test_a_share_of_a_feedback_item_with_one_client_disagreeing_is_hidden():
    answers = _feedback({"alue": "nuoret", "palvelu": "Keskusteluapu"}, suosittelu=[10] * 9,
                        selkiintyi=[5] * 8 + [2], ymmarrys=[5] * 9, ongelmanratkaisu=[4] * 4 + [1] * 5)
    hidden = hyte.hidden_figures(_figures(feedback=answers), 2024, CONFIG)
    assert hidden["nuo_koki_selkiintyi"] == display.Hidden(HIDDEN)  # 89 % of 9: 1 did not agree
    assert "nuo_koki_ymmarrys" not in hidden  # 100 % of 9: nobody did not
    assert "nuo_koki_ongelmanratkaisu" in hidden  # 44 % of 9: 4 agreed


def test_an_nps_that_gives_away_one_passive_is_hidden_and_one_of_three_answers_too():
    # 5 promoters and 1 passive: n = 6 is not small, but +83 with n = 6 has a single solution
    answers = _feedback(MENTORING, suosittelu=[10] * 5 + [8])
    figures = _figures(feedback=answers)
    assert round(figures.loc["per_nps", "arvo"]) == 83 and figures.loc["per_nps", "n"] == 6
    hidden = hyte.hidden_figures(figures, 2024, CONFIG)
    assert hidden["per_nps"] == display.Hidden(HIDDEN) and hidden["nps"] == display.Hidden(HIDDEN)
    assert hyte.nps_sentences(_section(figures), "perheet") == [
        "Perhepalveluiden suositteluluku NPS on piilotettu (n = 6)."]
    answers = _feedback(MENTORING, suosittelu=[10, 9, 3])
    assert hyte.hidden_figures(_figures(feedback=answers), 2024, CONFIG)["per_nps"] == display.Hidden(HIDDEN, LT5)
    # 4 promoters, 2 passives, 2 detractors: +25 of 8 has other solutions (3, 4, 1): shown
    answers = _feedback(MENTORING, suosittelu=[10] * 4 + [8] * 2 + [2] * 2)
    assert "per_nps" not in hyte.hidden_figures(_figures(feedback=answers), 2024, CONFIG)


def test_a_change_of_a_mean_of_three_clients_is_hidden():
    rows = [(ADULTS, c, point, "se_yksinaisyys", value) for c, point, value in
            [("A", "alku", 40), ("B", "alku", 30), ("C", "alku", 35), ("A", "loppu", 30), ("B", "loppu", 25),
             ("C", "loppu", 20)]]
    figures = _figures(_measurements(rows))
    assert round(figures.loc["aik_se_yksinaisyys_muutos", "arvo"]) == 29 and figures.loc["aik_se_yksinaisyys_muutos", "n"] == 3
    hidden = hyte.hidden_figures(figures, 2024, CONFIG)
    assert hidden["aik_se_yksinaisyys_muutos"] == display.Hidden(HIDDEN, LT5)
    block = next(b for b in hyte.wellbeing_blocks("aikuiset") if "keskiarvot" in b)
    line = next(x for x in hyte.single_shares(_section(figures), block) if x.startswith("Sosiaalinen"))
    assert "29" not in line and "keskiarvon muutosta ei näytetä (..)" in line and f"(n = {LT5})" in line


def test_a_difference_between_years_is_hidden_where_last_years_figure_was(monkeypatch):
    rows = [(MENTORING, f"K{i}", "alku", "yksinaisyys", 5 if i < 6 else 1) for i in range(12)]
    rows += [(MENTORING, f"K{i}", "loppu", "yksinaisyys", 5 if i < 5 else 1) for i in range(10)]
    now, before = _figures(_measurements(rows)), _figures(issue_case())  # last year: the issue's 3 and 2 clients
    shown = []
    monkeypatch.setattr(display, "display", lambda obj: shown.append(obj.data))
    display.Page(_section(now, before)).section_figures("perheet")
    listing = BeautifulSoup(shown[0], "html.parser")
    heads = [th.get_text() for th in listing.select("thead th")]
    assert heads == ["Luku", "2023", "2024", "n", "Muutos"]
    row = next([td.get_text() for td in tr.find_all("td")] for tr in listing.select("tbody tr")
               if tr.td.get_text() == now.loc["per_mentor_yksinaisyys_muutos", "nimi"])
    assert row == [now.loc["per_mentor_yksinaisyys_muutos", "nimi"], HIDDEN, f"0{NBSP}prosenttiyksikköä", "10",
                   HIDDEN]  # last year's 17 hidden, so the change from it too
    assert "pienten lukujen suojaus" in shown[0]


def test_the_index_hides_the_derived_figures_too(tmp_path):
    figures = _figures(issue_case())
    figures.to_parquet(tmp_path / "luvut.parquet")
    folder = Paths.of(2024, "hyte", ROOT, processed=tmp_path)
    assert hyte.hidden_in(folder)["per_mentor_yksinaisyys_muutos"] == display.Hidden(HIDDEN, LT5)


# -- the analyst's texts --------------------------------------------------------------------------------
def test_the_issues_sentence_in_the_analysts_text_shows_no_change(tmp_path):
    for name in ("reports.yml", "organisaatio.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    texts = tmp_path / "tekstit" / "2024" / "hyte"
    texts.mkdir(parents=True)
    (texts / "perheet.md").write_text("<!-- osa: mentorointi -->\nHaitallinen yksinäisyys väheni "
                                      "{per_mentor_yksinaisyys_muutos} (n = {per_mentor_yksinaisyys_muutos.n}).\n",
                                      encoding="utf-8")
    section = _section(_figures(issue_case()), folder=Paths.of(2024, "hyte", tmp_path))
    filled = display.texts(section, "perheet").filled("mentorointi")
    assert filled == f"Haitallinen yksinäisyys väheni .. (n = {LT5})."
    assert "pienten lukujen suojaus" in " ".join(section.take_footnotes())


# -- a page built by papermill from a crafted figures table ---------------------------------------------
def test_the_families_page_built_from_three_and_two_clients_shows_no_change(built, tmp_path):
    from hyte_nb.pipeline import pipeline

    root, _ = built
    processed = tmp_path / "processed"
    shutil.copytree(root / "processed", processed, ignore=shutil.ignore_patterns("muistiot"))
    figures = pd.read_parquet(processed / "luvut.parquet")
    small = _figures(issue_case())
    ids = ["per_mentor_alku_n", "per_mentor_loppu_n", "per_mentor_yksinaisyys_muutos", "per_mentor_vanhemmuus"]
    for fid in ids:
        for column in ("arvo", "n", "perusta"):
            figures.at[fid, column] = small.at[fid, column]
    figures.to_parquet(processed / "luvut.parquet")
    executed = tmp_path / "perheet.ipynb"
    pipeline.run_notebook(ROOT / "notebooks" / "03_palvelualue.ipynb", executed,
                          {"vuosi": 2024, "alue": "perheet", "kasitelty_kansio": str(processed)}, ROOT)
    page = pipeline.render(executed, tmp_path / "perheet.html", "Perheet")
    main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main").get_text(" ")
    text = re.sub(r"\s+", " ", main.replace(NBSP, " ")).translate({ord(c): None for c in "⁰¹²³⁴⁵⁶⁷⁸⁹"})
    assert "väheni 17" not in text and "17 prosenttiyksikköä" not in text
    assert "Haitallinen yksinäisyys: muutosta ei näytetä (..), koska siitä voisi päätellä alle 5 asiakkaan" in text
    assert "Mitattuja asiakkaita oli alkukartoituksessa < 5 ja lopetustapaamisessa < 5." in text
    assert "Toiminta tukee vanhemmuutta: .. (n = < 5)" in text
    # the section's folded list of figures is in the appendix page, built from the same figures
    appendix = tmp_path / "liitteet.ipynb"
    pipeline.run_notebook(ROOT / "notebooks" / "09_liitteet.ipynb", appendix,
                          {"vuosi": 2024, "kasitelty_kansio": str(processed)}, ROOT)
    page = pipeline.render(appendix, tmp_path / "liitteet.html", "Liitteet")
    main = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("main").get_text(" ")
    text = re.sub(r"\s+", " ", main.replace(NBSP, " ")).translate({ord(c): None for c in "⁰¹²³⁴⁵⁶⁷⁸⁹"})
    assert "Perhementoritoiminta: Haitallinen yksinäisyys väheni 17" not in text  # other services' rows stay
    assert "Perhementoritoiminta: Haitallinen yksinäisyys väheni .. < 5" in text


def test_last_years_table_written_before_figures_recorded_their_counts_hides_by_its_n():
    legacy = _figures(issue_case()).drop(columns=["perusta", "lahteet"])
    hidden = hyte.hidden_figures(legacy, 2023, CONFIG)
    assert hidden["per_mentor_yksinaisyys_muutos"] == display.Hidden(HIDDEN, LT5)  # n = 2
    assert hidden["per_mentor_vanhemmuus"] == display.Hidden(HIDDEN, LT5)  # 1 of 2
