"""The article's reference list as printed, read from its text, and the parts of a printed entry.

A printed entry is one line in the article's Markdown: ``*...*`` marks italics and a DOI is
written ``https://doi.org/...`` (mostly inside ``<...>``, which only makes it a link).
"""
from __future__ import annotations

import copy
import re

from bs4 import Tag
from conftest import ARTICLE

ENTRY = re.compile(r"(?P<authors>.+?) \((?P<year>\d{4}[a-z]?)\)\. (?P<rest>.+)")
BOOK_FORM = re.compile(r"\*(?P<title>[^*]+)\*\.(?: (?P<publisher>[^*]+?)\.)?(?: (?P<doi>https://doi\.org/\S+))?")
VENUE_FORM = re.compile(r"(?P<title>[^*]+?)\.? \*(?P<venue>[^*]+)\*"
                        r"(?:, (?P<volume>\d+)\((?P<number>\d+)\))?(?:, (?P<pages>\d+–\d+))?\."
                        r"(?: (?P<doi>https://doi\.org/\S+))?")


def printed_entries() -> list[str]:
    """Each entry of the article's reference list, in the printed order, without its '- ' bullet
    and with the DOI's '<...>' link marks removed."""
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()  # the last line has no newline
    following = lines[lines.index("References") + 1:]
    return [re.sub(r"<(https://[^>\s]+)>", r"\1", line[2:]) for line in following if line.startswith("- ")]


def parts(entry: str) -> dict:
    """The parts of a printed entry: authors (list of 'Surname, A. B.'), year, title, and either
    publisher or DOI or both (italic title) or venue with volume, number, pages and DOI (italic venue)."""
    head = ENTRY.fullmatch(entry)
    assert head, f"not an author-year entry: {entry}"
    authors = [name for group in head["authors"].split(", & ") for name in re.split(r"(?<=\.), ", group)]
    book, venue = BOOK_FORM.fullmatch(head["rest"]), VENUE_FORM.fullmatch(head["rest"])
    assert book or venue, f"neither '*Title*. Publisher.' nor 'Title. *Venue*...' : {entry}"
    found = {key: value for key, value in (book or venue).groupdict().items() if value is not None}
    if found.get("doi"):
        found["doi"] = found["doi"].removeprefix("https://doi.org/")
    return {"authors": authors, "year": head["year"], "form": "book" if book else "venue", **found}


def as_printed(item: Tag) -> str:
    """A rendered bibliography entry (HTML) written the way the article writes it: *italics*, link text."""
    item = copy.copy(item)
    for italic in item.find_all("em"):
        italic.replace_with(f"*{italic.get_text()}*")
    return item.get_text().strip()
