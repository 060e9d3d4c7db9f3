"""``make serve`` in Chromium: an edit of a chapter's prose and an edit of a data file each reach
the open page without a reload by hand; a failing edit keeps the last good book and shows its
line on the page and in the terminal; Ctrl-C leaves nothing running.

One server runs for the whole file, on a private copy of the built book; the tests run in order."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from browsing import chromium
from conftest import copy_of_book, edit

from compendium.book.pipeline.cache import notebook_reads
from compendium.book.toc import book_notebooks

WORKERS = 2  # kernels kept warm: one per notebook the serve may run at once
PROSE = ("After this chapter you can", "After this edited chapter you can")
DATA_FILE = "data/recommendations.csv"  # read by one notebook, whose page lists the recommendations
DATA = ("train staff in conflict resolution", "train staff in mediation practice")
SHOWS = "document.body && document.body.innerText.includes"  # (no body while a reload is under way)
BROKEN = "\nSee {ref}`no-such-label`.\n"  # a reference to no label: a warning, so the build fails


class Server:
    """``python -m compendium serve`` in its own process group (as from a terminal), its output collected."""

    def __init__(self, project: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.project, self.lines = project, []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "compendium", "serve", "--port", str(self.port), "--jobs", str(WORKERS)],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, after: int = 0, timeout: float = 300) -> str:
        """The first output line from index ``after`` on that matches ``pattern``."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for line in self.lines[after:]:
                if re.search(pattern, line):
                    return line
            assert self.process.poll() is None, "\n".join(self.lines)
            time.sleep(0.1)
        raise AssertionError(f"no line matching {pattern!r} in {timeout} s:\n" + "\n".join(self.lines))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def server(book, tmp_path_factory):
    server = Server(copy_of_book(book, tmp_path_factory.mktemp("serve") / "served project"))
    try:
        server.wait_for(r"^serving the book at ")
        yield server
    finally:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def _open(browser, url: str):
    tab = browser.new_page()
    tab.goto(url)
    tab.wait_for_function("() => document.readyState === 'complete'")
    tab.evaluate("window.notReloaded = true")  # gone once the page reloads
    return tab


def test_serve_says_its_address_in_one_line(server):
    assert server.lines.count(f"serving the book at {server.url}/ (rebuilt when a source changes; Ctrl-C stops)") == 1


def test_a_prose_edit_reaches_the_open_page(server, browser):
    tab = _open(browser, f"{server.url}/chapters/methods.html")
    assert PROSE[0] in tab.inner_text("main") and PROSE[1] not in tab.inner_text("main")
    before = len(server.lines)
    edit(server.project / "chapters" / "methods.md", *PROSE)
    tab.wait_for_function(f"() => {SHOWS}({PROSE[1]!r})", timeout=120_000)
    assert tab.evaluate("window.notReloaded === undefined")  # the page reloaded itself
    server.wait_for(r"^\[serve\]  rebuilt in ", after=before)
    assert not [line for line in server.lines[before:] if line.startswith("[ran]")]  # no notebook ran again


def test_a_data_edit_reaches_the_open_page_and_runs_only_its_reader(server, browser):
    readers = [f"notebooks/{nb.name}" for nb in book_notebooks(server.project)
               if DATA_FILE in notebook_reads(server.project, nb.stem)]
    assert len(readers) == 1
    tab = _open(browser, f"{server.url}/{Path(readers[0]).with_suffix('.html')}")
    assert DATA[0] in tab.inner_text("main") and DATA[1] not in tab.inner_text("main")
    before = len(server.lines)
    edit(server.project / DATA_FILE, *DATA)
    tab.wait_for_function(f"() => {SHOWS}({DATA[1]!r})", timeout=120_000)
    assert tab.evaluate("window.notReloaded === undefined")
    server.wait_for(r"^\[serve\]  rebuilt in ", after=before)
    assert [line.split()[1] for line in server.lines[before:] if line.startswith("[ran]")] == readers


def test_a_failing_edit_keeps_the_last_good_book_and_shows_its_line(server, browser):
    tab = _open(browser, f"{server.url}/chapters/methods.html")
    chapter = server.project / "chapters" / "methods.md"
    good = chapter.read_text(encoding="utf-8")
    before = len(server.lines)
    chapter.write_text(good + BROKEN, encoding="utf-8")
    tab.wait_for_selector("#compendium-serve-error", timeout=120_000)
    banner = tab.inner_text("#compendium-serve-error")
    terminal = server.wait_for(r"^rendering failed ", after=before)
    assert "methods.md" in terminal and "no-such-label" in terminal
    assert banner.splitlines() == ["The last edit did not build; this is the last good book.", terminal]
    assert tab.evaluate("window.notReloaded === true")  # the old page stays, with the banner
    page = (server.project / "_build" / "html" / "chapters" / "methods.html").read_text(encoding="utf-8")
    assert PROSE[1] in page and "no-such-label" not in page
    chapter.write_text(good.replace(PROSE[1], "After this mended chapter you can"), encoding="utf-8")
    tab.wait_for_function(f"() => {SHOWS}('After this mended chapter')", timeout=120_000)
    assert tab.query_selector("#compendium-serve-error") is None


def _kept_warm(server) -> dict[str, list[psutil.Process]]:
    found = {"kernels": [], "renderers": []}
    for process in psutil.Process(server.process.pid).children(recursive=True):
        command = " ".join(process.cmdline())
        if "ipykernel" in command:
            found["kernels"].append(process)
        elif "compendium.book.pipeline.warm_render" in command:
            found["renderers"].append(process)
    return found


def test_ctrl_c_during_a_rebuild_leaves_nothing_running(server):
    end = time.monotonic() + 120
    while time.monotonic() < end:  # idle: the kernels for the next edit warm, Sphinx waits
        warm = _kept_warm(server)
        if len(warm["kernels"]) == WORKERS and len(warm["renderers"]) == 1:
            break
        time.sleep(0.5)
    assert {key: len(value) for key, value in warm.items()} == {"kernels": WORKERS, "renderers": 1}
    everything = psutil.Process(server.process.pid).children(recursive=True)
    before = len(server.lines)
    edit(server.project / DATA_FILE, *reversed(DATA))
    server.wait_for(r"^\[start\]  notebooks/", after=before)  # a notebook runs in a warm kernel
    everything += psutil.Process(server.process.pid).children(recursive=True)
    os.killpg(server.process.pid, signal.SIGINT)  # what Ctrl-C in its terminal sends
    assert server.process.wait(timeout=60) == 128 + signal.SIGINT
    time.sleep(1)
    assert [p.pid for p in everything if p.is_running() and p.status() != psutil.STATUS_ZOMBIE] == []
    assert [line for line in server.lines[before:] if line.startswith("serve interrupted by SIGINT: ")] == [
        "serve interrupted by SIGINT: stopped its notebooks and kernels; "
        "_build/html, runs/ and notebooks/ are as they were"]
    assert not (server.project / "_build" / ".stage").exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", server.port), timeout=2)
    page = (server.project / "_build" / "html" / "chapters" / "discussion.html").read_text(encoding="utf-8")
    assert DATA[1] in page  # the last good book, as it was


def _notebook(path: Path, *cells: str) -> Path:
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell) for cell in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


def test_a_warm_kernel_has_the_imports_done_and_nothing_of_a_previous_notebook(tmp_path):
    import nbformat

    from compendium.book.pipeline.execution import Job, execute_notebook
    from compendium.book.pipeline.warm_kernels import KernelPool, execute_warm

    names = "print(sorted(name for name in globals() if not name.startswith('_')))"
    first = _notebook(tmp_path / "first.ipynb", "leak = 1\nimport wave")
    second = _notebook(tmp_path / "second.ipynb", names, "import os, sys\n"
                       f"print('colorsys' in sys.modules, 'wave' in sys.modules, os.getcwd() == {str(tmp_path)!r})")
    pool = KernelPool(["colorsys"], 1, tmp_path)
    ran = []
    try:
        for notebook in (first, second):  # as make serve does: a warm kernel each, the next warmed in between
            pool.refill("code")
            execute_warm([Job(notebook, notebook, notebook.name, tmp_path / f"{notebook.stem}.reads")], pool, "code",
                         on_success=lambda job, reads: ran.append(job.label))
    finally:
        pool.close()
    cold = _notebook(tmp_path / "cold.ipynb", names)
    execute_notebook(cold, cold, cold.name)  # in a new kernel, as make book runs it
    assert ran == ["first.ipynb", "second.ipynb"]
    cells = nbformat.read(second, as_version=4).cells
    assert [cell.execution_count for cell in cells] == [1, 2]  # numbered as in a new kernel
    assert cells[0].outputs == nbformat.read(cold, as_version=4).cells[0].outputs  # the same namespace
    assert cells[1].outputs[0]["text"] == "True False True\n"  # imports done, none of the first notebook's
