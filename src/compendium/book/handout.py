"""The book's zips: one chapter for a class (``make chapter CH=results``), and the data package.

A chapter's zip holds its rendered page with the styles, scripts and images it uses, the
notebook(s) it pastes from, the data package and bibliography those notebooks load, the
``compendium`` package they import with the pinned requirements, and a README: unzipped, the
notebook runs without the repository or a network. The data package's zip holds ``data/``
(with ``datapackage.json``) and ``references.bib``. The build writes all of them next to the
pages (``_bundles/``), where each chapter and the landing page link to them.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from compendium.book.messages import BuildError, say
from compendium.book.toc import book_chapters, chapter_notebooks, landing_page, notebook_reads

BUNDLES = "_bundles"  # inside the rendered book
DATA_BUNDLE = "data-package"
LINKED = re.compile(r"""(?:href|src)="([^"#?:]+)""")
CSS_URL = re.compile(r"""url\(["']?([^"')#?:]+)""")


def _readme(chapter: str, notebooks: list[str], reads: dict[str, list[str]]) -> str:
    lines = [f"# Chapter handout: {chapter}", "",
             f"- `book/chapters/{chapter}.html`: the chapter as rendered in the book (open it in a browser).",
             *[f"- `notebooks/{nb}.ipynb`: the notebook behind it; its results depend on "
               f"{', '.join(f'`{r}`' for r in reads[nb]) or 'no data file'}." for nb in notebooks],
             "- `data/`: the whole data package (the loaders validate every file of it before use).",
             "- `references.bib`, `src/compendium/`, `pyproject.toml`, `requirements.txt`: what the notebook imports.",
             "", "## Running the notebook", "",
             "Everything the notebook reads is in this folder. Where the packages of `requirements.txt` are "
             "already installed (a class server, a lab machine), no network is needed: point Python at the "
             "bundled package and run it from `notebooks/`:", "",
             *[f"    PYTHONPATH=../src papermill {nb}.ipynb my_{nb}.ipynb   # run from notebooks/" for nb in notebooks],
             "", "Otherwise, with Python 3.11+ and a network, once:", "",
             "    python3 -m venv .venv",
             "    .venv/bin/pip install -r requirements.txt",
             "    .venv/bin/pip install --no-deps .",
             "", "Open the notebook in any Jupyter front end to read and change it; edit a file under "
             "`data/` or pass `-p name value` to papermill to rerun it with other data or parameters.", ""]
    return "\n".join(lines)


def _page_assets(html: Path, page: Path) -> list[Path]:
    """The files of the rendered book that ``page`` uses: stylesheets, scripts and images, and
    the fonts and images those stylesheets use."""
    found, todo = set(), [page]
    while todo:
        current = todo.pop()
        pattern = CSS_URL if current.suffix == ".css" else LINKED
        for link in pattern.findall(current.read_text(encoding="utf-8", errors="replace")):
            target = (current.parent / link).resolve()
            if target.is_file() and target.is_relative_to(html.resolve()) and target.suffix != ".html" \
                    and target not in found:
                found.add(target)
                if target.suffix == ".css":
                    todo.append(target)
    return sorted(found)


def write_handout(root: Path, html: Path, chapter: str, target: Path) -> Path:
    """Zip one chapter of the rendered book ``html`` into ``target``."""
    notebooks = chapter_notebooks(root, chapter)
    reads = {nb: notebook_reads(root, nb) for nb in notebooks}
    page = html / "chapters" / f"{chapter}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", _readme(chapter, notebooks, reads))
        archive.write(page, f"book/chapters/{chapter}.html")
        for path in _page_assets(html, page):
            archive.write(path, f"book/{path.relative_to(html.resolve())}")
        files = [*(f"notebooks/{nb}.ipynb" for nb in notebooks), "references.bib", "pyproject.toml",
                 "requirements.txt", *(str(p.relative_to(root)) for p in sorted((root / "data").glob("*"))),
                 *(str(p.relative_to(root)) for p in sorted((root / "src" / "compendium").rglob("*"))
                   if p.is_file() and "__pycache__" not in p.parts)]
        for name in files:
            archive.write(root / name, name)
    partial.replace(target)
    return target


def write_data_package(root: Path, target: Path) -> Path:
    """Zip the data package, ``data/`` with its ``datapackage.json``, and ``references.bib`` into ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((root / "data").glob("*")):
            if path.is_file():
                archive.write(path, f"data/{path.name}")
        archive.write(root / "references.bib", "references.bib")
    partial.replace(target)
    return target


def write_bundles(root: Path, html: Path) -> list[Path]:
    """Write, inside the rendered book ``html``, the data package's zip and the zip of every
    chapter that pastes from a notebook (the landing page aside)."""
    folder = html / BUNDLES
    written = [write_data_package(root, folder / f"{DATA_BUNDLE}.zip")]
    for chapter in book_chapters(root):
        if chapter != landing_page(root) and chapter_notebooks(root, chapter):
            written.append(write_handout(root, html, chapter, folder / f"{chapter}.zip"))
    say(f"[done]   {len(written)} zips for download in {BUNDLES}/ "
        f"({sum(p.stat().st_size for p in written) // 1024} KiB)")
    return written


def make_handout(root: Path, chapter: str) -> Path:
    """Build the book if needed, then zip one chapter into ``_build/handouts/<chapter>.zip``."""
    from compendium.book.build import build

    if not (root / "chapters" / f"{chapter}.md").is_file():
        known = sorted(p.stem for p in (root / "chapters").glob("*.md") if not p.stem.startswith("_"))
        raise BuildError(f"chapters/{chapter}.md: no such chapter (choose one of: {', '.join(known)})")
    target = write_handout(root, build(root), chapter, root / "_build" / "handouts" / f"{chapter}.zip")
    say(f"handout for {chapter}: {target.relative_to(root)} ({len(chapter_notebooks(root, chapter))} notebook(s), "
        f"{target.stat().st_size // 1024} KiB)")
    return target
