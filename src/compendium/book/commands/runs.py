"""Parameterised reruns into ``runs/<name>/``.

A rerun executes one or all notebooks with papermill, reading the stored notebooks in
``notebooks/`` but never writing there. The run is assembled in a hidden folder and renamed
into place only when every notebook succeeded, so a failed or interrupted run leaves
``runs/`` as it was; the folder of a killed rerun is removed by the next.
"""
from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

from compendium.book import project
from compendium.book.commands.parameters import ParameterError, parse
from compendium.book.messages import BuildError, say
from compendium.book.pipeline.build import refuse_invalid
from compendium.book.pipeline.execution import Job, execute_many
from compendium.book.pipeline.exports import export_outputs
from compendium.book.pipeline.leftovers import owned_folder, sweep
from compendium.book.toc import book_notebooks

RUN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
SCRATCH = ".rerun-"  # a run being assembled, in runs/


def declared_parameters(notebook: Path) -> set[str]:
    """The names a notebook's papermill ``parameters`` cell declares."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def check_run_name(name: str) -> None:
    """Refuse a run name that is not one plain folder name under ``runs/``."""
    if not RUN_NAME.fullmatch(name):
        raise BuildError(f"run name {name!r}: use up to 100 letters, digits, '_', '-' and '.', starting with a "
                         "letter or digit (it names one folder under runs/)")


def rerun(root: Path, notebook: str, assignments: list[str], name: str | None, workers: int | None) -> Path:
    """Execute ``notebook`` (a path, or ``all``) with parameters into ``runs/<name>``; return it.

    Raises BuildError with one line before anything runs when the run name, the notebook, a
    parameter or the data are not acceptable.
    """
    name = name or time.strftime("%Y%m%d-%H%M%S")
    check_run_name(name)
    published = book_notebooks(root)
    chosen = published if notebook == "all" else [Path(notebook)]
    for nb in chosen:
        if nb not in published:
            choices = ", ".join(map(str, published))
            raise BuildError(f"{nb}: not a notebook of the book (choose one of: {choices} or all)")
    takes = {nb: declared_parameters(root / nb) for nb in chosen}
    declared = set().union(*takes.values())
    book = project.load(root)
    try:
        values = parse(assignments, declared, book.hook("parameters") or {})
    except ParameterError as exc:
        raise BuildError(str(exc)) from None
    validate_run = book.hook("validate_run")
    if validate_run is None:
        refuse_invalid(book)
    elif problems := validate_run(root, values):
        raise BuildError("\n".join(problems))
    final = root / "runs" / name
    if final.exists():
        raise BuildError(f"runs/{name} already exists; choose another name")
    final.parent.mkdir(exist_ok=True)
    sweep(final.parent, SCRATCH)  # what a killed rerun left
    partial = owned_folder(final.parent, SCRATCH)
    try:
        jobs = [Job(root / nb, partial / nb.name, str(nb), partial / f".{nb.stem}.reads",
                    {k: v for k, v in values.items() if k in takes[nb]}) for nb in chosen]
        execute_many(jobs, workers)
        for nb in chosen:
            for scratch in partial.glob(f".{nb.stem}.*"):
                scratch.unlink()
            export_outputs(partial / nb.name, partial / nb.stem)
        (partial / "parameters.json").write_text(json.dumps(
            {"notebooks": [str(nb) for nb in chosen], "parameters": values}, indent=2), encoding="utf-8")
        try:
            partial.rename(final)
        except OSError:
            raise BuildError(f"runs/{name} already exists; choose another name") from None
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    say(f"run saved in runs/{name}: {', '.join(nb.name for nb in chosen)}, figures and tables as files")
    return final
