"""`make pdf` renders the whole book, every figure and table included, to one PDF.

Needs XeLaTeX, latexmk and poppler's pdfinfo/pdftotext/pdfimages (Debian packages listed in
the README). Without them the test skips with a message, except in CI (CI=true), where
their absence is a failure.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import copy_of_book, in_ci, run

from compendium.analysis import data

pytestmark = pytest.mark.book
TOOLS = ("xelatex", "latexmk", "pdfinfo", "pdftotext", "pdfimages")


@pytest.fixture(scope="module")
def pdf(book, tmp_path_factory):
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        message = f"{', '.join(missing)} not found (Debian: texlive-xetex, latexmk, poppler-utils)"
        if in_ci():
            pytest.fail(f"{message}; the PDF build must run in CI")
        pytest.skip(f"{message}; PDF test skipped")
    project = copy_of_book(book, tmp_path_factory.mktemp("pdf") / "project")  # the book itself stays read-only
    done = run(["-m", "compendium", "pdf"], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "_build" / "pdf" / "compendium.pdf"


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


def latex_rows(tabular: str) -> list[list[str]]:
    """The rows of a Sphinx tabular, each a list of its cells as plain text."""
    def plain(cell: str) -> str:
        return re.sub(r"\\sphinx[a-zA-Z]+", "", cell.replace("\\sphinxhyphen{}", "-")).strip()

    rows = [[plain(cell) for cell in row.split("&")] for row in tabular.split("\\\\")]
    return [row for row in rows if any(row)]


def test_table_1_reaches_latex_as_a_table_with_its_rows(pdf, book):
    tex = pdf.with_suffix(".tex").read_text(encoding="utf-8")
    meta = data.load_tables(book / "data").set_index("table").loc[1]
    start = tex.index(f"\\sphinxcaption{{Table 1 as printed: {meta['title']}.")
    block = tex[tex.rindex("\\begin{savenotes}", 0, start):tex.index("\\end{savenotes}", start)]
    assert "\\sphinxcapstartof{table}" in block and "\\label{\\detokenize{chapters/results:table-1}}" in block
    assert "Download:" not in block  # a PDF offers no downloads
    tabular = block[block.index("\\begin{tabulary}"):block.index("\\end{tabulary}")]
    head, body = tabular.split("\\sphinxtoprule")[1].split("\\sphinxmidrule")
    assert "\\sphinxbottomrule" in body
    findings = data.load_findings(book / "data")
    expected = findings[findings["table"] == 1][["label", "rating_printed", "count_printed"]].values.tolist()
    assert latex_rows(head) == [[meta["label_column"], meta["rating_column"], meta["count_column"]]]
    assert latex_rows(body) == expected and len(expected) == 5
