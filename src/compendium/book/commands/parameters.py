"""Parameters a reader may pass to a notebook rerun: how a book declares them, and how values are read.

A notebook declares the parameters it takes in its papermill ``parameters`` cell; the book
declares, for each name, how to read a value from text and which values are valid (a dict
of ``Parameter`` named by ``compendium.parameters`` in ``_config.yml``). Anything else is
refused before a notebook runs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

MAX_VALUE = 1000  # characters in one value: far more than any path or number needs, far less than the OS refuses
DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
WHOLE = re.compile(r"[-+]?[0-9]+")


def number(text: str) -> float:
    """A decimal number as a reader writes it (``0.95``, ``.9``, ``1e-3``); no ``_``, ``inf`` or ``nan``
    (which Python's ``float`` would take). Raises ValueError."""
    if not DECIMAL.fullmatch(text):
        raise ValueError(text)
    return float(text)


def whole_number(text: str) -> int:
    """A whole number written in the digits 0-9 (``int`` would also take ``1_000`` and other scripts' digits)."""
    if not WHOLE.fullmatch(text):
        raise ValueError(text)
    return int(text)


@dataclass(frozen=True)
class Parameter:
    """One rerun parameter: how to read it from text and what makes a value valid. A ``path``
    is made absolute (relative to the current folder), because notebooks run in their own folder."""

    convert: Callable[[str], object]
    rule: str
    valid: Callable[[object], bool]
    path: bool = False


class ParameterError(ValueError):
    """A parameter was refused; the message is one line naming it and the rule."""


def parse(assignments: list[str], declared: set[str], specs: dict[str, Parameter]) -> dict:
    """``["confidence=0.9", ...]`` as typed values, refusing unknown names and invalid values.

    ``declared`` holds the names the chosen notebooks take; ``specs`` what the book declares of each.
    """
    values, given = {}, {}
    for item in assignments:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"parameter {item!r}: write it as name=value")
        if name not in declared or name not in specs:
            raise ParameterError(f"parameter {name!r} is unknown; these notebooks take: {', '.join(sorted(declared))}")
        if name in given:
            raise ParameterError(f"parameter {name} is given twice ({given[name]!r} and {text!r}); give it once")
        given[name] = text
        spec = specs[name]
        if len(text) > MAX_VALUE:
            raise ParameterError(f"parameter {name}: {text[:20]!r}… is {len(text)} characters long; a value may "
                                 f"have at most {MAX_VALUE}")
        try:
            value = spec.convert(text.strip())
            valid = spec.valid(value)
        except (ValueError, OSError):  # OSError: a path the system refuses (too long, a NUL byte)
            valid = False
        if not valid:
            raise ParameterError(f"parameter {name}: {text!r} is not {spec.rule}")
        values[name] = str(Path(value).resolve()) if spec.path else value
    return values
