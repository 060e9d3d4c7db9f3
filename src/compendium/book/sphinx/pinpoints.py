"""Attributions to the article pinned to the statements they rest on.

``{stmt}`s4-2-greatest``` (several ids separated by commas) renders a pinpoint such as
"§4.2" that links to the statement's row on the page holding the ``article-statements``
directive, with the quotation as tooltip. The directive lists every row of the book's
statements file (``compendium.statements`` in ``_config.yml``; the book's validator checks
it before the render): id, section, line, kind, quotation and key. An unknown id is a
build warning, so the strict build fails on it.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole
from sphinx.util.nodes import make_refnode

from compendium.book import project

logger = logging.getLogger(__name__)
COLUMNS = ("id", "section", "line", "kind", "quote", "key")


class statement_ref(nodes.Inline, nodes.TextElement):
    """A pinpoint waiting to be linked once every page has been read."""


@lru_cache(maxsize=4)
def _read(path: Path, stamp: tuple) -> dict[str, dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: {column: row[column] for column in COLUMNS} for row in csv.DictReader(handle)}


def _statements(env, reading: bool = True) -> dict[str, dict]:
    """The statements of the book, by id, each a row of its statements file (read again when the
    file changes). While a page is being read (``reading``), the page is marked as depending on it."""
    path = Path(env.srcdir) / project.load(Path(env.srcdir)).statements
    if reading:
        env.note_dependency(str(path))
    return _read(path, (path.stat().st_mtime_ns, path.stat().st_size))


def pinpoint(section: str) -> str:
    """How a section is cited: '§4.2' for a numbered section, its heading otherwise."""
    return f"§{section}" if section[:1].isdigit() else section


def anchor(statement_id: str) -> str:
    """The HTML id (and LaTeX label) of a statement's row on the statements page."""
    return f"stmt-{statement_id}"


class StatementRole(SphinxRole):
    """``{stmt}`id[,id...]```: one pinpoint per section of the statements named."""

    def run(self):
        ids = [part.strip() for part in self.text.split(",") if part.strip()]
        statements = _statements(self.env)
        unknown = [i for i in ids if i not in statements]
        if unknown or not ids:
            where = project.load(Path(self.env.srcdir)).statements
            message = f"{{stmt}}: unknown statement id {', '.join(unknown) or repr(self.text)} (see {where})"
            logger.warning(message, location=self.get_location())
            return [nodes.inline(self.rawtext, self.text)], []
        by_section: dict[str, list[str]] = {}
        for statement_id in ids:
            by_section.setdefault(statements[statement_id]["section"], []).append(statement_id)
        found = []
        for number, (section, members) in enumerate(by_section.items()):
            if number:
                found.append(nodes.Text(", "))
            found.append(statement_ref(self.rawtext, pinpoint(section), statement_ids=members))
        return found, []


class ArticleStatements(SphinxDirective):
    """A table of every statement, one anchored row each."""

    def run(self):
        statements = _statements(self.env).values()
        self.env.compendium_statements_doc = self.env.docname
        headers = ["Statement", "Section", "Line", "Kind", "Quotation", "About"]
        table = nodes.table(classes=["article-statements"])
        group = nodes.tgroup(cols=len(headers))
        table += group
        group.extend(nodes.colspec(colwidth=width) for width in (14, 10, 6, 10, 40, 20))
        head = nodes.thead()
        head += nodes.row("", *(nodes.entry("", nodes.paragraph(text=h)) for h in headers))
        body = nodes.tbody()
        for row in statements:
            cells = [nodes.paragraph("", "", nodes.target("", "", ids=[anchor(row["id"])]), nodes.Text(row["id"]))]
            cells += [nodes.paragraph(text=text) for text in (pinpoint(row["section"]), row["line"],
                                                              row["kind"].replace("_", " "), f"“{row['quote']}”",
                                                              row["key"])]
            body += nodes.row("", *(nodes.entry("", cell) for cell in cells))
        group += head
        group += body
        return [table]


def _link_pinpoints(app, doctree, docname) -> None:
    env = app.env
    target = getattr(env, "compendium_statements_doc", None)
    statements = _statements(env, reading=False) if doctree.next_node(statement_ref) else None
    for ref in list(doctree.findall(statement_ref)):
        members = ref["statement_ids"]
        quotes = "; ".join(f"line {statements[i]['line']}: “{statements[i]['quote']}”" for i in members)
        if target is None:
            logger.warning("{stmt}: no page holds the article-statements directive", location=ref)
            ref.replace_self(nodes.inline("", ref.astext()))
            continue
        link = make_refnode(app.builder, docname, target, anchor(members[0]),
                            nodes.inline("", ref.astext(), classes=["pinpoint"]), quotes)
        ref.replace_self(link)


def _merge(app, env, docnames, other) -> None:
    if hasattr(other, "compendium_statements_doc"):
        env.compendium_statements_doc = other.compendium_statements_doc


def setup(app):
    app.add_node(statement_ref)
    app.add_role("stmt", StatementRole())
    app.add_directive("article-statements", ArticleStatements)
    app.connect("doctree-resolved", _link_pinpoints)
    app.connect("env-merge-info", _merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
