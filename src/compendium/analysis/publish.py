"""The article's tables as published: each as printed, with its tidy data twin (``PublishedTable``,
the book's table format, is re-exported for the notebooks)."""
from __future__ import annotations

import pandas as pd

from compendium.book.tables import PublishedTable

__all__ = ["PublishedTable", "article_table", "article_table_data", "header", "printed_table"]


def header(column: str) -> str:
    """A snake_case column name as a table header: 'source_kind' -> 'Source kind'."""
    return column.replace("_", " ").capitalize()


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
