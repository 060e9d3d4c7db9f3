"""Checks of Tables 1-3: their counts against the sample, their ratings against their counts and the text."""
from __future__ import annotations

import pandas as pd

from compendium.analysis.audit.core import (
    PRESENTATION,
    UNVERIFIABLE,
    Check,
    check,
    cite,
    counts_reading,
    finding,
    select,
)
from compendium.analysis.phrasing import join_labels
from compendium.analysis.stats import rating_scale
from compendium.analysis.synthesis import (
    sample_size,
)
from compendium.analysis.wording import (
    MAJORITY,
    NEGATED,
    SUPERLATIVE,
)


@check
def table_totals(findings: pd.DataFrame, sample: pd.DataFrame) -> list[Check]:
    """One check per table: on the compendium's reading of the counts, a sum above the sample means
    documents counted under several rows, which needs a coding rule the article does not give."""
    size = sample_size(sample)
    checks = []
    for table, part in findings.groupby("table"):
        total = int(part["n_sources"].sum())
        checks.append(finding("tables", f"Table {table}: counts against the sample size",
                               f"{counts_reading(size)}: a rule saying whether a document may count under "
                               "several rows",
                               f"the rows sum to {total}"
                               + (f", {total - size} more than the sample, so on that reading documents count under "
                                  "several rows; no rule is stated" if total > size else "")
                               + f" (data/findings.csv table {table})",
                               total > size, UNVERIFIABLE, True))
    return checks


@check
def counts_within_sample(findings: pd.DataFrame, sample: pd.DataFrame) -> Check:
    """On the compendium's reading of the counts, no single count may exceed the sample size."""
    size = sample_size(sample)
    largest = findings.loc[findings["n_sources"].idxmax()]
    return finding("tables", "Each count within the sample size", f"{counts_reading(size)}: no count above {size}",
                    f"the largest count is {int(largest['n_sources'])} (data/findings.csv table "
                    f"{largest['table']} row {largest['row']})"
                    + ("; on another reading of the counts it need not be wrong" if int(largest["n_sources"]) > size
                       else ""), int(largest["n_sources"]) > size, UNVERIFIABLE, True)


@check
def ratings_follow_counts(findings: pd.DataFrame) -> list[Check]:
    """One check per table: does a higher printed rating ever go with fewer documents?

    The article gives no rule for its ratings; a rating at odds with the count behind it
    cannot be checked. Reports Spearman's rank correlation (scipy)."""
    from scipy.stats import spearmanr

    checks = []
    for table, part in findings.groupby("table"):
        rating = part[rating_scale(part)]
        codes, counts = rating.cat.codes.to_numpy(), part["n_sources"].astype(int).to_numpy()
        discordant = sum(1 for i in range(len(codes)) for j in range(len(codes))
                         if codes[i] > codes[j] and counts[i] < counts[j])
        rho = spearmanr(codes, counts).statistic
        checks.append(finding("tables", f"Table {table}: ratings and counts in the same order",
                               "higher ratings with more documents (the article gives no rule for the ratings; the "
                               "order of its printed levels, lowest first, is the compendium's reading, "
                               "data/README.md)",
                               f"Spearman's rho = {rho:.2f}; {discordant} pairs where the higher rating has fewer "
                               f"documents (data/findings.csv table {table})",
                               discordant > 0, UNVERIFIABLE, False))
    return checks


@check
def quantifiers_against_counts(statements: pd.DataFrame, findings: pd.DataFrame, sample: pd.DataFrame) -> Check:
    """'Most' or 'the majority' should describe more than half of the sample, on the compendium's
    reading of the counts and of the row each sentence speaks of."""
    size = sample_size(sample)
    rows = findings.set_index("key")
    claims = select(statements, kind="quantifier")
    claims = claims[claims["quote"].str.contains(MAJORITY) & claims["key"].isin(rows.index)]
    wrong = []
    for claim in claims.itertuples():
        row = rows.loc[claim.key]
        table = findings[findings["table"] == row["table"]]
        if 2 * int(row["n_sources"]) <= size:
            wrong.append(f"'{MAJORITY.search(claim.quote).group(0)}' ({claim.id}) for {int(row['n_sources'])} of "
                         f"{size} documents (data/findings.csv table {row['table']} row {row['row']}; the largest "
                         f"count of Table {row['table']} is {int(table['n_sources'].max())})")
    return finding("tables", "Majority words against the counts",
                    f"{counts_reading(size)}, and that the sentence speaks of the row it is matched to "
                    "(data/statements.csv key): a majority word for more than half of them",
                    f"majority words for half the sample or less: {len(wrong)} of {len(claims)}"
                    + (f" ({'; '.join(wrong)}); this holds only on the compendium's two readings, that the counts "
                       "are documents out of the sample and that each sentence speaks of its matched row; the "
                       "article says neither, so the words cannot be checked against its counts"
                       if wrong else ""), bool(wrong), UNVERIFIABLE, True)


@check
def unquantified_claims(statements: pd.DataFrame, findings: pd.DataFrame) -> Check:
    """Quantifying words with no count behind them ('ample', 'at a high rate', a majority
    of something not counted) cannot be checked."""
    claims = select(statements, kind="quantifier")
    vague = claims[~(claims["quote"].str.contains(MAJORITY) & claims["key"].isin(set(findings["key"])))]
    return finding("tables", "Quantifying words with a count behind them",
                    "every quantifying word backed by a count that decides it",
                    f"quantifying words without such a count: {len(vague)}"
                    + (f" ({cite(vague)})" if len(vague) else ""),
                    not vague.empty, UNVERIFIABLE, True)


@check
def superlatives_against_ratings(statements: pd.DataFrame, findings: pd.DataFrame) -> Check:
    """A row the text calls the greatest or most successful should hold its table's top rating alone."""
    claims = select(statements, key=list(findings["key"]))
    claims = claims[claims["quote"].str.contains(SUPERLATIVE)]
    rows = findings.set_index("key")
    shared, alone = [], []
    for claim in claims.itertuples():
        row = rows.loc[claim.key]
        table = findings[findings["table"] == row["table"]]
        scale = rating_scale(table)
        tied = table[(table[scale] == row[scale]) & (table["key"] != claim.key)]
        word = SUPERLATIVE.search(claim.quote).group(0)
        where = f"data/findings.csv table {row['table']} row {row['row']}"
        if row[scale] == table[scale].max() and tied.empty:
            alone.append(f"'{word}' ({claim.id}): {row['label']}, the only row rated {row['rating_printed']} ({where})")
        else:
            others = join_labels([f"{t.label} ({int(t.n_sources)} sources)" for t in tied.itertuples()])
            shared.append(f"'{word}' ({claim.id}) for {row['label']} ({int(row['n_sources'])} sources), rated "
                          f"{row['rating_printed']}" + (f" like {others}" if others else ", below the top rating")
                          + f" ({where})")
    return finding("tables", "Superlatives against the printed ratings",
                    "a row the text ranks first holds its table's top rating alone",
                    f"superlatives for a row that shares or lacks the top rating: {len(shared)} of {len(claims)}"
                    + (f" ({'; '.join(shared)}); the counts put it first, the ratings do not, and the article gives "
                       "no rule for its ratings" if shared else "") + (f" ({'; '.join(alone)})" if alone else ""),
                    bool(shared), UNVERIFIABLE, True)


@check
def prose_against_ratings(statements: pd.DataFrame, findings: pd.DataFrame) -> Check:
    """A row rated moderate or better should not be described in the text as not achieved."""
    rows = findings.set_index("key")
    claims = select(statements, kind="finding", key=list(findings["key"]))
    denied = []
    for claim in claims[claims["quote"].str.contains(NEGATED)].itertuples():
        row = rows.loc[claim.key]
        scale = rating_scale(findings[findings["table"] == row["table"]])
        levels = list(findings[scale].cat.categories)
        if levels.index(row[scale]) >= len(levels) // 2:
            denied.append(f"{row['label']}, rated {row['rating_printed']} (data/findings.csv table {row['table']} "
                          f"row {row['row']}), against '{claim.quote}' ({claim.id})")
    return finding("tables", "Ratings and the text on the same row",
                    "no row rated moderate or better that the text says was not achieved",
                    f"rows rated moderate or better that the text denies: {len(denied)}"
                    + (f" ({'; '.join(denied)}); both can be true if the rating and the sentence speak of different "
                       "horizons, which the article does not say — a tension, not a contradiction (the row each "
                       "sentence speaks of is the compendium's reading, data/statements.csv key)" if denied else ""),
                    bool(denied), UNVERIFIABLE, True)


@check
def rows_discussed(statements: pd.DataFrame, findings: pd.DataFrame, tables: pd.DataFrame) -> Check:
    """Every row of a results table should be taken up by the text of its section."""
    section = dict(zip(tables["table"].astype(int), tables["section"], strict=True))
    silent = [row for row in findings.itertuples()
              if select(statements, key=row.key, section=section[int(row.table)]).empty]
    largest = findings["n_sources"].max()
    names = [f"{row.label} (Table {row.table} row {row.row}, {row.rating_printed}, {int(row.n_sources)} sources"
             + (", the largest count of the article" if row.n_sources == largest else "") + ")" for row in silent]
    return finding("tables", "Every table row discussed in its section",
                    "each row of Tables 1–3 taken up by the text of the section that prints it",
                    f"rows the text of their section does not take up: {len(silent)} of {len(findings)}"
                    + (f": {'; '.join(names)} (which sentence takes up which row is the compendium's reading, "
                       "data/statements.csv key)" if names else ""),
                    bool(silent), PRESENTATION, False)
