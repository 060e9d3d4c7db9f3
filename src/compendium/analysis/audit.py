"""The article checked against itself, as a referee would: one function per check.

Each check takes the DataFrames of the data layer it needs (``statements`` among them: the
article's own words, transcribed in ``data/statements.csv``) and returns a ``Check``: what
a careful reader expects, what the data show (naming the statement ids and data rows the
finding rests on), a verdict class, and whether the finding can change a result.

Verdict classes, worst first:

- ``error``: the article contradicts itself or its own numbers;
- ``unverifiable``: the article does not give what one would need to check it;
- ``presentation``: typography, formatting, repeated text, citation style;
- ``consistent``: the check finds nothing.

``run_audit`` runs them all and sorts the rows by class.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd

from compendium.analysis.phrasing import join_labels
from compendium.analysis.stats import rating_scale
from compendium.analysis.synthesis import (
    SAME_WORK,
    composition,
    listed_works,
    never_cited,
    sample_size,
    stated_window,
    unanswered_objectives,
    unpaired_questions,
    unresolved_names,
    work_label,
    years_against_window,
)
from compendium.analysis.validation import UNRESOLVED

ERROR, UNVERIFIABLE, PRESENTATION, CONSISTENT = "error", "unverifiable", "presentation", "consistent"
CLASSES = (ERROR, UNVERIFIABLE, PRESENTATION, CONSISTENT)
MAJORITY = re.compile(r"\b(?:most|majority)\b", re.IGNORECASE)
HEDGE = re.compile(r"\b(?:approximately|about|around|roughly|some)\b", re.IGNORECASE)
AUTHOR_YEAR = re.compile(r"^\D+, (?:\d{4}|n\.d\.)[a-z]?$")


@dataclass
class Check:
    """One audit finding: area, check, what is expected, what is observed (with its evidence),
    the verdict class, and whether the finding can change a result."""

    area: str
    check: str
    expected: str
    observed: str
    verdict: str
    changes_result: bool


def _finding(area: str, name: str, expected: str, observed: str, flawed: bool, flaw: str, changes: bool) -> Check:
    """A Check whose verdict is ``flaw`` when ``flawed`` and ``consistent`` otherwise."""
    return Check(area, name, expected, observed, flaw if flawed else CONSISTENT, flawed and changes)


def _ids(statements: pd.DataFrame, **where) -> pd.DataFrame:
    """The statements whose columns equal the given values."""
    chosen = statements
    for column, value in where.items():
        chosen = chosen[chosen[column].isin(value if isinstance(value, (list, tuple, set)) else [value])]
    return chosen


def _cite(rows: pd.DataFrame) -> str:
    """Statement ids as evidence: 's4-1-most, s4-3-most'."""
    return ", ".join(rows["id"])


# --- citations and the reference list -------------------------------------------------

def unresolved_citations(citations: pd.DataFrame) -> Check:
    """Every in-text citation should match an entry of the reference list."""
    missing = citations[citations["key"] == UNRESOLVED]
    names = join_labels(unresolved_names(citations))
    rows = ", ".join(str(o) for o in missing.get("occurrence", pd.Series(dtype=int)))
    return _finding("citations", "In-text citations without a reference entry",
                    "every in-text citation matches an entry of the reference list",
                    f"in-text citations matching no entry: {len(missing)} of {len(citations)}"
                    + (f": {names} (data/citations.csv occurrence {rows})" if len(missing) else ""),
                    not missing.empty, UNVERIFIABLE, False)


def uncited_references(citations: pd.DataFrame, references: pd.DataFrame) -> Check:
    """Every entry of the reference list should be cited somewhere in the text."""
    listed, never = listed_works(references), never_cited(citations, references)
    names = join_labels(list(work_label(listed)[list(never["key"])]))
    return _finding("citations", "Reference entries never cited",
                    "every entry of the reference list is cited in the text",
                    f"entries never cited: {len(never)} of {len(listed)}"
                    + (f": {names} (references.bib {', '.join(never['key'])})" if len(never) else ""),
                    not never.empty, PRESENTATION, False)


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
    return _finding("citations", "Author names spelled as in the reference list",
                    "names in the text match the reference entries they cite",
                    f"names spelled otherwise: {len(differing)}"
                    + (f" ({join_labels(differing)}; data/citations.csv)" if differing else ""),
                    bool(differing), PRESENTATION, False)


def duplicate_references(references: pd.DataFrame) -> Check:
    """No work should be listed twice (same first author and title)."""
    listed = listed_works(references)
    twice = listed[listed.duplicated(SAME_WORK, keep=False)]
    names = join_labels(list(work_label(listed)[list(twice["key"])]))
    return _finding("citations", "The same work listed twice", "each work appears once in the reference list",
                    f"entries sharing author and title: {len(twice)}"
                    + (f": {names} (references.bib {', '.join(twice['key'])})" if len(twice) else ""),
                    not twice.empty, PRESENTATION, False)


def citation_style(citations: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """One citation style throughout: '&' inside parentheses and 'and' in the running text,
    one form per work, and a comma between author and year in parenthetical citations."""
    problems = []
    wrong_joiner = citations[((citations["form"] == "parenthetical") & citations["author_string"].str.contains(" and "))
                             | ((citations["form"] == "narrative") & citations["author_string"].str.contains("&"))]
    if len(wrong_joiner):
        problems.append(f"{len(wrong_joiner)} citations join authors with the other form's word "
                        f"(data/citations.csv occurrence {', '.join(map(str, wrong_joiner['occurrence']))})")
    cited = citations[citations["key"] != UNRESOLVED]
    for key, part in cited.groupby("key"):
        for form, same in part.groupby("form"):
            forms = list(dict.fromkeys(same["author_string"]))
            if len(forms) > 1:
                problems.append(f"{key} cited as {' and as '.join(repr(f) for f in forms)} ({form}; "
                                f"occurrence {', '.join(map(str, same['occurrence']))})")
    quoted = _ids(statements, kind="citation")
    for row in quoted.itertuples():
        groups = [g for g in re.findall(r"\(([^()]*)\)", row.quote) if re.search(r"[A-Za-z]", g)]
        bare = [part.strip() for group in groups for part in group.split(";") if not AUTHOR_YEAR.match(part.strip())]
        if bare:
            problems.append(f"no comma before the year in {join_labels(bare)} ({row.id})")
    return _finding("citations", "One citation style throughout",
                    "one form per cited work; '&' in parentheses and 'and' in the text; 'Author, year' in parentheses",
                    f"deviations: {len(problems)}" + (f" ({'; '.join(problems)})" if problems else ""),
                    bool(problems), PRESENTATION, False)


def reference_formatting(references: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Reference entries formatted alike: a DOI for every journal article, DOIs printed one way."""
    listed = listed_works(references)
    no_doi = listed[(listed["entry_type"] == "article") & listed["doi"].isna()]
    problems = []
    if len(no_doi):
        names = join_labels(list(work_label(listed)[list(no_doi["key"])]))
        problems.append(f"journal articles without a DOI: {len(no_doi)} of "
                        f"{int((listed['entry_type'] == 'article').sum())}, {names} (references.bib)")
    forms = _ids(statements, kind="reference", key="doi_format")
    if len(forms):
        problems.append(f"DOIs printed bare while the others stand in angle brackets: {len(forms)} ({_cite(forms)})")
    return _finding("citations", "Reference list formatted alike",
                    "every journal article with its DOI, and every DOI printed the same way",
                    f"deviations: {len(problems)}" + (f" ({'; '.join(problems)})" if problems else ""),
                    bool(problems), PRESENTATION, False)


# --- the sample -------------------------------------------------------------------------

def sample_identifiable(sample: pd.DataFrame, references: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """The documents behind the counts should be identifiable; the only list the article
    prints is its reference list, which cannot hold the stated sample."""
    table = composition(sample, references)
    short = table[table["reference_list"] < table["stated_sample"]]
    split = "; ".join(f"{r.label}: {r.stated_sample} stated, {r.reference_list} listed" for r in table.itertuples())
    evidence = _cite(_ids(statements, key=["sample_size", "sample_split"]))
    return _finding("sample", "Sampled documents identifiable",
                    "a list of the sampled documents, or a reference list that could be it",
                    f"no list of sampled documents; the reference list has {int(table['reference_list'].sum())} "
                    f"entries against a stated sample of {sample_size(sample)} ({split}) "
                    f"({evidence}; data/sample.csv, references.bib)",
                    not short.empty, UNVERIFIABLE, True)


def sampling_window(references: pd.DataFrame, strategy: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Whether the sample keeps to the stated window can be checked only on the listed works."""
    start, end = stated_window(strategy)
    outside = years_against_window(references, (start, end)).query("not inside_window")
    evidence = _cite(_ids(statements, key="window"))
    return _finding("sample", "Publication years inside the stated window",
                    f"sampled documents published {start}–{end} ({evidence})",
                    f"the sample is not listed; {len(outside)} listed works fall outside the window"
                    + (f": {join_labels(list(outside['work']))}" if len(outside) else "")
                    + " (references.bib), which a reference list may do",
                    not outside.empty, UNVERIFIABLE, False)


def sample_stated_alike(statements: pd.DataFrame) -> Check:
    """The sample should be stated the same way wherever it is stated."""
    split = _ids(statements, key="sample_split")
    hedged = split[split["quote"].str.contains(HEDGE)]
    plain = split[~split["quote"].str.contains(HEDGE)]
    flawed = not hedged.empty and not plain.empty
    return _finding("sample", "Sample stated exactly or approximately",
                    "one statement of the split by source type",
                    f"stated without qualification ({_cite(plain)}) and as approximate ({_cite(hedged)}), "
                    f"although the total is given exactly ({_cite(_ids(statements, key='sample_size'))})"
                    if flawed else f"{len(split)} statements of the split, all alike ({_cite(split)})",
                    flawed, PRESENTATION, False)


CONTRADICTORY_DESIGNS = [("purposive_sampling", "systematic_review")]


def design_labels(statements: pd.DataFrame) -> Check:
    """The design should be described one way. Purposive selection and a systematic review
    sit uneasily together: a systematic review selects by a stated protocol, and the article
    gives none, so which procedure was followed cannot be checked."""
    clashes = []
    for one, other in CONTRADICTORY_DESIGNS:
        first, second = _ids(statements, key=one), _ids(statements, key=other)
        if len(first) and len(second):
            clashes.append(f"{one.replace('_', ' ')} ({_cite(first)}) against {other.replace('_', ' ')} "
                           f"({_cite(second)})")
    return _finding("design", "Design labels agree",
                    "one description of how documents were selected, with its protocol if it was systematic",
                    f"labels in tension: {len(clashes)}" + (f" ({'; '.join(clashes)}); no protocol is given"
                                                            if clashes else ""),
                    bool(clashes), UNVERIFIABLE, True)


# --- the tables -------------------------------------------------------------------------

def table_totals(findings: pd.DataFrame, sample: pd.DataFrame) -> list[Check]:
    """One check per table: a sum above the sample means documents counted under several
    rows, which needs a stated coding rule the article does not give."""
    size = sample_size(sample)
    checks = []
    for table, part in findings.groupby("table"):
        total = int(part["n_sources"].sum())
        checks.append(_finding("tables", f"Table {table}: counts against the sample size",
                               f"counts out of {size} documents, with a rule saying whether a document may "
                               "count under several rows",
                               f"the rows sum to {total}"
                               + (f", {total - size} more than the sample, so documents count under several "
                                  "rows; no rule is stated" if total > size else "")
                               + f" (data/findings.csv table {table})",
                               total > size, UNVERIFIABLE, True))
    return checks


def counts_within_sample(findings: pd.DataFrame, sample: pd.DataFrame) -> Check:
    """No single count may exceed the sample size."""
    size = sample_size(sample)
    largest = findings.loc[findings["n_sources"].idxmax()]
    return _finding("tables", "Each count within the sample size", f"counts out of {size} documents",
                    f"the largest count is {int(largest['n_sources'])} (data/findings.csv table "
                    f"{largest['table']} row {largest['row']})", int(largest["n_sources"]) > size, ERROR, True)


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
        checks.append(_finding("tables", f"Table {table}: ratings and counts in the same order",
                               "higher ratings with more documents (the article gives no rule for the ratings)",
                               f"Spearman's rho = {rho:.2f}; {discordant} pairs where the higher rating has fewer "
                               f"documents (data/findings.csv table {table})",
                               discordant > 0, UNVERIFIABLE, False))
    return checks


def quantifiers_against_counts(statements: pd.DataFrame, findings: pd.DataFrame, sample: pd.DataFrame) -> Check:
    """'Most' or 'the majority' should describe more than half of the sample."""
    size = sample_size(sample)
    rows = findings.set_index("key")
    claims = _ids(statements, kind="quantifier")
    claims = claims[claims["quote"].str.contains(MAJORITY) & claims["key"].isin(rows.index)]
    wrong = []
    for claim in claims.itertuples():
        row = rows.loc[claim.key]
        table = findings[findings["table"] == row["table"]]
        if 2 * int(row["n_sources"]) <= size:
            wrong.append(f"'{MAJORITY.search(claim.quote).group(0)}' ({claim.id}) for {int(row['n_sources'])} of "
                         f"{size} documents (data/findings.csv table {row['table']} row {row['row']}; the largest "
                         f"count of Table {row['table']} is {int(table['n_sources'].max())})")
    return _finding("tables", "'Most' and 'majority' against the counts",
                    "a majority word for more than half of the sample",
                    f"majority words for half the sample or less: {len(wrong)} of {len(claims)}"
                    + (f" ({'; '.join(wrong)})" if wrong else ""), bool(wrong), ERROR, True)


def unquantified_claims(statements: pd.DataFrame, findings: pd.DataFrame) -> Check:
    """Quantifying words with no count behind them ('ample', 'at a high rate', a majority
    of something not counted) cannot be checked."""
    claims = _ids(statements, kind="quantifier")
    vague = claims[~(claims["quote"].str.contains(MAJORITY) & claims["key"].isin(set(findings["key"])))]
    return _finding("tables", "Quantifying words with a count behind them",
                    "every quantifying word backed by a count that decides it",
                    f"quantifying words without such a count: {len(vague)}"
                    + (f" ({_cite(vague)})" if len(vague) else ""),
                    not vague.empty, UNVERIFIABLE, True)


# --- labels and text --------------------------------------------------------------------

def rating_labels_consistent(findings: pd.DataFrame) -> Check:
    """The same rating level should be printed the same way in every table."""
    printed = pd.concat([
        findings[["rating_level", "rating_printed"]].dropna().set_axis(["level", "printed"], axis=1),
        findings.assign(printed=findings["count_printed"].str.extract(r"^([A-Za-z–-]+) \(", expand=False))
        [["agreement_level", "printed"]].dropna().set_axis(["level", "printed"], axis=1)])
    forms = printed.groupby("level", observed=True)["printed"].unique()
    varied = {level: list(values) for level, values in forms.items() if len(values) > 1}
    detail = "; ".join(f"{level}: {' vs '.join(v)}" for level, v in varied.items())
    return _finding("labels", "One spelling per rating level across tables", "the same scale printed alike",
                    f"levels printed in more than one way: {len(varied)}"
                    + (f" ({detail}; data/findings.csv)" if detail else ""), bool(varied), PRESENTATION, False)


def agreement_column_complete(findings: pd.DataFrame, tables: pd.DataFrame) -> Check:
    """A column headed as a level should give a level in every row."""
    table3 = tables.loc[tables["count_column"].str.contains("Level"), "table"]
    rows = findings[findings["table"].isin(table3)]
    missing = rows[rows["agreement_level"].isna()]
    header = join_labels(list(tables.loc[tables["table"].isin(table3), "count_column"]))
    return _finding("labels", f"'{header}' filled in every row", "a level for each indicator",
                    f"rows printing a count without a level: {len(missing)} of {len(rows)}"
                    + (f" (data/findings.csv table {join_labels([str(t) for t in table3])} rows "
                       f"{', '.join(map(str, missing['row']))})" if len(missing) else ""),
                    not missing.empty, PRESENTATION, False)


def titles_consistent(exhibits: pd.DataFrame, tables: pd.DataFrame) -> Check:
    """A table and the figure that charts it should carry the same title."""
    titles = exhibits.set_index(["kind", "number"])["title"]
    differ = [f"Table {t.table} / Figure {t.figure}" for t in tables.itertuples()
              if titles[("table", t.table)] != titles[("figure", t.figure)]]
    return _finding("labels", "Table and figure titles identical", "each figure titled as the table it charts",
                    f"pairs differing in typography: {len(differ)}"
                    + (f" ({join_labels(differ)}; data/exhibits.csv)" if differ else ""),
                    bool(differ), PRESENTATION, False)


def repeated_text(statements: pd.DataFrame) -> Check:
    """No heading or sentence should be printed twice."""
    repeats = _ids(statements, kind=["repetition", "heading"])
    groups = [part for _, part in repeats.groupby("key", sort=False) if len(part) > 1]
    what = {"repetition": "a sentence restated in the next one", "heading": "a heading printed twice"}
    found = [f"{what[part['kind'].iloc[0]]} at line {part['line'].iloc[0]} ({_cite(part)})" for part in groups]
    return _finding("labels", "Text said twice", "each heading and sentence said once",
                    f"passages said twice: {len(groups)}" + (f" ({'; '.join(found)})" if found else ""),
                    bool(groups), PRESENTATION, False)


def balanced_quotation_marks(statements: pd.DataFrame) -> Check:
    """Every opened quotation should be closed."""
    quotes = _ids(statements, kind="quotation")
    unclosed = quotes[quotes["quote"].str.count('"') % 2 == 1]
    return _finding("labels", "Quotation marks balanced", "every quotation opened and closed",
                    f"quotations never closed in their paragraph: {len(unclosed)}"
                    + (f" ({_cite(unclosed)})" if len(unclosed) else ""), not unclosed.empty, PRESENTATION, False)


# --- the design against the results and the back matter --------------------------------

def objectives_answered(objectives: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Every objective and research question should be answered by some result."""
    open_ = unanswered_objectives(objectives)
    evidence = _cite(_ids(statements, key=list(open_)))
    return _finding("design", "Objectives and questions answered by a result",
                    f"each of the {len(objectives)} objectives and questions answered by a result",
                    f"answered by no table or figure: {len(open_)} of {len(objectives)}"
                    + (f", {join_labels(open_)} ({evidence}; the compendium's coverage reading in "
                       "data/objectives.csv)" if open_ else ""),
                    bool(open_), UNVERIFIABLE, False)


def questions_paired(objectives: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Each research question should derive from an objective, as section 1.4 says."""
    questions = objectives[objectives["kind"] == "question"]
    unpaired = unpaired_questions(objectives)
    return _finding("design", "Questions drawn from the objectives",
                    f"the questions drawn from the objectives, as stated "
                    f"({_cite(_ids(statements, key='questions_from_objectives'))})",
                    f"questions matching no objective: {len(unpaired)} of {len(questions)}"
                    + (f", {join_labels(unpaired)} ({_cite(_ids(statements, key=unpaired))}; the compendium's "
                       "pairing in data/objectives.csv); the article does not say which objective it comes from"
                       if unpaired else ""),
                    bool(unpaired), UNVERIFIABLE, False)


def exhibits_referred(exhibits: pd.DataFrame) -> Check:
    """Every table and figure should be referred to in the prose."""
    silent = exhibits[exhibits["text_references"] == 0]
    names = [f"{k.capitalize()} {n}" for k, n in zip(silent["kind"], silent["number"], strict=True)]
    return _finding("design", "Tables and figures referred to in the text", "each exhibit referred to in the prose",
                    f"never referred to in the prose: {len(silent)} of {len(exhibits)}"
                    + (f", {join_labels(names)} (data/exhibits.csv)" if names else ""),
                    not silent.empty, PRESENTATION, False)


def themes_reported(codebook: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """The key themes named in the method should be the ones the results report."""
    themes = codebook[codebook["level"] == "theme"]
    unreported = themes.loc[themes["table"].isna(), "code"]
    evidence = _cite(_ids(statements, key=["method_themes", "results_themes"], section=["3.6", "4"]))
    return _finding("design", "Themes of the method reported in the results",
                    "the key themes of the analysis are the themes of the results",
                    f"themes named without a results table: {len(unreported)} of {len(themes)}"
                    + (f" ({evidence}; data/codebook.csv rows {', '.join(unreported)}); the article does not say "
                       "how the key themes became the results' themes" if len(unreported) else ""),
                    not unreported.empty, UNVERIFIABLE, False)


def back_matter_fits_design(statements: pd.DataFrame) -> Check:
    """A study of documents only has no participants: no consent, no human-subjects approval."""
    documents_only = _ids(statements, key="secondary_data")
    human = _ids(statements, kind="ethics")
    flawed = not documents_only.empty and not human.empty
    return _finding("design", "Back matter fits a documents-only study",
                    f"no participants in a study of secondary documents only ({_cite(documents_only)})",
                    f"statements about participants: {len(human)}, thanks to them, their informed consent and "
                    f"compliance with ethical standards for research on humans ({_cite(human)})"
                    if flawed else "no statement about participants",
                    flawed, ERROR, False)


def data_available(statements: pd.DataFrame) -> Check:
    """The coding behind the counts should be published, not kept on request."""
    on_request = _ids(statements, kind="data_availability", key="data_on_request")
    return _finding("design", "Coding behind the counts available",
                    "the document-level coding published with the article",
                    f"available only from the corresponding author on request ({_cite(on_request)}); no count of "
                    "Tables 1–3 can be traced to documents" if len(on_request) else "no statement keeps data back",
                    not on_request.empty, UNVERIFIABLE, True)


NEGATED = re.compile(r"\b(?:not|undermin\w*|never|no)\b", re.IGNORECASE)


def neutrality_stated_alike(statements: pd.DataFrame) -> Check:
    """Pakistan should not be called neutral in one place and not neutral in another."""
    said = _ids(statements, key="neutrality")
    denied = said[said["quote"].str.contains(NEGATED)]
    affirmed = said[~said["quote"].str.contains(NEGATED)]
    flawed = not denied.empty and not affirmed.empty
    return _finding("design", "Neutrality described one way", "one account of whether Pakistan acted as a neutral",
                    f"called neutral ({_cite(affirmed)}) and not neutral, or less neutral ({_cite(denied)})"
                    if flawed else f"statements on neutrality: {len(said)}, all alike", flawed, ERROR, False)


def dated_support(statements: pd.DataFrame, article: dict) -> Check:
    """Claims about Pakistan's recent mediation should rest on sources from the period."""
    claims = _ids(statements, kind="claim", key="recent_pakistan")
    support = _ids(statements, kind="support", key="recent_pakistan")
    years = sorted(int(y) for quote in support["quote"] for y in re.findall(r"\b(?:19|20)\d{2}\b", quote))
    published = int(article["year"])
    old = bool(years) and max(years) < published - 5
    return _finding("citations", "Recent claims resting on recent sources",
                    "claims the article presents as recent findings about Pakistan cite work from the five years "
                    "before the article",
                    f"claims presented as recent ({_cite(claims)}) cite works from {years[0]}–{years[-1]} "
                    f"({_cite(support)}), years before the article ({published}); whether those works speak of "
                    "Pakistan's part at all cannot be told from the article" if old
                    else f"cited works from {', '.join(map(str, years)) or 'no year'} ({_cite(support)})",
                    old, UNVERIFIABLE, False)


def gap_against_own_sources(statements: pd.DataFrame, references: pd.DataFrame) -> Check:
    """A claimed research gap should not be contradicted by the article's own reference list."""
    gap = _ids(statements, key="research_gap")
    listed = listed_works(references)
    on_topic = listed[listed["title"].str.contains("Pakistan") & listed["title"].str.contains("mediat")]
    flawed = not gap.empty and not on_topic.empty
    names = join_labels(list(work_label(listed)[list(on_topic["key"])]))
    return _finding("citations", "Claimed research gap against the reference list",
                    f"no listed work on the topic the article calls unstudied ({_cite(gap)})",
                    f"listed works whose titles name Pakistan's mediation: {len(on_topic)} ({names}; references.bib); "
                    "the article does not say why they do not count as systematic study" if flawed
                    else "no listed work on the topic", flawed, UNVERIFIABLE, False)


def quality_assurances(statements: pd.DataFrame) -> Check:
    """Claims that the method secured validity or uniformity should come with the evidence for it."""
    assurances = _ids(statements, kind="assurance")
    return _finding("design", "Assurances of quality with evidence", "each claim of validity or uniformity shown",
                    f"assurances with nothing to show them: {len(assurances)} ({_cite(assurances)})"
                    if len(assurances) else "no assurance of quality", not assurances.empty, UNVERIFIABLE, False)


def run_audit(d: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every check on the data bundle ``d`` (keys: the resource names, ``references`` and ``article``).

    One row per check, sorted by verdict class (errors first): area, check, expected,
    observed, verdict, changes_result.
    """
    st = d["statements"]
    checks = [
        unresolved_citations(d["citations"]),
        uncited_references(d["citations"], d["references"]),
        name_spellings(d["citations"], d["references"]),
        duplicate_references(d["references"]),
        gap_against_own_sources(st, d["references"]),
        dated_support(st, d["article"]),
        citation_style(d["citations"], st),
        reference_formatting(d["references"], st),
        sample_identifiable(d["sample"], d["references"], st),
        sampling_window(d["references"], d["search_strategy"], st),
        sample_stated_alike(st),
        design_labels(st),
        *table_totals(d["findings"], d["sample"]),
        counts_within_sample(d["findings"], d["sample"]),
        *ratings_follow_counts(d["findings"]),
        quantifiers_against_counts(st, d["findings"], d["sample"]),
        unquantified_claims(st, d["findings"]),
        rating_labels_consistent(d["findings"]),
        agreement_column_complete(d["findings"], d["tables"]),
        titles_consistent(d["exhibits"], d["tables"]),
        repeated_text(st),
        balanced_quotation_marks(st),
        objectives_answered(d["objectives"], st),
        questions_paired(d["objectives"], st),
        exhibits_referred(d["exhibits"]),
        themes_reported(d["codebook"], st),
        back_matter_fits_design(st),
        neutrality_stated_alike(st),
        quality_assurances(st),
        data_available(st),
    ]
    frame = pd.DataFrame([asdict(c) for c in checks])
    frame["verdict"] = pd.Categorical(frame["verdict"], categories=CLASSES, ordered=True)
    return frame.sort_values("verdict", kind="stable", ignore_index=True)


def audit_table(result: pd.DataFrame) -> pd.DataFrame:
    """The audit as a publishable table: verdict first, then what was checked and found."""
    return pd.DataFrame({
        "Verdict": result["verdict"].astype(str), "Can change a result": result["changes_result"].map(
            {True: "yes", False: "no"}),
        "Area": result["area"], "Check": result["check"], "Expected": result["expected"],
        "Observed (evidence)": result["observed"],
    })


def class_counts(result: pd.DataFrame) -> dict:
    """How many checks fall in each verdict class, and how many findings can change a result."""
    counts = {name: int((result["verdict"] == name).sum()) for name in CLASSES}
    return {"n_checks": int(len(result)), **counts, "changes_result": int(result["changes_result"].sum())}
