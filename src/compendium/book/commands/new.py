"""``python -m compendium new DIR``: start a new, minimal compendium on this engine.

The new folder holds a data package with one CSV file and its schema, a bibliography, one
notebook that loads the data and glues a number, a table and a figure, one chapter that
pastes them with a citation, the book's configuration, a Makefile, a README, a
CITATION.cff, tests (the data's rules and nbval) and ``.ci/run``. The engine travels with it
as a wheel in ``vendor/``, and its ``requirements.txt`` pins exactly the versions installed
here of everything the engine and the new book need, so that it builds on a fresh machine
with only the package registries. The notebook is executed once, so that its stored outputs
(the published record) are there for ``make test``.
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import date
from importlib import metadata
from pathlib import Path

from compendium.book.messages import BuildError, say

TEMPLATE = Path(__file__).resolve().parent.parent / "template"
ENGINE = Path(__file__).resolve().parent.parent.parent  # the compendium package: the engine, less a book's analysis
LEFT_OUT = ("analysis", "__pycache__")  # of the package, not part of the engine's wheel
RENAMED = {"PACKAGE": None, "dot-ci": ".ci", "dot-gitignore": ".gitignore"}  # None: the book's package name
ENGINE_NEEDS = ("jupyter-book", "pandas", "papermill", "nbformat", "pyyaml", "psutil", "pybtex", "sphinx-exercise",
                "traitlets")
BOOK_NEEDS = ("seaborn", "nbval", "frictionless", "ipykernel", "pytest", "setuptools")
EPOCH = (2026, 1, 1, 0, 0, 0)  # the time stamp of every member of the engine's wheel


def _names(folder: Path, title: str | None) -> dict[str, str]:
    slug = folder.name
    package = re.sub(r"\W+", "_", slug.lower()).strip("_")
    if not package or not package.isidentifier() or package[0].isdigit():
        package = f"book_{package}".rstrip("_")
    return {"@@TITLE@@": title or slug.replace("-", " ").replace("_", " ").strip().capitalize(),
            "@@PACKAGE@@": package, "@@PACKAGE_NAME@@": package.replace("_", "-"),
            "@@AUTHOR@@": "The compendium's authors", "@@YEAR@@": str(date.today().year),
            "@@DATE@@": date.today().isoformat()}


def _copy_template(target: Path, names: dict[str, str]) -> None:
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir() or "__pycache__" in source.parts:
            continue
        parts = [RENAMED.get(part, part) or names["@@PACKAGE@@"] for part in source.relative_to(TEMPLATE).parts]
        destination = target.joinpath(*parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        for placeholder, value in names.items():
            text = text.replace(placeholder, value)
        destination.write_text(text, encoding="utf-8")
        destination.chmod(source.stat().st_mode & 0o755 | 0o644)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def engine_wheel(folder: Path) -> Path:
    """Write the engine (the ``compendium`` package without a book's analysis) as a wheel into ``folder``."""
    version = metadata.version("compendium")
    info = f"compendium-{version}.dist-info"
    needs = "".join(f"Requires-Dist: {need}\n" for need in ENGINE_NEEDS)
    members = {f"compendium/{path.relative_to(ENGINE).as_posix()}": path.read_bytes()
               for path in sorted(ENGINE.rglob("*"))
               if path.is_file() and not set(LEFT_OUT) & set(path.relative_to(ENGINE).parts)}
    members[f"{info}/METADATA"] = (f"Metadata-Version: 2.1\nName: compendium\nVersion: {version}\n"
                                   f"Summary: The build engine of executable research compendia\n"
                                   f"Requires-Python: >=3.11\n{needs}").encode()
    members[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: compendium\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    members[f"{info}/entry_points.txt"] = "".join(
        f"[{group}]\n" + "".join(f"{entry.name} = {entry.value}\n" for entry in metadata.entry_points(group=group)
                                 if entry.value.startswith("compendium.book.")) + "\n"
        for group in ("myst_nb.mime_renderers", "pybtex.style.formatting")).encode()
    record = [_record_line(name, data) for name, data in members.items()] + [f"{info}/RECORD,,"]
    members[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / f"compendium-{version}-py3-none-any.whl"
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            member = zipfile.ZipInfo(name, EPOCH)
            member.external_attr = 0o644 << 16
            archive.writestr(member, data, zipfile.ZIP_DEFLATED)
    return wheel


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_needs(roots) -> list[str]:
    """``name==version`` for every distribution the ``roots`` need, followed through their
    requirements (with the extras asked for), as installed here: a lock the new book shares."""
    from packaging.requirements import Requirement

    todo, pins, followed = [(root, "") for root in roots], {}, set()
    while todo:
        name, extra = todo.pop()
        if (_canonical(name), extra) in followed:
            continue
        followed.add((_canonical(name), extra))
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise BuildError(f"new: {name} is not installed here, so its version cannot be pinned "
                             "(run make first, which installs the lock)") from None
        pins[_canonical(name)] = f"{dist.metadata['Name']}=={dist.version}"
        for line in dist.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                todo += [(requirement.name, "")] + [(requirement.name, wanted) for wanted in requirement.extras]
    return [pins[name] for name in sorted(pins)]


def _record(target: Path) -> None:
    """Execute the new book's notebook once, so its outputs (the published record) are stored."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target / "src"), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "compendium", "--root", str(target), "record"], env=environment,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"new: the new book's notebook did not run: {(done.stderr.strip().splitlines() or [''])[-1]}")


def new(target: Path, title: str | None = None) -> Path:
    """Write a new compendium into ``target`` (a folder that does not exist, or is empty); return it."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BuildError(f"new: {target} already exists and is not an empty folder; name a new one")
    names = _names(target, title)
    partial = Path(tempfile.mkdtemp(dir=target.parent if target.parent.is_dir() else None, prefix=".new-"))
    try:
        built = partial / target.name
        say(f"[start]  a new compendium in {target}")
        _copy_template(built, names)
        wheel = engine_wheel(built / "vendor")
        pins = [pin for pin in pinned_needs([*ENGINE_NEEDS, *BOOK_NEEDS]) if not pin.startswith("compendium==")]
        (built / "requirements.txt").write_text(
            "# Pinned lock for Python 3.11: the versions the engine was made with; the engine itself from vendor/.\n"
            + "\n".join(pins) + f"\n./vendor/{wheel.name}\n", encoding="utf-8")
        _record(built)
        shutil.rmtree(built / "_build")  # the record's scratch space and lock: not part of the new book
        if target.exists():
            target.rmdir()
        built.rename(target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    say(f"new compendium in {target}: cd there and run make book, then make test")
    return target
