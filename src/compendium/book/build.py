"""The build driver behind ``make book`` and ``make pdf``.

``build`` never shows stale results and redoes only what changed:

1. If no input changed since the last successful build (data, bibliography, chapters,
   notebook code, configuration, package code, lock file), it stops at once.
2. It validates the data; a bad file stops everything before any notebook runs.
3. It copies the book sources aside (``_build/.stage``) and, for each notebook, reuses the
   executed copy in ``_build/.cache`` when the notebook's code, the package code, the lock
   file and every file the notebook read last time (recorded by the data layer) are
   unchanged; the others execute, in parallel.
4. It renders the staged copy strictly with Jupyter Book and only then swaps it into
   ``_build/html``. A failure at any step leaves the previous book as it was.

``build_pdf`` does the same up to the rendering, which goes through LaTeX to one PDF.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from compendium.book.execution import execute_many
from compendium.book.exports import EXPORTS_DIR, export_outputs
from compendium.book.fingerprints import notebook_key, tree_digest
from compendium.book.messages import BuildError, say
from compendium.book.toc import book_notebooks, chapter_files_page

BOOK_SOURCES = ("_config.yml", "_toc.yml", "references.bib", "compendium.bib", "chapters", "notebooks", "data",
                "examples")
CODE_INPUTS = ("src/compendium", "requirements.txt")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception): ")
STAMP = ".compendium-inputs"
RECORD_PAGE = "_record_status.md"  # written into the staged chapters, included by the landing page
CHAPTER_FILES_PAGE = "_chapter_files.md"  # written likewise, included by the instructors' guide


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
    from compendium.book.record import record_status, status_page

    page, notice = status_page(record_status(root))
    (stage / "chapters" / RECORD_PAGE).write_text(page, encoding="utf-8")
    if notice:
        config.setdefault("html", {})["announcement"] = notice
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _render(stage: Path, builder: str = "html") -> None:
    """Run Jupyter Book strictly on the staged sources; raise BuildError on any warning."""
    log = stage / f"jupyter-book-{builder}.log"
    say(f"[start]  rendering the book as {builder} (strict: warnings are errors)")
    start = time.perf_counter()
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(stage), "--builder", builder,
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
    say(f"[done]   rendering the book as {builder} in {time.perf_counter() - start:.1f} s")


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


def _execute_changed(root: Path, stage: Path, cache: Path, workers: int | None) -> None:
    """Fill the staged notebooks: reuse cached executions whose key still matches, run the rest."""
    code = tree_digest(root, CODE_INPUTS)
    cache.mkdir(parents=True, exist_ok=True)
    jobs = []
    for notebook in book_notebooks(root):
        meta_path = cache / f"{notebook.stem}.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else None
        executed = cache / notebook.name
        if meta and executed.is_file() and meta["key"] == notebook_key(root, notebook, meta["reads"], code):
            shutil.copy2(executed, stage / notebook)
            say(f"[cached] {notebook} (code and the {len(meta['reads'])} files it reads are unchanged)")
        else:
            jobs.append((stage / notebook, stage / notebook, str(notebook), cache / f"{notebook.stem}.reads"))

    def remember(job, reads) -> None:
        executed, label = job[0], job[2]
        notebook = Path(label)
        relative = sorted(str(p.relative_to(stage)) for p in reads if p.is_relative_to(stage))
        shutil.copy2(executed, cache / notebook.name)
        meta = {"key": notebook_key(stage, notebook, relative, code), "reads": relative}
        (cache / f"{notebook.stem}.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")

    execute_many(jobs, workers, on_success=remember)


def _prepare(root: Path, workers: int | None) -> Path:
    """Validate, stage the sources and fill them with executed notebooks and exported outputs."""
    from compendium.analysis.validation import validate_all

    problems = validate_all(root)
    if problems:
        raise BuildError("\n".join(problems))
    stage = root / "_build" / ".stage"
    _stage(root, stage)
    _execute_changed(root, stage, root / "_build" / ".cache", workers)
    for notebook in book_notebooks(root):
        export_outputs(stage / notebook, stage / EXPORTS_DIR / notebook.stem)
    (stage / "chapters" / CHAPTER_FILES_PAGE).write_text(chapter_files_page(root), encoding="utf-8")
    return stage


def build(root: Path, workers: int | None = None) -> Path:
    """Build the book into ``root/_build/html``; return that path. Raises BuildError."""
    html = root / "_build" / "html"
    inputs = tree_digest(root, BOOK_SOURCES + CODE_INPUTS)
    stamp = html / STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == inputs:
        say("[cached] the book: no input changed since the last build")
        return html
    stage = _prepare(root, workers)
    _render(stage)
    (stage / "_build" / "html" / STAMP).write_text(inputs, encoding="utf-8")
    _swap(stage / "_build" / "html", html)
    shutil.rmtree(stage)
    return html


def build_pdf(root: Path, workers: int | None = None) -> Path:
    """Render the whole book to one PDF, ``root/_build/pdf/compendium.pdf`` (LaTeX via xelatex)."""
    if not shutil.which("xelatex") or not shutil.which("latexmk"):
        raise BuildError("make pdf needs xelatex and latexmk (Debian: texlive-xetex, latexmk; see the README)")
    stage = _prepare(root, workers)
    _render(stage, "pdflatex")
    target = root / "_build" / "pdf" / "compendium.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(stage / "_build" / "latex" / "compendium.pdf", target.with_suffix(".pdf.partial"))
    target.with_suffix(".pdf.partial").replace(target)
    shutil.rmtree(stage)
    return target


