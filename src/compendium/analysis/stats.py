"""Pure functions on the tidy findings: summaries, Wilson intervals and paired comparisons.

On the compendium's reading, the rows of one table are counted over the same documents, and
one document may support several rows, so two counts of a table are paired, not independent. ``paired_bounds``
bounds the exact McNemar test over every overlap the published counts allow.
"""
from __future__ import annotations

import math

import pandas as pd

from compendium.analysis.phrasing import against, join_labels
from compendium.analysis.phrasing import level as confidence_level

DIFFERENT = "shown different at α whatever the overlap"
NOT_SHOWN = "not shown different at α whatever the overlap"
UNDECIDED = "undecided by what the article publishes"


def rating_scale(rows: pd.DataFrame) -> str:
    """The normalised ordinal column that carries the rating of one table's rows:
    ``direction`` (Table 3) or ``rating_level`` (Tables 1-2)."""
    return "direction" if rows["direction"].notna().any() else "rating_level"


def table_summary(rows: pd.DataFrame, sample_size: int) -> dict:
    """What one table's rows say in numbers: most and least supported rows, shares, total.

    ``rows`` are the findings of one table; ties are listed together. Values are plain
    Python ints, floats and strings, ready to glue.
    """
    counts = rows["n_sources"].astype(int)
    top, bottom = int(counts.max()), int(counts.min())
    rating = rating_scale(rows)
    best = rows[rating].max()
    return {
        "rows": int(len(rows)),
        "top_label": join_labels(rows.loc[counts == top, "label"]),
        "top_n": top,
        "top_share": top / sample_size,
        "bottom_label": join_labels(rows.loc[counts == bottom, "label"]),
        "bottom_n": bottom,
        "bottom_share": bottom / sample_size,
        "total": int(counts.sum()),
        "total_against_sample": against(int(counts.sum()), sample_size),
        "best_rated_label": join_labels(rows.loc[rows[rating] == best, "label"]),
        "best_rating": str(rows.loc[rows[rating] == best, "rating_printed"].iloc[0]),
    }


def wilson_intervals(rows: pd.DataFrame, sample_size: int, confidence: float) -> pd.DataFrame:
    """Wilson score interval for the share of the sample behind each row ("k of n documents").

    One row per finding: table, row, key, label, count, n, share, lower and upper bound.
    Computed with statsmodels; assumes the documents are independent draws from a wider
    population of eligible documents and that n is the stated sample size.
    """
    from statsmodels.stats.proportion import proportion_confint

    counts = rows["n_sources"].astype(int).to_numpy()
    lower, upper = exact_ends(counts, sample_size,
                              *proportion_confint(counts, sample_size, alpha=1 - confidence, method="wilson"))
    frame = pd.DataFrame({
        "table": rows["table"].astype(int).to_numpy(), "row": rows["row"].astype(int).to_numpy(),
        "key": rows["key"].to_numpy(), "label": rows["label"].to_numpy(), "n_sources": counts,
        "n": sample_size, "share": counts / sample_size, "lower": lower, "upper": upper,
    })
    frame.attrs["confidence"] = confidence
    return frame


def wilson_parts(k: int, n: int, confidence: float) -> dict:
    """The Wilson score interval of ``k`` of ``n`` written out term by term, for a worked example.

    Returns the share, the normal quantile z, the centre, the half-width and the bounds of
    (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n).
    """
    from scipy.stats import norm

    p = k / n
    z = float(norm.ppf(1 - (1 - confidence) / 2))
    denominator = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    lower, upper = exact_ends(k, n, centre - half, centre + half)
    return {"k": k, "n": n, "share": p, "z": z, "centre": centre, "half_width": half,
            "lower": float(lower), "upper": float(upper)}


def exact_ends(k, n: int, lower, upper):
    """Wilson bounds as they are in exact arithmetic: within [0, 1], exactly 0 below a count of 0
    and exactly 1 above a count of ``n`` (floating point leaves 6.9e-18 and 0.9999999999999999)."""
    import numpy as np

    k = np.asarray(k)
    return (np.where(k == 0, 0.0, np.clip(lower, 0.0, 1.0)), np.where(k == n, 1.0, np.clip(upper, 0.0, 1.0)))


def interval_table(intervals: pd.DataFrame) -> pd.DataFrame:
    """The intervals as a publishable table: counts, shares and bounds as rounded percentages."""
    level = confidence_level(intervals.attrs["confidence"])
    return pd.DataFrame({
        "Table": intervals["table"], "Row": intervals["label"], "Sources": intervals["n_sources"],
        "Share": intervals["share"].map("{:.0%}".format),
        f"{level} interval": [f"{lo:.0%}–{hi:.0%}"
                              for lo, hi in zip(intervals["lower"], intervals["upper"], strict=True)],
    })


def mcnemar_p(a: int, b: int, both: int, n: int) -> float:
    """Exact McNemar p-value (two-sided, statsmodels) for two rows supported by ``a`` and ``b``
    of ``n`` documents, ``both`` of which support both rows."""
    from statsmodels.stats.contingency_tables import mcnemar

    table = [[both, a - both], [b - both, n - a - b + both]]
    return float(mcnemar(table, exact=True).pvalue)


def paired_bounds(a: int, b: int, n: int, alpha: float) -> dict:
    """The exact McNemar test of two counts of one table, over every overlap the marginals allow.

    The number of documents supporting both rows is not published; it can be anything from
    max(0, a+b−n) to min(a, b). Returns that range, the smallest and largest p-value over
    it (and an overlap where each is reached), and the verdict: DIFFERENT when even the
    largest p is below ``alpha``, NOT_SHOWN when even the smallest is not, else UNDECIDED.
    """
    overlaps = range(max(0, a + b - n), min(a, b) + 1)
    p = {k: mcnemar_p(a, b, k, n) for k in overlaps}
    low, high = min(p, key=p.get), max(p, key=p.get)
    verdict = DIFFERENT if p[high] < alpha else NOT_SHOWN if p[low] >= alpha else UNDECIDED
    return {"overlap_min": overlaps.start, "overlap_max": overlaps.stop - 1, "p_min": p[low], "p_max": p[high],
            "overlap_at_p_min": low, "overlap_at_p_max": high, "verdict": verdict}


def ranked_pairs(rows: pd.DataFrame, sample_size: int, alpha: float) -> pd.DataFrame:
    """Per table, each pair of rows adjacent in the ranking by count, and the top against the
    bottom row, with the paired bounds of ``paired_bounds``.

    One row per comparison: table, kind ("adjacent" or "top vs bottom"), the higher-ranked
    (``first``) and lower-ranked (``second``) label and count, the feasible overlap, the
    p-value bounds and the verdict.
    Ties in count keep the printed order.
    """
    found = []
    for table, part in rows.groupby("table", sort=True):
        ranked = part.sort_values(["n_sources", "row"], ascending=[False, True]).reset_index(drop=True)
        pairs = [("adjacent", i, i + 1) for i in range(len(ranked) - 1)]
        if len(ranked) > 2:
            pairs.append(("top vs bottom", 0, len(ranked) - 1))
        for kind, i, j in pairs:
            high, low = ranked.iloc[i], ranked.iloc[j]
            bounds = paired_bounds(int(high["n_sources"]), int(low["n_sources"]), sample_size, alpha)
            found.append({"table": int(table), "kind": kind, "first": high["label"], "second": low["label"],
                          "first_n": int(high["n_sources"]), "second_n": int(low["n_sources"]), **bounds})
    frame = pd.DataFrame(found)
    frame.attrs["alpha"] = alpha
    return frame


def pair_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """Paired comparisons (``ranked_pairs`` or any frame with ``first``, ``second``, their
    counts and ``paired_bounds`` columns) as a publishable table: counts, feasible overlap,
    p-values to three decimals, verdict; with table and kind when ``pairs`` has them."""
    where = {"Table": pairs["table"], "Comparison": pairs["kind"]} if "kind" in pairs else {}
    return pd.DataFrame({
        **where,
        "Rows": pairs["first"] + " vs " + pairs["second"],
        "Counts": pairs["first_n"].astype(str) + " vs " + pairs["second_n"].astype(str),
        "Documents in both (feasible)": pairs["overlap_min"].astype(str) + "–" + pairs["overlap_max"].astype(str),
        "p, smallest": pairs["p_min"].map("{:.3f}".format), "p, largest": pairs["p_max"].map("{:.3f}".format),
        "Verdict": pairs["verdict"],
    })


VERDICT_NAMES = {DIFFERENT: "different", UNDECIDED: "undecided", NOT_SHOWN: "not_shown"}


def verdict_counts(pairs: pd.DataFrame) -> dict:
    """How many comparisons fall under each verdict: ``{"different": .., "undecided": .., "not_shown": ..}``."""
    return {name: int((pairs["verdict"] == verdict).sum()) for verdict, name in VERDICT_NAMES.items()}


def pair_summary(pairs: pd.DataFrame) -> dict:
    """``verdict_counts`` of the comparisons of ``ranked_pairs``: overall, per kind and per table."""
    out = {"comparisons": int(len(pairs)), **verdict_counts(pairs)}
    for prefix, part in (("adjacent", pairs[pairs["kind"] == "adjacent"]),
                         ("extremes", pairs[pairs["kind"] == "top vs bottom"]),
                         *((f"t{table}", pairs[pairs["table"] == table]) for table in sorted(pairs["table"].unique()))):
        out[prefix] = int(len(part))
        out.update({f"{prefix}_{name}": count for name, count in verdict_counts(part).items()})
    return out
