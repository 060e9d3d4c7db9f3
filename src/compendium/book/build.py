"""The build driver behind ``make book`` and ``make pdf``.

``build`` never shows stale results and redoes only what changed:

1. If no input changed since the last successful build (data, bibliography, chapters,
   notebook code, configuration, package code, lock file) and ``_build/html`` is exactly
   as that build left it, it stops at once.
2. It validates the data, and refuses a symbolic link among the files its zips hold; a bad
   file stops everything before any notebook runs.
3. It copies the book sources aside (``_build/.stage``) and, for each notebook, reuses the
   executed copy in ``_build/.cache`` when the notebook's code, the package code, the lock
   file and every file the notebook read last time (recorded by the data layer) are
   unchanged; the others execute, in parallel.
4. It brings ``_build/.render`` in line with the stage, rewriting only the files whose
   bytes differ, and renders it strictly with Jupyter Book. Sphinx keeps its environment
   and output there between builds, so it reads again only the pages whose sources
   changed (and the chapters that paste from a notebook that ran again). Only then is the
   result swapped into ``_build/html``. A failure at any step leaves the previous book as
   it was; so does an interruption, which also removes the stage. A render that did not
   finish is not trusted: the next build renders everything again.

``build_pdf`` does the same up to the rendering, which goes through LaTeX to one PDF.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

from compendium.book.cache import (
    cache_dir,
    executed_copy,
    is_current,
    read_entry,
    record_rendered,
    rendered_state,
    write_entry,
)
from compendium.book.execution import Job, execute_many
from compendium.book.exports import EXPORTS_DIR, export_outputs
from compendium.book.fingerprints import CODE_INPUTS, notebook_key, tree_digest
from compendium.book.handout import check_regular, write_bundles
from compendium.book.messages import BuildError, say, verbose
from compendium.book.provenance import cell_reads_file, save_cell_reads, write_provenance
from compendium.book.record import announce, record_status, status_page
from compendium.book.reproducibility import notebooks_page
from compendium.book.signals import Interrupted, deferred
from compendium.book.toc import book_notebooks, chapter_files_page
from compendium.files import write_atomic

BOOK_SOURCES = ("_config.yml", "_toc.yml", "references.bib", "compendium.bib", "chapters", "notebooks", "data",
                "examples")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception): ")
READING = re.compile(r"^reading sources\.\.\. \[", re.M)
RENDER = "_build/.render"  # Sphinx's sources, environment and output, kept between builds
RENDERED = ".rendered"  # in RENDER: present only after a render that finished
RECORD_PAGE = "_record_status.md"  # written into the staged chapters, included by the record page
RECORD_NOTEBOOKS_PAGE = "_record_notebooks.md"  # written likewise, included by the record page
CHAPTER_FILES_PAGE = "_chapter_files.md"  # written likewise, included by the instructors' guide


def _stage(root: Path, stage: Path) -> str | None:
    """Copy the book sources into ``stage``; return the notice of modified data, if any."""
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for name in BOOK_SOURCES:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, stage / name, symlinks=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, stage / name)
    config = yaml.safe_load((stage / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"  # executed just before, by us
    page, notice = status_page(record_status(root))
    (stage / "chapters" / RECORD_PAGE).write_text(page, encoding="utf-8")
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return notice


def _render(stage: Path, builder: str = "html") -> None:
    """Run Jupyter Book strictly on the sources in ``stage``; raise BuildError on any warning.

    Says how many pages Sphinx read (it reads only those whose sources changed since the
    environment it finds in ``stage``)."""
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
        if verbose():
            say(text)
        first = (problems or crashes or [f"jupyter-book exited with status {done.returncode}"])[0]
        raise BuildError(f"rendering failed ({len(problems)} warnings/errors; full log {log}): {first}")
    read = len(READING.findall(text))
    say(f"[done]   rendering the book as {builder} in {time.perf_counter() - start:.1f} s ({read} pages read)")


def _sync(stage: Path, render: Path) -> int:
    """Make ``render`` hold the sources of ``stage`` (not its ``_build`` or logs), writing only
    files whose bytes differ, with the time of writing, so Sphinx sees every change and only
    changes. Returns how many files were written or removed."""
    def sources(folder: Path) -> set[Path]:
        return {p.relative_to(folder) for p in folder.rglob("*")
                if (p.is_file() or p.is_symlink()) and p.relative_to(folder).parts[0] != "_build"
                and not p.name.startswith(("jupyter-book-", RENDERED))}

    staged, kept = sources(stage), sources(render) if render.is_dir() else set()
    touched = 0
    for name in sorted(staged):
        target = render / name
        if not target.is_file() or target.read_bytes() != (stage / name).read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(stage / name, target)
            touched += 1
    for name in sorted(kept - staged):
        (render / name).unlink()
        touched += 1
    return touched


@contextmanager
def _rendering(root: Path):
    """``_build/.render`` ready for an incremental render: wiped when its last render did not
    finish; marked as finished when this one does."""
    render = root / RENDER
    if render.is_dir() and not (render / RENDERED).is_file():
        say("[render] the last render did not finish: every page is read again")
        shutil.rmtree(render)
    render.mkdir(parents=True, exist_ok=True)
    (render / RENDERED).unlink(missing_ok=True)
    yield render
    (render / RENDERED).touch()


def _swap(new: Path, dest: Path) -> None:
    """Put ``new`` in place of ``dest`` with renames, so ``dest`` is never half-written
    (signals wait until both renames are done)."""
    old = dest.with_name(dest.name + ".previous")
    if old.exists():
        shutil.rmtree(old)
    with deferred():
        if dest.exists():
            dest.rename(old)
        new.rename(dest)
    if old.exists():
        shutil.rmtree(old)


def _execute_changed(root: Path, stage: Path, workers: int | None) -> None:
    """Fill the staged notebooks: reuse cached executions whose key still matches, run the rest."""
    code = tree_digest(root, CODE_INPUTS)
    logs = cache_dir(root)
    jobs = []
    for notebook in book_notebooks(root):
        entry, damage = read_entry(root, notebook.stem)
        if damage:
            say(f"[cache]  {damage}: {notebook} runs again")
        if is_current(root, notebook, entry, code):
            shutil.copy2(executed_copy(root, notebook.stem), stage / notebook)
            say(f"[cached] {notebook} (code and the {len(entry.reads)} files it reads are unchanged)")
        else:
            jobs.append(Job(stage / notebook, stage / notebook, str(notebook), logs / f"{notebook.stem}.reads"))

    def remember(job: Job, reads: list[Path]) -> None:
        notebook = Path(job.label)
        relative = sorted(str(p.relative_to(stage)) for p in reads if p.is_relative_to(stage))
        write_entry(root, notebook.stem, job.target, notebook_key(stage, notebook, relative, code), relative)
        save_cell_reads(job.read_log, stage, cell_reads_file(logs, notebook))

    execute_many(jobs, workers, on_success=remember)


def refuse_invalid(root: Path) -> None:
    """Refuse the data and bibliography when they break a rule, before anything runs."""
    from compendium.analysis.validation import validate_all

    problems = validate_all(root)
    if problems:
        raise BuildError("\n".join(problems))


def _prepare(root: Path, stage: Path, workers: int | None) -> str | None:
    """Stage the sources and fill them with executed notebooks and exported outputs.
    Returns the notice of modified data, if any."""
    notice = _stage(root, stage)
    _execute_changed(root, stage, workers)
    for notebook in book_notebooks(root):
        export_outputs(stage / notebook, stage / EXPORTS_DIR / notebook.stem)
        write_provenance(stage, notebook, cache_dir(root), stage / EXPORTS_DIR / notebook.stem)
    (stage / "chapters" / CHAPTER_FILES_PAGE).write_text(chapter_files_page(root), encoding="utf-8")
    (stage / "chapters" / RECORD_NOTEBOOKS_PAGE).write_text(notebooks_page(root, stage), encoding="utf-8")
    return notice


@contextmanager
def _staging(root: Path):
    """``_build/.stage``: removed after success and after an interruption; kept after a failure,
    since the failure's message points at the log inside it."""
    stage = root / "_build" / ".stage"
    try:
        yield stage
    except Interrupted:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)


def build(root: Path, workers: int | None = None) -> Path:
    """Build the book into ``root/_build/html``; return that path. Raises BuildError."""
    html = root / "_build" / "html"
    inputs = tree_digest(root, BOOK_SOURCES + CODE_INPUTS)
    current, reason = rendered_state(html, inputs)
    if current:
        say("[cached] the book: no input changed since the last build, and _build/html is as it left it")
        return html
    if reason:
        say(f"[stale]  {reason}: the book is rendered again")
    with _staging(root) as stage:
        refuse_invalid(root)
        check_regular(root)  # what the zips will hold, refused before anything runs
        notice = _prepare(root, stage, workers)
        with _rendering(root) as render:
            say(f"[render] {_sync(stage, render)} source files changed since the last render")
            _render(render)
        shutil.copytree(render / "_build" / "html", stage / "_build" / "html")
        if notice:
            announce(stage / "_build" / "html", notice)
        write_bundles(root, stage / "_build" / "html")
        record_rendered(stage / "_build" / "html", inputs)
        _swap(stage / "_build" / "html", html)
    return html


def build_pdf(root: Path, workers: int | None = None) -> Path:
    """Render the whole book to one PDF, ``root/_build/pdf/compendium.pdf`` (LaTeX via xelatex)."""
    if not shutil.which("xelatex") or not shutil.which("latexmk"):
        raise BuildError("make pdf needs xelatex and latexmk (Debian: texlive-xetex, latexmk; see the README)")
    target = root / "_build" / "pdf" / "compendium.pdf"
    with _staging(root) as stage:
        refuse_invalid(root)
        _prepare(root, stage, workers)
        _render(stage, "pdflatex")
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, (stage / "_build" / "latex" / "compendium.pdf").read_bytes())
        write_atomic(target.with_suffix(".tex"), (stage / "_build" / "latex" / "compendium.tex").read_bytes())
    return target
