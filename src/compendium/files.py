"""File-level helpers shared by the data layer and the build, kept free of heavy imports."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

PACKAGE = "datapackage.json"
READ_LOG = "COMPENDIUM_READ_LOG"  # when set, every file the data layer reads is appended here


def _current_cell() -> int | None:
    """The execution count of the notebook cell running now, or None outside a kernel."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell.execution_count if shell is not None else None


def note_read(path: Path | str) -> None:
    """Record that a file was read, so the build knows which notebook (and cell) depends on it.

    One JSON object per line, ``{"path": absolute path, "cell": execution count or null}``,
    so any path, spaces and newlines included, survives.
    """
    log = os.environ.get(READ_LOG)
    if log:
        record = {"path": str(Path(path).resolve()), "cell": _current_cell()}
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


def read_log(log: Path) -> list[dict]:
    """The records ``note_read`` appended to ``log``, in order (empty when there is no log)."""
    if not log.is_file():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


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
