"""``python -m compendium new``: a new, minimal compendium on the same engine builds, tests clean,
keeps its promises (a data edit reruns its notebook and changes the page; bad data is refused in
one line), and carries the engine as a wheel with a lock of what it needs."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, run

from compendium.book.commands.new import pinned_needs


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    """A new compendium, made in a folder whose path holds a space."""
    folder = tmp_path_factory.mktemp("new") / "My Books" / "field-notes"
    folder.parent.mkdir()
    done = run(["-m", "compendium", "new", str(folder), "--title", "Field notes"], cwd=folder.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


def in_book(book: Path, *args: str) -> subprocess.CompletedProcess:
    """Run a command in the new book with this environment, its own package on the path (as its
    editable install puts it there)."""
    environment = {**os.environ, "PYTHONPATH": str(book / "src")}
    return subprocess.run([sys.executable, *args], cwd=book, env=environment, capture_output=True, text=True)


def results_text(book: Path) -> str:
    soup = BeautifulSoup((book / "_build/html/chapters/results.html").read_text(encoding="utf-8"), "html.parser")
    return " ".join(soup.find("main").get_text(" ", strip=True).split())


def test_the_new_book_holds_what_a_compendium_needs(book):
    made = sorted(str(p.relative_to(book)) for p in book.rglob("*") if p.is_file())
    assert made == [".ci/run", ".gitignore", "CITATION.cff", "Makefile", "README.md", "_config.yml", "_toc.yml",
                    "chapters/intro.md", "chapters/results.md", "data/README.md", "data/datapackage.json",
                    "data/sample.csv", "data/themes.csv", "notebooks/01_results.ipynb", "pyproject.toml",
                    "references.bib", "requirements.in", "requirements.txt", "src/field_notes/__init__.py",
                    "src/field_notes/checks.py", "src/field_notes/data.py", "tests/test_data.py",
                    "vendor/compendium-0.1.0-py3-none-any.whl"]
    assert os.access(book / ".ci/run", os.X_OK)
    assert "Field notes" in (book / "_config.yml").read_text(encoding="utf-8")
    assert not re.search(r"@@\w+@@", "".join(p.read_text(encoding="utf-8", errors="replace")
                                              for p in book.rglob("*") if p.is_file() and p.suffix != ".whl"))


def test_the_engine_travels_as_a_wheel_without_this_books_analysis(book):
    with zipfile.ZipFile(book / "vendor/compendium-0.1.0-py3-none-any.whl") as wheel:
        names = wheel.namelist()
        entry_points = wheel.read("compendium-0.1.0.dist-info/entry_points.txt").decode()
    assert "compendium/book/pipeline/build.py" in names and "compendium/book/cli.py" in names
    assert not [name for name in names if "/analysis/" in name or "__pycache__" in name]
    assert "as_printed = compendium.book.sphinx.bibstyle:AsPrinted" in entry_points
    lock = (book / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert lock[-1] == "./vendor/compendium-0.1.0-py3-none-any.whl"
    pins = [line for line in lock[1:-1]]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==\S+", pin) for pin in pins)
    ours = {line.lower() for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()}
    assert {pin.lower() for pin in pins} <= ours  # the versions this book is locked to
    assert {"jupyter-book", "papermill", "nbval", "frictionless"} <= {pin.split("==")[0].lower() for pin in pins}


def test_a_requirement_that_is_not_installed_is_refused_in_one_line():
    from compendium.book.messages import BuildError

    with pytest.raises(BuildError, match="^new: no-such-package is not installed here"):
        pinned_needs(["no-such-package"])


def test_the_new_book_builds_tests_clean_and_follows_a_data_edit(book):
    done = in_book(book, "-m", "compendium", "build")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The theme discussed most often is Access to both parties , in 14 of the 40 documents" in results_text(book)
    soup = BeautifulSoup((book / "_build/html/chapters/results.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("a.glued-value")["href"].startswith("../notebooks/01_results.html#glue-")
    assert "Computed by cell" in soup.select_one("table .provenance, .provenance").get_text()
    tests = in_book(book, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert tests.returncode == 0 and " passed" in tests.stdout, tests.stdout[-2000:]
    lint = subprocess.run([str(Path(sys.executable).parent / "ruff"), "check", "src", "tests"], cwd=book,
                          capture_output=True, text=True)  # with the new book's own settings
    assert lint.returncode == 0, lint.stdout
    themes = book / "data/themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace("Timing of the offer,6", "Timing of the offer,31"),
                      encoding="utf-8")
    again = in_book(book, "-m", "compendium", "build")
    assert again.returncode == 0, again.stdout + again.stderr
    assert re.findall(r"^\[ran\]\s+(\S+)", again.stdout, flags=re.M) == ["notebooks/01_results.ipynb"]
    assert "The theme discussed most often is Timing of the offer , in 31 of the 40 documents" in results_text(book)
    themes.write_text(themes.read_text(encoding="utf-8").replace(",31", ",-2"), encoding="utf-8")
    refused = in_book(book, "-m", "compendium", "build")
    assert refused.returncode == 1 and "[start]" not in refused.stdout
    assert refused.stderr.splitlines()[0] == ("data/themes.csv row 3 (line 4), field n_documents: '-2' breaks the "
                                              "rule: constraint \"minimum\" is \"0\"")
    assert "31 of the 40 documents" in results_text(book)  # the last good book is kept


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    done = run(["-m", "compendium", "new", str(tmp_path / "taken")], cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == f"new: {tmp_path / 'taken'} already exists and is not an empty folder; " \
                                          "name a new one"
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]  # nothing half-made left beside it
