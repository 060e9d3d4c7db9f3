"""The parameters readers may pass to a notebook rerun, with their types and allowed values.

A notebook declares the parameters it takes in its papermill ``parameters`` cell; this
module says what each name means and which values are valid, and refuses anything else
before a notebook runs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class Parameter:
    """One rerun parameter: how to read it from text and what makes a value valid."""

    convert: Callable[[str], object]
    rule: str
    valid: Callable[[object], bool]


PARAMETERS = {
    "confidence": Parameter(float, "a number strictly between 0 and 1", lambda v: 0 < v < 1),
    "alpha": Parameter(float, "a number strictly between 0 and 1", lambda v: 0 < v < 1),
    "data_dir": Parameter(str, "a folder holding datapackage.json",
                          lambda v: (Path(v) / "datapackage.json").is_file()),
    "bib_path": Parameter(str, "an existing BibTeX file", lambda v: Path(v).is_file()),
    "codings_dir": Parameter(str, "a folder of codings (<coder>.csv files)", lambda v: Path(v).is_dir()),
    "resamples": Parameter(int, "a whole number from 100 to 100000", lambda v: 100 <= v <= 100_000),
}
PATHS = ("data_dir", "bib_path", "codings_dir")


class ParameterError(ValueError):
    """A parameter was refused; the message is one line naming it and the rule."""


def parse(assignments: list[str], declared: set[str]) -> dict:
    """``["confidence=0.9", ...]`` as typed values, refusing unknown names and invalid values.

    ``declared`` holds the names the chosen notebooks take. Paths are made absolute (relative
    to the current folder) because notebooks run in their own folder.
    """
    values, given = {}, {}
    for item in assignments:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"parameter {item!r}: write it as name=value")
        if name not in declared or name not in PARAMETERS:
            raise ParameterError(f"parameter {name!r} is unknown; these notebooks take: {', '.join(sorted(declared))}")
        if name in given:
            raise ParameterError(f"parameter {name} is given twice ({given[name]!r} and {text!r}); give it once")
        given[name] = text
        spec = PARAMETERS[name]
        try:
            value = spec.convert(text.strip())
        except ValueError:
            raise ParameterError(f"parameter {name}: {text!r} is not {spec.rule}") from None
        if not spec.valid(value):
            raise ParameterError(f"parameter {name}: {text!r} is not {spec.rule}")
        values[name] = str(Path(value).resolve()) if name in PATHS else value
    return values
