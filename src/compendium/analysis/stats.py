"""Pure functions on the tidy findings: summaries the chapters state in words."""
from __future__ import annotations

import pandas as pd


def join_labels(labels: list[str]) -> str:
    """Labels as an English list: 'A', 'A and B', 'A, B and C'."""
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def rating_column(rows: pd.DataFrame) -> str:
    """The normalised ordinal column that carries the rating of one table's rows."""
    return "direction" if rows["direction"].notna().any() else "rating_level"


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
    rating = rating_column(rows)
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


def wilson_intervals(rows: pd.DataFrame, sample_size: int, confidence: float) -> pd.DataFrame:
    """Wilson score interval for the share of the sample behind each row ("k of n documents").

    One row per finding: table, row, label, count, sample size ``n``, share, lower and upper
    bound. Computed with statsmodels; assumes the documents are independent draws and n is
    the stated size.
    """
    from statsmodels.stats.proportion import proportion_confint

    counts = rows["n_sources"].astype(int).to_numpy()
    lower, upper = proportion_confint(counts, sample_size, alpha=1 - confidence, method="wilson")
    frame = pd.DataFrame({
        "table": rows["table"].astype(int).to_numpy(), "row": rows["row"].astype(int).to_numpy(),
        "label": rows["label"].to_numpy(), "n_sources": counts, "n": sample_size, "share": counts / sample_size,
        "lower": lower, "upper": upper,
    })
    frame.attrs["confidence"] = confidence
    return frame


def interval_table(intervals: pd.DataFrame) -> pd.DataFrame:
    """The intervals as a publishable table: counts, shares and bounds as rounded percentages."""
    level = f"{intervals.attrs['confidence']:.0%}"
    return pd.DataFrame({
        "Table": intervals["table"], "Row": intervals["label"], "Sources": intervals["n_sources"],
        "Share": intervals["share"].map("{:.0%}".format),
        f"{level} interval": [f"{lo:.0%}–{hi:.0%}" for lo, hi in zip(intervals["lower"], intervals["upper"])],
    })


def adjacent_ranks(intervals: pd.DataFrame) -> pd.DataFrame:
    """Within each table, each pair of rows adjacent in the ranking by count, and whether the
    data can tell them apart (their intervals do not overlap).

    One row per adjacent pair: table, higher- and lower-ranked label, their counts, overlap.
    Overlapping intervals are a conservative screen, not a formal test of the difference.
    """
    pairs = []
    for table, part in intervals.groupby("table", sort=True):
        ranked = part.sort_values(["n_sources", "row"], ascending=[False, True]).reset_index(drop=True)
        for high, low in zip(ranked.iloc[:-1].itertuples(), ranked.iloc[1:].itertuples()):
            pairs.append({"table": int(table), "higher": high.label, "lower": low.label,
                          "higher_n": int(high.n_sources), "lower_n": int(low.n_sources),
                          "overlap": bool(low.upper >= high.lower)})
    return pd.DataFrame(pairs)


def extremes_overlap(intervals: pd.DataFrame) -> dict:
    """Per table, whether the most and the least supported rows have overlapping intervals."""
    out = {}
    for table, part in intervals.groupby("table"):
        top, bottom = part.loc[part["n_sources"].idxmax()], part.loc[part["n_sources"].idxmin()]
        out[f"t{table}_extremes_overlap"] = bool(bottom["upper"] >= top["lower"])
    out["tables_with_extremes_overlapping"] = sum(out.values())
    return out


def distinguishable_summary(pairs: pd.DataFrame) -> dict:
    """Per table, how many adjacent rank orders the intervals separate, as plain numbers."""
    out = {}
    for table, part in pairs.groupby("table"):
        out[f"t{table}_pairs"] = int(len(part))
        out[f"t{table}_overlapping"] = int(part["overlap"].sum())
    out["pairs"] = int(len(pairs))
    out["overlapping"] = int(pairs["overlap"].sum())
    out["separated"] = out["pairs"] - out["overlapping"]
    return out
