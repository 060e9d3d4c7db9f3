"""Checks of the design against itself: the problem, the objectives and questions, and what they ask about."""
from __future__ import annotations

import pandas as pd

from compendium.analysis.audit.core import (
    ERROR,
    UNVERIFIABLE,
    Check,
    check,
    cite,
    constraints_outside,
    finding,
    select,
    words,
)
from compendium.analysis.phrasing import join_labels
from compendium.analysis.synthesis import (
    sample_size,
    unanswered_objectives,
    unpaired_questions,
)
from compendium.analysis.wording import (
    YEAR,
    stated_number,
)


@check
def stated_numbers(statements: pd.DataFrame, objectives: pd.DataFrame, codebook: pd.DataFrame,
                   sample: pd.DataFrame) -> Check:
    """A number the text states for a list (objectives, questions, themes of the results, the
    sample) should be the number of items the article lists."""
    listed = {"objectives": int((objectives["kind"] == "objective").sum()),
              "questions": int((objectives["kind"] == "question").sum()),
              "results_themes": int(((codebook["level"] == "theme") & codebook["table"].notna()).sum()),
              "sample_size": sample_size(sample)}
    what = {"objectives": "objectives listed in section 1.3", "questions": "questions listed in section 1.4",
            "results_themes": "themes with a results table", "sample_size": "documents of the split by source type"}
    stated = [(row, stated_number(row.quote)) for row in select(statements, key=list(listed)).itertuples()]
    stated = [(row, number) for row, number in stated if number is not None]
    wrong = [f"{number} ({row.id}) against {listed[row.key]} {what[row.key]}"
             for row, number in stated if number != listed[row.key]]
    return finding("design", "Numbers in the text against what they count",
                    "each number the text gives for a list equal to the items listed",
                    f"numbers that differ from what they count: {len(wrong)} of {len(stated)}"
                    + (f" ({'; '.join(wrong)})" if wrong else f" ({', '.join(row.id for row, _ in stated)}; "
                                                             "data/objectives.csv, codebook.csv, sample.csv)"),
                    bool(wrong), ERROR, True)


@check
def problem_aims_in_objectives(statements: pd.DataFrame, objectives: pd.DataFrame) -> Check:
    """What the research problem says the study examines should be taken up by an objective."""
    aims = select(statements, kind="aim")
    ids = set(objectives["id"])
    open_ = aims[~aims["key"].isin(ids)]
    taken = aims[aims["key"].isin(ids)]
    return finding("design", "Aims of the research problem taken up by the objectives",
                    "each aim section 1.2 names taken up by an objective or question",
                    f"aims that no objective or question takes up: {len(open_)} of {len(aims)}"
                    + (f" ({join_labels([f'{words(r.key)} ({r.id})' for r in open_.itertuples()])}; the others, "
                       f"{cite(taken)}, are taken up by {join_labels(list(dict.fromkeys(taken['key'])))}; which "
                       "objective takes up which aim is the compendium's reading, data/statements.csv key)"
                       if len(open_) else ""),
                    not open_.empty, UNVERIFIABLE, False)


@check
def objectives_answered(objectives: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Every objective and research question should be answered by some result."""
    open_ = unanswered_objectives(objectives)
    evidence = cite(select(statements, key=list(open_)))
    return finding("design", "Objectives and questions answered by a result",
                    f"each of the {len(objectives)} objectives and questions answered by a result",
                    f"answered by no table or figure: {len(open_)} of {len(objectives)}"
                    + (f", {join_labels(open_)} ({evidence}; the compendium's coverage reading in "
                       "data/objectives.csv)" if open_ else ""),
                    bool(open_), UNVERIFIABLE, False)


@check
def questions_paired(objectives: pd.DataFrame, statements: pd.DataFrame) -> Check:
    """Each research question should derive from an objective, as section 1.4 says."""
    questions = objectives[objectives["kind"] == "question"]
    unpaired = unpaired_questions(objectives)
    return finding("design", "Questions drawn from the objectives",
                    f"the questions drawn from the objectives, as stated "
                    f"({cite(select(statements, key='questions_from_objectives'))})",
                    f"questions matching no objective: {len(unpaired)} of {len(questions)}"
                    + (f", {join_labels(unpaired)} ({cite(select(statements, key=unpaired))}; the compendium's "
                       "pairing in data/objectives.csv); the article does not say which objective it comes from"
                       if unpaired else ""),
                    bool(unpaired), UNVERIFIABLE, False)


@check
def question_limitations(statements: pd.DataFrame, findings: pd.DataFrame) -> Check:
    """The limitations the research question on constraints sets out to explore should be reported."""
    named = select(statements, kind="constraint", section="1.4")
    outside = constraints_outside(statements, findings, ["1.4"])
    return finding("design", "Limitations the question on constraints names, among the results",
                    "each limitation section 1.4 says the question on constraints explores reported as a row "
                    "of Table 2",
                    f"limitations named there that no row of Table 2 reports: {len(outside)} of {len(named)}"
                    + (f" ({join_labels([f'{words(r.key)} ({r.id})' for r in outside.itertuples()])}; which named "
                       "limitation a row reports is the compendium's reading, data/statements.csv key)"
                       if len(outside) else ""),
                    not outside.empty, UNVERIFIABLE, False)


@check
def ceasefire_identified(statements: pd.DataFrame) -> Check:
    """The ceasefire the title and abstract name should be identified: which one, and when."""
    mentions = select(statements, key="ceasefire")
    dated = mentions[mentions["quote"].str.contains(YEAR)]
    plural = mentions[mentions["quote"].str.contains(r"\bceasefires\b")]
    return finding("design", "The ceasefire studied identified",
                    "the ceasefire of the title named or dated where the article speaks of it",
                    f"transcribed statements on the ceasefire: {len(mentions)} ({cite(mentions)}), dated in their "
                    f"transcribed words: {len(dated)}"
                    + (f"; one speaks of ceasefires in the plural ({cite(plural)})" if len(plural) else "")
                    + ("; which ceasefire the study examines cannot be told, nor whether the sampled documents "
                       "speak of it" if len(mentions) and dated.empty else ""),
                    bool(len(mentions)) and dated.empty, UNVERIFIABLE, False)
