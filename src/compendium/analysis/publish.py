"""DataFrames to publishable tables: each table as shown (escaped HTML, cells for the book's
real tables, plain text) and as data (a tidy CSV twin)."""
from __future__ import annotations

import pandas as pd

from compendium.escape import for_html

TABLE_MIME = "application/vnd.compendium.table+json"  # the shown table as header and cells


class PublishedTable:
    """A table for a notebook or a book page, with its data twin.

    ``frame`` is the table as shown: printed strings, readable headers. ``data`` is the same
    table as tidy data — counts, shares and bounds as numbers, printed strings in columns of
    their own — and becomes the table's CSV download; without it the shown table is its own
    twin.
    """

    def __init__(self, frame: pd.DataFrame, data: pd.DataFrame | None = None, css_class: str = "compendium-table"):
        self.frame = frame.reset_index(drop=True)
        self.data = self.frame if data is None else data.reset_index(drop=True)
        self.css_class = css_class

    def cells(self) -> dict:
        """The shown table as ``{"columns": [...], "rows": [{column: cell, ...}, ...]}``, every cell a string."""
        columns = [str(c) for c in self.frame.columns]
        return {"columns": columns,
                "rows": [dict(zip(columns, map(_cell, row))) for row in self.frame.itertuples(index=False)]}

    def _repr_html_(self) -> str:
        table = self.cells()
        head = "".join(f"<th>{for_html(c)}</th>" for c in table["columns"])
        body = "".join("<tr>" + "".join(f"<td>{for_html(v)}</td>" for v in row.values()) + "</tr>"
                       for row in table["rows"])
        return (f'<table class="{self.css_class}"><thead><tr>{head}</tr></thead>'
                f"<tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """HTML for Jupyter, cells for the book, plain text for terminals, CSV of the data twin for download."""
        return {"text/html": self._repr_html_(), TABLE_MIME: self.cells(), "text/plain": repr(self),
                "text/csv": self.data.to_csv(index=False)}


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


def article_table_data(findings: pd.DataFrame, table: int, sample_size: int) -> pd.DataFrame:
    """Table ``table`` as tidy data: one row per printed row, the printed cells beside their
    normalised levels, the count and its share of the sample as numbers."""
    rows = findings[findings["table"] == table].sort_values("row")
    columns = ["table", "row", "key", "label", "rating_printed", "rating_level", "direction", "agreement_level",
               "count_printed", "n_sources"]
    return rows[columns].assign(sample_size=sample_size, share=rows["n_sources"].astype(int) / sample_size)


def printed_table(findings: pd.DataFrame, tables: pd.DataFrame, table: int, sample_size: int) -> PublishedTable:
    """Table ``table`` of the article as printed, with its tidy data twin."""
    return PublishedTable(article_table(findings, tables, table), data=article_table_data(findings, table, sample_size))
