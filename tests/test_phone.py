"""The built book on a phone's screen (390 px wide) in Chromium: every page loads with its
images, none scrolls sideways, axe-core finds nothing serious (see `browsing.py`)."""
from __future__ import annotations

import pytest
from browsing import chromium, failing, loading_problems, serious_violations, served, too_wide, visit_every_page

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


def test_the_pages_pictured_are_those_that_fail_a_check():
    fine = {"ok": True, "errors": [], "images": [], "width": 390, "violations": [("region", "moderate", [])]}
    visits = {"fine.html": fine, "wide.html": {**fine, "width": 391}, "error.html": {**fine, "errors": ["boom"]},
              "axe.html": {**fine, "violations": [("color-contrast", "serious", ["p"])]}}
    assert failing(visits, "phone") == ["wide.html", "error.html", "axe.html"]
    assert failing(visits, "desktop") == ["error.html", "axe.html"]
