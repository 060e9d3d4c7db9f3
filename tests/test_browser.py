"""The built book used the way a person uses it, on a desktop screen: in Chromium, over HTTP
on 127.0.0.1 (`browsing.py`; the phone's width is tested in `test_phone.py`).

Playwright drives Debian's Chromium (/usr/bin/chromium); accessibility is checked with
axe-core, as bundled by the axe-playwright-python package (no network). Without Chromium
these tests skip with a message, except in CI (CI=true), where a missing browser is a
failure.
"""
from __future__ import annotations

import csv
import io
import json
import re
import struct
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from browsing import TYPESET, loading_problems, open_tab, serious_violations, visit_every_page

from compendium.book.pipeline.exports import glued_outputs

pytestmark = pytest.mark.book


@pytest.fixture
def page(browser):
    context, tab = open_tab(browser, "desktop")
    yield tab
    context.close()


@pytest.fixture(scope="module")
def visits(book, site, browser) -> dict:
    return visit_every_page(book, site, browser, "desktop")


def test_every_page_loads_with_its_images_and_no_console_errors(book, visits):
    assert loading_problems(book, visits) == []


def test_axe_finds_nothing_serious_on_any_page(visits):
    assert serious_violations(visits) == {}


def test_no_page_requests_anything_from_outside_the_site(visits, site):
    outside = {name: [url for url in visit["requests"] if not url.startswith((f"{site}/", "data:", "blob:"))]
               for name, visit in visits.items()}
    assert {name: urls for name, urls in outside.items() if urls} == {}
    assert any(url.endswith(".js") or ".js?" in url for visit in visits.values() for url in visit["requests"])


def test_every_formula_is_typeset_and_no_page_shows_tex(visits):
    assert {name: visit["tex"] for name, visit in visits.items() if visit["tex"]} == {}
    assert {name: (visit["typeset"], visit["formulas"]) for name, visit in visits.items()
            if visit["typeset"] != visit["formulas"]} == {}
    assert visits["chapters/results.html"]["formulas"] >= 4


def test_the_wilson_interval_is_typeset_as_a_displayed_formula(site, page):
    source = page.request.get(f"{site}/chapters/results.html").text()  # the TeX as served, for MathJax
    assert source.count('<div class="math') == 1 and "\\frac{\\hat p + \\frac{z^2}{2n}" in source
    page.goto(f"{site}/chapters/results.html")
    page.evaluate("MathJax.startup.promise")
    drawn = page.locator("div.math mjx-container[display='true'] svg")
    assert drawn.count() == 1
    assert drawn.bounding_box()["width"] > 100 and drawn.locator("use, path").count() > 20  # glyphs drawn
    assert "\\frac" not in page.locator("main").inner_text()


def test_an_unzipped_chapter_typesets_its_formulas_without_a_network(book, browser, tmp_path):
    import zipfile

    with zipfile.ZipFile(book / "_build/html/_bundles/results-student.zip") as archive:
        archive.extractall(tmp_path)
    context, tab = open_tab(browser, "desktop")
    failed = []
    tab.on("requestfailed", lambda request: failed.append(request.url))
    tab.goto((tmp_path / "book/chapters/results.html").as_uri(), wait_until="load")
    math = tab.evaluate(TYPESET)
    context.close()
    assert math["formulas"] >= 4 and math["typeset"] == math["formulas"]
    assert [url for url in tab.requests if not url.startswith(("file://", "data:", "blob:"))] == []
    assert any("/_static/mathjax/" in url for url in tab.requests)
    assert [url for url in failed if "mathjax" in url] == []  # everything MathJax asks for is in the zip


def test_sidebar_links_to_every_chapter(book, site, page):
    page.goto(f"{site}/chapters/intro.html")
    links = page.eval_on_selector_all("nav.bd-docs-nav a", "els => els.map(e => e.getAttribute('href'))")
    targets = {Path(link.split("#")[0]).stem for link in links}
    chapters = {p.stem for p in (book / "chapters").glob("[!_]*.md")} - {"intro"}
    assert chapters <= targets


def test_search_finds_a_table_label(site, page):
    page.goto(f"{site}/search.html?q=Communication+facilitation")
    # results are listed one by one; the summary says when the list is complete
    page.wait_for_function("document.querySelector('#search-results p.search-summary')?.innerText"
                           ".startsWith('Search finished')", timeout=20000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    assert any("chapters/results.html" in hit for hit in hits), hits


def test_search_summaries_hold_values_without_phone_labels(site, page):
    # a hit's summary is cut from the page's text content, which holds no column names in cells
    page.goto(f"{site}/search.html")
    text = page.evaluate("async () => Search.htmlToText(await (await fetch('chapters/audit.html')).text())")
    cells = page.evaluate("""async () => {
        const html = await (await fetch('chapters/audit.html')).text();
        const doc = new DOMParser().parseFromString(html, 'text/html');
        return Array.from(doc.querySelectorAll('table.stacked tbody tr:first-child td'),
                          td => [td.dataset.label, td.textContent.trim()]);
    }""")
    assert len(cells) >= 6
    assert all(value in text and label + value not in text for label, value in cells)


def test_a_solution_is_hidden_until_clicked(site, page):
    page.goto(f"{site}/chapters/results.html")
    solution = page.locator("div.solution").first
    body = solution.locator("section, p").last
    assert not body.is_visible()
    solution.locator(".toggle-button, button").first.click()
    body.wait_for(state="visible", timeout=5000)
    assert body.is_visible()


def test_a_solution_opens_and_closes_from_the_keyboard(site, page):
    page.goto(f"{site}/chapters/results.html")
    solution = page.locator("div.solution").first
    body = solution.locator("section, p").last
    button = solution.locator("button.toggle-button")
    assert button.evaluate("b => b.tabIndex") >= 0  # reachable with Tab
    button.focus()
    assert button.evaluate("b => b === document.activeElement")
    page.keyboard.press("Enter")
    body.wait_for(state="visible", timeout=5000)
    page.keyboard.press("Space")
    body.wait_for(state="hidden", timeout=5000)


def test_every_glued_value_on_a_chapter_links_into_its_notebook_page(book, site, visits):
    targets = {}
    for name, visit in visits.items():
        if not name.startswith("chapters/"):
            continue
        assert all(visit["pasted"]), f"{name}: a pasted value without a link"
        for href in visit["pasted"]:
            target, _, anchor = href.removeprefix(f"{site}/").partition("#")
            assert target.startswith("notebooks/") and anchor, href
            targets.setdefault(target, set()).add(anchor)
    assert len(targets) == len(list((book / "notebooks").glob("*.ipynb")))
    for target, anchors in targets.items():
        assert anchors - set(visits[target]["ids"]) == set(), target


def test_following_a_glued_value_lands_on_its_highlighted_cell(site, page):
    page.goto(f"{site}/chapters/results.html")
    link = page.locator("a.glued-value").first
    tooltip = link.get_attribute("data-provenance")
    assert tooltip.startswith("Computed in cell ") and "data/" in tooltip
    link.click()
    page.wait_for_url("**/notebooks/04_results.html#glue-*")
    outline = page.evaluate("getComputedStyle(document.querySelector(':target').closest('div.cell')).outlineStyle")
    assert outline == "solid"


def png_width(body: bytes) -> int:
    return struct.unpack(">I", body[16:20])[0]


def well_formed_csv(body: bytes) -> bool:
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    return len(rows) > 1 and all(header.strip() for header in rows[0]) and all(len(r) == len(rows[0]) for r in rows)


def has_a_numeric_column(body: bytes) -> bool:
    return any(pd.api.types.is_numeric_dtype(dtype) for dtype in pd.read_csv(io.BytesIO(body)).dtypes)


# A cell that is a number written as text: a percentage, a count "of" another, an interval.
NUMBER_AS_TEXT = re.compile(r"-?\d+(?:\.\d+)?\s*%|\d+\s*/\s*\d+(?:\s*\(\d+(?:\.\d+)?\s*%\))?|"
                            r"-?\d+(?:\.\d+)?%?\s*(?:–|-|to)\s*-?\d+(?:\.\d+)?%?")


def numbers_as_text(body: bytes) -> list[str]:
    """The cells of a CSV file that hold a number as text (each column whose values are numbers
    reads as a numeric column)."""
    frame = pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False)
    return [f"{column}: {value!r}" for column in frame.columns for value in frame[column]
            if NUMBER_AS_TEXT.fullmatch(value.strip())]


def csv_tables(book: Path) -> dict[str, bytes]:
    """Every table the book's notebooks glue, as its CSV download (the build's executed notebooks)."""
    return {f"{notebook.stem}/{name}": "".join(bundle["text/csv"]).encode()
            for notebook in sorted((book / "_build/.cache").glob("*.ipynb"))
            for name, bundle in glued_outputs(notebook).items() if "text/csv" in bundle}


def test_every_csv_download_holds_its_numbers_as_numbers(book):
    tables = csv_tables(book)
    assert len(tables) == sum(len([b for b in glued_outputs(nb).values() if "text/csv" in b])
                              for nb in (book / "_build/.cache").glob("*.ipynb")) > 0
    assert {name: cells for name, body in tables.items() if (cells := numbers_as_text(body))} == {}
    with pytest.raises(AssertionError):  # the check finds numbers written as text
        assert numbers_as_text(b"a,b,c,d\nx,5/10 (50%),36%,0.462 to 0.662\n") == []


DOWNLOADS = {  # suffix: (content types, check of the body)
    ".png": (("image/png",), lambda b: b.startswith(b"\x89PNG\r\n\x1a\n") and png_width(b) >= 1600),
    ".svg": (("image/svg+xml",), lambda b: b.startswith(b"<?xml") and b"<svg" in b[:2000]),
    ".csv": (("text/csv",), well_formed_csv),
    ".ipynb": (("application/x-ipynb+json", "application/json", "application/octet-stream"),
               lambda b: json.loads(b)["nbformat"] == 4 and len(json.loads(b)["cells"]) > 2),
    ".cff": (("application/octet-stream", "text/plain", "application/x-yaml"),
             lambda b: b.startswith(b"cff-version:") and b"\ntitle:" in b),
    ".zip": (("application/zip",), lambda b: b.startswith(b"PK\x03\x04") and any(
        n in zipfile.ZipFile(io.BytesIO(b)).namelist() for n in ("README.md", "data/datapackage.json"))),
}


def test_every_download_link_returns_a_file_of_its_type(book, visits, page):
    kinds, fetched, numeric_tables = set(), set(), 0
    for name, visit in visits.items():
        for href in visit["downloads"]:
            suffix = Path(href).suffix
            kinds.add(suffix)
            if href in fetched:
                continue
            fetched.add(href)
            response = page.request.get(href)
            assert response.ok, f"{name}: {href}"
            types, check = DOWNLOADS[suffix]
            assert response.headers["content-type"].split(";")[0] in types, f"{name}: {href}"
            assert check(response.body()), f"{name}: {href} is not a usable {suffix} file"
            numeric_tables += suffix == ".csv" and has_a_numeric_column(response.body())
    assert kinds == set(DOWNLOADS)
    # tables download as data: every table with a column of numbers has it as a numeric column
    assert numeric_tables == sum(map(has_a_numeric_column, csv_tables(book).values()))
