"""The section data (citations, objectives, codebook, framework, search strategy) against the article."""
from __future__ import annotations

import pytest
from conftest import ROOT

from compendium.analysis import data, synthesis

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def citations():
    return data.load_citations(DATA)


@pytest.fixture(scope="module")
def references():
    return data.load_references(ROOT / "references.bib")


def test_citation_counts_per_section(citations):
    top = citations["section"].str.split(".").str[0].value_counts().to_dict()
    assert top == {"1": 8, "2": 19, "5": 21}
    assert citations["section"].value_counts().to_dict() == {
        "5": 21, "2.1": 6, "2.2": 6, "2.3": 5, "1": 4, "1.1": 4, "2.4": 2}
    assert list(citations["occurrence"]) == list(range(1, 49))


def test_unresolved_and_never_cited(citations, references):
    unresolved = citations[citations["key"] == "UNRESOLVED"]
    assert unresolved[["section", "author_string", "year"]].values.tolist() == [["2.3", "Hussain", 2026],
                                                                                 ["2.3", "Irfan Karim", 2026]]
    summary = synthesis.citation_summary(citations, references)
    assert summary["n_never_cited"] == 2 and summary["never_cited"] == "Karim (2026) and Shaikh (2026)"
    assert summary["n_works_cited"] == 34 and summary["n_listed"] == 36


def test_citations_keep_the_articles_spellings(citations):
    spelled = dict(zip(citations["occurrence"], citations["author_string"], strict=True))
    assert spelled[28] == "Wallenstein & Svensson"
    assert spelled[23] == "Irfan Karim"
    assert spelled[48] == "Crocker et al."
    assert citations.loc[citations["occurrence"] == 28, "key"].item() == "wallensteen2014"
    assert citations.loc[citations["author_string"].str.startswith("Touval"), "key"].tolist() == [
        "touval2016", "touval2015"]


def test_reference_list_by_entry_type(references):
    listed = references[references["in_reference_list"]]
    assert listed["entry_type"].value_counts().to_dict() == {"article": 16, "book": 16, "techreport": 4}


def test_objectives_and_questions(tmp_path):
    objectives = data.load_objectives(DATA)
    assert objectives["kind"].value_counts().to_dict() == {"objective": 4, "question": 4}
    assert list(objectives["id"]) == ["O1", "O2", "O3", "O4", "Q1", "Q2", "Q3", "Q4"]
    assert objectives.loc[objectives["coverage"] == "none", "id"].tolist() == ["O2", "Q2"]


def test_codebook_defines_every_theme_and_dimension_of_the_tables():
    codebook = data.load_codebook(DATA)
    findings = data.load_findings(DATA)
    dimensions = codebook[codebook["level"] == "dimension"]
    assert sorted(dimensions["code"]) == sorted(findings["key"])
    assert (dimensions.set_index("code").loc[findings["key"], "label"].to_numpy() == findings["label"].to_numpy()).all()
    assert codebook.loc[codebook["level"] == "theme", "table"].notna().sum() == 3
    assert dimensions["horizon"].value_counts().to_dict() == {"short_term": 6, "constraint": 5, "long_term": 4}


def test_framework_and_search_strategy():
    framework = data.load_framework(DATA)
    nodes = synthesis.framework_nodes(framework)
    assert set(nodes.loc[nodes["kind"] == "theory", "node"]) == {
        "Mediation theory", "Middle-power diplomacy theory", "Realist international relations theory"}
    assert framework["basis"].value_counts().to_dict() == {"stated": 5, "compendium": 8}
    strategy = data.load_search_strategy(DATA)
    assert synthesis.stated_window(strategy) == (2006, 2026)
    assert strategy.loc[strategy["kind"] == "keyword", "value"].tolist() == [
        "US – Iran relations", "mediation in international conflicts", "Pakistan diplomatic role",
        "Middle East security"]
    assert synthesis.strategy_values(strategy, "publisher") == (
        "Brookings Institution, Chatham House, Council on Foreign Relations and Congressional Research Service")


BACK_MATTER = ("Abstract", "Acknowledgments", "Informed Consent", "Ethical Approval", "Data Availability",
               "References")


def sections_by_line(lines: list[str]) -> list[str]:
    """The section each line of the article belongs to: the last heading above it."""
    current, found = "front matter", []
    for line in lines:
        words = line.split()
        numbered = words and words[0].rstrip(".").replace(".", "").isdigit() and len(words) <= 16 \
            and words[1][:1].isupper() and words[1] != "To"
        if numbered and not line.startswith("- "):
            current = words[0].rstrip(".")
        elif line.strip() in BACK_MATTER or line.strip() in {"Contribution of Authors",
                                                             "Conflict of Interest Statement", "Funding Statement"}:
            current = line.strip()
        found.append(current)
    return found


def test_every_statement_is_quoted_verbatim_at_its_line_and_section(article_lines):
    statements = data.load_statements(DATA)
    sections = sections_by_line(article_lines)
    for row in statements.itertuples():
        assert row.quote in article_lines[row.line - 1], f"{row.id}: not at line {row.line}"
        assert sections[row.line - 1] == row.section, f"{row.id}: line {row.line} is in {sections[row.line - 1]}"
        assert len(row.quote.split()) <= 9, row.id


def test_statements_of_repeated_text_are_repeated(article_lines):
    statements = data.load_statements(DATA)
    for key, part in statements[statements["kind"].isin(["repetition", "heading"])].groupby("key"):
        if len(part) > 1:
            assert part["line"].nunique() == 1, key  # the repetition sits in one paragraph or heading


def test_the_unclosed_quotation_is_unclosed(article_lines):
    statements = data.load_statements(DATA)
    for row in statements[statements["kind"] == "quotation"].itertuples():
        assert article_lines[row.line - 1].count('"') % 2 == 1, row.id


def test_every_statement_of_strength_is_read_as_strong_or_limited():
    from compendium.analysis.wording import strength

    rated = data.load_statements(DATA).query("kind == 'strength'")
    read = dict(zip(rated["id"], rated["quote"].map(strength), strict=True))
    assert read == {"abs-significant": "strong", "s1-broker": "strong", "s4-1-significant": "strong",
                    "s4-3-enhanced": "strong", "s4-3-not-directly": "limited", "s5-bridge": "limited",
                    "s5-limited-reach": "limited", "s6-limited": "limited", "s6-pivotal": "strong"}


def test_the_named_constraints_are_keyed_by_table_2_row_or_by_a_topic_outside_it(citations):
    statements = data.load_statements(DATA)
    named = statements[statements["kind"] == "constraint"]
    rows = set(data.load_findings(DATA).query("table == 2")["key"])
    outside = set(named["key"]) - rows
    assert outside == {"power_asymmetry", "competing_interests", "competing_mediation", "us_scepticism",
                       "iranian_reluctance", "saudi_influence"}
    assert set(named["section"]) == {"Abstract", "1.4", "6"}


def test_every_citation_says_what_it_credits_and_where_the_claim_stands(citations):
    statements = data.load_statements(DATA).set_index("id")
    assert citations["about"].notna().all() and citations["statement"].notna().all()
    for row in citations.itertuples():
        assert statements.at[row.statement, "section"] == row.section, row.occurrence  # the claim is where it is cited
    credited = citations.dropna(subset=["conditions"])
    assert dict(zip(credited["occurrence"], credited["conditions"], strict=True))[26] == "access credibility acceptance"
