"""Kernels started ahead of need with the book's heavy imports done, each used for one notebook only.

A warm kernel is a new kernel that has imported, silently, the modules the book names under
``compendium: preimport`` in ``_config.yml``: nothing is bound in its namespace and nothing
enters its history, so a notebook executed in it numbers its cells from 1 as in a new kernel
and finds only what a new kernel holds. Each kernel runs one notebook and is then shut down;
``refill`` starts its replacement. A kernel warmed before the book's code last changed (its
digest taken when it started differs from the digest now) is discarded unused, and so is one
whose imports failed: the notebook then runs in a new kernel and reports the failure itself.
"""
from __future__ import annotations

import asyncio
import os
import queue
import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from compendium.book.messages import BuildError
from compendium.book.paths import READ_LOG


def _isolated(body: str) -> str:
    """Code that runs ``body`` in a namespace of its own, binding nothing in the kernel's."""
    return f"exec({body!r}, {{}})"


def _imports(names: list[str]) -> str:
    return _isolated(f"import importlib\nfor name in {names!r}:\n    importlib.import_module(name)")


def _setup(folder: Path, read_log: Path) -> str:
    return _isolated(f"import os\nos.chdir({str(folder)!r})\nos.environ[{READ_LOG!r}] = {str(read_log)!r}")


@dataclass
class WarmKernel:
    """A started kernel, the digest of the book's code when it started, its private socket folder."""

    manager: object  # jupyter_client.AsyncKernelManager
    code: str
    folder: str
    imported: bool


async def _run_silently(manager, code: str) -> bool:
    """Run ``code`` in the kernel without output or history; True when it raised nothing.
    RuntimeError when the kernel dies meanwhile."""
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        sent = client.execute(code, silent=True, store_history=False)
        while True:
            try:
                reply = await client.get_shell_msg(timeout=1)
            except queue.Empty:
                if not await manager.is_alive():
                    raise RuntimeError("the kernel died") from None
                continue
            if reply["parent_header"].get("msg_id") == sent:
                return reply["content"]["status"] == "ok"
    finally:
        client.stop_channels()


async def _start(names: list[str], folder: str, kernel_log) -> object:
    """A new kernel with its sockets in ``folder`` and private IPython and Jupyter configuration
    there (``execution.kernel_environment``), after it imported ``names``; and whether they imported."""
    from jupyter_client import AsyncKernelManager

    from compendium.book.pipeline.execution import kernel_environment

    manager = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=str(Path(folder) / "kernel"),
                                 connection_file=str(Path(folder) / "kernel.json"))
    await manager.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"], stderr=kernel_log,
                               env={**os.environ, **kernel_environment(Path(folder))})
    imported = await _run_silently(manager, _imports(names)) if names else True
    return manager, imported


class KernelPool:
    """``size`` kernels kept warm for the book's notebooks; ``take`` hands one out for one notebook."""

    def __init__(self, names: list[str], size: int, scratch: Path) -> None:
        self.names, self.size, self.scratch = list(names), size, scratch
        self._warming: list[Future] = []
        self._lock = threading.Lock()
        self._log = open(scratch / "kernels.log", "ab")  # kernels' own lines are not the reader's news

    def _warm(self, code: str) -> WarmKernel:
        folder = tempfile.mkdtemp(prefix="kernel-", dir=self.scratch)
        manager, imported = asyncio.run(_start(self.names, folder, self._log))
        return WarmKernel(manager, code, folder, imported)

    def _warm_into(self, future: Future, code: str) -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(self._warm(code))
            except BaseException as exc:
                future.set_exception(exc)

    def refill(self, code: str) -> None:
        """Start warming kernels until ``size`` are ready or warming, each in a thread of its own
        that never holds up the command's exit."""
        with self._lock:
            while len(self._warming) < self.size:
                future = Future()
                threading.Thread(target=self._warm_into, args=(future, code), name="warm-kernel", daemon=True).start()
                self._warming.append(future)

    def take(self, code: str) -> WarmKernel:
        """A kernel for one notebook: a warm one started under the code of digest ``code``, else a new one."""
        with self._lock:
            waiting = self._warming.pop(0) if self._warming else None
        try:
            kernel = waiting.result() if waiting else None
        except Exception:  # it did not start: the notebook gets a new kernel, which says why if it fails too
            kernel = None
        if kernel and kernel.code == code and kernel.imported:
            return kernel
        if kernel:
            discard(kernel)
        folder = tempfile.mkdtemp(prefix="kernel-", dir=self.scratch)
        manager, _ = asyncio.run(_start([], folder, self._log))
        return WarmKernel(manager, code, folder, False)

    def close(self, at_once: bool = False) -> None:
        """Shut down every kernel not handed out; ``at_once`` (on Ctrl-C): without waiting for those
        still starting, which the command then stops with its other children."""
        with self._lock:
            warming, self._warming = self._warming, []
        if not at_once:
            wait(warming)
        for waiting in warming:
            if waiting.done() and not waiting.cancelled() and waiting.exception() is None:
                discard(waiting.result())
        if not at_once:  # (kernels still starting write to it)
            self._log.close()


def prepare(kernel: WarmKernel, folder: Path, read_log: Path, label: str) -> None:
    """Set the kernel's working folder and read log for the notebook ``label`` about to run in it."""
    try:
        ready = asyncio.run(_run_silently(kernel.manager, _setup(folder, read_log)))
    except RuntimeError as exc:
        raise BuildError(f"{label}: the kernel failed: {exc}") from None
    if not ready:
        raise BuildError(f"{label}: the kernel could not be set up in {folder}")


def discard(kernel: WarmKernel) -> None:
    """Shut the kernel down and remove its sockets."""
    try:
        asyncio.run(kernel.manager.shutdown_kernel(now=True))
    except Exception:  # it had died already; a kernel still there is stopped with the command's children
        pass
    shutil.rmtree(kernel.folder, ignore_errors=True)


def execute_warm(jobs: list, pool: KernelPool, code: str, on_success=None) -> None:
    """Execute notebook jobs (``execution.Job``) each in a warm kernel of ``pool``, ``pool.size`` at
    once, calling ``on_success(job, records)`` with the records of its read log as each succeeds
    (see ``execution.run_all``)."""
    from compendium.book.pipeline.execution import execute_notebook, run_all
    from compendium.book.reads import read_log

    def run(job) -> list[dict]:
        try:
            kernel = pool.take(code)
        except RuntimeError as exc:
            raise BuildError(f"{job.label}: the kernel failed: {exc}") from None
        try:
            job.read_log.unlink(missing_ok=True)
            prepare(kernel, job.source.parent, job.read_log, job.label)
            execute_notebook(job.source, job.target, job.label, job.parameters, kernel_manager=kernel.manager)
        finally:
            discard(kernel)
        return read_log(job.read_log)

    run_all(ThreadPoolExecutor(max_workers=pool.size, thread_name_prefix="notebook"), run, jobs, on_success)
