"""The book's table format: a table a notebook glues, which the book renders as a real table.

A notebook glues a ``PublishedTable``; its mime bundle carries, besides HTML and plain text,
the shown table as header and cells (``TABLE_MIME``), which the Sphinx extension renders as a
numbered, captioned table in HTML and LaTeX, and the table's data twin as CSV (``text/csv``),
which the build exports for download (with no cell a spreadsheet would run as a formula).
"""
from __future__ import annotations

import re

import pandas as pd

from compendium.escape import for_csv, for_html

TABLE_MIME = "application/vnd.compendium.table+json"  # the shown table as header and cells


class PublishedTable:
    """A table for a notebook or a book page, with its data twin.

    ``frame`` is the table as shown: printed strings, readable headers. ``data`` is the same
    table as tidy data — counts, shares and bounds as numbers, printed strings in columns of
    their own — and becomes the table's CSV download; without it the shown table is its own
    twin. ``links`` maps words (such as statement ids) to addresses: wherever one stands as
    a whole word in a cell, the page links it there.
    """

    def __init__(self, frame: pd.DataFrame, data: pd.DataFrame | None = None, css_class: str = "compendium-table",
                 links: dict[str, str] | None = None):
        self.frame = frame.reset_index(drop=True)
        self.data = self.frame if data is None else data.reset_index(drop=True)
        self.css_class = css_class
        self.links = links or {}

    def cells(self) -> dict:
        """The shown table as ``{"columns": [...], "rows": [{column: cell, ...}, ...], "links": {...}}``,
        every cell a string."""
        columns = [str(c) for c in self.frame.columns]
        return {"columns": columns, "links": self.links,
                "rows": [dict(zip(columns, map(_cell, row), strict=True))
                         for row in self.frame.itertuples(index=False)]}

    def _repr_html_(self) -> str:
        table = self.cells()
        head = "".join(f"<th>{for_html(c)}</th>" for c in table["columns"])
        body = "".join("<tr>" + "".join(f"<td>{self._linked(v)}</td>" for v in row.values()) + "</tr>"
                       for row in table["rows"])
        return (f'<table class="{self.css_class}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def _linked(self, text: str) -> str:
        return "".join(f'<a href="{for_html(address)}">{for_html(piece)}</a>' if address else for_html(piece)
                       for piece, address in linked_parts(text, self.links))

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """HTML for Jupyter, cells for the book, plain text for terminals, CSV of the data twin for download."""
        return {"text/html": self._repr_html_(), TABLE_MIME: self.cells(), "text/plain": repr(self),
                "text/csv": self.csv()}

    def csv(self) -> str:
        """The data twin as CSV, every text cell a spreadsheet would run as a formula neutralised
        (``escape.for_csv``); numbers are written as numbers."""
        return self.data.map(for_csv).to_csv(index=False)


def linked_parts(text: str, links: dict[str, str]) -> list[tuple[str, str | None]]:
    """``text`` cut where a word of ``links`` stands whole: (piece, its address or None), in order."""
    if not links:
        return [(text, None)]
    words = "|".join(re.escape(w) for w in sorted(links, key=len, reverse=True))
    parts, at = [], 0
    for match in re.finditer(rf"(?<![\w-])({words})(?![\w-])", text):
        parts += [(text[at:match.start()], None)] if match.start() > at else []
        parts.append((match.group(1), links[match.group(1)]))
        at = match.end()
    return parts + ([(text[at:], None)] if at < len(text) else [])


def _cell(value) -> str:
    return "" if pd.isna(value) else str(value)
