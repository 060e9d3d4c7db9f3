"""Clean stops: Ctrl-C (SIGINT) or SIGTERM ends a command with one line and nothing left running.

``stop_on_signals`` turns the first of either signal into ``Interrupted`` in the main
process (a second one waits until the first is dealt with); ``stop_children`` ends every
process the command started: pool workers, their kernels, the renderer. Pool workers
ignore SIGINT (``in_worker``): the main process stops them; and they die with it when it is
killed outright (``kill -9``), their kernels a moment later (a kernel ends when its parent
does). ``deferred`` holds both signals back while renames that belong together happen.
"""
from __future__ import annotations

import signal
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; ``code`` is the exit status a shell expects (128 + the signal number)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.name = signal.Signals(signum).name
        self.code = 128 + signum


@contextmanager
def stop_on_signals():
    """While the block runs, SIGINT and SIGTERM raise Interrupted in it (once)."""
    def interrupt(signum, frame):
        for number in SIGNALS:  # the first signal is being handled; later ones must not cut the clean-up short
            signal.signal(number, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {number: signal.signal(number, interrupt) for number in SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def stop_children(grace: float = 3.0) -> None:
    """End every descendant of this process: SIGTERM, then SIGKILL for any still there after ``grace`` seconds.

    Pool workers (children ``multiprocessing`` started) are waited for through ``multiprocessing``:
    were psutil to reap one, the pool would take it for alive for ever and hang at exit.
    """
    import multiprocessing

    import psutil

    workers = multiprocessing.active_children()
    children = psutil.Process().children(recursive=True)
    _send(children, "terminate")
    pids = {worker.pid for worker in workers}
    _, alive = psutil.wait_procs([child for child in children if child.pid not in pids], timeout=grace)
    for worker in workers:
        worker.join(grace)
    _send(alive, "kill")
    for worker in workers:
        if worker.is_alive():
            worker.kill()
            worker.join(grace)
    psutil.wait_procs(alive, timeout=grace)


def _send(processes: list, signalled: str) -> None:
    """Call ``terminate`` or ``kill`` on each psutil process still there."""
    import psutil

    for process in processes:
        try:
            getattr(process, signalled)()
        except psutil.NoSuchProcess:
            pass


PR_SET_PDEATHSIG = 1  # prctl(2): the signal this process gets when its parent dies


def in_worker(parent: int) -> None:
    """Initializer of pool workers of process ``parent``: SIGINT is the main process's to handle,
    SIGTERM ends the worker, and so does the death of the main process (Linux; elsewhere the
    worker finds its parent gone when it asks for work)."""
    import ctypes
    import os

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


@contextmanager
def deferred():
    """Hold SIGINT and SIGTERM back until the block is done; they take effect just after it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
