"""Each audit check on hand-made inputs: one where it must fail, one where it must pass."""
from __future__ import annotations

import pandas as pd
import pytest

from compendium.analysis import audit

LEVELS = ["low", "low_moderate", "moderate", "moderate_high", "high"]
DIRECTIONS = ["limited", "moderate_positive", "positive", "strong_positive"]


def refs(*rows):
    """(key, entry_type, first_author, given, year, title)."""
    frame = pd.DataFrame(rows, columns=["key", "entry_type", "first_author", "first_author_given", "year", "title"])
    return frame.assign(in_reference_list=True, second_author=None, n_authors=1).astype({"year": "Int64"})


def cites(*rows):
    """(author_string, year, key)."""
    return pd.DataFrame(rows, columns=["author_string", "year", "key"]).astype({"year": "Int64"})


def findings(table, counts, levels, printed=None, direction=False, count_printed=None, agreement=None):
    n = len(counts)
    scale = DIRECTIONS if direction else LEVELS
    rating = pd.Categorical(levels, categories=scale, ordered=True)
    empty = pd.Categorical([None] * n, categories=DIRECTIONS if not direction else LEVELS, ordered=True)
    return pd.DataFrame({
        "table": [table] * n, "row": range(1, n + 1), "label": [f"r{i}" for i in range(n)],
        "rating_printed": printed or [lv.replace("_", "-").title() for lv in levels],
        "rating_level": empty if direction else rating, "direction": rating if direction else empty,
        "agreement_level": pd.Categorical(agreement or [None] * n, categories=LEVELS, ordered=True),
        "count_printed": count_printed or [f"{c} sources" for c in counts],
        "n_sources": pd.array(counts, dtype="Int64"),
    })


REFS = refs(("ames2001", "article", "Ames", "A.", 2001, "On A"), ("bell2010", "book", "Bell", "B.", 2010, "On B"))
SAMPLE = pd.DataFrame({"source_type": ["journal_article", "academic_book"], "label": ["articles", "books"],
                       "n_documents": pd.array([1, 1], dtype="Int64")})
STRATEGY = pd.DataFrame({"kind": ["window_start", "window_end"], "value": ["2000", "2020"]})
TABLES = pd.DataFrame({"table": [3], "figure": [4], "count_column": ["Source Agreement Level"]})


def verdicts(result):
    checks = result if isinstance(result, list) else [result]
    return [c.verdict for c in checks]


CASES = {
    "unresolved citations": (
        lambda: audit.unresolved_citations(cites(("Ames", 2001, "ames2001"), ("Zed", 2026, "UNRESOLVED"))),
        lambda: audit.unresolved_citations(cites(("Ames", 2001, "ames2001")))),
    "uncited references": (
        lambda: audit.uncited_references(cites(("Ames", 2001, "ames2001")), REFS),
        lambda: audit.uncited_references(cites(("Ames", 2001, "ames2001"), ("Bell", 2010, "bell2010")), REFS)),
    "name spellings": (
        lambda: audit.name_spellings(cites(("Amess", 2001, "ames2001"), ("Q. Bell", 2010, "bell2010")), REFS),
        lambda: audit.name_spellings(cites(("Ames & Co", 2001, "ames2001"), ("B. Bell", 2010, "bell2010")), REFS)),
    "duplicate references": (
        lambda: audit.duplicate_references(refs(("a1", "book", "Ames", "A.", 2001, "Same"),
                                                ("a2", "book", "Ames", "A.", 2002, "Same"))),
        lambda: audit.duplicate_references(REFS)),
    "sampling window": (
        lambda: audit.sampling_window(REFS, STRATEGY.assign(value=["2005", "2020"])),
        lambda: audit.sampling_window(REFS, STRATEGY)),
    "sample size vs reference list": (
        lambda: audit.sample_size_vs_reference_list(SAMPLE.assign(n_documents=[5, 5]), REFS),
        lambda: audit.sample_size_vs_reference_list(SAMPLE, REFS)),
    "composition vs reference list": (
        lambda: audit.composition_vs_reference_list(SAMPLE.assign(n_documents=[2, 0]), REFS),
        lambda: audit.composition_vs_reference_list(SAMPLE, REFS)),
    "table totals": (
        lambda: audit.table_totals(findings(1, [2, 1], ["high", "low"]), SAMPLE),
        lambda: audit.table_totals(findings(1, [1, 1], ["high", "low"]), SAMPLE)),
    "counts within sample": (
        lambda: audit.counts_within_sample(findings(1, [3, 1], ["high", "low"]), SAMPLE),
        lambda: audit.counts_within_sample(findings(1, [2, 1], ["high", "low"]), SAMPLE)),
    "ratings follow counts": (
        lambda: audit.ratings_follow_counts(findings(1, [3, 5], ["high", "low"])),
        lambda: audit.ratings_follow_counts(findings(3, [5, 3], ["strong_positive", "limited"], direction=True))),
    "rating labels consistent": (
        lambda: audit.rating_labels_consistent(pd.concat([
            findings(1, [3], ["moderate_high"], printed=["Moderate–High"]),
            findings(2, [3], ["moderate_high"], printed=["Moderate-High"])])),
        lambda: audit.rating_labels_consistent(pd.concat([
            findings(1, [3], ["moderate_high"], printed=["Moderate-High"]),
            findings(2, [3], ["moderate_high"], printed=["Moderate-High"])]))),
    "agreement column complete": (
        lambda: audit.agreement_column_complete(findings(3, [3, 2], ["positive", "limited"], direction=True,
                                                         agreement=["high", None]), TABLES),
        lambda: audit.agreement_column_complete(findings(3, [3, 2], ["positive", "limited"], direction=True,
                                                         agreement=["high", "low"]), TABLES)),
    "titles consistent": (
        lambda: audit.titles_consistent(pd.DataFrame({"kind": ["table", "figure"], "number": [3, 4],
                                                      "title": ["Pakistan’s role", "Pakistan's role"]}), TABLES),
        lambda: audit.titles_consistent(pd.DataFrame({"kind": ["table", "figure"], "number": [3, 4],
                                                      "title": ["Pakistan's role", "Pakistan's role"]}), TABLES)),
    "objectives answered": (
        lambda: audit.objectives_answered(pd.DataFrame({"id": ["O1", "O2"], "coverage": ["answered", "none"]})),
        lambda: audit.objectives_answered(pd.DataFrame({"id": ["O1", "O2"], "coverage": ["answered", "partial"]}))),
    "questions paired": (
        lambda: audit.questions_paired(pd.DataFrame({"id": ["Q1"], "kind": ["question"],
                                                     "paired_with": pd.array([pd.NA], dtype="string")})),
        lambda: audit.questions_paired(pd.DataFrame({"id": ["Q1"], "kind": ["question"],
                                                     "paired_with": pd.array(["O1"], dtype="string")}))),
    "exhibits referred": (
        lambda: audit.exhibits_referred(pd.DataFrame({"kind": ["table", "figure"], "number": [1, 2],
                                                      "text_references": [2, 0]})),
        lambda: audit.exhibits_referred(pd.DataFrame({"kind": ["table", "figure"], "number": [1, 2],
                                                      "text_references": [2, 1]}))),
    "themes reported": (
        lambda: audit.themes_reported(pd.DataFrame({"level": ["theme", "theme"], "label": ["A", "B"],
                                                    "table": pd.array([1, pd.NA], dtype="Int64")})),
        lambda: audit.themes_reported(pd.DataFrame({"level": ["theme", "dimension"], "label": ["A", "b"],
                                                    "table": pd.array([1, pd.NA], dtype="Int64")}))),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_fails_on_its_flaw(case):
    assert set(verdicts(CASES[case][0]())) == {audit.INCONSISTENT}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_passes_without_it(case):
    assert set(verdicts(CASES[case][1]())) == {audit.CONSISTENT}


def test_observed_text_names_what_is_wrong():
    check = audit.name_spellings(cites(("Amess", 2001, "ames2001"), ("Q. Bell", 2010, "bell2010")), REFS)
    assert check.observed == "2 differ: 'Amess' for Ames and 'Q. Bell' for B. Bell"
    totals = audit.table_totals(findings(1, [2, 1], ["high", "low"]), SAMPLE)
    assert totals[0].observed == "the rows sum to 3, 1 more than the sample: documents were coded under several rows"


def test_run_audit_on_the_article_data():
    from conftest import ROOT

    from compendium.analysis import data

    names = ["citations", "sample", "findings", "tables", "exhibits", "objectives", "codebook", "search_strategy"]
    bundle = {n: getattr(data, f"load_{n}")(ROOT / "data") for n in names}
    bundle["references"] = data.load_references(ROOT / "references.bib")
    result = audit.run_audit(bundle)
    assert len(result) == 21
    passed = result.loc[result["verdict"] == audit.CONSISTENT, "check"].tolist()
    assert passed == ["Each count within the sample size", "Table 1: ratings follow the counts",
                      "Table 2: ratings follow the counts", "Table 3: ratings follow the counts"]
