"""The data layer returns the article's values, typed as the data package says."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import ARTICLE, ROOT, needs_shared

from compendium.analysis import data

# Tables 1-3 of Mohsin et al. (2026), sections 4.1-4.3, transcribed by hand from the article.
ARTICLE_ROWS = [
    (1, 1, "Communication facilitation", "High", "18 sources", 18),
    (1, 2, "Crisis de-escalation support", "Moderate–High", "15 sources", 15),
    (1, 3, "Trust building between parties", "Moderate", "12 sources", 12),
    (1, 4, "Long-term peace contribution", "Low", "8 sources", 8),
    (1, 5, "Institutional diplomatic impact", "Low–Moderate", "10 sources", 10),
    (2, 1, "Economic limitations", "High", "20 sources", 20),
    (2, 2, "Strategic dependency on allies", "High", "17 sources", 17),
    (2, 3, "Regional security pressures", "Moderate-High", "15 sources", 15),
    (2, 4, "Lack of institutional leverage", "Moderate", "13 sources", 13),
    (2, 5, "Domestic political instability", "Moderate", "11 sources", 11),
    (3, 1, "Reduction in military escalation", "Positive", "High (19 sources)", 19),
    (3, 2, "Maritime security improvement", "Positive", "Moderate-High (16 sources)", 16),
    (3, 3, "Energy market stability", "Moderate Positive", "14 sources", 14),
    (3, 4, "Diplomatic communication reopening", "Strong Positive", "21 sources", 21),
    (3, 5, "Long-term regional peace", "Limited", "10 sources", 10),
]


@pytest.fixture(scope="module")
def findings() -> pd.DataFrame:
    return data.load_findings(ROOT / "data")


def test_findings_hold_every_row_of_tables_1_to_3(findings):
    got = list(findings[["table", "row", "label", "rating_printed", "count_printed", "n_sources"]]
               .itertuples(index=False, name=None))
    assert got == ARTICLE_ROWS


def test_findings_columns_are_typed(findings):
    assert findings["n_sources"].dtype == "Int64"
    assert findings["label"].dtype == "string"
    level = findings["rating_level"]
    assert level.cat.ordered
    assert list(level.cat.categories) == ["low", "low_moderate", "moderate", "moderate_high", "high"]
    assert list(findings["direction"].cat.categories) == ["limited", "moderate_positive", "positive", "strong_positive"]


def test_ordinal_ratings_normalise_the_printed_ones(findings):
    tables_1_2 = findings[findings["table"] < 3]
    assert list(tables_1_2["rating_level"].astype(str)) == [
        "high", "moderate_high", "moderate", "low", "low_moderate",
        "high", "high", "moderate_high", "moderate", "moderate"]
    assert tables_1_2["direction"].isna().all()
    table_3 = findings[findings["table"] == 3]
    assert list(table_3["direction"].astype(str)) == [
        "positive", "positive", "moderate_positive", "strong_positive", "limited"]
    assert table_3["rating_level"].isna().all()
    # Only two rows of Table 3 print an agreement level; the others print a count alone.
    assert list(table_3["agreement_level"].astype("string").fillna("")) == ["high", "moderate_high", "", "", ""]
    above_moderate = findings.loc[findings["rating_level"] > "moderate", "label"]
    assert list(above_moderate) == ["Communication facilitation", "Crisis de-escalation support",
                                    "Economic limitations", "Strategic dependency on allies",
                                    "Regional security pressures"]


def test_tables_keep_titles_and_headers_as_printed():
    tables = data.load_tables(ROOT / "data")
    assert list(tables["title"]) == [
        "Perceived Effectiveness of Pakistan’s Mediation Role",
        "Major Constraints on Pakistan's Mediation Capacity",
        "Regional Stability Outcomes Linked to Pakistan's Mediation",
    ]
    assert list(tables["figure"]) == [2, 3, 4]
    assert list(tables["figure_title"]) == [
        "Perceived Effectiveness of Pakistan's Mediation Role",
        "Major Constraints on Pakistan's Mediation Capacity",
        "Regional Stability Outcomes Linked to Pakistan’s Mediation",
    ]
    assert list(tables["count_column"]) == [
        "Supporting Evidence Frequency", "Literature Frequency", "Source Agreement Level"]


def test_sample_is_the_stated_composition():
    sample = data.load_sample(ROOT / "data")
    assert dict(zip(sample["source_type"], sample["n_documents"], strict=True)) == {
        "journal_article": 30, "policy_report": 12, "academic_book": 8}
    assert sample["n_documents"].sum() == 50


def test_reference_list_has_the_articles_36_entries():
    refs = data.load_references(ROOT / "references.bib")
    listed = refs[refs["in_reference_list"]]
    assert len(listed) == 36
    assert listed["key"].is_unique
    assert listed["doi"].notna().sum() == 13
    assert {"kydd2006", "touval2015", "touval2016", "waltz1979"} <= set(listed["key"])
    assert list(refs.loc[~refs["in_reference_list"], "key"]) == ["mohsin2026"]


def test_reference_list_matches_the_article_text():
    needs_shared(ARTICLE, "this test compares the reference list with the article's text")
    text = ARTICLE.read_text(encoding="utf-8")  # splitlines below keeps the unterminated last line
    section = text.split("\nReferences\n", 1)[1]
    entries = [line[2:] for line in section.splitlines() if line.startswith("- ")]
    printed = sorted((e.split(",")[0], int(e.split("(")[1][:4])) for e in entries)
    refs = data.load_references(ROOT / "references.bib")
    listed = refs[refs["in_reference_list"]]
    assert sorted(zip(listed["first_author"], listed["year"], strict=True)) == printed
    dois = {e.split("doi.org/")[1].rstrip(">").strip() for e in entries if "doi.org/" in e}
    assert set(listed["doi"].dropna()) == dois


def test_findings_match_the_tables_in_the_article_text(findings):
    needs_shared(ARTICLE, "this test compares Tables 1-3 with the article's text")
    rows = [line for line in ARTICLE.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and "sources" in line]
    cells = [tuple(c.strip() for c in line.strip("|").split("|")) for line in rows]
    assert cells == [(label, rating, count) for _, _, label, rating, count, _ in ARTICLE_ROWS]
    assert list(findings["label"]) == [c[0] for c in cells]


def test_loaders_find_the_data_package_from_a_subfolder(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT / "notebooks")
    assert data.find_data_dir() == ROOT / "data"
    assert data.load_sample()["n_documents"].sum() == 50
    monkeypatch.chdir(tmp_path)
    with pytest.raises(data.DataError, match="no data/datapackage.json found"):
        data.load_sample()
