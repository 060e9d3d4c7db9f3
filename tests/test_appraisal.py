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
    assert appraisal.domains_rated(small, "not_reported") == ["Appraisal"]
    assert appraisal.domains_rated(small, "reported") == ["Introduction"]


def test_the_published_ratings_add_up_to_the_checklist():
    entreq = data.load_entreq(DATA)
    counts = appraisal.tally(entreq)
    assert counts["n_reported"] + counts["n_partly"] + counts["n_not_reported"] == counts["items"] == 21
    assert appraisal.entreq_table(entreq, data.load_statements(DATA))["Rating"].isin(
        ["reported", "partly reported", "not reported"]).all()


def test_flow_counts_come_from_the_sample_and_the_reference_list():
    boxes = appraisal.flow_counts(data.load_prisma_flow(DATA), data.load_sample(DATA),
                                  data.load_references(ROOT / "references.bib")).set_index("box")
    assert boxes.index.tolist() == ["identified", "screened", "excluded", "assessed", "included"]
    assert (boxes.loc["included", "stated"], boxes.loc["included", "listed"]) == (50, 36)
    assert boxes.loc["included", "counts"] == "stated: n = 50; listed: n = 36"
    assert (boxes.drop(index="included")["counts"] == appraisal.NOT_REPORTED).all()


def test_the_flow_diagram_draws_every_box_with_its_counts():
    boxes = appraisal.flow_counts(data.load_prisma_flow(DATA), data.load_sample(DATA),
                                  data.load_references(ROOT / "references.bib"))
    diagram = appraisal_figures.flow_diagram(boxes, "t")
    texts = [t.get_text() for t in diagram.figure.axes[0].texts]
    assert all(label in [t.replace("\n", " ") for t in texts] for label in boxes["label"])
    assert texts.count("not reported") == 4 and "stated: n = 50; listed: n = 36" in texts
    assert {"Identification", "Screening", "Included"} <= set(texts)
    listed = figures.drawn_boxes(diagram)
    assert len(listed) == len(boxes) and all(label in " ".join(listed["text"]).replace("\n", " ")
                                             for label in boxes["label"])
    assert diagram.alt.startswith("Flow diagram, t: ") and "not reported" in diagram.alt


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
