"""One plotting function per kind of figure, in one theme, and for each kind a listing of what it drew.

Every plotting function returns a ``Chart``: the matplotlib figure and alt text computed from
what was drawn. In a notebook a chart displays as PNG (at least 1600 px wide, with the height of its smallest
text in pixels, for pages that show it at a legible size) and SVG (its text as text), both
carrying the alt text, and as that text for plain-text front ends. Figures are drawn at the
PDF's text width, so their text keeps its size in print. The ``drawn_*`` functions read a
chart's artists back into a table: notebooks print it under each figure, so the notebook
regression tests compare what is plotted rather than image bytes.
"""
from __future__ import annotations

import base64
import io
import textwrap
from dataclasses import dataclass
from itertools import pairwise

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle
from matplotlib.path import Path as Curve
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator, PercentFormatter

from compendium.analysis.phrasing import level as confidence_level
from compendium.analysis.stats import rating_scale

PALETTE = "cividis"  # ordinal ratings: readable with every common colour-vision deficiency
SEQUENTIAL = "Blues"  # counts: zero is white, more is darker
WIDTH = 6.3  # inches, the PDF's text width: a figure printed at text width keeps its point sizes
DPI = 260  # PNG pixels per inch: 6.3 in gives 1638 px
SMALLEST_TEXT = 9  # points, the smallest text any figure draws
THEME = {"font.size": 10, "figure.titlesize": 11, "axes.labelsize": 10, "xtick.labelsize": 9.5,
         "ytick.labelsize": 9.5, "legend.fontsize": 9.5, "legend.title_fontsize": 9.5,
         "figure.dpi": 100, "svg.hashsalt": "compendium",
         "svg.fonttype": "none",  # SVG text stays text (searchable, selectable), in the fonts it names
         "text.parse_math": False}  # labels from data are shown literally, never as TeX


@dataclass(frozen=True)
class Chart:
    """A drawn figure with its alt text: one or two sentences on what it shows, computed from what was drawn."""

    figure: Figure
    alt: str

    def png(self) -> bytes:
        """The figure as PNG, ``WIDTH * DPI`` pixels wide."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=DPI)
        return buffer.getvalue()

    def svg(self) -> str:
        """The figure as SVG, without a creation date so that an unchanged figure is an unchanged file."""
        buffer = io.StringIO()
        self.figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    def smallest_text_px(self) -> float:
        """The height of the smallest text drawn, in pixels of the PNG (its font size in points at ``DPI``)."""
        sizes = [text.get_fontsize() for text in self.figure.findobj(Text)
                 if text.get_visible() and text.get_text().strip()]
        return round(min(sizes) * DPI / 72, 1)

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        described = {"alt": self.alt}
        shown = {**described, "smallest_text_px": self.smallest_text_px()}
        return ({"image/png": base64.b64encode(self.png()).decode("ascii"), "image/svg+xml": self.svg(),
                 "text/plain": self.alt},
                {"image/png": shown, "image/svg+xml": described})


def set_theme() -> None:
    """Apply the compendium's one figure theme (call once per notebook)."""
    sns.set_theme(context="paper", style="whitegrid", font="DejaVu Sans", rc=THEME)


def _new(height: float):
    return plt.subplots(figsize=(WIDTH, height), layout="constrained")


def chart(fig, alt: str) -> Chart:
    """Close ``fig`` (it is shown through the chart) and return it as a Chart with its alt text."""
    plt.close(fig)
    return Chart(fig, alt)


def _listed(pairs) -> str:
    return "; ".join(f"{label} {value}" for label, value in pairs)


# Bars ---------------------------------------------------------------------------------------

def frequency_bars(rows: pd.DataFrame, title: str, legend_title: str, intervals: pd.DataFrame | None = None) -> Chart:
    """Horizontal bars, one per table row in printed order: count of sources, coloured by rating.

    ``rows`` are the findings of one table. With ``intervals`` (``stats.wilson_intervals``,
    which carries each row's sample size ``n``), a whisker shows each row's interval on the
    count scale; intervals are matched to bars by (table, row), not by position.
    """
    rating = rating_scale(rows)
    levels = list(rows[rating].cat.categories)
    colours = dict(zip(levels, sns.color_palette(PALETTE, len(levels)), strict=True))
    fig, ax = _new(0.42 * len(rows) + 1.9)
    sns.barplot(data=rows, x="n_sources", y="label", hue=rating, hue_order=levels, order=list(rows["label"]),
                palette=colours, dodge=False, ax=ax, legend=True)
    counts = rows["n_sources"].astype(float).to_numpy()
    right = counts.max(initial=0)
    if intervals is not None:
        keys = pd.MultiIndex.from_arrays([rows["table"].astype(int), rows["row"].astype(int)])
        matched = intervals.set_index(["table", "row"]).reindex(keys)
        if matched["n"].isna().any():
            missing = [f"table {t} row {r}" for (t, r), gap in zip(keys, matched["n"].isna(), strict=True) if gap]
            raise ValueError(f"no interval for {', '.join(missing)}")
        low, high = (matched["lower"] * matched["n"]).to_numpy(), (matched["upper"] * matched["n"]).to_numpy()
        ax.errorbar(counts, np.arange(len(rows)), xerr=[counts - low, high - counts], fmt="none", ecolor="0.15",
                    capsize=3)
        right = max(right, high.max(initial=0))
    else:
        for container in ax.containers:
            ax.bar_label(container, padding=3, fmt="%d", fontsize=9.5)
    printed = dict(zip(rows[rating].astype(str), rows["rating_printed"], strict=True))
    handles, keys_shown = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    shown = [(h, printed[k]) for h, k in zip(handles, keys_shown, strict=True) if k in printed]
    fig.legend([h for h, _ in shown], [p for _, p in shown], title=legend_title, loc="outside lower center",
               ncol=min(len(shown), 3), frameon=False)
    xlabel = "Sources, read as sampled documents"
    if intervals is not None:
        xlabel += f"\n(whiskers: {confidence_level(intervals.attrs['confidence'])} Wilson interval)"
    fig.suptitle(title)
    ax.set(xlabel=xlabel, ylabel="")
    ax.set_xlim(0, max(right * 1.08, counts.max(initial=0) * 1.15, 1))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    drawn = drawn_bars(Chart(fig, ""))
    alt = f"Bar chart, {title}: one bar per row, its length the count printed, read as a number of sampled documents: "
    alt += _listed(zip(drawn["label"], drawn["value"], strict=True))
    if intervals is not None:
        alt += f". Whiskers show each count's {confidence_level(intervals.attrs['confidence'])} interval."
    return chart(fig, alt)


def composition_bars(table: pd.DataFrame, title: str) -> Chart:
    """Stated sample and reference list side by side, per source type."""
    bases = {"stated_sample": "stated sample (sections 3.4, abstract)",
             "reference_list": "reference list (classified by entry type)"}
    long = table.melt(id_vars=["label"], value_vars=list(bases), var_name="basis", value_name="n")
    long["basis"] = long["basis"].map(bases)
    fig, ax = _new(2.2 + 0.55 * len(table))
    sns.barplot(data=long, x="n", y="label", hue="basis", palette="colorblind", ax=ax)
    for container in ax.containers:
        ax.bar_label(container, padding=3, fmt="%d", fontsize=9.5)
    fig.suptitle(title)
    ax.set(xlabel="Number of documents or entries", ylabel="")
    ax.set_xlim(0, max(long["n"].max() * 1.15, 1))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    handles, labels = ax.get_legend_handles_labels()
    ax.get_legend().remove()
    fig.legend(handles, labels, loc="outside lower center", ncol=1, frameon=False)
    drawn = drawn_bars(Chart(fig, ""))
    alt = f"Bar chart, {title}: two bars per source type, " + "; ".join(
        f"{label}: {', '.join(f'{s} {v}' for s, v in zip(part['series'], part['value'], strict=True))}"
        for label, part in drawn.groupby("label", sort=False))
    return chart(fig, alt)


def drawn_bars(chart: Chart) -> pd.DataFrame:
    """What a bar chart shows: one row per drawn bar (zero-length ones included), its axis label,
    its series (the colour's meaning) and its length; and the ends of its whisker, where one is drawn.
    """
    ax = chart.figure.axes[0]
    ticks = list(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels()), strict=True))

    def label_at(y: float) -> str:
        return min(ticks, key=lambda tick: abs(tick[0] - y))[1]

    whiskers = {}
    for collection in ax.collections:
        if isinstance(collection, LineCollection):
            for (x0, y), (x1, _) in collection.get_segments():
                whiskers[label_at(y)] = (round(float(x0), 2), round(float(x1), 2))
    legend = chart.figure.legends[0] if chart.figure.legends else ax.get_legend()
    series = {tuple(handle.get_facecolor()): text.get_text()
              for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True)
              if isinstance(handle, Rectangle)} if legend else {}
    rows = []
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        for patch in container.patches:
            if np.isnan(patch.get_width()):
                continue
            label = label_at(patch.get_y() + patch.get_height() / 2)
            rows.append({"label": label, "series": series.get(tuple(patch.get_facecolor()), ""),
                         "value": int(round(patch.get_width())),
                         **({"whisker_from": whiskers[label][0], "whisker_to": whiskers[label][1]}
                            if label in whiskers else {})})
    order = [label for _, label in ticks]
    frame = pd.DataFrame(rows)
    return frame.sort_values("label", key=lambda s: s.map(order.index), kind="stable", ignore_index=True)


# Dots ---------------------------------------------------------------------------------------

def year_dots(years: pd.DataFrame, window: tuple[int, int], title: str) -> Chart:
    """One dot per listed work at its publication year, stacked, with the stated window shaded."""
    fig, ax = _new(3.1)
    ax.axvspan(window[0] - 0.5, window[1] + 0.5, color=sns.color_palette(PALETTE, 3)[2], alpha=0.25,
               label=f"stated window {window[0]}–{window[1]}")
    stacked = years.sort_values(["year", "work"]).assign(level=lambda d: d.groupby("year").cumcount() + 1)
    for inside, marker, colour in ((True, "o", "0.2"), (False, "X", "#d55e00")):
        part = stacked[stacked["inside_window"] == inside]
        ax.scatter(part["year"], part["level"], marker=marker, s=40, color=colour,
                   label="inside the window" if inside else "outside the window")
    fig.suptitle(title)
    ax.set(xlabel="Publication year", ylabel="Works")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3, frameon=False)
    drawn = drawn_dots(Chart(fig, ""))
    groups = drawn.groupby("group", sort=False).size()
    alt = (f"Dot plot, {title}: one dot per work at its year, from {int(drawn['x'].min())} to "
           f"{int(drawn['x'].max())}, against the shaded {window[0]}–{window[1]} window: "
           + _listed((count, group) for group, count in groups.items()) + ".")
    return chart(fig, alt)


def indicator_dots(rows: pd.DataFrame, sample_size: int, title: str) -> Chart:
    """Every indicator of Tables 1-3 as a dot at its share of the sample, coloured by horizon.

    A dotted line marks the mean share of each horizon group.
    """
    ordered = rows.sort_values(["horizon", "share"], ascending=[True, False], ignore_index=True)
    groups = list(dict.fromkeys(ordered["horizon"]))
    colours = dict(zip(groups, sns.color_palette("colorblind", len(groups)), strict=True))
    fig, ax = _new(0.3 * len(ordered) + 1.9)
    positions = pd.Series(range(len(ordered)), index=ordered.index)
    for group in groups:
        part = ordered[ordered["horizon"] == group]
        ax.scatter(part["share"], positions[part.index], s=55, color=colours[group], label=group, zorder=3)
        ax.axvline(part["share"].mean(), linestyle="dotted", color=colours[group], linewidth=1.4)
    ax.set_xlim(0, max(ordered["share"].to_numpy().max(initial=0) * 1.1, 0.05))
    ax.set_yticks(range(len(ordered)), ordered["label"])
    ax.set_ylim(len(ordered) - 0.5, -0.5)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    fig.suptitle(title)
    ax.set(xlabel=f"Count read as a share of the {sample_size} sampled documents\n(dotted line: mean of the group)",
           ylabel="")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=len(groups), frameon=False)
    drawn = drawn_dots(Chart(fig, ""))
    alt = f"Dot plot, {title}: one dot per indicator at its count read as a share of the sample; " + "; ".join(
        f"{group}: " + ", ".join(f"{y} {x:.0%}" for x, y in zip(part["x"], part["y"], strict=True))
        for group, part in drawn.groupby("group", sort=False)) + "."
    return chart(fig, alt)


def drawn_dots(chart: Chart) -> pd.DataFrame:
    """What a dot plot shows: one row per dot, its group (legend entry), x and y; y is the axis
    label where the y axis is labelled, the plotted value otherwise."""
    ax = chart.figure.axes[0]
    labels = {round(t, 6): lab.get_text() for t, lab in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)}
    categorical = any(not text.lstrip("−-").replace(".", "").isdigit() for text in labels.values() if text)
    rows = []
    for collection in ax.collections:
        if isinstance(collection, PathCollection):
            for x, y in collection.get_offsets():
                rows.append({"group": collection.get_label(), "x": round(float(x), 4),
                             "y": labels[round(float(y), 6)] if categorical else round(float(y), 4)})
    return pd.DataFrame(rows)


def drawn_boxes(chart: Chart) -> pd.DataFrame:
    """What a diagram of boxes shows: one row per box (``gid="box"``), top to bottom and left to
    right, with the texts written inside it, one per line."""
    ax = chart.figure.axes[0]
    boxes = sorted({tuple(round(v, 6) for v in p.get_bbox().extents) for p in ax.patches if p.get_gid() == "box"},
                   key=lambda b: (-b[3], b[0]))
    rows = []
    for number, (x0, y0, x1, y1) in enumerate(boxes, start=1):
        inside = [t for t in ax.texts if x0 <= t.get_position()[0] <= x1 and y0 <= t.get_position()[1] <= y1]
        inside.sort(key=lambda t: -t.get_position()[1])
        rows.append({"box": number, "text": "\n".join(t.get_text().replace("\n", " ") for t in inside)})
    return pd.DataFrame(rows, columns=["box", "text"])


# Heat map -----------------------------------------------------------------------------------

def citation_heatmap(counts: pd.DataFrame, title: str) -> Chart:
    """Works (rows) by section (columns), each cell the number of citations; empty cells stay white."""
    fig, ax = _new(0.21 * len(counts) + 1.4)
    labels = counts.where(counts > 0).map(lambda v: "" if pd.isna(v) else f"{int(v)}")
    top = counts.to_numpy().max(initial=0) + 1  # the darkest shade unused, so every number stays legible
    sns.heatmap(counts, annot=labels, fmt="", cmap=SEQUENTIAL, vmin=0, vmax=top, cbar=False, linewidths=0.5,
                linecolor="0.9", ax=ax, annot_kws={"fontsize": 9})
    fig.suptitle(title)
    ax.set(xlabel="Section of the article", ylabel="")
    ax.tick_params(axis="y", labelsize=9)
    drawn = drawn_cells(Chart(fig, ""))
    busiest = drawn.sort_values("count", ascending=False, kind="stable").iloc[0] if len(drawn) else None
    alt = (f"Heat map, {title}: {len(counts)} works (rows) by {counts.shape[1]} sections (columns), "
           f"darker for more citations; {len(drawn)} cells hold {int(drawn['count'].sum()) if len(drawn) else 0} "
           "citations")
    if busiest is not None:
        alt += f", the most ({int(busiest['count'])}) for {busiest['row']} in section {busiest['column']}"
    return chart(fig, alt + ".")


def drawn_cells(chart: Chart) -> pd.DataFrame:
    """What a heat map shows: one row per non-empty cell, its row and column labels and its value."""
    ax = chart.figure.axes[0]
    mesh = ax.collections[0]
    rows = [t.get_text() for t in ax.get_yticklabels()]
    columns = [t.get_text() for t in ax.get_xticklabels()]
    values = np.asarray(mesh.get_array()).reshape(len(rows), len(columns))
    cells = [{"row": r, "column": c, "count": int(values[i, j])}
             for i, r in enumerate(rows) for j, c in enumerate(columns) if values[i, j]]
    return pd.DataFrame(cells, columns=["row", "column", "count"])


# Framework graph ----------------------------------------------------------------------------

KIND_LAYER = {"theory": 0, "condition": 1, "constraint": 1, "role": 2, "outcome": 3}
GRAPH_TEXT = SMALLEST_TEXT  # points: boxes and relation labels
BOX_PAD, GAP, DUMMY = 0.07, 0.3, 0.12  # inches: inside a box, between items of a column, a passing edge's slot
ROUTE = "compendium_route"  # attribute of each arrow: the route it was drawn along


def _wrapped(label: str) -> str:
    width = max(13, *(len(word) for word in label.split()))
    return "\n".join(textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False))


def _ordered_columns(graph, chains: dict) -> dict[int, list]:
    """Each layer's items (nodes, and edges passing through as ``("via", source, target)``) ordered
    to keep edges short and uncrossed (barycentre sweeps)."""
    columns: dict[int, list] = {}
    for node in sorted(graph.nodes):
        columns.setdefault(graph.nodes[node]["layer"], []).append(node)
    neighbours: dict = {}
    for items in chains.values():
        for layer, item in items[1:-1]:
            columns.setdefault(layer, []).append(item)
        path = [item for _, item in items]
        for a, b in pairwise(path):
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
    layer_of = {item: layer for layer, items in columns.items() for item in items}

    def height(item) -> float:
        column = columns[layer_of[item]]
        return column.index(item) / max(len(column) - 1, 1)

    def barycentre(item) -> float:
        others = [height(o) for o in neighbours.get(item, []) if layer_of[o] != layer_of[item]]
        return sum(others) / len(others) if others else height(item)

    for _ in range(6):
        for layer in sorted(columns):
            columns[layer].sort(key=lambda item: (barycentre(item), str(item)))
    return columns


def framework_graph(edges: pd.DataFrame, title: str) -> Chart:
    """The theoretical framework as a layered graph: theories → conditions/constraints → roles → outcomes.

    ``edges`` has one row per edge (source, target, their kinds, relation, basis). Solid
    arrows are links the article states, dashed arrows the compendium's reading; each arrow
    carries its relation. An edge that skips a layer passes through a slot of its own there,
    so no arrow crosses a box it does not join.
    """
    import networkx as nx

    graph = nx.DiGraph()
    for edge in edges.itertuples():
        graph.add_node(edge.source, kind=edge.source_kind, layer=KIND_LAYER[edge.source_kind])
        graph.add_node(edge.target, kind=edge.target_kind, layer=KIND_LAYER[edge.target_kind])
        graph.add_edge(edge.source, edge.target, basis=edge.basis, relation=edge.relation)
    chains = {}
    for source, target in graph.edges:
        a, b = graph.nodes[source]["layer"], graph.nodes[target]["layer"]
        step = 1 if b >= a else -1
        passing = [(layer, ("via", source, target)) for layer in range(a + step, b, step)]
        chains[(source, target)] = [(a, source), *passing, (b, target)]
    columns = _ordered_columns(graph, chains)
    kinds = [k for k in KIND_LAYER if k in {graph.nodes[n]["kind"] for n in graph.nodes}]
    colours = dict(zip(kinds, sns.color_palette("colorblind", len(kinds)), strict=True))

    fig = plt.figure(figsize=(WIDTH, 5))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.axis("off")
    renderer = fig.canvas.get_renderer()

    def size(text) -> tuple[float, float]:
        box = text.get_window_extent(renderer)
        return box.width / fig.dpi, box.height / fig.dpi

    texts = {node: ax.text(0, 0, _wrapped(node), ha="center", va="center", fontsize=GRAPH_TEXT, gid="node-label",
                           zorder=3) for node in graph.nodes}
    extents = {node: size(text) for node, text in texts.items()}
    box_height = max(h for _, h in extents.values()) + 2 * BOX_PAD
    widths = {layer: max((extents[i][0] for i in items if i in extents), default=0) + 2 * BOX_PAD
              for layer, items in columns.items()}
    gap = (WIDTH - 0.1 - sum(widths.values())) / (len(columns) - 1)
    centre, x = {}, 0.05
    for layer in sorted(columns):
        centre[layer] = x + widths[layer] / 2
        x += widths[layer] + gap
    heights = {layer: sum(box_height if i in graph.nodes else DUMMY for i in items) + GAP * (len(items) - 1)
               for layer, items in columns.items()}
    legend_room, title_room = 0.55, 0.45
    body = max(heights.values())
    total = body + legend_room + title_room
    fig.set_size_inches(WIDTH, total)
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, total)
    at = {}
    for layer, items in columns.items():
        y = legend_room + (body + heights[layer]) / 2
        for item in items:
            h = box_height if item in graph.nodes else DUMMY
            at[item] = (centre[layer], y - h / 2)
            y -= h + GAP
    boxes = {}
    for node in graph.nodes:
        cx, cy = at[node]
        w = widths[graph.nodes[node]["layer"]]
        boxes[node] = (cx - w / 2, cy - box_height / 2, cx + w / 2, cy + box_height / 2)
        tint = [0.65 + 0.35 * c for c in colours[graph.nodes[node]["kind"]]]
        ax.add_patch(FancyBboxPatch((cx - w / 2, cy - box_height / 2), w, box_height, gid="node", zorder=2,
                                    boxstyle="round,pad=0,rounding_size=0.06", facecolor=tint, edgecolor="0.3"))
        texts[node].set_position((cx, cy))

    ports = _ports(graph, chains, at, boxes)
    placed = []
    for (source, target), items in chains.items():
        points = [ports[(source, target, "out")]]
        for _, item in items[1:-1]:
            cx, cy = at[item]
            w = widths[_layer_of(columns, item)]
            side = [(cx - w / 2, cy), (cx + w / 2, cy)]
            points += side if points[0][0] < cx else side[::-1]
        points.append(ports[(source, target, "in")])
        path = _smooth(points, same_column=graph.nodes[source]["layer"] == graph.nodes[target]["layer"])
        basis = graph.edges[source, target]["basis"]
        arrow = FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=11, color="0.3", linewidth=1.1,
                                linestyle="solid" if basis == "stated" else (0, (4, 2.5)), gid="edge", zorder=1)
        setattr(arrow, ROUTE, path)
        ax.add_patch(arrow)
        relation = graph.edges[source, target]["relation"]
        label = ax.text(0, 0, relation, fontsize=GRAPH_TEXT, ha="center", va="center", gid="relation", zorder=4,
                        bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none",
                              "alpha": 0.92})
        placed.append(_place_label(label, path, size(label), list(boxes.values()), placed))
    ax.text(WIDTH / 2, total - title_room / 2, title, ha="center", va="center", fontsize=11)
    handles = [plt.Line2D([], [], marker="s", linestyle="", markersize=10, markeredgecolor="0.3",
                          color=[0.65 + 0.35 * c for c in colours[k]], label=k) for k in kinds]
    handles += [plt.Line2D([], [], color="0.3", linestyle=s, label=lab)
                for s, lab in (("solid", "stated in the article"), ((0, (4, 2.5)), "compendium's reading"))]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=GRAPH_TEXT,
               bbox_to_anchor=(0.5, 0), columnspacing=1.2, handlelength=2.2)
    drawn = drawn_graph(Chart(fig, ""))
    alt = (f"Diagram, {title}: {graph.number_of_nodes()} boxes in {len(kinds)} kinds "
           f"({', '.join(kinds)}), joined by {len(drawn)} arrows: "
           + "; ".join(f"{e.source} {e.relation} {e.target}{'' if e.line == 'solid' else ' (dashed)'}"
                       for e in drawn.itertuples()) + ".")
    return chart(fig, alt)


def _layer_of(columns: dict, item) -> int:
    return next(layer for layer, items in columns.items() if item in items)


def _ports(graph, chains: dict, at: dict, boxes: dict) -> dict:
    """Where each edge leaves its source box and enters its target box: on the side facing the
    next item of its chain, spread along that side in the order of the items they lead to."""
    sides: dict = {}
    for (source, target), items in chains.items():
        for end, node, toward in (("out", source, items[1][1]), ("in", target, items[-2][1])):
            x0, y0, x1, y1 = boxes[node]
            tx, ty = at[toward]
            if abs(tx - at[node][0]) < 1e-9:  # same column: leave and enter through top or bottom
                side = "bottom" if ty < at[node][1] else "top"
            else:
                side = "right" if tx > at[node][0] else "left"
            sides.setdefault((node, side), []).append(((source, target, end), tx, ty))
    ports = {}
    for (node, side), uses in sides.items():
        x0, y0, x1, y1 = boxes[node]
        if side in ("left", "right"):
            uses.sort(key=lambda u: -u[2])
            x = x1 if side == "right" else x0
            span = (y1 - y0) * 0.6
            for i, (key, _, _) in enumerate(uses):
                ports[key] = (x, (y0 + y1) / 2 + span / 2 - span * (i + 0.5) / len(uses))
        else:
            uses.sort(key=lambda u: u[1])
            y = y0 if side == "bottom" else y1
            span = (x1 - x0) * 0.6
            for i, (key, _, _) in enumerate(uses):
                ports[key] = ((x0 + x1) / 2 - span / 2 + span * (i + 0.5) / len(uses), y)
    return ports


def _smooth(points: list[tuple[float, float]], same_column: bool) -> Curve:
    """A path through ``points``: horizontal runs stay straight, each jump between columns is an
    S-curve whose control points stay inside the gap it crosses (so it enters no box)."""
    if same_column:
        return Curve(points, [Curve.MOVETO, Curve.LINETO])
    vertices, codes = [points[0]], [Curve.MOVETO]
    for (x0, y0), (x1, y1) in pairwise(points):
        if abs(y1 - y0) < 1e-9 or abs(x1 - x0) < 1e-9:
            vertices.append((x1, y1))
            codes.append(Curve.LINETO)
        else:
            middle = (x0 + x1) / 2
            vertices += [(middle, y0), (middle, y1), (x1, y1)]
            codes += [Curve.CURVE4] * 3
    return Curve(vertices, codes)


def _place_label(label, path: Curve, extent: tuple[float, float], boxes: list, placed: list) -> tuple:
    """Put a relation label on its arrow where it covers no box and no other label; return its extent."""
    w, h = extent[0] + 0.06, extent[1] + 0.04
    points = path.interpolated(40).vertices
    order = sorted(range(len(points)), key=lambda i: abs(i - len(points) / 2))
    for offset in (0.0, h * 0.7, -h * 0.7):
        for i in order:
            x, y = points[i][0], points[i][1] + offset
            rect = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
            if not any(_overlap(rect, other) for other in [*boxes, *placed]):
                label.set_position((x, y))
                return rect
    x, y = points[len(points) // 2]
    label.set_position((x, y))
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def drawn_graph(chart: Chart) -> pd.DataFrame:
    """What the framework diagram shows: one row per arrow, read back from its geometry — the box
    it leaves, the relation label on it, the box it enters — and whether it is solid or dashed."""
    ax = chart.figure.axes[0]
    names = [t for t in ax.texts if t.get_gid() == "node-label"]
    boxes = [p for p in ax.patches if p.get_gid() == "node"]
    node_at = [(text.get_text().replace("\n", " "), box.get_bbox().extents) for text, box in
               ((t, next(b for b in boxes if b.get_bbox().contains(*t.get_position()))) for t in names)]
    relations = [t for t in ax.texts if t.get_gid() == "relation"]

    def touching(point) -> str:
        x, y = point
        return next(name for name, (x0, y0, x1, y1) in node_at
                    if x0 - 1e-6 <= x <= x1 + 1e-6 and y0 - 1e-6 <= y <= y1 + 1e-6)

    rows = []
    for arrow in (p for p in ax.patches if p.get_gid() == "edge"):
        path = edge_path(arrow)
        curve = path.interpolated(40).vertices
        relation = min(relations, key=lambda t: np.min(np.hypot(*(curve - np.array(t.get_position())).T)))
        rows.append({"source": touching(path.vertices[0]), "relation": relation.get_text(),
                     "target": touching(path.vertices[-1]),
                     "line": "solid" if arrow.get_linestyle() in ("-", "solid") else "dashed"})
    return pd.DataFrame(rows).sort_values(["source", "target"], ignore_index=True)


def edge_path(arrow: FancyArrowPatch) -> Curve:
    """The route an arrow of the framework diagram follows from box to box, in the diagram's
    coordinates (inches from the lower left corner)."""
    return getattr(arrow, ROUTE)
