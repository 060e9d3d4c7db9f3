"""Every sentence that says what the article holds is pinned to a statement it rests on."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT

from compendium.analysis import data

PINPOINT = re.compile(r"\{stmt\}`([^`]*)`")
ATTRIBUTION = re.compile(r"\b(the authors?|the article|its authors|section \d(\.\d)?|the abstract)"
                         r"(\s+[\w,]+){0,3}?\s+(argues?|holds?|says?|claims?|concludes?|finds?|found|credits?|"
                         r"stresses|notes?|reports?|describes?|calls?|names?|places?|points?|states?|announces?)\b",
                         re.IGNORECASE)
NEGATION = re.compile(r"\b(does not|do not|did not|gives no|finds no|nothing)\b")
RESTATING = ["background", "literature", "methods", "results", "discussion", "audit"]


def chapter_text(name: str) -> str:
    return (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8")


def pinpoints() -> dict[str, list[str]]:
    """Each chapter's pinpointed statement ids, in order of appearance."""
    return {path.stem: [i.strip() for group in PINPOINT.findall(path.read_text(encoding="utf-8"))
                        for i in group.split(",")]
            for path in sorted((ROOT / "chapters").glob("[!_]*.md"))}


def test_every_pinpoint_names_a_known_statement():
    known = set(data.load_statements(ROOT / "data")["id"])
    unknown = [f"{chapter}: {i}" for chapter, ids in pinpoints().items() for i in ids if i not in known]
    assert unknown == []


def test_every_chapter_that_restates_the_article_pins_its_attributions():
    found = pinpoints()
    assert all(found[name] for name in RESTATING), {name: len(found[name]) for name in RESTATING}


def sentences(text: str) -> list[str]:
    prose = re.sub(r"```.*?```", " ", text, flags=re.S)           # directives: captions are not attributions
    prose = re.sub(r":::\{(exercise|solution)\}[^\n]*\n(:\w+:[^\n]*\n)*", " ", prose)
    return [s for part in re.split(r"\n\s*\n|:::", prose)
            for s in re.split(r"(?<=[.?!;])\s+", " ".join(part.split()))]


@pytest.mark.parametrize("name", RESTATING + ["intro"])
def test_sentences_that_attribute_carry_a_pinpoint(name):
    unpinned = [s for s in sentences(chapter_text(name))
                if ATTRIBUTION.search(PINPOINT.sub("", s)) and not PINPOINT.search(s)
                and not NEGATION.search(s) and "compendium" not in s.lower()]
    assert unpinned == []


def test_the_attribution_rule_catches_an_unpinned_sentence():
    assert ATTRIBUTION.search("The authors conclude that Pakistan stabilised crises.")
    assert not PINPOINT.search("The authors conclude that Pakistan stabilised crises.")


@pytest.mark.book
def test_every_rendered_pinpoint_links_to_its_row_on_the_statements_page(book):
    from bs4 import BeautifulSoup

    html = book / "_build" / "html" / "chapters"
    rows = BeautifulSoup((html / "statements.html").read_text(encoding="utf-8"), "html.parser")
    anchors = {tag["id"] for tag in rows.select("[id^=stmt-]")}
    assert len(anchors) == len(data.load_statements(book / "data"))
    for name, ids in pinpoints().items():
        soup = BeautifulSoup((html / f"{name}.html").read_text(encoding="utf-8"), "html.parser")
        links = soup.select("main a[href*='#stmt-']")
        assert all(link["href"].split("#")[1] in anchors for link in links), name  # pinpoints and audit ids
        pins = [link for link in links if link.select_one(".pinpoint")]
        assert len(pins) >= (1 if ids else 0), name
        for link in pins:
            assert re.fullmatch(r"§\d(\.\d)?|Abstract|Acknowledgments|Informed Consent|Ethical Approval|"
                                r"Data Availability|References", link.get_text()), (name, link.get_text())
            assert link.get("title", "").startswith("line "), (name, link["href"])
