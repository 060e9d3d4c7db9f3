"""Validate the data package and the bibliography; every failure becomes one readable line.

The rules live in ``data/datapackage.json`` (Table Schema types, required fields, enums,
patterns, minimums, primary and foreign keys); frictionless checks them on the package as
``read_package`` read it, so the validator sees exactly what the loaders load. Two checks
are stricter than Table Schema: an integer is written in ASCII digits (with ``-`` for a
negative number, nothing else) and has at most nine of them, and no cell holds a control
character (bidirectional controls included) or more than ``MAX_CELL`` characters. A few
rules across files that Table Schema cannot express are checked last.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from frictionless import FrictionlessException, Package
from frictionless import errors as fl_errors

from compendium.analysis.bibliography import UNRESOLVED, read_bibliography
from compendium.analysis.package import PackageReading, Table, read_package
from compendium.analysis.synthesis import sample_size as stated_size
from compendium.escape import CONTROL
from compendium.files import display_path

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
INTEGER = re.compile(r"-?[0-9]+")
MAX_DIGITS = 9  # sums of such integers cannot overflow a 64-bit integer column
LIMIT = 1000  # problems listed per file; beyond it the list says that it stops
MAX_CELL = 10_000  # characters in one cell: the longest quotation or note is far shorter


class DataError(Exception):
    """Raised when data do not satisfy their rules; ``lines`` holds one message per failure."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def _constraint_rule(error, schema_field: dict) -> str:
    name = re.search(r'constraint "(\w+)"', error.note)
    name = name.group(1) if name else ""
    value = schema_field.get("constraints", {}).get(name)
    shown = ", ".join(map(str, value)) if isinstance(value, list) else value
    return RULES.get(name, f"breaks the constraint {name}").format(shown)


def _frictionless_line(where: str, error, fields: dict[str, dict], lines: list[int] | None = None) -> str:
    """One line for one frictionless error, naming row (and line), field, value and rule.

    ``lines[i]`` is the line of the file where data row ``i + 1`` starts (default: row + 1).
    """
    position = ""
    if getattr(error, "row_number", None):
        row = error.row_number - 1
        line = lines[row - 1] if lines and 0 < row <= len(lines) else error.row_number
        position = f" row {row} (line {line})"
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
    return f"{where}{position}{', field ' + field if field else ''}: {error.note or error.title}"


def _cell_problem(cell: str, kind: str) -> str | None:
    if len(cell) > MAX_CELL:
        return f"is {len(cell)} characters long, more than the {MAX_CELL} a cell may have"
    control = CONTROL.search(cell)
    if control:
        return f"holds a control character (U+{ord(control.group()):04X})"
    if kind == "integer" and cell:
        if not INTEGER.fullmatch(cell):
            return "is not of type integer (the digits 0-9 only, with '-' before a negative number)"
        if len(cell.lstrip("-")) > MAX_DIGITS:
            return f"has more than {MAX_DIGITS} digits, the most an integer may have"
    return None


def _cell_lines(table: Table) -> tuple[list[str], set[tuple[int, str]]]:
    """Control characters and loosely written integers, one line each, and the (row, field) they name."""
    found, positions = [], set()
    for column, label in enumerate(table.header, start=1):
        control = CONTROL.search(label)
        if control:
            found.append(f"{table.shown} header (line 1), column {column}: {label!r} holds a control character "
                         f"(U+{ord(control.group()):04X})")
    fields = table.fields
    for row, (cells, line) in enumerate(zip(table.rows, table.lines, strict=True), start=1):
        for column, cell in enumerate(cells):
            name = fields[column]["name"] if column < len(fields) else f"column {column + 1}"
            kind = fields[column].get("type", "string") if column < len(fields) else "string"
            problem = _cell_problem(cell, kind)
            if problem:
                shown = repr(cell) if len(cell) <= MAX_CELL else f"{cell[:20]!r}…"
                found.append(f"{table.shown} row {row} (line {line}), field {name}: {shown} {problem}")
                positions.add((row, name))
    return found, positions


def _capped(where: str, lines: list[str], cut: bool = False) -> list[str]:
    if len(lines) > LIMIT or cut:
        return lines[:LIMIT] + [f"{where}: the list stops at {LIMIT} problems; correct these and validate "
                                "again to see the rest"]
    return lines


def _inline_package(reading: PackageReading) -> Package:
    """The package for frictionless, each resource holding the rows as read instead of a path."""
    return Package({"resources": [
        {"name": table.name, "schema": table.spec["schema"], "data": [table.header, *table.rows]}
        for table in reading.tables.values()]})


@dataclass(frozen=True)
class Rows:
    """The typed rows of one resource, for rules across files."""

    where: str
    rows: list[dict]
    lines: list[int]

    def at(self, index: int) -> str:
        """'data/x.csv row N (line L)' for ``rows[index]``."""
        return f"{self.where} row {index + 1} (line {self.lines[index]})"


@dataclass(frozen=True)
class CrossRule:
    """A rule on ``resource`` that also reads the resources in ``needs``."""

    resource: str
    needs: tuple[str, ...]
    check: Callable[[dict[str, Rows]], list[str]]


def _count_in(printed: str) -> int | None:
    found = re.search(r"(\d+)\s+sources?", printed)
    return int(found.group(1)) if found else None


def _findings_rules(rows: dict[str, Rows]) -> list[str]:
    """Rules across the columns of findings.csv that Table Schema cannot state."""
    import pandas as pd

    findings, lines = rows["findings"], []
    sample_size = stated_size(pd.DataFrame(rows["sample"].rows, columns=["n_documents"]))
    for index, row in enumerate(findings.rows):
        n = row["n_sources"]
        printed = _count_in(row["count_printed"] or "")
        if printed is not None and printed != n:
            lines.append(f"{findings.at(index)}, field n_sources: {n} differs from the {printed} printed in "
                         "count_printed")
        if n is not None and n > sample_size:
            lines.append(f"{findings.at(index)}, field n_sources: {n} exceeds the sample size {sample_size} "
                         "(sum of sample.csv)")
        if bool(row["rating_level"]) == bool(row["direction"]):
            lines.append(f"{findings.at(index)}, field rating_level: exactly one of rating_level and direction "
                         "must be filled")
    first = {}
    for index, row in enumerate(findings.rows):
        seen = first.setdefault((row["table"], row["label"]), index)
        if seen != index:
            lines.append(f"{findings.at(index)}, field label: {row['label']!r} is already the label of row "
                         f"{seen + 1} in table {row['table']}; the rows of a table need different labels")
    return lines


def _stated_count_lines(rows: dict[str, Rows]) -> list[str]:
    """A count prisma_flow.csv says the article states must be printed in the statement it names."""
    flow, lines = rows["prisma_flow"], []
    quotes = {statement["id"]: statement["quote"] for statement in rows["statements"].rows}
    for index, row in enumerate(flow.rows):
        stated, where = row["stated"], row["stated_in"]
        if where is None and stated is not None:
            lines.append(f"{flow.at(index)}, field stated_in: empty value, but the stated count {stated} needs the "
                         "id of the statement that prints it")
        elif stated is None and where is not None:
            lines.append(f"{flow.at(index)}, field stated: empty value, but stated_in names statement {where}; give "
                         "the count it prints, or leave both empty")
        elif where is not None and where not in quotes:
            lines.append(f"{flow.at(index)}, field stated_in: {where!r} is not an id of statements.csv")
        elif where is not None and not re.search(rf"(?<![\d.]){stated}(?![\d.])", quotes[where]):
            lines.append(f"{flow.at(index)}, field stated: {stated} is not printed in the quotation of statement "
                         f"{where} ({quotes[where]!r})")
    return lines


def _items_outside(checked: Rows, field: str, known: set[str], target: str) -> list[str]:
    """A line for every space-separated item of ``field`` that is not in ``known``."""
    return [f"{checked.at(index)}, field {field}: {item!r} is not {target}"
            for index, row in enumerate(checked.rows) for item in str(row[field] or "").split() if item not in known]


def _list_rule(resource: str, field: str, target: str, source: str, allowed) -> CrossRule:
    """A rule: every space-separated item of ``resource.field`` is one of ``allowed(rows of source)``."""
    return CrossRule(resource, (source,),
                     lambda rows: _items_outside(rows[resource], field, allowed(rows[source].rows), target))


def _completeness_rule(resource: str, field: str, target: str, target_field: str, why: str, where=None) -> CrossRule:
    """A rule: every value of ``resource.field`` (in the rows ``where`` selects) has a row of ``target``
    whose ``target_field`` holds it: the reverse of a foreign key."""
    def check(rows: dict[str, Rows]) -> list[str]:
        checked, known = rows[resource], {row[target_field] for row in rows[target].rows}
        return [f"{checked.at(index)}, field {field}: {row[field]!r} has no row in {target}.csv ({why})"
                for index, row in enumerate(checked.rows) if (where is None or where(row)) and row[field] not in known]
    return CrossRule(resource, (target,), check)


CROSS_RULES = [
    CrossRule("findings", ("sample",), _findings_rules),
    _completeness_rule("findings", "key", "coding_rules", "indicator",
                       "every row of the article's tables needs its coding rule, field indicator, for the coding lab"),
    _completeness_rule("codebook", "code", "findings", "key", "a dimension of the codebook is a row of a table",
                       where=lambda row: row["level"] == "dimension"),
    _list_rule("objectives", "tables", "a table number of tables.csv", "tables",
               lambda rows: {str(t["table"]) for t in rows}),
    _list_rule("objectives", "paired_with", "an id of objectives.csv", "objectives",
               lambda rows: {o["id"] for o in rows}),
    _list_rule("recommendations", "answers", "a Table 2 row key of findings.csv", "findings",
               lambda rows: {f["key"] for f in rows if f["table"] == 2}),
    _list_rule("tables", "table", "the number of a table in exhibits.csv", "exhibits",
               lambda rows: {str(e["number"]) for e in rows if e["kind"] == "table"}),
    _list_rule("tables", "figure", "the number of a figure in exhibits.csv", "exhibits",
               lambda rows: {str(e["number"]) for e in rows if e["kind"] == "figure"}),
    _list_rule("codebook", "theme", "a theme code of codebook.csv", "codebook",
               lambda rows: {c["code"] for c in rows if c["level"] == "theme"}),
    _list_rule("codebook", "near", "a theme code of codebook.csv", "codebook",
               lambda rows: {c["code"] for c in rows if c["level"] == "theme"}),
    _list_rule("entreq", "statements", "an id of statements.csv", "statements", lambda rows: {s["id"] for s in rows}),
    _list_rule("prisma_flow", "statements", "an id of statements.csv", "statements",
               lambda rows: {s["id"] for s in rows}),
    CrossRule("prisma_flow", ("statements",), _stated_count_lines),
]


def _citation_lines(reading: PackageReading, citations: Rows, bib_path: Path | None) -> list[str]:
    """Every citation key is a key of the bibliography in use or UNRESOLVED; no bibliography is a problem."""
    if bib_path is None:
        return [f"{reading.shown}: declares no bibliography (field bibliography.path), so the keys of "
                f"{citations.where} cannot be checked"]
    if not bib_path.is_file():
        return [f"{display_path(bib_path)}: file not found (the bibliography to check the keys of {citations.where} "
                "against)"]
    bibliography = read_bibliography(bib_path)
    if bibliography.problems:
        return bibliography.problems
    target = f"a key of {display_path(bib_path)} nor {UNRESOLVED}"
    return _items_outside(citations, "key", set(bibliography.entries) | {UNRESOLVED}, target)


def validate_reading(reading: PackageReading, bib_path: Path | str | None = None) -> list[str]:
    """Every rule broken by a package as read, one line each (empty when valid).

    Citation keys are checked against ``bib_path``, by default the bibliography the package declares.
    """
    lines, positions = [], {}
    for table in reading.tables.values():
        found, positions[table.name] = _cell_lines(table)
        lines += _capped(table.shown, found)
    try:
        package = _inline_package(reading)
    except FrictionlessException as exc:
        reasons = exc.reasons or [exc.error]
        return lines + [f"{reading.shown}: not a valid data package ({reason.note or reason.message})"
                        for reason in reasons]
    report = package.validate(limit_errors=LIMIT)
    for task in report.tasks:
        table = reading.tables[task.name]
        fields = {f["name"]: f for f in table.fields}
        found = [_frictionless_line(table.shown, error, fields, table.lines) for error in task.errors
                 if (getattr(error, "row_number", 0) - 1, getattr(error, "field_name", None))
                 not in positions[table.name]]
        lines += _capped(table.shown, found, cut=any("error limit" in w for w in task.warnings))
    if lines:
        return lines
    rows = {name: Rows(table.shown, package.get_resource(name).read_rows(), table.lines)
            for name, table in reading.tables.items()}
    for rule in CROSS_RULES:
        if rule.resource not in rows:
            continue
        missing = [name for name in rule.needs if name not in rows]
        if missing:
            lines.append(f"{reading.shown}: resource {missing[0]!r} is missing (needed to check {rule.resource})")
        else:
            lines += rule.check(rows)
    if "citations" in rows:
        bib = Path(bib_path) if bib_path is not None else reading.bibliography
        lines += _citation_lines(reading, rows["citations"], bib)
    return list(dict.fromkeys(lines))


def validate_package(data_dir: Path | str, bib_path: Path | str | None = None) -> list[str]:
    """Every rule broken by the data package in ``data_dir``, one line each (empty when valid).

    Citation keys are checked against ``bib_path``, by default the bibliography the package declares.
    """
    reading, problems = read_package(data_dir)
    return problems if reading is None else validate_reading(reading, bib_path)


def validate_bibliography(bib_path: Path | str) -> list[str]:
    """Every problem of the BibTeX file, one line each: parse errors, duplicate keys, missing fields."""
    return read_bibliography(bib_path).problems


def validate_all(root: Path) -> list[str]:
    """Every problem with the project's data package and bibliography, one line each."""
    return list(dict.fromkeys(validate_package(root / "data") + validate_bibliography(root / "references.bib")))
