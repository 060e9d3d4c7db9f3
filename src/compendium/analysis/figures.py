"""One plotting function per kind of figure, drawn with one shared seaborn theme."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from compendium.analysis.stats import rating_scale
from matplotlib.ticker import MaxNLocator

PALETTE = "cividis"  # sequential and readable with every common colour-vision deficiency


def set_theme() -> None:
    """Apply the compendium's one figure theme (call once per notebook).

    In a notebook kernel it also makes every figure output carry PNG and SVG, so both can be
    offered for download.
    """
    from IPython import get_ipython

    if get_ipython() is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png", "svg")
    sns.set_theme(context="notebook", style="whitegrid", font="DejaVu Sans",
                  rc={"figure.dpi": 100, "savefig.dpi": 150, "svg.hashsalt": "compendium",
                      "text.parse_math": False})  # labels from data are shown literally, never as TeX


def frequency_bars(rows: pd.DataFrame, title: str, legend_title: str, intervals: pd.DataFrame | None = None):
    """Horizontal bars, one per table row in printed order: count of sources, coloured by rating.

    ``rows`` are the findings of one table. With ``intervals`` (``stats.wilson_intervals``
    for the same rows), whiskers show each interval on the count scale. Returns the Figure.
    """
    rating = rating_scale(rows)
    levels = list(rows[rating].cat.categories)
    colours = dict(zip(levels, sns.color_palette(PALETTE, len(levels))))
    fig, ax = plt.subplots(figsize=(9, 3.6))
    sns.barplot(data=rows, x="n_sources", y="label", hue=rating, hue_order=levels,
                order=list(rows["label"]), palette=colours, dodge=False, ax=ax, legend=True)
    if intervals is not None:
        n = intervals["n_sources"] / intervals["share"]
        ax.errorbar(intervals["n_sources"], range(len(intervals)), fmt="none", ecolor="0.15", capsize=3,
                    xerr=[intervals["n_sources"] - intervals["lower"] * n, intervals["upper"] * n - intervals["n_sources"]])
    else:
        for container in ax.containers:
            ax.bar_label(container, padding=3, fmt="%d")
    printed = dict(zip(rows[rating].astype(str), rows["rating_printed"]))
    handles, keys = ax.get_legend_handles_labels()
    shown = [(h, printed[k]) for h, k in zip(handles, keys) if k in printed]
    ax.legend([h for h, _ in shown], [p for _, p in shown], title=legend_title,
              loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    xlabel = "Number of sampled documents"
    if intervals is not None:
        xlabel += f" (whiskers: {intervals.attrs['confidence']:.0%} Wilson interval)"
    ax.set(title=title, xlabel=xlabel, ylabel="")
    right = (intervals["upper"] * intervals["n_sources"] / intervals["share"]).max() if intervals is not None else 0
    ax.set_xlim(0, max(rows["n_sources"].max() * 1.15, right * 1.05, 1))
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


KIND_LAYER = {"theory": 0, "condition": 1, "constraint": 1, "role": 2, "outcome": 3}


def _layered_positions(graph) -> dict:
    """Node positions in columns by layer, each column ordered to keep edges short (barycentre sweeps)."""
    layers: dict[int, list] = {}
    for node in sorted(graph.nodes):
        layers.setdefault(graph.nodes[node]["layer"], []).append(node)

    def height(node) -> float:
        column = layers[graph.nodes[node]["layer"]]
        return column.index(node) / max(len(column) - 1, 1)

    for _ in range(4):
        for layer in sorted(layers):
            def barycentre(node):
                others = [m for m in (*graph.predecessors(node), *graph.successors(node))
                          if graph.nodes[m]["layer"] != layer]
                return sum(map(height, others)) / len(others) if others else height(node)
            layers[layer].sort(key=lambda n: (barycentre(n), n))
    return {node: (layer, -(i - (len(column) - 1) / 2))
            for layer, column in layers.items() for i, node in enumerate(column)}


def framework_graph(edges: pd.DataFrame, title: str):
    """The theoretical framework as a layered graph: theories → conditions/constraints → roles → outcomes.

    ``edges`` has one row per edge (source, target, their kinds, basis). Solid arrows are
    links the article states, dashed arrows the compendium's reading. Returns the Figure.
    """
    import networkx as nx

    graph = nx.DiGraph()
    for edge in edges.itertuples():
        graph.add_node(edge.source, kind=edge.source_kind, layer=KIND_LAYER[edge.source_kind])
        graph.add_node(edge.target, kind=edge.target_kind, layer=KIND_LAYER[edge.target_kind])
        graph.add_edge(edge.source, edge.target, basis=edge.basis)
    pos = _layered_positions(graph)
    nodes = sorted(graph.nodes, key=lambda n: (graph.nodes[n]["layer"], n))
    kinds = list(dict.fromkeys(k for k in KIND_LAYER if k in {graph.nodes[n]["kind"] for n in nodes}))
    colours = dict(zip(kinds, sns.color_palette("colorblind", len(kinds))))
    fig, ax = plt.subplots(figsize=(11, 6))
    for source, target, attrs in graph.edges(data=True):
        skips = abs(graph.nodes[source]["layer"] - graph.nodes[target]["layer"]) > 1
        nx.draw_networkx_edges(graph, pos, edgelist=[(source, target)], ax=ax, arrows=True,
                               style="solid" if attrs["basis"] == "stated" else "dashed",
                               arrowsize=14, edge_color="0.35", node_size=3000,
                               connectionstyle=f"arc3,rad={0.3 if skips else 0.05}")
    for node in nodes:
        x, y = pos[node]
        ax.text(x, y, node.replace(" ", "\n", 2) if len(node) > 18 else node, ha="center", va="center",
                fontsize=9, wrap=True,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": colours[graph.nodes[node]["kind"]],
                      "alpha": 0.35, "edgecolor": "0.3"})
    handles = [plt.Line2D([], [], marker="s", linestyle="", markersize=12, alpha=0.6,
                          color=colours[k], label=k) for k in kinds]
    handles += [plt.Line2D([], [], color="0.35", linestyle=s, label=lab)
                for s, lab in (("solid", "stated in the article"), ("dashed", "compendium's reading"))]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=len(handles), frameon=False)
    ax.set_title(title)
    ax.margins(x=0.12, y=0.1)
    ax.axis("off")
    fig.tight_layout()
    plt.close(fig)
    return fig


def citation_heatmap(counts: pd.DataFrame, title: str):
    """Works (rows) by section (columns), each cell the number of citations. Returns the Figure."""
    fig, ax = plt.subplots(figsize=(7, 0.28 * len(counts) + 1.5))
    sns.heatmap(counts, annot=True, fmt="d", cmap=PALETTE + "_r", cbar=False, linewidths=0.5,
                linecolor="white", ax=ax, annot_kws={"fontsize": 8})
    ax.set(title=title, xlabel="Section of the article", ylabel="")
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


def year_dots(years: pd.DataFrame, window: tuple[int, int], title: str):
    """One dot per listed work at its publication year, stacked, with the stated window shaded."""
    fig, ax = plt.subplots(figsize=(9, 3.2))
    ax.axvspan(window[0] - 0.5, window[1] + 0.5, color=sns.color_palette(PALETTE, 3)[2], alpha=0.25,
               label=f"stated window {window[0]}–{window[1]}")
    stacked = years.sort_values(["year", "work"]).assign(level=lambda d: d.groupby("year").cumcount() + 1)
    for inside, marker, colour in ((True, "o", "0.2"), (False, "X", "#d55e00")):
        part = stacked[stacked["inside_window"] == inside]
        ax.scatter(part["year"], part["level"], marker=marker, s=45, color=colour,
                   label="inside the window" if inside else "outside the window")
    ax.set(title=title, xlabel="Publication year", ylabel="Works")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", frameon=False, fontsize=9)
    fig.tight_layout()
    plt.close(fig)
    return fig


def composition_bars(table: pd.DataFrame, title: str):
    """Stated sample and reference list side by side, per source type. Returns the Figure."""
    long = table.melt(id_vars=["label"], value_vars=["stated_sample", "reference_list"],
                      var_name="basis", value_name="n")
    long["basis"] = long["basis"].map({"stated_sample": "stated sample (sections 3.4, abstract)",
                                       "reference_list": "reference list (classified by entry type)"})
    fig, ax = plt.subplots(figsize=(8, 3.4))
    sns.barplot(data=long, x="n", y="label", hue="basis", palette="colorblind", ax=ax)
    for container in ax.containers:
        ax.bar_label(container, padding=3, fmt="%d")
    ax.set(title=title, xlabel="Number of documents or entries", ylabel="")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(title="", loc="lower right", frameon=True, fontsize=9)
    fig.tight_layout()
    plt.close(fig)
    return fig


def indicator_dots(rows: pd.DataFrame, sample_size: int, title: str):
    """Every indicator of Tables 1-3 as a dot at its share of the sample, coloured by horizon.

    A dotted line marks the mean share of each horizon group. Returns the Figure.
    """
    ordered = rows.sort_values(["horizon", "share"], ascending=[True, False])
    groups = list(dict.fromkeys(ordered["horizon"]))
    colours = dict(zip(groups, sns.color_palette("colorblind", len(groups))))
    fig, ax = plt.subplots(figsize=(9, 5.5))
    sns.stripplot(data=ordered, x="share", y="label", hue="horizon", palette=colours,
                  size=9, jitter=False, ax=ax, order=list(ordered["label"]))
    for group, part in ordered.groupby("horizon"):
        ax.axvline(part["share"].mean(), linestyle="dotted", color=colours[group], linewidth=1.4)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set(title=title, xlabel=f"Share of the {sample_size} sampled documents (dotted: mean of the group)",
           ylabel="")
    ax.legend(title="", loc="lower right", frameon=True)
    fig.tight_layout()
    plt.close(fig)
    return fig
