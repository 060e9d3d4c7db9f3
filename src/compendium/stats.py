"""Pure functions on the tidy findings: summaries the chapters state in words."""
from __future__ import annotations

import pandas as pd


def join_labels(labels: list[str]) -> str:
    """Labels as an English list: 'A', 'A and B', 'A, B and C'."""
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def compare(value: int, reference: int) -> str:
    """'more than', 'fewer than' or 'exactly' — how ``value`` stands to ``reference``."""
    return "more than" if value > reference else "fewer than" if value < reference else "exactly"


def table_summary(rows: pd.DataFrame, sample_size: int) -> dict:
    """What one table's rows say in numbers: most and least supported rows, shares, total.

    ``rows`` are the findings of one table; ties are listed together. Values are plain
    Python ints, floats and strings, ready to glue.
    """
    counts = rows["n_sources"].astype(int)
    top, bottom = int(counts.max()), int(counts.min())
    total = int(counts.sum())
    rating = "direction" if rows["direction"].notna().any() else "rating_level"
    best = rows[rating].max()
    return {
        "rows": int(len(rows)),
        "top_label": join_labels(rows.loc[counts == top, "label"]),
        "top_n": top,
        "top_share": top / sample_size,
        "bottom_label": join_labels(rows.loc[counts == bottom, "label"]),
        "bottom_n": bottom,
        "bottom_share": bottom / sample_size,
        "total": total,
        "total_vs_sample": compare(total, sample_size),
        "best_rated_label": join_labels(rows.loc[rows[rating] == best, "label"]),
        "best_rating": str(rows.loc[rows[rating] == best, "rating_printed"].iloc[0]),
    }
