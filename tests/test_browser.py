"""The built book used the way a person uses it: in Chromium, over HTTP on 127.0.0.1.

Playwright drives Debian's Chromium (/usr/bin/chromium). Without it these tests skip with
a message, except in CI (CI=true), where a missing browser is a failure. A screenshot of
every page is saved under _build/test-artifacts/screenshots/ of the project.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from conftest import ROOT, in_ci

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "_build" / "test-artifacts" / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        message = f"Chromium not found at {CHROMIUM} (Debian package: chromium)"
        if in_ci():
            pytest.fail(f"{message}; the browser tests must run in CI")
        pytest.skip(f"{message}; browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(book):
    """The built book served over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(book / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def pages_of(book: Path) -> list[str]:
    html = book / "_build" / "html"
    return ["index.html", *(str(p.relative_to(html)) for sub in ("chapters", "notebooks")
                            for p in sorted((html / sub).glob("*.html")))]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    yield tab
    context.close()


def test_every_page_loads_with_its_images_and_no_console_errors(book, site, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visited = pages_of(book)
    for name in visited:
        response = page.goto(f"{site}/{name}", wait_until="load")
        assert response is not None and response.ok, name
        page.wait_for_load_state("networkidle")
        images = page.evaluate("Array.from(document.images).map(i => [i.src, i.naturalWidth, i.alt])")
        for src, width, alt in images:
            assert width > 0, f"{name}: image did not load: {src}"
            assert alt.strip(), f"{name}: image without alt text: {src}"
        assert page.errors == [], f"{name}: console errors {page.errors}"
        page.screenshot(path=str(SCREENSHOTS / (name.replace("/", "__") + ".png")), full_page=True)
    assert len(visited) == 1 + len(list((book / "chapters").glob("[!_]*.md"))) + len(
        list((book / "notebooks").glob("*.ipynb")))


def test_sidebar_links_to_every_chapter(book, site, page):
    page.goto(f"{site}/chapters/intro.html")
    links = page.eval_on_selector_all("nav.bd-docs-nav a", "els => els.map(e => e.getAttribute('href'))")
    targets = {Path(link.split("#")[0]).stem for link in links}
    chapters = {p.stem for p in (book / "chapters").glob("[!_]*.md")} - {"intro"}
    assert chapters <= targets


def test_search_finds_a_table_label(site, page):
    page.goto(f"{site}/search.html?q=Communication+facilitation")
    page.wait_for_selector("#search-results ul.search li", timeout=20000)
    hits = page.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    assert any("chapters/results.html" in hit for hit in hits), hits


def test_a_solution_is_hidden_until_clicked(site, page):
    page.goto(f"{site}/chapters/results.html")
    solution = page.locator("div.solution").first
    body = solution.locator("section, p").last
    assert not body.is_visible()
    solution.locator(".toggle-button, button").first.click()
    body.wait_for(state="visible", timeout=5000)
    assert body.is_visible()


def test_every_download_link_returns_its_file(book, site, page):
    starts = {".png": b"\x89PNG", ".svg": b"<?xml", ".csv": b"", ".ipynb": b"{"}
    kinds, fetched = set(), set()
    for name in pages_of(book)[1:]:  # index.html only redirects to the landing page
        page.goto(f"{site}/{name}")
        for href in page.eval_on_selector_all("a.download", "els => els.map(e => e.href)"):
            kinds.add(Path(href).suffix)
            if href in fetched:
                continue
            fetched.add(href)
            response = page.request.get(href)
            assert response.ok, f"{name}: {href}"
            body = response.body()
            assert body and body.startswith(starts[Path(href).suffix]), f"{name}: {href}"
    assert kinds == {".png", ".svg", ".csv", ".ipynb"}
