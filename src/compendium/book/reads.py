"""The read log: how a notebook tells the build which files its results depend on.

A project's data layer calls ``note_read`` for every file it reads and ``note_listing`` for
every folder it lists (a new, removed or renamed file there changes the result as much as an
edited one); while the build executes a notebook, ``COMPENDIUM_READ_LOG`` names a file in
which each call appends one line. Outside a build the calls do nothing.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from compendium.book.paths import READ_LOG


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
    _log({"path": str(Path(path).resolve()), "cell": _current_cell()})


def note_listing(folder: Path | str, pattern: str = "*") -> None:
    """Record that the files of ``folder`` matching the glob ``pattern`` were listed (and the
    result depends on which there are): ``{"listed": absolute folder, "glob": pattern, "cell": ...}``."""
    _log({"listed": str(Path(folder).resolve()), "glob": pattern, "cell": _current_cell()})


def _log(record: dict) -> None:
    log = os.environ.get(READ_LOG)
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")


def read_log(log: Path) -> list[dict]:
    """The records ``note_read`` and ``note_listing`` appended to ``log``, in order (empty when there is no log)."""
    if not log.is_file():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def files_read(records: list[dict]) -> list[Path]:
    """The files the records say were read, each once, sorted."""
    return sorted({Path(record["path"]) for record in records if "path" in record})


def folders_listed(records: list[dict]) -> list[tuple[Path, str]]:
    """The (folder, glob pattern) listings the records name, each once, sorted."""
    return sorted({(Path(record["listed"]), record["glob"]) for record in records if "listed" in record})
