"""How a figure is drawn: one house style, Finnish number formatting on every axis."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # papermill runs have no display; inline output still works in JupyterLab
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from hyte_nb import fmt  # noqa: E402

PURPLE = "#5b1f69"
LIGHT = "#b57cc3"
GREY = "#9e9e9e"


def setup() -> None:
    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "axes.titleweight": "bold",
                         "axes.spines.top": False, "axes.spines.right": False, "figure.figsize": (8, 4)})


def _finnish_axis(axis, percent: bool = False) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.percent(v) if percent else fmt.number(v)))


def horizontal_bars(labels, values, title: str, note: str = "", percent: bool = False, sort: bool = True):
    """Horizontal bars, largest first, each labelled with its Finnish-formatted value."""
    pairs = sorted(zip(labels, values), key=lambda p: p[1]) if sort else list(zip(labels, values))[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(pairs) + 1.2))
    ax.barh([p[0] for p in pairs], [p[1] for p in pairs], color=PURPLE)
    for i, (_, v) in enumerate(pairs):
        ax.text(v, i, " " + (fmt.percent(v) if percent else fmt.number(v)), va="center", fontsize=9)
    _finnish_axis(ax.xaxis, percent)
    ax.set_xlim(0, max(p[1] for p in pairs) * 1.15 or 1)
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    if note:
        fig.text(0.01, 0.01, note, fontsize=8, color="#555")
    fig.tight_layout(rect=(0, 0.04 if note else 0, 1, 1))
    return fig


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
