"""One chapter as a zip for a class: ``make chapter CH=results``.

The zip holds the chapter's rendered page (with the book's styles and images), the
notebook(s) it pastes from, the data package (its descriptor, data dictionary and declared
resources, nothing else from ``data/``) and bibliography those notebooks load, the
``compendium`` package they import with the pinned requirements, and a README. It holds
regular files only: a symbolic link is refused, never followed.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from compendium.book.build import build
from compendium.book.cache import notebook_reads
from compendium.book.messages import BuildError, say
from compendium.book.toc import book_chapters, chapter_notebooks
from compendium.files import PACKAGE


def _readme(chapter: str, notebooks: list[str], reads: dict[str, list[str]]) -> str:
    lines = [f"# Chapter handout: {chapter}", "",
             f"- `book/chapters/{chapter}.html`: the chapter as rendered in the book (open it in a browser).",
             *[f"- `notebooks/{nb}.ipynb`: the notebook behind it; its results depend on "
               f"{', '.join(f'`{r}`' for r in reads[nb]) or 'no data file'}." for nb in notebooks],
             "- `data/`: the whole data package (the loaders validate every file of it before use).",
             "- `references.bib`, `src/compendium/`, `pyproject.toml`, `requirements.txt`: what the notebook imports.",
             "", "## Running the notebook", "",
             "With Python 3.11+:", "",
             "    python3 -m venv .venv",
             "    .venv/bin/pip install -r requirements.txt",
             "    .venv/bin/pip install --no-deps .",
             *[f"    .venv/bin/papermill notebooks/{nb}.ipynb my_{nb}.ipynb --cwd notebooks" for nb in notebooks],
             "", "Open the notebook in any Jupyter front end to read and change it; edit a file under "
             "`data/` or pass `-p name value` to papermill to rerun it with other data or parameters.", ""]
    return "\n".join(lines)


def check_chapter(root: Path, chapter: str) -> None:
    """Refuse anything but the name of a chapter the table of contents publishes."""
    known = sorted(book_chapters(root))
    if chapter not in known:
        raise BuildError(f"chapter {chapter!r} is not a chapter of the book (choose one of: {', '.join(known)})")


def _data_files(root: Path) -> list[str]:
    """The data package as declared: descriptor, data dictionary, and each resource's file."""
    descriptor = json.loads((root / "data" / PACKAGE).read_text(encoding="utf-8"))
    return [f"data/{PACKAGE}", "data/README.md", *(f"data/{r['path']}" for r in descriptor["resources"])]


def _add(archive: zipfile.ZipFile, root: Path, path: Path, name: str) -> None:
    """Put the file ``path`` (under ``root``) into the zip as ``name``; refuse a symbolic link on its way."""
    linked = [p for p in (path, *path.parents) if p.is_relative_to(root) and p != root and p.is_symlink()]
    if linked:
        raise BuildError(f"{linked[-1].relative_to(root)}: a symbolic link; a handout holds regular files only")
    archive.write(path, name)


def make_handout(root: Path, chapter: str) -> Path:
    """Build the book if needed, then zip one chapter into ``_build/handouts/<chapter>.zip``."""
    check_chapter(root, chapter)
    html = build(root)
    notebooks = chapter_notebooks(root, chapter)
    reads = {nb: notebook_reads(root, nb) for nb in notebooks}
    target = root / "_build" / "handouts" / f"{chapter}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.md", _readme(chapter, notebooks, reads))
            assets = [p for folder in ("_static", "_images") for p in sorted((html / folder).rglob("*"))
                      if p.is_symlink() or not p.is_dir()]
            pages = [f"chapters/{chapter}.html", *(str(p.relative_to(html)) for p in assets)]
            for name in pages:
                _add(archive, root, html / name, f"book/{name}")
            files = [*(f"notebooks/{nb}.ipynb" for nb in notebooks), "references.bib", "pyproject.toml",
                     "requirements.txt", *_data_files(root),
                     *(str(p.relative_to(root)) for p in sorted((root / "src" / "compendium").rglob("*"))
                       if (p.is_symlink() or not p.is_dir()) and "__pycache__" not in p.parts),
                     *(r for nb in notebooks for r in reads[nb] if (root / r).is_file())]  # e.g. examples/
            for name in dict.fromkeys(files):
                _add(archive, root, root / name, name)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    say(f"handout for {chapter}: {target.relative_to(root)} ({len(notebooks)} notebook(s), "
        f"{target.stat().st_size // 1024} KiB)")
    return target
