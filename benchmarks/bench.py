"""Build-time benchmark of the compendium against a bare Jupyter Book baseline.

Usage: python benchmarks/bench.py [--repeats N] [--tests]   (`make bench` runs it with --tests)

Builds run in a temporary copy; the project itself is not touched. Each figure is the
median of N repeats; ``make pdf`` is timed on the built book (when XeLaTeX is installed);
under ``make serve``, the time from saving an edit to the edit shown in a page open in
Chromium. With ``--tests`` it also times the project's own ``make test`` once.
Printed at the end: the load average, the figures, each beside its goal, and the notebooks
re-executed after editing one data file.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from compendium.book.pipeline.cache import notebook_reads
from compendium.book.toc import book_notebooks

ROOT = Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", "__pycache__", "runs", "*.egg-info")
EDITED = "data/recommendations.csv"  # read by exactly one notebook (checked: see "dependents")
EDITS = (("train staff in conflict resolution", "train staff in mediation practice"),  # first edit
         ("train staff in mediation practice", "train staff in negotiation"))  # a further one
PROSE = "chapters/methods.md"  # a chapter's prose, edited under make serve
PROSE_EDITS = (("After this chapter you can", "After this first chapter you can"),
               ("After this first chapter you can", "After this second chapter you can"),
               ("After this second chapter you can", "After this third chapter you can"))
DATA_EDITS = (*EDITS, ("train staff in negotiation", "train staff in conflict resolution"))

BASELINE_NOTEBOOK = {
    "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": [
        "import pandas as pd\n", "import seaborn as sns\n",
        "frame = pd.read_csv('values.csv')\n",
        "sns.barplot(data=frame, x='n', y='label');\n"]}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def timed(command: list[str], cwd: Path, check: bool = True) -> tuple[float, str]:
    """Run a command; return its wall-clock seconds and stdout. Fails loudly on a non-zero exit
    (with ``check``; without, the output's last lines are printed and the time kept)."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0 and not check:
        print(f"FAILED: {' '.join(command)}\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}", flush=True)
    elif done.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds, done.stdout


def median(values: list[float]) -> float:
    return statistics.median(values)


def compendium_figures(work: Path, repeats: int, cores: int) -> dict:
    build = [sys.executable, "-m", "compendium", "build"]
    out: dict = {"clean_serial": [], "clean_parallel": [], "no_change": [], "first_edit": [], "further_edit": []}
    for _ in range(repeats):
        shutil.rmtree(work / "_build", ignore_errors=True)
        out["clean_serial"].append(timed(build + ["--jobs", "1"], work)[0])
        shutil.rmtree(work / "_build", ignore_errors=True)
        out["clean_parallel"].append(timed(build + ["--jobs", str(cores)], work)[0])
        out["no_change"].append(timed(build, work)[0])
    path = work / EDITED
    original = path.read_text(encoding="utf-8")
    for _ in range(repeats):
        # the first edit after a build of the published data, then a further edit of the same file
        for label, (old, new) in zip(("first_edit", "further_edit"), EDITS, strict=True):
            path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
            seconds, stdout = timed(build, work)
            out[label].append(seconds)
            out["re_executed"] = sorted(re.findall(r"^\[ran\]\s+(\S+)", stdout, flags=re.M))
        path.write_text(original, encoding="utf-8")
        timed(build, work)
    notebooks = book_notebooks(work)
    out["dependents"] = sorted(str(nb) for nb in notebooks if EDITED in notebook_reads(work, nb.stem))
    out["n_notebooks"] = len(notebooks)
    return out


def pdf_figures(work: Path, repeats: int) -> list[float]:
    """``make pdf`` on the book as built (its notebooks cached), or nothing without XeLaTeX."""
    if not (shutil.which("xelatex") and shutil.which("latexmk")):
        return []
    return [timed([sys.executable, "-m", "compendium", "pdf"], work)[0] for _ in range(repeats)]


def serve_figures(work: Path, repeats: int, cores: int) -> dict:
    """Seconds from saving an edit to the edit shown in a page open in Chromium under ``make serve``:
    a chapter's prose (its page open), then a data file read by one notebook (that notebook's page open)."""
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "compendium", "serve", "--port", str(port), "--jobs", str(cores)],
                              cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    for line in server.stdout:
        if line.startswith("serving the book at"):
            break
    else:
        sys.exit("benchmark step failed: make serve did not start")
    threading.Thread(target=server.stdout.read, daemon=True).start()  # its news must not fill the pipe
    reader = [nb for nb in book_notebooks(work) if EDITED in notebook_reads(work, nb.stem)]
    out: dict = {"serve_prose": [], "serve_data": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for label, path, page, edits in (
                    ("serve_prose", PROSE, "chapters/methods.html", PROSE_EDITS[:repeats]),
                    ("serve_data", EDITED, f"notebooks/{reader[0].stem}.html", DATA_EDITS[:repeats])):
                for old, new in edits:
                    time.sleep(8)  # an author's pause: the kernels for the next edit are warm again
                    tab = browser.new_page()
                    tab.goto(f"http://127.0.0.1:{port}/{page}")
                    source = work / path
                    text = source.read_text(encoding="utf-8")
                    start = time.perf_counter()
                    source.write_text(text.replace(old, new, 1), encoding="utf-8")
                    shown = f"() => document.body && document.body.innerText.includes({new!r})"  # none mid-reload
                    tab.wait_for_function(shown, timeout=300_000)
                    out[label].append(time.perf_counter() - start)
                    tab.close()
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
    return out


def baseline_figures(work: Path, n_notebooks: int, repeats: int) -> dict:
    """A bare Jupyter Book: n notebooks, each importing pandas and seaborn and drawing one figure."""
    (work / "notebooks").mkdir(parents=True)
    (work / "notebooks" / "values.csv").write_text("label,n\na,3\nb,5\nc,2\n", encoding="utf-8")
    for i in range(1, n_notebooks + 1):
        nb = json.loads(json.dumps(BASELINE_NOTEBOOK))
        nb["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": [f"# Notebook {i}\n"]})
        # distinct code in each notebook, or Jupyter Book's cache would execute one and reuse it
        nb["cells"][1]["source"].append(f"frame['n'].sum() * {i}\n")
        (work / "notebooks" / f"nb{i}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (work / "intro.md").write_text("# Baseline\n", encoding="utf-8")
    (work / "_config.yml").write_text("title: Baseline\nexecute:\n  execute_notebooks: cache\n", encoding="utf-8")
    toc = "format: jb-book\nroot: intro\nchapters:\n" + "".join(
        f"  - file: notebooks/nb{i}\n" for i in range(1, n_notebooks + 1))
    (work / "_toc.yml").write_text(toc, encoding="utf-8")
    build = [str(Path(sys.executable).parent / "jupyter-book"), "build", "."]
    out: dict = {"clean": [], "no_change": []}
    for _ in range(repeats):
        shutil.rmtree(work / "_build", ignore_errors=True)
        out["clean"].append(timed(build, work)[0])
        out["no_change"].append(timed(build, work)[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tests", action="store_true", help="also time make test, once")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    load = os.getloadavg()
    env_path = str(Path(sys.executable).parent)
    os.environ["PATH"] = env_path + os.pathsep + os.environ.get("PATH", "")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / "project"
        shutil.copytree(ROOT, work, ignore=SKIP)
        print(f"compendium: {args.repeats} repeats of clean (serial, parallel), no-change, one-file edit ...",
              flush=True)
        ours = compendium_figures(work, args.repeats, cores)
        print(f"make pdf: {args.repeats} repeats on the built book ...", flush=True)
        ours["pdf"] = pdf_figures(work, args.repeats)
        print(f"make serve: {args.repeats} prose edits and {args.repeats} data edits seen in Chromium ...",
              flush=True)
        ours.update(serve_figures(work, min(args.repeats, 3), cores))
        print(f"baseline: bare Jupyter Book with {ours['n_notebooks']} notebooks ...", flush=True)
        base = baseline_figures(Path(tmp) / "baseline", ours["n_notebooks"], args.repeats)

    tests = None
    if args.tests:
        print("make test, once ...", flush=True)
        tests = timed(["make", "test"], ROOT, check=False)[0]

    m = {key: median(values) for key, values in ours.items() if isinstance(values, list) and values
         and isinstance(values[0], float)}
    b = {key: median(values) for key, values in base.items()}
    ratios = [
        ("clean ÷ baseline clean", m["clean_parallel"] / b["clean"], "≤ 0.9"),
        ("parallel ÷ serial (clean)", m["clean_parallel"] / m["clean_serial"], "≤ 0.65"),
        ("no-change ÷ clean", m["no_change"] / m["clean_parallel"], "≤ 0.05"),
        ("first one-file edit ÷ clean", m["first_edit"] / m["clean_parallel"], "≤ 0.3"),
        ("further one-file edit ÷ clean", m["further_edit"] / m["clean_parallel"], "≤ 0.3"),
        ("make serve: prose edit seen in the open page (s)", m["serve_prose"], "≤ 3"),
        ("make serve: data edit seen in the open page (s)", m["serve_data"], "≤ 6"),
    ]
    if "pdf" in m:
        ratios.append(("make pdf on a built book ÷ clean", m["pdf"] / m["clean_parallel"], "≤ 1"))
    if tests is not None:
        ratios.append(("make test ÷ clean", tests / m["clean_parallel"], "≤ 8"))
    print(f"\nmachine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; median of {args.repeats}; load average at the start "
          f"{load[0]:.2f} and at the end {os.getloadavg()[0]:.2f}\n")
    print("| build | seconds |\n| --- | --- |")
    rows = [("compendium clean, serial (--jobs 1)", m["clean_serial"]),
            (f"compendium clean, parallel (--jobs {cores})", m["clean_parallel"]),
            ("compendium no-change rebuild", m["no_change"]),
            (f"compendium rebuild after a first edit of {EDITED}", m["first_edit"]),
            (f"compendium rebuild after a further edit of {EDITED}", m["further_edit"]),
            ("baseline clean", b["clean"]), ("baseline no-change rebuild", b["no_change"])]
    if "pdf" in m:
        rows.insert(5, ("compendium make pdf on the built book", m["pdf"]))
    if tests is not None:
        rows.append(("make test (once)", tests))
    for label, value in rows:
        print(f"| {label} | {value:.2f} |")
    print("\n| ratio or time | value | goal | met |\n| --- | --- | --- | --- |")
    for label, value, goal in ratios:
        print(f"| {label} | {value:.3f} | {goal} | {'yes' if value <= float(goal.split()[-1]) else 'NO'} |")
    verdict = "exactly its dependents" if ours["re_executed"] == ours["dependents"] else "NOT its dependents"
    print(f"\nre-executed after editing {EDITED}: {', '.join(ours['re_executed'])} "
          f"(dependents recorded by the data layer: {', '.join(ours['dependents'])}; {verdict})")


if __name__ == "__main__":
    main()
