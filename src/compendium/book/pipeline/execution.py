"""Executing notebooks with papermill: one at a time, or several at once on the cores."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from multiprocessing import get_context
from pathlib import Path

from compendium.book.messages import BuildError, say, verbose
from compendium.book.paths import READ_LOG
from compendium.book.pipeline.fingerprints import VOLATILE_METADATA
from compendium.book.pipeline.leftovers import KERNELS, owned_folder, sweep_kernels
from compendium.book.pipeline.signals import in_worker, stop_children
from compendium.book.reads import read_log


@dataclass(frozen=True)
class Job:
    """One notebook to execute: ``source`` into ``target``, named ``label`` in messages, the
    files it reads logged to ``read_log``, with papermill ``parameters``."""

    source: Path
    target: Path
    label: str
    read_log: Path
    parameters: dict = field(default_factory=dict)


def execute_notebook(source: Path, target: Path, label: str, parameters: dict | None = None,
                     scratch: Path | None = None, kernel_manager=None) -> float:
    """Execute ``source`` into ``target`` in the source's folder; return the seconds it took.

    The kernel's sockets live in a folder under ``scratch`` (default: the system's temporary
    folder). Given a started ``kernel_manager`` (a warm kernel, already in the source's folder),
    it runs there instead of in a new kernel. Raises BuildError naming the notebook, the
    failing cell and the exception.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    say(f"[start]  {label}")
    start = time.perf_counter()
    bin_dir = str(Path(sys.executable).parent)
    os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
    try:
        with private_sockets(scratch) as config:
            papermill.execute_notebook(str(source), str(target), parameters=parameters or {},
                                       cwd=None if kernel_manager else str(source.parent),
                                       kernel_name="python3", config=config, km=kernel_manager,
                                       extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                       progress_bar=False, log_output=False)
    except PapermillExecutionError as exc:
        if verbose():
            say("\n".join(exc.traceback))
        first_line = str(exc.evalue).splitlines()[0] if exc.evalue else ""
        raise BuildError(f"{label} cell {exc.cell_index + 1}: {exc.ename}: {first_line}") from None
    except RuntimeError as exc:  # the kernel did not start, or died while running
        if verbose():
            raise
        raise BuildError(f"{label}: the kernel failed: {exc}") from None
    seconds = time.perf_counter() - start
    say(f"[ran]    {label} in {seconds:.1f} s")
    return seconds


@contextmanager
def private_sockets(parent: Path | None = None):
    """Kernel configuration that talks over Unix sockets in a temporary folder of its own
    (under ``parent``; removed on exit) instead of TCP ports.

    Kernels started at the same moment in parallel workers can otherwise be handed the same
    free TCP port, and one of them then dies or never answers.
    """
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="kernel-", dir=parent) as folder:
        yield Config({"KernelManager": {"transport": "ipc", "ip": str(Path(folder) / "kernel")}})


def _execute_recording_reads(job: Job, scratch: Path) -> list[dict]:
    """Execute one notebook (in a worker process) and return what its data layer logged (``reads.read_log``).

    The kernel's connection file and sockets go under ``scratch``, which the main process
    removes even when it has to stop this worker.
    """
    job.read_log.unlink(missing_ok=True)
    os.environ[READ_LOG] = str(job.read_log)  # the kernel inherits this worker's environment
    os.environ.update(kernel_environment(scratch))
    if not verbose():  # kernels' own log lines go to a file, not to the reader
        with open(job.read_log.with_suffix(".kernel.log"), "w") as kernel_log:
            os.dup2(kernel_log.fileno(), 2)
    execute_notebook(job.source, job.target, job.label, job.parameters, scratch)
    return read_log(job.read_log)


def kernel_environment(scratch: Path) -> dict[str, str]:
    """What the kernels of this worker run with besides its environment: their connection files
    under ``scratch``, and private, empty IPython and Jupyter configuration folders there, so that
    no startup file or configuration of the reader's (``~/.ipython``, ``~/.jupyter``) runs in them."""
    private = scratch / f"worker-{os.getpid()}"
    folders = {"JUPYTER_RUNTIME_DIR": scratch, "IPYTHONDIR": private / "ipython",
               "JUPYTER_CONFIG_DIR": private / "jupyter-config"}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {name: str(folder) for name, folder in folders.items()}


def execute_many(jobs: list[Job], workers: int | None = None, on_success=None) -> None:
    """Execute notebooks concurrently (``workers`` at once, default one per core), calling
    ``on_success(job, records)`` with the records of its read log as each one succeeds; see
    ``run_all``. The kernels' scratch folders that a killed command left are removed first.
    """
    sweep_kernels()
    if not jobs:
        return
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    scratch = owned_folder(Path(tempfile.gettempdir()), KERNELS)
    try:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"), initializer=in_worker,
                                   initargs=(os.getpid(),))
        run_all(pool, partial(_execute_recording_reads, scratch=Path(scratch)), jobs, on_success)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run_all(executor, work, jobs: list[Job], on_success=None) -> None:
    """Run ``work(job)`` (which returns the files the job read) for every job on ``executor``,
    calling ``on_success(job, reads)`` as each one succeeds.

    Every notebook runs even when another fails; then the first failure is raised. When the
    wait is cut short (SIGINT, SIGTERM), every process this one started (workers, kernels)
    is stopped at once and nothing queued starts.
    """
    failures = []
    try:
        futures = {executor.submit(work, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                reads = future.result()
            except BuildError as exc:
                failures.append(exc)
                continue
            if on_success:
                on_success(futures[future], reads)
    except BaseException:
        stop_children()
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown()
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
