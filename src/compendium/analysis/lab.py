"""The coding lab: codings of documents x indicators -> counts, agreement, consensus.

Pure functions on the long table of codings (``codings.load_codings``: one row per coder
and unit, ``present`` 0 or 1). A unit is one document x one indicator. Agreement is
Krippendorff's alpha for nominal data (the ``krippendorff`` package) with a bootstrap over
documents, and Cohen's kappa per pair of coders who coded units in common (statsmodels).
The consensus of a unit is the majority of the coders who coded it; a unit coded by one
coder takes that coder's code and is counted as such.
"""
from __future__ import annotations

import itertools
import re
import warnings

import krippendorff
import numpy as np
import pandas as pd

from compendium.analysis.phrasing import level as confidence_level
from compendium.analysis.stats import wilson_intervals
from compendium.analysis.synthesis import distinct_works, work_label

VALUES = [0, 1]
UNDEFINED = "undefined (one value only)"
UNPAIRED = "undefined (no unit coded twice)"
RELIABLE, TENTATIVE = 0.800, 0.667  # Krippendorff (2004): rely on data from 0.800; tentative conclusions from 0.667


def units_matrix(codings: pd.DataFrame) -> pd.DataFrame:
    """Coders (rows) by units (columns: document, indicator): 0, 1, or NaN where a coder left a unit uncoded."""
    return codings.pivot(index="coder", columns=["document", "indicator"], values="present").astype(float)


def _value_counts(matrix: pd.DataFrame) -> np.ndarray:
    """Units by values: how many coders gave each unit 0 and 1."""
    values = matrix.to_numpy()
    return np.stack([(values == v).sum(axis=0) for v in VALUES], axis=1)


def _pairable(value_counts: np.ndarray) -> np.ndarray:
    """The rows of a units-by-values count matrix that hold two or more codes (the only ones alpha uses)."""
    return value_counts[value_counts.sum(axis=1) >= 2]


def _alpha(value_counts: np.ndarray) -> float:
    """Nominal alpha of a units-by-values count matrix; NaN when undefined: no unit coded twice, or
    no variation at all."""
    pairable = _pairable(value_counts)
    if len(pairable) == 0:
        return float("nan")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0/0 when every code is the same value
        return float(krippendorff.alpha(value_counts=pairable, value_domain=VALUES,
                                         level_of_measurement="nominal"))


def alpha(codings: pd.DataFrame) -> float:
    """Krippendorff's alpha (nominal) over every unit; NaN when no unit was coded by two coders or
    all codes are the same value."""
    return _alpha(_value_counts(units_matrix(codings)))


def bootstrap_alpha(codings: pd.DataFrame, resamples: int, confidence: float, seed: int) -> dict:
    """Percentile bootstrap interval of alpha that resamples documents, each with all its units.

    The codes of one document hang together (the same coder read the same text for every
    indicator), so the document, not the unit, is drawn: a resample is as many documents as
    were coded by two or more coders, drawn with replacement, each bringing the value counts
    of all its units coded twice or more. Returns ``lower``, ``upper``, ``documents`` (the
    documents resampled) and ``undefined`` (resamples in which alpha has no value, for
    instance because every code drawn is the same). When any resample is undefined there is
    no interval (``lower`` and ``upper`` are NaN): percentiles of the other resamples would
    describe alpha only where it happens to be defined, not at the stated level.
    """
    matrix = units_matrix(codings)
    counts = _value_counts(matrix)
    keep = counts.sum(axis=1) >= 2
    documents = matrix.columns.get_level_values("document")[keep]
    blocks = [counts[keep][documents == document] for document in sorted(set(documents))]
    rng = np.random.default_rng(seed)
    draws = np.array([_alpha(np.concatenate([blocks[i] for i in rng.integers(0, len(blocks), len(blocks))]))
                      for _ in range(resamples)]) if blocks else np.full(resamples, np.nan)
    undefined = int(np.isnan(draws).sum())
    tail = (1 - confidence) / 2 * 100
    lower, upper = np.percentile(draws, [tail, 100 - tail]) if undefined == 0 else (np.nan, np.nan)
    return {"lower": float(lower), "upper": float(upper), "documents": len(blocks), "undefined": undefined}


def interval_text(interval: dict, confidence: float, resamples: int) -> str:
    """The bootstrap interval of ``bootstrap_alpha`` as a phrase: 'a 95% bootstrap interval from 0.462
    to 0.662', or why there is none."""
    if interval["documents"] == 0:
        return "no bootstrap interval, because no document was coded by two coders"
    if interval["undefined"]:
        return (f"no bootstrap interval, because alpha is undefined in {interval['undefined']} of {resamples} "
                f"resamples of the documents, and the others alone would not make a {confidence_level(confidence)} "
                "interval")
    return (f"a {confidence_level(confidence)} bootstrap interval from {alpha_text(interval['lower'])} to "
            f"{alpha_text(interval['upper'])}")


def indicator_agreement(codings: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator in the article's order: documents coded by two or more coders, how
    many of them all coders agree on, and alpha over that indicator's units (NaN when undefined)."""
    matrix = units_matrix(codings)
    rows = []
    for finding in findings.itertuples():
        part = matrix.loc[:, matrix.columns.get_level_values("indicator") == finding.key]
        pairable = _pairable(_value_counts(part))
        rows.append({"table": int(finding.table), "row": int(finding.row), "indicator": finding.key,
                     "label": finding.label, "units": len(pairable),
                     "unanimous": int((pairable.max(axis=1) == pairable.sum(axis=1)).sum()),
                     "alpha": _alpha(pairable)})
    frame = pd.DataFrame(rows)
    frame["agreement"] = frame["unanimous"] / frame["units"].where(frame["units"] > 0)
    return frame


def cohens_kappa(first: pd.Series, second: pd.Series) -> float:
    """Cohen's kappa of two coders' 0/1 codes of the same units (statsmodels); NaN when undefined."""
    from statsmodels.stats.inter_rater import cohens_kappa as kappa

    table = pd.crosstab(pd.Categorical(first, VALUES), pd.Categorical(second, VALUES), dropna=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0/0 when both coders used one value only
        return float(kappa(table.to_numpy(), return_results=False))


def _pairs(matrix: pd.DataFrame):
    """Every pair of coders (in name order) with the units both coded: (first, second, their codes)."""
    for a, b in itertools.combinations(matrix.index, 2):
        yield a, b, matrix.loc[[a, b]].dropna(axis=1)


def pairwise_kappa(codings: pd.DataFrame) -> pd.DataFrame:
    """One row per pair of coders who coded at least one unit in common: units both coded, how
    many they agree on, the cells of their 2 x 2 table (both coded 1, only the first, only the
    second), the agreement expected by chance from each coder's own shares, and Cohen's kappa
    beside the pair's own alpha. Pairs without a unit in common have no kappa and no row
    (``unshared_pairs`` names them)."""
    rows = []
    for a, b, both in _pairs(units_matrix(codings)):
        if both.shape[1] == 0:
            continue
        rows.append({"coder_1": a, "coder_2": b, "units": both.shape[1],
                     "agree": int((both.loc[a] == both.loc[b]).sum()),
                     "both_1": int(((both.loc[a] == 1) & (both.loc[b] == 1)).sum()),
                     "only_1": int(((both.loc[a] == 1) & (both.loc[b] == 0)).sum()),
                     "only_2": int(((both.loc[a] == 0) & (both.loc[b] == 1)).sum()),
                     "kappa": cohens_kappa(both.loc[a].astype(int), both.loc[b].astype(int)),
                     "alpha": _alpha(_value_counts(both))})
    frame = pd.DataFrame(rows, columns=["coder_1", "coder_2", "units", "agree", "both_1", "only_1", "only_2",
                                        "kappa", "alpha"])
    frame["agreement"] = frame["agree"] / frame["units"]
    first, second = frame["both_1"] + frame["only_1"], frame["both_1"] + frame["only_2"]
    frame["chance"] = (first * second + (frame["units"] - first) * (frame["units"] - second)) / frame["units"] ** 2
    return frame


def unshared_pairs(codings: pd.DataFrame) -> list[tuple[str, str]]:
    """The pairs of coders who coded no unit in common (e.g. members of different pairs of a
    class whose folders were pooled): they have no kappa."""
    return [(a, b) for a, b, both in _pairs(units_matrix(codings)) if both.shape[1] == 0]


def consensus(codings: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: coders who coded it, how many coded 1, and the majority code.

    ``consensus`` is 1 when more than half of the unit's coders coded 1, 0 when more than
    half coded 0, and missing for a tie (``tie`` is then True). A unit coded by one coder
    takes that coder's code (``coders`` is then 1): one reading, not an agreement, which the
    consensus tables count apart.
    """
    grouped = codings.groupby(["document", "indicator"], sort=True)["present"]
    frame = pd.DataFrame({"coders": grouped.size(), "present": grouped.sum()}).reset_index()
    frame["tie"] = frame["present"] * 2 == frame["coders"]
    frame["consensus"] = (frame["present"] * 2 > frame["coders"]).astype("Int64").mask(frame["tie"])
    return frame


def ties(codings: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The tied units of ``consensus(codings)``, each with every coder's code (blank: not coded)."""
    tied = units.loc[units["tie"], ["document", "indicator"]]
    codes = codings.pivot(index=["document", "indicator"], columns="coder", values="present")
    codes = codes.astype("Int64").astype("string").fillna("")
    return tied.merge(codes.reset_index(), on=["document", "indicator"], how="left").reset_index(drop=True)


def coder_shares(codings: pd.DataFrame) -> pd.DataFrame:
    """One row per coder and indicator: documents coded, documents coded 1, and their share."""
    grouped = codings.groupby(["coder", "indicator"])["present"]
    frame = pd.DataFrame({"coded": grouped.size(), "present": grouped.sum()}).reset_index()
    frame["share"] = frame["present"] / frame["coded"]
    return frame


def consensus_shares(units: pd.DataFrame, findings: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """One row per indicator in the article's order: documents with a code (ties left out), of
    them those coded by one coder only, how many are coded 1, the share and its Wilson interval
    (``stats.wilson_intervals``, which treats the documents as independent random draws).

    An indicator without any decided document gets no row.
    """
    decided = units[~units["tie"]].assign(single=lambda frame: frame["coders"] == 1)
    per = decided.groupby("indicator").agg(decided=("consensus", "size"), n_sources=("consensus", "sum"),
                                           single=("single", "sum"))
    rows = findings.drop(columns="n_sources").merge(per, left_on="key", right_index=True, how="inner")
    intervals = wilson_intervals(rows, rows["decided"].astype(int).to_numpy(), confidence)
    return intervals.assign(indicator=rows["key"].to_numpy(), decided=rows["decided"].astype(int).to_numpy(),
                            single=rows["single"].astype(int).to_numpy())


def documents(references: pd.DataFrame) -> pd.DataFrame:
    """The documents a class may code: one row per distinct work of the reference list (a work
    listed twice appears once, under its first key) with its key, author-year label, entry type,
    and whether its title names Pakistan (its full reference is in the bibliography)."""
    works = distinct_works(references)
    return pd.DataFrame({"document": works["key"].to_numpy(), "work": work_label(works).to_numpy(),
                         "entry_type": works["entry_type"].to_numpy(),
                         "title_names_pakistan": np.where(works["title"].str.contains("Pakistan"), "yes", "")})


def rules_table(findings: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """The coding rules, one row per indicator in the article's order; indicator keys named in a
    rule are shown as their labels in quotes."""
    merged = findings.merge(rules, left_on="key", right_on="indicator", how="left", validate="one_to_one")
    label_of = dict(zip(findings["key"], findings["label"], strict=True))
    pattern = "|".join(sorted(map(re.escape, label_of), key=len, reverse=True))

    def named(text: str) -> str:
        return re.sub(rf"\b({pattern})\b", lambda m: f"“{label_of[m.group(1)]}”", text)

    return pd.DataFrame({
        "Table": merged["table"].astype(int), "Indicator": merged["label"],
        "Code 1 when": merged["present_if"].map(named), "Not this indicator": merged["not_this"].map(named),
    })


def coding_sheet(findings: pd.DataFrame) -> pd.DataFrame:
    """The printable coding sheet for one document: one row per indicator in the article's order
    with its label and key, and blank cells for the code (0 or 1) and a note."""
    return pd.DataFrame({"Table": findings["table"].astype(int).to_numpy(), "Indicator": findings["label"].to_numpy(),
                         "Key (for the CSV file)": findings["key"].to_numpy(), "Code (0/1)": "", "Note": ""})


def _count(present: int, coded: int) -> str:
    return f"{present}/{coded} ({present / coded:.0%})"


def beside_article(findings: pd.DataFrame, tables: pd.DataFrame, shares: pd.DataFrame,
                   agreed: pd.DataFrame, sample_size: int, table: int) -> pd.DataFrame:
    """Table ``table`` laid out as printed, with the article's count and share beside each coder's
    count and the consensus count ("k/n (share)"; blank where nobody coded the indicator)."""
    meta = tables.set_index("table").loc[table]
    rows = findings[findings["table"] == table].sort_values("row")
    frame = pd.DataFrame({
        meta["label_column"]: rows["label"].to_numpy(),
        f"Article: {meta['count_column']}": rows["count_printed"].to_numpy(),
        "Article share": (rows["n_sources"].astype(int) / sample_size).map("{:.0%}".format).to_numpy(),
    })
    for coder, part in shares.groupby("coder", sort=True):
        cells = {r.indicator: _count(r.present, r.coded) for r in part.itertuples()}
        frame[str(coder)] = [cells.get(key, "") for key in rows["key"]]
    cells = {r.indicator: _count(r.n_sources, r.decided) for r in agreed.itertuples()}
    frame["Consensus"] = [cells.get(key, "") for key in rows["key"]]
    return frame


def beside_article_data(findings: pd.DataFrame, shares: pd.DataFrame, agreed: pd.DataFrame, sample_size: int,
                        table: int) -> pd.DataFrame:
    """``beside_article`` as data, one row per indicator and source (the article, each coder, the
    consensus): documents coded 1, documents coded, and the share, each a number."""
    rows = findings[findings["table"] == table].sort_values("row")
    article = pd.DataFrame({"indicator": rows["key"], "source": "article", "coded_1": rows["n_sources"].astype(int),
                            "coded": sample_size})
    coders = shares.rename(columns={"coder": "source", "present": "coded_1"})[["indicator", "source", "coded_1",
                                                                              "coded"]]
    consensus = agreed.assign(source="consensus").rename(columns={"n_sources": "coded_1", "decided": "coded"})
    frame = pd.concat([article, coders.astype({"source": str}).sort_values("source"),
                       consensus[["indicator", "source", "coded_1", "coded"]]])
    frame = rows[["table", "row", "key", "label"]].merge(frame, left_on="key", right_on="indicator")
    frame = frame.astype({"table": int, "row": int, "coded_1": int, "coded": int})
    return frame.assign(share=frame["coded_1"] / frame["coded"]).drop(columns="key")[
        ["table", "row", "indicator", "label", "source", "coded_1", "coded", "share"]]


def share_comparison(findings: pd.DataFrame, agreed: pd.DataFrame, sample_size: int) -> pd.DataFrame:
    """One row per indicator with a consensus: the article's share of its sample beside the
    consensus share and its Wilson interval."""
    article = findings.assign(article_share=findings["n_sources"].astype(int) / sample_size)
    return article[["table", "row", "key", "label", "article_share"]].merge(
        agreed[["indicator", "share", "lower", "upper", "decided"]], left_on="key", right_on="indicator")


def alpha_text(value: float, units: int | None = None) -> str:
    """An alpha or kappa printed to three decimals, or why it has no value (``units``: the units
    coded twice or more, when known)."""
    if not np.isnan(value):
        return f"{value:.3f}"
    return UNPAIRED if units == 0 else UNDEFINED


def alpha_reading(value: float, units: int | None = None) -> str:
    """What an alpha value allows by Krippendorff's (2004) conventions, as a phrase (``units``:
    the units coded twice or more, when known)."""
    if np.isnan(value):
        if units == 0:
            return "undefined, because no unit was coded by two coders"
        return "undefined, because every code is the same value"
    if value >= RELIABLE:
        return f"at or above {RELIABLE:.3f}, high enough to rely on the codings"
    if value >= TENTATIVE:
        return f"between {TENTATIVE:.3f} and {RELIABLE:.3f}, enough only for tentative conclusions"
    return f"below {TENTATIVE:.3f}, too low to draw conclusions from the codings"


def interval_reading(lower: float, upper: float) -> str:
    """Where a bootstrap interval of alpha lies against Krippendorff's two levels, as a clause."""
    if np.isnan(lower):
        return "without an interval, these codings cannot show how far that reading could move"
    crossed = [f"{level:.3f}" for level in (TENTATIVE, RELIABLE) if lower < level <= upper]
    if not crossed:
        return "the whole interval lies within that band"
    which = "that level" if len(crossed) == 1 else "those levels"
    return (f"but the interval reaches across {' and '.join(crossed)}, so these codings cannot tell on which "
            f"side of {which} the coders' agreement lies")


def labelled(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """``frame`` with a first column ``Codings`` naming the codings it comes from (e.g. SYNTHETIC)."""
    out = frame.reset_index(drop=True)
    out.insert(0, "Codings", label)
    return out


def _percent(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.0%}"


def agreement_summary(codings: pd.DataFrame, value: float, interval: dict, confidence: float,
                      resamples: int) -> pd.DataFrame:
    """The headline agreement as a two-column table: alpha to three decimals, its bootstrap
    interval over documents (or 'none' with the reason), and what it was computed from."""
    coders = _value_counts(units_matrix(codings)).sum(axis=1)
    interval_value = (f"{alpha_text(interval['lower'])} to {alpha_text(interval['upper'])}"
                      if not np.isnan(interval["lower"]) else
                      f"none: alpha undefined in {interval['undefined']} of {resamples} resamples"
                      if interval["documents"] else alpha_text(value, int((coders >= 2).sum())))
    return pd.DataFrame({"Measure": [
        "Krippendorff's alpha (nominal)",
        f"{confidence_level(confidence)} bootstrap interval ({resamples} resamples of the documents coded twice "
        "or more)",
        "Resamples in which alpha is undefined",
        "Coders", "Documents coded by two or more coders", "Units coded by two or more coders",
        "Units coded by one coder only", "Pairs of coders with no unit in common (no kappa)", "Codes given",
    ], "Value": [
        alpha_text(value, int((coders >= 2).sum())), interval_value, str(interval["undefined"]),
        str(codings["coder"].nunique()), str(interval["documents"]), str(int((coders >= 2).sum())),
        str(int((coders == 1).sum())), str(len(unshared_pairs(codings))), str(len(codings)),
    ]})


def agreement_data(codings: pd.DataFrame, value: float, interval: dict, confidence: float,
                   resamples: int) -> pd.DataFrame:
    """``agreement_summary`` as data: alpha with the bounds of its bootstrap interval (blank when
    there is none), the level and the resamples, then one row per count, each a number."""
    coders = _value_counts(units_matrix(codings)).sum(axis=1)
    counts = {"resamples_alpha_undefined": interval["undefined"], "coders": codings["coder"].nunique(),
              "documents_coded_twice_or_more": interval["documents"], "units_coded_twice_or_more": (coders >= 2).sum(),
              "units_coded_once": (coders == 1).sum(), "pairs_without_common_unit": len(unshared_pairs(codings)),
              "codes": len(codings)}
    rows = [{"measure": "krippendorff_alpha_nominal", "value": value, "lower": interval["lower"],
             "upper": interval["upper"], "confidence": confidence, "resamples": resamples},
            *({"measure": name, "count": int(count)} for name, count in counts.items())]
    frame = pd.DataFrame(rows, columns=["measure", "value", "count", "lower", "upper", "confidence", "resamples"])
    return frame.astype({"count": "Int64", "resamples": "Int64"})


def indicator_table(agreement: pd.DataFrame) -> pd.DataFrame:
    """``indicator_agreement`` as a publishable table: alpha to three decimals, agreement in per cent."""
    return pd.DataFrame({
        "Table": agreement["table"], "Indicator": agreement["label"],
        "Documents coded by two or more": agreement["units"], "All coders agree": agreement["unanimous"],
        "Agreement": agreement["agreement"].map(_percent),
        "Alpha": [alpha_text(value, units)
                  for value, units in zip(agreement["alpha"], agreement["units"], strict=True)],
    })


def kappa_table(pairs: pd.DataFrame) -> pd.DataFrame:
    """``pairwise_kappa`` as a publishable table: kappa to three decimals, agreement in per cent."""
    return pd.DataFrame({
        "Coders": pairs["coder_1"] + " and " + pairs["coder_2"], "Units both coded": pairs["units"],
        "Agree": pairs["agree"], "Agreement": pairs["agreement"].map(_percent),
        "Expected by chance": pairs["chance"].map(_percent), "Cohen's kappa": pairs["kappa"].map(alpha_text),
        "Alpha of the pair": pairs["alpha"].map(alpha_text),
    })


def consensus_data(agreed: pd.DataFrame) -> pd.DataFrame:
    """``consensus_shares`` as data: counts, the share and the bounds of its interval as numbers."""
    return pd.DataFrame({
        "table": agreed["table"].astype(int), "row": agreed["row"].astype(int), "indicator": agreed["indicator"],
        "label": agreed["label"], "decided": agreed["decided"], "single_coder": agreed["single"],
        "coded_1": agreed["n_sources"].astype(int), "share": agreed["share"], "lower": agreed["lower"],
        "upper": agreed["upper"], "confidence": agreed.attrs["confidence"]})


def consensus_table(agreed: pd.DataFrame) -> pd.DataFrame:
    """``consensus_shares`` as a publishable table: documents decided, those resting on one coder,
    documents coded 1, share and Wilson interval in per cent."""
    level = confidence_level(agreed.attrs["confidence"])
    return pd.DataFrame({
        "Table": agreed["table"], "Indicator": agreed["label"], "Documents decided (ties left out)": agreed["decided"],
        "Of them coded by one coder only": agreed["single"], "Coded 1": agreed["n_sources"],
        "Share": agreed["share"].map(_percent),
        f"{level} Wilson interval": [f"{lo:.0%}–{hi:.0%}"
                                     for lo, hi in zip(agreed["lower"], agreed["upper"], strict=True)],
    })


def pair_facts(pairs: pd.DataFrame, index: int = 0) -> dict:
    """One row of ``pairwise_kappa`` as plain values ready to glue, with the cell both coded 0."""
    row = pairs.iloc[index]
    facts = {key: str(row[key]) for key in ("coder_1", "coder_2")}
    facts.update({key: int(row[key]) for key in ("units", "agree", "both_1", "only_1", "only_2")})
    facts["both_0"] = facts["agree"] - facts["both_1"]
    facts.update({key: float(row[key]) for key in ("agreement", "chance", "kappa", "alpha")})
    return facts
