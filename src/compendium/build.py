"""The build driver behind ``make book`` and ``make record``.

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

``record`` executes the stored notebooks and replaces them (all or none), then writes each
data file's sha256 into ``data/datapackage.json``: the published record.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

import yaml

from compendium.exports import EXPORTS_DIR, export_outputs
from compendium.files import PACKAGE, READ_LOG, file_sha256

BOOK_SOURCES = ("_config.yml", "_toc.yml", "references.bib", "chapters", "notebooks", "data")
CODE_INPUTS = ("src/compendium", "requirements.txt")
VOLATILE_METADATA = ("papermill", "execution")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception): ")
STAMP = ".compendium-inputs"
RECORD_PAGE = "_record_status.md"  # written into the staged chapters, included by the landing page
CHAPTER_FILES_PAGE = "_chapter_files.md"  # written likewise, included by the instructors' guide


class BuildError(Exception):
    """A build step failed; the message is the one line the reader sees."""


def say(message: str) -> None:
    """Progress output, flushed at once so long steps show as they happen."""
    print(message, flush=True)


def validate_all(root: Path) -> list[str]:
    """Every problem with the data package and the bibliography, one line each."""
    from compendium.validation import validate_bibliography, validate_package

    return validate_package(root / "data") + validate_bibliography(root / "references.bib")


NOTEBOOK_LINK = re.compile(r"\.\./notebooks/(\w+)\.ipynb")


def _toc_files(root: Path) -> list[str]:
    def walk(node) -> list[str]:
        if isinstance(node, dict):
            found = [node["file"]] if "file" in node else []
            return found + [f for key in ("parts", "chapters", "sections")
                            for child in node.get(key, []) for f in walk(child)]
        return []

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [toc.get("root", "")] + walk(toc)


def book_chapters(root: Path) -> list[str]:
    """The prose chapters the table of contents publishes (names under chapters/), in reading order."""
    return [Path(f).stem for f in _toc_files(root) if Path(f).parts[0] == "chapters"]


def book_notebooks(root: Path) -> list[Path]:
    """The notebooks the table of contents publishes, in reading order, relative to ``root``."""
    return [Path(f).with_suffix(".ipynb") for f in _toc_files(root)
            if (root / Path(f).with_suffix(".ipynb")).is_file()]


def chapter_notebooks(root: Path, chapter: str) -> list[str]:
    """The notebooks (stems) a chapter pastes from or links to, in order of first mention."""
    text = (root / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    return list(dict.fromkeys(NOTEBOOK_LINK.findall(text)))


def notebook_reads(root: Path, stem: str) -> list[str]:
    """The files a notebook read on its last build, as recorded by the data layer."""
    meta = root / "_build" / ".cache" / f"{stem}.json"
    return json.loads(meta.read_text(encoding="utf-8"))["reads"] if meta.is_file() else []


def chapter_files_page(root: Path) -> str:
    """Markdown table for the instructors' guide: each chapter, its notebooks and the files they read."""
    rows = []
    for chapter in book_chapters(root):
        for stem in chapter_notebooks(root, chapter):
            reads = ", ".join(f"`{r}`" for r in notebook_reads(root, stem)) or "—"
            rows.append(f"| {chapter} | `notebooks/{stem}.ipynb` | {reads} |")
    return "| chapter | notebook | files its results depend on |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"


# --- fingerprints ---------------------------------------------------------------------

def content_digest(path: Path, results_only: bool = True) -> str:
    """sha256 of what a file contributes.

    Notebooks count by their cells' sources only (stored outputs are results, not inputs).
    With ``results_only``, ``datapackage.json`` counts without its published hashes: they
    are bookkeeping that no notebook computes from, though the landing page shows them.
    """
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = json.dumps([(c["cell_type"], "".join(c["source"])) for c in cells])
        return hashlib.sha256(text.encode()).hexdigest()
    if results_only and path.name == PACKAGE:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        descriptor.pop("bibliography", None)
        for resource in descriptor.get("resources", []):
            resource.pop("published_sha256", None)
        return hashlib.sha256(json.dumps(descriptor, sort_keys=True).encode()).hexdigest()
    return file_sha256(path)


def tree_digest(root: Path, names) -> str:
    """One sha256 over the files (recursively) at ``names`` under ``root``, with their paths."""
    digest = hashlib.sha256()
    for name in names:
        base = root / name
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in files:
            if "__pycache__" in path.parts or ".ipynb_checkpoints" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(content_digest(path, results_only=False).encode() if path.exists() else b"missing")
    return digest.hexdigest()


def notebook_key(root: Path, notebook: Path, reads: list[str], code: str) -> str:
    """Cache key of one notebook: its code, the package code and lock, and every file it read."""
    digest = hashlib.sha256()
    digest.update(content_digest(root / notebook).encode())
    digest.update(code.encode())
    for name in sorted(reads):
        path = root / name
        digest.update(name.encode())
        digest.update(content_digest(path).encode() if path.is_file() else b"missing")
    return digest.hexdigest()


# --- execution ------------------------------------------------------------------------

def execute_notebook(source: Path, target: Path, label: str, parameters: dict | None = None) -> float:
    """Execute ``source`` into ``target`` in the source's folder; return the seconds it took.

    Raises BuildError naming the notebook, the failing cell and the exception.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    say(f"[start]  {label}")
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
    say(f"[ran]    {label} in {seconds:.1f} s")
    return seconds


def _execute_recording_reads(source: Path, target: Path, label: str, log: Path,
                             parameters: dict | None = None) -> list[Path]:
    """Execute one notebook (in a worker process) and return the files its data layer read."""
    log.unlink(missing_ok=True)
    os.environ[READ_LOG] = str(log)  # the kernel inherits this worker's environment
    if not os.environ.get("VERBOSE"):  # kernels' own log lines go to a file, not to the reader
        with open(log.with_suffix(".kernel.log"), "w") as kernel_log:
            os.dup2(kernel_log.fileno(), 2)
    execute_notebook(source, target, label, parameters)
    return sorted({Path(line) for line in log.read_text(encoding="utf-8").split()}) if log.exists() else []


def execute_many(jobs: list[tuple], workers: int, on_success=None) -> None:
    """Execute notebooks concurrently, calling ``on_success(job, reads)`` as each one succeeds.

    A job is ``(source, target, label, read_log)``, optionally followed by its parameters.
    Every notebook runs even when another fails; then the first failure is raised.
    """
    if not jobs:
        return
    failures = []
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), mp_context=get_context("fork")) as pool:
        futures = {pool.submit(_execute_recording_reads, *job): job for job in jobs}
        for future in as_completed(futures):
            try:
                reads = future.result()
            except BuildError as exc:
                failures.append(exc)
                continue
            if on_success:
                on_success(futures[future], reads)
    if failures:
        raise failures[0]


def strip_volatile(path: Path) -> None:
    """Remove run timestamps and durations so a re-executed record differs only where results do."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for key in VOLATILE_METADATA:
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)
    nbformat.write(nb, path)


# --- the book -------------------------------------------------------------------------

def record_status(root: Path) -> list[dict]:
    """Each data file and the bibliography: path, published sha256 (from datapackage.json), current sha256."""
    descriptor = json.loads((root / "data" / PACKAGE).read_text(encoding="utf-8"))
    entries = [(r["name"], f"data/{r['path']}", r.get("published_sha256")) for r in descriptor["resources"]]
    entries.append(("bibliography", "references.bib", descriptor.get("bibliography", {}).get("published_sha256")))
    return [{"name": name, "path": path, "published": published, "current": file_sha256(root / path)}
            for name, path, published in entries]


def _status_page(status: list[dict]) -> tuple[str, str | None]:
    """Markdown for the landing page's record section, and the banner text when data were modified."""
    modified = [s["path"] for s in status if s["published"] != s["current"]]
    rows = "".join(f"| {html.escape(s['path'])} | `{(s['published'] or 'none')[:12]}` | `{s['current'][:12]}` | "
                   f"{'matches' if s['published'] == s['current'] else 'modified'} |\n" for s in status)
    table = "| file | published sha256 | sha256 of this build | status |\n| --- | --- | --- | --- |\n" + rows
    if not modified:
        return ("This book reproduces the published record: every data file and the bibliography "
                "have the sha256 recorded in `data/datapackage.json` (first 12 hex digits shown).\n\n" + table,
                None)
    names = ", ".join(modified)
    notice = (f"Built from modified data: {names} differ from the published record, so the results "
              "shown are not the article's.")
    return (f"**This book was built from modified data.** {html.escape(names)} differ from the published "
            "record in `data/datapackage.json`; tables, figures and numbers follow the modified files.\n\n"
            + table, html.escape(notice))


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
    page, notice = _status_page(record_status(root))
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


def _execute_changed(root: Path, stage: Path, cache: Path, workers: int) -> None:
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
    problems = validate_all(root)
    if problems:
        raise BuildError("\n".join(problems))
    stage = root / "_build" / ".stage"
    _stage(root, stage)
    _execute_changed(root, stage, root / "_build" / ".cache", workers or os.cpu_count() or 1)
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


def record(root: Path, workers: int | None = None) -> list[Path]:
    """Re-execute every published notebook in place and re-save the data hashes. Raises BuildError."""
    problems = validate_all(root)
    if problems:
        raise BuildError("\n".join(problems))
    notebooks = book_notebooks(root)
    (root / "_build").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root / "_build") as scratch:
        jobs = [(root / nb, Path(scratch) / nb.name, str(nb), Path(scratch) / f"{nb.stem}.reads")
                for nb in notebooks]
        execute_many(jobs, workers or os.cpu_count() or 1)
        for _, target, _, _ in jobs:
            strip_volatile(target)
        for (source, target, _, _) in jobs:
            os.replace(target, source)
    descriptor_path = root / "data" / PACKAGE
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        resource["published_sha256"] = file_sha256(root / "data" / resource["path"])
    descriptor["bibliography"] = {"path": "../references.bib",
                                  "published_sha256": file_sha256(root / "references.bib")}
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"recorded {len(notebooks)} notebooks and the sha256 of {len(descriptor['resources'])} data files "
        "and the bibliography")
    return notebooks
