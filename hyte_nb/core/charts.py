"""How a figure is drawn: one house style for every chart of every report.

Every chart function returns a matplotlib Figure that carries, for the page beside the image:

- ``fig.alt_text``: a Finnish alt text written from the data (what the chart shows and its
  main numbers), e.g. "Pylväskuvio: kohtaamiset palvelualueittain. Senioripalvelut 20 471, …";
- ``fig.data_table``: the chart's numbers as a DataFrame of formatted strings; the first column
  is the category text, the others are numbers with their unit in the header ("Osuus, %").

House rules, so that a chart reads on paper and on a phone:

- Drawn 5.6 in wide at 100 dpi (560 px) with 13 pt text: the HTML scales an image to its
  column, and in a 400 px phone column the text is still about 11 px. Long labels wrap.
- One title per chart, or none: under a heading that already names the question pass
  ``title=None`` (and ``subject=`` for the alt text if the title said more than the heading).
- Legends sit under the plot, never on the title; the n-note is the last line.
- Every segment of 3 % or more carries its value with the % sign ("37 %"); a segment too
  narrow for its label gets it just under the bar. Values use hyte_nb.core.fmt.
- Colour is never the only carrier of meaning: series differ by pattern or marker shape as
  well, and every value is written out. Every colour has at least 3:1 contrast with white.
- Ordered scales: ``diverging(..., kind=...)`` draws agreement and evaluation scales (both ends
  meaningful: Sujuvaa … Haastavaa) diverging around the midpoint, and frequency and other
  one-directional scales (Päivittäin … En tee) as plain bars or 100 % stacked bars.
  ``kind="auto"`` (the default) decides from the categories, see ``scale_kind``.
- A missing value (NaN: a hidden small count, a figure not measured) never stops a chart: its
  row keeps its place with no bar and "–", and the note under the chart and the alt text name
  it ("Puuttuu: Digituki (luku piilotettu tai ei mitattu)"; a page may word it with ``missing=``).
"""

from __future__ import annotations

import functools
import io
import math

import matplotlib
import numpy as np
import pandas as pd

matplotlib.use("Agg")  # papermill runs have no display; inline output still works in JupyterLab
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.font_manager import FontProperties, findfont  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.path import Path as GlyphPath  # noqa: E402
from matplotlib.textpath import TextPath, text_to_path  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from hyte_nb.core import fmt  # noqa: E402

WIDTH = 5.6  # inches: 560 px at 100 dpi
DPI = 100
FONT = 13  # tick labels, value labels, legend
SMALL = 12  # the n-note
TITLE = 14
MIN_LABELLED = 3  # every segment of at least this many per cent carries its value

# Every colour has at least 3:1 contrast with white (WCAG 1.4.11); the darker ones carry
# white text (4.5:1), the lighter ones dark text.
PURPLE = "#5b1f69"  # 11.4:1
MID_PURPLE = "#8e5a9a"  # 5.2:1
LIGHT = "#b57cc3"  # 3.2:1
GREY = "#767676"  # 4.5:1
DARK_GREEN = "#1b5e20"  # 7.9:1
MID_GREEN = "#2e7d32"  # 5.1:1
LIGHT_GREEN = "#43a047"  # 3.3:1
TEXT = "#1a1a1a"
NOTE = "#4d4d4d"
WHISKER = "#404040"
# Sequential shades for one-directional scales, darkest first (all >= 3:1 on white).
SEQUENTIAL = ["#40004b", PURPLE, "#7b3294", MID_PURPLE, LIGHT]
HATCHES = ["", "///", "..", "\\\\\\", "xx", "--", "++"]  # one per category: not colour alone
MISSING_NOTE = "Puuttuu: {} (luku piilotettu tai ei mitattu)"  # {}: the missing items, comma-separated

HOUSE_STYLE = {
    "figure.facecolor": "white", "axes.facecolor": "white", "axes.edgecolor": ".6", "axes.labelcolor": TEXT,
    "axes.grid": False, "axes.axisbelow": True, "grid.color": ".85", "grid.linestyle": "-", "text.color": TEXT,
    "xtick.color": TEXT, "ytick.color": TEXT, "xtick.bottom": False, "ytick.left": False,
    "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "patch.edgecolor": "white", "patch.force_edgecolor": True, "hatch.linewidth": 1.0,
    "axes.linewidth": 1.0, "font.size": FONT, "axes.labelsize": FONT, "axes.titlesize": TITLE,
    "xtick.labelsize": FONT, "ytick.labelsize": FONT, "legend.fontsize": FONT,
    "figure.dpi": DPI, "savefig.dpi": DPI, "axes.spines.top": False, "axes.spines.right": False,
    "figure.figsize": (WIDTH, 4),
}

# Ordered scales whose two ends are opposite judgements: drawn diverging around the midpoint.
AGREEMENT_SCALES = [
    ("Täysin samaa mieltä", "Jokseenkin samaa mieltä", "Ei samaa eikä eri mieltä", "Jokseenkin eri mieltä",
     "Täysin eri mieltä"),
    ("Sujuvaa", "Melko sujuvaa", "Melko haastavaa", "Haastavaa"),
    ("Hyödyllisenä", "Melko hyödyllisenä", "Melko hyödyttömänä", "Hyödyttömänä"),
    ("Hyvin", "Melko hyvin", "Melko huonosti", "Huonosti"),
]
# Words of a frequency scale: one-directional, never diverging.
_FREQUENCY_WORDS = ("päivittäin", "viikoittain", "kuukausittain", "vuosittain", "satunnaisesti", "usein",
                    "harvoin", "joskus", "koskaan", "aina", "en tee")
_HEDGES = ("melko ", "jokseenkin ", "osittain ", "hieman ")


def setup() -> None:
    plt.rcParams.update(HOUSE_STYLE)


# -- colours and text --------------------------------------------------------------------------
def _luminance(colour) -> float:
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a, b="white") -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text_on(colour) -> str:
    """White text where it reaches 4.5:1 on the colour, else near-black."""
    return "white" if contrast(colour, "white") >= 4.5 else TEXT


def diverging_colours(k: int) -> list[str]:
    """k colours of a diverging scale, its positive end (the first category) dark green, its
    negative end dark purple, a middle category grey."""
    greens, purples = [DARK_GREEN, MID_GREEN, LIGHT_GREEN], [LIGHT, MID_PURPLE, PURPLE]
    half = k // 2
    pick = [round(i * 2 / max(half - 1, 1)) for i in range(half)]  # 2: dark, light; 3: all; more repeat
    colours = [greens[i] for i in pick] + ([GREY] if k % 2 else []) + [purples[2 - i] for i in pick[::-1]]
    return colours[:k]


def sequential_colours(k: int) -> list[str]:
    return [SEQUENTIAL[round(i * (len(SEQUENTIAL) - 1) / max(k - 1, 1))] for i in range(k)]


def _wrap(text, inches: float = 2.4, size: int = FONT, bold: bool = False) -> str:
    """The text broken into lines no wider than `inches` at the given size (whole words)."""
    lines = []
    for word in str(text).split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and _text_width(candidate, size, bold) <= inches:
            lines[-1] = candidate
        else:
            lines.append(word)
    return "\n".join(lines) or str(text)


def _value(v: float, percent: bool, decimals: int = 0) -> str:
    return fmt.percent(v, decimals) if percent else fmt.number(v, decimals)


def _cell(v, decimals: int = 0) -> str:
    """A number for a data table whose header carries the unit."""
    return fmt.number(v, decimals) if v is not None and not (isinstance(v, float) and math.isnan(v)) else "–"


def _with_missing(note: str, names: list[str], missing: str) -> str:
    """The chart's note, then what it leaves out: 'n = 948. Puuttuu: Digituki (…)'."""
    if not names:
        return note
    said = missing.format(", ".join(names))
    return f"{note.rstrip('.')}. {said}" if note else said


def _and(words: list[str]) -> str:
    """'a, b ja c'"""
    return " ja ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else "".join(words)


def _subject(title: str | None, subject: str | None) -> str:
    """What the chart shows, for its alt text: lower case after the colon unless a name."""
    text = (subject or title or "").strip().rstrip(".")
    first = text.split(" ")[0] if text else ""
    if first[1:] == first[1:].lower():
        text = text[:1].lower() + text[1:]
    return text


def _alt(kind: str, title, subject, items: list[str], note: str = "", extra: str = "", limit: int = 8,
         sep: str = ", ") -> str:
    """'Pylväskuvio: what. Item 1, item 2, … n = 115.'"""
    what = _subject(title, subject)
    shown = items[:limit] + ([f"ja {len(items) - limit} muuta"] if len(items) > limit else [])
    text = f"{kind}: {what}." if what else f"{kind}."
    if extra:
        text += f" {extra}."
    if shown:
        text += " " + sep.join(shown) + "."
    if note:
        text += f" {note.rstrip('.')}."
    return text


# -- layout ------------------------------------------------------------------------------------
# Each row of a chart is its label on a line of its own, then its bar (or dots) at full width,
# then, where a segment is too narrow for its value, a lane for that value: on a phone the
# bars keep the whole width instead of sharing it with a column of labels.
ROW_WIDTH = WIDTH - 0.6  # inches: where a row label wraps (a title, a note: the whole width)
TITLE_WIDTH = NOTE_WIDTH = WIDTH - 0.3
LONG_LIST, SIDE_LABEL = 10, 1.8  # rows, inches
LINE = 0.24  # inches per line of 13 pt text


def _figure(plot_height: float, title: str | None, note: str, legend_rows: int = 0):
    """A figure WIDTH wide: the title on top, the plot, then a footer with the legend and the note.
    Heights in inches; constrained layout keeps the parts apart."""
    setup()
    note_lines = len(_wrap(note, NOTE_WIDTH, SMALL).splitlines()) if note else 0
    footer = legend_rows * 0.34 + note_lines * LINE + (0.1 if legend_rows or note_lines else 0)
    head = 0.3 * len(_wrap(title, TITLE_WIDTH, TITLE, True).splitlines()) + 0.1 if title else 0.05
    fig = plt.figure(figsize=(WIDTH, plot_height + footer + head + 0.45), dpi=DPI, layout="constrained")
    if footer:
        grid = fig.add_gridspec(2, 1, height_ratios=[plot_height + 0.45, footer])
        ax, foot = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
        foot.axis("off")
    else:
        ax, foot = fig.add_subplot(), None
    if title:
        fig.suptitle(_wrap(title, TITLE_WIDTH, TITLE, True), x=0.01, ha="left", fontsize=TITLE, fontweight="bold")
    if note:
        foot.text(0, 0, _wrap(note, NOTE_WIDTH, SMALL), transform=foot.transAxes, ha="left", va="bottom",
                  fontsize=SMALL, color=NOTE, in_layout=False)  # its lines are planned in the footer
    ax.tick_params(labelsize=FONT, length=0)
    for side in ("left", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_yticks([])
    return fig, ax, foot


def _rows(labels: list[str], *, bar: float, lane: float = 0.0, title, note, legend_rows: int = 0,
          show_labels: bool = True):
    """A figure with one row per label: the label above its bar. `bar` and `lane` (the space
    under the bar for values of narrow segments) in inches. A long list of short labels (over
    LONG_LIST rows, each under SIDE_LABEL inches) has them beside the bars instead, to halve
    its height. Returns the figure, its axes, the footer and the bar's height in data units
    (rows are 1 apart, the first at the top)."""
    beside = (show_labels and len(labels) > LONG_LIST and not lane
              and all(_text_width(label) <= SIDE_LABEL for label in labels))
    lines = max(len(_wrap(label, ROW_WIDTH).splitlines()) for label in labels) if show_labels and not beside else 0
    label = lines * LINE + (0.06 if lines else 0)
    gap = 0.12 if beside else 0.18
    height = label + bar + lane + gap
    fig, ax, foot = _figure(height * len(labels), title, note, legend_rows)
    above = (bar / 2 + label + gap / 2) / height  # from a row's centre up to its top
    ax.set_ylim(len(labels) - above, -above)
    bar_units = bar / height
    if beside:
        ax.set_yticks(range(len(labels)), labels)
    elif show_labels:
        for y, text in enumerate(labels):
            ax.annotate(_wrap(text, ROW_WIDTH), (0, y - bar_units / 2), xycoords=ax.get_yaxis_transform(),
                        xytext=(0, 3), textcoords="offset points", ha="left", va="bottom", fontsize=FONT,
                        bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"})
    fig.row_height = height  # inches: for placing lane labels
    return fig, ax, foot, bar_units


def _legend(foot, handles) -> None:
    if foot is not None and handles:
        legend = foot.legend(handles=handles, loc="upper left", bbox_to_anchor=(0, 1), borderaxespad=0,
                             frameon=False, ncol=_legend_columns([h.get_label() for h in handles]), fontsize=FONT,
                             handlelength=1.8, handleheight=1.1, columnspacing=1.2)
        legend.set_in_layout(False)  # its size is planned; it must not squeeze the plot


def _legend_split(labels: list, ncol: int) -> list[list]:
    """The legend's columns as matplotlib fills them: column by column, the first ones longer."""
    per, extra = divmod(len(labels), ncol)
    sizes = [per + 1] * extra + [per] * (ncol - extra)
    starts = np.cumsum([0, *sizes])
    return [labels[a:b] for a, b in zip(starts[:-1], starts[1:]) if b > a]


def _legend_columns(labels: list[str]) -> int:
    """As many columns as fit in the width."""
    def width(label):  # handle, its pad and the column spacing: about 0.8 in at 13 pt
        return _text_width(label) + 0.8

    for ncol in range(len(labels), 0, -1):
        if sum(max(width(label) for label in c) for c in _legend_split(labels, ncol)) <= WIDTH - 0.3:
            return ncol
    return 1


def _legend_rows(labels: list[str]) -> int:
    """Lines of text in the legend's longest column."""
    wrapped = [_wrap(label) for label in labels]
    if not wrapped:
        return 0
    return max(sum(len(label.splitlines()) for label in c)
               for c in _legend_split(wrapped, _legend_columns(wrapped)))


def _inches_per_unit(fig, ax) -> float:
    """How wide one x unit of the axes is, once the layout is done: the constrained layout
    placed as a draw places it first, without the draw (the same positions and PNG bytes for a
    fraction of its time)."""
    fig.get_layout_engine().execute(fig)
    lo, hi = ax.get_xlim()
    return ax.get_position().width * WIDTH / (hi - lo)


def _text_width(text: str, size: int = FONT, bold: bool = False) -> float:
    """Width in inches of the widest line of a text at the given size, in the house font."""
    font = FontProperties(family="sans-serif", weight="bold" if bold else "normal")  # rcParams pick the face, silently
    return _measured(str(text), size, font, findfont(font))


@functools.lru_cache(maxsize=4096)  # the same labels are measured for every layout tried
def _measured(text: str, size: int, font: FontProperties, face: str) -> float:
    """_text_width, remembered by the font file too (`face`: another style, another entry)."""
    return max((_ink_width(line, font) * size / 72 if line.strip() else 0)
               for line in text.splitlines() or [""]) + size / 72 * 0.15


_TEXT = Text()  # only for its reading of $ signs, as TextPath's
_glyph_paths: dict = {}  # glyph id -> (vertices, codes), at TextToPath's size
_glyph_extents: dict[str, tuple[float, float]] = {}  # glyph id -> its outline's left and right edge


def _ink_width(line: str, font: FontProperties) -> float:
    """The width of a line's outline (TextPath's extents) per point of font size.

    The same glyphs at the same positions as TextPath((0, 0), line).get_extents(), but each
    glyph's extent is computed once per process: measuring the Bézier curves of every glyph of
    every candidate line again took half of a build's time (tests/test_charts.py checks the
    two agree)."""
    line, mathtext = _TEXT._preprocess_math(line)  # as TextPath reads it ("\\$" is a dollar sign)
    if mathtext:  # $…$ is laid out by mathtext: measured the slow way
        return TextPath((0, 0), line, size=1, prop=font).get_extents().width
    glyphs, _, _ = text_to_path.get_glyphs_with_font(text_to_path._get_font(font), line, glyph_map=_glyph_paths)
    left, right = math.inf, -math.inf
    for glyph, x, _, scale in glyphs:
        if glyph not in _glyph_extents:
            vertices, codes = _glyph_paths[glyph]
            box = GlyphPath(vertices, codes).get_extents() if len(vertices) else None
            _glyph_extents[glyph] = (box.x0, box.x1) if box is not None else (math.inf, -math.inf)
        x0, x1 = _glyph_extents[glyph]
        left, right = min(left, x + x0 * scale), max(right, x + x1 * scale)
    return (right - left) / text_to_path.FONT_SCALE if right > left else 0.0


def _fit_right(fig, ax, ends: list[float], labels: list[str], pad: float = 0.1) -> None:
    """Widen the x axis so that each label, written just right of its end, stays inside."""
    lo, hi = ax.get_xlim()
    for _ in range(3):  # the layout moves a little as the limits change
        scale = _inches_per_unit(fig, ax)
        need = max((e + (pad + _text_width(t)) / scale for e, t in zip(ends, labels)), default=hi)
        if need <= hi:
            break
        hi = lo + (need - lo) * 1.02
        ax.set_xlim(lo, hi)


def _value_labels(ax, ends, ys, labels) -> None:
    for e, y, label in zip(ends, ys, labels):
        ax.annotate(label, (e, y), xytext=(4, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=FONT, color=TEXT)


def _hide_x(ax) -> None:
    """Values are written on the bars: an x axis would only repeat them."""
    ax.xaxis.set_visible(False)
    ax.spines["bottom"].set_visible(False)


def _percent_axis(ax, limit: float = 100) -> None:
    """A percent axis from 0 to `limit` (100, or a smaller round number for small shares such as
    response rates), ticks in Finnish ('0 %', '2,5 %')."""
    ticks = [0, 25, 50, 75, 100] if limit >= 100 else [float(t) for t in np.linspace(0, limit, 5)]
    decimals = next(d for d in (0, 1, 2, 3) if all(abs(round(t, d) - t) < 1e-9 for t in ticks))
    ax.set_xticks(ticks)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v, decimals)))
    ax.grid(axis="x", visible=True)


def _round_limit(high: float) -> float:
    """The axis end for shares up to `high` percent: 100, or for small shares the nearest of
    2, 4, 8 or 10 × 10^k at or above them (so that the four tick steps are round numbers)."""
    if not high == high or high <= 0 or high > 50:
        return 100.0
    scale = 10 ** math.floor(math.log10(high))
    for step in (2, 4, 8, 10):
        if step * scale >= high:
            return float(min(step * scale, 100))
    return 100.0


def _inside_label(ax, x, y, text, colour, size=FONT) -> None:
    """A value on its segment, on a patch of the segment's colour so that a pattern never runs
    through the digits."""
    ax.text(x, y, text, ha="center", va="center", fontsize=size, color=_text_on(colour),
            bbox={"boxstyle": "square,pad=0.12", "facecolor": colour, "edgecolor": "none"})


def _finish(fig, alt_text: str, table: pd.DataFrame):
    fig.alt_text = alt_text
    fig.data_table = table.reset_index(drop=True)
    return fig


# -- plain bars --------------------------------------------------------------------------------
def _bars(labels, values, *, percent: bool, title, note, low=None, high=None, limit: float = 100,
          decimals: int = 0):
    """Horizontal bars top to bottom in the given order, each with its value written out (with
    95 % whiskers and a percent axis from 0 to `limit` when low and high are given)."""
    labels, values = [str(label) for label in labels], [float(v) for v in values]
    fig, ax, _, bar = _rows(labels, bar=0.32, title=title, note=note)
    y = np.arange(len(labels))
    known = ~np.isnan(values)  # a missing value keeps its row: no bar, "–" at the start
    whiskers = low is not None
    if whiskers:  # a lighter bar, so that the whisker shows on it too (3.4:1)
        values_, low_, high_ = (np.asarray(a, dtype=float)[known] for a in (values, low, high))
        ax.barh(y[known], values_, height=bar, color=MID_PURPLE)
        ax.errorbar(values_, y[known], xerr=[values_ - low_, high_ - values_], fmt="none", ecolor=TEXT, capsize=5,
                    elinewidth=1.8, capthick=1.8)
        ax.set_xlim(0, limit)
        _percent_axis(ax, limit)
    else:
        ax.barh(y[known], np.asarray(values)[known], height=bar, color=PURPLE)
        ax.set_xlim(0, max([v for v in values if not math.isnan(v)] + [0]) or 1)
        _hide_x(ax)
    ends = [float(h) if k else 0.0 for h, k in zip(high, known)] if whiskers else list(np.nan_to_num(values))
    texts = [_value(v, percent, decimals) for v in values]
    _fit_right(fig, ax, ends, texts)
    _value_labels(ax, ends, y, texts)
    return fig


def horizontal_bars(labels, values, title: str | None = None, note: str = "", percent: bool = False,
                    sort: bool = True, *, subject: str | None = None, category: str = "Luokka",
                    value_name: str | None = None, missing: str = MISSING_NOTE):
    """Horizontal bars, largest first (missing values last), each labelled with its
    Finnish-formatted value. `category` and `value_name` head the data table (value_name
    defaults to "Osuus, %" or "Lukumäärä")."""
    pairs = [(str(label), float(v)) for label, v in zip(labels, values)]
    if sort:
        pairs = sorted(pairs, key=lambda p: (math.isnan(p[1]), -p[1] if not math.isnan(p[1]) else 0))
    names, numbers = [p[0] for p in pairs], [p[1] for p in pairs]
    note = _with_missing(note, [n for n, v in pairs if math.isnan(v)], missing)
    fig = _bars(names, numbers, percent=percent, title=title, note=note)
    table = pd.DataFrame({category: names, value_name or ("Osuus, %" if percent else "Lukumäärä"):
                          [_cell(v) for v in numbers]})
    alt = _alt("Pylväskuvio", title, subject, [f"{n} {_value(v, percent)}" for n, v in pairs if not math.isnan(v)],
               note)
    return _finish(fig, alt, table)


def bars_with_intervals(labels, shares, low, high, title: str | None = None, note: str = "", *,
                        subject: str | None = None, category: str = "Vastaus", top: int | None = None,
                        small: bool = False, value_name: str = "Osuus, %", missing: str = MISSING_NOTE):
    """Horizontal bars of shares, largest first, with 95 % interval whiskers and value labels.
    With `top`, a long list (e.g. 22 municipalities) draws its `top` largest options and one bar
    "Muut (k vaihtoehtoa)" with their summed share and no whisker: only for a single-choice
    question, whose options exclude each other. The alt text and data table keep every option.
    `small`: shares of a few per cent (e.g. response rates): one decimal, and the axis ends at a
    round number just above the highest whisker instead of 100 %. `value_name` heads the data
    table's share column."""
    order = np.argsort(-np.asarray(shares, dtype=float), kind="stable")  # a missing share last
    names = [str(list(labels)[i]) for i in order]
    shares, low, high = (np.asarray(a, dtype=float)[order] for a in (shares, low, high))
    drawn = (names, shares, low, high)
    known = int((~np.isnan(shares)).sum())
    if top and known > top + 1:  # the missing ones keep their rows after "Muut"
        rest = float(shares[top:known].sum())
        drawn = (names[:top] + [f"Muut ({known - top} vaihtoehtoa)"] + names[known:], [*shares[:top], rest, *shares[known:]],
                 [*low[:top], rest, *low[known:]], [*high[:top], rest, *high[known:]])
    decimals = 1 if small else 0
    limit = _round_limit(float(np.nanmax(high))) if small and known else 100.0
    note = _with_missing(note, names[known:], missing)
    fig = _bars(drawn[0], drawn[1], percent=True, title=title, note=note, low=drawn[2], high=drawn[3], limit=limit,
                decimals=decimals)
    table = pd.DataFrame({category: names, value_name: [_cell(v, decimals) for v in shares],
                          "95 %:n luottamusväli, %": [f"{_cell(a, decimals)}–{_cell(b, decimals)}"
                                                      if not math.isnan(a) else fmt.MISSING
                                                      for a, b in zip(low, high)]})
    items = [f"{n} {fmt.percent(v, decimals)}" for n, v in zip(names, shares) if not math.isnan(v)]
    alt = _alt("Pylväskuvio", title, subject, items, note, extra="Viikset näyttävät 95 %:n luottamusvälin")
    return _finish(fig, alt, table)


# -- stacked and diverging bars ----------------------------------------------------------------
def scale_kind(categories) -> str:
    """"diverging" for an ordered scale whose ends are opposite judgements (agree - disagree,
    smooth - difficult); "one-directional" for frequency and other scales that run from more
    to less of one thing. A scale listed in AGREEMENT_SCALES, a Likert scale ("... mieltä") or
    an even scale whose middle two are hedged ("Melko sujuvaa", "Melko haastavaa") diverges;
    one with a frequency word ("Viikoittain", "En tee ...") never does."""
    names = [str(c).strip() for c in categories]
    lower = [n.lower() for n in names]
    if any(word in n for n in lower for word in _FREQUENCY_WORDS):
        return "one-directional"
    if tuple(names) in AGREEMENT_SCALES or any("mieltä" in n for n in lower):
        return "diverging"
    k = len(names)
    if k >= 4 and k % 2 == 0 and all(lower[i].startswith(_HEDGES) for i in (k // 2 - 1, k // 2)):
        return "diverging"
    return "one-directional"


def _segment_labels(fig, ax, row_segments: list[list[tuple]], bar: float, xmin: float, xmax: float) -> None:
    """Each segment's value inside it if it fits, else in the lane just under its bar (moved
    sideways so that labels never overlap, with a short leader line). Segments under
    MIN_LABELLED per cent stay unlabelled (the data table has them)."""
    scale = _inches_per_unit(fig, ax)
    lane_y = (0.04 + LINE / 2) / fig.row_height  # from the bar's lower edge to the lane's middle
    for y, segments in enumerate(row_segments):
        outside = []
        for left, width, colour in segments:
            if fmt.round_half_away(width) < MIN_LABELLED:
                continue
            text = fmt.percent(width)
            need = (_text_width(text) + 0.06) / scale
            centre = left + width / 2
            if need <= width:
                _inside_label(ax, centre, y, text, colour)
            else:
                outside.append([centre, need, text])
        # left to right: each label right of the previous one, then all back inside the axes
        position = xmin
        for item in outside:
            item.append(max(item[0], position + item[1] / 2))
            position = item[3] + item[1] / 2
        limit = xmax
        for item in reversed(outside):
            item[3] = min(item[3], limit - item[1] / 2)
            limit = item[3] - item[1] / 2
        for centre, _, text, x in outside:
            ax.annotate(text, (centre, y + bar / 2), xytext=(x, y + bar / 2 + lane_y), textcoords="data",
                        ha="center", va="center", fontsize=FONT, color=TEXT,
                        arrowprops={"arrowstyle": "-", "color": WHISKER, "lw": 0.8, "shrinkA": 0, "shrinkB": 1})


def _stacked(rows: dict, categories: list[str], *, diverging: bool, title, note):
    """100 % bars, one per row: diverging around zero (the negative half left of it) or left to
    right from the first category."""
    k = len(categories)
    labels = list(rows)
    shares = [np.nan_to_num(np.asarray(rows[r], dtype=float)) for r in labels]
    colours = diverging_colours(k) if diverging else sequential_colours(k)
    order = list(range(k - 1, -1, -1)) if diverging else list(range(k))  # left to right
    starts = []
    for s in shares:
        half = k // 2
        starts.append(-(s[half:].sum() - (s[half] / 2 if k % 2 else 0)) if diverging else 0.0)
    if diverging:
        reach = max(max(-start, start + s.sum()) for start, s in zip(starts, shares))
        xmin, xmax = -min(100, reach * 1.05 + 3), min(100, reach * 1.05 + 3)
    else:
        xmin, xmax = 0, max(100, max(s.sum() for s in shares))
    # a lane under the bars when some labelled segment is narrower than about 0.55 in
    narrow = any(MIN_LABELLED <= v < 0.55 / (WIDTH - 0.2) * (xmax - xmin) for s in shares for v in s)
    legend = [_wrap(categories[i]) for i in order]
    fig, ax, foot, bar = _rows(labels, bar=0.42, lane=LINE + 0.08 if narrow else 0, title=title, note=note,
                               legend_rows=_legend_rows(legend), show_labels=len(labels) > 1)
    row_segments = []
    for y, (start, s) in enumerate(zip(starts, shares)):
        segments = []
        for i in order:
            ax.barh(y, s[i], left=start, height=bar, color=colours[i], hatch=HATCHES[i % len(HATCHES)],
                    edgecolor="white", linewidth=1.5)
            segments.append((start, s[i], colours[i]))
            start += s[i]
        row_segments.append(segments)
    if diverging:  # the zero line through each bar only, clear of the labels around it
        ax.vlines([0] * len(labels), np.arange(len(labels)) - bar * 0.7, np.arange(len(labels)) + bar * 0.7,
                  color=TEXT, linewidth=1.5, zorder=3)
    ax.set_xlim(xmin, xmax)
    _hide_x(ax)
    _legend(foot, [Patch(facecolor=colours[i], hatch=HATCHES[i % len(HATCHES)], edgecolor="white",
                         label=_wrap(categories[i])) for i in order])
    _segment_labels(fig, ax, row_segments, bar, xmin, xmax)
    return fig


def diverging(rows: dict[str, list[float]], categories: list[str], title: str | None = None, note: str = "", *,
              kind: str = "auto", subject: str | None = None, category: str | None = None,
              missing: str = MISSING_NOTE):
    """Shares (per cent) of an ordered scale, one bar per row (a question, or the rows of a
    matrix question); a single row has no row label (the heading or the title names it).

    kind:
      "auto"       (default) decide from the categories with ``scale_kind``: "diverging" for
                   an agreement scale, else "bars" for one row and "stacked" for several
      "diverging"  agreement/evaluation scales: the positive half (the first categories) right
                   of zero, the negative half left, a middle category split across zero
      "stacked"    one-directional scales (frequency): 100 % bars from the first category
      "bars"       one bar per category in scale order (one row only)
    `category` heads the data table's first column (default "Vastaus" for one row, else
    "Kohde"). The data table lists the categories as rows for one row, else has one column
    per category ("Sujuvaa, %")."""
    if kind not in ("auto", "diverging", "stacked", "bars"):
        raise ValueError(f"tuntematon kuviotyyppi {kind!r}: auto, diverging, stacked tai bars")
    categories = [str(c) for c in categories]
    names = list(rows)
    values = {r: [float(v) for v in rows[r]] for r in names}
    if kind == "auto":
        kind = "diverging" if scale_kind(categories) == "diverging" else "bars" if len(names) == 1 else "stacked"
    if kind == "bars" and len(names) != 1:
        kind = "stacked"
    gaps = [(f"{r}: " if len(names) > 1 else "") + c for r in names for c, v in zip(categories, values[r])
            if math.isnan(v)]  # no segment or bar; named in the note
    note = _with_missing(note, gaps, missing)
    if kind == "bars":
        fig = _bars(categories, values[names[0]], percent=True, title=title, note=note)
    else:
        fig = _stacked(values, categories, diverging=kind == "diverging", title=title, note=note)
    if len(names) == 1:
        shares = values[names[0]]
        table = pd.DataFrame({category or "Vastaus": categories, "Osuus, %": [_cell(v) for v in shares]})
        items = [f"{c} {fmt.percent(v)}" for c, v in zip(categories, shares) if not math.isnan(v)]
    else:
        table = pd.DataFrame({category or "Kohde": names,
                              **{f"{c}, %": [_cell(values[r][i]) for r in names] for i, c in enumerate(categories)}})
        items = [f"{r}: " + ", ".join(f"{c} {fmt.percent(v)}" for c, v in zip(categories, values[r])
                                      if not math.isnan(v)) for r in names]
    extra = ""
    if kind == "diverging":
        half = len(categories) // 2
        extra = (f"Myönteisiä ({_and([c.lower() for c in categories[:half]])}) yhteensä "
                 + ", ".join((f"{r} " if len(names) > 1 else "") + fmt.percent(sum(values[r][:half])) for r in names))
    kind_name = {"diverging": "Hajaantuva pylväskuvio", "stacked": "Pinottu pylväskuvio", "bars": "Pylväskuvio"}
    alt = _alt(kind_name[kind], title, subject, items, note, extra, limit=8 if len(names) == 1 else 6,
               sep=", " if len(names) == 1 else "; ")
    return _finish(fig, alt, table)


def stacked_encounters(table, title: str | None = None, note: str = "", *, subject: str | None = None,
                       category: str = "Palvelualue", missing: str = MISSING_NOTE):
    """Encounters per service area: client meetings (solid) and events (patterned) stacked,
    each part and the total written out (a missing part: the known one drawn, the total '–')."""
    labels = [str(i) for i in table.index]
    meetings = [float(v) for v in table["Asiakastapaamiset"]]
    events = [float(v) for v in table["Tapahtumat"]]
    totals = [a + b for a, b in zip(meetings, events)]
    colours, hatches, names = [PURPLE, MID_PURPLE], ["", "///"], ["Asiakastapaamiset", "Tapahtumat"]
    note = _with_missing(note, [f"{n}: {part.lower()}" for n, m, e in zip(labels, meetings, events)
                                for part, v in zip(names, (m, e)) if math.isnan(v)], missing)
    drawn_m, drawn_e = np.nan_to_num(meetings), np.nan_to_num(events)
    ends = list(drawn_m + drawn_e)
    fig, ax, foot, bar = _rows(labels, bar=0.42, title=title, note=note, legend_rows=1)
    y = np.arange(len(labels))
    ax.barh(y, drawn_m, height=bar, color=colours[0], hatch=hatches[0], edgecolor="white", linewidth=1.5)
    ax.barh(y, drawn_e, left=drawn_m, height=bar, color=colours[1], hatch=hatches[1], edgecolor="white",
            linewidth=1.5)
    ax.set_xlim(0, max(ends, default=0) or 1)
    _hide_x(ax)
    totals_text = [fmt.number(t) for t in totals]
    _fit_right(fig, ax, ends, totals_text)
    _value_labels(ax, ends, y, totals_text)
    scale = _inches_per_unit(fig, ax)
    for yi, (m, e) in enumerate(zip(drawn_m, drawn_e)):
        for left, width, colour in ((0, m, colours[0]), (m, e, colours[1])):
            text = fmt.number(width)
            if width and (_text_width(text, SMALL) + 0.12) / scale <= width:
                _inside_label(ax, left + width / 2, yi, text, colour, SMALL)
    _legend(foot, [Patch(facecolor=c, hatch=h, edgecolor="white", label=n) for c, h, n in zip(colours, hatches, names)])
    frame = pd.DataFrame({category: labels, "Asiakastapaamiset, kohtaamisia": [_cell(v) for v in meetings],
                          "Tapahtumat, kohtaamisia": [_cell(v) for v in events],
                          "Yhteensä, kohtaamisia": [_cell(v) for v in totals]})
    items = [f"{n} {fmt.number(t)} (asiakastapaamiset {fmt.number(a)}, tapahtumat {fmt.number(b)})"
             for n, t, a, b in zip(labels, totals, meetings, events)]
    alt = _alt("Pinottu pylväskuvio", title, subject, items, note, extra="Asiakastapaamiset ja tapahtumat pinottuina")
    return _finish(fig, alt, frame)


# -- two measurements or two years ---------------------------------------------------------------
ARROW = "\u2192"


def before_after(items, start, end, title: str | None = None, start_label="Alkumittaus", end_label="Loppumittaus",
                 note="", *, subject: str | None = None, category: str = "Hyvinvointitulos",
                 missing: str = MISSING_NOTE):
    """Dot chart: the share at the first measurement (open circle) and at the last (filled dot)
    for each item, both values written beside the item's name."""
    items = [str(i) for i in items]
    start, end = [float(v) for v in start], [float(v) for v in end]
    note = _with_missing(note, [f"{i} ({label.lower()})" for i, a, b in zip(items, start, end)
                                for label, v in ((start_label, a), (end_label, b)) if math.isnan(v)], missing)
    fig, ax, foot, dot = _rows(items, bar=0.26, title=title, note=note, legend_rows=1)
    y = np.arange(len(items))
    ax.hlines(y, start, end, color=GREY, linewidth=2.5, zorder=1)
    ax.scatter(start, y, s=120, facecolor="white", edgecolor=GREY, linewidth=2.4, zorder=2, clip_on=False)
    ax.scatter(end, y, s=120, color=PURPLE, edgecolor=PURPLE, zorder=3, clip_on=False)
    ax.set_xlim(-3, 103)  # a 0 % or 100 % dot is drawn whole
    _percent_axis(ax)
    for yi, a, b in zip(y, start, end):
        ax.annotate(f"{fmt.percent(a)} {ARROW} {fmt.percent(b)}", (1, yi - dot / 2), xycoords=ax.get_yaxis_transform(),
                    xytext=(0, 3), textcoords="offset points", ha="right", va="bottom", fontsize=FONT,
                    fontweight="bold")
    _legend(foot, [Line2D([], [], marker="o", linestyle="", markersize=11, markerfacecolor="white",
                          markeredgecolor=GREY, markeredgewidth=2.4, label=start_label),
                   Line2D([], [], marker="o", linestyle="", markersize=11, color=PURPLE, label=end_label)])
    frame = pd.DataFrame({category: items, f"{start_label}, %": [_cell(v) for v in start],
                          f"{end_label}, %": [_cell(v) for v in end]})
    alt = _alt("Pistekuvio", title, subject, [f"{i} {fmt.percent(a)} {ARROW} {fmt.percent(b)}"
                                              for i, a, b in zip(items, start, end)], note,
               extra=f"{start_label} ja {end_label.lower()}")
    return _finish(fig, alt, frame)


def years_side_by_side(labels, previous, current, previous_year: int, year: int, title: str | None = None,
                       note: str = "", illustrative: bool = False, *, subject: str | None = None,
                       category: str = "Vastaus", missing: str = MISSING_NOTE):
    """Shares of each option in two survey years as paired bars: the earlier year grey and
    patterned (marked illustrative where its data are), this year solid purple; values written."""
    labels = [str(label) for label in labels]
    previous, current = [float(v) for v in previous], [float(v) for v in current]
    before_name = f"{previous_year}" + (" (havainnollistava)" if illustrative else "")
    note = _with_missing(note, [f"{n} ({y})" for n, a, b in zip(labels, previous, current)
                                for y, v in ((previous_year, a), (year, b)) if math.isnan(v)], missing)
    fig, ax, foot, bar = _rows(labels, bar=0.56, title=title, note=note, legend_rows=1)
    y = np.arange(len(labels))
    ax.barh(y - bar / 4, np.nan_to_num(previous), height=bar / 2, color=GREY, hatch="///", edgecolor="white")
    ax.barh(y + bar / 4, np.nan_to_num(current), height=bar / 2, color=PURPLE, edgecolor="white")
    pairs = [(v, yi - bar / 4) for v, yi in zip(previous, y)] + [(v, yi + bar / 4) for v, yi in zip(current, y)]
    pairs = [(v, yi) for v, yi in pairs if not math.isnan(v)]
    ax.set_xlim(0, max([v for v, _ in pairs] + [1]))
    _hide_x(ax)
    _fit_right(fig, ax, [v for v, _ in pairs], [fmt.percent(v) for v, _ in pairs])
    _value_labels(ax, [v for v, _ in pairs], [yi for _, yi in pairs], [fmt.percent(v) for v, _ in pairs])
    _legend(foot, [Patch(facecolor=GREY, hatch="///", edgecolor="white", label=before_name),
                   Patch(facecolor=PURPLE, edgecolor="white", label=str(year))])
    frame = pd.DataFrame({category: labels, f"{before_name}, %": [_cell(v) for v in previous],
                          f"{year}, %": [_cell(v) for v in current]})
    alt = _alt("Pylväskuvio", title, subject,
               [f"{n} {fmt.percent(a)} {ARROW} {fmt.percent(b)}" for n, a, b in zip(labels, previous, current)],
               note, extra=f"Vuodet {before_name} ja {year}")
    return _finish(fig, alt, frame)


# -- several series side by side ---------------------------------------------------------------
# The first series solid purple, the others grey or lighter and patterned: never colour alone.
SERIES_STYLES = [(PURPLE, ""), (GREY, "///"), (MID_PURPLE, ".."), (DARK_GREEN, "\\\\\\"), (LIGHT, "xx")]


def grouped_bars(labels, series: dict[str, list[float]], title: str | None = None, note: str = "", *,
                 subject: str | None = None, category: str = "Vastaus", decimals: int = 0,
                 missing: str = MISSING_NOTE):
    """Shares (per cent) of several series side by side for each label, in the given order: e.g.
    the staff and the respondents per professional group, or each welfare area's share choosing
    an option. Every value is written at the end of its bar; a NaN draws no bar and no value (a
    hidden or missing figure: its data table cell is '–', the note names it). The legend under
    the plot names the series; the data table has one column per series ("Henkilöstö, %")."""
    labels = [str(label) for label in labels]
    names = [str(name) for name in series]
    values = {name: [float(v) for v in series[key]] for name, key in zip(names, series)}
    note = _with_missing(note, [f"{label}: {name}" for j, label in enumerate(labels) for name in names
                                if math.isnan(values[name][j])], missing)
    k = len(names)
    legend = [_wrap(name) for name in names]
    fig, ax, foot, height = _rows(labels, bar=0.26 * k + 0.04, title=title, note=note,
                                  legend_rows=_legend_rows(legend))
    y = np.arange(len(labels))
    each = height / k
    ends, rows = [], []
    for i, name in enumerate(names):
        colour, hatch = SERIES_STYLES[i % len(SERIES_STYLES)]
        ys = y - height / 2 + each * (i + 0.5)
        ax.barh(ys, np.nan_to_num(values[name]), height=each * 0.92, color=colour, hatch=hatch, edgecolor="white")
        for v, yi in zip(values[name], ys):
            if not math.isnan(v):
                ends.append(v)
                rows.append(yi)
    ax.set_xlim(0, max(ends + [1]))
    _hide_x(ax)
    texts = [_value(v, True, decimals) for v in ends]
    _fit_right(fig, ax, ends, texts)
    _value_labels(ax, ends, rows, texts)
    _legend(foot, [Patch(facecolor=c, hatch=h, edgecolor="white", label=text)
                   for (c, h), text in zip([SERIES_STYLES[i % len(SERIES_STYLES)] for i in range(k)], legend)])
    frame = pd.DataFrame({category: labels, **{f"{name}, %": [_cell(v, decimals) for v in values[name]]
                                               for name in names}})
    items = [f"{label}: " + ", ".join(f"{name} {fmt.percent(values[name][j], decimals)}" for name in names
                                      if not math.isnan(values[name][j]))
             for j, label in enumerate(labels)]
    alt = _alt("Pylväskuvio", title, subject, items, note, extra="Rinnakkain " + _and(names), limit=8, sep="; ")
    return _finish(fig, alt, frame)


# -- one figure over the years ------------------------------------------------------------------
def years_line(years, values, texts, title: str | None = None, note: str = "", *, breaks=(), low=None, high=None,
               subject: str | None = None, value_name: str = "Arvo"):
    """One figure over the years: a dot per year with its value written above it (`texts`, as
    the page writes the value), joined by a line within each unbroken run of years. A year whose
    value is NaN gets its text instead of a dot ('ei mitattu', '< 5', '..'); a break in the
    series (`breaks`: the first years of a new definition) is a dashed vertical line marked
    'sarjakatko', and the line is not drawn across it. `low`/`high`: 95 % interval whiskers."""
    years = [int(y) for y in years]
    values = [float(v) for v in values]
    x = np.arange(len(years))
    fig, ax, foot = _figure(2.3, title, note)
    shown = [v for v in values if not math.isnan(v)]
    top = max(shown + ([max(h for h in high if h == h)] if high is not None and any(h == h for h in high) else [])
              + [1])
    ax.set_ylim(0, top * 1.3)
    run: list[int] = []
    for i in range(len(years) + 1):  # lines within runs of consecutive shown years, not across a break
        ends_run = i == len(years) or math.isnan(values[i]) or years[i] in breaks
        if ends_run and len(run) > 1:
            ax.plot(x[run], [values[j] for j in run], color=PURPLE, linewidth=2.5, zorder=2)
        if ends_run:
            run = [] if i == len(years) or math.isnan(values[i]) else [i]
        else:
            run.append(i)
    if low is not None and high is not None:
        for xi, v, a, b in zip(x, values, low, high):
            if not math.isnan(v) and a == a and b == b:
                ax.vlines(xi, a, b, color=WHISKER, linewidth=1.6, zorder=1)
    for xi, v, text in zip(x, values, texts):
        if math.isnan(v):
            ax.text(xi, top * 0.12, text, ha="center", va="bottom", fontsize=FONT, color=NOTE, style="italic")
        else:
            ax.scatter([xi], [v], s=90, color=PURPLE, zorder=3, clip_on=False)
            ax.annotate(text, (xi, v), xytext=(0, 8), textcoords="offset points", ha="center", va="bottom",
                        fontsize=FONT, fontweight="bold",
                        bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"})
    for year in breaks:
        if year in years and years.index(year) > 0:
            xb = years.index(year) - 0.5
            ax.axvline(xb, color=TEXT, linestyle="--", linewidth=1.4, zorder=1)
            ax.text(xb, top * 1.28, "sarjakatko", ha="center", va="top", fontsize=SMALL, color=TEXT,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_xticks(x, [str(y) for y in years])
    ax.spines["bottom"].set_visible(True)
    frame = pd.DataFrame({"Vuosi": [str(y) for y in years], value_name: list(texts)})
    extra = f"Vuodet {years[0]}–{years[-1]}" if len(years) > 1 else f"Vuosi {years[0]}"
    breaks_text = [f"sarjakatko vuonna {y}" for y in breaks if y in years]
    alt = _alt("Viivakuvio", title, subject, [f"{y} {t}" for y, t in zip(years, texts)] + breaks_text, note,
               extra=extra, limit=len(years) + len(breaks_text))
    return _finish(fig, alt, frame)


# -- the image -------------------------------------------------------------------------------------
def png(fig) -> bytes:
    """The figure as PNG, cut to its ink plus savefig's padding: what savefig(bbox_inches="tight")
    writes (the same size, the ink within a pixel: savefig draws at the cut's fractional
    offset, so antialiased edges differ), from one draw. savefig lays the figure out and measures
    it in a draw of its own and then draws it again into the cut canvas; here one full-size
    draw is measured and cut, and padding that reaches past the figure's edge is the figure's
    own background, as savefig paints it. A figure whose ink itself reaches past an edge (a cut
    cannot widen it) goes through savefig."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    ink = fig.get_tightbbox(canvas.get_renderer())
    if ink.x0 < 0 or ink.y0 < 0 or ink.x1 > fig.bbox.width / fig.dpi or ink.y1 > fig.bbox.height / fig.dpi:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
        return buffer.getvalue()
    box = ink.padded(plt.rcParams["savefig.pad_inches"])
    drawn = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    left, top = round(box.x0 * fig.dpi), round(drawn.height - box.y1 * fig.dpi)
    cut = Image.new("RGBA", (int(box.width * fig.dpi), int(box.height * fig.dpi)),
                    tuple(round(c * 255) for c in fig.get_facecolor()))
    inside = (max(left, 0), max(top, 0), min(left + cut.width, drawn.width), min(top + cut.height, drawn.height))
    cut.paste(drawn.crop(inside), (inside[0] - left, inside[1] - top))
    buffer = io.BytesIO()
    cut.save(buffer, format="png")
    return buffer.getvalue()
