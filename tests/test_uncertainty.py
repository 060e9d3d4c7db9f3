"""Wilson intervals against an independent library, and paired comparisons bounded over the
overlaps the published counts allow."""
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
    assert intervals["key"].tolist() == findings["key"].tolist()


def test_a_higher_level_gives_wider_intervals():
    findings = data.load_findings(ROOT / "data")
    narrow, wide = stats.wilson_intervals(findings, 50, 0.8), stats.wilson_intervals(findings, 50, 0.99)
    assert ((wide["upper"] - wide["lower"]) > (narrow["upper"] - narrow["lower"])).all()


@pytest.mark.parametrize("k, n, confidence", [(18, 50, 0.95), (0, 50, 0.95), (50, 50, 0.9), (3, 7, 0.99)])
def test_the_written_out_formula_gives_the_library_interval(k, n, confidence):
    parts = stats.wilson_parts(k, n, confidence)
    reference = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    assert parts["lower"] == pytest.approx(reference.low, abs=1e-12)
    assert parts["upper"] == pytest.approx(reference.high, abs=1e-12)
    assert parts["share"] == k / n


def test_interval_table_formats_percentages():
    rows = pd.DataFrame({"table": [1], "row": [1], "key": ["r1"], "label": ["r1"], "n_sources": pd.array([50])})
    table = stats.interval_table(stats.wilson_intervals(rows, 100, 0.95))
    assert table.columns.tolist() == ["Table", "Row", "Sources", "Share", "95% interval"]
    assert table.iloc[0].tolist() == [1, "r1", 50, "50%", "40%–60%"]


@pytest.mark.parametrize("a, b, both", [(18, 8, 0), (18, 8, 8), (18, 15, 3), (21, 10, 5), (5, 5, 5)])
def test_mcnemar_p_is_the_binomial_test_on_the_discordant_documents(a, b, both):
    discordant = (a - both) + (b - both)
    expected = binomtest(a - both, discordant, 0.5).pvalue if discordant else 1.0
    assert stats.mcnemar_p(a, b, both, 50) == pytest.approx(expected, abs=1e-12)


def test_18_against_8_of_50_is_undecided_by_the_published_counts():
    bounds = stats.paired_bounds(18, 8, 50, 0.05)
    assert (bounds["overlap_min"], bounds["overlap_max"]) == (0, 8)
    assert round(bounds["p_min"], 3) == 0.002 and bounds["overlap_at_p_min"] == 8
    assert round(bounds["p_max"], 3) == 0.076 and bounds["overlap_at_p_max"] == 0
    assert bounds["verdict"] == stats.UNDECIDED


def test_18_against_15_is_never_shown_different():
    bounds = stats.paired_bounds(18, 15, 50, 0.05)
    assert bounds["p_min"] == pytest.approx(0.25) and bounds["p_min"] >= 0.25
    assert bounds["verdict"] == stats.NOT_SHOWN


def test_distant_counts_are_different_whatever_the_overlap():
    bounds = stats.paired_bounds(40, 5, 50, 0.05)
    assert bounds["p_max"] < 0.05 and bounds["verdict"] == stats.DIFFERENT


def test_the_feasible_overlap_starts_above_zero_when_counts_exceed_the_sample():
    bounds = stats.paired_bounds(30, 28, 50, 0.05)
    assert (bounds["overlap_min"], bounds["overlap_max"]) == (8, 28)


def test_equal_counts_are_never_shown_different():
    bounds = stats.paired_bounds(12, 12, 50, 0.05)
    assert bounds["p_min"] == 1.0 and bounds["verdict"] == stats.NOT_SHOWN


def made_up(counts):
    return pd.DataFrame({"table": [1] * len(counts), "row": range(1, len(counts) + 1),
                         "label": [f"r{i}" for i in range(1, len(counts) + 1)],
                         "n_sources": pd.array(counts, dtype="Int64")})


def test_ranked_pairs_compare_adjacent_ranks_and_the_extremes():
    pairs = stats.ranked_pairs(made_up([8, 40, 18]), 50, 0.05)
    assert pairs[["kind", "first", "second"]].values.tolist() == [
        ["adjacent", "r2", "r3"], ["adjacent", "r3", "r1"], ["top vs bottom", "r2", "r1"]]
    assert pairs["verdict"].tolist() == [stats.DIFFERENT, stats.UNDECIDED, stats.DIFFERENT]
    summary = stats.pair_summary(pairs)
    assert (summary["comparisons"], summary["different"], summary["undecided"], summary["not_shown"]) == (3, 2, 1, 0)
    assert (summary["adjacent_different"], summary["extremes_different"]) == (1, 1)


def test_tied_counts_keep_the_printed_order_in_the_ranking():
    pairs = stats.ranked_pairs(made_up([10, 30, 10, 30]), 50, 0.05)
    assert pairs[["kind", "first", "second"]].values.tolist() == [
        ["adjacent", "r2", "r4"], ["adjacent", "r4", "r1"], ["adjacent", "r1", "r3"], ["top vs bottom", "r2", "r3"]]
    assert pairs[["first_n", "second_n"]].values.tolist() == [[30, 30], [30, 10], [10, 10], [30, 10]]


def test_alpha_decides_the_verdict():
    assert stats.paired_bounds(18, 8, 50, 0.1)["verdict"] == stats.DIFFERENT
    assert stats.paired_bounds(18, 8, 50, 0.001)["verdict"] == stats.NOT_SHOWN


def test_pair_table_prints_p_values_to_three_decimals():
    table = stats.pair_table(stats.ranked_pairs(made_up([18, 8]), 50, 0.05))
    assert table.iloc[0].tolist() == [1, "adjacent", "r1 vs r2", "18 vs 8", "0–8", "0.002", "0.076", stats.UNDECIDED]


@pytest.mark.parametrize("confidence, label", [
    (0.95, "95%"), (0.9, "90%"), (0.995, "99.5%"), (0.9999999999999999, "99.99999999999999%"),
    (1e-16, "0.00000000000001%"), (0.5, "50%")])
def test_a_confidence_level_is_labelled_with_all_its_digits(confidence, label):
    rows = data.load_findings(ROOT / "data").head(2)
    intervals = stats.wilson_intervals(rows, 50, confidence)
    assert stats.interval_table(intervals).columns[-1] == f"{label} interval"
