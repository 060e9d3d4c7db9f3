"""Which data files each glued result of a notebook was computed from, and in which cell.

The data layer logs every file it reads with the execution count of the cell reading it
(``compendium.book.reads.note_read``). A cell's results also depend on the cells whose variables
it uses, so the files behind a result are those read by the cell that glued it and by the
cells it draws on, found by a static look at the names each cell assigns and uses (imported
modules aside). The build keeps each execution's reads per cell beside its cache
(``save_cell_reads``) and writes one provenance file per notebook into the staged book
(``write_provenance``), which the Sphinx extension reads for provenance lines and links.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path

from compendium.book.paths import PROVENANCE
from compendium.book.reads import read_log
from compendium.files import PACKAGE, file_sha256

# While a cell runs, the kernel's execution count is already one ahead of the count the
# executed notebook records for that cell (tests/test_provenance.py checks this).
LOGGED_AHEAD = 1


def cell_reads_file(cache: Path, notebook: Path) -> Path:
    """Where the build keeps a notebook's reads per cell from its last execution."""
    return cache / f"{notebook.stem}.cell-reads"  # JSON; not *.json, the suffix of the cache's own records


def save_cell_reads(log: Path, stage: Path, target: Path) -> None:
    """Keep the reads of one execution per cell, as paths relative to the staged book, in ``target``."""
    by_cell: dict[str, list[str]] = {}
    for record in read_log(log):
        if "path" not in record:  # a folder listing: no file behind a result
            continue
        path = Path(record["path"])
        if record["cell"] is not None and path.is_relative_to(stage):
            files = by_cell.setdefault(str(record["cell"] - LOGGED_AHEAD), [])
            if str(path.relative_to(stage)) not in files:
                files.append(str(path.relative_to(stage)))
    target.write_text(json.dumps(by_cell, indent=1), encoding="utf-8")


def _names(source: str) -> tuple[set[str], set[str]]:
    """The names a cell assigns (imports aside) and the names it uses."""
    assigned, used = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name):
            (assigned if isinstance(node.ctx, ast.Store) else used).add(node.id)
    return assigned, used


def cell_inputs(cells: list[dict]) -> dict[int, set[int]]:
    """For each executed code cell (by execution count), the code cells whose results it uses,
    itself included, following uses back through earlier cells."""
    inputs: dict[int, set[int]] = {}
    last_assigned: dict[str, int] = {}
    for cell in cells:
        if cell["cell_type"] != "code" or cell.get("execution_count") is None:
            continue
        count = cell["execution_count"]
        assigned, used = _names("".join(cell["source"]))
        inputs[count] = {count}.union(*(inputs[last_assigned[name]] for name in used if name in last_assigned))
        last_assigned.update(dict.fromkeys(assigned, count))
    return inputs


def glued_by(cells: list[dict]) -> dict[str, int]:
    """Each glue key of an executed notebook and the execution count of the cell that glued it."""
    return {output["metadata"]["scrapbook"]["name"]: cell["execution_count"]
            for cell in cells if cell["cell_type"] == "code"
            for output in cell.get("outputs", []) if "scrapbook" in output.get("metadata", {})}


def notebook_provenance(notebook: Path, cell_reads: dict[str, list[str]], root: Path) -> dict:
    """What the Sphinx extension needs about one executed notebook: for each glue key its cell
    and the data files behind it, and a sha256 for every file the notebook read.

    The package descriptor, which every loader reads, counts as read by the notebook but is
    not listed behind each result.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    inputs = cell_inputs(cells)
    read = sorted({f for files in cell_reads.values() for f in files})
    glue = {}
    for key, count in glued_by(cells).items():
        files = {f for cell in inputs.get(count, {count}) for f in cell_reads.get(str(cell), [])}
        glue[key] = {"cell": count, "files": sorted(f for f in files if Path(f).name != PACKAGE)}
    return {"glue": glue, "read": read, "sha256": {f: file_sha256(root / f) for f in read if (root / f).is_file()}}


def write_provenance(stage: Path, notebook: Path, cache: Path, folder: Path) -> None:
    """Write ``folder/provenance.json`` for one staged, executed notebook."""
    saved = cell_reads_file(cache, notebook)
    cell_reads = json.loads(saved.read_text(encoding="utf-8")) if saved.is_file() else {}
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PROVENANCE).write_text(json.dumps(notebook_provenance(stage / notebook, cell_reads, stage), indent=1),
                                     encoding="utf-8")
