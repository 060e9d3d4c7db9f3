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


def level(confidence: float) -> str:
    """A confidence level in per cent with as many digits as it has, never rounded: 0.95 is '95%',
    0.995 is '99.5%', 0.9999999999999999 is '99.99999999999999%' (not a '100%' interval)."""
    from decimal import Decimal

    return f"{(Decimal(repr(float(confidence))) * 100).normalize():f}%"
