"""The appraisal's figures: ENTREQ ratings by domain, and a simplified PRISMA 2020 flow diagram."""
from __future__ import annotations

import textwrap
from itertools import pairwise

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import MaxNLocator

from compendium.analysis.appraisal import NOT_REPORTED, RATINGS
from compendium.analysis.figures import PALETTE, Chart, chart, drawn_bars, drawn_boxes
from compendium.analysis.publish import header


def rating_bars(counts: pd.DataFrame, title: str) -> Chart:
    """One stacked bar per ENTREQ domain (``appraisal.by_domain``): its items by rating, best
    first, darkest for reported."""
    colours = dict(zip(RATINGS, sns.color_palette(PALETTE, len(RATINGS)), strict=True))
    fig, ax = plt.subplots(figsize=(9, 3.4))
    labels = [header(domain) for domain in counts.index]
    left = pd.Series(0, index=counts.index)
    for rating, shown in RATINGS.items():
        ax.barh(labels, counts[rating], left=left, color=colours[rating], label=shown, edgecolor="white")
        left += counts[rating]
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(title=title, xlabel="Number of ENTREQ items", ylabel="")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=len(RATINGS), frameon=False, fontsize=9)
    fig.tight_layout()
    drawn = drawn_bars(Chart(fig, ""))
    alt = f"Stacked bar chart, {title}: ENTREQ items per domain by rating: " + "; ".join(
        f"{label}: " + ", ".join(f"{series} {value}"
                                 for series, value in zip(part["series"], part["value"], strict=True) if value)
        for label, part in drawn.groupby("label", sort=False)) + "."
    return chart(fig, alt)


SIDE = {"excluded"}  # boxes drawn to the right of the main column, beside the box above them


def flow_diagram(boxes: pd.DataFrame, title: str, side_note: str | None = None) -> Chart:
    """A simplified PRISMA 2020 flow diagram: one box per row of ``appraisal.flow_counts``, top to
    bottom, excluded records beside the screening box; boxes the article gives no count for are
    hatched and say "not reported". ``side_note``, when given, stands in a dashed frame beside the
    last box: a remark, not a box of the flow."""
    fig, ax = plt.subplots(figsize=(9, 6.4))
    main = [b for b in boxes.itertuples() if b.box not in SIDE]
    place = {b.box: (0.32, 0.86 - i * 0.25) for i, b in enumerate(main)}
    for b in boxes.itertuples():
        if b.box in SIDE:
            above = main[[m.box for m in main].index("screened")]
            place[b.box] = (0.78, place[above.box][1])
    width, height = 0.38, 0.14
    for b in boxes.itertuples():
        x, y = place[b.box]
        missing = b.counts == NOT_REPORTED
        corner, style = (x - width / 2, y - height / 2), "round,pad=0.01"
        if missing:  # hatched in light grey: the article gives no count
            ax.add_patch(FancyBboxPatch(corner, width, height, boxstyle=style, facecolor="white", edgecolor="0.75",
                                        hatch="///", linewidth=0))
        ax.add_patch(FancyBboxPatch(corner, width, height, boxstyle=style, facecolor="none" if missing else "#dbe4f0",
                                    edgecolor="0.25", linewidth=1.2, gid="box"))
        ax.text(x, y + 0.025, textwrap.fill(b.label, 34), ha="center", va="center", fontsize=9.5,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
        ax.text(x, y - 0.035, b.counts, ha="center", va="center", fontsize=10, weight="bold",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    for upper, lower in pairwise(main):
        (x, y1), (_, y2) = place[upper.box], place[lower.box]
        ax.annotate("", xy=(x, y2 + height / 2), xytext=(x, y1 - height / 2),
                    arrowprops={"arrowstyle": "-|>", "color": "0.25"})
    for side in (b for b in boxes.itertuples() if b.box in SIDE):
        (x, y), (xs, _) = place["screened"], place[side.box]
        ax.annotate("", xy=(xs - width / 2, y), xytext=(x + width / 2, y), arrowprops={"arrowstyle": "-|>",
                                                                                       "color": "0.25"})
    if side_note:
        x, y = place[main[-1].box]
        ax.add_patch(FancyBboxPatch((0.78 - width / 2, y - height / 2), width, height, boxstyle="round,pad=0.01",
                                    facecolor="white", edgecolor="0.45", linestyle="--", linewidth=1.0, gid="box"))
        ax.text(0.78, y, textwrap.fill(side_note, 36), ha="center", va="center", fontsize=9, style="italic")
        ax.plot([x + width / 2, 0.78 - width / 2], [y, y], color="0.45", linestyle=":", linewidth=1.0)
    for phase, part in boxes.groupby("phase", observed=True, sort=False):
        ys = [place[b][1] for b in part["box"]]
        ax.text(0.02, sum(ys) / len(ys), header(str(phase)), rotation=90, ha="center", va="center",
                fontsize=10, weight="bold", color="0.3")
    ax.set(xlim=(0, 1.02), ylim=(0.02, 0.96), title=title)
    ax.axis("off")
    fig.tight_layout()
    drawn = drawn_boxes(Chart(fig, ""))
    alt = f"Flow diagram, {title}: " + "; ".join(drawn["text"].str.replace("\n", " ")) + "."
    return chart(fig, alt)
