"""Cross-resource views computed from small hand-made inputs."""
from __future__ import annotations

import pandas as pd

from compendium.analysis import synthesis


def refs(*rows, authors=None):
    """Reference entries: (key, entry_type, first_author, year, in_reference_list); one author each
    unless ``authors`` gives (second_author, n_authors) per row."""
    frame = pd.DataFrame(rows, columns=["key", "entry_type", "first_author", "year", "in_reference_list"])
    second, n = zip(*(authors or [(None, 1)] * len(rows)), strict=True)
    frame = frame.assign(second_author=second, n_authors=n)
    return frame.astype({"first_author": "string", "second_author": "string", "year": "Int64"})


def cites(*rows):
    """Citation occurrences: (section, author_string, year, key)."""
    frame = pd.DataFrame(rows, columns=["section", "author_string", "year", "key"])
    return frame.astype({"section": "string", "author_string": "string", "year": "Int64", "key": "string"})


REFS = refs(("a2001", "article", "Ames", 2001, True), ("b2010", "book", "Bell", 2010, True),
            ("c2020", "techreport", "Cole", 2020, True), ("self", "article", "Self", 2026, False))


def test_citation_map_counts_each_work_by_top_level_section():
    counts = synthesis.citation_map(cites(("1", "Ames", 2001, "a2001"), ("1.2", "Ames", 2001, "a2001"),
                                          ("5", "Bell", 2010, "b2010"), ("2.3", "Zed", 2026, "UNRESOLVED")), REFS)
    assert list(counts.index) == ["Ames (2001)", "Bell (2010)", "Cole (2020)", "Zed (2026, unresolved)"]
    assert list(counts.columns) == [str(n) for n in range(1, 9)]
    assert counts.loc["Ames (2001)", "1"] == 2 and counts.loc["Bell (2010)", "5"] == 1
    assert counts.loc["Cole (2020)"].sum() == 0 and counts.loc["Zed (2026, unresolved)", "2"] == 1


def test_citation_summary_finds_unresolved_and_uncited():
    summary = synthesis.citation_summary(cites(("1", "Ames", 2001, "a2001"), ("2", "Zed", 2026, "UNRESOLVED"),
                                               ("2", "Zed", 2026, "UNRESOLVED")), REFS)
    assert summary["n_citations"] == 3 and summary["n_unresolved"] == 2
    assert summary["unresolved_names"] == "Zed (2026)"
    assert summary["never_cited"] == "Bell (2010) and Cole (2020)"
    assert summary["sections_without_citations"] == "3, 4, 5, 6, 7 and 8"


def test_work_label_names_two_authors_abbreviates_more_and_letters_repeats():
    works = refs(("a1", "book", "Ames", 2001, True), ("a2", "book", "Ames", 2001, True),
                 ("b1", "article", "Bell", 2010, True), ("c1", "article", "Cole", 2020, True),
                 ("c2", "article", "Cole", 2020, True), ("d1", "book", "Dunn", 2020, True),
                 authors=[("Bell", 2), ("Bell", 2), ("Cole", 2), ("Dunn", 3), ("Eve", 5), (None, 1)])
    assert list(synthesis.work_label(works)) == ["Ames & Bell (2001a)", "Ames & Bell (2001b)", "Bell & Cole (2010)",
                                                 "Cole et al. (2020a)", "Cole et al. (2020b)", "Dunn (2020)"]
    assert list(synthesis.work_label(works).index) == ["a1", "a2", "b1", "c1", "c2", "d1"]


def test_a_subset_keeps_the_labels_of_the_whole_list():
    works = refs(("t15", "book", "Touval", 2015, True), ("t15b", "book", "Touval", 2015, True),
                 authors=[("Zartman", 2), ("Zartman", 2)])
    summary = synthesis.citation_summary(cites(("1", "Touval & Zartman", 2015, "t15")), works)
    assert summary["never_cited"] == "Touval & Zartman (2015b)"


def test_years_against_window_and_composition():
    years = synthesis.years_against_window(REFS, (2005, 2015))
    assert years.values.tolist() == [["Ames (2001)", 2001, False], ["Bell (2010)", 2010, True],
                                     ["Cole (2020)", 2020, False]]
    sample = pd.DataFrame({"source_type": ["journal_article", "policy_report", "academic_book"],
                           "label": ["j", "p", "b"], "n_documents": pd.array([5, 3, 2], dtype="Int64")})
    table = synthesis.composition(sample, REFS)
    assert table[["stated_sample", "reference_list"]].values.tolist() == [[5, 1], [3, 1], [2, 1]]


def test_traceability_links_tables_to_figures():
    objectives = pd.DataFrame({"id": ["O1", "Q2"], "kind": ["objective", "question"], "label": ["x", "y"],
                               "paired_with": pd.array(["Q1", pd.NA], dtype="string"),
                               "tables": pd.array(["1 3", pd.NA], dtype="string"), "coverage": ["answered", "none"]})
    tables = pd.DataFrame({"table": [1, 2, 3], "figure": [2, 3, 4]})
    trace = synthesis.traceability(objectives, tables)
    assert trace["evidence"].tolist() == ["Table 1 / Figure 2; Table 3 / Figure 4", "nothing in the results"]
    matrix = synthesis.traceability_matrix(objectives, tables)
    assert matrix.drop(columns=["id", "coverage"]).values.tolist() == [["●", "", "●"], ["", "", ""]]
    links = synthesis.traceability_links(objectives, tables)  # the matrix as tidy data, for its CSV
    assert links[["id", "table", "figure", "answers"]].values.tolist() == [
        ["O1", 1, 2, True], ["O1", 2, 3, False], ["O1", 3, 4, True], ["Q2", 1, 2, False], ["Q2", 2, 3, False],
        ["Q2", 3, 4, False]]
    assert synthesis.coverage_counts(objectives)["objective_answered"] == 1


def test_horizon_contrast_and_recommendation_links():
    findings = pd.DataFrame({"table": [1, 1, 2, 2], "key": ["s", "l", "c1", "c2"], "label": ["S", "L", "C1", "C2"],
                             "rating_printed": ["High", "Low", "High", "Moderate"],
                             "n_sources": pd.array([20, 5, 10, 4], dtype="Int64")})
    codebook = pd.DataFrame({"code": ["s", "l", "c1", "c2"],
                             "horizon": ["short_term", "long_term", "constraint", "constraint"]})
    contrast = synthesis.horizon_contrast(synthesis.indicators(findings, codebook, 40))
    assert contrast["short_term_mean_share"] == 0.5 and contrast["long_term_mean_share"] == 0.125
    assert contrast["constraint_mean_share"] == 0.175 and contrast["short_minus_long"] == 0.375
    recs = pd.DataFrame({"id": ["R1", "R2"], "label": ["a", "b"], "answers": ["c1", "c1"]})
    links = synthesis.recommendation_links(recs, findings)
    assert links[["id", "constraint", "n_sources"]].values.tolist() == [["R1", "C1", 10], ["R2", "C1", 10]]
    assert synthesis.most_answered_constraint(links) == ("C1", 2)
    assert synthesis.unanswered_constraints(links, findings) == ["C2"]
    assert synthesis.least_answered_constraints(links, findings) == (["C2"], 0)


def test_horizon_pairs_compare_every_short_term_with_every_long_term_indicator():
    rows = pd.DataFrame({"label": ["s1", "s2", "l1", "c1"], "n_sources": [40, 12, 5, 30],
                         "horizon": ["Short-term gain", "Short-term gain", "Long-term outcome", "Constraint"]})
    pairs = synthesis.horizon_pairs(rows, 50, 0.05)
    assert pairs[["first", "second", "first_n", "second_n"]].values.tolist() == [["s1", "l1", 40, 5],
                                                                                  ["s2", "l1", 12, 5]]
    assert pairs["verdict"].tolist() == ["shown different at α whatever the overlap",
                                         "undecided by what the article publishes"]
