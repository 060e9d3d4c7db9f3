"""The read log: how a notebook tells the build which files its results depend on.

A project's data layer calls ``note_read`` for every file it reads; while the build executes
a notebook, ``COMPENDIUM_READ_LOG`` names a file in which each call appends one line. Outside
a build the calls do nothing.
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
