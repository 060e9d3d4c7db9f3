"""The appraisal: ENTREQ's items as published, ratings resting on real statements, and the flow diagram's counts."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT, edit

from compendium.analysis import appraisal, appraisal_figures, data, figures
from compendium.analysis.validation import validate_all

DATA = ROOT / "data"
# The 21 items of ENTREQ as named in Tong et al. (2012), Table 1, in order.
ENTREQ_ITEMS = [
    "Aim", "Synthesis methodology", "Approach to searching", "Inclusion criteria", "Data sources",
    "Electronic Search strategy", "Study screening methods", "Study characteristics", "Study selection results",
    "Rationale for appraisal", "Appraisal items", "Appraisal process", "Appraisal results", "Data extraction",
    "Software", "Number of reviewers", "Coding", "Study comparison", "Derivation of themes", "Quotations",
    "Synthesis output",
]


def test_the_checklist_has_every_item_of_entreq_in_order():
    entreq = data.load_entreq(DATA)
    assert entreq["item"].tolist() == list(range(1, 22))
    assert entreq["name"].tolist() == ENTREQ_ITEMS
    assert entreq["domain"].iloc[0] == "introduction" and entreq["domain"].iloc[-1] == "synthesis_of_findings"


def test_every_rating_above_not_reported_rests_on_a_statement():
    entreq = data.load_entreq(DATA)
    rated = entreq[entreq["rating"] != "not_reported"]
    assert rated["statements"].notna().all()
    known = set(data.load_statements(DATA)["id"])
    cited = {s for ids in entreq["statements"].dropna() for s in ids.split()}
    assert cited and cited <= known


def test_where_names_section_line_and_quotation():
    statements = data.load_statements(DATA)
    assert appraisal.where("s3-6-codes", statements) == (
        "section 3.6, line 171: “Selected literature was repeatedly read and codes were drawn”")
    assert appraisal.where("abs-sample data-on-request", statements) == (
        "abstract, line 47: “The sample consisted of 50 scholarly documents selected”; data availability, line 313: "
        "“available from the corresponding author on reasonable request”")
    assert appraisal.where(pd.NA, statements) == ""


def small_checklist() -> pd.DataFrame:
    domains = pd.Categorical(["introduction", "appraisal", "appraisal", "synthesis_of_findings"],
                             categories=["introduction", "appraisal", "synthesis_of_findings"], ordered=True)
    ratings = pd.Categorical(["reported", "not_reported", "not_reported", "partly"],
                             categories=["reported", "partly", "not_reported"], ordered=True)
    return pd.DataFrame({"item": [1, 2, 3, 4], "domain": domains, "rating": ratings})


def test_tally_and_domains_count_each_rating():
    small = small_checklist()
    assert appraisal.tally(small) == {"items": 4, "n_reported": 1, "n_partly": 1, "n_not_reported": 2}
    counts = appraisal.by_domain(small)
    assert counts.index.tolist() == ["introduction", "appraisal", "synthesis_of_findings"]
    assert counts.loc["appraisal"].tolist() == [0, 0, 2]
    assert appraisal.domains_with(small, "reported") == ["Introduction"]
    assert appraisal.domains_with(small, "not_reported") == ["Appraisal"]
    assert appraisal.most_rated(small, "not_reported") == "Appraisal (2 of its 2 items)"
    assert appraisal.most_rated(small, "partly") == "Synthesis of findings (1 of its 1 items)"
    tied = small.assign(rating=pd.Categorical(["not_reported", "not_reported", "partly", "not_reported"],
                                              categories=["reported", "partly", "not_reported"], ordered=True))
    assert appraisal.most_rated(tied, "not_reported") == (
        "Introduction, Appraisal and Synthesis of findings (1 items each)")


def test_the_published_ratings_add_up_to_the_checklist():
    entreq = data.load_entreq(DATA)
    counts = appraisal.tally(entreq)
    assert counts["n_reported"] + counts["n_partly"] + counts["n_not_reported"] == counts["items"] == 21
    assert appraisal.entreq_table(entreq, data.load_statements(DATA))["Rating"].isin(
        ["reported", "partly reported", "not reported"]).all()


def test_the_flow_diagram_states_only_what_the_article_states():
    boxes = appraisal.flow_counts(data.load_prisma_flow(DATA)).set_index("box")
    assert boxes.index.tolist() == ["identified", "screened", "excluded", "assessed", "included"]
    assert boxes.loc["included", ["stated", "stated_in", "counts"]].tolist() == [50, "s3-4-sample", "n = 50"]
    assert (boxes.drop(index="included")["counts"] == appraisal.NOT_REPORTED).all()
    note = appraisal.reference_note(data.load_references(ROOT / "references.bib"))
    assert note == "Reference list: 36 entries (35 distinct works); not a list of the included studies"


def test_the_flow_diagram_draws_every_box_with_its_count_and_the_side_note():
    boxes = appraisal.flow_counts(data.load_prisma_flow(DATA))
    drawn = appraisal_figures.flow_diagram(boxes, "t", "a side note")
    texts = [t.get_text().replace("\n", " ") for t in drawn.figure.axes[0].texts]
    assert all(label in texts for label in boxes["label"])
    assert texts.count("not reported") == 4 and "n = 50" in texts and "a side note" in texts
    assert {"Identification", "Screening", "Included"} <= set(texts)
    plain = [t.get_text() for t in appraisal_figures.flow_diagram(boxes, "t").figure.axes[0].texts]
    assert "a side note" not in plain and len(plain) == len(texts) - 1
    listed = figures.drawn_boxes(drawn)  # the flow's boxes, top to bottom, then the note
    assert len(listed) == len(boxes) + 1 and listed["text"].iloc[-1] == "a side note"
    assert all(label in " ".join(listed["text"]).replace("\n", " ") for label in boxes["label"])
    assert drawn.alt.startswith("Flow diagram, t: ") and "not reported" in drawn.alt and "a side note" in drawn.alt


@pytest.mark.parametrize("old, new, message", [
    (",50,s3-4-sample,", ",36,s3-4-sample,",
     "data/prisma_flow.csv row 5 (line 6), field stated: 36 is not printed in the quotation of statement s3-4-sample "
     "('The sample size consisted of 50 scholarly')"),
    (",50,s3-4-sample,", ",5,s3-4-sample,",
     "data/prisma_flow.csv row 5 (line 6), field stated: 5 is not printed in the quotation of statement s3-4-sample "
     "('The sample size consisted of 50 scholarly')"),
    (",50,s3-4-sample,", ",50,s3-4-size,",
     "data/prisma_flow.csv row 5 (line 6), field stated_in: 's3-4-size' is not an id of statements.csv"),
    (",50,s3-4-sample,", ",50,,",
     "data/prisma_flow.csv row 5 (line 6), field stated_in: empty value, but the stated count 50 needs the id of the "
     "statement that prints it"),
    (",50,s3-4-sample,", ",,s3-4-sample,",
     "data/prisma_flow.csv row 5 (line 6), field stated: empty value, but stated_in names statement s3-4-sample; give "
     "the count it prints, or leave both empty"),
])
def test_a_stated_count_must_be_printed_in_its_statement(project, monkeypatch, old, new, message):
    edit(project / "data/prisma_flow.csv", old, new)
    monkeypatch.chdir(project)
    assert validate_all(project) == [message]


def test_a_rating_citing_an_unknown_statement_is_refused(project, monkeypatch):
    edit(project / "data/entreq.csv", ",partly,s3-6-codes,", ",partly,s3-6-coding,")
    monkeypatch.chdir(project)
    assert validate_all(project) == [
        "data/entreq.csv row 17 (line 18), field statements: 's3-6-coding' is not an id of statements.csv"]


@pytest.mark.parametrize("old, new, message", [
    ("\n9,Study selection results,literature_search_and_selection,", "\n9,Study selection results,search,",
     "data/entreq.csv row 9 (line 10), field domain: 'search' is not one of the allowed values introduction, "
     "methods_and_methodology, literature_search_and_selection, appraisal, synthesis_of_findings"),
    (",reported,s1-3-four", ",full,s1-3-four",
     "data/entreq.csv row 1 (line 2), field rating: 'full' is not one of the allowed values reported, partly, "
     "not_reported"),
])
def test_broken_checklist_rows_are_one_line(project, monkeypatch, old, new, message):
    edit(project / "data/entreq.csv", old, new)
    monkeypatch.chdir(project)
    assert validate_all(project) == [message]


def test_the_notes_on_sources_keywords_and_criteria_cite_statements_that_show_them():
    # What items 4, 5 and 6 say the article names must be visible in the quotations they cite.
    entreq = data.load_entreq(DATA).set_index("item")
    quotes = data.load_statements(DATA).set_index("id")["quote"]
    strategy = data.load_search_strategy(DATA)
    for item, kinds in {4: ["inclusion_criterion"], 5: ["database", "publisher"], 6: ["keyword"]}.items():
        shown = " ".join(quotes[ids] for ids in entreq.loc[item, "statements"].split())
        named = strategy.loc[strategy["kind"].isin(kinds), "value"]
        assert [value for value in named if value not in shown] == [], item


def test_the_items_a_strict_reading_rates_not_reported_are_rated_by_the_stated_rule():
    entreq = data.load_entreq(ROOT / "data").set_index("item")
    for item in (3, 11, 13):
        assert entreq.at[item, "rating"] == "not_reported", item
        assert "by the rule of this table" in entreq.at[item, "note"], item
    rule = (ROOT / "chapters" / "appraisal.md").read_text(encoding="utf-8")
    assert "Naming the step is not\n  enough, nor is a criterion named without saying what it means" in rule
