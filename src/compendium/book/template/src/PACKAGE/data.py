"""The data layer: each resource of ``data/datapackage.json`` as a typed DataFrame.

Every file read is noted in the engine's read log (``note_read``), so the build knows which
notebook depends on which file and reruns it, and only it, when the file changes.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from compendium.book.reads import note_read

TYPES = {"integer": "Int64", "string": "string", "number": "Float64"}


def load(resource: str, data_dir: Path | str = "../data") -> pd.DataFrame:
    """One resource of the data package in ``data_dir``, with the column types its schema declares."""
    descriptor_path = Path(data_dir) / "datapackage.json"
    note_read(descriptor_path)
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    spec = next(r for r in descriptor["resources"] if r["name"] == resource)
    path = Path(data_dir) / spec["path"]
    note_read(path)
    types = {field["name"]: TYPES[field["type"]] for field in spec["schema"]["fields"]}
    return pd.read_csv(path, dtype=types, keep_default_na=False)


def sample_size(data_dir: Path | str = "../data") -> int:
    """The number of documents reviewed: the sum of ``sample.csv``."""
    return int(load("sample", data_dir)["n_documents"].sum())
