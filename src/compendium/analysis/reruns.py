"""What a rerun of this book's notebooks may change: the parameters they take, and the check of
the data, bibliography and codings a rerun is pointed at (declared in ``_config.yml``)."""
from __future__ import annotations

from pathlib import Path

from compendium.book.commands.parameters import Parameter, number, whole_number

PARAMETERS = {
    "confidence": Parameter(number, "a number strictly between 0 and 1", lambda v: 0 < v < 1),
    "alpha": Parameter(number, "a number strictly between 0 and 1", lambda v: 0 < v < 1),
    "data_dir": Parameter(str, "a folder holding datapackage.json",
                          lambda v: (Path(v) / "datapackage.json").is_file(), path=True),
    "bib_path": Parameter(str, "an existing BibTeX file", lambda v: Path(v).is_file(), path=True),
    "codings_dir": Parameter(str, "a folder of codings (<coder>.csv files)", lambda v: Path(v).is_dir(), path=True),
    "resamples": Parameter(whole_number, "a whole number from 100 to 100000", lambda v: 100 <= v <= 100_000),
}


def validate_run(root: Path, values: dict) -> list[str]:
    """Every problem, one line each, with the project's data and with the data, bibliography and
    codings a rerun's parameters point at (each checked as the notebooks' loaders will check it)."""
    from compendium.analysis.codings import validate_codings  # pandas and frictionless: after the quick refusals
    from compendium.analysis.validation import validate_all, validate_bibliography, validate_package

    problems = validate_all(root)
    data_dir = Path(values.get("data_dir", root / "data"))
    if "data_dir" in values:
        problems += validate_package(data_dir)  # against the bibliography it declares, as its loaders check it
    if "bib_path" in values:
        problems += validate_bibliography(Path(values["bib_path"]))
        problems += validate_package(data_dir, values["bib_path"])  # its citations against the list in use
    if "codings_dir" in values and not problems:
        problems += validate_codings(values["codings_dir"], data_dir, values.get("bib_path", root / "references.bib"))
    return list(dict.fromkeys(problems))
