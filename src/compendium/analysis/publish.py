"""DataFrames to publishable tables: the article's tables as printed, rendered as escaped HTML."""
from __future__ import annotations

import re

import pandas as pd

from compendium.escape import for_html


class PublishedTable:
    """A table for a notebook or a book page: escaped HTML for the page, plain text otherwise.

    ``links`` maps words (such as statement ids) to addresses: wherever one stands as a whole
    word in a cell, the page links it there.
    """

    def __init__(self, frame: pd.DataFrame, css_class: str = "compendium-table", links: dict[str, str] | None = None):
        self.frame = frame.reset_index(drop=True)
        self.css_class = css_class
        self.links = links or {}

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{for_html(c)}</th>" for c in self.frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{self._linked(_cell(v))}</td>" for v in row) + "</tr>"
            for row in self.frame.itertuples(index=False)
        )
        return (f'<table class="{self.css_class}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def _linked(self, text: str) -> str:
        escaped = for_html(text)
        if not self.links:
            return escaped
        targets = {for_html(word): address for word, address in self.links.items()}
        words = "|".join(re.escape(w) for w in sorted(targets, key=len, reverse=True))
        return re.sub(rf"(?<![\w-])({words})(?![\w-])",
                      lambda m: f'<a href="{for_html(targets[m.group(1)])}">{m.group(1)}</a>', escaped)

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """HTML for pages, plain text for terminals, CSV so the table can be downloaded as data."""
        return {"text/html": self._repr_html_(), "text/plain": repr(self),
                "text/csv": self.frame.to_csv(index=False)}


def header(column: str) -> str:
    """A snake_case column name as a table header: 'source_kind' -> 'Source kind'."""
    return column.replace("_", " ").capitalize()


def _cell(value) -> str:
    return "" if pd.isna(value) else str(value)


def article_table(findings: pd.DataFrame, tables: pd.DataFrame, table: int) -> pd.DataFrame:
    """Table ``table`` of the article as printed: its three headers, one row per printed row."""
    meta = tables.set_index("table").loc[table]
    rows = findings[findings["table"] == table].sort_values("row")
    return pd.DataFrame({
        meta["label_column"]: rows["label"].to_numpy(),
        meta["rating_column"]: rows["rating_printed"].to_numpy(),
        meta["count_column"]: rows["count_printed"].to_numpy(),
    })
