"""The coding lab's figure: consensus shares beside the article's, in the compendium's theme."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from compendium.analysis.figures import PALETTE, Chart, chart, drawn_bars
from compendium.analysis.phrasing import level as confidence_level


def share_comparison(comparison: pd.DataFrame, confidence: float, title: str, watermark: str | None = None) -> Chart:
    """One bar per indicator (article order): the consensus share in per cent, with its Wilson
    interval as whiskers, and a diamond at the article's share.

    ``watermark`` (e.g. "SYNTHETIC") is written faintly across the plot, so that no copy of
    the figure loses it.

    ``comparison`` is ``lab.share_comparison``; bar lengths are per cent so that
    ``figures.drawn_bars`` lists them as whole percentages.
    """
    rows = comparison.sort_values(["table", "row"]).reset_index(drop=True)
    bar, mark = sns.color_palette(PALETTE, 3)[0], "#d55e00"
    fig, ax = plt.subplots(figsize=(9, 0.38 * len(rows) + 1.6))
    positions = range(len(rows))
    ax.barh(positions, rows["share"] * 100, color=bar, alpha=0.45, label="consensus share of the coded documents")
    ax.errorbar(rows["share"] * 100, positions, fmt="none", ecolor="0.15", capsize=3,
                xerr=[(rows["share"] - rows["lower"]) * 100, (rows["upper"] - rows["share"]) * 100],
                label=f"{confidence_level(confidence)} Wilson interval")
    ax.scatter(rows["article_share"] * 100, positions, marker="D", s=42, color=mark, zorder=3,
               label="article's count read as a share of its sample")
    if watermark:
        ax.text(0.5, 0.5, watermark, transform=ax.transAxes, ha="center", va="center", rotation=25,
                fontsize=54, color="0.5", alpha=0.18, zorder=0)
    ax.set_yticks(list(positions), rows["label"])
    ax.invert_yaxis()
    ax.set(title=title, xlabel="Share of documents coded 1 (per cent)", ylabel="", xlim=(0, 100))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False, fontsize=8)
    fig.tight_layout()
    drawn = drawn_bars(Chart(fig, ""))
    alt = (f"{title} (bar chart): the consensus share of each indicator in per cent, with its interval; the "
           "article's count read as a share of its sample as a diamond: " + "; ".join(
               f"{row.label} {value}% (article {row.article_share:.0%})"
               for row, value in zip(rows.itertuples(), drawn["value"], strict=True)) + ".")
    return chart(fig, alt)
