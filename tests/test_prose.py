"""Chapters are prose in the compendium's own words, and they type no results."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT, SHARED, needs_shared

COPYCHECK = SHARED / "tools" / "copycheck.py"
COUNTED = (r"objectives|questions|indicators|documents|sources|references|citations|checks|recommendations|themes|"
           r"entries|works|comparisons|tables|figures|constraints|theories|notebooks|edges|links|nodes|keywords|pairs")
TYPED_RESULT = re.compile(rf"\b[0-9]+(\.[0-9]+)?\s*(%|per ?cent\b|(\w+\s+)?({COUNTED})\b)", re.IGNORECASE)
SPELLED_RESULT = re.compile(r"\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
                            rf"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)\s+(\w+\s+)?"
                            rf"({COUNTED})\b", re.IGNORECASE)
ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`|\b(Tables?|Figures?|[Ss]ections?|§)\s*[0-9][0-9.]*([–-][0-9.]+)?")


def test_no_run_of_ten_words_is_shared_with_the_article():
    needs_shared(COPYCHECK, "this test checks the chapters for runs of words shared with the article")
    done = subprocess.run([sys.executable, str(COPYCHECK), "chapters", "notebooks"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert done.stdout == ""


def prose_lines():
    """(where, line) for every line of the chapters and of the notebooks' Markdown cells."""
    for path in sorted((ROOT / "chapters").glob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            yield f"{path.name}:{number}", line
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], start=1):
            if cell["cell_type"] == "markdown":
                for line in "".join(cell["source"]).splitlines():
                    yield f"{path.name} cell {index}", line


def test_prose_types_no_counts_or_shares_between_its_roles():
    typed = [f"{where}: {line.strip()}" for where, line in prose_lines()
             if TYPED_RESULT.search(ROLE.sub(" ", line)) or SPELLED_RESULT.search(ROLE.sub(" ", line))]
    assert typed == []


@pytest.mark.parametrize("line", ["backed by 18 documents", "all fifteen indicators", "four research questions",
                                  "{glue:text}`x::n:d` documents and 36%", "the 12 comparisons"])
def test_the_typed_number_rule_catches(line):
    assert TYPED_RESULT.search(ROLE.sub(" ", line)) or SPELLED_RESULT.search(ROLE.sub(" ", line))


def test_the_typed_number_rule_lets_glued_numbers_through():
    line = "{glue:text}`../notebooks/04_results.ipynb::t1_top_n:d` documents, {glue:text}`x::share:.0%`"
    assert not TYPED_RESULT.search(ROLE.sub(" ", line)) and not SPELLED_RESULT.search(ROLE.sub(" ", line))
