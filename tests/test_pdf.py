"""`make pdf` renders the whole book, every figure and table included, to one PDF.

Needs XeLaTeX, latexmk and poppler's pdfinfo/pdftotext/pdfimages (Debian packages listed in
the README). Without them the test skips with a message, except in CI (CI=true), where
their absence is a failure.
"""
from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import in_ci, run

from compendium.analysis import data

pytestmark = pytest.mark.book
TOOLS = ("xelatex", "latexmk", "pdfinfo", "pdftotext", "pdfimages")


@pytest.fixture(scope="module")
def pdf(book):
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        message = f"{', '.join(missing)} not found (Debian: texlive-xetex, latexmk, poppler-utils)"
        if in_ci():
            pytest.fail(f"{message}; the PDF build must run in CI")
        pytest.skip(f"{message}; PDF test skipped")
    done = run(["-m", "compendium", "pdf"], cwd=book)
    assert done.returncode == 0, done.stdout + done.stderr
    return book / "_build" / "pdf" / "compendium.pdf"


def tool(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def test_pdf_has_pages_and_every_chapter(pdf):
    pages = int(next(line.split()[-1] for line in tool("pdfinfo", str(pdf)).splitlines()
                     if line.startswith("Pages:")))
    assert pages > 20
    text = " ".join(tool("pdftotext", str(pdf), "-").split())
    for heading in ("Background: why Pakistan", "Literature: strands of argument", "Methods: a purposive review",
                    "Results: what the sampled documents say", "Discussion: gains now", "Audit: the article checked",
                    "Coding lab: code the documents", "Appraisal: how the article reports",
                    "Instructors"):
        assert heading.upper() in text.upper(), heading


def test_pdf_has_every_table_and_figure(pdf, book):
    text = " ".join(tool("pdftotext", str(pdf), "-").split())
    meta = data.load_tables(book / "data")
    for row in meta.itertuples():
        assert f"Table {row.table} as printed: {row.title}" in text
        assert f"Figure {row.figure} redrawn from the data: {row.figure_title}" in text
    assert "Figure 1 drawn from the data" in text
    findings = data.load_findings(book / "data")
    assert all(label in text for label in findings["label"])
    images = [line for line in tool("pdfimages", "-list", str(pdf)).splitlines()[2:] if line.strip()]
    assert "PRISMA 2020 flow diagram of the review as the article reports it" in text
    assert len(images) >= 12  # the chapters' figures, each also shown on its notebook's page
