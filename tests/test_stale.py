"""Never stale: every kind of input a page depends on changes the page when it changes (files a
notebook lists, cell metadata, the table of contents, files only the zips hold); ``make record``
is all or nothing; and after ``kill -9`` of a command the next one neither waits nor finds
anything the killed one left."""
from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import psutil
import pytest
from conftest import build, edit, run
from test_book import page

from compendium.book.paths import BUNDLES, EDITIONS, HTML, handout_name
from compendium.book.pipeline.leftovers import KERNELS
from compendium.book.toc import book_pages

pytestmark = pytest.mark.book

CODINGS = "examples/codings"


def flipped(text: str, every: int = 3) -> str:
    """A coder's file with every ``every``-th code turned over: another coder's reading."""
    lines = text.splitlines()
    return "\n".join([lines[0], *(line[:-1] + str(1 - int(line[-1])) if n % every == 0 else line
                                  for n, line in enumerate(lines[1:]))]) + "\n"


CODER_CHANGES = {
    "new coder file": lambda p: (p / CODINGS / "coder_d.csv").write_text(
        flipped((p / CODINGS / "coder_a.csv").read_text(encoding="utf-8")), encoding="utf-8"),
    "coder file removed": lambda p: (p / CODINGS / "coder_c.csv").unlink(),
    "coder file renamed": lambda p: (p / CODINGS / "coder_c.csv").rename(p / CODINGS / "coder_e.csv"),
}


@pytest.mark.parametrize("change", CODER_CHANGES)
def test_a_file_added_removed_or_renamed_in_a_listed_folder_runs_its_notebook_again(built, change):
    before = page(built, "chapters/coding_lab.html").find("main").get_text()
    CODER_CHANGES[change](built)
    assert build(built) == ["07_coding_lab"]
    assert page(built, "chapters/coding_lab.html").find("main").get_text() != before
    assert build(built) == []


def tagged(project: Path, notebook: str, cell: int, tag: str) -> None:
    path = project / notebook
    content = json.loads(path.read_text(encoding="utf-8"))
    content["cells"][cell]["metadata"].setdefault("tags", []).append(tag)
    path.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def code_cells(project: Path, name: str) -> tuple[int, int]:
    """(cells shown, inputs shown) on a notebook's page."""
    soup = page(project, name)
    return len(soup.select("div.cell")), len(soup.select("div.cell_input"))


@pytest.mark.parametrize("tag, shown", [("remove-input", (0, -1)), ("remove-cell", (-1, -1))])
def test_a_cell_tag_changes_the_page_and_make_record_keeps_it(built, tag, shown):
    notebook = "notebooks/01_background.ipynb"
    cells, inputs = code_cells(built, "notebooks/01_background.html")
    first_code = next(n for n, c in enumerate(json.loads((built / notebook).read_text())["cells"])
                      if c["cell_type"] == "code" and "parameters" not in c["metadata"].get("tags", []))
    tagged(built, notebook, first_code, tag)
    assert build(built) == ["01_background"]
    assert code_cells(built, "notebooks/01_background.html") == (cells + shown[0], inputs + shown[1])
    recorded = run(["-m", "compendium", "record"], cwd=built)
    assert recorded.returncode == 0, recorded.stderr
    cell = json.loads((built / notebook).read_text(encoding="utf-8"))["cells"][first_code]
    assert tag in cell["metadata"]["tags"]  # the record took the execution of the edited notebook
    assert cell["outputs"] or cell["execution_count"]


def neighbours(project: Path, name: str) -> tuple[str | None, str | None]:
    """The pages a page's previous and next links lead to, as written in _toc.yml."""
    soup = page(project, f"{name}.html")
    found = []
    for side in ("left-prev", "right-next"):
        link = soup.select_one(f"a.{side}")
        found.append(None if link is None else
                     os.path.normpath(os.path.join(os.path.dirname(name), link["href"])).removesuffix(".html"))
    return found[0], found[1]


def test_a_change_of_the_table_of_contents_redoes_every_page(built):
    toc = (built / "_toc.yml").read_text(encoding="utf-8")
    edit(built / "_toc.yml", "      - file: chapters/methods\n      - file: chapters/results\n",
         "      - file: chapters/results\n      - file: chapters/methods\n")
    assert toc != (built / "_toc.yml").read_text(encoding="utf-8")
    assert build(built) == []
    order = book_pages(built)
    for before, current, after in zip([None, *order[:-1]], order, [*order[1:], None], strict=True):
        assert neighbours(built, current) == (before, after), current


def test_a_file_only_the_zips_hold_reaches_them(built):
    edit(built / "pyproject.toml", "[project]", "# edited after the build\n[project]")
    done = run(["-m", "compendium", "build"], cwd=built)
    assert done.returncode == 0, done.stderr
    assert not done.stdout.startswith("[cached] the book")
    for name in ("results", "audit", "coding_lab"):  # chapter zips: each holds pyproject.toml
        for edition in EDITIONS:
            zipped = built / HTML / BUNDLES / handout_name(name, edition)
            with zipfile.ZipFile(zipped) as archive:
                assert archive.read("pyproject.toml") == (built / "pyproject.toml").read_bytes(), zipped.name


MARK = '<p class="code-edit-mark">written by the edited extension</p>'


def test_a_change_of_the_engines_code_reaches_every_page(built):
    theme = built / "src/compendium/book/sphinx/theme.py"
    theme.write_text(theme.read_text(encoding="utf-8") + f"""

_setup = setup


def _mark(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] += {MARK!r}


def setup(app):
    app.connect("html-page-context", _mark)
    return _setup(app)
""", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "compendium", "build"], cwd=built, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(built / "src")})  # the copy's code runs
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[render] the book's code changed since the last render: every page is read again" in done.stdout
    unmarked = [name for name in book_pages(built)
                if MARK not in (built / "_build/html" / f"{name}.html").read_text(encoding="utf-8")]
    assert unmarked == []


def immutable(folder: Path):
    """Make ``folder`` unwritable even for root (chattr +i); returns the undo."""
    done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not available here: {done.stderr.decode().strip()}")
    return lambda: subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("unwritable", ["data", "notebooks"])
def test_make_record_changes_every_file_or_none(built, unwritable):
    descriptor = json.loads((built / "data/datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0].pop("hash")  # which record would write again
    (built / "data/datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    tagged(built, "notebooks/01_background.ipynb", 0, "an-edit")  # which record would execute and save
    before = {p: p.read_bytes() for folder in ("data", "notebooks") for p in (built / folder).iterdir()}
    undo = immutable(built / unwritable)
    try:
        done = run(["-m", "compendium", "record"], cwd=built)
    finally:
        undo()
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"{unwritable}/: cannot be written (Operation not permitted), so "
        f"{'datapackage.json' if unwritable == 'data' else '01_background.ipynb'} cannot be recorded; nothing was "
        "recorded", "record failed; nothing already built, recorded or run was changed"]
    assert {p: p.read_bytes() for folder in ("data", "notebooks") for p in (built / folder).iterdir()} == before
    assert [p.name for p in (built / "_build").iterdir() if p.name.startswith(".record-")] == []


def descendants_once_a_kernel_runs(command: subprocess.Popen, timeout: float = 300) -> list[psutil.Process]:
    """Every process ``command`` started, once one of them is a kernel that has run for a second."""
    process, deadline = psutil.Process(command.pid), time.monotonic() + timeout
    while not any("ipykernel" in " ".join(p.cmdline()) for p in process.children(recursive=True)
                  if p.is_running()):
        assert time.monotonic() < deadline and command.poll() is None, "no kernel started"
        time.sleep(0.2)
    time.sleep(1)
    return process.children(recursive=True)


def lock_is_free(project: Path) -> bool:
    with (project / "_build/.lock").open("a+") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        fcntl.lockf(handle, fcntl.LOCK_UN)
        return True


KILLED = {  # the command killed, and a quick one of the same kind that must find nothing it left
    "build": (["build"], ["build"]),
    "record": (["record"], ["record"]),
    "rerun": (["rerun", "notebooks/04_results.ipynb", "--name", "killed"],
              ["rerun", "notebooks/01_background.ipynb", "--name", "next"]),
    "pdf": (["pdf"], ["build"]),  # executes the notebooks as build does, before LaTeX
}


@pytest.mark.parametrize("command", KILLED)
def test_after_kill_9_of_the_parent_nothing_survives_and_the_next_command_neither_waits_nor_finds_leftovers(
        built, command):
    killed, following = KILLED[command]
    edit(built / "data/sample.csv", "journal articles,30", "journal articles,31")  # notebooks must run
    started = subprocess.Popen([sys.executable, "-m", "compendium", *killed], cwd=built, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children = descendants_once_a_kernel_runs(started)
    os.kill(started.pid, signal.SIGKILL)  # the parent only: its workers and kernels are left to themselves
    started.wait(10)
    gone, alive = psutil.wait_procs(children, timeout=15)
    assert [p.cmdline() for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []
    assert lock_is_free(built)
    scratch = Path(tempfile.gettempdir())
    left = [*scratch.glob(f"{KERNELS}{started.pid}-*"),  # (another test's command may already have removed it)
            *built.glob(f"runs/.rerun-{started.pid}-*"), *built.glob(f"_build/.record-{started.pid}-*")]
    if command in ("rerun", "record"):
        assert len(left) >= 1  # the killed command could not clean up: the next one must
    edit(built / "data/sample.csv", "journal articles,31", "journal articles,30")  # quick again
    following_run = run(["-m", "compendium", *following], cwd=built)
    assert following_run.returncode == 0, following_run.stderr
    assert "[wait]" not in following_run.stdout
    assert [p for p in left if p.exists()] == []
    assert not (built / "_build/.stage").exists()
    assert [p.name for p in (built / "_build").iterdir() if p.name.startswith(".record-")] == []
    if (built / "runs").exists():
        assert sorted(p.name for p in (built / "runs").iterdir()) == (["next"] if command == "rerun" else [])
