"""What the build keeps between runs, in one place: the format of each file and how it is written.

- ``_build/.cache/<stem>.ipynb``: a notebook as last executed by a build;
- ``_build/.cache/<stem>.json``: its entry, ``{"key", "reads", "listings", "sha256"}``: the
  cache key it was executed under, the files it read and the folders it listed (with the glob
  pattern; relative to the project), the sha256 of the copy;
- ``_build/html/.compendium-build.json``: ``{"inputs", "files"}``: the digest of the inputs
  the book was rendered from, and the sha256 of every file of the rendered book.

Every file is written whole or not at all. An entry that cannot be read, or whose executed
copy does not match it, is a miss, and the reason is given to the caller to say.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from compendium.book.paths import BOOK_RECORD, CACHE
from compendium.book.pipeline.fingerprints import notebook_key, tree_manifest
from compendium.files import file_sha256, write_atomic


@dataclass(frozen=True)
class Entry:
    """The cached execution of one notebook."""

    key: str  # the notebook key it was executed under (fingerprints.notebook_key)
    reads: list[str]  # the files it read, relative to the project
    listings: list[tuple[str, str]]  # the folders it listed (relative to the project) and the glob patterns
    sha256: str  # of the executed copy


def cache_dir(root: Path) -> Path:
    """The notebook cache folder of ``root``, created when missing."""
    folder = root / CACHE
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def executed_copy(root: Path, stem: str) -> Path:
    """Where the cached execution of notebook ``stem`` is kept."""
    return root / CACHE / f"{stem}.ipynb"


def read_entry(root: Path, stem: str) -> tuple[Entry | None, str | None]:
    """The cache entry of notebook ``stem``, or None and why it cannot be used (None when there is none)."""
    meta = root / CACHE / f"{stem}.json"
    if not meta.is_file():
        return None, None
    try:
        raw = json.loads(meta.read_text(encoding="utf-8"))
        entry = Entry(str(raw["key"]), [str(r) for r in raw["reads"]],
                      [(str(folder), str(pattern)) for folder, pattern in raw["listings"]], str(raw["sha256"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        reason = (str(exc).splitlines() or [""])[0]
        return None, f"{CACHE}/{meta.name} is unreadable ({type(exc).__name__}: {reason})"
    executed = executed_copy(root, stem)
    if not executed.is_file() or file_sha256(executed) != entry.sha256:
        return None, f"{CACHE}/{executed.name} is missing or differs from its entry"
    return entry, None


def write_entry(root: Path, stem: str, executed: Path, key: str, reads: list[str],
                listings: list[tuple[str, str]]) -> None:
    """Keep ``executed`` as the cached execution of ``stem`` under ``key``, with the files it read
    and the folders it listed."""
    folder = cache_dir(root)
    content = executed.read_bytes()
    write_atomic(folder / f"{stem}.ipynb", content)
    entry = Entry(key, reads, listings, file_sha256(folder / f"{stem}.ipynb"))
    write_atomic(folder / f"{stem}.json", json.dumps(asdict(entry), indent=1))


def is_current(root: Path, notebook: Path, entry: Entry | None, code: str) -> bool:
    """Whether ``entry`` can stand for an execution of ``notebook`` now: its key still matches
    the notebook's cells, the package code and lock (``code``), every file it read and what
    every folder it listed holds."""
    return entry is not None and entry.key == notebook_key(root, notebook, entry.reads, code, entry.listings)


def notebook_reads(root: Path, stem: str) -> list[str]:
    """The files a notebook read on its last build (empty when no usable entry exists)."""
    entry, _ = read_entry(root, stem)
    return entry.reads if entry else []


def rendered_state(html: Path, inputs: str) -> tuple[bool, str | None]:
    """Whether ``html`` is the book rendered from ``inputs`` and untouched since; and, when it
    is not for a reason other than changed inputs, that reason."""
    record = html / BOOK_RECORD
    if not record.is_file():
        return False, None
    try:
        stored = json.loads(record.read_text(encoding="utf-8"))
        recorded_inputs, files = stored["inputs"], dict(stored["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return False, f"_build/html/{BOOK_RECORD} is unreadable"
    if recorded_inputs != inputs:
        return False, None
    now = tree_manifest(html, BOOK_RECORD)
    changed = sorted(set(files) ^ set(now) | {name for name in files if now.get(name, files[name]) != files[name]})
    if not changed:
        return True, None
    first = changed[0]
    what = "deleted" if first not in now else "added" if first not in files else "edited"
    more = f" (and {len(changed) - 1} more files)" if len(changed) > 1 else ""
    return False, f"_build/html/{first} was {what} after the last build{more}"


def record_rendered(html: Path, inputs: str) -> None:
    """Note in ``html`` the inputs it was rendered from and the sha256 of each of its files."""
    write_atomic(html / BOOK_RECORD, json.dumps({"inputs": inputs, "files": tree_manifest(html, BOOK_RECORD)}))
