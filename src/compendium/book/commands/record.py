"""The published record: stored notebook outputs and the sha256 of every data file."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from compendium.book import project
from compendium.book.messages import say
from compendium.book.paths import BUILD
from compendium.book.pipeline.build import refuse_invalid
from compendium.book.pipeline.cache import executed_copy, is_current, read_entry
from compendium.book.pipeline.execution import Job, execute_many, strip_volatile
from compendium.book.pipeline.fingerprints import tree_digest
from compendium.book.pipeline.signals import deferred
from compendium.book.toc import book_notebooks
from compendium.files import PACKAGE, publish_hash, write_atomic


def record(root: Path, workers: int | None = None) -> list[Path]:
    """Re-execute every published notebook in place and re-save the data hashes. Raises BuildError.

    A notebook whose execution in the build cache is current (same code, package, lock and
    files read) is taken from there instead of running again."""
    book = project.load(root)
    refuse_invalid(book)
    notebooks = book_notebooks(root)
    (root / BUILD).mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root / BUILD) as scratch:
        jobs = [Job(root / nb, Path(scratch) / nb.name, str(nb), Path(scratch) / f"{nb.stem}.reads")
                for nb in notebooks]
        code = tree_digest(root, book.code)
        for job, nb in zip(jobs, notebooks, strict=True):
            entry, _ = read_entry(root, nb.stem)
            if is_current(root, nb, entry, code):
                shutil.copyfile(executed_copy(root, nb.stem), job.target)
                say(f"[cached] {nb} (executed by the last build with the same code and files)")
        execute_many([job for job in jobs if not job.target.exists()], workers)
        for job in jobs:
            strip_volatile(job.target)
        descriptor_path = root / "data" / PACKAGE
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            resource["hash"] = publish_hash(root / "data" / resource["path"])
        descriptor["bibliography"] = {"path": descriptor.get("bibliography", {}).get("path", "../references.bib"),
                                      "hash": publish_hash(root / "references.bib")}
        with deferred():  # the notebooks and the hashes are one record: all of it is saved, or none
            for job in jobs:
                os.replace(job.target, job.source)
            write_atomic(descriptor_path, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    say(f"recorded {len(notebooks)} notebooks and the sha256 of {len(descriptor['resources'])} data files "
        "and the bibliography")
    return notebooks
