"""Reading the data package once, the same way for the validator and for the loaders.

``read_package`` checks ``datapackage.json`` before it opens any data file: every resource
is a ``.csv`` file inside ``data/`` whose path uses a safe set of characters (no URL, no
absolute path, no ``..``, nothing that markup or LaTeX could act on) and is a regular file,
not a symbolic link; it is UTF-8, in a CSV dialect the loaders read, with field types they
know. Then each file's bytes are read once and split in the declared dialect. The validator
checks that reading and the loaders build their DataFrames from it, so what is loaded is
exactly what was validated.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from compendium.files import PACKAGE, display_path

SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
SAFE_PART = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_. -]*")
SAFE_CHARACTERS = "letters, digits, spaces, '_', '-', '.' and '/'"
RESOURCE_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]*")
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
SHA256 = re.compile(r"sha256:[0-9a-f]{64}")  # a Frictionless hash naming its algorithm
TYPES = ("string", "integer")
DELIMITERS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
DIALECT_RULE = "delimiter ',', ';', tab or '|'; quoteChar '\"'; doubleQuote true; header true"


@dataclass(frozen=True)
class Table:
    """One resource as read: its header and rows as text, with the line each row starts on."""

    name: str
    spec: dict  # the resource's entry in datapackage.json
    path: Path
    shown: str  # the path as messages name it
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # lines[i] is the line of the file where rows[i] starts
    sha256: str  # of the bytes read

    @property
    def fields(self) -> list[dict]:
        return self.spec["schema"]["fields"]


@dataclass(frozen=True)
class PackageReading:
    """A data package as read once: each resource's table and the bibliography it declares."""

    data_dir: Path
    tables: dict[str, Table]  # by resource name, in the descriptor's order
    bibliography: Path | None  # the BibTeX file the descriptor declares (``bibliography.path``)
    digest: str  # sha256 over the descriptor and every resource

    @property
    def shown(self) -> str:
        return display_path(self.data_dir / PACKAGE)


def path_problem(path: object, suffix: str, may_leave: bool) -> str | None:
    """Why ``path`` (from a descriptor) is not an acceptable relative file path, or None."""
    if not isinstance(path, str) or not path:
        return f"{path!r} is not one file path"
    if SCHEME.match(path):
        return f"{path!r} is a URL, not a local file"
    if path.startswith(("/", "\\")):
        return f"{path!r} is absolute, not relative to data/"
    parts = path.split("/")
    if ".." in parts and not may_leave:
        return f"{path!r} leaves data/"
    if not all(part == ".." or SAFE_PART.fullmatch(part) for part in parts):
        return f"{path!r} holds characters other than {SAFE_CHARACTERS}"
    if not path.endswith(suffix):
        return f"{path!r} does not end in {suffix}"
    return None


def _dialect_problem(dialect: object) -> str | None:
    if dialect is None:
        return f"is not declared (declare the CSV dialect: {DIALECT_RULE})"
    allowed = {"delimiter": DELIMITERS, "quoteChar": ['"'], "doubleQuote": [True], "header": [True],
               "lineTerminator": ["\n", "\r\n"]}
    if (not isinstance(dialect, dict) or "delimiter" not in dialect
            or any(key not in allowed or not isinstance(value, (str, bool)) or value not in allowed[key]
                   for key, value in dialect.items())):
        return f"{json.dumps(dialect)} is not a dialect the loaders read ({DIALECT_RULE})"
    return None


def _resource_problems(where: str, number: int, resource: object) -> list[str]:
    """What makes one resource entry unusable before its file is opened."""
    if not isinstance(resource, dict):
        return [f"{where} resource {number}: not an object"]
    name = resource.get("name")
    if not isinstance(name, str) or not RESOURCE_NAME.fullmatch(name):
        return [f"{where} resource {number}, field name: {name!r} is not a name of lowercase letters, digits, "
                "'_', '-' and '.'"]
    at = f"{where} resource {name}"
    problem = path_problem(resource.get("path"), ".csv", may_leave=False)
    if problem:
        return [f"{at}, field path: {problem}; a resource must be a .csv file inside data/"]
    lines = []
    if resource.get("encoding", "utf-8").lower() not in ("utf-8", "utf8"):
        lines.append(f"{at}, field encoding: {resource['encoding']!r} is not utf-8, the encoding the loaders read")
    dialect = _dialect_problem(resource.get("dialect"))
    if dialect:
        lines.append(f"{at}, field dialect: {dialect}")
    published = resource.get("hash")
    if published is not None and not (isinstance(published, str) and SHA256.fullmatch(published)):
        lines.append(f"{at}, field hash: {published!r} is not 'sha256:' and 64 lowercase hexadecimal digits")
    fields = resource.get("schema", {}).get("fields") if isinstance(resource.get("schema"), dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        return lines + [f"{at}, field schema: no list of fields"]
    for spec in fields:
        field = spec.get("name")
        if not isinstance(field, str) or not FIELD_NAME.fullmatch(field):
            lines.append(f"{at}, field schema: field name {field!r} is not snake_case")
        elif spec.get("type", "string") not in TYPES:
            lines.append(f"{at}, field {field}: type {spec['type']!r} is not one the loaders read "
                         f"({', '.join(TYPES)})")
        elif spec.get("categoriesOrdered") and not spec.get("constraints", {}).get("enum"):
            lines.append(f"{at}, field {field}: categoriesOrdered needs the levels in constraints.enum")
    return lines


def _symlink_on_the_way(data_dir: Path, relative: str) -> bool:
    current = data_dir
    for part in relative.split("/"):
        current = current / part
        if current.is_symlink():
            return True
    return False


def _split(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """The records of ``text`` in the dialect, with the line each starts on; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', doublequote=True,
                        strict=True)
    rows, lines, next_line = [], [], 1
    limit = csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # a long cell is the cell rule's
    try:
        for record in reader:
            start, next_line = next_line, reader.line_num + 1
            if record:
                rows.append(record)
                lines.append(start)
    finally:
        csv.field_size_limit(limit)
    return rows, lines


def _read_table(data_dir: Path, where: str, spec: dict) -> tuple[Table | None, list[str]]:
    name, relative = spec["name"], spec["path"]
    path = data_dir / relative
    shown = display_path(path)
    if _symlink_on_the_way(data_dir, relative):
        return None, [f"{where} resource {name}, field path: {relative!r} is or passes through a symbolic link; "
                      "a resource must be a regular file inside data/"]
    if not path.is_file():
        return None, [f"{shown}: file not found (resource {name})"]
    content = path.read_bytes()
    if not content:
        return None, [f"{shown}: file is empty (resource {name})"]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        return None, [f"{shown}: not valid UTF-8 (byte 0x{content[exc.start]:02x} on line {line})"]
    delimiter = spec["dialect"]["delimiter"]
    try:
        rows, lines = _split(text, delimiter)
    except csv.Error as exc:
        return None, [f"{shown}: not CSV in the declared dialect ({exc})"]
    header = rows[0] if rows else []
    expected = [field["name"] for field in spec["schema"]["fields"]]
    if len(header) == 1 and len(expected) > 1:
        for other, called in DELIMITERS.items():
            if other != delimiter and other in header[0]:
                return None, [f"{shown} header (line 1): cells are separated by {called}, but {where} declares "
                              f"{DELIMITERS[delimiter]} for resource {name} (dialect.delimiter)"]
    table = Table(name, spec, path, shown, header, rows[1:], lines[1:], hashlib.sha256(content).hexdigest())
    return table, []


def read_package(data_dir: Path | str) -> tuple[PackageReading | None, list[str]]:
    """The package in ``data_dir`` as read once, or None with one line per reason it cannot be read."""
    data_dir = Path(data_dir).resolve()
    descriptor_path = data_dir / PACKAGE
    where = display_path(descriptor_path)
    if not descriptor_path.is_file():
        return None, [f"{where}: file not found"]
    raw = descriptor_path.read_bytes()
    try:
        descriptor = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, [f"{where}: not valid JSON ({exc})"]
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        return None, [f"{where}, field resources: not a list of resources"]
    problems = [line for number, resource in enumerate(resources, start=1)
                for line in _resource_problems(where, number, resource)]
    bibliography = None
    declared = descriptor.get("bibliography")
    if declared is not None:
        problem = path_problem(declared.get("path") if isinstance(declared, dict) else None, ".bib", may_leave=True)
        if problem:
            problems.append(f"{where} bibliography, field path: {problem}; the bibliography must be a local .bib "
                            "file, relative to data/")
        elif not (data_dir / declared["path"]).resolve().is_relative_to(data_dir.parent):
            problems.append(f"{where} bibliography, field path: {declared['path']!r} leads out of the project "
                            f"(the folder holding {data_dir.name}/); the bibliography must be a .bib file inside "
                            "the project")
        else:
            bibliography = data_dir / declared["path"]
    if problems:
        return None, problems
    tables, digest = {}, hashlib.sha256(raw)
    for spec in resources:
        table, found = _read_table(data_dir, where, spec)
        problems += found
        if table:
            tables[table.name] = table
            digest.update(f"\0{table.name}\0{table.sha256}".encode())
    if problems:
        return None, problems
    return PackageReading(data_dir, tables, bibliography, digest.hexdigest()), []
