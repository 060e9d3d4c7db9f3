"""What a reader meets first, in Chromium at a desktop's and a phone's width: the statement a
pinpoint lands on, figures whose text is legible on a phone and open full size, tables that fit
or say that they scroll, visible keyboard focus, provenance without a mouse, one search box."""
from __future__ import annotations

import pytest
from browsing import SCREENS, open_tab, pages_of
from bs4 import BeautifulSoup

pytestmark = pytest.mark.book
SMALLEST_TEXT_PX = 9  # CSS pixels: the smallest figure text a phone may show


@pytest.fixture(params=["desktop", "phone"])
def tab(browser, request):
    context, tab = open_tab(browser, request.param)
    tab.screen = request.param
    yield tab
    context.close()


@pytest.fixture
def phone(browser):
    context, tab = open_tab(browser, "phone")
    yield tab
    context.close()


@pytest.fixture
def desktop(browser):
    context, tab = open_tab(browser, "desktop")
    yield tab
    context.close()


def test_a_pinpoint_lands_on_its_row_highlighted_with_the_whole_quotation_in_view(site, tab):
    tab.goto(f"{site}/chapters/results.html", wait_until="load")
    href = tab.locator("a .pinpoint").first.evaluate("e => e.closest('a').href")
    tab.goto(href, wait_until="load")
    tab.wait_for_timeout(300)
    anchor = href.split("#")[1]
    seen = tab.evaluate("""anchor => {
        const row = document.getElementById(anchor).closest('tr');
        const cells = Array.from(row.cells, td => td.getBoundingClientRect());
        const other = row.nextElementSibling || row.previousElementSibling;
        const header = document.querySelector('.bd-header-article').getBoundingClientRect();
        return {cells: cells.map(r => [r.left, r.right, r.top, r.bottom]), text: row.cells[4].innerText,
                background: getComputedStyle(row).backgroundColor, other: getComputedStyle(other).backgroundColor,
                width: innerWidth, height: innerHeight, header: header.bottom};
    }""", anchor)
    quote = seen["cells"][4]
    assert 0 <= quote[0] < quote[1] <= seen["width"] and 0 <= quote[2] < quote[3] <= seen["height"], seen
    assert all(0 <= left and right <= seen["width"] for left, right, _, _ in seen["cells"]), seen  # no cell cut
    assert seen["text"].startswith("“") and seen["text"].endswith("”") and len(seen["text"]) > 10
    assert seen["background"] != seen["other"]  # the row a link lands on stands out
    assert seen["cells"][0][2] >= 0  # not under the page's header


def figure_text(tab) -> list[dict]:
    """Every figure of the page: its smallest text as displayed (CSS px), and where a tap leads."""
    return tab.evaluate("""() => Array.from(document.querySelectorAll('main img'), img => ({
        src: img.src, legible: img.classList.contains('legible'),
        shown: img.dataset.smallestText * img.getBoundingClientRect().width / img.naturalWidth,
        link: img.closest('a') && img.closest('a').href}))""")


def test_on_a_phone_no_figure_text_is_smaller_than_9_px_and_every_figure_opens_full_size(book, site, phone):
    measured = {}
    for name in pages_of(book)[1:]:  # index.html only sends the browser on to the landing page
        phone.goto(f"{site}/{name}", wait_until="load")
        for figure in figure_text(phone):
            assert figure["legible"] and figure["link"] == figure["src"], (name, figure)
            measured[(name, figure["src"])] = figure["shown"]
        assert phone.evaluate("document.documentElement.scrollWidth") <= SCREENS["phone"]["width"], name
    smallest = min(measured.values())
    print(f"smallest figure text on a phone: {smallest:.2f} px over {len(measured)} figures")
    assert smallest >= SMALLEST_TEXT_PX
    images = sum(len(BeautifulSoup((book / "_build/html" / name).read_text(encoding="utf-8"), "html.parser")
                     .select("main img")) for name in pages_of(book)[1:])
    assert len(measured) == images  # every figure of every page measured


def test_on_a_phone_every_table_fits_stacks_into_cards_or_shows_that_it_scrolls(book, site, phone):
    found = {}
    for name in pages_of(book)[1:]:  # index.html only sends the browser on to the landing page
        phone.goto(f"{site}/{name}", wait_until="load")
        for kind in phone.evaluate("""() => Array.from(document.querySelectorAll('main table'), table => {
            const box = table.closest('.pst-scrollable-table-container, .output, .cell_output') || table.parentElement;
            const cell = table.querySelector('tbody td');
            if (getComputedStyle(table.querySelector('tbody tr') || table).display === 'block')
                return cell && getComputedStyle(cell, '::before').content.length > 2 ? 'cards' : 'cards without names';
            if (box.scrollWidth <= box.clientWidth + 1) return 'fits';
            return getComputedStyle(box).backgroundImage.includes('gradient') ? 'scrolls with a shade' : 'scrolls';
        })"""):
            found.setdefault(kind, []).append(name)
    assert set(found) <= {"cards", "fits", "scrolls with a shade"}, {k: v for k, v in found.items()}
    assert "chapters/instructors.html" in found["cards"] and "chapters/statements.html" in found["cards"]


def test_the_sidebar_toggle_and_the_download_button_show_a_focus_ring(site, desktop):
    desktop.goto(f"{site}/chapters/results.html", wait_until="load")
    for selector in ("button.sidebar-toggle.primary-toggle.btn", ".dropdown-download-buttons button"):
        desktop.keyboard.press("Tab")  # a keyboard user: focus is then drawn
        ring = desktop.locator(selector).first.evaluate("""b => { b.focus();
            const s = getComputedStyle(b); return [b === document.activeElement, s.outlineStyle, s.outlineWidth]; }""")
        assert ring[0] and ring[1] == "solid" and float(ring[2].removesuffix("px")) >= 2, (selector, ring)


def test_a_pasted_values_provenance_shows_on_focus_without_a_title(site, tab):
    tab.goto(f"{site}/chapters/results.html", wait_until="load")
    link = tab.locator("a.glued-value").first
    assert link.get_attribute("title") is None
    tab.keyboard.press("Tab")
    shown = link.evaluate("a => { a.focus(); const s = getComputedStyle(a, '::after'); "
                          "return [s.content, s.display]; }")
    assert shown[0].startswith('"Computed in cell ') and "data/" in shown[0] and shown[1] != "none"
    assert link.get_attribute("aria-description") == link.get_attribute("data-provenance")


def test_a_wide_screen_shows_one_search_box_and_no_page_carries_thebe(book, site, desktop):
    desktop.goto(f"{site}/chapters/results.html", wait_until="load")
    visible = desktop.evaluate("""() => Array.from(document.querySelectorAll('.search-button__button'))
        .filter(b => b.offsetParent !== null && b.getBoundingClientRect().width > 0).length""")
    assert visible == 1
    pages = [book / "_build/html" / name for name in pages_of(book)]
    assert [p.name for p in pages if "thebe" in p.read_text(encoding="utf-8").lower()] == []


def test_a_citation_is_copied_with_one_click(browser, site):
    context, tab = open_tab(browser, "desktop")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab.goto(f"{site}/chapters/intro.html", wait_until="load")
    copied = []
    for block in tab.locator("div.citation-text, div.citation-bibtex").all():
        block.hover()
        block.locator("button.copybtn").click()
        copied.append((tab.evaluate("navigator.clipboard.readText()"), block.locator("pre").inner_text()))
    context.close()
    assert len(copied) == 4 and all(got.strip() == shown.strip() for got, shown in copied)
