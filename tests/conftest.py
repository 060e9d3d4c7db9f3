"""Shared fixtures: the project root and disposable copies of the project."""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compendium.book.toc import book_notebooks

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"  # the project's shared folder: the article's text and the copy check
ARTICLE = SHARED / "seed" / "article.txt"
SKIP = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache", "__pycache__", "runs", "*.egg-info")


def in_ci() -> bool:
    """True on CI (the environment variable CI set, as CI services do with CI=true)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def needs_shared(path: Path, why: str = "this test checks the data against the article's text") -> Path:
    """``path`` under ../shared/ (the article's text, the copy check), for the tests that need it.

    Without it the test skips, saying what is missing and why it is needed; in CI it fails instead.
    """
    if not path.is_file():
        message = f"{path} not found: {why}"
        if in_ci():
            pytest.fail(message + " and must run in CI")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def article_lines() -> list[str]:
    """The article's text as lines (read with splitlines: the file has no final newline)."""
    return needs_shared(ARTICLE).read_text(encoding="utf-8").splitlines()


def schema_field(resource: str, field: str) -> dict:
    """The Table Schema of one field of data/datapackage.json, as test fixtures build on it."""
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    spec = next(r for r in descriptor["resources"] if r["name"] == resource)
    return next(f for f in spec["schema"]["fields"] if f["name"] == field)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway copy of the project (sources, data, notebooks), safe to break."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    return copy


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run ``python -m compendium ARGS`` (or another module) in ``cwd``, capturing text."""
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True)


def edit(path: Path, old: str, new: str) -> None:
    """Replace one occurrence of ``old`` in a text file; fail loudly if it is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def build(project: Path) -> list[str]:
    """Build the book in ``project``; return the notebooks that were executed (not cached)."""
    done = run(["-m", "compendium", "build"], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return sorted(re.findall(r"^\[ran\]\s+notebooks/(\w+)\.ipynb", done.stdout, flags=re.M))


@pytest.fixture(scope="session")
def book(tmp_path_factory, worker_id) -> Path:
    """A copy of the project with its book built from scratch (every notebook executed), in a
    folder whose name holds a space, as a reader's "My Projects" would. Read-only: tests that
    change it work on a copy (``built``). Built once for all test workers: the first to ask
    builds it while the others wait."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # pytest-xdist: each worker has a folder under the run's own
        shared = shared.parent
    project = shared / "book" / "My Projects" / "project"
    with (shared / "book.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (project / "_build" / "html").is_dir():
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(ROOT, project, ignore=SKIP)
            assert build(project) == sorted(nb.stem for nb in book_notebooks(project))  # every one executed
    return project


def copy_of_book(book: Path, copy: Path) -> Path:
    """``copy``: a private copy of the built project ``book``, its book and build cache included."""
    shutil.copytree(book, copy, symlinks=True)
    return copy


@pytest.fixture
def built(book, tmp_path) -> Path:
    """A private copy of the built project, its book and build cache included, safe to edit or damage."""
    return copy_of_book(book, tmp_path / "built")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, one per test module (``browsing.chromium``)."""
    from browsing import chromium
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def site(book):
    """The built book served over HTTP on 127.0.0.1, one server per test module."""
    from browsing import served
    with served(book / "_build" / "html") as url:
        yield url


# The files that take longest (``pytest --durations``), longest first, for pytest-xdist's file
# scheduler (``make test``: ``--dist loadfile --no-loadscope-reorder``). One worker starts on
# test_edits.py and builds the shared book; the next starts on test_rerun.py, which needs no
# book and lasts longer than building it. The many short files come last and even out the end.
LONGEST = ["tests/test_edits.py", "tests/test_rerun.py", "tests/test_serve.py", "tests/test_contributing.py",
           "tests/test_book.py",
           "tests/test_browser.py", "tests/test_new.py",
           "tests/test_hostile.py", "tests/test_phone.py", "tests/test_pdf.py"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the longest files first (``LONGEST``), then the rest in the order collected."""
    def rank(item: pytest.Item) -> int:
        name = item.nodeid.split("::")[0]
        return LONGEST.index(name) if name in LONGEST else len(LONGEST)

    items.sort(key=rank)
