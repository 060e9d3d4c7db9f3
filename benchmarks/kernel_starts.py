"""How often does a kernel fail to start when several start at once? TCP ports against
the private Unix sockets the build uses (`compendium.book.pipeline.execution.private_sockets`).

    python benchmarks/kernel_starts.py [starts] [workers]
"""
from __future__ import annotations

import subprocess
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from multiprocessing import get_context

from compendium.book.pipeline.execution import private_sockets


def start_once(transport: str) -> str:
    """Start a kernel, wait for its first reply, shut it down; return '' or the failure."""
    from jupyter_client.manager import KernelManager

    with private_sockets() if transport == "ipc" else nullcontext() as config:
        manager = KernelManager(kernel_name="python3", config=config)
        manager.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"], stderr=subprocess.DEVNULL)
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            failure = ""
        except RuntimeError as exc:
            failure = str(exc)
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return failure


def main(starts: int = 400, workers: int = 8) -> None:
    for transport in ("tcp", "ipc"):
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            failures = Counter(f for f in pool.map(start_once, [transport] * starts) if f)
        kinds = "; ".join(f"{n} x {failure}" for failure, n in failures.most_common())
        print(f"{transport}: {failures.total()} of {starts} starts failed"
              + (f" ({kinds})" if kinds else ""), flush=True)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
