"""The published record: stored notebook outputs and the sha256 of every data file.

``record`` is all or nothing: every new file (each notebook, the data package's descriptor)
is first written whole beside the file it replaces, which also proves that its folder can be
written; only when all are written do they replace the old ones, together. A failure or an
interruption before that leaves every file as it was, and the scratch folder of a killed
record is removed by the next.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from compendium.book import project
from compendium.book.messages import BuildError, say
from compendium.book.paths import BUILD
from compendium.book.pipeline.build import refuse_invalid
from compendium.book.pipeline.cache import executed_copy, is_current, read_entry
from compendium.book.pipeline.execution import Job, execute_many, strip_volatile
from compendium.book.pipeline.fingerprints import notebook_inputs, tree_digest
from compendium.book.pipeline.leftovers import owned_folder, sweep
from compendium.book.pipeline.signals import deferred
from compendium.book.toc import book_notebooks
from compendium.files import PACKAGE, publish_hash

SCRATCH = ".record-"  # the scratch folders of record, in _build/


def _cached_execution(root: Path, notebook: Path, code: str) -> Path | None:
    """The build's execution of ``notebook``, when it is current and its notebook is the stored
    one in everything but outputs; else None (the notebook runs again)."""
    entry, _ = read_entry(root, notebook.stem)
    executed = executed_copy(root, notebook.stem)
    if is_current(root, notebook, entry, code) and notebook_inputs(executed) == notebook_inputs(root / notebook):
        return executed
    return None


def _written_beside(target: Path, content: bytes) -> Path:
    """``content`` written whole into a new file in ``target``'s folder; raises BuildError when it cannot be."""
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
    except OSError as exc:
        where = target.parent.relative_to(Path.cwd()) if target.parent.is_relative_to(Path.cwd()) else target.parent
        raise BuildError(f"{where}/: cannot be written ({exc.strerror}), so {target.name} cannot be recorded; "
                         "nothing was recorded") from None
    return Path(name)


def _replace_all(contents: dict[Path, bytes]) -> None:
    """Put every file of ``contents`` in place, all of them or none."""
    written = {}
    try:
        for target, content in contents.items():
            written[target] = _written_beside(target, content)
        with deferred():  # the notebooks and the hashes are one record
            for target, new in written.items():
                os.replace(new, target)
    finally:
        for new in written.values():
            new.unlink(missing_ok=True)


def record(root: Path, workers: int | None = None) -> list[Path]:
    """Re-execute every published notebook in place and re-save the data hashes. Raises BuildError.

    A notebook whose execution in the build cache is current (same cells, package, lock and
    files read) is taken from there instead of running again."""
    book = project.load(root)
    refuse_invalid(book)
    notebooks = book_notebooks(root)
    sweep(root / BUILD, SCRATCH)
    scratch = owned_folder(root / BUILD, SCRATCH)
    try:
        jobs = [Job(root / nb, scratch / nb.name, str(nb), scratch / f"{nb.stem}.reads") for nb in notebooks]
        code = tree_digest(root, book.code)
        for job, nb in zip(jobs, notebooks, strict=True):
            cached = _cached_execution(root, nb, code)
            if cached:
                shutil.copyfile(cached, job.target)
                say(f"[cached] {nb} (executed by the last build with the same cells, code and files)")
        execute_many([job for job in jobs if not job.target.exists()], workers)
        for job in jobs:
            strip_volatile(job.target)
        descriptor_path = root / "data" / PACKAGE
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            resource["hash"] = publish_hash(root / "data" / resource["path"])
        descriptor["bibliography"] = {"path": descriptor.get("bibliography", {}).get("path", "../references.bib"),
                                      "hash": publish_hash(root / "references.bib")}
        _replace_all({**{job.source: job.target.read_bytes() for job in jobs},
                      descriptor_path: (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode()})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"recorded {len(notebooks)} notebooks and the sha256 of {len(descriptor['resources'])} data files "
        "and the bibliography")
    return notebooks
