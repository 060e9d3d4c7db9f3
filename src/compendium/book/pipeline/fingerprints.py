"""Fingerprints of the build's inputs: what decides whether a result must be computed again."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from compendium.files import PACKAGE, file_sha256

VOLATILE_METADATA = ("papermill", "execution")  # what an execution writes into a notebook's metadata


def notebook_inputs(path: Path) -> str:
    """A notebook as JSON text without its results: each cell's type, source and metadata (tags
    such as ``remove-input`` change the page), leaving out outputs, execution counts and what
    an execution writes into the metadata (run times; an empty tag list)."""
    def kept(metadata: dict) -> dict:
        return {key: value for key, value in metadata.items()
                if key not in VOLATILE_METADATA and not (key == "tags" and value == [])}

    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return json.dumps([(c["cell_type"], "".join(c["source"]), kept(c.get("metadata", {}))) for c in cells],
                      sort_keys=True)


def content_digest(path: Path, results_only: bool = True) -> str:
    """sha256 of what a file contributes.

    Notebooks count by ``notebook_inputs`` (stored outputs are results, not inputs).
    With ``results_only``, ``datapackage.json`` counts without its published hashes: they
    are bookkeeping that no notebook computes from, though the landing page shows them.
    """
    if path.suffix == ".ipynb":
        return hashlib.sha256(notebook_inputs(path).encode()).hexdigest()
    if results_only and path.name == PACKAGE:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        descriptor.pop("bibliography", None)
        for resource in descriptor.get("resources", []):
            resource.pop("hash", None)
        return hashlib.sha256(json.dumps(descriptor, sort_keys=True).encode()).hexdigest()
    return file_sha256(path)


def _files_under(folder: Path) -> list[Path]:
    """Every file under ``folder``, symbolic links included but never followed, sorted."""
    found = []
    for parent, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name not in ("__pycache__", ".ipynb_checkpoints")]
        found += [Path(parent) / name for name in names + [d for d in folders if (Path(parent) / d).is_symlink()]]
    return sorted(found)


def _file_digest(path: Path, results_only: bool) -> str:
    if path.is_symlink():  # a link counts by where it points, and is not followed
        return hashlib.sha256(b"link:" + os.fsencode(os.readlink(path))).hexdigest()
    return content_digest(path, results_only) if path.exists() else "missing"


def tree_digest(root: Path, names) -> str:
    """One sha256 over the files (recursively) at ``names`` under ``root``, with their paths."""
    digest = hashlib.sha256()
    for name in names:
        base = root / name
        for path in _files_under(base) if base.is_dir() else [base]:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(_file_digest(path, results_only=False).encode())
    return digest.hexdigest()


def tree_manifest(folder: Path, leave_out: str = "") -> dict[str, str]:
    """The sha256 of every file under ``folder`` (but ``leave_out``) by its path relative to ``folder``."""
    return {path.relative_to(folder).as_posix(): _file_digest(path, results_only=False)
            for path in _files_under(folder) if path.relative_to(folder).as_posix() != leave_out}


def notebook_key(root: Path, notebook: Path, reads: list[str], code: str,
                 listings: list[tuple[str, str]] = ()) -> str:
    """Cache key of one notebook: its cells (``notebook_inputs``), the digest of the book's code
    (``code``), every file it read, and which files each folder it listed holds now
    (``listings``: folder relative to ``root``, glob pattern)."""
    digest = hashlib.sha256()
    digest.update(content_digest(root / notebook).encode())
    digest.update(code.encode())
    for name in sorted(reads):
        path = root / name
        digest.update(name.encode())
        digest.update(content_digest(path).encode() if path.is_file() else b"missing")
    for folder, pattern in sorted(listings):
        found = sorted(p.relative_to(root / folder).as_posix() for p in (root / folder).glob(pattern))
        digest.update(json.dumps(["listed", folder, pattern, found]).encode())
    return digest.hexdigest()
