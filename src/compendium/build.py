"""The build driver behind ``make book`` and ``make record``.

``build``: validate the data, copy the book sources aside, execute every notebook there
with papermill (fresh, so no page can show numbers its data contradict), render the copy
strictly with Jupyter Book, and only then swap the result into ``_build/html``. A failure
at any step leaves the previous book as it was.

``record``: execute the stored notebooks and replace them (all or none), then write the
data files' sha256 into ``data/datapackage.json``: the published record.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill
import yaml
from papermill.exceptions import PapermillExecutionError

from compendium.data import PACKAGE, file_sha256, read_descriptor
from compendium.validation import validate_bibliography, validate_package

BOOK_SOURCES = ("_config.yml", "_toc.yml", "references.bib", "chapters", "notebooks", "data")
VOLATILE_METADATA = ("papermill", "execution")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception): ")


class BuildError(Exception):
    """A build step failed; the message is the one line the reader sees."""


def say(message: str) -> None:
    """Progress output, flushed at once so long steps show as they happen."""
    print(message, flush=True)


def validate_all(root: Path) -> list[str]:
    """Every problem with the data package and the bibliography, one line each."""
    return validate_package(root / "data") + validate_bibliography(root / "references.bib")


def book_notebooks(root: Path) -> list[Path]:
    """The notebooks the table of contents publishes, in reading order, relative to ``root``."""
    def walk(node) -> list[str]:
        if isinstance(node, dict):
            found = [node["file"]] if "file" in node else []
            return found + [f for key in ("parts", "chapters", "sections")
                            for child in node.get(key, []) for f in walk(child)]
        return []

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc.get("root", "")] + walk(toc)
    return [Path(f).with_suffix(".ipynb") for f in files
            if (root / Path(f).with_suffix(".ipynb")).is_file()]


def execute_notebook(source: Path, target: Path, label: str, parameters: dict | None = None) -> float:
    """Execute ``source`` into ``target`` in the source's folder; return the seconds it took.

    Raises BuildError naming the notebook, the failing cell and the exception.
    """
    say(f"[start] {label}")
    start = time.perf_counter()
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    try:
        papermill.execute_notebook(str(source), str(target), parameters=parameters or {},
                                   cwd=str(source.parent), kernel_name="python3",
                                   extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                   progress_bar=False, log_output=False)
    except PapermillExecutionError as exc:
        if os.environ.get("VERBOSE"):
            say("\n".join(exc.traceback))
        first_line = str(exc.evalue).splitlines()[0] if exc.evalue else ""
        raise BuildError(f"{label} cell {exc.cell_index + 1}: {exc.ename}: {first_line}") from None
    seconds = time.perf_counter() - start
    say(f"[done]  {label} ran in {seconds:.1f} s")
    return seconds


def strip_volatile(path: Path) -> None:
    """Remove run timestamps and durations so a re-executed record differs only where results do."""
    nb = nbformat.read(path, as_version=4)
    for key in VOLATILE_METADATA:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
    nbformat.write(nb, path)


def _stage(root: Path, stage: Path) -> None:
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for name in BOOK_SOURCES:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, stage / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, stage / name)
    config = yaml.safe_load((stage / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"  # executed just before, by us
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _render(stage: Path) -> None:
    """Run Jupyter Book strictly on the staged sources; raise BuildError on any warning."""
    log = stage / "jupyter-book.log"
    say("[start] rendering the book (strict: warnings are errors)")
    start = time.perf_counter()
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(stage), "--builder", "html",
               "-W", "-n", "--keep-going"]
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=stage)
    text = ANSI.sub("", log.read_text(encoding="utf-8", errors="replace"))
    problems = [line for line in text.splitlines() if "WARNING" in line or "ERROR" in line]
    crashes = [line for line in text.splitlines() if EXCEPTION_LINE.match(line)]
    if done.returncode != 0 or problems:
        if os.environ.get("VERBOSE"):
            say(text)
        first = (problems or crashes or [f"jupyter-book exited with status {done.returncode}"])[0]
        raise BuildError(f"rendering failed ({len(problems)} warnings/errors; full log {log}): {first}")
    say(f"[done]  rendering the book in {time.perf_counter() - start:.1f} s")


def _swap(new: Path, dest: Path) -> None:
    """Put ``new`` in place of ``dest`` with renames, so ``dest`` is never half-written."""
    old = dest.with_name(dest.name + ".previous")
    if old.exists():
        shutil.rmtree(old)
    if dest.exists():
        dest.rename(old)
    new.rename(dest)
    if old.exists():
        shutil.rmtree(old)


def build(root: Path) -> Path:
    """Build the book into ``root/_build/html``; return that path. Raises BuildError."""
    problems = validate_all(root)
    if problems:
        raise BuildError("\n".join(problems))
    stage = root / "_build" / ".stage"
    _stage(root, stage)
    for notebook in book_notebooks(root):
        execute_notebook(stage / notebook, stage / notebook, str(notebook))
    _render(stage)
    html = root / "_build" / "html"
    _swap(stage / "_build" / "html", html)
    shutil.rmtree(stage)
    return html


def record(root: Path) -> list[Path]:
    """Re-execute every published notebook in place and re-save the data hashes. Raises BuildError."""
    problems = validate_all(root)
    if problems:
        raise BuildError("\n".join(problems))
    notebooks = book_notebooks(root)
    (root / "_build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root / "_build") as scratch:
        executed = []
        for notebook in notebooks:
            target = Path(scratch) / notebook.name
            execute_notebook(root / notebook, target, str(notebook))
            strip_volatile(target)
            executed.append((target, root / notebook))
        for target, notebook in executed:
            os.replace(target, notebook)
    descriptor_path = root / "data" / PACKAGE
    descriptor = read_descriptor(root / "data")
    for resource in descriptor["resources"]:
        resource["published_sha256"] = file_sha256(root / "data" / resource["path"])
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"recorded {len(notebooks)} notebooks and the sha256 of {len(descriptor['resources'])} data files")
    return notebooks
