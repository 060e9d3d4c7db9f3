"""Wilson intervals against an independent library, and what they say about the rankings."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT
from scipy.stats import binomtest

from compendium.analysis import data, stats


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99])
def test_intervals_match_scipy(confidence):
    findings = data.load_findings(ROOT / "data")
    intervals = stats.wilson_intervals(findings, 50, confidence)
    for row in intervals.itertuples():
        reference = binomtest(int(row.n_sources), 50).proportion_ci(confidence_level=confidence, method="wilson")
        assert row.lower == pytest.approx(reference.low, abs=1e-12)
        assert row.upper == pytest.approx(reference.high, abs=1e-12)
    assert intervals.attrs["confidence"] == confidence


def test_a_higher_level_gives_wider_intervals():
    findings = data.load_findings(ROOT / "data")
    narrow, wide = stats.wilson_intervals(findings, 50, 0.8), stats.wilson_intervals(findings, 50, 0.99)
    assert ((wide["upper"] - wide["lower"]) > (narrow["upper"] - narrow["lower"])).all()


def made_up(counts, n=100):
    rows = pd.DataFrame({"table": [1] * len(counts), "row": range(1, len(counts) + 1),
                         "label": [f"r{i}" for i in range(1, len(counts) + 1)],
                         "n_sources": pd.array(counts, dtype="Int64")})
    return stats.wilson_intervals(rows, n, 0.95)


def test_adjacent_ranks_separate_distant_counts_and_not_close_ones():
    pairs = stats.adjacent_ranks(made_up([80, 10, 12]))
    assert pairs[["higher", "lower", "overlap"]].values.tolist() == [["r1", "r3", False], ["r3", "r2", True]]
    summary = stats.distinguishable_summary(pairs)
    assert summary == {"t1_pairs": 2, "t1_overlapping": 1, "pairs": 2, "overlapping": 1, "separated": 1}
    assert stats.extremes_overlap(made_up([80, 10, 12])) == {"t1_extremes_overlap": False,
                                                             "tables_with_extremes_overlapping": 0}


def test_the_articles_rankings_cannot_be_told_apart_at_95_percent():
    intervals = stats.wilson_intervals(data.load_findings(ROOT / "data"), 50, 0.95)
    summary = stats.distinguishable_summary(stats.adjacent_ranks(intervals))
    assert summary["pairs"] == 12 and summary["overlapping"] == 12
    assert stats.extremes_overlap(intervals)["tables_with_extremes_overlapping"] == 3


def test_interval_table_formats_percentages():
    table = stats.interval_table(made_up([50]))
    assert table.columns.tolist() == ["Table", "Row", "Sources", "Share", "95% interval"]
    assert table.iloc[0].tolist() == [1, "r1", 50, "50%", "40%–60%"]
