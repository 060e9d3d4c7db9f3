"""The pages and notebooks of a chapter's zip, made to stand alone.

A page in a zip keeps every link that resolves inside the zip. A link to a page left out
goes to that page of the published book when the book says where it is published
(``html: baseurl:`` in ``_config.yml``); otherwise it is no link (its text stays), and
the page's ``<link>`` elements to pages left out (search, index, next, previous) go.
The student edition leaves out every solution: the chapter's solution blocks, and the
notebook cells tagged ``solution`` (those that compute what the solutions state) from the
notebook and its rendered page, each of which says so.
"""
from __future__ import annotations

import json
import posixpath
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

SOLUTION_TAG = "solution"  # a notebook cell's tag: the cell computes what a solution states
LEFT_OUT = ("This is the student edition of the chapter: the solutions of its exercises, and the notebook "
            "cells that compute them, are left out.")
LINKING = (("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
           ("source", "srcset"), ("form", "action"))


def local_target(member: str, link: str) -> tuple[str, str] | None:
    """The member a relative ``link`` on the page ``member`` points at, with its fragment; None for
    a link that leaves the page's folder tree (a scheme, ``//host``, ``data:``) or only a fragment."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(member), parts.path)), parts.fragment


def standalone(text: str, member: str, members: set[str], published_url: str) -> str:
    """The page ``member`` (a zip member under ``book/``) with every relative link resolving inside
    ``members``, rewritten to ``published_url`` or dropped (see the module's docstring)."""
    soup = BeautifulSoup(text, "html.parser")
    for name, attribute in LINKING:
        for tag in soup.find_all(name, attrs={attribute: True}):
            found = local_target(member, tag[attribute].split()[0] if attribute == "srcset" else tag[attribute])
            if found is None or found[0] in members:
                continue
            if published_url:
                page = posixpath.relpath(found[0], "book")
                tag[attribute] = f"{published_url.rstrip('/')}/{page}" + (f"#{found[1]}" if found[1] else "")
            elif name in ("link", "script", "img", "source"):
                tag.decompose()
            else:
                del tag[attribute]
    return str(soup)


def without_solutions(text: str) -> str:
    """A rendered page without its solution blocks and solution cells, and a note saying so under
    its title."""
    soup = BeautifulSoup(text, "html.parser")
    for block in soup.select("div.solution"):
        block.decompose()
    for cell in soup.select(f"div.cell.tag_{SOLUTION_TAG}"):
        section = cell.find_parent("section")
        cell.decompose()
        if section is not None and not section.select("div.cell") and section.find_parent("section") is not None:
            section.decompose()  # the heading and prose of a section that held only solution cells
    heading = soup.select_one("main h1, article h1, h1")
    if heading is not None:
        note = soup.new_tag("p", attrs={"class": "edition-note"})
        note.string = LEFT_OUT
        heading.insert_after(note)
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    for link in soup.select('a[href^="#"]'):  # links to what was left out (the page's contents, an exercise's)
        if link["href"][1:] and link["href"][1:] not in ids:
            item = link.find_parent("li")
            item.decompose() if item is not None and item.find_parent("nav") is not None else link.attrs.pop("href")
    return str(soup)


def student_notebook(text: str) -> str:
    """A notebook (its JSON) without the cells tagged ``solution``, opening with a note saying so."""
    notebook = json.loads(text)
    cells = [cell for cell in notebook["cells"] if SOLUTION_TAG not in cell.get("metadata", {}).get("tags", [])]
    note = {"cell_type": "markdown", "metadata": {}, "source": [f"*{LEFT_OUT}*"]}
    notebook["cells"] = [*cells[:1], note, *cells[1:]]
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
