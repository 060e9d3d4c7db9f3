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


# A sentence that states what a count of Tables 1-3 is counted out of, or what unit it counts, states the
# compendium's reading: the article never says (Results). Such a sentence speaks of counts, shares or support,
# and of the sample, of documents coded under a row, or of rows sharing or counting the same documents.
COUNTING = re.compile(r"\b(?:counts?|counted|counting|shares?|support(?:s|ed)?|add up|mentions)\b", re.IGNORECASE)
OUT_OF = re.compile(r"of (?:the|its|their) (?:stated )?sample\b|sampled documents|::sample_n:d`\s+documents|"
                    r"over the same documents|documents coded under|share (?:their|the same) documents|"
                    r"count the same (?:sampled )?documents|\bas documents\b|documents (?:mentioning|that mention)",
                    re.IGNORECASE)
LABELLED = re.compile(r"\breading\b|\bread (?:by the compendium )?(?:as|this way|that way)\b|\breads\b", re.IGNORECASE)


def prose_sentences():
    """(where, sentence) for every sentence of the chapters, captions included, and of the notebooks'
    Markdown cells."""
    texts = [(path.name, path.read_text(encoding="utf-8")) for path in sorted((ROOT / "chapters").glob("*.md"))]
    texts += [(f"{path.name} cell {index}", "".join(cell["source"]))
              for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
              for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"], start=1)
              if cell["cell_type"] == "markdown"]
    for where, text in texts:
        text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
        text = "\n".join(line for line in text.splitlines() if not re.match(r"\s*(```|:::|:\w+:)", line))
        for part in re.split(r"\n\s*\n", text):
            for sentence in re.split(r"(?<=[.?!;])\s+", " ".join(part.split())):
                yield where, sentence


def stating_what_counts_are_out_of(sentence: str) -> bool:
    return bool(COUNTING.search(sentence) and OUT_OF.search(sentence))


def test_every_sentence_stating_what_a_count_is_out_of_labels_it_as_the_compendiums_reading():
    stating = [(where, s) for where, s in prose_sentences() if stating_what_counts_are_out_of(s)]
    assert any(where == "intro.md" for where, _ in stating) and any(where == "results.md" for where, _ in stating)
    unlabelled = [f"{where}: {s}" for where, s in stating if not LABELLED.search(s)]
    assert unlabelled == []


@pytest.mark.parametrize("sentence, stating, labelled", [
    ("Of the {glue:text}`x::sample_n:d` documents the authors reviewed, 18 support it.", True, False),
    ("On average a short-term gain is counted in 30% of the sampled documents.", True, False),
    ("All indicators are counted over the same documents, so two of them are paired.", True, False),
    ("Read as shares of the sampled documents, a gain is counted in 30% of them.", True, True),
    ("The sample is stated as 50 documents.", False, False),
    ('They count "sources" for each outcome, documents coded under its row.', True, False),
    ('Counting the "sources" of a constraint (read by the compendium as documents coded under its row).', True, True),
    ("Two rows of one table share their documents.", True, False),
    ("The tables count documents mentioning an outcome.", True, False),
    ("The published counts, read as documents, cannot show that order.", True, True),
])
def test_the_reading_rule_finds_and_judges(sentence, stating, labelled):
    assert stating_what_counts_are_out_of(sentence) == stating
    assert bool(LABELLED.search(sentence)) == labelled
