"""Read and validate a codings folder of the coding lab: one ``<coder>.csv`` per coder.

Each file has the columns ``document,indicator,present`` and optionally ``note``; its
rules are the Table Schema ``codings_schema`` of ``data/datapackage.json`` (checked by
frictionless, like every resource of the package) plus two rules across files that a
schema cannot state: a document is a work of the article's reference list or ``unlisted-NN``, and an
indicator is a row key of Tables 1-3. Every failure is one line naming the file, the row
(and line), the field, the value and the rule broken.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
from frictionless import Resource, Schema
from frictionless import errors as fl_errors

from compendium.analysis import data
from compendium.analysis.synthesis import listed_works
from compendium.analysis.validation import DataError, _display, _frictionless_line
from compendium.files import PACKAGE, file_sha256, note_read

SCHEMA = "codings_schema"  # the property of datapackage.json holding the codings' Table Schema
SYNTHETIC_MARKER = "SYNTHETIC.md"  # a folder holding this file holds made-up codings
UNLISTED = re.compile(r"unlisted-[0-9]{2}")
MIN_CODERS = 2


def coder_files(codings_dir: Path | str) -> list[Path]:
    """The coders' files of a codings folder, ``<coder>.csv``, sorted by coder."""
    return sorted(Path(codings_dir).glob("*.csv"))


def _header_lines(where: str, header: list[str], fields: list[str]) -> list[str]:
    required = [f for f in fields if f != "note"]
    expected = f"expected: {', '.join(required)} and optionally note"
    lines = [f"{where} header (line 1): column {name!r} is missing ({expected})"
             for name in required if name not in header]
    lines += [f"{where} header (line 1): column {name!r} is not part of the codings format ({expected})"
              for name in header if name not in fields]
    lines += [f"{where} header (line 1): column {name!r} appears {header.count(name)} times"
              for name in dict.fromkeys(header) if header.count(name) > 1]
    return lines


def _row_line(where: str, error, fields: dict[str, dict], header: list[str]) -> str | None:
    """One line for a frictionless error; a repeated unit names the unit and its first row."""
    if isinstance(error, fl_errors.PrimaryKeyError):
        cells = dict(zip(header, error.cells))
        if not any(cells.values()):
            return None  # a blank row, reported as such
        first = re.search(r"position (\d+)", error.note)
        also = f" (first at row {int(first.group(1)) - 1}, line {first.group(1)})" if first else ""
        return (f"{where} row {error.row_number - 1} (line {error.row_number}), field document/indicator: "
                f"unit {cells.get('document')!r} x {cells.get('indicator')!r} is coded twice{also}")
    return _frictionless_line(where, error, fields)


def _file_lines(path: Path, schema: dict, documents: set[str], indicators: set[str]) -> list[str]:
    """Every rule one coder's file breaks, one line each."""
    where = _display(path)
    if path.stat().st_size == 0:
        return [f"{where}: file is empty"]
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
    except UnicodeDecodeError as exc:
        return [f"{where}: not valid UTF-8 ({exc})"]
    fields = {f["name"]: f for f in schema["fields"]}
    lines = _header_lines(where, header, list(fields))
    if lines:
        return lines
    resource = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(schema))
    report = resource.validate()
    lines = [line for task in report.tasks for error in task.errors
             if (line := _row_line(where, error, fields, header)) is not None]
    if lines:
        return lines
    for row in resource.read_rows():
        at = f"{where} row {row.row_number - 1} (line {row.row_number})"
        if row["document"] not in documents and not UNLISTED.fullmatch(row["document"]):
            lines.append(f"{at}, field document: {row['document']!r} is neither a key of the reference list "
                         "(references.bib) nor unlisted-NN")
        if row["indicator"] not in indicators:
            lines.append(f"{at}, field indicator: {row['indicator']!r} is not a row key of Tables 1-3 "
                         "(findings.csv)")
    return lines


def validate_codings(codings_dir: Path | str, data_dir: Path | str | None = None,
                     bib_path: Path | str | None = None) -> list[str]:
    """Every rule the codings folder breaks, one line each (empty when it is valid).

    Documents are checked against the reference list of ``bib_path`` and indicators against
    the findings of ``data_dir`` (both validated first; their problems are returned as well).
    """
    folder = Path(codings_dir)
    if not folder.is_dir():
        return [f"{_display(folder)}: not a folder of codings"]
    files = coder_files(folder)
    if len(files) < MIN_CODERS:
        return [f"{_display(folder)}: holds {len(files)} coder file(s) (<coder>.csv); agreement needs at "
                f"least {MIN_CODERS}"]
    data_dir = Path(data_dir) if data_dir is not None else data.find_data_dir()
    try:
        documents = set(listed_works(data.load_references(bib_path))["key"])
        indicators = set(data.load_findings(data_dir)["key"])
    except DataError as exc:
        return exc.lines
    schema = data.read_descriptor(data_dir).get(SCHEMA)
    if schema is None:
        return [f"{_display(data_dir / PACKAGE)}: has no {SCHEMA} (the codings format)"]
    return [line for path in files for line in _file_lines(path, schema, documents, indicators)]


def load_codings(codings_dir: Path | str, data_dir: Path | str | None = None,
                 bib_path: Path | str | None = None) -> pd.DataFrame:
    """One row per coded unit of every coder: coder, document, indicator, present (0 or 1), note.

    Raises DataError with one line per problem when the folder breaks its rules.
    """
    problems = validate_codings(codings_dir, data_dir, bib_path)
    if problems:
        raise DataError(problems)
    frames = []
    for path in coder_files(codings_dir):
        note_read(path)
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        frames.append(frame.assign(coder=path.stem, note=frame.get("note", "")))
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


def codings_provenance(codings_dir: Path | str) -> str:
    """The coders' files with a short sha256 each: 'codings/coder_a.csv (1a2b3c4d), ...'."""
    folder = Path(codings_dir).resolve()
    for path in coder_files(folder):
        note_read(path)
    return ", ".join(f"{folder.name}/{path.name} ({file_sha256(path)[:8]})" for path in coder_files(folder))
