"""CONTRIBUTING.md's recipes, followed in a copy of the built project: a row of Table 1, an audit
check, a chapter with its notebook and a parameter, each touching only the files its recipe
names; the copy then validates, builds and shows each addition."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, edit

pytestmark = pytest.mark.book
FILLED = {"<area>": "design", "<name>": "contributed", "<NN>": "09"}
LEFT_ALONE = ("_build", "runs", ".venv", ".git", ".pytest_cache", "__pycache__")


def recipe_files() -> dict[str, set[str]]:
    """Each recipe of CONTRIBUTING.md (by its heading) and the files its **Files:** line names, filled in."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    found = {}
    for heading, body in re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S):
        line = re.search(r"^\*\*Files:\*\* (.+)$", body, flags=re.M).group(1)
        names = re.findall(r"`([^`]+)`", line)
        for placeholder, value in FILLED.items():
            names = [name.replace(placeholder, value) for name in names]
        found[heading] = set(names)
    return found


def sources(project: Path) -> dict[str, str]:
    """The sha256 of every source file of ``project`` (what the build makes left out), by path."""
    return {str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest() for p in project.rglob("*")
            if p.is_file() and not set(LEFT_ALONE) & set(p.relative_to(project).parts)}


def add_table_row(project: Path) -> None:
    with (project / "data/findings.csv").open("a", encoding="utf-8") as out:
        out.write("1,6,mediation_effectiveness,shuttle_channel,Shuttle channel,Low,low,,,4 sources,4\n")
    with (project / "data/codebook.csv").open("a", encoding="utf-8") as out:
        out.write("shuttle_channel,dimension,mediation_effectiveness,1,Shuttle channel,Messages carried in person "
                  "between the capitals,short_term,Table 1,\n")
    with (project / "data/coding_rules.csv").open("a", encoding="utf-8") as out:
        out.write("shuttle_channel,The document discusses Pakistani envoys carrying messages in person.,"
                  "A standing channel is communication_facilitation.\n")


def add_audit_check(project: Path) -> None:
    with (project / "src/compendium/analysis/audit/design.py").open("a", encoding="utf-8") as out:
        out.write('''

@check
def sample_split_given(sample: pd.DataFrame) -> Check:
    """The sample should be split by the kind of document."""
    return finding("design", "Sample split by kind of document", "one row per kind of document",
                   f"{len(sample)} kinds of document", sample.empty, UNVERIFIABLE, False)
''')
    edit(project / "tests/test_audit.py", "CASES = {\n", """CASES = {
    "sample_split_given": (
        lambda: design.sample_split_given(pd.DataFrame({"n_documents": []})), audit.UNVERIFIABLE,
        lambda: design.sample_split_given(pd.DataFrame({"n_documents": [3]}))),
""")


def add_chapter(project: Path) -> None:
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}})
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Contributed notebook"),
        nbformat.v4.new_code_cell('data_dir = "../data"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("from myst_nb import glue\n\nfrom compendium.analysis import data\n\n"
                                  "findings = data.load_findings(data_dir)\n"
                                  "glue(\"n_rows\", len(findings), display=False)\n"
                                  "glue(\"top_total\", int(findings[\"n_sources\"].nlargest(3).sum()), "
                                  "display=False)"),
    ]
    nbformat.write(notebook, project / "notebooks/09_contributed.ipynb")
    (project / "chapters/contributed.md").write_text(
        "# Contributed\n\nThe tables have {glue:text}`../notebooks/09_contributed.ipynb::n_rows:d` rows; the "
        "largest counts add up to {glue:text}`../notebooks/09_contributed.ipynb::top_total:d`.\n", encoding="utf-8")
    edit(project / "_toc.yml", "      - file: chapters/appraisal\n",
         "      - file: chapters/appraisal\n      - file: chapters/contributed\n")
    edit(project / "_toc.yml", "      - file: notebooks/08_appraisal\n",
         "      - file: notebooks/08_appraisal\n      - file: notebooks/09_contributed\n")
    edit(project / "chapters/instructors.md", "\n## Per chapter:",
         "| [Contributed](contributed.md) | undergraduate | 1 hour | Results | adding up counts |\n\n"
         "## Per chapter:")
    with (project / "chapters/instructors.md").open("a", encoding="utf-8") as out:
        out.write("\n### Contributed\n\n**Discussion prompts.** What do the largest counts add up to?\n\n"
                  "**Assessment.** Recompute the total by hand. *Marking:* the total and its rows.\n\n"
                  "**Common wrong answers.** Adding every row.\n")


def add_parameter(project: Path) -> None:
    notebook = nbformat.read(project / "notebooks/09_contributed.ipynb", as_version=4)
    notebook.cells[1].source += "\ntop = 3  # how many of the largest counts to add up"
    notebook.cells[2].source = notebook.cells[2].source.replace("nlargest(3)", "nlargest(top)")
    nbformat.write(notebook, project / "notebooks/09_contributed.ipynb")
    edit(project / "src/compendium/analysis/reruns.py", "PARAMETERS = {\n",
         'PARAMETERS = {\n    "top": Parameter(int, "a whole number from 1 to 10", lambda v: 1 <= v <= 10),\n')
    edit(project / "README.md", "| `resamples` |",
         "| `top` | 09_contributed | how many of the largest counts to add up, 1 to 10 (default 3) |\n| `resamples` |")


def in_copy(project: Path, *args: str) -> subprocess.CompletedProcess:
    """``python ARGS`` in the copy, with the copy's own package first on the path."""
    environment = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run([sys.executable, *args], cwd=project, env=environment, capture_output=True, text=True)


def test_following_the_recipes_touches_only_the_files_they_name_and_builds(built, book):
    recipes = recipe_files()
    assert list(recipes) == ["A row in a table of the article", "A check of the audit", "A chapter with its notebook",
                             "A parameter of a rerun"]
    before = sources(built)
    for recipe, step in zip(recipes, (add_table_row, add_audit_check, add_chapter, add_parameter), strict=True):
        previous = sources(built)
        step(built)
        now = sources(built)
        touched = {name for name in now.keys() | previous.keys() if now.get(name) != previous.get(name)}
        assert touched == recipes[recipe], recipe
    assert {n for n in sources(built) if sources(built)[n] != before.get(n)} == set().union(*recipes.values())

    done = in_copy(built, "-m", "compendium", "build")
    assert done.returncode == 0, done.stdout + done.stderr

    def text(page: str) -> str:
        soup = BeautifulSoup((built / "_build/html" / page).read_text(encoding="utf-8"), "html.parser")
        return " ".join(soup.find("main").get_text(" ", strip=True).split())

    assert "Shuttle channel Low 4 sources" in text("chapters/results.html")
    assert "Sample split by kind of document" in text("chapters/audit.html")
    assert "The tables have 16 rows; the largest counts add up to 60 ." in text("chapters/contributed.html")
    sidebar = BeautifulSoup((built / "_build/html/chapters/intro.html").read_text(encoding="utf-8"), "html.parser")
    assert "Contributed" in [a.get_text(strip=True) for a in sidebar.select("nav.bd-links a")]
    assert (built / "_build/html/_bundles/contributed-student.zip").is_file()

    tests = in_copy(built, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_audit.py", "-k",
                    "registered_check or sample_split_given or instructors_table", "tests/test_exercises.py::"
                    "test_every_chapter_of_the_instructors_table_has_its_prompts_assessment_and_wrong_answers")
    assert re.search(r"\b4 passed\b", tests.stdout), tests.stdout[-3000:]
    assert tests.returncode == 0, tests.stdout[-3000:]

    rerun = in_copy(built, "-m", "compendium", "rerun", "notebooks/09_contributed.ipynb", "--param", "top=1",
                    "--name", "one")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    refused = in_copy(built, "-m", "compendium", "rerun", "notebooks/09_contributed.ipynb", "--param", "top=11")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0] == "parameter top: '11' is not a whole number from 1 to 10"
