"""Deterministic zips: the same files give the same bytes, wherever and whenever they are zipped.

Entries are sorted, every entry carries one timestamp (``SOURCE_DATE_EPOCH``, or the time of
the commit the project is at), files are 0644 (0755 when executable in the project), and the
compression is fixed; no owner, extra field or comment is written.
"""
from __future__ import annotations

import io
import os
import subprocess
import time
import zipfile
from pathlib import Path

from compendium.book.messages import BuildError
from compendium.files import write_atomic

EPOCH = "SOURCE_DATE_EPOCH"
ZIP_EPOCH = 315532800  # 1980-01-01, the earliest time a zip entry can hold


def release_epoch(root: Path) -> int:
    """The release's one timestamp: ``SOURCE_DATE_EPOCH`` when set, else the commit's time."""
    value = os.environ.get(EPOCH, "").strip()
    if value:
        if not value.isdigit():
            raise BuildError(f"{EPOCH}={value!r}: not a number of seconds since 1970")
        return int(value)
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True)
    except OSError:
        done = None
    if done is None or done.returncode != 0 or not done.stdout.strip().isdigit():
        raise BuildError(f"the release needs one timestamp: set {EPOCH}, or release from a git checkout with a commit")
    return int(done.stdout.strip())


def zip_bytes(files: dict[str, bytes], epoch: int, executable: frozenset[str] = frozenset()) -> bytes:
    """The zip of ``files`` (archive name -> bytes), the same bytes for the same files and epoch."""
    stamp = time.gmtime(max(epoch, ZIP_EPOCH))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.create_system = 3  # Unix, so that the permissions below are read
            entry.external_attr = (0o100755 if name in executable else 0o100644) << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, files[name], compresslevel=9)
    return buffer.getvalue()


def write_zip(target: Path, files: dict[str, bytes], epoch: int, executable: frozenset[str] = frozenset()) -> None:
    """Write the zip of ``files`` to ``target``, whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, zip_bytes(files, epoch, executable))
    target.chmod(0o644)  # readable by all, as a file to deposit (the temporary file it replaced was 0600)
