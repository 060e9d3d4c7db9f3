"""Broken data stops everything with one line per problem: file, row, field, value, rule."""
from __future__ import annotations

import pytest
from conftest import ROOT, edit, run, schema_field

from compendium.analysis.validation import validate_all


def problems(project, monkeypatch) -> list[str]:
    monkeypatch.chdir(project)  # messages name files relative to where the reader stands
    return validate_all(project)


def build_refused(project, monkeypatch, capsys) -> list[str]:
    """Run `python -m compendium build` on ``project`` over a previous book; return stderr lines.

    Asserts what every refusal must do: exit 1, run no notebook, leave the previous book as it was.
    """
    from compendium.__main__ import main

    previous = project / "_build" / "html" / "index.html"
    previous.parent.mkdir(parents=True)
    previous.write_text("previous book", encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    assert "[start]" not in out and "Traceback" not in err
    assert previous.read_text(encoding="utf-8") == "previous book"
    assert [p.name for p in previous.parent.iterdir()] == ["index.html"]
    return err.splitlines()


RULES = (ROOT / "data/coding_rules.csv").read_text(encoding="utf-8").splitlines()  # one rule per line
RATING_LEVELS = ", ".join(schema_field("findings", "rating_level")["constraints"]["enum"])
CASES = {
    "negative count": (
        "data/findings.csv", ",8 sources,8\n", ",8 sources,-3\n",
        ["data/findings.csv row 4 (line 5), field n_sources: '-3' is below the minimum 0"]),
    "unknown ordinal level": (
        "data/findings.csv", ",Low,low,", ",Low,lowish,",
        [f"data/findings.csv row 4 (line 5), field rating_level: 'lowish' is not one of the allowed "
         f"values {RATING_LEVELS}"]),
    "wrong type": (
        "data/sample.csv", "policy reports,12", "policy reports,twelve",
        ["data/sample.csv row 2 (line 3), field n_documents: 'twelve' is not of type integer (the digits 0-9 "
         "only, with '-' before a negative number)"]),
    "duplicate primary key": (
        "data/findings.csv", "\n1,5,mediation", "\n1,4,mediation",
        ["data/findings.csv row 5 (line 6): duplicate primary key (the same as in the row at position 5)"]),
    "missing required value": (
        "data/tables.csv", ",Constraint Category,", ",,",
        ["data/tables.csv row 2 (line 3), field label_column: empty value is empty but the field is required"]),
    "broken foreign key": (
        "data/findings.csv", "\n3,5,regional", "\n4,5,regional",
        ["data/findings.csv row 15 (line 16), field table: '4' is not a table of tables.csv (foreign key)"]),
    "theme missing from the codebook": (
        "data/findings.csv", "1,1,mediation_effectiveness,", "1,1,mediation_effect,",
        ["data/findings.csv row 1 (line 2), field theme: 'mediation_effect' is not a code of codebook.csv "
         "(foreign key)"]),
    "citation of an unknown bibliography key": (
        "data/citations.csv", ",parenthetical,snyder2018,", ",parenthetical,snyder2019,",
        ["data/citations.csv row 1 (line 2), field key: 'snyder2019' is not a key of references.bib nor UNRESOLVED"]),
    "objective answered by a table that does not exist": (
        "data/objectives.csv", ",1 3,answered,", ",1 9,answered,",
        ["data/objectives.csv row 3 (line 4), field tables: '9' is not a table number of tables.csv"]),
    "recommendation answering an unknown constraint": (
        "data/recommendations.csv", ",lack_of_institutional_leverage\nR2", ",lack_of_leverage\nR2",
        ["data/recommendations.csv row 1 (line 2), field answers: 'lack_of_leverage' is not a Table 2 row key "
         "of findings.csv"]),
    "count differs from the printed count": (
        "data/findings.csv", ",8 sources,8\n", ",8 sources,9\n",
        ["data/findings.csv row 4 (line 5), field n_sources: 9 differs from the 8 printed in count_printed"]),
    "count above the sample size": (
        "data/findings.csv", ",8 sources,8\n", ",80 sources,80\n",
        ["data/findings.csv row 4 (line 5), field n_sources: 80 exceeds the sample size 50 (sum of sample.csv)"]),
    "wrong header": (
        "data/sample.csv", "source_type,label,n_documents", "source_type,name,n_documents",
        ["data/sample.csv header (line 1), column 2: found 'name' where the schema expects 'label' "
         "(expected header: source_type, label, n_documents)"]),
    "a row of Table 1 without its coding rule": (
        "data/coding_rules.csv", "\n" + next(r for r in RULES if r.startswith("long_term_peace_contribution,")), "",
        ["data/findings.csv row 4 (line 5), field key: 'long_term_peace_contribution' has no row in "
             "coding_rules.csv (every row of the article's tables needs its coding rule, field indicator, for the "
             "coding lab)"]),
    "a dimension of the codebook in no table": (
        "data/codebook.csv", "\nmediation_effectiveness,theme,", "\nspare,dimension,mediation_effectiveness,1,Spare,"
        "A dimension no table prints,short_term,Table 1,\nmediation_effectiveness,theme,",
        ["data/codebook.csv row 1 (line 2), field code: 'spare' has no row in findings.csv (a dimension of the "
         "codebook is a row of a table)"]),
    "duplicate bib key": (
        "references.bib", "@book{beardsley2011,", "@book{acharya2018,",
        ["references.bib entry acharya2018: the key is used 2 times"]),
    "bib entry without a year": (
        "references.bib", "  year      = {1979},\n", "",
        ["references.bib entry waltz1979, field year: missing but required"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_broken_file_stops_the_build_with_its_one_line(project, monkeypatch, capsys, case):
    path, old, new, expected = CASES[case]
    edit(project / path, old, new)
    assert build_refused(project, monkeypatch, capsys)[:-1] == expected


def test_all_failures_of_a_file_are_reported_at_once(project, monkeypatch):
    edit(project / "data/findings.csv", ",8 sources,8\n", ",8 sources,-3\n")
    edit(project / "data/findings.csv", ",10 sources,10\n2,1", ",10 sources,ten\n2,1")
    found = problems(project, monkeypatch)
    assert len(found) == 2
    assert any("row 4 (line 5), field n_sources: '-3'" in line for line in found)
    assert any("row 5 (line 6), field n_sources: 'ten' is not of type integer (" in line for line in found)


@pytest.mark.parametrize("setup, expected", [
    (lambda p: (p / "data/sample.csv").unlink(), "data/sample.csv: file not found (resource sample)"),
    (lambda p: (p / "data/sample.csv").write_bytes(b""), "data/sample.csv: file is empty (resource sample)"),
    (lambda p: (p / "data/sample.csv").write_bytes(
        b"source_type,label,n_documents\njournal_article,journal \xe9,30\n"),
     "data/sample.csv: not valid UTF-8 (byte 0xe9 on line 2)"),
    (lambda p: (p / "references.bib").write_text("@book{x, title = {unclosed}\n", encoding="utf-8"),
     "references.bib: does not parse as BibTeX"),
], ids=["missing file", "empty file", "not UTF-8", "malformed BibTeX"])
def test_unreadable_files_are_named(project, monkeypatch, capsys, setup, expected):
    setup(project)
    found = build_refused(project, monkeypatch, capsys)
    assert len(found) == 2 and found[0].startswith(expected), found


def test_command_line_exits_non_zero_with_the_line_and_no_traceback(project):
    edit(project / "data/findings.csv", ",8 sources,8\n", ",8 sources,-3\n")
    done = run(["-m", "compendium", "validate"], cwd=project)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "data/findings.csv row 4 (line 5), field n_sources: '-3' is below the minimum 0")
    assert "Traceback" not in done.stderr + done.stdout


def test_loader_refuses_invalid_data(project):
    from compendium.analysis import data
    from compendium.analysis.validation import DataError

    edit(project / "data/findings.csv", ",8 sources,8\n", ",8 sources,-3\n")
    with pytest.raises(DataError, match=r"row 4 \(line 5\), field n_sources: '-3' is below the minimum 0"):
        data.load_findings(project / "data")


def test_unforeseen_errors_are_one_line_unless_verbose(project, monkeypatch, capsys):
    from compendium.__main__ import main

    (project / "_toc.yml").write_text("format: jb-book\nroot: [unclosed\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["rerun", "all"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("ParserError: while parsing a flow sequence") and err[0].endswith(
        "(VERBOSE=1 shows the traceback)")
    monkeypatch.setenv("VERBOSE", "1")
    with pytest.raises(Exception, match="flow sequence"):
        main(["rerun", "all"])
