"""Which files each glued result was computed from: reads per cell, and the cells a cell draws on."""
from __future__ import annotations

import json

import nbformat

from compendium.book.paths import READ_LOG
from compendium.book.pipeline import provenance
from compendium.book.pipeline.execution import execute_notebook


def code(count: int, source: str, glued: list[str] = ()) -> dict:
    outputs = [{"output_type": "display_data", "data": {}, "metadata": {"scrapbook": {"name": key}}} for key in glued]
    return {"cell_type": "code", "execution_count": count, "source": source, "outputs": outputs, "metadata": {}}


CELLS = [
    code(1, 'data_dir = "../data"'),
    code(2, "from compendium.analysis import data\nfindings = data.load_findings(data_dir)\n"
            "sample = data.load_sample(data_dir)"),
    code(3, "framework = data.load_framework(data_dir)"),
    code(4, "share = findings['n_sources'] / sample['n_documents'].sum()\nglue('share', share)", ["share"]),
    code(5, "glue('edges', len(framework))\nglue('n', 3)", ["edges", "n"]),
    {"cell_type": "markdown", "source": "text", "metadata": {}},
]


def test_a_cell_draws_on_the_cells_that_assigned_what_it_uses_but_not_on_imports():
    assert provenance.cell_inputs(CELLS) == {1: {1}, 2: {1, 2}, 3: {1, 3}, 4: {1, 2, 4}, 5: {1, 3, 5}}
    assert provenance.glued_by(CELLS) == {"share": 4, "edges": 5, "n": 5}


def test_a_result_lists_the_files_of_its_cells_and_hashes_every_file_read(tmp_path):
    for name in ("data/findings.csv", "data/sample.csv", "data/framework.csv", "data/datapackage.json"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(name, encoding="utf-8")
    notebook = tmp_path / "nb.ipynb"
    notebook.write_text(json.dumps({"cells": CELLS}), encoding="utf-8")
    reads = {"2": ["data/datapackage.json", "data/findings.csv", "data/sample.csv"],
             "3": ["data/datapackage.json", "data/framework.csv"]}
    record = provenance.notebook_provenance(notebook, reads, tmp_path)
    assert record["glue"] == {"share": {"cell": 4, "files": ["data/findings.csv", "data/sample.csv"]},
                              "edges": {"cell": 5, "files": ["data/framework.csv"]},
                              "n": {"cell": 5, "files": ["data/framework.csv"]}}
    assert sorted(record["sha256"]) == record["read"] == sorted(
        ["data/datapackage.json", "data/findings.csv", "data/framework.csv", "data/sample.csv"])


def test_reads_are_logged_against_the_cell_the_executed_notebook_numbers(project, tmp_path, monkeypatch):
    """Checks, on a real kernel, how the execution count seen while a cell runs maps to the
    count the executed notebook records for that cell."""
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('data_dir = "../data"'),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("from compendium.analysis import data\nsample = data.load_sample(data_dir)"),
        nbformat.v4.new_code_cell("framework = data.load_framework(data_dir)"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    source = project / "notebooks" / "probe.ipynb"
    nbformat.write(notebook, source)
    log = tmp_path / "reads.jsonl"
    monkeypatch.setenv(READ_LOG, str(log))
    execute_notebook(source, source, "probe")
    saved = tmp_path / "cells.json"
    provenance.save_cell_reads(log, project, saved)
    executed = nbformat.read(source, as_version=4)
    counts = {cell.source.splitlines()[-1]: cell.execution_count for cell in executed.cells}
    assert json.loads(saved.read_text()) == {
        str(counts["sample = data.load_sample(data_dir)"]): ["data/datapackage.json", "data/sample.csv"],
        str(counts["framework = data.load_framework(data_dir)"]): ["data/datapackage.json", "data/framework.csv"],
    }
