"""Cross-resource views of the article: traceability, citations, sample, synthesis, recommendations.

Pure functions on the DataFrames of the data layer; each returns a tidy DataFrame or plain
values ready to glue.
"""
from __future__ import annotations

import pandas as pd

from compendium.analysis import stats
from compendium.analysis.bibliography import UNRESOLVED
from compendium.analysis.phrasing import join_labels
from compendium.book.labels import dated_labels, label_names

# The compendium's mapping of BibTeX entry types onto the article's three source types.
ENTRY_TYPE_TO_SOURCE = {"article": "journal_article", "book": "academic_book", "techreport": "policy_report"}
SECTIONS = [str(n) for n in range(1, 9)]
HORIZONS = {"short_term": "Short-term gain", "long_term": "Long-term outcome", "constraint": "Constraint"}


def sample_size(sample: pd.DataFrame) -> int:
    """The stated sample size: the documents of every source type in ``sample.csv``, added up."""
    return int(sample["n_documents"].astype(int).sum())


def traceability(objectives: pd.DataFrame, tables: pd.DataFrame) -> pd.DataFrame:
    """One row per objective or question: its paraphrase, the tables and figures answering it, coverage."""
    figure_of = dict(zip(tables["table"].astype(int), tables["figure"].astype(int), strict=True))

    def evidence(numbers) -> str:
        items = [f"Table {n} / Figure {figure_of[int(n)]}" for n in ("" if pd.isna(numbers) else numbers).split()]
        return "; ".join(items) if items else "nothing in the results"

    return pd.DataFrame({
        "id": objectives["id"], "kind": objectives["kind"], "label": objectives["label"],
        "paired_with": objectives["paired_with"].fillna("—"),
        "evidence": objectives["tables"].map(evidence), "coverage": objectives["coverage"],
    })


def traceability_links(objectives: pd.DataFrame, tables: pd.DataFrame) -> pd.DataFrame:
    """One row per objective or question and table of the article: whether that table (with its
    figure) answers it, and the objective's coverage."""
    rows = [{"id": objective.id, "kind": objective.kind, "table": int(table), "figure": int(figure),
             "answers": str(table) in ("" if pd.isna(objective.tables) else objective.tables).split(),
             "coverage": objective.coverage}
            for objective in objectives.itertuples()
            for table, figure in zip(tables["table"], tables["figure"], strict=True)]
    return pd.DataFrame(rows, columns=["id", "kind", "table", "figure", "answers", "coverage"])


def traceability_matrix(objectives: pd.DataFrame, tables: pd.DataFrame) -> pd.DataFrame:
    """Objectives and questions (rows) against the article's tables and figures (columns): ● = answers."""
    columns = [f"Table {t} / Figure {f}" for t, f in zip(tables["table"], tables["figure"], strict=True)]
    answers = traceability_links(objectives, tables)["answers"].to_numpy().reshape(len(objectives), len(columns))
    marks = pd.DataFrame(answers, columns=columns).replace({True: "●", False: ""})
    return marks.assign(id=objectives["id"].to_numpy(), coverage=objectives["coverage"].to_numpy())[
        ["id", *columns, "coverage"]]


def coverage_counts(objectives: pd.DataFrame) -> dict:
    """How many objectives and questions the results answer, answer in part, or leave open."""
    counts = objectives.groupby(["kind", "coverage"]).size()
    return {f"{kind}_{cov}": int(counts.get((kind, cov), 0))
            for kind in ("objective", "question") for cov in ("answered", "partial", "none")}


def unanswered_objectives(objectives: pd.DataFrame) -> list[str]:
    """Ids of the objectives and questions that no table or figure of the results answers."""
    return list(objectives.loc[objectives["coverage"] == "none", "id"])


def unpaired_questions(objectives: pd.DataFrame) -> list[str]:
    """Ids of the research questions that no objective stands behind."""
    return list(objectives.loc[(objectives["kind"] == "question") & objectives["paired_with"].isna(), "id"])


def listed_works(references: pd.DataFrame) -> pd.DataFrame:
    """The entries of the article's reference list (the republished article itself left out)."""
    return references[references["in_reference_list"]]


SAME_WORK = ["first_author", "title"]  # two entries of the list that agree on these are one work listed twice


def repeated_entries(references: pd.DataFrame) -> dict[str, str]:
    """Entries of the reference list that list a work again: key -> key of the work's first entry."""
    listed = listed_works(references)
    first = listed.groupby(SAME_WORK, sort=False)["key"].transform("first")
    return {key: earlier for key, earlier in zip(listed["key"], first, strict=True) if key != earlier}


def distinct_works(references: pd.DataFrame) -> pd.DataFrame:
    """The works of the reference list, each once: a work listed twice keeps its first entry."""
    listed = listed_works(references)
    return listed[~listed["key"].isin(set(repeated_entries(references)))]


def unresolved_names(citations: pd.DataFrame) -> list[str]:
    """'Author (year)' of each distinct citation that matches no reference entry, in reading order."""
    missing = citations[citations["key"] == UNRESOLVED]
    return list(dict.fromkeys(missing["author_string"] + " (" + missing["year"].astype(str) + ")"))


def never_cited(citations: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """The listed works that no in-text citation resolves to."""
    listed = listed_works(references)
    return listed[~listed["key"].isin(set(citations["key"]))]


def work_label(references: pd.DataFrame) -> pd.Series:
    """The author-year label of each reference entry, indexed by key: 'Waltz (1979)', 'Bercovitch &
    DeRouen (2005)', 'Cooper et al. (2013)'; letters where a label repeats within ``references``, in
    its order ('Ames (2001a)'). The bibliography page labels its entries by the same rule."""
    names = [label_names(first, None if pd.isna(second) else second, int(n))
             for first, second, n in zip(references["first_author"], references["second_author"],
                                         references["n_authors"], strict=True)]
    return pd.Series(dated_labels(names, list(references["year"])), index=references["key"].to_numpy())


def citation_map(citations: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Works by top-level section: how often each listed work (and each unresolved name) is cited.

    Rows follow the reference list, then unresolved names; columns are sections 1-8.
    """
    listed = listed_works(references)
    labels = work_label(listed)
    top = citations["section"].str.split(".").str[0]
    unresolved = citations["author_string"] + " (" + citations["year"].astype(str) + ", unresolved)"
    work = citations["key"].map(labels).where(citations["key"] != UNRESOLVED, unresolved)
    counts = pd.crosstab(work, top).reindex(columns=SECTIONS, fill_value=0)
    order = list(labels) + sorted(set(work) - set(labels))
    return counts.reindex(order, fill_value=0).rename_axis(index="work", columns="section")


def citation_summary(citations: pd.DataFrame, references: pd.DataFrame) -> dict:
    """Counts the chapters state about citations: totals, per section, unresolved, never cited."""
    listed = listed_works(references)
    top = citations["section"].str.split(".").str[0]
    per_section = top.value_counts().reindex(SECTIONS, fill_value=0)
    never = never_cited(citations, references)
    return {
        "n_citations": int(len(citations)),
        "n_works_cited": int(len(listed) - len(never)),
        "n_listed": int(len(listed)),
        "n_unresolved": int((citations["key"] == UNRESOLVED).sum()),
        "unresolved_names": join_labels(unresolved_names(citations)),
        "n_never_cited": int(len(never)),
        "never_cited": join_labels(list(work_label(listed)[list(never["key"])])),
        "sections_without_citations": join_labels([s for s in SECTIONS if per_section[s] == 0]),
        **{f"section_{s}": int(per_section[s]) for s in SECTIONS},
    }


def framework_nodes(edges: pd.DataFrame) -> pd.DataFrame:
    """One row per node of the framework graph, with its kind, in order of first appearance."""
    ends = [edges[[f"{end}", f"{end}_kind"]].set_axis(["node", "kind"], axis=1) for end in ("source", "target")]
    return pd.concat(ends).drop_duplicates("node", ignore_index=True)


def strategy_values(strategy: pd.DataFrame, kind: str) -> str:
    """The stated values of one kind of search-strategy item, as an English list."""
    return join_labels(list(strategy.loc[strategy["kind"] == kind, "value"]))


def stated_window(strategy: pd.DataFrame) -> tuple[int, int]:
    """The publication window stated in section 3.4, as (first year, last year)."""
    value = dict(zip(strategy["kind"], strategy["value"], strict=True))
    return int(value["window_start"]), int(value["window_end"])


def years_against_window(references: pd.DataFrame, window: tuple[int, int]) -> pd.DataFrame:
    """One row per listed work: its year and whether it falls inside the stated window."""
    listed = listed_works(references)
    return pd.DataFrame({
        "work": work_label(listed).to_numpy(), "year": listed["year"].astype(int).to_numpy(),
        "inside_window": listed["year"].between(*window).to_numpy(),
    })


def composition(sample: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Stated sample beside the reference list, by source type: documents stated, entries listed."""
    by_type = listed_works(references)["entry_type"].map(ENTRY_TYPE_TO_SOURCE).value_counts()
    return pd.DataFrame({
        "source_type": sample["source_type"], "label": sample["label"],
        "stated_sample": sample["n_documents"].astype(int),
        "reference_list": sample["source_type"].map(by_type).fillna(0).astype(int),
    })


def indicators(findings: pd.DataFrame, codebook: pd.DataFrame, sample_size: int) -> pd.DataFrame:
    """All rows of Tables 1-3 with the compendium's horizon class and the share of the sample."""
    horizon = codebook.set_index("code")["horizon"]
    return pd.DataFrame({
        "table": findings["table"].astype(int), "label": findings["label"],
        "horizon": findings["key"].map(horizon).map(HORIZONS),
        "n_sources": findings["n_sources"].astype(int),
        "share": findings["n_sources"].astype(int) / sample_size,
    })


def horizon_contrast(indicator_rows: pd.DataFrame) -> dict:
    """Mean share of the sample behind short-term gains, long-term outcomes and constraints."""
    means = indicator_rows.groupby("horizon")["share"].mean()
    sizes = indicator_rows.groupby("horizon").size()
    out = {}
    for key, name in HORIZONS.items():
        out[f"{key}_mean_share"] = float(means.get(name, float("nan")))
        out[f"{key}_n"] = int(sizes.get(name, 0))
    out["short_minus_long"] = out["short_term_mean_share"] - out["long_term_mean_share"]
    return out


def horizon_pairs(indicator_rows: pd.DataFrame, sample_size: int, alpha: float,
                  first: str = HORIZONS["short_term"], second: str = HORIZONS["long_term"]) -> pd.DataFrame:
    """Every indicator of horizon ``first`` against every indicator of horizon ``second``, with
    the paired bounds of ``stats.paired_bounds`` (on the compendium's reading that all indicators
    count the same documents).

    One row per pair: both labels and counts, the p-value bounds and the verdict.
    """
    ones = indicator_rows[indicator_rows["horizon"] == first]
    others = indicator_rows[indicator_rows["horizon"] == second]
    rows = [{"first": a.label, "second": b.label, "first_n": int(a.n_sources), "second_n": int(b.n_sources),
             **stats.paired_bounds(int(a.n_sources), int(b.n_sources), sample_size, alpha)}
            for a in ones.itertuples() for b in others.itertuples()]
    return pd.DataFrame(rows)


def recommendation_links(recommendations: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation and Table 2 constraint it answers, with that constraint's count."""
    constraints = findings[findings["table"] == 2].set_index("key")
    rows = [(rec.id, rec.label, constraints.at[key, "label"], constraints.at[key, "rating_printed"],
             int(constraints.at[key, "n_sources"]))
            for rec in recommendations.itertuples() for key in rec.answers.split()]
    return pd.DataFrame(rows, columns=["id", "recommendation", "constraint", "impact", "n_sources"])


def most_answered_constraint(links: pd.DataFrame) -> tuple[str, int]:
    """The Table 2 constraint answered by the most recommendations, and how many answer it."""
    counts = links.groupby("constraint", sort=False)["id"].nunique()
    return str(counts.idxmax()), int(counts.max())


def least_answered_constraints(links: pd.DataFrame, findings: pd.DataFrame) -> tuple[list[str], int]:
    """The Table 2 constraints answered by the fewest recommendations (none counts), in table
    order, and that number."""
    counts = links.groupby("constraint")["id"].nunique()
    constraints = list(findings.loc[findings["table"] == 2, "label"])
    fewest = min(int(counts.get(c, 0)) for c in constraints)
    return [c for c in constraints if int(counts.get(c, 0)) == fewest], fewest


def unanswered_constraints(links: pd.DataFrame, findings: pd.DataFrame) -> list[str]:
    """Table 2 constraints that no recommendation answers, in table order."""
    return [c for c in findings.loc[findings["table"] == 2, "label"] if c not in set(links["constraint"])]
