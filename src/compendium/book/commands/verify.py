"""``make verify RELEASE=dist/<name>.zip``: does a release still compute what it shows?

It unpacks the zip into a temporary folder, checks every file against ``SHA256SUMS`` (and that
no file is unlisted), runs the release's validators, rebuilds the book from the archived sources
(offline, with the archived package code), and compares every glued value, table and figure
with the archived ones (``results/``). It ends with one line: what it compared, or the first
difference, naming the file and the value.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from compendium.book.commands.differences import first_difference
from compendium.book.commands.release import SUMS
from compendium.book.commands.results import collect_results
from compendium.book.commands.validators import release_problems
from compendium.book.messages import BuildError, say
from compendium.files import display_path

ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


def _unpack(release: Path, into: Path) -> Path:
    """Extract ``release`` into ``into``; return its one top folder. Refused in one line when it is
    not a readable zip, holds a path that leaves the folder, or is not a release."""
    shown = display_path(release)
    if not release.is_file():
        raise BuildError(f"{shown}: no such file")
    try:
        with zipfile.ZipFile(release) as archive:
            names = archive.namelist()
            for name in names:
                path = PurePosixPath(name)
                if path.is_absolute() or ".." in path.parts or "\\" in name:
                    raise BuildError(f"{shown}: entry {name!r} leaves the release's folder; not a release")
            tops = {PurePosixPath(name).parts[0] for name in names if name.strip("/")}
            if len(tops) != 1 or f"{next(iter(tops))}/{SUMS}" not in names:
                raise BuildError(f"{shown}: not a release of a compendium (no one folder with {SUMS})")
            archive.extractall(into)
    except ZIP_ERRORS as exc:
        raise BuildError(f"{shown}: not a readable zip ({type(exc).__name__}: "
                         f"{(str(exc).splitlines() or [''])[0]})") from None
    return into / next(iter(tops))


def _check_sums(folder: Path) -> dict[str, bytes]:
    """Every file of the release, checked against ``SHA256SUMS``; returns them by path."""
    listed = {}
    for number, line in enumerate((folder / SUMS).read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        digest, separator, path = line.partition("  ")
        if not separator or len(digest) != 64:
            raise BuildError(f"{SUMS} line {number}: not '<sha256>  <path>'")
        listed[path] = digest
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {SUMS}
    files = {}
    for path in sorted(listed):
        if path not in present:
            raise BuildError(f"{path}: listed in {SUMS}, missing from the release")
        files[path] = (folder / path).read_bytes()
        if hashlib.sha256(files[path]).hexdigest() != listed[path]:
            raise BuildError(f"{path}: its sha256 is not the one {SUMS} records (the file was changed)")
    unlisted = sorted(present - set(listed))
    if unlisted:
        raise BuildError(f"{unlisted[0]}: in the release, but not listed in {SUMS}")
    return files


def _rebuild(folder: Path, scratch: Path) -> Path:
    """Build the archived sources in a copy, with the archived package code; return the copy."""
    project = scratch / "project"
    shutil.copytree(folder / "source", project)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(project / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "compendium", "--root", str(project), "build"], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        last = ([line for line in done.stderr.splitlines() if line.strip()] or ["(no message)"])[0]
        raise BuildError(f"the archived sources do not build: {last}")
    return project


def verify(release: Path) -> str:
    """Verify ``release``; return the closing line. Raises BuildError with the first problem."""
    with tempfile.TemporaryDirectory(prefix="compendium-verify-") as scratch:
        folder = _unpack(release, Path(scratch) / "release")
        files = _check_sums(folder)
        say(f"[verify] {len(files)} files match {SUMS}")
        problems, summary = release_problems(folder)
        if problems:
            raise BuildError(problems[0])
        say(f"[verify] {summary}")
        say("[verify] rebuilding the book from the archived sources (every notebook runs)")
        project = _rebuild(folder, Path(scratch))
        archived = {path: data for path, data in files.items() if path.startswith("results/")}
        counts, problem = first_difference(archived, collect_results(project))
    if problem:
        raise BuildError(problem)
    return (f"verified: {counts['values']} values, {counts['tables']} tables, {counts['figures']} figures "
            "identical")
