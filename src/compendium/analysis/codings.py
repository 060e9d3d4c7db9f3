"""Read and validate a codings folder of the coding lab: one ``<coder>.csv`` per coder.

Each file has the columns ``document,indicator,present`` and optionally ``note``, in that
order; its rules are the Table Schema ``codings_schema`` of ``data/datapackage.json``. A
file is read once, the way the data package's files are (``package``), and checked like
them: control characters, then the schema with frictionless, then the rules across files
that a schema cannot state: a document is a work of the article's reference list or
``unlisted-NN`` (a work the list prints twice is coded under its first key only), and an
indicator is a row key of Tables 1-3. Every failure is one line naming the file, the row
(and line), the field, the value and the rule broken; all of a file's failures are reported
at once, its cells' problems first. The codings are then built from the very cells that
were checked.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from frictionless import FrictionlessException, Resource
from frictionless import errors as fl_errors

from compendium.analysis import data
from compendium.analysis.package import Table, _read_table
from compendium.analysis.synthesis import distinct_works, repeated_entries
from compendium.analysis.validation import DataError, _cell_lines, _frictionless_line
from compendium.book.reads import note_listing, note_read
from compendium.files import PACKAGE, display_path

SCHEMA = "codings_schema"  # the property of datapackage.json holding the codings' Table Schema
DIALECT = {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True}
SYNTHETIC_MARKER = "SYNTHETIC.md"  # a folder holding this file holds made-up codings
UNLISTED = re.compile(r"unlisted-[0-9]{2}")
OPTIONAL = "note"
MIN_CODERS = 2


def coder_files(codings_dir: Path | str) -> list[Path]:
    """The coders' files of a codings folder, ``<coder>.csv``, sorted by coder."""
    note_listing(codings_dir, "*.csv")
    return sorted(Path(codings_dir).glob("*.csv"))


def _header_lines(where: str, header: list[str], names: list[str]) -> list[str]:
    """Why a header is not the format's columns in order (the optional one may be left out)."""
    required = [name for name in names if name != OPTIONAL]
    if header in (required, names):
        return []
    expected = f"expected: {', '.join(required)} and optionally {OPTIONAL}, in that order"
    lines = [f"{where} header (line 1): column {name!r} is missing ({expected})"
             for name in required if name not in header]
    lines += [f"{where} header (line 1): column {name!r} is not part of the codings format ({expected})"
              for name in dict.fromkeys(header) if name not in names]
    lines += [f"{where} header (line 1): column {name!r} appears {header.count(name)} times"
              for name in dict.fromkeys(header) if header.count(name) > 1]
    return lines or [f"{where} header (line 1): columns {', '.join(header)} are out of order ({expected})"]


def _schema_line(table: Table, error, fields: dict[str, dict]) -> str | None:
    """One line for a frictionless error; a unit coded twice is named with the row it repeats."""
    if isinstance(error, fl_errors.BlankRowError):
        return None  # the reading skips blank lines
    if isinstance(error, fl_errors.PrimaryKeyError):
        cells = dict(zip(table.header, error.cells, strict=True))
        row = error.row_number - 1
        first = re.search(r"position (\d+)", error.note)
        also = ""
        if first:
            earlier = int(first.group(1)) - 1
            also = f" (first at row {earlier}, line {table.lines[earlier - 1]})"
        return (f"{table.shown} row {row} (line {table.lines[row - 1]}), field document/indicator: unit "
                f"{cells.get('document')!r} x {cells.get('indicator')!r} is coded twice{also}")
    return _frictionless_line(table.shown, error, fields, table.lines)


def _unit_lines(table: Table, documents: set[str], repeated: dict[str, str], indicators: set[str],
                reported: set[tuple[int, str]]) -> list[str]:
    """The rules a schema cannot state: every document and indicator exists, and a work listed twice
    is coded under its first key. Cells in ``reported`` (row, field) already have a line."""
    lines = []
    for index, row in enumerate(table.rows):
        cells = dict(zip(table.header, row, strict=True))
        at = f"{table.shown} row {index + 1} (line {table.lines[index]})"
        document, indicator = cells.get("document") or "", cells.get("indicator") or ""
        if (index + 1, "document") not in reported and document in repeated:
            lines.append(f"{at}, field document: {document!r} lists the same work as {repeated[document]!r} "
                         f"(the reference list prints it twice); code it once, as {repeated[document]!r}")
        elif ((index + 1, "document") not in reported and document and document not in documents
              and document not in repeated and not UNLISTED.fullmatch(document)):
            lines.append(f"{at}, field document: {document!r} is neither a key of the reference list "
                         "(references.bib) nor unlisted-NN")
        if (index + 1, "indicator") not in reported and indicator and indicator not in indicators:
            lines.append(f"{at}, field indicator: {indicator!r} is not a row key of Tables 1-3 (findings.csv)")
    return lines


def _checked_file(path: Path, schema: dict, documents: set[str], repeated: dict[str, str],
                  indicators: set[str]) -> tuple[Table | None, list[str]]:
    """One coder's file as read, and every rule it breaks (one line each)."""
    spec = {"name": path.stem, "path": path.name, "dialect": DIALECT, "schema": schema}
    table, problems = _read_table(path.parent, "the codings format", spec)
    if table is None:
        return None, problems
    names = [field["name"] for field in schema["fields"]]
    lines = _header_lines(table.shown, table.header, names)
    if lines:
        return table, lines
    fields = [field for field in schema["fields"] if field["name"] in table.header]
    table = Table(table.name, {**spec, "schema": {**schema, "fields": fields}}, table.path, table.shown,
                  table.header, table.rows, table.lines, table.sha256)
    lines, positions = _cell_lines(table)
    resource = {"name": "codings", "schema": table.spec["schema"], "data": [table.header, *table.rows]}
    report = Resource(resource).validate()
    by_name = {field["name"]: field for field in fields}
    errors = [error for task in report.tasks for error in task.errors
              if (getattr(error, "row_number", 0) - 1, getattr(error, "field_name", None)) not in positions]
    lines += [line for error in errors if (line := _schema_line(table, error, by_name)) is not None]
    positions |= {(error.row_number - 1, error.field_name) for error in errors
                  if getattr(error, "row_number", None) and getattr(error, "field_name", None)}
    return table, lines + _unit_lines(table, documents, repeated, indicators, positions)


def _read_codings(codings_dir: Path | str, data_dir: Path | str | None,
                  bib_path: Path | str | None) -> tuple[dict[str, Table], list[str]]:
    folder = Path(codings_dir)
    if not folder.is_dir():
        return {}, [f"{display_path(folder)}: not a folder of codings"]
    files = coder_files(folder)
    if len(files) < MIN_CODERS:
        return {}, [f"{display_path(folder)}: holds {len(files)} coder file(s) (<coder>.csv); agreement needs "
                    f"at least {MIN_CODERS}"]
    data_dir = Path(data_dir) if data_dir is not None else data.find_data_dir()
    try:
        references = data.load_references(bib_path)
        documents, repeated = set(distinct_works(references)["key"]), repeated_entries(references)
        indicators = set(data.load_findings(data_dir)["key"])
    except DataError as exc:
        return {}, exc.lines
    schema = data.read_descriptor(data_dir).get(SCHEMA)
    if not isinstance(schema, dict):
        return {}, [f"{display_path(data_dir / PACKAGE)}: has no {SCHEMA} (the codings format)"]
    tables, problems = {}, []
    for path in files:
        try:
            table, lines = _checked_file(path, schema, documents, repeated, indicators)
        except FrictionlessException as exc:
            table, lines = None, [f"{display_path(data_dir / PACKAGE)}, field {SCHEMA}: not a valid Table Schema "
                                  f"({exc.error.note or exc.error.message})"]
        problems += lines
        if table is not None:
            tables[path.stem] = table
    return tables, list(dict.fromkeys(problems))


def validate_codings(codings_dir: Path | str, data_dir: Path | str | None = None,
                     bib_path: Path | str | None = None) -> list[str]:
    """Every rule the codings folder breaks, one line each (empty when it is valid).

    Documents are checked against the reference list of ``bib_path`` and indicators against
    the findings of ``data_dir`` (both validated first; their problems are returned as well).
    """
    return _read_codings(codings_dir, data_dir, bib_path)[1]


def load_codings(codings_dir: Path | str, data_dir: Path | str | None = None,
                 bib_path: Path | str | None = None) -> pd.DataFrame:
    """One row per coded unit of every coder: coder, document, indicator, present (0 or 1), note.

    Raises DataError with one line per problem when the folder breaks its rules.
    """
    tables, problems = _read_codings(codings_dir, data_dir, bib_path)
    if problems:
        raise DataError(problems)
    frames = []
    for coder, table in tables.items():
        note_read(table.path)
        frame = pd.DataFrame(table.rows, columns=table.header, dtype=str)
        frames.append(frame.assign(coder=coder, note=frame.get(OPTIONAL, "")))
    codings = pd.concat(frames, ignore_index=True)[["coder", "document", "indicator", "present", "note"]]
    return codings.astype({"coder": "string", "document": "string", "indicator": "string",
                           "present": "int64", "note": "string"})


def is_synthetic(codings_dir: Path | str) -> bool:
    """Whether the folder holds made-up codings (it carries the ``SYNTHETIC.md`` marker)."""
    marker = Path(codings_dir) / SYNTHETIC_MARKER
    note_read(marker)
    return marker.is_file()


def codings_label(codings_dir: Path | str) -> str:
    """How every table and figure fed by these codings names them: SYNTHETIC or the folder."""
    return "SYNTHETIC example" if is_synthetic(codings_dir) else f"codings in {Path(codings_dir).resolve().name}"

