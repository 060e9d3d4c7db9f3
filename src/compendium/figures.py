"""One plotting function per kind of figure, drawn with one shared seaborn theme."""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import pandas as pd
import seaborn as sns

PALETTE = "cividis"  # sequential and readable with every common colour-vision deficiency


def set_theme() -> None:
    """Apply the compendium's one figure theme (call once per notebook)."""
    sns.set_theme(context="notebook", style="whitegrid", font="DejaVu Sans",
                  rc={"figure.dpi": 100, "savefig.dpi": 150, "svg.hashsalt": "compendium"})


def rating_column(rows: pd.DataFrame) -> str:
    """The normalised ordinal column that carries the rating of these rows."""
    return "direction" if rows["direction"].notna().any() else "rating_level"


def frequency_bars(rows: pd.DataFrame, title: str, legend_title: str):
    """Horizontal bars, one per table row in printed order: count of sources, coloured by rating.

    ``rows`` are the findings of one table. Returns the matplotlib Figure.
    """
    rating = rating_column(rows)
    levels = list(rows[rating].cat.categories)
    colours = dict(zip(levels, sns.color_palette(PALETTE, len(levels))))
    fig, ax = plt.subplots(figsize=(9, 3.6))
    sns.barplot(data=rows, x="n_sources", y="label", hue=rating, hue_order=levels,
                order=list(rows["label"]), palette=colours, dodge=False, ax=ax, legend=True)
    for container in ax.containers:
        ax.bar_label(container, padding=3, fmt="%d")
    printed = dict(zip(rows[rating].astype(str), rows["rating_printed"]))
    handles, keys = ax.get_legend_handles_labels()
    shown = [(h, printed[k]) for h, k in zip(handles, keys) if k in printed]
    ax.legend([h for h, _ in shown], [p for _, p in shown], title=legend_title,
              loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    ax.set(title=title, xlabel="Number of sampled documents", ylabel="")
    ax.set_xlim(0, max(rows["n_sources"].max() * 1.15, 1))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    fig.tight_layout()
    plt.close(fig)
    return fig


def drawn_bars(fig) -> pd.DataFrame:
    """What a bar figure actually shows: one row per drawn bar, its axis label and length.

    Read back from the matplotlib artists, so notebook regression tests compare the plotted
    values rather than PNG bytes.
    """
    ax = fig.axes[0]
    ticks = {round(t, 6): lab.get_text() for t, lab in zip(ax.get_yticks(), ax.get_yticklabels())}
    bars = [p for p in ax.patches if p.get_width() > 0 and p.get_height() > 0]
    rows = [(ticks.get(round(p.get_y() + p.get_height() / 2, 6), "?"), int(round(p.get_width())))
            for p in bars]
    return pd.DataFrame(rows, columns=["label", "value"]).sort_values(
        "label", key=lambda s: s.map(list(ticks.values()).index), ignore_index=True)
