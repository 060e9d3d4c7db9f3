"""Author-year labels for reference lists: 'A (2018)', 'A & B (2005)', 'A et al. (2013)', with a
letter after the year where a label would name more than one work ('A (2015a)', 'A (2015b)')."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from string import ascii_lowercase


def label_names(first: str, second: str | None, n_authors: int) -> str:
    """How a label names a work's authors: 'A' alone, 'A & B' for two, 'A et al.' for three or more."""
    if n_authors > 2:
        return f"{first} et al."
    return f"{first} & {second}" if n_authors == 2 else first


def dated_labels(names: Sequence[str], years: Sequence[object]) -> list[str]:
    """'Names (year)' for each work, in the given order; where that label would name more than one
    work, each of them gets a letter after its year (a, b, ... in that order), so every label is unique."""
    plain = [f"{name} ({year})" for name, year in zip(names, years, strict=True)]
    repeats, seen = Counter(plain), Counter()
    labels = []
    for name, year, label in zip(names, years, plain, strict=True):
        if repeats[label] > 1:
            suffix = ascii_lowercase[seen[label]]
            seen[label] += 1
            label = f"{name} ({year}{suffix})"
        labels.append(label)
    return labels


def author_year(authors: Sequence[Sequence[str]], years: Sequence[object]) -> list[str]:
    """One label per work, from the surnames of its authors and its year, in the given order."""
    names = [label_names(surnames[0], surnames[1] if len(surnames) > 1 else None, len(surnames))
             for surnames in authors]
    return dated_labels(names, years)
