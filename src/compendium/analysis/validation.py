"""Validate the data package and the bibliography; every failure becomes one readable line.

The rules live in ``data/datapackage.json`` (Table Schema types, required fields, enums,
patterns, minimums, primary and foreign keys); frictionless checks them. A few rules that
Table Schema cannot express are checked here, after it.
"""
from __future__ import annotations

import re
from pathlib import Path

from frictionless import FrictionlessException, Package
from frictionless import errors as fl_errors

RULES = {
    "minimum": "is below the minimum {}",
    "maximum": "is above the maximum {}",
    "enum": "is not one of the allowed values {}",
    "pattern": "does not match the pattern {}",
    "required": "is empty but the field is required",
    "unique": "repeats a value that must be unique",
    "minLength": "is shorter than the minimum length {}",
    "maxLength": "is longer than the maximum length {}",
}
BIB_REQUIRED = ("author", "title", "year")
BIB_KEY = re.compile(r"^\s*@\w+\s*\{\s*([^,\s]+)\s*,", flags=re.M)


class DataError(Exception):
    """Raised when data do not satisfy their rules; ``lines`` holds one message per failure."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def _display(path: Path) -> str:
    """The path as a reader knows it: relative to the project when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _constraint_rule(error, schema_field: dict) -> str:
    name = re.search(r'constraint "(\w+)"', error.note)
    name = name.group(1) if name else ""
    value = schema_field.get("constraints", {}).get(name)
    shown = ", ".join(map(str, value)) if isinstance(value, list) else value
    return RULES.get(name, f"breaks the constraint {name}").format(shown)


def _frictionless_line(where: str, error, fields: dict[str, dict]) -> str:
    """One line for one frictionless error, naming row (and line), field, value and rule."""
    position = ""
    if getattr(error, "row_number", None):
        position = f" row {error.row_number - 1} (line {error.row_number})"
    field = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    if isinstance(error, fl_errors.ConstraintError):
        rule = _constraint_rule(error, fields.get(field, {}))
        value = "empty value" if cell in ("", None) else repr(cell)
        return f"{where}{position}, field {field}: {value} {rule}"
    if isinstance(error, fl_errors.TypeError):
        wanted = fields.get(field, {}).get("type", "the declared type")
        return f"{where}{position}, field {field}: {cell!r} is not of type {wanted}"
    if isinstance(error, fl_errors.MissingCellError):
        return f"{where}{position}, field {field}: the cell is missing"
    if isinstance(error, fl_errors.LabelError):
        found = f"{error.label!r}" if error.label else "nothing"
        return (f"{where} header (line 1), column {error.field_number}: found {found} where the schema "
                f"expects {field!r} (expected header: {', '.join(fields)})")
    if isinstance(error, fl_errors.PrimaryKeyError):
        return f"{where}{position}: duplicate primary key ({error.note})"
    if isinstance(error, fl_errors.ForeignKeyError):
        cells = ", ".join(map(repr, error.field_cells))
        return (f"{where}{position}, field {', '.join(error.field_names)}: {cells} is not a "
                f"{'/'.join(error.reference_field_names)} of {error.reference_name}.csv (foreign key)")
    if isinstance(error, fl_errors.EncodingError):
        return f"{where}: not valid UTF-8 ({error.note})"
    return f"{where}{position}{', field ' + field if field else ''}: {error.note or error.title}"


def _count_in(printed: str) -> int | None:
    found = re.search(r"(\d+)\s+sources?", printed)
    return int(found.group(1)) if found else None


def _at(where: str, number: int) -> str:
    return f"{where} row {number} (line {number + 1})"


def _findings_rules(where: str, rows: dict[str, list[dict]]) -> list[str]:
    """Rules across the columns of findings.csv that Table Schema cannot state."""
    import pandas as pd

    from compendium.analysis.synthesis import sample_size as stated_size  # synthesis imports this module

    lines = []
    sample_size = stated_size(pd.DataFrame(rows["sample"], columns=["n_documents"]))
    for number, row in enumerate(rows["findings"], start=1):
        n = row["n_sources"]
        printed = _count_in(row["count_printed"] or "")
        if printed is not None and printed != n:
            lines.append(f"{_at(where, number)}, field n_sources: {n} differs from the {printed} printed in count_printed")
        if n is not None and n > sample_size:
            lines.append(f"{_at(where, number)}, field n_sources: {n} exceeds the sample size {sample_size} (sum of sample.csv)")
        if bool(row["rating_level"]) == bool(row["direction"]):
            lines.append(f"{_at(where, number)}, field rating_level: exactly one of rating_level and direction must be filled")
    return lines


def _list_rule(resource: str, field: str, target: str, allowed) -> callable:
    """A rule: every space-separated item of ``resource.field`` is one of ``allowed(rows)``."""
    def check(where: str, rows: dict[str, list[dict]]) -> list[str]:
        known = allowed(rows)
        if known is None:  # what to check against is itself broken, and reported elsewhere
            return []
        lines = []
        for number, row in enumerate(rows[resource], start=1):
            for item in str(row[field] or "").split():
                if item not in known:
                    lines.append(f"{_at(where, number)}, field {field}: {item!r} is not {target}")
        return lines
    return check


UNRESOLVED = "UNRESOLVED"


def _bib_keys(data_dir: Path) -> set[str] | None:
    """Keys of the project's references.bib, or None when it has problems of its own."""
    bib = data_dir.parent / "references.bib"
    if validate_bibliography(bib):
        return None
    return set(BIB_KEY.findall(bib.read_text(encoding="utf-8")))


CROSS_RULES = {
    "findings": [_findings_rules],
    "objectives": [
        _list_rule("objectives", "tables", "a table number of tables.csv", lambda r: {str(t["table"]) for t in r["tables"]}),
        _list_rule("objectives", "paired_with", "an id of objectives.csv", lambda r: {o["id"] for o in r["objectives"]}),
    ],
    "recommendations": [
        _list_rule("recommendations", "answers", "a Table 2 row key of findings.csv",
                   lambda r: {f["key"] for f in r["findings"] if f["table"] == 2}),
    ],
    "tables": [
        _list_rule("tables", "table", "the number of a table in exhibits.csv",
                   lambda r: {str(e["number"]) for e in r["exhibits"] if e["kind"] == "table"}),
        _list_rule("tables", "figure", "the number of a figure in exhibits.csv",
                   lambda r: {str(e["number"]) for e in r["exhibits"] if e["kind"] == "figure"}),
    ],
    "citations": [
        _list_rule("citations", "key", f"a key of references.bib nor {UNRESOLVED}",
                   lambda r: None if r["bib_keys"] is None else r["bib_keys"] | {UNRESOLVED}),
    ],
    "codebook": [
        _list_rule("codebook", "theme", "a theme code of codebook.csv",
                   lambda r: {c["code"] for c in r["codebook"] if c["level"] == "theme"}),
    ],
    "entreq": [
        _list_rule("entreq", "statements", "an id of statements.csv", lambda r: {s["id"] for s in r["statements"]}),
    ],
    "prisma_flow": [
        _list_rule("prisma_flow", "statements", "an id of statements.csv",
                   lambda r: {s["id"] for s in r["statements"]}),
    ],
}


def validate_package(data_dir: Path) -> list[str]:
    """Every rule broken by the data package in ``data_dir``, one line each (empty when valid)."""
    data_dir = Path(data_dir).resolve()
    descriptor = data_dir / "datapackage.json"
    if not descriptor.is_file():
        return [f"{_display(descriptor)}: file not found"]
    try:
        package = Package(str(descriptor))
    except FrictionlessException as exc:
        return [f"{_display(descriptor)}: not a valid data package ({exc.error.note or exc.error.message})"]
    lines: list[str] = []
    for resource in package.resources:
        path = data_dir / resource.path
        where = _display(path)
        if not path.is_file():
            lines.append(f"{where}: file not found (resource {resource.name})")
            continue
        if path.stat().st_size == 0:
            lines.append(f"{where}: file is empty (resource {resource.name})")
            continue
    if lines:
        return lines
    report = package.validate()
    for task in report.tasks:
        resource = package.get_resource(task.name)
        fields = {f.name: f.to_descriptor() for f in resource.schema.fields}
        where = _display(data_dir / resource.path)
        lines += [_frictionless_line(where, error, fields) for error in task.errors]
    if not lines:
        rows = {resource.name: resource.read_rows() for resource in package.resources}
        rows["bib_keys"] = _bib_keys(data_dir)
        for name, rules in CROSS_RULES.items():
            if name in rows:
                where = _display(data_dir / package.get_resource(name).path)
                try:
                    lines += [line for rule in rules for line in rule(where, rows)]
                except KeyError as missing:
                    lines.append(f"{_display(descriptor)}: resource {missing} is missing (needed to check {name})")
    return lines


def validate_bibliography(bib_path: Path) -> list[str]:
    """Every problem of the BibTeX file, one line each: parse errors, duplicate keys, missing fields."""
    from pybtex.database import parse_string
    from pybtex.scanner import PybtexError

    where = _display(bib_path)
    if not bib_path.is_file():
        return [f"{where}: file not found"]
    try:
        text = bib_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [f"{where}: not valid UTF-8 ({exc})"]
    lines = []
    keys = BIB_KEY.findall(text)
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        lines.append(f"{where} entry {key}: the key is used {keys.count(key)} times")
    if lines:
        return lines
    try:
        database = parse_string(text, "bibtex")
    except PybtexError as exc:
        return [f"{where}: does not parse as BibTeX ({exc})"]
    for key, entry in database.entries.items():
        present = set(entry.fields) | ({"author"} if entry.persons.get("author") else set())
        for field in BIB_REQUIRED:
            if field not in {p.lower() for p in present}:
                lines.append(f"{where} entry {key}, field {field}: missing but required")
    return lines


def validate_all(root: Path) -> list[str]:
    """Every problem with the project's data package and bibliography, one line each."""
    return validate_package(root / "data") + validate_bibliography(root / "references.bib")
