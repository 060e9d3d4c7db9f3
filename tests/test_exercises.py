"""The checkable claims of the exercises' solutions: which notebooks read a file, what an
edit changes and what it leaves alone, and that numbers a solution states are the numbers
the edit produces."""
from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from conftest import ROOT, edit

from compendium.analysis import audit, data, stats, synthesis
from compendium.analysis.validation import validate_package
from compendium.book.pipeline.exports import glued_outputs
from compendium.book.toc import taught_chapters

# solution label -> the data file whose readers it names
READERS_NAMED = {
    "background-exercise-2": "data/objectives.csv",
    "literature-exercise-2": "data/framework.csv",
    "methods-exercise-2": "data/sample.csv",
    "discussion-exercise-1": "data/codebook.csv",
    "audit-exercise-3": "data/citations.csv",
}


def solution(label: str) -> str:
    """The text of one solution block of a chapter."""
    chapter = label.split("-")[0]
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    found = re.search(r":::\{solution\} " + re.escape(label) + r"\n(.*?)\n:::", text, flags=re.S)
    assert found, label
    return found.group(1)


def glued(notebook: str, name: str):
    """A value the stored notebook glued, as Python."""
    plain = glued_outputs(ROOT / "notebooks" / f"{notebook}.ipynb")[name]["text/plain"]
    return json.loads(plain.replace("'", '"')) if plain[:1] in "'\"" else float(plain)


@pytest.mark.book
@pytest.mark.parametrize("label", READERS_NAMED)
def test_a_solution_names_exactly_the_notebooks_that_read_the_file(book, label):
    reads = {p.stem: json.loads(p.read_text())["reads"] for p in (book / "_build/.cache").glob("*.json")}
    readers = {stem for stem, files in reads.items() if READERS_NAMED[label] in files}
    named = set(re.findall(r"`(0\d_\w+)`", solution(label)))
    assert named == readers


def bundle(data_dir):
    return audit.load_bundle(data_dir, ROOT / "references.bib")


@pytest.fixture
def data_copy(tmp_path):
    """A copy of the data package, safe to edit (its bibliography beside it)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy2(ROOT / "references.bib", tmp_path / "references.bib")
    return tmp_path / "data"


def test_background_coverage_edit_moves_the_counts_but_not_the_dots_or_the_audit(data_copy):
    before = bundle(ROOT / "data")
    edit(data_copy / "objectives.csv", "South Asia,3,partial,Table 3", "South Asia,3,answered,Table 3")
    after = bundle(data_copy)
    old, new = synthesis.coverage_counts(before["objectives"]), synthesis.coverage_counts(after["objectives"])
    assert new["objective_answered"] == old["objective_answered"] + 1
    assert new["objective_partial"] == old["objective_partial"] - 1
    tables = data.load_tables(ROOT / "data")
    dots = [synthesis.traceability_matrix(b["objectives"], tables).drop(columns="coverage") for b in (before, after)]
    pd.testing.assert_frame_equal(*dots)
    pd.testing.assert_frame_equal(audit.run_audit(before), audit.run_audit(after))


def test_discussion_regrouping_gives_the_numbers_its_solution_pastes(data_copy):
    edit(data_copy / "codebook.csv", "Reducing the mutual suspicion of the two governments,long_term",
         "Reducing the mutual suspicion of the two governments,short_term")
    after = bundle(data_copy)
    rows = synthesis.indicators(after["findings"], after["codebook"], synthesis.sample_size(after["sample"]))
    contrast = synthesis.horizon_contrast(rows)
    assert 100 * contrast["short_minus_long"] == pytest.approx(glued("05_discussion", "regrouped_points"))
    assert contrast["short_term_mean_share"] == pytest.approx(glued("05_discussion", "regrouped_short_term_mean_share"))
    pd.testing.assert_frame_equal(audit.run_audit(bundle(ROOT / "data")), audit.run_audit(after))


def test_audit_spelling_fix_changes_one_finding_only(data_copy):
    edit(data_copy / "citations.csv", "28,5,Wallenstein & Svensson,", "28,5,Wallensteen & Svensson,")
    before, after = audit.run_audit(bundle(ROOT / "data")), audit.run_audit(bundle(data_copy))
    before = before.set_index("check")
    after = after.set_index("check").loc[before.index]
    changed = before.compare(after)
    assert list(changed.index) == ["Author names spelled as in the reference list"]
    row = after.loc["Author names spelled as in the reference list"]
    assert row["verdict"] == audit.CONSISTENT and row["observed"] == "surnames spelled otherwise: 0"


def test_literature_new_edge_adds_one_link_of_the_compendiums(data_copy):
    row = "Middle-power diplomacy theory,theory,Lower escalation risk,outcome,explains,compendium,2.2\n"
    with (data_copy / "framework.csv").open("a", encoding="utf-8") as out:
        out.write(row)
    assert validate_package(data_copy) == []
    before, after = data.load_framework(ROOT / "data"), data.load_framework(data_copy)
    assert len(after) == len(before) + 1
    assert (after["basis"] == "compendium").sum() == (before["basis"] == "compendium").sum() + 1


def test_a_sample_four_times_larger_gives_the_verdicts_its_solution_pastes(data_copy):
    findings = (data_copy / "findings.csv").read_text(encoding="utf-8")
    findings = re.sub(r"(\d+) sources", lambda m: f"{4 * int(m.group(1))} sources", findings)
    findings = re.sub(r",(\d+)$", lambda m: f",{4 * int(m.group(1))}", findings, flags=re.M)
    (data_copy / "findings.csv").write_text(findings, encoding="utf-8")
    sample = re.sub(r",(\d+)$", lambda m: f",{4 * int(m.group(1))}", (data_copy / "sample.csv").read_text(),
                    flags=re.M)
    (data_copy / "sample.csv").write_text(sample, encoding="utf-8")
    assert validate_package(data_copy) == []
    scaled = bundle(data_copy)
    pairs = stats.ranked_pairs(scaled["findings"], synthesis.sample_size(scaled["sample"]), 0.05)
    summary = stats.pair_summary(pairs)
    for key in ("t1_different", "t1_undecided", "t1_not_shown", "adjacent_different", "adjacent"):
        assert summary[key] == glued("04_results", f"scaled_{key}"), key


def test_a_count_changed_without_its_printed_cell_is_refused(data_copy):
    edit(data_copy / "findings.csv", "18 sources,18", "18 sources,36")
    assert [line.split("/data/")[-1] for line in validate_package(data_copy)] == [
        "findings.csv row 1 (line 2), field n_sources: 36 differs from the 18 printed in count_printed"]


def test_one_more_document_in_the_sample_changes_no_paired_comparison():
    findings = data.load_findings(ROOT / "data")
    size = synthesis.sample_size(data.load_sample(ROOT / "data"))
    pd.testing.assert_frame_equal(stats.ranked_pairs(findings, size, 0.05),
                                  stats.ranked_pairs(findings, size + 1, 0.05))


def test_every_chapter_of_the_instructors_table_has_its_prompts_assessment_and_wrong_answers():
    text = (ROOT / "chapters" / "instructors.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[([^]]+)\]\((\w+)\.md\) \|", text, flags=re.M)
    assert [name for _, name in rows] == taught_chapters(ROOT)
    for title, _ in rows:
        found = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^##|\Z)", text, flags=re.M | re.S)
        assert found, title
        section = found.group(1)
        assert all(part in section for part in ("**Discussion prompts.**", "**Assessment.**", "*Marking:*",
                                                "**Common wrong answers.**")), title
