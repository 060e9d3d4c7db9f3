"""One command at a time changes a project's build: a second ``make book`` waits, saying so.

The lock is a POSIX record lock (``fcntl.lockf``): it belongs to the process that took it, is
not inherited by the processes it forks (pool workers, kernels), and goes when that process
dies, even by ``kill -9``. A command that finds the lock held by a process that no longer
exists therefore never waits for it.
"""
from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from compendium.book.messages import say
from compendium.book.paths import LOCK


@contextmanager
def project_lock(root: Path, command: str):
    """Hold the project's build lock for the block; if another command holds it, wait for it with one line."""
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by a live process: a dead one's lock is gone with it
            handle.seek(0)
            holder = handle.read().strip() or "another command"
            say(f"[wait]   {holder} is using this project's _build ({LOCK}); waiting for it to finish")
            fcntl.lockf(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"'{command}' (process {os.getpid()})")
        handle.flush()
        try:
            yield
        finally:
            fcntl.lockf(handle, fcntl.LOCK_UN)
