"""The built book on a phone's screen (390 px wide) in Chromium: every page loads with its
images, none scrolls sideways, axe-core finds nothing serious (see `browsing.py`)."""
from __future__ import annotations

import pytest
from browsing import (
    chromium,
    failing,
    loading_problems,
    open_tab,
    serious_violations,
    served,
    too_wide,
    visit_every_page,
)

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def visits(book) -> dict:
    with chromium() as browser, served(book / "_build" / "html") as site:
        return visit_every_page(book, site, browser, "phone")


def test_every_page_loads_with_its_images_and_no_console_errors(book, visits):
    assert loading_problems(book, visits) == []


def test_no_page_scrolls_sideways(visits):
    assert too_wide(visits, "phone") == {}


def test_axe_finds_nothing_serious_on_any_page(visits):
    assert serious_violations(visits) == {}


def test_a_card_names_each_value_by_its_column_through_the_stylesheet_only(book):
    with chromium() as browser, served(book / "_build" / "html") as site:
        context, tab = open_tab(browser, "phone")
        tab.goto(f"{site}/chapters/audit.html", wait_until="load")
        card = tab.locator("table.stacked#audit-table tbody tr").first
        shown = card.evaluate("""tr => Array.from(tr.cells, td => [
            getComputedStyle(td, '::before').content, td.innerText.trim(), td.getBoundingClientRect().width])""")
        headers = tab.eval_on_selector_all("table.stacked#audit-table thead th", "ths => ths.map(th => th.textContent)")
        copied = card.evaluate("tr => { getSelection().selectAllChildren(tr); return getSelection().toString(); }")
        context.close()
    assert [content for content, _, _ in shown] == [f'"{header}"' for header in headers]  # the names, from CSS
    assert all(value and not value.startswith(header) for (_, value, _), header in zip(shown, headers, strict=True))
    assert all(width > 300 for _, _, width in shown)  # one line of the card per column
    assert not any(header in copied for header in headers)  # copied text: the values only
    assert shown[0][1] in copied


def test_the_pages_pictured_are_those_that_fail_a_check():
    fine = {"ok": True, "errors": [], "images": [], "width": 390, "violations": [("region", "moderate", [])]}
    visits = {"fine.html": fine, "wide.html": {**fine, "width": 391}, "error.html": {**fine, "errors": ["boom"]},
              "axe.html": {**fine, "violations": [("color-contrast", "serious", ["p"])]}}
    assert failing(visits, "phone") == ["wide.html", "error.html", "axe.html"]
    assert failing(visits, "desktop") == ["error.html", "axe.html"]
