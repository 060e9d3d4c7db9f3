"""How the article reports its review, appraised against ENTREQ and the PRISMA 2020 flow diagram.

Pure functions on the data layer: the ratings and statement ids are data (``entreq.csv``,
``prisma_flow.csv``); these functions resolve the statements to their section and line,
count the ratings, and compute the flow diagram's counts from the sample and the reference
list.
"""
from __future__ import annotations

import pandas as pd

from compendium.analysis.publish import header
from compendium.analysis.synthesis import listed_works

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


def domains_rated(entreq: pd.DataFrame, rating: str) -> list[str]:
    """The domains every item of which has ``rating``, as headers ('Appraisal')."""
    counts = by_domain(entreq)
    return [header(domain) for domain in counts.index if counts.loc[domain].sum() == counts.loc[domain, rating] > 0]


def flow_counts(flow: pd.DataFrame, sample: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """One row per box of the flow diagram with its stated and listed counts (missing where the
    article gives none) and the text the diagram prints for it."""
    sources = {"sample": int(sample["n_documents"].sum()), "reference_list": len(listed_works(references))}
    stated = flow["stated_from"].map(sources).astype("Int64")
    listed = flow["listed_from"].map(sources).astype("Int64")

    def text(s, l) -> str:
        parts = [f"{kind}: n = {n}" for kind, n in (("stated", s), ("listed", l)) if not pd.isna(n)]
        return "; ".join(parts) or NOT_REPORTED

    return flow.assign(stated=stated, listed=listed, counts=[text(s, l) for s, l in zip(stated, listed)])


def flow_table(boxes: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """The flow diagram as a publishable table: box, counts, where the article speaks of it, note."""
    return pd.DataFrame({
        "Phase": boxes["phase"].astype(str).map(header), "Box": boxes["label"], "Counts": boxes["counts"],
        "Where the article speaks of it": [where(ids, statements) or "—" for ids in boxes["statements"]],
        "Note": boxes["note"],
    })
