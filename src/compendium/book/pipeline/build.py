"""The build driver behind ``make book`` and ``make pdf``.

``build`` never shows stale results and redoes only what changed:

1. If no input changed since the last successful build (data, bibliography, chapters,
   notebooks, configuration, table of contents, package code, lock file, every file the
   zips hold) and ``_build/html`` is exactly as that build left it, it stops at once.
2. It validates the data, and refuses a symbolic link among the files its zips hold; a bad
   file stops everything before any notebook runs.
3. It copies the book sources aside (``_build/.stage``) and, for each notebook, reuses the
   executed copy in ``_build/.cache`` when the notebook's cells (sources and metadata), the
   package code, the lock file, every file the notebook read last time and what every
   folder it listed holds (both recorded by the data layer) are unchanged; the others
   execute, in parallel.
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

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import yaml

from compendium.book import project
from compendium.book.citation import citation, staged_config
from compendium.book.messages import BuildError, say
from compendium.book.paths import EXPORTS_DIR, HTML, PDF, RELEASE, STAGE
from compendium.book.pipeline.bundles import check_regular, shared_files, write_bundles
from compendium.book.pipeline.cache import (
    cache_dir,
    executed_copy,
    is_current,
    read_entry,
    record_rendered,
    rendered_state,
    write_entry,
)
from compendium.book.pipeline.execution import Job, execute_many, strip_volatile
from compendium.book.pipeline.exports import export_outputs
from compendium.book.pipeline.fingerprints import notebook_key, tree_digest
from compendium.book.pipeline.leftovers import sweep_kernels
from compendium.book.pipeline.pages import announce, chapter_files_page, notebooks_page, record_status, status_page
from compendium.book.pipeline.provenance import cell_reads_file, save_cell_reads, write_provenance
from compendium.book.pipeline.render import render, rendering, sync
from compendium.book.pipeline.signals import Interrupted, deferred
from compendium.book.pipeline.warm_kernels import KernelPool, execute_warm
from compendium.book.pipeline.warm_render import WarmRenderer
from compendium.book.reads import files_read, folders_listed
from compendium.book.toc import book_notebooks
from compendium.files import write_atomic

RECORD_PAGE = "_record_status.md"  # written into the staged chapters, included by the record page
RECORD_NOTEBOOKS_PAGE = "_record_notebooks.md"  # written likewise, included by the record page
CHAPTER_FILES_PAGE = "_chapter_files.md"  # written likewise, included by the instructors' guide


def _stage(book: project.Project, stage: Path) -> str | None:
    """Copy the book sources into ``stage``; return the notice of modified data, if any."""
    root = book.root
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for name in book.sources:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, stage / name, symlinks=True,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        elif src.is_file():
            shutil.copy2(src, stage / name)
    config = yaml.safe_load((stage / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"  # executed just before, by us
    staged_config(config, citation(stage))  # title and version: CITATION.cff is their one place
    page, notice = status_page(record_status(root))
    (stage / "chapters" / RECORD_PAGE).write_text(page, encoding="utf-8")
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return notice


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


def _execute_changed(book: project.Project, stage: Path, workers: int | None, kernels: KernelPool | None) -> None:
    """Fill the staged notebooks: reuse cached executions whose key still matches, run the rest."""
    root = book.root
    code = tree_digest(root, book.code)
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

    def remember(job: Job, records: list[dict]) -> None:
        notebook = Path(job.label)
        relative = sorted(str(p.relative_to(stage)) for p in files_read(records) if p.is_relative_to(stage))
        listed = [(str(folder.relative_to(stage)), pattern) for folder, pattern in folders_listed(records)
                  if folder.is_relative_to(stage)]
        write_entry(root, notebook.stem, job.target, notebook_key(stage, notebook, relative, code, listed),
                    relative, listed)
        save_cell_reads(job.read_log, stage, cell_reads_file(logs, notebook))

    if kernels:
        execute_warm(jobs, kernels, code, on_success=remember)
    else:
        execute_many(jobs, workers, on_success=remember)


def refuse_invalid(book: project.Project) -> None:
    """Refuse the book's data and bibliography when they break a rule of the book's validator
    (``compendium.validate`` in ``_config.yml``), before anything runs."""
    validate = book.hook("validate")
    problems = validate(book.root) if validate else []
    if problems:
        raise BuildError("\n".join(problems))


def _prepare(book: project.Project, stage: Path, workers: int | None, kernels: KernelPool | None = None) -> str | None:
    """Stage the sources and fill them with executed notebooks and exported outputs.
    Returns the notice of modified data, if any."""
    root = book.root
    notice = _stage(book, stage)
    _execute_changed(book, stage, workers, kernels)
    if os.environ.get(RELEASE):  # a release: no run times or paths, so that two releases are identical
        for notebook in book_notebooks(root):
            strip_volatile(stage / notebook)
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
    stage = root / STAGE
    try:
        yield stage
    except Interrupted:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)


def build(root: Path, workers: int | None = None, kernels: KernelPool | None = None,
          renderer: WarmRenderer | None = None) -> Path:
    """Build the book into ``root/_build/html``; return that path. Raises BuildError.

    ``make serve`` passes what it keeps warm: a pool of kernels with the imports done (one per
    notebook) and a renderer holding Sphinx's application."""
    book = project.load(root)
    sweep_kernels()  # what a killed command left, even when nothing is to run
    shutil.rmtree(root / STAGE, ignore_errors=True)
    html = root / HTML
    inputs = (tree_digest(root, (*book.sources, *book.code, *shared_files(book)))  # all the zips hold too
              + (" release" if os.environ.get(RELEASE) else ""))
    current, reason = rendered_state(html, inputs)
    if current:
        say("[cached] the book: no input changed since the last build, and _build/html is as it left it")
        return html
    if reason:
        say(f"[stale]  {reason}: the book is rendered again")
    with _staging(root) as stage:
        refuse_invalid(book)
        check_regular(book)  # what the zips will hold, refused before anything runs
        notice = _prepare(book, stage, workers, kernels)
        with rendering(root, tree_digest(root, book.code)) as render_dir:
            say(f"[render] {sync(stage, render_dir)} source files changed since the last render")
            (renderer.render if renderer else render)(render_dir)
        shutil.copytree(render_dir / HTML, stage / HTML)
        if notice:
            announce(stage / HTML, notice)
        write_bundles(book, stage / HTML)
        record_rendered(stage / HTML, inputs)
        _swap(stage / HTML, html)
    return html


def build_pdf(root: Path, workers: int | None = None) -> Path:
    """Render the whole book to one PDF, ``root/_build/pdf/compendium.pdf`` (LaTeX via xelatex)."""
    if not shutil.which("xelatex") or not shutil.which("latexmk"):
        raise BuildError("make pdf needs xelatex and latexmk (Debian: texlive-xetex, latexmk; see the README)")
    book = project.load(root)
    target = root / PDF / "compendium.pdf"
    with _staging(root) as stage:
        refuse_invalid(book)
        _prepare(book, stage, workers)
        render(stage, "pdflatex")
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, (stage / "_build" / "latex" / "compendium.pdf").read_bytes())
        write_atomic(target.with_suffix(".tex"), (stage / "_build" / "latex" / "compendium.tex").read_bytes())
    return target
