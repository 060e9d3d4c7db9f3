"""Phrasing helpers: values as the words a sentence needs."""
from __future__ import annotations


def join_labels(labels) -> str:
    """Labels as an English list: 'A', 'A and B', 'A, B and C'."""
    labels = list(labels)
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def against(value: int, reference: int) -> str:
    """How ``value`` stands to ``reference`` as words before it: '13 more than', '7 fewer than', 'as many as'."""
    if value == reference:
        return "as many as"
    return f"{abs(value - reference)} {'more' if value > reference else 'fewer'} than"
