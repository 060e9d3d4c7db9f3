"""How the article reports its review, appraised against ENTREQ and the PRISMA 2020 flow diagram.

Pure functions on the data layer: the ratings, the counts the article states and the
statement ids are data (``entreq.csv``, ``prisma_flow.csv``); these functions resolve the
statements to their section and line, count the ratings, and write the flow diagram's
counts and the note on the reference list.
"""
from __future__ import annotations

import pandas as pd

from compendium.analysis.phrasing import join_labels
from compendium.analysis.publish import header
from compendium.analysis.synthesis import distinct_works, listed_works

RATINGS = {"reported": "reported", "partly": "partly reported", "not_reported": "not reported"}
NOT_REPORTED = "not reported"


def where(ids: str | None, statements: pd.DataFrame) -> str:
    """Statement ids as the places they stand: 'section 3.6, line 171: “quotation”; ...' (empty: none)."""
    indexed = statements.set_index("id")
    places = []
    for key in ("" if pd.isna(ids) else ids).split():
        row = indexed.loc[key]
        section = row["section"] if row["section"][0].isdigit() else row["section"].lower()
        prefix = "section " if row["section"][0].isdigit() else ""
        places.append(f"{prefix}{section}, line {row['line']}: “{row['quote']}”")
    return "; ".join(places)


def entreq_table(entreq: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """The appraisal as a publishable table: one row per item ('6. Electronic Search strategy') with
    what it asks for, its rating, where the article shows it (section, line and quotation) and why."""
    return pd.DataFrame({
        "Item": entreq["item"].astype(int).astype(str) + ". " + entreq["name"],
        "What it asks for": entreq["asks"], "Rating": entreq["rating"].astype(str).map(RATINGS),
        "Where the article shows it": [where(ids, statements) or "—" for ids in entreq["statements"]],
        "Why": entreq["note"],
    })


def tally(entreq: pd.DataFrame) -> dict:
    """How many items are reported, partly reported and not reported, and the total, as plain ints."""
    counts = entreq["rating"].value_counts()
    return {"items": int(len(entreq)), **{f"n_{key}": int(counts.get(key, 0)) for key in RATINGS}}


def by_domain(entreq: pd.DataFrame) -> pd.DataFrame:
    """Items per domain (rows, in ENTREQ's order) and rating (columns, best first)."""
    table = pd.crosstab(entreq["domain"], entreq["rating"], dropna=False)
    return table.reindex(index=entreq["domain"].cat.categories, columns=list(RATINGS), fill_value=0)


def domains_with(entreq: pd.DataFrame, rating: str) -> list[str]:
    """The domains holding at least one item with ``rating``, as headers ('Introduction')."""
    counts = by_domain(entreq)
    return [header(domain) for domain in counts.index if counts.loc[domain, rating] > 0]


def most_rated(entreq: pd.DataFrame, rating: str) -> str:
    """Where items of ``rating`` are most numerous, as a phrase: 'Synthesis of findings (4 of its
    8 items)', or for a tie 'Appraisal and Synthesis of findings (2 items each)'."""
    counts = by_domain(entreq)
    most = int(counts[rating].max())
    top = [domain for domain in counts.index if counts.loc[domain, rating] == most]
    if len(top) == 1:
        return f"{header(top[0])} ({most} of its {int(counts.loc[top[0]].sum())} items)"
    return f"{join_labels([header(domain) for domain in top])} ({most} items each)"


def flow_counts(flow: pd.DataFrame) -> pd.DataFrame:
    """One row per box of the flow diagram with the text the diagram prints for it: the count the
    article states ('n = 50'), or "not reported" where it states none."""
    return flow.assign(counts=[NOT_REPORTED if pd.isna(n) else f"n = {int(n)}" for n in flow["stated"]])


def reference_note(references: pd.DataFrame) -> str:
    """The side note on the reference list: its entries and distinct works, and that it is no list of
    the sample."""
    entries, works = len(listed_works(references)), len(distinct_works(references))
    return f"Reference list: {entries} entries ({works} distinct works); not a list of the included studies"


def flow_table(boxes: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """The flow diagram as a publishable table: box, count, where the article speaks of it, note."""
    return pd.DataFrame({
        "Phase": boxes["phase"].astype(str).map(header), "Box": boxes["label"], "Count stated": boxes["counts"],
        "Where the article speaks of it": [where(ids, statements) or "—" for ids in boxes["statements"]],
        "Note": boxes["note"],
    })
