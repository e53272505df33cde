"""How a figure is drawn: one house style, Finnish number formatting on every axis."""

from __future__ import annotations

import matplotlib
import numpy as np

matplotlib.use("Agg")  # papermill runs have no display; inline output still works in JupyterLab
import matplotlib.pyplot as plt  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from hyte_nb.core import fmt  # noqa: E402

PURPLE = "#5b1f69"
LIGHT = "#b57cc3"
GREY = "#9e9e9e"


# seaborn's "whitegrid" style at "notebook" scale with its "deep" palette, set directly:
# importing seaborn for a theme costs each notebook ~0.7 s (it pulls in scipy.stats).
HOUSE_STYLE = {
    "figure.facecolor": "white", "axes.facecolor": "white", "axes.edgecolor": ".8", "axes.labelcolor": ".15",
    "axes.grid": True, "axes.axisbelow": True, "grid.color": ".8", "grid.linestyle": "-", "text.color": ".15",
    "xtick.color": ".15", "ytick.color": ".15", "xtick.direction": "out", "ytick.direction": "out",
    "xtick.bottom": False, "ytick.left": False, "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "axes.linewidth": 1.25, "grid.linewidth": 1, "lines.linewidth": 1.5, "font.size": 12, "axes.labelsize": 12,
    "axes.titlesize": 12, "xtick.labelsize": 11, "ytick.labelsize": 11, "legend.fontsize": 11,
    "axes.prop_cycle": cycler(color=["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860",
                                     "#DA8BC3", "#8C8C8C", "#CCB974", "#64B5CD"]),
    "figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold", "axes.spines.top": False,
    "axes.spines.right": False, "figure.figsize": (8, 4),
}


def setup() -> None:
    plt.rcParams.update(HOUSE_STYLE)


def palette(name: str, k: int) -> list[tuple]:
    """k colours from a diverging colormap, its extremes left out (as seaborn samples it)."""
    cmap = matplotlib.colormaps[name]
    return [cmap(x)[:3] for x in np.linspace(0, 1, k + 2)[1:-1]]


def _finnish_axis(axis, percent: bool = False) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v) if percent else fmt.number(v)))


def _finish(fig, ax, title: str, note: str = ""):
    """Title, no horizontal grid, the n-note at the bottom left, tight layout."""
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    if note:
        fig.text(0.01, 0.01, note, fontsize=8, color="#555")
    fig.tight_layout(rect=(0, 0.04 if note else 0, 1, 1))
    return fig


def horizontal_bars(labels, values, title: str, note: str = "", percent: bool = False, sort: bool = True):
    """Horizontal bars, largest first, each labelled with its Finnish-formatted value."""
    pairs = sorted(zip(labels, values), key=lambda p: p[1]) if sort else list(zip(labels, values))[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(pairs) + 1.2))
    ax.barh([p[0] for p in pairs], [p[1] for p in pairs], color=PURPLE)
    for i, (_, v) in enumerate(pairs):
        ax.text(v, i, " " + (fmt.percent(v) if percent else fmt.number(v)), va="center", fontsize=9)
    _finnish_axis(ax.xaxis, percent)
    ax.set_xlim(0, max(p[1] for p in pairs) * 1.15 or 1)
    return _finish(fig, ax, title, note)


def stacked_encounters(table, title: str):
    """Encounters per service area: client meetings and events stacked."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    rows = table.iloc[::-1]
    ax.barh(rows.index, rows["Asiakastapaamiset"], color=PURPLE, label="Asiakastapaamiset")
    ax.barh(rows.index, rows["Tapahtumat"], left=rows["Asiakastapaamiset"], color=LIGHT, label="Tapahtumat")
    for i, total in enumerate(rows["Asiakastapaamiset"] + rows["Tapahtumat"]):
        ax.text(total, i, " " + fmt.number(total), va="center", fontsize=9)
    _finnish_axis(ax.xaxis)
    ax.set_xlim(0, (rows["Asiakastapaamiset"] + rows["Tapahtumat"]).max() * 1.15)
    ax.set_title(title, loc="left")
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="y", visible=False)
    fig.tight_layout()
    return fig


def before_after(items, start, end, title: str, start_label="Alkumittaus", end_label="Loppumittaus", note=""):
    """Dumbbell chart: share at the first and last measurement for each item."""
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(items) + 1.3))
    y = range(len(items))[::-1]
    for yi, a, b in zip(y, start, end):
        ax.plot([a, b], [yi, yi], color=GREY, zorder=1)
    ax.scatter(start, list(y), color=GREY, label=start_label, zorder=2, s=60)
    ax.scatter(end, list(y), color=PURPLE, label=end_label, zorder=3, s=60)
    ax.set_yticks(list(y), items)
    ax.set_xlim(0, 100)
    _finnish_axis(ax.xaxis, percent=True)
    ax.set_title(title, loc="left")
    ax.legend(loc="lower right", bbox_to_anchor=(1, 1.0), ncol=2, frameon=False, fontsize=8)
    if note:
        fig.text(0.01, 0.01, note, fontsize=8, color="#555")
    fig.tight_layout(rect=(0, 0.05 if note else 0, 1, 1))
    return fig


def diverging(rows: dict[str, list[float]], categories: list[str], title: str, note: str = ""):
    """Diverging stacked bars for an ordered scale: the positive half of the scale to the right
    of zero, the negative half to the left (a middle category is split across zero)."""
    k = len(categories)
    colours = palette("PRGn", k)[::-1]  # the positive end green, the negative end purple
    if k % 2:
        colours[k // 2] = (0.8, 0.8, 0.8)  # a neutral middle in grey, visible on white
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(rows) + 1.8))
    labels = list(rows)[::-1]
    for y, label in enumerate(labels):
        shares = np.asarray(rows[label], dtype=float)
        half = k // 2
        left = -(shares[half:].sum() - (shares[half] / 2 if k % 2 else 0))
        # draw from the most negative category outwards to the most positive
        order = list(range(k - 1, -1, -1))
        start = left
        for i in order:
            ax.barh(y, shares[i], left=start, color=colours[i], edgecolor="white",
                    label=categories[i] if y == 0 else None)
            if shares[i] >= 6:
                ax.text(start + shares[i] / 2, y, fmt.number(shares[i]), ha="center", va="center", fontsize=8)
            start += shares[i]
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_yticks(range(len(labels)), labels)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(abs(v))))
    ax.set_xlim(-100, 100)
    handles, names = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], names[::-1], loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=k, frameon=False,
              fontsize=8)
    return _finish(fig, ax, title, note)


def bars_with_intervals(labels, shares, low, high, title: str, note: str = ""):
    """Horizontal bars, largest first, with 95 % interval whiskers and Finnish value labels."""
    order = np.argsort(np.asarray(shares), kind="stable")
    labels, shares = [list(labels)[i] for i in order], np.asarray(shares)[order]
    low, high = np.asarray(low)[order], np.asarray(high)[order]
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(labels) + 1.3))
    ax.barh(labels, shares, color=PURPLE, xerr=[shares - low, high - shares], ecolor=GREY, capsize=3)
    for i, v in enumerate(shares):
        ax.text(high[i] + 1, i, fmt.percent(v), va="center", fontsize=9)
    ax.set_xlim(0, 110)
    _finnish_axis(ax.xaxis, percent=True)
    return _finish(fig, ax, title, note)


def years_side_by_side(labels, previous, current, previous_year: int, year: int, title: str, note: str = "",
                       illustrative: bool = False):
    """Shares of each option in two survey years, as paired bars (the earlier year marked as
    illustrative where its data are)."""
    y = np.arange(len(labels))[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(labels) + 1.3))
    ax.barh(y + 0.2, previous, height=0.4, color=GREY, label=f"{previous_year}" + (" (havainnollistava)" if illustrative else ""))
    ax.barh(y - 0.2, current, height=0.4, color=PURPLE, label=str(year))
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    _finnish_axis(ax.xaxis, percent=True)
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    return _finish(fig, ax, title, note)
