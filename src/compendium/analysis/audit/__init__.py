"""The article checked against itself, as a referee would: one registered function per check.

Each check takes the DataFrames of the data layer it needs, named by its parameters
(``statements`` among them: the article's own words, transcribed in ``data/statements.csv``),
and returns a ``Check`` (or one per table): what a careful reader expects, what the data
show (naming the statement ids and data rows the finding rests on), a verdict class, and
whether the finding can change a result. The checks live in one module per area and are
registered where they are defined (``core.check``); ``run_audit`` runs them all.

Verdict classes, worst first:

- ``error``: two statements of the article, or a statement and its own numbers, cannot both
  be true, whatever reading is taken;
- ``unverifiable``: the article does not give what one would need to check it, or to tell
  which of two statements that can both be true but pull different ways it holds (a tension),
  or the finding holds only on a reading of the compendium's, which the check names;
- ``presentation``: how the article reports what it gives: typography, formatting, repeated
  text, citation style, rows of a table its text passes over;
- ``consistent``: the check finds nothing.
"""
from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pandas as pd

from compendium.analysis import data
from compendium.analysis.audit import citations, conclusions, design, labels, method, tables
from compendium.analysis.audit.core import (
    CLASSES,
    CONSISTENT,
    ERROR,
    PRESENTATION,
    REGISTRY,
    UNVERIFIABLE,
    Check,
    counts_reading,
)

AREAS = (citations, method, tables, labels, design, conclusions)  # the modules whose checks the registry holds
BIBLIOGRAPHY = ("references", "article")  # entries of the bundle read from references.bib, not from data/
__all__ = ["AREAS", "CLASSES", "CONSISTENT", "ERROR", "PRESENTATION", "REGISTRY", "UNVERIFIABLE", "Check",
           "audit_table", "class_counts", "counts_reading", "load_bundle", "needed", "run_audit"]


def needed() -> list[str]:
    """The entries of the data bundle the registered checks take, in order of first use."""
    return list(dict.fromkeys(name for entry in REGISTRY for name in entry.needs))


def load_bundle(data_dir: Path | str | None = None, bib_path: Path | str | None = None) -> dict:
    """Every entry the registered checks take: each resource by its loader, and from the bibliography
    the reference list (``references``) and the article's own entry (``article``)."""
    bundle = {name: getattr(data, f"load_{name}")(data_dir) for name in needed() if name not in BIBLIOGRAPHY}
    bundle["references"] = data.load_references(bib_path)
    bundle["article"] = data.load_article(bib_path)
    return bundle


def run_audit(d: dict) -> pd.DataFrame:
    """Every registered check on the data bundle ``d`` (``load_bundle``).

    One row per check, sorted by verdict class (errors first): area, check, expected,
    observed, verdict, changes_result.
    """
    checks = []
    for entry in REGISTRY:
        found = entry.function(*(d[name] for name in entry.needs))
        checks += found if isinstance(found, list) else [found]
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
