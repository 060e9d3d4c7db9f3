"""The words the audit reads in the article's statements: quantifiers, hedges, negations, strength.

Each pattern is matched against the verbatim quotations of ``data/statements.csv``; which
words count as strong or as limiting is the compendium's reading, stated here once.
"""
from __future__ import annotations

import re

MAJORITY = re.compile(r"\b(?:most|majority)\b", re.IGNORECASE)
APPROXIMATE = re.compile(r"\b(?:approximately|about|around|roughly|some)\b", re.IGNORECASE)
QUALIFIED = re.compile(r"\b(?:in some|not necessarily|partly|at times)\b", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:not|undermin\w*|never|no)\b", re.IGNORECASE)
SUPERLATIVE = re.compile(r"\b(?:greatest|most successful|strongest|largest|highest)\b", re.IGNORECASE)
STRONG = re.compile(r"\b(?:pivotal|significant|enhanced|eliminated)\b", re.IGNORECASE)
LIMITED = re.compile(r"\b(?:limited|not directly|rather facilitative|more of a)\b", re.IGNORECASE)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
AUTHOR_YEAR = re.compile(r"^\D+, (?:\d{4}|n\.d\.)[a-z]?$")
NUMBERS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def strength(quote: str) -> str | None:
    """'strong' or 'limited' for a statement that rates something in words of that kind, else None
    (a quotation using both kinds of words is read as limited: 'significant but limited')."""
    if LIMITED.search(quote):
        return "limited"
    return "strong" if STRONG.search(quote) else None


def stated_number(quote: str) -> int | None:
    """The first number a quotation states, in digits or as a word up to twelve ('four' -> 4)."""
    for word in re.findall(r"[A-Za-z]+|\d+", quote):
        if word.isdigit():
            return int(word)
        if word.lower() in NUMBERS:
            return NUMBERS[word.lower()]
    return None
