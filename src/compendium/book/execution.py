"""Executing notebooks with papermill: one at a time, or several at once on the cores."""
from __future__ import annotations

import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path

from compendium.files import READ_LOG, read_log
from compendium.book.messages import BuildError, say

VOLATILE_METADATA = ("papermill", "execution")


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
        with private_sockets() as config:
            papermill.execute_notebook(str(source), str(target), parameters=parameters or {},
                                       cwd=str(source.parent), kernel_name="python3", config=config,
                                       extra_arguments=["--IPKernelApp.log_level=ERROR"],
                                       progress_bar=False, log_output=False)
    except PapermillExecutionError as exc:
        if os.environ.get("VERBOSE"):
            say("\n".join(exc.traceback))
        first_line = str(exc.evalue).splitlines()[0] if exc.evalue else ""
        raise BuildError(f"{label} cell {exc.cell_index + 1}: {exc.ename}: {first_line}") from None
    except RuntimeError as exc:  # the kernel did not start, or died while running
        if os.environ.get("VERBOSE"):
            raise
        raise BuildError(f"{label}: the kernel failed: {exc}") from None
    seconds = time.perf_counter() - start
    say(f"[ran]    {label} in {seconds:.1f} s")
    return seconds


@contextmanager
def private_sockets():
    """Kernel configuration that talks over Unix sockets in a temporary folder of its own
    (removed on exit) instead of TCP ports.

    Kernels started at the same moment in parallel workers can otherwise be handed the same
    free TCP port, and one of them then dies or never answers.
    """
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="kernel-") as folder:
        yield Config({"KernelManager": {"transport": "ipc", "ip": str(Path(folder) / "kernel")}})


def _execute_recording_reads(source: Path, target: Path, label: str, log: Path,
                             parameters: dict | None = None) -> list[Path]:
    """Execute one notebook (in a worker process) and return the files its data layer read."""
    log.unlink(missing_ok=True)
    os.environ[READ_LOG] = str(log)  # the kernel inherits this worker's environment
    if not os.environ.get("VERBOSE"):  # kernels' own log lines go to a file, not to the reader
        with open(log.with_suffix(".kernel.log"), "w") as kernel_log:
            os.dup2(kernel_log.fileno(), 2)
    execute_notebook(source, target, label, parameters)
    return sorted({Path(record["path"]) for record in read_log(log)})


def execute_many(jobs: list[tuple], workers: int | None = None, on_success=None) -> None:
    """Execute notebooks concurrently (``workers`` at once, default one per core), calling
    ``on_success(job, reads)`` as each one succeeds.

    A job is ``(source, target, label, read_log)``, optionally followed by its parameters.
    Every notebook runs even when another fails; then the first failure is raised.
    """
    if not jobs:
        return
    failures = []
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
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
