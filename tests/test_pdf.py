"""`make pdf` renders the whole book, every figure and table included, to one PDF set as a journal
would set it, checked on the PDF itself (pdfplumber): A4, no blank page, every character inside
the text block, running heads apart, every reference resolved, no phone label glued to a value,
the web book's tables and figures with their captions, metadata from CITATION.cff.

Needs XeLaTeX, latexmk and poppler's pdfinfo/pdftotext/pdfimages (Debian packages listed in
the README). Without them the test skips with a message, except in CI (CI=true), where
their absence is a failure.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_of_book, in_ci, run

from compendium.analysis import data
from compendium.book.sphinx import titlepage
from compendium.book.sphinx.latex import A4_MM, HEAD_PT, HEADSEP_MM, MARGINS_MM
from compendium.book.toc import book_pages

pytestmark = pytest.mark.book
TOOLS = ("xelatex", "latexmk", "pdfinfo", "pdftotext", "pdfimages")
BP = 72 / 25.4  # PDF units (big points) per millimetre
HEAD_BP = HEAD_PT * 72 / 72.27 + HEADSEP_MM * BP  # the running head's height and its gap to the text, as set
SLACK_BP = 0.5  # rounding of glyph boxes


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


@pytest.fixture(scope="module")
def layout(pdf) -> dict:
    """What is on each page, read once: its size, its characters (box and text), its images, its text;
    and the PDF's metadata and named destinations."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1

    texts = tool("pdftotext", str(pdf), "-").split("\f")  # poppler keeps the spaces between words
    with pdfplumber.open(pdf) as document:
        pages = [{"width": page.width, "height": page.height, "images": len(page.images),
                  "chars": [(c["x0"], c["x1"], c["top"], c["bottom"], c["text"]) for c in page.chars],
                  "text": " ".join(text.split())} for page, text in zip(document.pages, texts, strict=False)]
        names = resolve1(resolve1(document.doc.catalog["Names"])["Dests"])
        return {"pages": pages, "metadata": dict(document.metadata), "dests": list(_names(names, resolve1))}


def _names(node, resolve1):
    """The names of a PDF name tree."""
    node = resolve1(node)
    pairs = resolve1(node.get("Names", []))
    yield from (name.decode() for name in pairs[::2])
    for kid in resolve1(node.get("Kids", [])):
        yield from _names(kid, resolve1)


def tool(*args) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def text_block() -> tuple[float, float, float, float]:
    """Left, right, top and bottom of the text block (running head included) on an A4 page, in PDF units."""
    return (MARGINS_MM["left"] * BP, (A4_MM[0] - MARGINS_MM["right"]) * BP,
            MARGINS_MM["top"] * BP, (A4_MM[1] - MARGINS_MM["bottom"]) * BP)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def web_pages(book: Path) -> list[BeautifulSoup]:
    """The web book's pages, in the order of the table of contents (and of the PDF)."""
    return [BeautifulSoup((book / "_build/html" / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
            for name in book_pages(book)]


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


def test_every_page_is_a4_and_carries_more_than_its_running_head(layout):
    assert {(round(p["width"], 1), round(p["height"], 1)) for p in layout["pages"]} == {(595.3, 841.9)}
    top = text_block()[2] + HEAD_BP
    bare = [number for number, page in enumerate(layout["pages"], 1)
            if not page["images"] and not any(char[2] > top for char in page["chars"])]
    assert bare == []


def test_no_character_lies_outside_the_text_block(layout):
    left, right, top, bottom = text_block()
    outside = [(number, char[4]) for number, page in enumerate(layout["pages"], 1) for char in page["chars"]
               if char[0] < left - SLACK_BP or char[1] > right + SLACK_BP
               or char[2] < top - SLACK_BP or char[3] > bottom + SLACK_BP]
    assert outside == []
    assert sum(len(page["chars"]) for page in layout["pages"]) > 100_000  # the book's text, all of it measured


def test_running_heads_keep_the_title_apart_from_the_page_number(layout):
    left, right, top, _ = text_block()
    for number, page in enumerate(layout["pages"][1:], 2):  # the title page has none
        head = sorted((c for c in page["chars"] if c[3] < top + HEAD_BP and c[4].strip()), key=lambda c: c[0])
        assert head, f"page {number}: no running head"
        numeral = []
        while head and head[-1][4].isalnum() and (not numeral or numeral[0][0] - head[-1][1] < 1):
            numeral.insert(0, head.pop())
        assert numeral and numeral[-1][1] > right - 1, f"page {number}: no page number at the right"
        assert not head or head[-1][1] < numeral[0][0] - 12, f"page {number}: the title runs into the page number"


def test_the_title_page_names_the_book_its_authors_and_the_work_it_republishes(layout, book):
    cited = titlepage.citation(book)
    first = compact(layout["pages"][0]["text"])
    for part in (cited["title"], f"Release {cited['version']}", *titlepage.names(cited["authors"]),
                 cited["references"][0]["doi"], f"{titlepage.released(cited):%B %Y}"):
        assert compact(part) in first, part


def test_the_metadata_come_from_the_citation_and_its_release_date(layout, book):
    cited = titlepage.citation(book)
    meta = layout["metadata"]
    assert meta["Title"] == cited["title"]  # CITATION.cff is the one place for the title
    assert meta["Author"] == ", ".join(titlepage.names(cited["authors"]))
    assert meta["Keywords"] == ", ".join(cited["keywords"])
    assert cited["references"][0]["doi"] in meta["Subject"] and cited["references"][0]["title"] in meta["Subject"]
    day = f"D:{titlepage.released(cited):%Y%m%d}000000"  # the release date, not the day the PDF was made
    assert meta["CreationDate"].startswith(day) and meta["ModDate"].startswith(day)


def test_every_cross_reference_resolves_as_on_the_web(layout, book):
    text = "\n".join(page["text"] for page in layout["pages"])
    assert "??" not in text
    guide = BeautifulSoup((book / "_build/html/chapters/instructors.html").read_text(encoding="utf-8"), "html.parser")
    exercise = guide.select_one("a[href$='#audit-exercise-2']").get_text(" ", strip=True)
    assert re.fullmatch(r"Exercise \d+", exercise)
    assert compact(f"new check ({exercise})") in compact(text)


def test_no_phone_label_is_glued_to_a_value(layout, book):
    text = " ".join(page["text"] for page in layout["pages"])
    cells = [cell for soup in web_pages(book) for cell in soup.select("main td[data-label]")
             if cell.get_text(strip=True)]
    assert len(cells) > 500
    glued = [cell["data-label"] + " ".join(cell.get_text().split())[:30] for cell in cells]  # "Verdictnot shown"
    assert [g for g in glued if g in text] == []
    assert all(" ".join(cell.get_text().split())[:30] in text for cell in cells[:50])  # the values themselves


def test_the_tables_and_figures_are_the_web_books_with_its_captions(layout, book):
    soups = web_pages(book)
    tables = [table for soup in soups for table in soup.select("main table")]
    images = [image for soup in soups for image in soup.select("main img")]
    marks = [name for name in layout["dests"] if name.startswith("compendium-table-")]
    assert len(marks) == len(tables) > 60  # every table of the web book, each a table in the PDF
    assert sum(page["images"] for page in layout["pages"]) == len(images) > 20
    text = compact("".join(page["text"] for page in layout["pages"]))
    captions = [caption.get_text(" ", strip=True).split(" Computed by ")[0]
                for soup in soups for caption in soup.select("main table > caption, main figure > figcaption")]
    assert len(captions) > 30
    assert [caption for caption in captions if compact(caption) not in text] == []
    assert not re.search(r"(Table|Fig\.|Figure)\d+\.\d+:", text)  # no number of LaTeX's own


def test_long_tables_break_across_pages_with_their_header_repeated(layout):
    header = compact("Statement Section Line Kind Quotation About")
    continued = [page for page in layout["pages"] if "continued from previous page" in page["text"]
                 and header in compact(page["text"])]  # the header repeated on the page that continues
    assert len(continued) >= 3  # the article's statements, among others


def test_pdf_has_every_table_and_figure(pdf, book):
    text = " ".join(tool("pdftotext", str(pdf), "-").split())
    meta = data.load_tables(book / "data")
    for row in meta.itertuples():
        assert f"Table {row.table} as printed: {row.title}" in text
        assert f"Figure {row.figure} redrawn from the data: {row.figure_title}" in text
    assert "Figure 1 drawn from the data" in text
    findings = data.load_findings(book / "data")
    assert all(label in text for label in findings["label"])
    assert "PRISMA 2020 flow diagram of the review as the article reports it" in text


def latex_rows(tabular: str) -> list[list[str]]:
    """The rows of a Sphinx table, each a list of its cells as plain text."""
    def plain(cell: str) -> str:
        return re.sub(r"\\sphinx[a-zA-Z]+", "", cell.replace("\\sphinxhyphen{}", "-")).strip()

    rows = [[plain(cell) for cell in row.split("&")] for row in tabular.split("\\\\")]
    return [row for row in rows if any(row)]


def test_table_1_reaches_latex_as_a_table_with_its_rows(pdf, book):
    tex = pdf.with_suffix(".tex").read_text(encoding="utf-8")
    meta = data.load_tables(book / "data").set_index("table").loc[1]
    start = tex.index(f"\\caption{{Table 1 as printed: {meta['title']}.")
    block = tex[tex.rindex("\\begin{savenotes}", 0, start):tex.index("\\end{savenotes}", start)]
    assert "\\label{\\detokenize{chapters/results:table-1}}" in block
    assert "Download:" not in block  # a PDF offers no downloads
    head = block[block.index("\\sphinxtoprule"):block.index("\\endfirsthead")]
    body = block[block.index("\\endlastfoot"):block.index("\\end{longtable}")]
    assert "\\sphinxbottomrule" in body
    findings = data.load_findings(book / "data")
    expected = findings[findings["table"] == 1][["label", "rating_printed", "count_printed"]].values.tolist()
    assert latex_rows(head.split("\\sphinxmidrule")[0].replace("\\sphinxtoprule", "")) == [
        [meta["label_column"], meta["rating_column"], meta["count_column"]]]
    body_rows = latex_rows(body.replace("\\endlastfoot", "").replace("\\sphinxtableatstartofbodyhook", "")
                           .replace("\\sphinxbottomrule", ""))
    assert body_rows == expected and len(expected) == 5
