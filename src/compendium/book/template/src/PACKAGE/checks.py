"""The rules the data and the bibliography must keep, checked before anything runs: one line per
problem, naming the file, the row, the field, the value and the rule (``make validate``)."""
from __future__ import annotations

from pathlib import Path


def _data_lines(root: Path) -> list[str]:
    from frictionless import Checklist, Package

    # the recorded hashes tell published data from modified data (the book's banner), not valid from invalid
    checklist = Checklist(skip_errors=["hash-count", "byte-count"])
    report = Package(str(root / "data" / "datapackage.json")).validate(checklist=checklist)
    lines = []
    for task in report.tasks:
        where = f"data/{task.place}"
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            cell = getattr(error, "cell", None)
            place = "".join([f" row {row - 1} (line {row})" if row else "", f", field {field}" if field else ""])
            value = f"{cell!r} breaks the rule: " if cell is not None else ""
            lines.append(f"{where}{place}: {value}{error.note or error.message}")
    lines += [f"data/datapackage.json: {error.note or error.message}" for error in report.errors]
    return lines


def _sample_lines(root: Path) -> list[str]:
    """A rule across files: no theme is discussed in more documents than were reviewed."""
    from frictionless import Package

    package = Package(str(root / "data" / "datapackage.json"))
    read = {name: package.get_resource(name).read_rows() for name in ("themes", "sample")}
    size = sum(row["n_documents"] for row in read["sample"])
    return [f"data/themes.csv row {number} (line {number + 1}), field n_documents: {row['n_documents']} exceeds the "
            f"sample size {size} (sum of sample.csv)"
            for number, row in enumerate(read["themes"], start=1) if row["n_documents"] > size]


def _bibliography_lines(root: Path) -> list[str]:
    from pybtex.database import parse_file
    from pybtex.scanner import PybtexError

    try:
        entries = parse_file(str(root / "references.bib"), bib_format="bibtex").entries
    except (PybtexError, OSError) as exc:
        return [f"references.bib: {(str(exc).splitlines() or [''])[0]}"]
    return [f"references.bib entry {key}, field {field}: missing but required"
            for key, entry in entries.items() for field in ("title", "year")
            if field not in entry.fields] + [f"references.bib entry {key}, field author: missing but required"
                                             for key, entry in entries.items() if not entry.persons.get("author")]


def validate(root: Path) -> list[str]:
    """Every problem with the data package and the bibliography, one line each (empty when valid)."""
    lines = _data_lines(root)
    return (lines or _sample_lines(root)) + _bibliography_lines(root)
