"""How often does an interrupted build fail to end? Ctrl-C (SIGINT to the process group, as
a terminal sends it) at a random moment of a clean build, on a busy machine.

    python benchmarks/interrupts.py [builds] [busy_cores]

Each build runs in a fresh copy of the project; ``busy_cores`` processes spin meanwhile.
A build counts as hung when it has not exited 40 s after the signal; it is then killed.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", "__pycache__", "runs", "*.egg-info")


def interrupt_once(project: Path, delay: float) -> str:
    """Build in ``project``, send Ctrl-C after ``delay`` s; return the outcome in a few words."""
    building = subprocess.Popen([sys.executable, "-m", "compendium", "build"], cwd=project, text=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(delay)
    os.killpg(building.pid, signal.SIGINT)
    try:
        building.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(building.pid, signal.SIGKILL)
        building.wait()
        return "hung"
    return f"exit {building.returncode}"


def main(builds: int = 30, busy_cores: int = 2) -> None:
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(busy_cores)]
    outcomes = []
    try:
        for number in range(1, builds + 1):
            with tempfile.TemporaryDirectory() as folder:
                project = Path(folder) / "project"
                shutil.copytree(ROOT, project, ignore=SKIP)
                delay = random.uniform(1.0, 8.0)
                outcomes.append(interrupt_once(project, delay))
                print(f"{number}/{builds}: Ctrl-C after {delay:.1f} s: {outcomes[-1]}", flush=True)
    finally:
        for process in busy:
            process.kill()
    print(f"{outcomes.count('hung')} of {builds} interrupted builds hung; "
          f"{outcomes.count('exit 130')} ended with status 130")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
