"""Scratch folders that name the process that made them, so that what a killed command left
behind is removed by the next one.

A folder made by ``owned_folder`` is called ``<prefix><pid>-<random>.partial``. A command
that is stopped cleanly removes its own; after ``kill -9`` it stays, and ``sweep`` (called
by the next command that makes such folders) removes every one whose process is gone.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

SUFFIX = ".partial"
KERNELS = "compendium-kernels-"  # the kernels' scratch folders, in the system's temporary folder


def owned_folder(parent: Path, prefix: str) -> Path:
    """A new, empty folder under ``parent`` named after this process (``prefix``, pid, random part)."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=parent, prefix=f"{prefix}{os.getpid()}-", suffix=SUFFIX))


def alive(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(parent: Path, prefix: str) -> list[Path]:
    """Remove the folders ``owned_folder(parent, prefix)`` made for processes that no longer exist; return them."""
    pattern = re.compile(re.escape(prefix) + r"([0-9]+)-[^/]*" + re.escape(SUFFIX))
    removed = []
    for folder in parent.glob(f"{prefix}*{SUFFIX}") if parent.is_dir() else []:
        found = pattern.fullmatch(folder.name)
        if found and folder.is_dir() and not folder.is_symlink() and not alive(int(found.group(1))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def sweep_kernels() -> list[Path]:
    """Remove the kernels' scratch folders of commands that were killed."""
    return sweep(Path(tempfile.gettempdir()), KERNELS)
