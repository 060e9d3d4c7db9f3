"""Each audit check on hand-made inputs: one where it must fail, one where it must pass."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT

from compendium.analysis import audit, data

FIELDS = {f["name"]: f for r in data.read_descriptor(ROOT / "data")["resources"] if r["name"] == "findings"
          for f in r["schema"]["fields"]}
LEVELS = FIELDS["rating_level"]["constraints"]["enum"]
DIRECTIONS = FIELDS["direction"]["constraints"]["enum"]


def refs(*rows, doi="10.1/x"):
    """(key, entry_type, first_author, given, year, title); every entry with ``doi``."""
    frame = pd.DataFrame(rows, columns=["key", "entry_type", "first_author", "first_author_given", "year", "title"])
    return frame.assign(in_reference_list=True, second_author=None, n_authors=1,
                        doi=pd.array([doi] * len(frame), dtype="string")).astype({"year": "Int64"})


def cites(*rows, forms=None):
    """(author_string, year, key), numbered occurrences, parenthetical unless ``forms`` says otherwise."""
    frame = pd.DataFrame(rows, columns=["author_string", "year", "key"]).astype({"year": "Int64"})
    return frame.assign(occurrence=range(1, len(frame) + 1), form=forms or ["parenthetical"] * len(frame))


def says(*rows):
    """Statements: (id, kind, key, quote), all in section 1 at line 1."""
    frame = pd.DataFrame(rows, columns=["id", "kind", "key", "quote"])
    return frame.assign(section="1", line=range(1, len(frame) + 1))


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
OBJECTIVES = pd.DataFrame({"id": ["O1", "Q1"], "kind": ["objective", "question"], "coverage": ["answered", "none"],
                           "paired_with": pd.array(["Q1", pd.NA], dtype="string")})
NO_STATEMENTS = says()


def findings_keyed(counts):
    return findings(1, counts, ["high"] * len(counts)).assign(key=[f"k{i}" for i in range(len(counts))])


# Each check: (call on an input with its flaw, the verdict class expected, call on an input without it)
CASES = {
    "unresolved citations": (
        lambda: audit.unresolved_citations(cites(("Ames", 2001, "ames2001"), ("Zed", 2026, "UNRESOLVED"))),
        audit.UNVERIFIABLE,
        lambda: audit.unresolved_citations(cites(("Ames", 2001, "ames2001")))),
    "uncited references": (
        lambda: audit.uncited_references(cites(("Ames", 2001, "ames2001")), REFS),
        audit.PRESENTATION,
        lambda: audit.uncited_references(cites(("Ames", 2001, "ames2001"), ("Bell", 2010, "bell2010")), REFS)),
    "name spellings": (
        lambda: audit.name_spellings(cites(("Amess", 2001, "ames2001"), ("Q. Bell", 2010, "bell2010")), REFS),
        audit.PRESENTATION,
        lambda: audit.name_spellings(cites(("Ames & Co", 2001, "ames2001"), ("B. Bell", 2010, "bell2010")), REFS)),
    "duplicate references": (
        lambda: audit.duplicate_references(refs(("a1", "book", "Ames", "A.", 2001, "Same"),
                                                ("a2", "book", "Ames", "A.", 2002, "Same"))),
        audit.PRESENTATION,
        lambda: audit.duplicate_references(REFS)),
    "citation style": (
        lambda: audit.citation_style(cites(("Ames and Bo", 2001, "ames2001")),
                                     says(("c1", "citation", "comma", "as shown (Ames 2001; Bell, 2010)"))),
        audit.PRESENTATION,
        lambda: audit.citation_style(cites(("Ames & Bo", 2001, "ames2001"), ("Bell and Co", 2010, "bell2010"),
                                           forms=["parenthetical", "narrative"]),
                                     says(("c1", "citation", "comma", "Bell (2010) and (Ames & Bo, 2001)")))),
    "reference formatting": (
        lambda: audit.reference_formatting(refs(("ames2001", "article", "Ames", "A.", 2001, "On A"), doi=pd.NA),
                                           NO_STATEMENTS),
        audit.PRESENTATION,
        lambda: audit.reference_formatting(REFS, NO_STATEMENTS)),
    "sample identifiable": (
        lambda: audit.sample_identifiable(SAMPLE.assign(n_documents=[5, 5]), REFS, NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: audit.sample_identifiable(SAMPLE, REFS, NO_STATEMENTS)),
    "sampling window": (
        lambda: audit.sampling_window(REFS, STRATEGY.assign(value=["2005", "2020"]), NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: audit.sampling_window(REFS, STRATEGY, NO_STATEMENTS)),
    "sample stated alike": (
        lambda: audit.sample_stated_alike(says(("a", "sample", "sample_split", "30 articles and 20 books"),
                                               ("b", "sample", "sample_split", "Approximately 30 articles"))),
        audit.PRESENTATION,
        lambda: audit.sample_stated_alike(says(("a", "sample", "sample_split", "30 articles and 20 books"),
                                               ("b", "sample", "sample_split", "with 30 articles")))),
    "design labels": (
        lambda: audit.design_labels(says(("a", "design", "purposive_sampling", "Purposive sampling was used"),
                                         ("b", "design", "systematic_review", "a systematic review process"))),
        audit.UNVERIFIABLE,
        lambda: audit.design_labels(says(("a", "design", "purposive_sampling", "Purposive sampling was used")))),
    "table totals": (
        lambda: audit.table_totals(findings(1, [2, 1], ["high", "low"]), SAMPLE),
        audit.UNVERIFIABLE,
        lambda: audit.table_totals(findings(1, [1, 1], ["high", "low"]), SAMPLE)),
    "counts within sample": (
        lambda: audit.counts_within_sample(findings(1, [3, 1], ["high", "low"]), SAMPLE),
        audit.ERROR,
        lambda: audit.counts_within_sample(findings(1, [2, 1], ["high", "low"]), SAMPLE)),
    "ratings follow counts": (
        lambda: audit.ratings_follow_counts(findings(1, [3, 5], ["high", "low"])),
        audit.UNVERIFIABLE,
        lambda: audit.ratings_follow_counts(findings(3, [5, 3], ["strong_positive", "limited"], direction=True))),
    "quantifiers against counts": (
        lambda: audit.quantifiers_against_counts(says(("q", "quantifier", "k0", "Most sources said so")),
                                                 findings_keyed([1, 0]), SAMPLE),
        audit.ERROR,
        lambda: audit.quantifiers_against_counts(says(("q", "quantifier", "k0", "Most sources said so")),
                                                 findings_keyed([2, 0]), SAMPLE)),
    "unquantified claims": (
        lambda: audit.unquantified_claims(says(("q", "quantifier", "k0", "ample evidence")), findings_keyed([1])),
        audit.UNVERIFIABLE,
        lambda: audit.unquantified_claims(says(("q", "quantifier", "k0", "most sources")), findings_keyed([1]))),
    "rating labels consistent": (
        lambda: audit.rating_labels_consistent(pd.concat([
            findings(1, [3], ["moderate_high"], printed=["Moderate–High"]),
            findings(2, [3], ["moderate_high"], printed=["Moderate-High"])])),
        audit.PRESENTATION,
        lambda: audit.rating_labels_consistent(pd.concat([
            findings(1, [3], ["moderate_high"], printed=["Moderate-High"]),
            findings(2, [3], ["moderate_high"], printed=["Moderate-High"])]))),
    "agreement column complete": (
        lambda: audit.agreement_column_complete(findings(3, [3, 2], ["positive", "limited"], direction=True,
                                                         agreement=["high", None]), TABLES),
        audit.PRESENTATION,
        lambda: audit.agreement_column_complete(findings(3, [3, 2], ["positive", "limited"], direction=True,
                                                         agreement=["high", "low"]), TABLES)),
    "titles consistent": (
        lambda: audit.titles_consistent(pd.DataFrame({"kind": ["table", "figure"], "number": [3, 4],
                                                      "title": ["Pakistan’s role", "Pakistan's role"]}), TABLES),
        audit.PRESENTATION,
        lambda: audit.titles_consistent(pd.DataFrame({"kind": ["table", "figure"], "number": [3, 4],
                                                      "title": ["Pakistan's role", "Pakistan's role"]}), TABLES)),
    "repeated text": (
        lambda: audit.repeated_text(says(("h1", "heading", "h", "2.2 Theories"), ("h2", "heading", "h", "Theories"))),
        audit.PRESENTATION,
        lambda: audit.repeated_text(says(("h1", "heading", "h", "2.2 Theories"), ("h2", "heading", "g", "Other")))),
    "balanced quotation marks": (
        lambda: audit.balanced_quotation_marks(says(("q", "quotation", "x", 'said that "rigid'))),
        audit.PRESENTATION,
        lambda: audit.balanced_quotation_marks(says(("q", "quotation", "x", 'said that "rigid"')))),
    "objectives answered": (
        lambda: audit.objectives_answered(OBJECTIVES, NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: audit.objectives_answered(OBJECTIVES.assign(coverage=["answered", "partial"]), NO_STATEMENTS)),
    "questions paired": (
        lambda: audit.questions_paired(OBJECTIVES, NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: audit.questions_paired(OBJECTIVES.assign(paired_with=pd.array(["Q1", "O1"], dtype="string")),
                                       NO_STATEMENTS)),
    "exhibits referred": (
        lambda: audit.exhibits_referred(pd.DataFrame({"kind": ["table", "figure"], "number": [1, 2],
                                                      "text_references": [2, 0]})),
        audit.PRESENTATION,
        lambda: audit.exhibits_referred(pd.DataFrame({"kind": ["table", "figure"], "number": [1, 2],
                                                      "text_references": [2, 1]}))),
    "themes reported": (
        lambda: audit.themes_reported(pd.DataFrame({"level": ["theme", "theme"], "code": ["a", "b"],
                                                    "table": pd.array([1, pd.NA], dtype="Int64")}), NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: audit.themes_reported(pd.DataFrame({"level": ["theme", "dimension"], "code": ["a", "b"],
                                                    "table": pd.array([1, pd.NA], dtype="Int64")}), NO_STATEMENTS)),
    "back matter fits design": (
        lambda: audit.back_matter_fits_design(says(("d", "design", "secondary_data", "secondary data only"),
                                                   ("e", "ethics", "consent", "consent of participants"))),
        audit.ERROR,
        lambda: audit.back_matter_fits_design(says(("d", "design", "secondary_data", "secondary data only")))),
    "neutrality stated alike": (
        lambda: audit.neutrality_stated_alike(says(("a", "claim", "neutrality", "a neutral communicator"),
                                                   ("b", "claim", "neutrality", "were not necessarily neutral"))),
        audit.ERROR,
        lambda: audit.neutrality_stated_alike(says(("a", "claim", "neutrality", "a neutral communicator")))),
    "dated support": (
        lambda: audit.dated_support(says(("c", "claim", "recent_pakistan", "A recent study"),
                                         ("s", "support", "recent_pakistan", "(Kreutz 2010; Beardsley 2011)")),
                                    {"year": "2026"}),
        audit.UNVERIFIABLE,
        lambda: audit.dated_support(says(("c", "claim", "recent_pakistan", "A recent study"),
                                         ("s", "support", "recent_pakistan", "(Mir & Ayub, 2026)")), {"year": "2026"})),
    "gap against own sources": (
        lambda: audit.gap_against_own_sources(says(("g", "claim", "research_gap", "no systematic study")),
                                              refs(("m", "article", "Mir", "F.", 2026,
                                                    "Pakistan's mediatory diplomacy"))),
        audit.UNVERIFIABLE,
        lambda: audit.gap_against_own_sources(says(("g", "claim", "research_gap", "no systematic study")), REFS)),
    "quality assurances": (
        lambda: audit.quality_assurances(says(("v", "assurance", "validity", "increased the validity"))),
        audit.UNVERIFIABLE,
        lambda: audit.quality_assurances(NO_STATEMENTS)),
    "data available": (
        lambda: audit.data_available(says(("d", "data_availability", "data_on_request", "on reasonable request"))),
        audit.UNVERIFIABLE,
        lambda: audit.data_available(NO_STATEMENTS)),
}


def verdicts(result):
    checks = result if isinstance(result, list) else [result]
    return {c.verdict for c in checks}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_gives_its_class_on_its_flaw(case):
    flawed, klass, _ = CASES[case]
    assert verdicts(flawed()) == {klass}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_is_consistent_without_it(case):
    checks = CASES[case][2]()
    assert verdicts(checks) == {audit.CONSISTENT}
    assert not any(c.changes_result for c in (checks if isinstance(checks, list) else [checks]))


def test_every_check_of_the_audit_is_tested():
    import inspect

    checks = {name for name, function in inspect.getmembers(audit, inspect.isfunction)
              if function.__module__ == audit.__name__ and not name.startswith("_")
              and inspect.signature(function).return_annotation in ("Check", "list[Check]")}
    assert checks == {name.replace(" ", "_") for name in CASES}


def test_observed_text_names_what_is_wrong_and_the_evidence():
    check = audit.name_spellings(cites(("Amess", 2001, "ames2001"), ("Q. Bell", 2010, "bell2010")), REFS)
    assert check.observed == ("names spelled otherwise: 2 ('Amess' for Ames and 'Q. Bell' for B. Bell; "
                              "data/citations.csv)")
    totals = audit.table_totals(findings(1, [2, 1], ["high", "low"]), SAMPLE)
    assert totals[0].observed == ("the rows sum to 3, 1 more than the sample, so documents count under several rows; "
                                  "no rule is stated (data/findings.csv table 1)")
    style = audit.citation_style(cites(("Ames", 2001, "ames2001")), says(("c1", "citation", "comma", "(Ames 2001)")))
    assert style.observed == "deviations: 1 (no comma before the year in Ames 2001 (c1))"


@pytest.fixture(scope="module")
def article_audit():
    names = ["citations", "sample", "findings", "tables", "exhibits", "objectives", "codebook", "search_strategy",
             "statements"]
    bundle = {n: getattr(data, f"load_{n}")(ROOT / "data") for n in names}
    bundle["references"] = data.load_references(ROOT / "references.bib")
    bundle["article"] = data.load_article(ROOT / "references.bib")
    return audit.run_audit(bundle)


def test_the_audit_of_the_article_sorts_by_class_and_counts_each(article_audit):
    assert list(article_audit["verdict"]) == sorted(article_audit["verdict"], key=audit.CLASSES.index)
    assert audit.class_counts(article_audit) == {"n_checks": 34, "error": 3, "unverifiable": 15, "presentation": 12,
                                                 "consistent": 4, "changes_result": 8}


def test_every_statement_id_the_audit_names_exists(article_audit):
    import re

    known = set(data.load_statements(ROOT / "data")["id"])
    named = {i for text in article_audit["expected"] + " " + article_audit["observed"]
             for i in re.findall(r"\b(?:abs|s\d|ack|consent|ethics|data|ref)[a-z0-9-]*-[a-z0-9-]+\b", text)}
    assert named and named <= known


def test_the_majority_words_of_the_article_are_errors(article_audit):
    row = article_audit.set_index("check").loc["'Most' and 'majority' against the counts"]
    assert row["verdict"] == audit.ERROR and row["changes_result"]
    assert "'Most' (s4-1-most) for 18 of 50 documents" in row["observed"]
    assert "'Most' (s4-3-most) for 19 of 50 documents" in row["observed"]
