"""File-level helpers shared by the data layer and the build, kept free of heavy imports."""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

PACKAGE = "datapackage.json"
HASH_PREFIX = "sha256:"  # a Frictionless hash names its algorithm


def display_path(path: Path | str) -> str:
    """The path as a reader knows it: relative to the current folder when it lies inside it,
    with any control character escaped so that a message stays on one line."""
    try:
        shown = str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    return shown if shown.isprintable() else repr(shown)[1:-1]


def file_sha256(path: Path | str) -> str:
    """The sha256 of a file's bytes, as hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def published(entry: dict) -> str | None:
    """The sha256 a data package records for a resource (or its bibliography) as published: the
    Frictionless ``hash``, ``"sha256:<hex>"``, which any Frictionless client checks."""
    value = entry.get("hash")
    return value.removeprefix(HASH_PREFIX) if isinstance(value, str) and value.startswith(HASH_PREFIX) else None


def publish_hash(path: Path | str) -> str:
    """The Frictionless ``hash`` of a file: ``"sha256:<hex>"``."""
    return HASH_PREFIX + file_sha256(path)


def write_atomic(path: Path, content: bytes | str) -> None:
    """Write ``path`` so that readers see the old file or the new one, never a part.

    The content goes to a temporary file in the same folder, which then replaces ``path``.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
