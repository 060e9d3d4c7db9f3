"""What the figures draw, read back from their artists: legible, uncluttered, and what the data say."""
from __future__ import annotations

import base64
import itertools
import struct

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from matplotlib.backends.backend_agg import FigureCanvasAgg

from compendium.analysis import data, figures, stats, synthesis

LEVELS = ["low", "low_moderate", "moderate", "moderate_high", "high"]


def rows(counts: list[int]) -> pd.DataFrame:
    """Findings of one made-up table, rated low to high in turn."""
    n = len(counts)
    return pd.DataFrame({
        "table": [7] * n, "row": range(1, n + 1), "key": [f"k{i}" for i in range(1, n + 1)],
        "label": [f"r{i}" for i in range(1, n + 1)],
        "rating_printed": [LEVELS[i % 5].title() for i in range(n)],
        "rating_level": pd.Categorical([LEVELS[i % 5] for i in range(n)], categories=LEVELS, ordered=True),
        "direction": pd.Categorical([None] * n, categories=["limited", "positive"], ordered=True),
        "n_sources": pd.array(counts, dtype="Int64"),
    })


def png_width(chart: figures.Chart) -> int:
    return struct.unpack(">I", chart.png()[16:20])[0]


def boxes(fig, artists) -> list:
    """Where ``artists`` are drawn on ``fig``, in pixels (the figure drawn afresh: charts come closed)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return [a.get_window_extent(canvas.get_renderer()) for a in artists]


def test_a_zero_count_gets_a_whisker_and_whiskers_follow_their_rows():
    findings = rows([0, 5, 9])
    intervals = stats.wilson_intervals(findings, 20, 0.95)
    shuffled = intervals.iloc[[2, 0, 1]]  # matched to bars by (table, row), not by position
    drawn = figures.drawn_bars(figures.frequency_bars(findings, "t", "Level", shuffled))
    assert drawn["label"].tolist() == ["r1", "r2", "r3"] and drawn["value"].tolist() == [0, 5, 9]
    expected = [(round(lo * 20, 2), round(hi * 20, 2))
                for lo, hi in zip(intervals["lower"], intervals["upper"], strict=True)]
    assert list(zip(drawn["whisker_from"], drawn["whisker_to"], strict=True)) == expected
    assert drawn.loc[0, "whisker_from"] == 0 and drawn.loc[0, "whisker_to"] > 0  # 0/0 no longer hides it


def test_bars_without_an_interval_are_refused():
    findings = rows([3, 4])
    intervals = stats.wilson_intervals(findings.iloc[:1], 20, 0.95)
    with pytest.raises(ValueError, match="no interval for table 7 row 2"):
        figures.frequency_bars(findings, "t", "Level", intervals)


def test_charts_come_as_wide_png_and_svg_with_their_alt_text():
    chart = figures.frequency_bars(rows([3, 4]), "A <title>", "Level")
    bundle, metadata = chart._repr_mimebundle_()
    assert png_width(chart) >= 1600
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert bundle["image/svg+xml"].startswith("<?xml") and "<svg" in bundle["image/svg+xml"]
    assert metadata["image/png"]["alt"] == bundle["text/plain"] == chart.alt
    assert chart.alt == ("Bar chart, A <title>: one bar per row, its length the count printed, read as a number "
                         "of sampled documents: r1 3; r2 4")


def test_legends_stay_off_the_data():
    findings = data.load_findings(ROOT / "data")
    intervals = stats.wilson_intervals(findings, 50, 0.95)
    references = data.load_references(ROOT / "references.bib")
    strategy = data.load_search_strategy(ROOT / "data")
    window = synthesis.stated_window(strategy)
    charts = [
        figures.frequency_bars(findings[findings["table"] == 1], "t", "Level", intervals[intervals["table"] == 1]),
        figures.composition_bars(synthesis.composition(data.load_sample(ROOT / "data"), references), "t"),
        figures.year_dots(synthesis.years_against_window(references, window), window, "t"),
        figures.indicator_dots(synthesis.indicators(findings, data.load_codebook(ROOT / "data"), 50), 50, "t"),
    ]
    for chart in charts:
        fig = chart.figure
        [legend] = fig.legends
        [area] = boxes(fig, fig.axes)
        [key] = boxes(fig, [legend])
        assert not key.overlaps(area), chart.alt[:40]


def framework_chart():
    return figures.framework_graph(data.load_framework(ROOT / "data"), "Theoretical Framework Model")


def test_figure_1_text_is_at_least_9_points_at_text_width():
    chart = framework_chart()
    fig = chart.figure
    assert fig.get_size_inches()[0] == figures.WIDTH  # drawn at the PDF's text width, printed at 100 %
    sizes = [t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize") and a.get_text())]
    assert min(sizes) >= figures.SMALLEST_TEXT >= 9
    assert png_width(chart) >= 1600


def test_figure_1_draws_every_edge_with_its_relation_and_line():
    edges = data.load_framework(ROOT / "data")
    drawn = figures.drawn_graph(framework_chart())
    expected = edges.assign(line=edges["basis"].map({"stated": "solid", "compendium": "dashed"}))[
        ["source", "relation", "target", "line"]].sort_values(["source", "target"], ignore_index=True)
    assert drawn.astype(str).values.tolist() == expected.astype(str).values.tolist()


def test_no_edge_of_figure_1_crosses_a_box_it_does_not_join():
    chart = framework_chart()
    ax = chart.figure.axes[0]
    nodes = {t.get_text().replace("\n", " "): b.get_bbox().extents
             for t, b in zip((t for t in ax.texts if t.get_gid() == "node-label"),
                             (p for p in ax.patches if p.get_gid() == "node"), strict=True)}
    drawn = figures.drawn_graph(chart)
    arrows = [p for p in ax.patches if p.get_gid() == "edge"]
    assert len(arrows) == len(drawn) == 13
    for arrow in arrows:
        points = figures.edge_path(arrow).interpolated(200).vertices
        ends = {name for name, (x0, y0, x1, y1) in nodes.items()
                for x, y in (points[0], points[-1]) if x0 - 1e-6 <= x <= x1 + 1e-6 and y0 - 1e-6 <= y <= y1 + 1e-6}
        assert len(ends) == 2
        for name, (x0, y0, x1, y1) in nodes.items():
            if name in ends:
                continue
            inside = (points[:, 0] > x0) & (points[:, 0] < x1) & (points[:, 1] > y0) & (points[:, 1] < y1)
            assert not inside.any(), f"an edge between {ends} crosses {name}"


def test_figure_1_labels_cover_no_box_and_no_other_label():
    chart = framework_chart()
    fig, ax = chart.figure, chart.figure.axes[0]
    labels = boxes(fig, [t.get_bbox_patch() for t in ax.texts if t.get_gid() == "relation"])
    nodes = boxes(fig, [p for p in ax.patches if p.get_gid() == "node"])
    legend = boxes(fig, fig.legends)
    assert len(labels) == 13
    for label in labels:
        assert not any(label.overlaps(node) for node in nodes + legend)
    assert not any(a.overlaps(b) for a, b in itertools.combinations(labels, 2))


def test_the_citation_map_keeps_empty_cells_white_and_lists_the_others():
    counts = pd.DataFrame([[0, 2], [1, 0]], index=["A (2001)", "B (2002)"], columns=["1", "2"])
    chart = figures.citation_heatmap(counts, "t")
    mesh = chart.figure.axes[0].collections[0]
    colours = mesh.get_facecolors()[:, :3].reshape(2, 2, 3)
    assert np.all(colours[0, 0] > 0.95) and np.all(colours[1, 1] > 0.95)  # zero is (near) white
    assert colours[0, 1].sum() < colours[1, 0].sum() < 2.9  # more citations, darker
    assert figures.drawn_cells(chart).values.tolist() == [["A (2001)", "2", 2], ["B (2002)", "1", 1]]
    assert "2 cells hold 3 citations" in chart.alt


def test_dot_plots_list_every_dot_in_its_group():
    years = pd.DataFrame({"work": ["A (2001)", "B (2010)", "C (2010)"], "year": [2001, 2010, 2010],
                          "inside_window": [False, True, True]})
    drawn = figures.drawn_dots(figures.year_dots(years, (2005, 2020), "t"))
    assert drawn.values.tolist() == [["inside the window", 2010.0, 1.0], ["inside the window", 2010.0, 2.0],
                                     ["outside the window", 2001.0, 1.0]]
    indicators = pd.DataFrame({"table": [1, 2], "label": ["x", "y"], "horizon": ["Short-term gain", "Constraint"],
                               "n_sources": [5, 2], "share": [0.5, 0.2]})
    drawn = figures.drawn_dots(figures.indicator_dots(indicators, 10, "t"))
    assert drawn.values.tolist() == [["Constraint", 0.2, "y"], ["Short-term gain", 0.5, "x"]]


LISTINGS = {"drawn_bars": ["label", "series", "value"], "drawn_dots": ["group", "x", "y"],
            "drawn_cells": ["row", "column", "count"], "drawn_graph": ["source", "relation", "target", "line"],
            "drawn_boxes": ["box", "text"]}


def shows(header: list[str], columns: list[str]) -> bool:
    """Whether ``columns`` stand together in ``header`` (a listing may follow a label column)."""
    return any(header[i:i + len(columns)] == columns for i in range(len(header)))


def listings_in(output) -> list[list[str]]:
    """The header of every figure listing an output shows: a printed table or a DataFrame."""
    if output.output_type == "stream":
        return [line.split() for line in output.text.splitlines()
                if any(shows(line.split(), cols) for cols in LISTINGS.values())]
    if output.output_type == "execute_result" and "text/html" in output.data:
        header = BeautifulSoup(output.data["text/html"], "html.parser").select("thead tr")
        return [[th.get_text() for th in header[0].select("th")][1:]] if header else []  # after the index
    return []


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_figure_cell_prints_what_it_drew(notebook):
    """The notebook regression compares figures through these listings (compendium.book.nbval_policy)."""
    import nbformat

    for cell in nbformat.read(notebook, as_version=4).cells:
        figures_drawn = sum("image/png" in output.get("data", {}) for output in cell.get("outputs", []))
        if not figures_drawn:
            continue
        listings = [header for output in cell.outputs for header in listings_in(output)
                    if any(shows(header, cols) for cols in LISTINGS.values())]
        assert len(listings) == figures_drawn, f"{notebook.name}: a figure without its listing"


@pytest.mark.parametrize("n", [3, 6, 20, 50])
@pytest.mark.parametrize("confidence", [0.95, 0.999])
def test_counts_of_0_and_of_n_draw_whiskers_ending_exactly_at_0_and_n(n, confidence):
    # statsmodels leaves 6.9e-18 below 0 of 6 at 95%: a whisker of negative length, which matplotlib refuses
    findings = rows([0, n // 2, n])
    intervals = stats.wilson_intervals(findings, n, confidence)
    assert (intervals.loc[0, "lower"], intervals.loc[2, "upper"]) == (0.0, 1.0)
    assert ((intervals["lower"] >= 0) & (intervals["upper"] <= 1)).all()
    drawn = figures.drawn_bars(figures.frequency_bars(findings, "t", "Level", intervals))
    assert drawn["value"].tolist() == [0, n // 2, n]
    assert (drawn.loc[0, "whisker_from"], drawn.loc[2, "whisker_to"]) == (0, n)
    parts = stats.wilson_parts(0, n, confidence), stats.wilson_parts(n, n, confidence)
    assert (parts[0]["lower"], parts[1]["upper"]) == (0.0, 1.0)
