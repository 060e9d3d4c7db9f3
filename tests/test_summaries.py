"""Summaries, tables and figures computed from small hand-made findings."""
from __future__ import annotations

import pandas as pd
from conftest import ROOT

from compendium.analysis import data, figures, phrasing, publish, stats

FIELDS = {f["name"]: f for r in data.read_descriptor(ROOT / "data")["resources"] if r["name"] == "findings"
          for f in r["schema"]["fields"]}
LEVELS = FIELDS["rating_level"]["constraints"]["enum"]
DIRECTIONS = FIELDS["direction"]["constraints"]["enum"]


def rows(counts: list[int], levels: list[str], printed: list[str] | None = None) -> pd.DataFrame:
    """Findings of one made-up table on the low-to-high scale."""
    n = len(counts)
    return pd.DataFrame({
        "table": [9] * n, "row": range(1, n + 1),
        "label": pd.array([f"Row <{i}>" for i in range(1, n + 1)], dtype="string"),
        "rating_printed": printed or [lv.title() for lv in levels],
        "rating_level": pd.Categorical(levels, categories=LEVELS, ordered=True),
        "direction": pd.Categorical([None] * n, categories=DIRECTIONS, ordered=True),
        "count_printed": [f"{c} sources" for c in counts],
        "n_sources": pd.array(counts, dtype="Int64"),
    })


def test_join_labels_reads_as_english():
    assert phrasing.join_labels([]) == ""
    assert phrasing.join_labels(["A"]) == "A"
    assert phrasing.join_labels(["A", "B"]) == "A and B"
    assert phrasing.join_labels(["A", "B", "C"]) == "A, B and C"


def test_against_says_how_a_total_stands_to_the_sample():
    assert [phrasing.against(v, 50) for v in (63, 50, 43)] == ["13 more than", "as many as", "7 fewer than"]


def test_table_summary_lists_ties_and_shares():
    summary = stats.table_summary(rows([7, 9, 9, 2], ["low", "high", "moderate", "high"]), 20)
    assert summary == {
        "rows": 4,
        "top_label": "Row <2> and Row <3>", "top_n": 9, "top_share": 0.45,
        "bottom_label": "Row <4>", "bottom_n": 2, "bottom_share": 0.1,
        "total": 27, "total_against_sample": "7 more than",
        "best_rated_label": "Row <2> and Row <4>", "best_rating": "High",
    }
    assert all(type(v) in (int, float, str) for v in summary.values())  # glue-able as plain text


def test_article_table_uses_printed_headers_and_cells():
    findings = rows([3, 5], ["low", "high"], printed=["Low", "High"])
    meta = pd.DataFrame({"table": [9], "label_column": ["Thing"], "rating_column": ["Level"],
                         "count_column": ["Frequency"]})
    table = publish.article_table(findings, meta, 9)
    assert list(table.columns) == ["Thing", "Level", "Frequency"]
    assert table.values.tolist() == [["Row <1>", "Low", "3 sources"], ["Row <2>", "High", "5 sources"]]


def test_published_table_escapes_html():
    html = publish.PublishedTable(pd.DataFrame({"<b>h</b>": ["<script>alert(1)</script>", None]}))._repr_html_()
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;h&lt;/b&gt;" in html
    assert html.count("<tr>") == 3


def test_frequency_bars_draw_each_count_in_printed_order():
    findings = rows([7, 9, 2], ["low", "high", "moderate"])
    fig = figures.frequency_bars(findings, "A title", "Level")
    drawn = figures.drawn_bars(fig)
    assert drawn.values.tolist() == [["Row <1>", 7], ["Row <2>", 9], ["Row <3>", 2]]
    ax = fig.axes[0]
    assert ax.get_title() == "A title"
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "Level"
    # the legend shows the ratings as printed, lowest first
    assert [t.get_text() for t in legend.get_texts()] == ["Low", "Moderate", "High"]


def test_published_table_links_whole_words_only():
    table = publish.PublishedTable(pd.DataFrame({"Observed": ["see s4-1 and s4-1-most, not xs4-1"]}),
                                   links={"s4-1": "#a", "s4-1-most": "#b&c"})
    html = table._repr_html_()
    assert '<a href="#a">s4-1</a> and <a href="#b&amp;c">s4-1-most</a>, not xs4-1' in html
