"""Summaries, tables and figures computed from small hand-made findings."""
from __future__ import annotations

import io

import pandas as pd
from conftest import ROOT

from compendium.analysis import data, figures, phrasing, publish, stats
from compendium.book import tables

FIELDS = {f["name"]: f for r in data.read_descriptor(ROOT / "data")["resources"] if r["name"] == "findings"
          for f in r["schema"]["fields"]}
LEVELS = FIELDS["rating_level"]["constraints"]["enum"]
DIRECTIONS = FIELDS["direction"]["constraints"]["enum"]


def rows(counts: list[int], levels: list[str], printed: list[str] | None = None) -> pd.DataFrame:
    """Findings of one made-up table on the low-to-high scale."""
    n = len(counts)
    return pd.DataFrame({
        "table": [9] * n, "row": range(1, n + 1), "key": [f"row_{i}" for i in range(1, n + 1)],
        "label": pd.array([f"Row <{i}>" for i in range(1, n + 1)], dtype="string"),
        "rating_printed": printed or [lv.title() for lv in levels],
        "rating_level": pd.Categorical(levels, categories=LEVELS, ordered=True),
        "direction": pd.Categorical([None] * n, categories=DIRECTIONS, ordered=True),
        "agreement_level": pd.Categorical([None] * n, categories=["moderate_high", "high"], ordered=True),
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


def test_a_printed_table_carries_its_numbers_as_data():
    findings = rows([3, 5], ["low", "high"], printed=["Low", "High"])
    meta = pd.DataFrame({"table": [9], "label_column": ["Thing"], "rating_column": ["Level"],
                         "count_column": ["Frequency"]})
    bundle = publish.printed_table(findings, meta, 9, 20)._repr_mimebundle_()
    assert bundle[tables.TABLE_MIME] == {"columns": ["Thing", "Level", "Frequency"], "links": {}, "rows": [
        {"Thing": "Row <1>", "Level": "Low", "Frequency": "3 sources"},
        {"Thing": "Row <2>", "Level": "High", "Frequency": "5 sources"}]}
    data = pd.read_csv(io.StringIO(bundle["text/csv"]))
    assert data[["label", "count_printed", "n_sources", "sample_size", "share"]].values.tolist() == [
        ["Row <1>", "3 sources", 3, 20, 0.15], ["Row <2>", "5 sources", 5, 20, 0.25]]
    assert data["n_sources"].dtype.kind == "i" and data["share"].dtype.kind == "f"


def test_frequency_bars_draw_each_count_in_printed_order():
    findings = rows([7, 9, 2], ["low", "high", "moderate"])
    chart = figures.frequency_bars(findings, "A title", "Level")
    drawn = figures.drawn_bars(chart)
    assert drawn[["label", "series", "value"]].values.tolist() == [
        ["Row <1>", "Low", 7], ["Row <2>", "High", 9], ["Row <3>", "Moderate", 2]]
    assert chart.figure.get_suptitle() == "A title"
    legend = chart.figure.legends[0]
    assert legend.get_title().get_text() == "Level"
    # the legend shows the ratings as printed, lowest first
    assert [t.get_text() for t in legend.get_texts()] == ["Low", "Moderate", "High"]
    assert chart.alt.startswith("Bar chart, A title:") and "Row <3> 2" in chart.alt


def test_linked_parts_cut_a_cell_where_a_linked_word_stands_whole():
    links = {"s4-1": "#a", "s4-1-most": "#b"}
    assert tables.linked_parts("see s4-1 and s4-1-most, not xs4-1", links) == [
        ("see ", None), ("s4-1", "#a"), (" and ", None), ("s4-1-most", "#b"), (", not xs4-1", None)]
    assert tables.linked_parts("s4-1", links) == [("s4-1", "#a")]
    assert tables.linked_parts("plain", {}) == [("plain", None)]


def test_published_table_links_whole_words_only():
    table = publish.PublishedTable(pd.DataFrame({"Observed": ["see s4-1 and s4-1-most, not xs4-1"]}),
                                   links={"s4-1": "#a", "s4-1-most": "#b&c"})
    html = table._repr_html_()
    assert '<a href="#a">s4-1</a> and <a href="#b&amp;c">s4-1-most</a>, not xs4-1' in html
