"""Each audit check on hand-made inputs: one where it must fail, one where it must pass.

The list of checks and their number come from the registry (``audit.REGISTRY``): a check is
added by writing it with ``@check`` in its area module and adding its case here.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import ROOT

from compendium.analysis import audit, data
from compendium.analysis.audit import citations, conclusions, design, labels, method, tables

FIELDS = {f["name"]: f for r in data.read_descriptor(ROOT / "data")["resources"] if r["name"] == "findings"
          for f in r["schema"]["fields"]}
LEVELS = FIELDS["rating_level"]["constraints"]["enum"]
DIRECTIONS = FIELDS["direction"]["constraints"]["enum"]


def refs(*rows, doi="10.1/x"):
    """(key, entry_type, first_author, given, year, title); every entry with ``doi``."""
    frame = pd.DataFrame(rows, columns=["key", "entry_type", "first_author", "first_author_given", "year", "title"])
    return frame.assign(in_reference_list=True, second_author=None, n_authors=1,
                        doi=pd.array([doi] * len(frame), dtype="string")).astype({"year": "Int64"})


def cites(*rows, forms=None, about=None, conditions=None, sections=None, statements=None):
    """(author_string, year, key), numbered occurrences, parenthetical unless ``forms`` says otherwise;
    every claim about mediation, in section 1, naming no conditions, unless the keywords say otherwise."""
    frame = pd.DataFrame(rows, columns=["author_string", "year", "key"]).astype({"year": "Int64"})
    n = len(frame)
    return frame.assign(occurrence=range(1, n + 1), form=forms or ["parenthetical"] * n,
                        about=about or ["mediation"] * n, section=sections or ["1"] * n,
                        conditions=pd.array(conditions or [pd.NA] * n, dtype="string"),
                        statement=statements or [f"c{i}" for i in range(1, n + 1)])


def says(*rows):
    """Statements: (id, kind, key, quote[, section[, line]]); section 1 and one line each unless given."""
    full = [(*row, *(("1", index + 1)[len(row) - 4:])) for index, row in enumerate(rows)]
    return pd.DataFrame(full, columns=["id", "kind", "key", "quote", "section", "line"])


def findings(table, counts, levels, printed=None, direction=False, count_printed=None, agreement=None, keys=None):
    n = len(counts)
    scale = DIRECTIONS if direction else LEVELS
    rating = pd.Categorical(levels, categories=scale, ordered=True)
    empty = pd.Categorical([None] * n, categories=DIRECTIONS if not direction else LEVELS, ordered=True)
    return pd.DataFrame({
        "table": [table] * n, "row": range(1, n + 1), "label": [f"r{i}" for i in range(n)],
        "key": keys or [f"k{i}" for i in range(n)],
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
TABLES = pd.DataFrame({"table": [3], "figure": [4], "count_column": ["Source Agreement Level"], "section": ["4.3"]})
OBJECTIVES = pd.DataFrame({"id": ["O1", "Q1"], "kind": ["objective", "question"], "coverage": ["answered", "none"],
                           "paired_with": pd.array(["Q1", pd.NA], dtype="string")})
CODEBOOK = pd.DataFrame({"code": ["a", "m"], "level": ["theme", "theme"], "label": ["A", "M"],
                         "table": pd.array([1, pd.NA], dtype="Int64"),
                         "near": pd.array([pd.NA, pd.NA], dtype="string")})
FRAMEWORK = pd.DataFrame({"source": ["T1", "T2"], "source_kind": ["theory", "theory"], "target": ["R", "R"],
                          "target_kind": ["role", "role"], "relation": ["explains", "explains"],
                          "basis": ["stated", "stated"], "section": ["2.4", "2.4"]})
TABLE2 = findings(2, [3, 2], ["high", "moderate"], keys=["money", "allies"])
NO_STATEMENTS = says()


def findings_keyed(counts):
    return findings(1, counts, ["high"] * len(counts))


# Each check: (call on an input with its flaw, the verdict class expected, call on an input without it)
CASES = {
    "unresolved_citations": (
        lambda: citations.unresolved_citations(cites(("Ames", 2001, "ames2001"), ("Q. Bell", 2010, "bell2010")), REFS),
        audit.UNVERIFIABLE,
        lambda: citations.unresolved_citations(cites(("Ames", 2001, "ames2001"), ("B. Bell", 2010, "bell2010")), REFS)),
    "uncited_references": (
        lambda: citations.uncited_references(cites(("Ames", 2001, "ames2001")), REFS),
        audit.PRESENTATION,
        lambda: citations.uncited_references(cites(("Ames", 2001, "ames2001"), ("Bell", 2010, "bell2010")), REFS)),
    "name_spellings": (
        lambda: citations.name_spellings(cites(("Amess", 2001, "ames2001"), ("B. Bell", 2010, "bell2010")), REFS),
        audit.PRESENTATION,
        lambda: citations.name_spellings(cites(("Ames & Co", 2001, "ames2001"), ("Q. Bell", 2010, "bell2010")), REFS)),
    "duplicate_references": (
        lambda: citations.duplicate_references(refs(("a1", "book", "Ames", "A.", 2001, "Same"),
                                                    ("a2", "book", "Ames", "A.", 2002, "Same"))),
        audit.PRESENTATION,
        lambda: citations.duplicate_references(REFS)),
    "gap_against_own_sources": (
        lambda: citations.gap_against_own_sources(says(("g", "claim", "research_gap", "no systematic study")),
                                                  refs(("m", "article", "Mir", "F.", 2026,
                                                        "Pakistan's mediatory diplomacy"))),
        audit.UNVERIFIABLE,
        lambda: citations.gap_against_own_sources(says(("g", "claim", "research_gap", "no systematic study")), REFS)),
    "dated_support": (
        lambda: citations.dated_support(says(("c", "claim", "recent_pakistan", "A recent study"),
                                             ("s", "support", "recent_pakistan", "(Kreutz 2010; Beardsley 2011)")),
                                        {"year": "2026"}),
        audit.UNVERIFIABLE,
        lambda: citations.dated_support(says(("c", "claim", "recent_pakistan", "A recent study"),
                                             ("s", "support", "recent_pakistan", "(Mir & Ayub, 2026)")),
                                        {"year": "2026"})),
    "credited_conditions": (
        lambda: citations.credited_conditions(cites(("Ames", 2001, "ames2001"), ("Ames", 2001, "ames2001"),
                                                    conditions=["neutrality timing", "access"], sections=["1", "2.4"]),
                                              REFS),
        audit.UNVERIFIABLE,
        lambda: citations.credited_conditions(cites(("Ames", 2001, "ames2001"), ("Ames", 2001, "ames2001"),
                                                    conditions=["timing neutrality", "neutrality timing"],
                                                    sections=["1", "2.4"]), REFS)),
    "titles_against_claims": (
        lambda: citations.titles_against_claims(
            cites(("Ames", 2001, "ames2001")), refs(("ames2001", "book", "Ames", "A.", 2001, "US sanctions and Iran"))),
        audit.UNVERIFIABLE,
        lambda: citations.titles_against_claims(cites(("Ames", 2001, "ames2001"), ("Ames", 2001, "ames2001"),
                                                      about=["mediation", "coercion us_iran"]),
                                                refs(("ames2001", "book", "Ames", "A.", 2001,
                                                      "The mediation of sanctions disputes")))),
    "citation_style": (
        lambda: citations.citation_style(cites(("Ames and Bo", 2001, "ames2001")),
                                         says(("c1", "citation", "comma", "as shown (Ames 2001; Bell, 2010)"))),
        audit.PRESENTATION,
        lambda: citations.citation_style(cites(("Ames & Bo", 2001, "ames2001"), ("Bell and Co", 2010, "bell2010"),
                                               forms=["parenthetical", "narrative"]),
                                         says(("c1", "citation", "comma", "Bell (2010) and (Ames & Bo, 2001)")))),
    "reference_formatting": (
        lambda: citations.reference_formatting(refs(("ames2001", "article", "Ames", "A.", 2001, "On A"), doi=pd.NA),
                                               NO_STATEMENTS),
        audit.PRESENTATION,
        lambda: citations.reference_formatting(REFS, NO_STATEMENTS)),
    "sample_identifiable": (
        lambda: method.sample_identifiable(SAMPLE.assign(n_documents=[5, 5]), REFS, NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: method.sample_identifiable(SAMPLE, REFS, NO_STATEMENTS)),
    "sampling_window": (
        lambda: method.sampling_window(REFS, STRATEGY.assign(value=["2005", "2020"]), NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: method.sampling_window(REFS, STRATEGY, NO_STATEMENTS)),
    "sample_stated_alike": (
        lambda: method.sample_stated_alike(says(("a", "sample", "sample_split", "30 articles and 20 books"),
                                                ("b", "sample", "sample_split", "Approximately 30 articles"))),
        audit.PRESENTATION,
        lambda: method.sample_stated_alike(says(("a", "sample", "sample_split", "30 articles and 20 books"),
                                                ("b", "sample", "sample_split", "with 30 articles")))),
    "design_labels": (
        lambda: method.design_labels(says(("a", "design", "purposive_sampling", "Purposive sampling was used"),
                                          ("b", "design", "systematic_review", "a systematic review process"))),
        audit.UNVERIFIABLE,
        lambda: method.design_labels(says(("a", "design", "purposive_sampling", "Purposive sampling was used")))),
    "analyses_reported": (
        lambda: method.analyses_reported(says(("t", "analysis", "thematic", "Thematic analysis was used", "3.6"),
                                              ("c", "analysis", "comparison", "Comparative analysis", "3.6"),
                                              ("r", "analysis", "thematic", "Thematic analysis was applied", "4"))),
        audit.UNVERIFIABLE,
        lambda: method.analyses_reported(says(("t", "analysis", "thematic", "Thematic analysis was used", "3.6"),
                                              ("r", "analysis", "thematic", "Thematic analysis was applied", "4")))),
    "themes_reported": (
        lambda: method.themes_reported(CODEBOOK, NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: method.themes_reported(CODEBOOK.assign(near=pd.array([pd.NA, "a"], dtype="string")), NO_STATEMENTS)),
    "framework_developed": (
        lambda: method.framework_developed(FRAMEWORK.assign(basis=["stated", "compendium"], section=["2.4", "5"]),
                                           NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: method.framework_developed(FRAMEWORK, NO_STATEMENTS)),
    "quality_assurances": (
        lambda: method.quality_assurances(says(("v", "assurance", "validity", "increased the validity"))),
        audit.UNVERIFIABLE,
        lambda: method.quality_assurances(NO_STATEMENTS)),
    "data_available": (
        lambda: method.data_available(says(("d", "data_availability", "data_on_request", "on reasonable request"))),
        audit.UNVERIFIABLE,
        lambda: method.data_available(NO_STATEMENTS)),
    "back_matter_fits_design": (
        lambda: method.back_matter_fits_design(says(("d", "design", "secondary_data", "secondary data only"),
                                                    ("e", "ethics", "consent", "consent of participants"))),
        audit.UNVERIFIABLE,
        lambda: method.back_matter_fits_design(says(("d", "design", "secondary_data", "secondary data only"),
                                                    ("h", "ethics", "ethics_approval",
                                                     "studies involving human participants")))),
    "table_totals": (
        lambda: tables.table_totals(findings(1, [2, 1], ["high", "low"]), SAMPLE),
        audit.UNVERIFIABLE,
        lambda: tables.table_totals(findings(1, [1, 1], ["high", "low"]), SAMPLE)),
    "counts_within_sample": (
        lambda: tables.counts_within_sample(findings(1, [3, 1], ["high", "low"]), SAMPLE),
        audit.UNVERIFIABLE,
        lambda: tables.counts_within_sample(findings(1, [2, 1], ["high", "low"]), SAMPLE)),
    "ratings_follow_counts": (
        lambda: tables.ratings_follow_counts(findings(1, [3, 5], ["high", "low"])),
        audit.UNVERIFIABLE,
        lambda: tables.ratings_follow_counts(findings(3, [5, 3], ["strong_positive", "limited"], direction=True))),
    "quantifiers_against_counts": (
        lambda: tables.quantifiers_against_counts(says(("q", "quantifier", "k0", "Most sources said so")),
                                                  findings_keyed([1, 0]), SAMPLE),
        audit.UNVERIFIABLE,
        lambda: tables.quantifiers_against_counts(says(("q", "quantifier", "k0", "Most sources said so")),
                                                  findings_keyed([2, 0]), SAMPLE)),
    "unquantified_claims": (
        lambda: tables.unquantified_claims(says(("q", "quantifier", "k0", "ample evidence")), findings_keyed([1])),
        audit.UNVERIFIABLE,
        lambda: tables.unquantified_claims(says(("q", "quantifier", "k0", "most sources")), findings_keyed([1]))),
    "superlatives_against_ratings": (
        lambda: tables.superlatives_against_ratings(says(("g", "finding", "money", "the greatest obstacle")),
                                                    findings(2, [3, 2], ["high", "high"], keys=["money", "allies"])),
        audit.UNVERIFIABLE,
        lambda: tables.superlatives_against_ratings(says(("g", "finding", "money", "the greatest obstacle")), TABLE2)),
    "prose_against_ratings": (
        lambda: tables.prose_against_ratings(says(("t", "finding", "allies", "was not able to build it")), TABLE2),
        audit.UNVERIFIABLE,
        lambda: tables.prose_against_ratings(says(("t", "finding", "allies", "was able to build some")), TABLE2)),
    "rows_discussed": (
        lambda: tables.rows_discussed(says(("m", "finding", "money", "money mattered", "4.2")), TABLE2,
                                      pd.DataFrame({"table": [2], "section": ["4.2"]})),
        audit.PRESENTATION,
        lambda: tables.rows_discussed(says(("m", "finding", "money", "money mattered", "4.2"),
                                           ("a", "finding", "allies", "allies mattered", "4.2")), TABLE2,
                                      pd.DataFrame({"table": [2], "section": ["4.2"]}))),
    "rating_labels_consistent": (
        lambda: labels.rating_labels_consistent(pd.concat([
            findings(1, [3], ["moderate_high"], printed=["Moderate–High"]),
            findings(2, [3], ["moderate_high"], printed=["Moderate-High"])])),
        audit.PRESENTATION,
        lambda: labels.rating_labels_consistent(pd.concat([
            findings(1, [3], ["moderate_high"], printed=["Moderate-High"]),
            findings(2, [3], ["moderate_high"], printed=["Moderate-High"])]))),
    "agreement_column_complete": (
        lambda: labels.agreement_column_complete(findings(3, [3, 2], ["positive", "limited"], direction=True,
                                                          agreement=["high", None]), TABLES),
        audit.PRESENTATION,
        lambda: labels.agreement_column_complete(findings(3, [3, 2], ["positive", "limited"], direction=True,
                                                          agreement=["high", "low"]), TABLES)),
    "titles_consistent": (
        lambda: labels.titles_consistent(pd.DataFrame({"kind": ["table", "figure"], "number": [3, 4],
                                                       "title": ["Pakistan’s role", "Pakistan's role"]}), TABLES),
        audit.PRESENTATION,
        lambda: labels.titles_consistent(pd.DataFrame({"kind": ["table", "figure"], "number": [3, 4],
                                                       "title": ["Pakistan's role", "Pakistan's role"]}), TABLES)),
    "repeated_text": (
        lambda: labels.repeated_text(says(("h1", "heading", "h", "2.2 Theories"), ("h2", "heading", "h", "Theories"))),
        audit.PRESENTATION,
        lambda: labels.repeated_text(says(("h1", "heading", "h", "2.2 Theories"), ("h2", "heading", "g", "Other")))),
    "balanced_quotation_marks": (
        lambda: labels.balanced_quotation_marks(says(("q", "quotation", "x", 'said that "rigid'))),
        audit.PRESENTATION,
        lambda: labels.balanced_quotation_marks(says(("q", "quotation", "x", 'said that "rigid"')))),
    "exhibits_referred": (
        lambda: labels.exhibits_referred(pd.DataFrame({"kind": ["table", "figure"], "number": [1, 2],
                                                       "text_references": [2, 0]})),
        audit.PRESENTATION,
        lambda: labels.exhibits_referred(pd.DataFrame({"kind": ["table", "figure"], "number": [1, 2],
                                                       "text_references": [2, 1]}))),
    "stated_numbers": (
        lambda: design.stated_numbers(says(("o", "objective", "objectives", "pursues three objectives")),
                                      OBJECTIVES, CODEBOOK, SAMPLE),
        audit.ERROR,
        lambda: design.stated_numbers(says(("o", "objective", "objectives", "pursues one objective"),
                                           ("s", "sample", "sample_size", "a sample of 2 documents")),
                                      OBJECTIVES, CODEBOOK, SAMPLE)),
    "problem_aims_in_objectives": (
        lambda: design.problem_aims_in_objectives(says(("a", "aim", "O1", "evaluate the role"),
                                                       ("b", "aim", "economy", "economic stability")), OBJECTIVES),
        audit.UNVERIFIABLE,
        lambda: design.problem_aims_in_objectives(says(("a", "aim", "O1", "evaluate the role")), OBJECTIVES)),
    "objectives_answered": (
        lambda: design.objectives_answered(OBJECTIVES, NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: design.objectives_answered(OBJECTIVES.assign(coverage=["answered", "partial"]), NO_STATEMENTS)),
    "questions_paired": (
        lambda: design.questions_paired(OBJECTIVES, NO_STATEMENTS),
        audit.UNVERIFIABLE,
        lambda: design.questions_paired(OBJECTIVES.assign(paired_with=pd.array(["Q1", "O1"], dtype="string")),
                                        NO_STATEMENTS)),
    "question_limitations": (
        lambda: design.question_limitations(says(("e", "constraint", "money", "economic vulnerabilities", "1.4"),
                                                 ("s", "constraint", "saudi", "Saudi influence", "1.4")), TABLE2),
        audit.UNVERIFIABLE,
        lambda: design.question_limitations(says(("e", "constraint", "money", "economic vulnerabilities", "1.4"),
                                                 ("s", "constraint", "saudi", "Saudi influence", "2.1")), TABLE2)),
    "ceasefire_identified": (
        lambda: design.ceasefire_identified(says(("c", "claim", "ceasefire", "the US–Iran ceasefire process"))),
        audit.UNVERIFIABLE,
        lambda: design.ceasefire_identified(says(("c", "claim", "ceasefire", "the US–Iran ceasefire of 2026")))),
    "concluded_constraints": (
        lambda: conclusions.concluded_constraints(says(("a", "constraint", "money", "economic dependency", "Abstract"),
                                                       ("p", "constraint", "power", "power asymmetry", "6")), TABLE2),
        audit.UNVERIFIABLE,
        lambda: conclusions.concluded_constraints(says(("a", "constraint", "money", "economic dependency", "Abstract"),
                                                       ("p", "constraint", "power", "power asymmetry", "5")), TABLE2)),
    "abstract_conclusions_in_body": (
        lambda: conclusions.abstract_conclusions_in_body(says(("a", "conclusion", "multilateral", "multilateral",
                                                               "Abstract"),
                                                              ("b", "claim", "multilateral", "multilateral", "2.3"))),
        audit.UNVERIFIABLE,
        lambda: conclusions.abstract_conclusions_in_body(says(("a", "conclusion", "multilateral", "multilateral",
                                                               "Abstract"),
                                                              ("b", "conclusion", "multilateral", "multilateral",
                                                               "6")))),
    "stated_strength": (
        lambda: conclusions.stated_strength(says(("p", "strength", "role", "played a pivotal role", "6", 271),
                                                 ("l", "strength", "role", "a meaningful but limited role", "6", 271))),
        audit.UNVERIFIABLE,
        lambda: conclusions.stated_strength(says(("p", "strength", "role", "played a pivotal role"),
                                                 ("l", "strength", "other", "a meaningful but limited role")))),
    "neutrality_stated_alike": (
        lambda: conclusions.neutrality_stated_alike(says(("a", "claim", "neutrality", "a neutral communicator"),
                                                         ("b", "claim", "neutrality", "were not necessarily neutral"))),
        audit.UNVERIFIABLE,
        lambda: conclusions.neutrality_stated_alike(says(("a", "claim", "neutrality", "a neutral communicator")))),
}


def verdicts(result):
    checks = result if isinstance(result, list) else [result]
    return {c.verdict for c in checks}


def test_every_registered_check_has_a_case_and_every_case_a_check():
    assert [entry.name for entry in audit.REGISTRY] and {entry.name for entry in audit.REGISTRY} == set(CASES)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_gives_its_class_on_its_flaw(case):
    flawed, klass, _ = CASES[case]
    assert verdicts(flawed()) == {klass}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_check_is_consistent_without_it(case):
    checks = CASES[case][2]()
    assert verdicts(checks) == {audit.CONSISTENT}
    assert not any(c.changes_result for c in (checks if isinstance(checks, list) else [checks]))


def test_a_flat_denial_of_neutrality_is_an_error_and_a_hedged_one_a_tension():
    flat = conclusions.neutrality_stated_alike(says(("a", "claim", "neutrality", "a neutral communicator"),
                                                    ("b", "claim", "neutrality", "was never neutral")))
    hedged = CASES["neutrality_stated_alike"][0]()
    assert (flat.verdict, hedged.verdict) == (audit.ERROR, audit.UNVERIFIABLE)
    assert "a tension, not a contradiction" in hedged.observed and "cannot be true" in flat.observed


def test_a_forename_that_does_not_fit_is_unresolved_not_a_spelling():
    both = cites(("Q. Bell", 2010, "bell2010"))
    unresolved = citations.unresolved_citations(both, REFS)
    assert unresolved.observed == ("in-text citations matching no entry: 1 of 1: Q. Bell (2010) "
                                   "(data/citations.csv occurrence 1); Q. Bell has a forename that does not fit the "
                                   "initial of bell2010, so the citation cannot be resolved")
    assert citations.name_spellings(both, REFS).verdict == audit.CONSISTENT
    named = cites(("Q. Bell", 2010, "UNRESOLVED"))
    assert citations.unresolved_citations(named, REFS).observed.endswith(
        "; the list's only Bell is Bell, B. (2010), so the citation cannot be resolved")


def test_the_strength_check_names_the_paragraph_holding_both():
    found = CASES["stated_strength"][0]()
    assert "role: strong words (p) and limiting words (l), both within the paragraph at line 271" in found.observed


def test_observed_text_names_what_is_wrong_and_the_evidence():
    check = citations.name_spellings(cites(("Amess", 2001, "ames2001"), ("Bel", 2010, "bell2010")), REFS)
    assert check.observed == ("surnames spelled otherwise: 2 ('Amess' for Ames and 'Bel' for Bell; "
                              "data/citations.csv)")
    totals = tables.table_totals(findings(1, [2, 1], ["high", "low"]), SAMPLE)
    assert totals[0].observed == ("the rows sum to 3, 1 more than the sample, so on that reading documents count "
                                  "under several rows; no rule is stated (data/findings.csv table 1)")
    assert totals[0].expected.startswith("on the compendium's reading that each count is a number of the 2 sampled "
                                         "documents, which the article does not state")
    style = citations.citation_style(cites(("Ames", 2001, "ames2001")),
                                     says(("c1", "citation", "comma", "(Ames 2001)")))
    assert style.observed == "deviations: 1 (no comma before the year in Ames 2001 (c1))"
    titles = CASES["titles_against_claims"][0]()
    assert titles.observed.startswith("citations of a work whose title names another subject: 1 of 1 (Ames (2001), "
                                      "'US sanctions and Iran' (on sanctions and coercion), cited for a claim on "
                                      "mediation (c1; data/citations.csv occurrence 1))")


@pytest.fixture(scope="module")
def article_audit():
    return audit.run_audit(audit.load_bundle(ROOT / "data", ROOT / "references.bib"))


def test_the_audit_has_a_row_per_check_and_per_table_for_checks_by_table(article_audit):
    by_table = [e for e in audit.REGISTRY if "list[Check]" in str(e.function.__annotations__.get("return"))]
    n_tables = data.load_findings(ROOT / "data")["table"].nunique()
    counts = audit.class_counts(article_audit)
    assert counts["n_checks"] == len(audit.REGISTRY) + (n_tables - 1) * len(by_table)
    assert sum(counts[name] for name in audit.CLASSES) == counts["n_checks"]
    assert list(article_audit["verdict"]) == sorted(article_audit["verdict"], key=audit.CLASSES.index)


def test_every_check_takes_only_entries_the_bundle_holds():
    bundle = set(audit.load_bundle(ROOT / "data", ROOT / "references.bib"))
    assert {name for entry in audit.REGISTRY for name in entry.needs} <= bundle


def test_no_verdict_on_the_article_is_an_error_unless_two_statements_cannot_both_be_true(article_audit):
    errors = article_audit[article_audit["verdict"] == audit.ERROR]
    assert set(errors["check"]) == set()
    on_readings = article_audit.set_index("check").loc[["Majority words against the counts",
                                                          "Back matter fits a documents-only study"]]
    assert set(on_readings["verdict"]) == {audit.UNVERIFIABLE}
    assert all("on the compendium's" in text and "read" in text for text in on_readings["observed"])
    tensions = article_audit[article_audit["observed"].str.contains("a tension, not a contradiction")]
    assert set(tensions["verdict"]) == {audit.UNVERIFIABLE}
    assert set(tensions["check"]) == {"Neutrality described one way", "Ratings and the text on the same row",
                                      "Pakistan's part stated at one strength"}


def test_every_verdict_that_rests_on_the_reading_of_the_counts_says_so(article_audit):
    reading = "on the compendium's reading that each count is a number of the 50 sampled documents"
    out_of = article_audit[(article_audit["expected"] + " " + article_audit["observed"]).str.contains(
        r"\b50 (?:sampled )?documents|than the sample|count above")]
    assert set(out_of["check"]) == {*(f"Table {n}: counts against the sample size" for n in (1, 2, 3)),
                                    "Each count within the sample size", "Majority words against the counts"}
    assert all(reading in text for text in out_of["expected"])


def test_every_statement_id_the_audit_names_exists(article_audit):
    known = set(data.load_statements(ROOT / "data")["id"])
    named = {i for text in article_audit["expected"] + " " + article_audit["observed"]
             for i in re.findall(r"\b(?:abs|s\d|ack|consent|ethics|data|ref)[a-z0-9-]*-[a-z0-9-]+\b", text)}
    assert named and named <= known


def test_the_majority_words_of_the_article_are_unverifiable_and_name_both_readings(article_audit):
    row = article_audit.set_index("check").loc["Majority words against the counts"]
    assert row["verdict"] == audit.UNVERIFIABLE and row["changes_result"]
    assert "the counts are documents out of the sample and that each sentence speaks of its matched row" in (
        row["observed"])
    assert "'Most' (s4-1-most) for 18 of 50 documents" in row["observed"]
    assert "'Most' (s4-3-most) for 19 of 50 documents" in row["observed"]


@pytest.mark.parametrize("check, evidence", [
    ("One work, one account of what makes mediation work",
     "Bercovitch & Jackson (2009): legitimacy, neutrality and trust symmetry in section 1 (s1-legitimacy); leverage, "
     "neutrality and timing in section 2.2 (s2-2-neutrality); acceptance, access and credibility in section 2.4 "
     "(s2-4-conditions)"),
    ("Cited works whose titles fit the claim",
     "Byman (2019), 'A counterproductive strategy: US sanctions and Iran' (on sanctions and coercion), cited for a "
     "claim on mediation (s2-3-byman"),
    ("Pakistan's part stated at one strength", "both within the paragraph at line 271"),
    ("Constraints of the abstract and conclusion among the results",
     "power asymmetry (abs-power-asymmetry, s6-imbalance)"),
    ("Every table row discussed in its section",
     "Diplomatic communication reopening (Table 3 row 4, Strong Positive, 21 sources, the largest count"),
    ("Superlatives against the printed ratings",
     "'greatest' (s4-2-greatest) for Economic limitations (20 sources), rated High like Strategic dependency on "
     "allies (17 sources)"),
    ("Ratings and the text on the same row", "Trust building between parties, rated Moderate"),
    ("In-text citations without a reference entry", "Hussain (2026) and Irfan Karim (2026)"),
    ("Themes of the method reported in the results",
     "Middle-power mediation as Mediation effectiveness and Regional security dynamics as Regional stability outcomes"),
])
def test_the_new_findings_on_the_article_name_their_evidence(article_audit, check, evidence):
    assert evidence in article_audit.set_index("check").loc[check, "observed"]
