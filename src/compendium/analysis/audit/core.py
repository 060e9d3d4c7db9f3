"""What every audit check shares: the ``Check`` it returns, the verdict classes, the registry.

``@check`` registers a function where it is defined; its parameters name the entries of the
data bundle it takes (resource names of ``data/datapackage.json``, ``references`` or
``article``), so a new check needs no second list anywhere.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

ERROR, UNVERIFIABLE, PRESENTATION, CONSISTENT = "error", "unverifiable", "presentation", "consistent"
CLASSES = (ERROR, UNVERIFIABLE, PRESENTATION, CONSISTENT)
PROPER = {"us": "US", "iranian": "Iranian", "saudi": "Saudi", "pakistan": "Pakistan"}  # keys shown as words


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


@dataclass(frozen=True)
class Registered:
    """A registered check: its name, its function and the entries of the data bundle it takes, in order."""

    name: str
    function: Callable
    needs: tuple[str, ...]


REGISTRY: list[Registered] = []


def check(function: Callable) -> Callable:
    """Register ``function`` as a check of the audit (see the module's docstring)."""
    REGISTRY.append(Registered(function.__name__, function, tuple(inspect.signature(function).parameters)))
    return function


def finding(area: str, name: str, expected: str, observed: str, flawed: bool, flaw: str, changes: bool) -> Check:
    """A Check whose verdict is ``flaw`` when ``flawed`` and ``consistent`` otherwise."""
    return Check(area, name, expected, observed, flaw if flawed else CONSISTENT, flawed and changes)


def select(statements: pd.DataFrame, **where) -> pd.DataFrame:
    """The statements whose columns equal the given values (a list: any of them)."""
    chosen = statements
    for column, value in where.items():
        chosen = chosen[chosen[column].isin(value if isinstance(value, (list, tuple, set)) else [value])]
    return chosen


def cite(rows: pd.DataFrame) -> str:
    """Statement ids as evidence: 's4-1-most, s4-3-most'."""
    return ", ".join(rows["id"])


def words(key: str) -> str:
    """A snake_case key as words for a sentence: 'us_scepticism' -> 'US scepticism'."""
    return " ".join(PROPER.get(word, word) for word in key.split("_"))


def counts_reading(size: int) -> str:
    """The compendium's reading of what the counts of Tables 1-3 are counted out of, as a clause."""
    return (f"on the compendium's reading that each count is a number of the {size} sampled documents, "
            "which the article does not state")


def constraints_outside(statements: pd.DataFrame, findings: pd.DataFrame, sections: list[str]) -> pd.DataFrame:
    """The constraints named in ``sections`` (statements of kind ``constraint``) that are not rows of
    the constraints table (Table 2)."""
    named = select(statements, kind="constraint", section=sections)
    return named[~named["key"].isin(set(findings.loc[findings["table"] == 2, "key"]))]
