"""File-level helpers shared by the data layer and the build, kept free of heavy imports."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE = "datapackage.json"
READ_LOG = "COMPENDIUM_READ_LOG"  # when set, every file the data layer reads is appended here


def note_read(path: Path | str) -> None:
    """Record that a file was read, so the build knows which notebook depends on which file."""
    log = os.environ.get(READ_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{Path(path).resolve()}\n")


def file_sha256(path: Path | str) -> str:
    """The sha256 of a file's bytes, as hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()
