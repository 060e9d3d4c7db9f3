"""Parameterised reruns into ``runs/<name>/``.

A rerun executes one or all notebooks with papermill, reading the stored notebooks in
``notebooks/`` but never writing there. The run is assembled in a hidden folder and renamed
into place only when every notebook succeeded, so a failed run leaves ``runs/`` as it was.
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from compendium.book.execution import execute_many
from compendium.book.exports import export_outputs
from compendium.book.messages import BuildError, say
from compendium.book.parameters import ParameterError, parse
from compendium.book.toc import book_notebooks


def declared_parameters(notebook: Path) -> set[str]:
    """The names a notebook's papermill ``parameters`` cell declares."""
    import papermill

    return set(papermill.inspect_notebook(str(notebook)))


def rerun(root: Path, notebook: str, assignments: list[str], name: str | None, workers: int | None) -> Path:
    """Execute ``notebook`` (a path, or ``all``) with parameters into ``runs/<name>``; return it.

    Raises BuildError (or ParameterError) with one line before anything runs when the
    notebook, a parameter or the data are not acceptable.
    """
    from compendium.analysis.codings import validate_codings
    from compendium.analysis.validation import validate_all, validate_bibliography, validate_package

    published = book_notebooks(root)
    chosen = published if notebook == "all" else [Path(notebook)]
    for nb in chosen:
        if nb not in published:
            raise BuildError(f"{nb}: not a notebook of the book (choose one of: {', '.join(map(str, published))} or all)")
    takes = {nb: declared_parameters(root / nb) for nb in chosen}
    declared = set().union(*takes.values())
    try:
        values = parse(assignments, declared)
    except ParameterError as exc:
        raise BuildError(str(exc)) from None
    problems = validate_all(root)
    if "data_dir" in values:
        problems += validate_package(Path(values["data_dir"]))
    if "bib_path" in values:
        problems += validate_bibliography(Path(values["bib_path"]))
    if "codings_dir" in values and not problems:
        problems += validate_codings(values["codings_dir"], values.get("data_dir", root / "data"),
                                     values.get("bib_path", root / "references.bib"))
    if problems:
        raise BuildError("\n".join(dict.fromkeys(problems)))
    name = name or time.strftime("%Y%m%d-%H%M%S")
    final = root / "runs" / name
    if final.exists():
        raise BuildError(f"runs/{name} already exists; choose another name")
    partial = root / "runs" / f".{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        jobs = []
        for nb in chosen:
            own = {k: v for k, v in values.items() if k in takes[nb]}
            jobs.append((root / nb, partial / nb.name, str(nb), partial / f".{nb.stem}.reads", own))
        execute_many(jobs, workers)
        for nb in chosen:
            for scratch in partial.glob(f".{nb.stem}.*"):
                scratch.unlink()
            export_outputs(partial / nb.name, partial / nb.stem)
        (partial / "parameters.json").write_text(json.dumps(
            {"notebooks": [str(nb) for nb in chosen], "parameters": values}, indent=2), encoding="utf-8")
        partial.rename(final)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    say(f"run saved in runs/{name}: {', '.join(nb.name for nb in chosen)}, figures and tables as files")
    return final
