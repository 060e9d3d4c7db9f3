"""Tables in the PDF: every one fits the text block and breaks across pages with its header.

Each table is laid out from its text, as a browser lays out a table: a column is at least as
wide as its longest word and at most as wide as its longest cell; when the cells do not fit
the text width, the columns share what is left beyond their longest words in proportion to
what more they hold. The type is the largest of three sizes at which the longest words fit,
and a word too long even then (a path, a key, a hash) may break after ``_ / . - :`` or, if it
must, anywhere. Every table is a longtable (``latex/templates/longtable.tex.jinja``): it breaks
across pages and repeats its header.

A notebook's DataFrame, which the web book shows as an HTML table, becomes a table here too
(LaTeX would otherwise print its plain text).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from compendium.book.sphinx.glued import table_node
from compendium.book.sphinx.latex import A4_MM, MARGINS_MM
from compendium.book.tables import TABLE_MIME

PT_PER_MM = 72.27 / 25.4
TEXT_WIDTH_PT = (A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) * PT_PER_MM
TABCOLSEP_PT = 6.0  # LaTeX's padding on each side of a column
# Widths of a character in em, measured on the PDF's fonts: on average in running text (FreeSerif),
# at most over a word of the body (FreeSerif) and of a header (FreeSans), with a little room.
TEXT_EM, WORD_EM, HEADER_EM = 0.47, 0.55, 0.62
SIZES = (("small", 9.0), ("footnotesize", 8.0), ("scriptsize", 7.0))  # name, size in pt
CODE = 20  # characters: a piece of a word longer than this is a code (a hash), which may break anywhere
BREAK_AFTER = re.compile(r"(?<=[_/\-:=,;]|\.(?=\D))(?=.)")  # after these; after "." unless a digit follows


def _unit(text: str) -> int:
    """The length of the longest piece of ``text`` that cannot break: a word, or the part of a
    word between the characters it may break after."""
    return max((len(part) for word in text.split() for part in BREAK_AFTER.split(word)), default=0)


def _word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _cells(table: nodes.table) -> list[list[str]]:
    """The text of each cell, row by row (header rows first)."""
    return [[entry.astext() for entry in row.findall(nodes.entry)] for row in table.findall(nodes.row)]


def _room(columns: int, size: float) -> float:
    """How many em of type ``size`` fit across the text width, less the columns' padding."""
    return (TEXT_WIDTH_PT - columns * 2 * TABCOLSEP_PT) / size


def _extent(rows: list[list[str]], header_rows: int, piece) -> tuple[list[float], list[float]]:
    """Each column's longest cell and longest unbreakable piece (``piece`` of a cell's text), in em.
    A header wraps at its words rather than widen its column."""
    count = max(len(row) for row in rows)
    longest, widest = [0.0] * count, [0.0] * count
    for i, row in enumerate(rows):
        word_em, text_em = (HEADER_EM, 0.0) if i < header_rows else (WORD_EM, TEXT_EM)
        for c, cell in enumerate(row):
            longest[c] = max(longest[c], len(cell) * text_em)
            widest[c] = max(widest[c], piece(cell) * word_em)
    return [max(n, w) for n, w in zip(longest, widest, strict=True)], widest


def layout(rows: list[list[str]], header_rows: int = 1) -> tuple[str, list[float]]:
    """The type size and each column's share of the line (less padding) for a table of these cells:
    the largest size at which whole words fit, else at which words broken after ``_ / .`` fit."""
    count = max(len(row) for row in rows)
    tries = [(name, size, piece) for piece in (_word, _unit) for name, size in SIZES]
    name, size, piece = next((t for t in tries if sum(_extent(rows, header_rows, t[2])[1]) <= _room(count, t[1])),
                             tries[-1])
    longest, widest = _extent(rows, header_rows, piece)
    room = _room(count, size)
    if sum(longest) <= room:
        widths = longest
    elif sum(widest) <= room:
        spare = (room - sum(widest)) / (sum(longest) - sum(widest))
        widths = [w + (n - w) * spare for w, n in zip(widest, longest, strict=True)]
    else:  # even broken words do not fit: columns in proportion to them, none below two em
        widths = [max(2.0, w * room / sum(widest)) for w in widest]
        widths = [w * room / sum(widths) for w in widths]
    return name, [int(max(w, 1.0) / room * 10000) / 10000 for w in widths]  # rounded down: never over the line


def column_spec(shares: list[float]) -> str:
    """A LaTeX column specification: ragged-right paragraph columns of these shares of the line."""
    line = f"\\dimexpr\\linewidth-{2 * len(shares)}\\tabcolsep\\relax"
    return "".join(f">{{\\raggedright\\arraybackslash}}p{{{share:.4f}{line}}}" for share in shares)


def _breakable(text: str, limit: int) -> list[nodes.Node]:
    """``text`` as nodes in which every word longer than ``limit`` may break after ``_ / . - :`` (and
    the like); a piece still longer than ``CODE`` characters (a hash) may break anywhere. Shorter
    words are left to TeX's hyphenation."""
    pieces: list[nodes.Node] = []
    for word in re.split(r"(\s+)", text):
        parts = BREAK_AFTER.split(word) if len(word) > limit else [word]
        parts = [chunk for part in parts for chunk in
                 ([part[i:i + limit] for i in range(0, len(part), limit)] if len(part) > max(limit, CODE) else [part])]
        for i, part in enumerate(parts):
            pieces += [nodes.raw("", "\\allowbreak{}", format="latex")] if i else []
            pieces.append(nodes.Text(part))
    return pieces


class TablesFitThePage(SphinxPostTransform):
    """Every table of the PDF: its layout, its type size and the long words that may break."""

    default_priority = 30
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for table in list(self.document.findall(nodes.table)):
            rows = _cells(table)
            if not rows:
                continue
            heads = sum(len(head.children) for head in table.findall(nodes.thead))
            size, shares = layout(rows, heads)
            table["classes"] += ["longtable", f"latex-size-{size}"]
            table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=column_spec(shares)))
            room = _room(len(shares), dict(SIZES)[size])
            for row in table.findall(nodes.row):
                em = HEADER_EM if isinstance(row.parent, nodes.thead) else WORD_EM
                for share, entry in zip(shares, row.findall(nodes.entry), strict=False):
                    limit = max(3, round(share * room / em))
                    for text in list(entry.findall(nodes.Text)):
                        if isinstance(text.parent, (nodes.raw, nodes.FixedTextElement)):
                            continue
                        if any(len(word) > limit for word in text.split()):
                            text.parent.replace(text, _breakable(str(text), limit))


class _TableCells(HTMLParser):
    """The rows of the first HTML table in a text, each a list of its cells' text, header rows apart."""

    def __init__(self):
        super().__init__()
        self.head, self.body, self.row, self.cell, self.part, self.tables, self.skip = [], [], None, None, None, 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        elif tag == "table":
            self.tables += 1
        elif tag in ("thead", "tbody") and self.tables == 1:
            self.part = self.head if tag == "thead" else self.body
        elif tag == "tr" and self.tables == 1 and self.part is not None:
            self.row = []
            self.part.append(self.row)
        elif tag in ("th", "td") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1
        elif tag in ("th", "td") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.append(data)


def html_table(html: str) -> dict | None:
    """A pandas DataFrame's HTML as ``PublishedTable.cells()`` (its index a column without a name),
    or None when the text is not one table with a header row and distinct column names."""
    parser = _TableCells()
    parser.feed(html)
    if parser.tables != 1 or not parser.head or not parser.body:
        return None
    width = max(len(row) for row in parser.head + parser.body)
    columns = [" ".join(row[c] for row in parser.head if c < len(row) and row[c]) for c in range(width)]
    if len(set(columns)) != len(columns) or any(len(row) != width for row in parser.body):
        return None
    return {"columns": columns, "rows": [dict(zip(columns, row, strict=True)) for row in parser.body]}


class DataFramesAsTables(SphinxPostTransform):
    """In the PDF, a notebook output that the web book shows as an HTML table (a pandas DataFrame)
    is a table, not the DataFrame's plain text."""

    default_priority = 3  # before MyST-NB picks one of an output's formats for the builder
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for bundle in list(self.document.findall(nodes.container)):
            if bundle.get("nb_element") != "mime_bundle":
                continue
            kinds = {child.get("mime_type"): child for child in bundle.children}
            if "text/html" not in kinds or TABLE_MIME in kinds:  # a PublishedTable is rendered as its cells
                continue
            cells = html_table(kinds["text/html"].astext())
            if cells is not None:
                bundle.replace_self(table_node(cells, ["notebook-table", "dataframe"]))


def setup(app):
    app.add_post_transform(DataFramesAsTables)
    app.add_post_transform(TablesFitThePage)
