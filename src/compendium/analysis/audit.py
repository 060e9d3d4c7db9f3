"""The article checked against itself: one function per internal-consistency check.

Each check takes the DataFrames of the data layer it needs and returns a ``Check``: what
the article states or implies, what the data show, and a verdict computed from the two
(``consistent`` or ``inconsistent``). ``run_audit`` runs them all.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from compendium.analysis.stats import join_labels, rating_column
from compendium.analysis.synthesis import (composition, listed_works, never_cited, stated_window, unresolved_names,
                                  work_label, years_against_window)
from compendium.analysis.validation import UNRESOLVED

CONSISTENT, INCONSISTENT = "consistent", "inconsistent"


@dataclass
class Check:
    """One audit check: its name, the article's position, what the data show, the verdict."""

    area: str
    check: str
    stated: str
    observed: str
    verdict: str


def _verdict(ok: bool) -> str:
    return CONSISTENT if ok else INCONSISTENT


# --- citations against the reference list ----------------------------------------------

def unresolved_citations(citations: pd.DataFrame) -> Check:
    """Every in-text citation should match an entry of the reference list."""
    missing = citations[citations["key"] == UNRESOLVED]
    names = join_labels(unresolved_names(citations))
    return Check("citations", "In-text citations without a reference entry",
                 f"{len(citations)} in-text citations, each expected in the reference list",
                 f"{len(missing)} of {len(citations)} match no entry" + (f": {names}" if names else ""), _verdict(missing.empty))


def uncited_references(citations: pd.DataFrame, references: pd.DataFrame) -> Check:
    """Every entry of the reference list should be cited somewhere in the text."""
    listed, never = listed_works(references), never_cited(citations, references)
    names = join_labels(list(work_label(listed)[list(never["key"])]))
    return Check("citations", "Reference entries never cited",
                 f"{len(listed)} entries in the reference list, each expected to be cited",
                 f"{len(never)} of {len(listed)} never cited" + (f": {names}" if names else ""), _verdict(never.empty))


def name_spellings(citations: pd.DataFrame, references: pd.DataFrame) -> Check:
    """The author named in the text should be spelled as in the entry it resolves to."""
    entries = listed_works(references).set_index("key")
    differing = []
    for cite in citations[citations["key"] != UNRESOLVED].drop_duplicates(["author_string", "key"]).itertuples():
        surname, given = entries.at[cite.key, "first_author"], str(entries.at[cite.key, "first_author_given"] or "")
        first_words = cite.author_string.split(",")[0].split("&")[0].split(" and ")[0].split()
        if surname not in first_words:
            differing.append(f"'{cite.author_string}' for {surname}")
        elif first_words.index(surname) > 0 and given and not first_words[0].startswith(given[0]):
            differing.append(f"'{cite.author_string}' for {given} {surname}")
    return Check("citations", "Author names spelled as in the reference list",
                 "names in the text match the reference entries they cite",
                 f"{len(differing)} differ" + (f": {join_labels(differing)}" if differing else ""),
                 _verdict(not differing))


def duplicate_references(references: pd.DataFrame) -> Check:
    """No work should be listed twice (same first author and title)."""
    listed = listed_works(references)
    twice = listed[listed.duplicated(["first_author", "title"], keep=False)]
    names = join_labels(list(work_label(listed)[list(twice["key"])]))
    return Check("citations", "The same work listed twice",
                 "each work appears once in the reference list",
                 f"{len(twice)} entries share author and title" + (f": {names}" if names else ""),
                 _verdict(twice.empty))


# --- the sample against the reference list --------------------------------------------

def sampling_window(references: pd.DataFrame, strategy: pd.DataFrame) -> Check:
    """Cited works should fall inside the stated publication window."""
    start, end = stated_window(strategy)
    outside = years_against_window(references, (start, end)).query("not inside_window")
    return Check("sample", "Publication years inside the stated window",
                 f"sources published {start}–{end} (section 3.4)",
                 f"{len(outside)} listed works outside it"
                 + (f": {join_labels(list(outside['work']))}" if len(outside) else ""),
                 _verdict(outside.empty))


def sample_size_vs_reference_list(sample: pd.DataFrame, references: pd.DataFrame) -> Check:
    """The reference list should be able to hold the stated sample."""
    stated, listed = int(sample["n_documents"].sum()), len(listed_works(references))
    return Check("sample", "Reference list large enough to document the sample",
                 f"a sample of {stated} documents (abstract, section 3.4)",
                 f"the reference list has {listed} entries", _verdict(listed >= stated))


def composition_vs_reference_list(sample: pd.DataFrame, references: pd.DataFrame) -> Check:
    """Each source type of the stated sample should be matched by the reference list."""
    table = composition(sample, references)
    short = [f"{r.label}: {r.stated_sample} stated, {r.reference_list} listed" for r in table.itertuples()]
    ok = bool((table["reference_list"] >= table["stated_sample"]).all())
    return Check("sample", "Sample composition against the reference list",
                 "the stated split by source type", "; ".join(short), _verdict(ok))


# --- the tables against the sample -----------------------------------------------------

def table_totals(findings: pd.DataFrame, sample: pd.DataFrame) -> list[Check]:
    """One check per table: do its counts add up to no more than the sample (single coding)?"""
    size = int(sample["n_documents"].sum())
    checks = []
    for table, part in findings.groupby("table"):
        total = int(part["n_sources"].sum())
        checks.append(Check("tables", f"Table {table}: counts against the sample size",
                            f"counts of documents out of {size}; no statement that a document "
                            "may count under several rows",
                            f"the rows sum to {total}" + (f", {total - size} more than the sample: "
                                                          "documents were coded under several rows"
                                                          if total > size else ""),
                            _verdict(total <= size)))
    return checks


def counts_within_sample(findings: pd.DataFrame, sample: pd.DataFrame) -> Check:
    """No single count may exceed the sample size."""
    size = int(sample["n_documents"].sum())
    largest = int(findings["n_sources"].max())
    return Check("tables", "Each count within the sample size", f"counts out of {size} documents",
                 f"the largest count is {largest}", _verdict(largest <= size))


def ratings_follow_counts(findings: pd.DataFrame) -> list[Check]:
    """One check per table: does a higher printed rating never go with a lower count?

    Reports Spearman's rank correlation between the ordinal rating and the count (scipy).
    """
    from scipy.stats import spearmanr

    checks = []
    for table, part in findings.groupby("table"):
        rating = part[rating_column(part)]
        codes, counts = rating.cat.codes.to_numpy(), part["n_sources"].astype(int).to_numpy()
        discordant = sum(1 for i in range(len(codes)) for j in range(len(codes))
                         if codes[i] > codes[j] and counts[i] < counts[j])
        rho = spearmanr(codes, counts).statistic
        checks.append(Check("tables", f"Table {table}: ratings follow the counts",
                            "the rating column summarises the evidence behind each row",
                            f"Spearman's rho = {rho:.2f}; {discordant} pairs where the higher rating "
                            "has fewer sources", _verdict(discordant == 0)))
    return checks


def rating_labels_consistent(findings: pd.DataFrame) -> Check:
    """The same rating level should be printed the same way in every table."""
    printed = pd.concat([
        findings[["rating_level", "rating_printed"]].dropna().set_axis(["level", "printed"], axis=1),
        findings.assign(printed=findings["count_printed"].str.extract(r"^([A-Za-z–-]+) \(", expand=False))
        [["agreement_level", "printed"]].dropna().set_axis(["level", "printed"], axis=1)])
    forms = printed.groupby("level", observed=True)["printed"].unique()
    varied = {level: list(values) for level, values in forms.items() if len(values) > 1}
    detail = "; ".join(f"{level}: {' vs '.join(v)}" for level, v in varied.items())
    return Check("labels", "One spelling per rating level across tables",
                 "the same scale in Tables 1–3", f"levels printed in more than one way: {len(varied)}"
                 + (f" ({detail})" if detail else ""), _verdict(not varied))


def agreement_column_complete(findings: pd.DataFrame, tables: pd.DataFrame) -> Check:
    """A column headed as a level should give a level in every row."""
    table3 = tables.loc[tables["count_column"].str.contains("Level"), "table"]
    rows = findings[findings["table"].isin(table3)]
    missing = rows[rows["agreement_level"].isna()]
    header = join_labels(list(tables.loc[tables["table"].isin(table3), "count_column"]))
    return Check("labels", f"'{header}' filled in every row", "a level for each indicator",
                 f"{len(missing)} of {len(rows)} rows print a count without a level",
                 _verdict(missing.empty))


def titles_consistent(exhibits: pd.DataFrame, tables: pd.DataFrame) -> Check:
    """A table and the figure that charts it should carry the same title."""
    titles = exhibits.set_index(["kind", "number"])["title"]
    differ = [f"Table {t.table} / Figure {t.figure}" for t in tables.itertuples()
              if titles[("table", t.table)] != titles[("figure", t.figure)]]
    return Check("labels", "Table and figure titles identical", "each figure charts its table",
                 f"{len(differ)} pairs differ in typography" + (f": {join_labels(differ)}" if differ else ""),
                 _verdict(not differ))


# --- the design against the results ----------------------------------------------------

def objectives_answered(objectives: pd.DataFrame) -> Check:
    """Every objective and research question should be answered by some result."""
    open_ = objectives.loc[objectives["coverage"] == "none", "id"]
    return Check("design", "Objectives and questions answered by a result",
                 f"{len(objectives)} objectives and questions (sections 1.3–1.4)",
                 f"{len(open_)} of {len(objectives)} answered by no table or figure"
                 + (f": {join_labels(list(open_))}" if len(open_) else ""), _verdict(open_.empty))


def questions_paired(objectives: pd.DataFrame) -> Check:
    """Each research question should derive from an objective, as section 1.4 says."""
    questions = objectives[objectives["kind"] == "question"]
    unpaired = questions.loc[questions["paired_with"].isna(), "id"]
    return Check("design", "Questions drawn from the objectives",
                 "the questions are drawn directly from the objectives (section 1.4)",
                 f"{len(unpaired)} of {len(questions)} match no objective"
                 + (f": {join_labels(list(unpaired))}" if len(unpaired) else ""), _verdict(unpaired.empty))


def exhibits_referred(exhibits: pd.DataFrame) -> Check:
    """Every table and figure should be referred to in the prose."""
    silent = exhibits[exhibits["text_references"] == 0]
    names = [f"{k.capitalize()} {n}" for k, n in zip(silent["kind"], silent["number"])]
    return Check("design", "Tables and figures referred to in the text",
                 f"{len(exhibits)} tables and figures", f"{len(silent)} of {len(exhibits)} never referred to in the prose"
                 + (f": {join_labels(names)}" if names else ""), _verdict(silent.empty))


def themes_reported(codebook: pd.DataFrame) -> Check:
    """The key themes named in the method should be the ones the results report."""
    themes = codebook[codebook["level"] == "theme"]
    unreported = themes.loc[themes["table"].isna(), "label"]
    return Check("design", "Themes of the method reported in the results",
                 "the themes the analysis names (sections 3.6 and 4)",
                 f"{len(unreported)} of {len(themes)} themes have no results table (see codebook.csv)",
                 _verdict(unreported.empty))


def run_audit(d: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every check on the data bundle ``d`` (keys: the resource names and ``references``).

    One row per check: area, check, stated, observed, verdict.
    """
    checks = [
        unresolved_citations(d["citations"]),
        uncited_references(d["citations"], d["references"]),
        name_spellings(d["citations"], d["references"]),
        duplicate_references(d["references"]),
        sampling_window(d["references"], d["search_strategy"]),
        sample_size_vs_reference_list(d["sample"], d["references"]),
        composition_vs_reference_list(d["sample"], d["references"]),
        *table_totals(d["findings"], d["sample"]),
        counts_within_sample(d["findings"], d["sample"]),
        *ratings_follow_counts(d["findings"]),
        rating_labels_consistent(d["findings"]),
        agreement_column_complete(d["findings"], d["tables"]),
        titles_consistent(d["exhibits"], d["tables"]),
        objectives_answered(d["objectives"]),
        questions_paired(d["objectives"]),
        exhibits_referred(d["exhibits"]),
        themes_reported(d["codebook"]),
    ]
    return pd.DataFrame([asdict(c) for c in checks])
