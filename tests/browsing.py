"""The built book in Chromium: the browser, the site served over HTTP on 127.0.0.1, and one
visit of every page at a screen's width (what loaded, how wide the page is, what axe-core
finds), shared by the desktop and phone tests. A full-page screenshot of each page that fails
a check is saved under _build/test-artifacts/screenshots/ of the project."""
from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT, in_ci

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "_build" / "test-artifacts" / "screenshots"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SERIOUS = ("serious", "critical")
TEX_SOURCE = ("\\frac", "\\(", "\\)", "\\[", "$$", "\\hat")  # TeX a reader must never see on a page
TYPESET = """async () => {  // once MathJax (on pages with formulas) has typeset them
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  return {formulas: document.querySelectorAll('.math').length,
          typeset: document.querySelectorAll('.math mjx-container').length,
          text: document.body.innerText};
}"""


@contextmanager
def chromium():
    """Debian's Chromium driven by Playwright; a skip (a failure in CI) when it is missing."""
    if not CHROMIUM.is_file():
        message = f"Chromium not found at {CHROMIUM} (Debian package: chromium)"
        if in_ci():
            pytest.fail(f"{message}; the browser tests must run in CI")
        pytest.skip(f"{message}; browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@contextmanager
def served(html: Path):
    """``html`` served over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(html))
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


def open_tab(browser, screen: str):
    context = browser.new_context(viewport=SCREENS[screen])
    tab = context.new_page()
    tab.errors, tab.requests = [], []
    tab.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)
    tab.on("request", lambda request: tab.requests.append(request.url))
    tab.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    return context, tab


def visit_every_page(book: Path, site: str, browser, screen: str) -> dict:
    """Every page at one screen's width, visited once, keyed by page: whether it loaded, its console
    errors, images, width, axe-core's findings, the targets of its pasted values and downloads, its ids,
    every address it requested, its formulas and how many were typeset, and the TeX its text shows."""
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), {}
    for old in SCREENSHOTS.glob(f"{screen}-*.png"):  # an earlier run's pictures
        old.unlink()
    context, tab = open_tab(browser, screen)
    for name in pages_of(book):
        tab.errors.clear()
        tab.requests.clear()
        response = tab.goto(f"{site}/{name}", wait_until="load")
        if name == "index.html":  # a redirect to the landing page, which follows the load
            tab.wait_for_url("**/chapters/intro.html", wait_until="load")
        math = tab.evaluate(TYPESET)
        found[name] = {
            "requests": list(tab.requests), "formulas": math["formulas"], "typeset": math["typeset"],
            "tex": [fragment for fragment in TEX_SOURCE if fragment in math["text"]],
            "ok": response is not None and response.ok, "errors": list(tab.errors),
            "images": tab.evaluate("Array.from(document.images).map(i => [i.src, i.naturalWidth, i.alt])"),
            "width": tab.evaluate("document.documentElement.scrollWidth"),
            "violations": [(v["id"], v["impact"], [n["target"] for n in v["nodes"]])
                           for v in axe.run(tab).response["violations"]],
            "pasted": tab.eval_on_selector_all(  # where each pasted value links to (None: no link)
                ".bd-article .pasted-text", "els => els.map(e => { const a = e.closest('a'); return a && a.href; })"),
            "downloads": tab.eval_on_selector_all("a.download", "els => els.map(e => e.href)"),
            "ids": tab.evaluate("Array.from(document.querySelectorAll('[id]'), e => e.id)"),
        }
    for name in failing(found, screen):  # a picture of what a failed check saw
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        tab.goto(f"{site}/{name}", wait_until="load")
        tab.screenshot(path=str(SCREENSHOTS / f"{screen}-{name.replace('/', '__')}.png"), full_page=True)
    context.close()
    return found


def failing(visits: dict, screen: str) -> list[str]:
    """The pages with a problem in loading, a width beyond the screen's or a serious axe finding."""
    return [name for name, visit in visits.items()
            if _page_problems(name, visit) or too_wide({name: visit}, screen) or serious_violations({name: visit})]


def too_wide(visits: dict, screen: str) -> dict:
    """The pages wider than the screen (they scroll sideways), with their widths."""
    return {name: visit["width"] for name, visit in visits.items() if visit["width"] > SCREENS[screen]["width"]}


def loading_problems(book: Path, visits: dict) -> list[str]:
    """Pages that failed to load, images that did not load or lack real alt text, console errors;
    and a line when not every page of the book was visited."""
    problems = [problem for name, visit in visits.items() for problem in _page_problems(name, visit)]
    pages = 1 + len(list((book / "chapters").glob("[!_]*.md"))) + len(list((book / "notebooks").glob("*.ipynb")))
    if len(visits) != pages:
        problems.append(f"{len(visits)} pages visited of {pages}")
    return problems


def _page_problems(name: str, visit: dict) -> list[str]:
    problems = [] if visit["ok"] else [f"{name}: not loaded"]
    for src, width, alt in visit["images"]:
        if width == 0:
            problems.append(f"{name}: image did not load: {src}")
        if " " not in alt.strip() or alt.strip().endswith((".png", ".svg", ".jpg")):  # a sentence, no path
            problems.append(f"{name}: image without real alt text: {src} ({alt!r})")
    return problems + [f"{name}: console error {error}" for error in visit["errors"]]


def serious_violations(visits: dict) -> dict:
    """axe-core's serious and critical findings, by page."""
    found = {name: [v for v in visit["violations"] if v[1] in SERIOUS] for name, visit in visits.items()}
    return {name: violations for name, violations in found.items() if violations}
