"""Fingerprints of the build's inputs: what decides whether a result must be computed again."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from compendium.files import PACKAGE, file_sha256


def content_digest(path: Path, results_only: bool = True) -> str:
    """sha256 of what a file contributes.

    Notebooks count by their cells' sources only (stored outputs are results, not inputs).
    With ``results_only``, ``datapackage.json`` counts without its published hashes: they
    are bookkeeping that no notebook computes from, though the landing page shows them.
    """
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = json.dumps([(c["cell_type"], "".join(c["source"])) for c in cells])
        return hashlib.sha256(text.encode()).hexdigest()
    if results_only and path.name == PACKAGE:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        descriptor.pop("bibliography", None)
        for resource in descriptor.get("resources", []):
            resource.pop("published_sha256", None)
        return hashlib.sha256(json.dumps(descriptor, sort_keys=True).encode()).hexdigest()
    return file_sha256(path)


def tree_digest(root: Path, names) -> str:
    """One sha256 over the files (recursively) at ``names`` under ``root``, with their paths."""
    digest = hashlib.sha256()
    for name in names:
        base = root / name
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            if "__pycache__" in path.parts or ".ipynb_checkpoints" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(content_digest(path, results_only=False).encode() if path.exists() else b"missing")
    return digest.hexdigest()


def notebook_key(root: Path, notebook: Path, reads: list[str], code: str) -> str:
    """Cache key of one notebook: its code, the package code and lock, and every file it read."""
    digest = hashlib.sha256()
    digest.update(content_digest(root / notebook).encode())
    digest.update(code.encode())
    for name in sorted(reads):
        path = root / name
        digest.update(name.encode())
        digest.update(content_digest(path).encode() if path.is_file() else b"missing")
    return digest.hexdigest()
