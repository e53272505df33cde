"""The charts' contract with the pages (fig.alt_text, fig.data_table) and the house rules that
make a chart readable: one title or none, legend clear of the title, every segment of 3 % or
more labelled with its % sign, frequency scales not drawn as agree/disagree, whole dots at 0 %,
the same width for every chart, text legible in a 400 px column, 3:1 contrast."""

import io
import re

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.text import Text
from PIL import Image

from hyte_nb.core import charts
from hyte_nb.core.fmt import NBSP

AREAS = pd.DataFrame({"Asiakastapaamiset": [6489.0, 1621.0, 7374.0, 2000.0],
                      "Tapahtumat": [13982.0, 14144.0, 10917.0, 1791.0]},
                     index=["Senioripalvelut", "Perhepalvelut", "Nuorten palvelut", "Aikuispalvelut"])
FREQUENCY = ["Päivittäin tai lähes päivittäin", "Viikoittain", "Kuukausittain", "Satunnaisesti",
             "En tee hyte-ohjausta"]
SMOOTHNESS = ["Sujuvaa", "Melko sujuvaa", "Melko haastavaa", "Haastavaa"]
ACTORS = {"Keski-Suomen hyvinvointialue": [4.3, 43.5, 44.3, 7.8], "Seurakunnat": [12.0, 34.0, 42.0, 12.0],
          "Kunnat": [6.0, 40.0, 48.0, 6.0], "Järjestöt": [9.0, 38.0, 43.0, 10.0]}


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]


def on_axes(fig) -> list[str]:
    """Values written on the plot ("37 %", "20 471"), not its row labels, the legend or the title."""
    return [t.get_text() for t in fig.axes[0].texts if re.fullmatch(r"[\d\u00a0\u2212]+(\u00a0%)?", t.get_text())]


def png_width(fig) -> int:
    """The width of the image a page shows (charts.png)."""
    return Image.open(io.BytesIO(charts.png(fig))).width


def every_chart():
    return {
        "horizontal_bars": charts.horizontal_bars(["Ryhmätoiminta", "Keskusteluapu", "Digituki"], [45.2, 30.1, 4.7],
                                                  "Vapaaehtoistehtävien jakauma", note="n = 948 tehtävää",
                                                  percent=True),
        "stacked_encounters": charts.stacked_encounters(AREAS, "Kohtaamiset palvelualueittain"),
        "before_after": charts.before_after(["Haitallinen yksinäisyys", "Toiveikkuus"], [74.0, 0.0], [64.0, 62.0],
                                            "Keskusteluapu: osuus asiakkaista", note="n = 109"),
        "diverging": charts.diverging(ACTORS, SMOOTHNESS, None, note="n = 115"),
        "frequency": charts.diverging({"Hyte-ohjauksen tekeminen": [35.0, 27.0, 9.0, 19.0, 9.0]}, FREQUENCY, None,
                                      note="n = 119"),
        "bars_with_intervals": charts.bars_with_intervals(["Kiire", "Muu"], [71.3, 19.1], [62.5, 12.9],
                                                          [78.8, 27.3], None, note="n = 115"),
        "years_side_by_side": charts.years_side_by_side(SMOOTHNESS, [2.9, 39.8, 44.7, 12.6], [4.3, 43.5, 44.3, 7.8],
                                                        2023, 2024, None, note="n = 103 (2023), 115 (2024)",
                                                        illustrative=True),
        "grouped_bars": charts.grouped_bars(["Liikunta", "Vertaistuki", "Muu"],
                                            {"Keski-Suomen hyvinvointialue": [80.0, 70.0, 10.0],
                                             "Pohjois-Savon hyvinvointialue": [96.0, 75.0, 15.0],
                                             "Etelä-Pohjanmaan hyvinvointialue": [92.0, 81.0, 8.0]}, None,
                                            note="n = 123, 122 ja 121"),
        "small_shares": charts.bars_with_intervals(["Sosiaalihuollon ammattilainen", "Muu ammattilainen"], [2.8, 1.3],
                                                   [2.2, 0.6], [3.7, 2.8], None, note="n = 5 950", small=True),
    }


@pytest.fixture(scope="module")
def drawn():
    figures = every_chart()
    yield figures
    for fig in figures.values():
        charts.plt.close(fig)


# -- the contract: alt text and data table -------------------------------------------------------
def test_horizontal_bars_alt_text_and_table():
    fig = charts.horizontal_bars(list(AREAS.index), list(AREAS.sum(axis=1)), "Kohtaamiset palvelualueittain",
                                 category="Palvelualue", value_name="Kohtaamisia, lkm")
    assert plain(fig.alt_text) == ("Pylväskuvio: kohtaamiset palvelualueittain. Senioripalvelut 20 471, "
                                   "Nuorten palvelut 18 291, Perhepalvelut 15 765, Aikuispalvelut 3 791.")
    assert list(fig.data_table.columns) == ["Palvelualue", "Kohtaamisia, lkm"]
    assert fig.data_table.values.tolist()[0] == ["Senioripalvelut", f"20{NBSP}471"]
    charts.plt.close(fig)


def test_percent_bars_say_percent(drawn):
    fig = drawn["horizontal_bars"]
    assert plain(fig.alt_text) == ("Pylväskuvio: vapaaehtoistehtävien jakauma. Ryhmätoiminta 45 %, "
                                   "Keskusteluapu 30 %, Digituki 5 %. n = 948 tehtävää.")
    assert f"45{NBSP}%" in fig.alt_text
    assert fig.data_table.to_dict("list") == {"Luokka": ["Ryhmätoiminta", "Keskusteluapu", "Digituki"],
                                              "Osuus, %": ["45", "30", "5"]}


def test_stacked_encounters_alt_text_and_table(drawn):
    fig = drawn["stacked_encounters"]
    assert plain(fig.alt_text).startswith(
        "Pinottu pylväskuvio: kohtaamiset palvelualueittain. Asiakastapaamiset ja tapahtumat pinottuina. "
        "Senioripalvelut 20 471 (asiakastapaamiset 6 489, tapahtumat 13 982), Perhepalvelut 15 765")
    assert list(fig.data_table.columns) == ["Palvelualue", "Asiakastapaamiset, kohtaamisia",
                                            "Tapahtumat, kohtaamisia", "Yhteensä, kohtaamisia"]
    assert [plain(v) for v in fig.data_table.iloc[2]] == ["Nuorten palvelut", "7 374", "10 917", "18 291"]
    assert {"20 471", "15 765", "18 291", "3 791", "6 489", "13 982"} <= {plain(t) for t in on_axes(fig)}


def test_before_after_alt_text_and_table(drawn):
    fig = drawn["before_after"]
    assert plain(fig.alt_text) == ("Pistekuvio: keskusteluapu: osuus asiakkaista. Alkumittaus ja loppumittaus. "
                                   "Haitallinen yksinäisyys 74 % → 64 %, Toiveikkuus 0 % → 62 %. n = 109.")
    assert fig.data_table.to_dict("list") == {"Hyvinvointitulos": ["Haitallinen yksinäisyys", "Toiveikkuus"],
                                              "Alkumittaus, %": ["74", "0"], "Loppumittaus, %": ["64", "62"]}


def test_diverging_alt_text_and_table(drawn):
    fig = drawn["diverging"]
    alt = plain(fig.alt_text)
    assert alt.startswith("Hajaantuva pylväskuvio. Myönteisiä (sujuvaa ja melko sujuvaa) yhteensä "
                          "Keski-Suomen hyvinvointialue 48 %, Seurakunnat 46 %")
    assert "Keski-Suomen hyvinvointialue: Sujuvaa 4 %, Melko sujuvaa 44 %, Melko haastavaa 44 %, Haastavaa 8 %; " \
           "Seurakunnat: Sujuvaa 12 %" in alt
    assert alt.endswith("n = 115.")
    assert list(fig.data_table.columns) == ["Kohde", "Sujuvaa, %", "Melko sujuvaa, %", "Melko haastavaa, %",
                                            "Haastavaa, %"]
    assert fig.data_table.iloc[0].tolist() == ["Keski-Suomen hyvinvointialue", "4", "44", "44", "8"]


def test_intervals_alt_text_and_table(drawn):
    fig = drawn["bars_with_intervals"]
    assert plain(fig.alt_text) == ("Pylväskuvio. Viikset näyttävät 95 %:n luottamusvälin. Kiire 71 %, Muu 19 %. "
                                   "n = 115.")
    assert fig.data_table.to_dict("list") == {"Vastaus": ["Kiire", "Muu"], "Osuus, %": ["71", "19"],
                                              "95 %:n luottamusväli, %": ["63–79", "13–27"]}


def test_years_alt_text_and_table(drawn):
    fig = drawn["years_side_by_side"]
    assert plain(fig.alt_text).startswith("Pylväskuvio. Vuodet 2023 (havainnollistava) ja 2024. Sujuvaa 3 % → 4 %, "
                                          "Melko sujuvaa 40 % → 44 %")
    assert list(fig.data_table.columns) == ["Vastaus", "2023 (havainnollistava), %", "2024, %"]
    assert fig.data_table.iloc[3].tolist() == ["Haastavaa", "13", "8"]


def test_every_chart_carries_the_contract(drawn):
    for name, fig in drawn.items():
        assert isinstance(fig, matplotlib.figure.Figure), name
        assert isinstance(fig.alt_text, str) and len(fig.alt_text) > 30, name
        assert "No description" not in fig.alt_text
        table = fig.data_table
        assert isinstance(table, pd.DataFrame) and len(table) >= 2, name
        assert all(isinstance(v, str) for v in table.to_numpy().ravel()), name
        assert all("," in c for c in table.columns[1:]), f"{name}: unit in every number header: {list(table)}"


# -- scales ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("scale, kind", [
    (FREQUENCY, "one-directional"),
    (SMOOTHNESS, "diverging"),
    (["Hyödyllisenä", "Melko hyödyllisenä", "Melko hyödyttömänä", "Hyödyttömänä"], "diverging"),
    (["Hyvin", "Melko hyvin", "Melko huonosti", "Huonosti"], "diverging"),
    (["Helposti", "Melko helposti", "Melko vaikeasti", "Vaikeasti"], "diverging"),
    (["Täysin samaa mieltä", "Jokseenkin samaa mieltä", "Jokseenkin eri mieltä", "Täysin eri mieltä"],
     "diverging"),
    (["Kyllä", "Ei", "En osaa sanoa"], "one-directional"),
])
def test_scale_kind(scale, kind):
    assert charts.scale_kind(scale) == kind


def test_frequency_is_not_drawn_as_agreement(drawn):
    fig = drawn["frequency"]
    assert fig.alt_text.startswith("Pylväskuvio")  # one row: plain bars in the scale's order
    assert [plain(t) for t in on_axes(fig)] == ["35 %", "27 %", "9 %", "19 %", "9 %"]
    stacked = charts.diverging({"A": [35, 27, 9, 19, 10], "B": [5, 10, 20, 30, 35]}, FREQUENCY, None)
    assert stacked.alt_text.startswith("Pinottu pylväskuvio")
    assert min(p.get_x() for p in stacked.axes[0].patches) >= 0  # nothing left of zero
    forced = charts.diverging({"A": [35, 27, 9, 19, 10]}, FREQUENCY, None, kind="diverging")
    assert forced.alt_text.startswith("Hajaantuva")
    for fig in (stacked, forced):
        charts.plt.close(fig)
    with pytest.raises(ValueError):
        charts.diverging({"A": [50, 50]}, ["Kyllä", "Ei"], kind="ympyrä")


# -- house rules -----------------------------------------------------------------------------------
def test_every_segment_of_three_percent_is_labelled_with_its_sign(drawn):
    labels = on_axes(drawn["diverging"])
    for shares in ACTORS.values():
        for share in shares:
            assert f"{round(share)}{NBSP}%" in labels
    assert all(t.endswith(f"{NBSP}%") for t in labels)
    small = charts.diverging({"A": [1.0, 3.0, 48.0, 48.0]}, SMOOTHNESS, None)
    assert sorted(on_axes(small)) == sorted([f"3{NBSP}%", f"48{NBSP}%", f"48{NBSP}%"])  # 1 % stays unlabelled
    charts.plt.close(small)


def test_one_title_or_none(drawn):
    fig = drawn["stacked_encounters"]
    assert texts(fig).count("Kohtaamiset palvelualueittain") == 1
    untitled = drawn["diverging"]
    assert untitled._suptitle is None and not untitled.axes[0].get_title()
    usefulness = ["Hyödyllisenä", "Melko hyödyllisenä", "Melko hyödyttömänä", "Hyödyttömänä"]
    single = charts.diverging({"Hyte-ohjaamisen hyödyllisyys": [59, 33, 7, 1]}, usefulness, None)
    assert "Hyte-ohjaamisen hyödyllisyys" not in texts(single)  # the heading above names it
    charts.plt.close(single)


def test_legend_sits_under_the_plot_not_on_the_title(drawn):
    for name in ("before_after", "diverging", "years_side_by_side", "stacked_encounters", "grouped_bars"):
        fig = drawn[name]
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legend = fig.axes[1].get_legend().get_window_extent(renderer)
        plot = fig.axes[0].get_tightbbox(renderer)
        assert legend.y1 <= plot.y0 + 1, name  # display coordinates grow upwards
        if fig._suptitle is not None:
            assert not legend.overlaps(fig._suptitle.get_window_extent(renderer)), name


def test_dots_at_zero_are_whole(drawn):
    ax = drawn["before_after"].axes[0]
    assert ax.get_xlim()[0] < 0
    dots = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(dots) == 2 and all(not c.get_clip_on() for c in dots)


def test_every_chart_is_drawn_at_the_same_width_and_legible_on_a_phone(drawn):
    column = 350  # a 400 px wide phone less the page's padding
    for name, fig in drawn.items():
        width = png_width(fig)
        assert charts.WIDTH * charts.DPI <= width <= charts.WIDTH * charts.DPI + 30, (name, width)
        smallest = min(t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip())
        assert smallest * charts.DPI / 72 * column / width >= 10, (name, smallest)


def test_the_image_is_savefigs_tight_image_from_one_draw(drawn):
    """charts.png cuts one full-size draw where savefig(bbox_inches="tight") draws twice: the same
    size, and the same ink, at most a fraction of a pixel apart (savefig shifts the drawing by the
    cut's fractional offset, so antialiased edges differ)."""
    for name, fig in drawn.items():
        saved = io.BytesIO()
        fig.savefig(saved, format="png", bbox_inches="tight")
        cut, whole = (np.asarray(Image.open(b).convert("L"), dtype=float)
                      for b in (io.BytesIO(charts.png(fig)), saved))
        assert cut.shape == whole.shape, name
        ink = [np.argwhere(image < 128) for image in (cut, whole)]  # dark pixels: text, bars, lines
        assert abs(len(ink[0]) - len(ink[1])) <= 0.05 * len(ink[1]), name
        assert np.abs(ink[0].min(axis=0) - ink[1].min(axis=0)).max() <= 1, name
        assert np.abs(ink[0].max(axis=0) - ink[1].max(axis=0)).max() <= 1, name


def test_a_chart_whose_ink_leaves_the_figure_is_cut_by_savefig(monkeypatch):
    fig = charts.horizontal_bars(["Ryhmätoiminta", "Keskusteluapu"], [45.2, 30.1], "Tehtävät")
    fig.text(1.02, 0.5, "reunan yli")  # beyond the right edge: a cut of the drawing would lose it
    saved = []
    real = type(fig).savefig
    monkeypatch.setattr(type(fig), "savefig", lambda self, *a, **k: saved.append(k) or real(self, *a, **k))
    image = Image.open(io.BytesIO(charts.png(fig)))
    assert saved == [{"format": "png", "bbox_inches": "tight"}]
    assert image.width > charts.WIDTH * charts.DPI
    charts.plt.close(fig)


def test_nothing_leaves_the_figure():
    long_label = "Toteuttaisin hyte-ohjausta enemmän yhteisen toimintamallin myötä ja vielä vähän pidemmin"
    fig = charts.bars_with_intervals([long_label, "Toimintamalli voisi hyödyttää omaa työtäni"], [61, 70],
                                     [52, 61], [69, 77], "Yhteisen hyte-ohjauksen toimintamallin tarve: Kyllä, pitkä otsikko",
                                     note="Osuus vastaajista, n = 120, valittujen vastausten lkm = 294; viikset: "
                                          "95 %:n luottamusväli")
    assert png_width(fig) <= charts.WIDTH * charts.DPI + 30
    charts.plt.close(fig)


def test_contrast_and_not_colour_alone(drawn):
    for name, fig in drawn.items():
        ax = fig.axes[0]
        for patch in ax.patches:
            assert charts.contrast(patch.get_facecolor()) >= 3, name
        for collection in ax.collections:
            for colour in collection.get_edgecolor():
                assert charts.contrast(colour) >= 3, name
    # several categories: a pattern as well as a colour for each, in the bars and the legend
    fig = drawn["diverging"]
    assert len({p.get_hatch() for p in fig.axes[1].get_legend().get_patches()}) == len(SMOOTHNESS)
    years = drawn["years_side_by_side"]
    assert {p.get_hatch() for p in years.axes[0].patches} == {"///", None}
    # values on a segment: 4.5:1 against the segment
    for colour in charts.diverging_colours(5) + charts.sequential_colours(6) + [charts.PURPLE, charts.MID_PURPLE]:
        assert charts.contrast(colour) >= 3
        assert charts.contrast(colour, charts._text_on(colour)) >= 4.5


def test_top_folds_a_long_single_choice_list():
    names = [f"Kunta {i}" for i in range(12)]
    shares = [45.0] + [5.0] * 11
    fig = charts.bars_with_intervals(names, shares, [s - 2 for s in shares], [s + 2 for s in shares], None, top=5)
    drawn_labels = [t.get_text() for t in fig.axes[0].texts]
    assert "Muut (7 vaihtoehtoa)" in drawn_labels and f"35{NBSP}%" in drawn_labels
    assert len(fig.data_table) == 12  # the table keeps every option
    charts.plt.close(fig)


# -- a missing value (NaN): the rest drawn, the missing one named -------------------------------------
NAN = float("nan")
MISSING_NOTE = "Puuttuu: {} (luku piilotettu tai ei mitattu)"


def rendered(fig) -> list[str]:
    """The figure drawn to PNG (as a page does), then its texts."""
    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
    return [plain(t).replace("\n", " ") for t in texts(fig)]


@pytest.mark.parametrize("make, missing, shown", [
    (lambda: charts.horizontal_bars(["Digituki", "Ryhmätoiminta", "Keskusteluapu"], [NAN, 45.2, 30.1],
                                    "Tehtävät", note="n = 948", percent=True),
     "Digituki", ["Ryhmätoiminta 45 %", "Keskusteluapu 30 %"]),
    (lambda: charts.horizontal_bars(["Digituki", "Ryhmätoiminta"], [NAN, 12.0], "Tehtävät", sort=False),
     "Digituki", ["Ryhmätoiminta 12"]),
    (lambda: charts.diverging({"Hyte-ohjaus": [NAN, 27.0, 9.0, 19.0, 9.0]}, FREQUENCY, None, kind="bars",
                              note="n = 119"),
     "Päivittäin tai lähes päivittäin", ["Viikoittain 27 %", "En tee hyte-ohjausta 9 %"]),
    (lambda: charts.bars_with_intervals(["Kiire", "Muu"], [NAN, 19.1], [NAN, 12.9], [NAN, 27.3], None,
                                        note="n = 115"),
     "Kiire", ["Muu 19 %"]),
    (lambda: charts.stacked_encounters(AREAS.assign(Asiakastapaamiset=[NAN, 1621.0, 7374.0, 2000.0]), "Kohtaamiset"),
     "Senioripalvelut: asiakastapaamiset", ["Perhepalvelut 15 765"]),
    (lambda: charts.diverging({"A": [NAN, 43.5, 44.3, 7.8], "B": [12.0, 34.0, 42.0, 12.0]}, SMOOTHNESS, None),
     "A: Sujuvaa", ["B: Sujuvaa 12 %"]),
    (lambda: charts.before_after(["Yksinäisyys", "Toiveikkuus"], [NAN, 10.0], [64.0, 62.0], "Tulos"),
     "Yksinäisyys (alkumittaus)", ["Toiveikkuus 10 % → 62 %"]),
    (lambda: charts.years_side_by_side(SMOOTHNESS, [NAN, 39.8, 44.7, 12.6], [4.3, 43.5, 44.3, 7.8], 2023, 2024),
     "Sujuvaa (2023)", ["Melko sujuvaa 40 % → 44 %"]),
    (lambda: charts.grouped_bars(["Liikunta", "Muu"], {"Alue A": [NAN, 10.0], "Alue B": [96.0, 15.0]}),
     "Liikunta: Alue A", ["Muu: Alue A 10 %, Alue B 15 %"]),
])
def test_a_missing_value_draws_the_rest_and_is_named(make, missing, shown):
    fig = make()
    drawn = rendered(fig)  # a NaN first used to stop the chart: "Axis limits cannot be NaN or Inf"
    note = MISSING_NOTE.format(missing)
    alt = plain(fig.alt_text)
    assert note + "." in alt
    assert all(item in alt for item in shown), alt
    assert "nan" not in alt.lower() and not any("nan" in t.lower() for t in drawn)
    assert any(note in t for t in drawn), drawn  # the note in the chart itself, not only in the alt text
    cells = fig.data_table.to_numpy().ravel().tolist()
    assert "–" in cells and "–––" not in cells  # the table keeps the row, its number missing
    charts.plt.close(fig)


def test_a_missing_bar_keeps_its_row_last_and_a_page_may_say_why():
    fig = charts.horizontal_bars(["Digituki (< 5)", "Ryhmätoiminta", "Keskusteluapu"], [NAN, 45.2, 30.1],
                                 "Tehtävät", note="n = 948", percent=True,
                                 missing="Piilotettu pienten lukujen suojauksen vuoksi: {}")
    rendered(fig)
    assert fig.data_table["Luokka"].tolist() == ["Ryhmätoiminta", "Keskusteluapu", "Digituki (< 5)"]
    assert plain(fig.alt_text) == ("Pylväskuvio: tehtävät. Ryhmätoiminta 45 %, Keskusteluapu 30 %. n = 948. "
                                   "Piilotettu pienten lukujen suojauksen vuoksi: Digituki (< 5).")
    charts.plt.close(fig)


def test_every_value_missing_still_draws_and_says_so():
    fig = charts.horizontal_bars(["A", "B"], [NAN, NAN], "Tehtävät")
    rendered(fig)
    assert plain(fig.alt_text) == "Pylväskuvio: tehtävät. Puuttuu: A, B (luku piilotettu tai ei mitattu)."
    charts.plt.close(fig)


@pytest.mark.parametrize("text", ["Hyte-ohjauksen sujuvuus", "Päivittäin tai lähes päivittäin", "58\u00a0318",
                                  f"37{NBSP}%", "Keski-Suomen hyvinvointialue\nÅbo – «Jyväskylä»", "  ", "",
                                  "a $x^2$ b", r"maksu \$5", "j"])
@pytest.mark.parametrize("size, bold", [(charts.FONT, False), (charts.TITLE, True), (charts.SMALL, False)])
def test_text_width_is_what_textpath_measures(text, size, bold):
    """The glyph-by-glyph width the layout uses equals TextPath's outline extents, the slow way."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextPath

    font = FontProperties(family="sans-serif", weight="bold" if bold else "normal")
    slow = max((TextPath((0, 0), line, size=size, prop=font).get_extents().width / 72 if line.strip() else 0)
               for line in text.splitlines() or [""]) + size / 72 * 0.15
    assert charts._text_width(text, size, bold) == pytest.approx(slow, rel=1e-12, abs=1e-12)
    if text.strip():
        assert charts._text_width(text, size, bold) > size / 72 * 0.15
