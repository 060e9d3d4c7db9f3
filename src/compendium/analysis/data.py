"""The tidy data layer: one ``load_<resource>()`` per resource of ``data/datapackage.json``.

Every loader reads the whole package once and validates that reading, so a notebook never
computes from a file that breaks its rules; it then builds a typed, tidy DataFrame from the
very cells it validated. Ordinal scales become ordered Categoricals whose levels are the
``enum`` of the schema, so the order is defined once, in the data package.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from compendium.analysis.bibliography import read_bibliography
from compendium.analysis.package import PackageReading, Table, read_package
from compendium.analysis.validation import DataError, validate_reading
from compendium.book.reads import note_read
from compendium.files import PACKAGE, display_path, file_sha256


def find_data_dir(start: Path | None = None) -> Path:
    """The nearest ``data/`` folder holding a data package, from ``start`` (default: here) upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / PACKAGE).is_file():
            return folder / "data"
    raise DataError([f"no data/{PACKAGE} found in {here} or any folder above it"])


def read_descriptor(data_dir: Path) -> dict:
    """The data package descriptor as a dict."""
    note_read(Path(data_dir) / PACKAGE)
    return json.loads((Path(data_dir) / PACKAGE).read_text(encoding="utf-8"))


_VALIDATED: set[tuple] = set()  # (package digest, bibliography digest) of readings validated in this session


def _reading(data_dir: Path | str | None) -> PackageReading:
    """The package in ``data_dir`` (default: the nearest data/) as read once, after it validates."""
    reading, problems = read_package(data_dir if data_dir is not None else find_data_dir())
    if reading is None:
        raise DataError(problems)
    bib = reading.bibliography
    key = (reading.digest, file_sha256(bib) if bib is not None and bib.is_file() else None)
    if key not in _VALIDATED:
        problems = validate_reading(reading)
        if problems:
            raise DataError(problems)
        _VALIDATED.add(key)
    return reading


def _table(reading: PackageReading, resource: str) -> Table:
    if resource not in reading.tables:
        raise DataError([f"{reading.shown}: no resource named {resource!r} (it has: {', '.join(reading.tables)})"])
    return reading.tables[resource]


def _load(resource: str, data_dir: Path | str | None) -> pd.DataFrame:
    """One validated resource, built from the very cells that were validated, with the pandas
    dtypes its Table Schema implies."""
    reading = _reading(data_dir)
    table = _table(reading, resource)
    note_read(reading.data_dir / PACKAGE)
    note_read(table.path)
    frame = pd.DataFrame(table.rows, columns=table.header, dtype=str)
    for field in table.fields:
        column = frame[field["name"]].replace("", pd.NA)
        if field.get("type") == "integer":
            column = column.astype("Int64")
        elif field.get("categoriesOrdered"):
            column = pd.Categorical(column, categories=field["constraints"]["enum"], ordered=True)
        else:
            column = column.astype("string")
        frame[field["name"]] = column
    return frame


def load_exhibits(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per table or figure of the article: title as printed, section, references in the text."""
    return _load("exhibits", data_dir)


def load_tables(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per frequency table: headers as printed, its figure, and (from ``exhibits.csv``)
    its section, its title and its figure's title as printed."""
    tables = _load("tables", data_dir)
    exhibits = load_exhibits(data_dir).set_index(["kind", "number"])
    tables["section"] = [exhibits.at[("table", n), "section"] for n in tables["table"]]
    tables["title"] = [exhibits.at[("table", n), "title"] for n in tables["table"]]
    tables["figure_title"] = [exhibits.at[("figure", n), "title"] for n in tables["figure"]]
    return tables.astype({"section": "string", "title": "string", "figure_title": "string"})


def load_findings(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per table row of Tables 1-3: label and cells as printed, ordinal ratings, counts."""
    return _load("findings", data_dir).sort_values(["table", "row"], ignore_index=True)


def load_sample(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per source type of the stated sample, with its number of documents."""
    return _load("sample", data_dir)


def load_codebook(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per theme or dimension: label as printed, definition, table, horizon."""
    return _load("codebook", data_dir)


def load_objectives(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per objective (O1-O4) or research question (Q1-Q4), with the tables answering it."""
    return _load("objectives", data_dir)


def load_recommendations(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per recommendation of section 7, with the Table 2 constraints it answers."""
    return _load("recommendations", data_dir)


def load_framework(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per edge of the section 2.4 framework: source and target nodes with their kinds."""
    return _load("framework", data_dir)


def load_search_strategy(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per stated data source, keyword, inclusion criterion or window bound."""
    return _load("search_strategy", data_dir)


def load_citations(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per in-text citation occurrence of sections 1-8, in reading order."""
    return _load("citations", data_dir)


def load_coding_rules(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per indicator of Tables 1-3: the coding lab's rule for coding a document 1, and
    what belongs to a neighbouring indicator instead (the compendium's words)."""
    return _load("coding_rules", data_dir)


def load_statements(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per statement of the article the book relies on: id, section, line, kind,
    verbatim quotation (at most nine words) and what it is about (key)."""
    return _load("statements", data_dir)


def load_entreq(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per ENTREQ item: name, domain, what it asks, the compendium's rating of the article,
    the ids of the statements the rating rests on, and why."""
    return _load("entreq", data_dir)


def load_prisma_flow(data_dir: Path | str | None = None) -> pd.DataFrame:
    """One row per box of a simplified PRISMA 2020 flow diagram: label, the count the article states
    with the statement that prints it (empty: none stated), the statements it rests on, and a note."""
    return _load("prisma_flow", data_dir)


def _bib_entries(bib_path: Path | str | None):
    """The entries of a validated BibTeX file, parsed from the text that was validated."""
    bib_path = Path(bib_path) if bib_path is not None else find_data_dir().parent / "references.bib"
    bibliography = read_bibliography(bib_path)
    if bibliography.problems:
        raise DataError(bibliography.problems)
    note_read(bib_path)
    return bibliography.entries


def load_article(bib_path: Path | str | None = None) -> dict:
    """The republished article's metadata (its ``references.bib`` entry with keyword ``republished``)."""
    found = [(k, e) for k, e in _bib_entries(bib_path).items() if "republished" in e.fields.get("keywords", "")]
    if not found:
        shown = display_path(bib_path if bib_path is not None else find_data_dir().parent / "references.bib")
        raise DataError([f"{shown}: no entry has the keyword republished (the entry of the article itself)"])
    key, entry = found[0]
    names = [" ".join([*p.first_names, *p.middle_names, *p.last_names]) for p in entry.persons["author"]]
    return {"key": key, "authors": names, **{name: str(value) for name, value in entry.fields.items()}}


def load_references(bib_path: Path | str | None = None) -> pd.DataFrame:
    """One row per entry of ``references.bib``: key, entry type, first and second author, year, title, DOI.

    ``in_reference_list`` is False for the entry of the republished article itself
    (keyword ``republished``), True for the entries of its reference list.
    """
    entries = _bib_entries(bib_path)
    rows = [
        {
            "key": key,
            "entry_type": entry.type,
            "first_author": entry.persons["author"][0].last_names[0],
            "first_author_given": " ".join(entry.persons["author"][0].first_names),
            "second_author": (entry.persons["author"][1].last_names[0] if len(entry.persons["author"]) > 1
                              else pd.NA),
            "n_authors": len(entry.persons["author"]),
            "year": int(entry.fields["year"]),
            "title": entry.fields["title"],
            "doi": entry.fields.get("doi", pd.NA),
            "in_reference_list": "republished" not in entry.fields.get("keywords", ""),
        }
        for key, entry in entries.items()
    ]
    frame = pd.DataFrame(rows)
    return frame.astype({"key": "string", "entry_type": "string", "first_author": "string",
                         "first_author_given": "string", "second_author": "string",
                         "year": "Int64", "title": "string", "doi": "string"})

