"""Chapters are prose in the compendium's own words, and they type no results."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT, SHARED, needs_shared

COPYCHECK = SHARED / "tools" / "copycheck.py"
TYPED_RESULT = re.compile(r"\b[0-9]+(\.[0-9]+)?\s*(sources|documents|%|per ?cent|references|citations)\b")


def test_no_run_of_ten_words_is_shared_with_the_article():
    needs_shared(COPYCHECK, "this test checks the chapters for runs of words shared with the article")
    done = subprocess.run([sys.executable, str(COPYCHECK), "chapters", "notebooks"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    assert done.stdout == ""


def test_chapters_type_no_counts_or_shares():
    typed = [f"{path.name}:{number}: {line.strip()}"
             for path in sorted((ROOT / "chapters").glob("*.md"))
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if TYPED_RESULT.search(line) and "{glue" not in line]
    assert typed == []
