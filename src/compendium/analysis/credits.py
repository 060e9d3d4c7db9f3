"""What the article credits its cited works with, read against the reference list.

Pure functions on ``citations.csv`` (one row per in-text citation, with the compendium's
reading of what the citing sentence credits the work with: ``about``, its subjects, and
``conditions``, the conditions of effective mediation it names) and the reference list.
"""
from __future__ import annotations

import re

import pandas as pd

from compendium.analysis.bibliography import UNRESOLVED
from compendium.analysis.synthesis import listed_works, work_label

# Words of a title that name a subject of ``about``. Only these subjects decide whether a title fits a
# claim: ``us_iran`` and ``international_order`` name a setting or a level of generality, which a title
# about something else may still cover.
TITLE_SUBJECTS = {
    "mediation": r"mediat|conflict resolution|managing conflict|conflicts end|intervention|third parties",
    "pakistan": r"Pakistan",
    "middle_powers": r"middle powers?|regional powers?",
    "coercion": r"sanction|coerci",
    "gulf": r"\bGulf\b",
    "hedging": r"hedging",
}


SUBJECTS = {"mediation": "mediation", "pakistan": "Pakistan", "middle_powers": "middle powers",
            "coercion": "sanctions and coercion", "us_iran": "US–Iran relations", "gulf": "the Gulf",
            "hedging": "hedging", "international_order": "the international order"}  # each subject as words


def _first_author_words(author_string: str) -> list[str]:
    """The words naming the first author of a citation: 'Irfan Karim' -> ['Irfan', 'Karim']."""
    return author_string.split(",")[0].split("&")[0].split(" and ")[0].split()


def forename_conflicts(citations: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Resolved citations whose written forename does not fit the initial of the entry they resolve
    to ('Q. Bell' for 'Bell, B.'): such a citation names someone else, or the entry is wrong, so it
    cannot be resolved. One row per citation: occurrence, author string, year, key."""
    entries = listed_works(references).set_index("key")
    rows = []
    for cite in citations[citations["key"].isin(entries.index)].itertuples():
        surname, given = entries.at[cite.key, "first_author"], str(entries.at[cite.key, "first_author_given"] or "")
        words = _first_author_words(cite.author_string)
        if surname in words and words.index(surname) > 0 and given and not words[0].startswith(given[0]):
            rows.append({"occurrence": cite.occurrence, "author_string": cite.author_string, "year": cite.year,
                         "key": cite.key})
    return pd.DataFrame(rows, columns=["occurrence", "author_string", "year", "key"])


def namesakes(author_string: str, references: pd.DataFrame) -> list[str]:
    """Labels of the listed works whose first author has the surname the citation writes last:
    'Irfan Karim' -> ['Karim, U. (2026)']."""
    surname = _first_author_words(author_string)[-1]
    listed = listed_works(references)
    same = listed[listed["first_author"] == surname]
    return [f"{row.first_author}, {row.first_author_given} ({row.year})" for row in same.itertuples()]


def conditions_by_work(citations: pd.DataFrame) -> pd.DataFrame:
    """The conditions of effective mediation each cited work is credited with, one row per work and
    section: key, section, conditions (a sorted tuple) and the statements quoting the claim."""
    credited = citations[(citations["key"] != UNRESOLVED) & citations["conditions"].notna()]
    rows = [{"key": key, "section": section, "conditions": tuple(sorted({c for value in part["conditions"]
                                                                        for c in value.split()})),
             "statements": ", ".join(dict.fromkeys(part["statement"]))}
            for (key, section), part in credited.groupby(["key", "section"], sort=False)]
    return pd.DataFrame(rows, columns=["key", "section", "conditions", "statements"])


def differing_conditions(citations: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``conditions_by_work`` for works credited in two or more sections with
    conditions that are not the same."""
    found = conditions_by_work(citations)
    varied = found.groupby("key")["conditions"].transform(lambda c: c.nunique() > 1)
    return found[varied]


def title_subjects(title: str) -> set[str]:
    """The subjects of ``TITLE_SUBJECTS`` that a title names."""
    return {subject for subject, words in TITLE_SUBJECTS.items() if re.search(words, title, re.IGNORECASE)}


def titles_off_claim(citations: pd.DataFrame, references: pd.DataFrame) -> pd.DataFrame:
    """Resolved citations of a work whose title names subjects and none of the subjects of the claim
    it is cited for. One row per citation: occurrence, key, work label, title, the title's subjects,
    the claim's subjects, the statement quoting the claim, and the subjects of the work's other citations."""
    listed = listed_works(references).set_index("key")
    labels = work_label(listed_works(references))
    rows = []
    for cite in citations[citations["key"].isin(listed.index)].itertuples():
        named, claimed = title_subjects(listed.at[cite.key, "title"]), set(cite.about.split())
        if named and not named & claimed:
            elsewhere = citations[(citations["key"] == cite.key) & (citations["occurrence"] != cite.occurrence)]
            rows.append({"occurrence": cite.occurrence, "key": cite.key, "work": labels[cite.key],
                         "title": listed.at[cite.key, "title"], "title_subjects": sorted(named),
                         "claim_subjects": sorted(claimed), "statement": cite.statement,
                         "elsewhere": list(zip(elsewhere["statement"], elsewhere["about"], strict=True))})
    return pd.DataFrame(rows, columns=["occurrence", "key", "work", "title", "title_subjects", "claim_subjects",
                                       "statement", "elsewhere"])
