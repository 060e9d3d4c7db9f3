"""The book's zips: one chapter for a class (``make chapter CH=results``), and the data package.

A chapter's zip holds its rendered page with the styles, scripts and images it uses, the
notebook(s) it pastes from, the data package (its descriptor, data dictionary and declared
resources, nothing else from ``data/``) and bibliography those notebooks load, the book's
code they import with the pinned requirements (``compendium.code``), and a README: unzipped,
the notebook runs without the repository or a network. The data package's zip holds the same
data files and ``references.bib``. Zips hold regular files only: a symbolic link is
refused, never followed. The build writes every chapter's zip and the data package's next to
the pages (``_bundles/``), where the chapters and the landing page link to them.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

from compendium.book.messages import BuildError, say
from compendium.book.paths import BUNDLES, DATA_BUNDLE, HTML
from compendium.book.pipeline.cache import notebook_reads
from compendium.book.project import Project
from compendium.book.toc import book_notebooks, chapter_notebooks, taught_chapters
from compendium.files import PACKAGE

LINKED = re.compile(r"""(?:href|src)="([^"#?:]+)""")
CSS_URL = re.compile(r"""url\(["']?([^"')#?:]+)""")


def _readme(chapter: str, notebooks: list[str], reads: dict[str, list[str]], code: tuple[str, ...]) -> str:
    lines = [f"# Chapter handout: {chapter}", "",
             f"- `book/chapters/{chapter}.html`: the chapter as rendered in the book (open it in a browser).",
             *[f"- `notebooks/{nb}.ipynb`: the notebook behind it; its results depend on "
               f"{', '.join(f'`{r}`' for r in reads[nb]) or 'no data file'}." for nb in notebooks],
             "- `data/`: the whole data package (the loaders validate every file of it before use).",
             f"- `references.bib`, `pyproject.toml`, {', '.join(f'`{c}`' for c in code)}: what the notebook imports.",
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


def _data_files(root: Path) -> list[str]:
    """The data package as declared: descriptor, data dictionary, and each resource's file."""
    descriptor = json.loads((root / "data" / PACKAGE).read_text(encoding="utf-8"))
    return [f"data/{PACKAGE}", "data/README.md", *(f"data/{r['path']}" for r in descriptor["resources"])]


def _regular(root: Path, path: Path) -> Path:
    """``path`` (under ``root``), refused when it is or passes through a symbolic link."""
    linked = [p for p in (path, *path.parents) if p.is_relative_to(root) and p != root and p.is_symlink()]
    if linked:
        raise BuildError(f"{linked[-1].relative_to(root)}: a symbolic link; a handout holds regular files only")
    return path


def _page_assets(html: Path, page: Path) -> list[Path]:
    """The files of the rendered book ``html`` that ``page`` uses: stylesheets, scripts, images and
    downloads, and the fonts and images those stylesheets use."""
    found, todo = set(), [page]
    while todo:
        current = todo.pop()
        pattern = CSS_URL if current.suffix == ".css" else LINKED
        for link in pattern.findall(current.read_text(encoding="utf-8", errors="replace")):
            target = Path(current.parent, link).resolve()
            if target.is_file() and target.is_relative_to(html.resolve()) and target.suffix != ".html" \
                    and target not in found:
                found.add(target)
                if target.suffix == ".css":
                    todo.append(target)
    return sorted(found)


COMPRESSED = (".png", ".jpg", ".jpeg", ".gif", ".woff", ".woff2", ".zip")  # stored in zips, not deflated again


def _zip(target: Path, members: dict[str, Path | str], previous: Path | None = None) -> Path:
    """Write the zip ``target`` whole or not at all: each member name with a file or a text.

    The zip's comment is a sha256 over its members. When ``previous`` is a zip with the same
    comment, it is copied instead of compressed again (the edit loop rebuilds only the zips
    whose contents changed). Members already compressed (images, fonts) are stored as they
    are; the rest are deflated at level 1, which takes a third of the default level's time
    for zips about a tenth larger.
    """
    digest = hashlib.sha256()
    for name, source in members.items():
        digest.update(name.encode() + b"\0")
        digest.update(source.encode() if isinstance(source, str) else source.read_bytes())
        digest.update(b"\0")
    comment = f"compendium bundle sha256 {digest.hexdigest()}".encode()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    try:
        if previous is not None and previous.is_file() and zipfile.ZipFile(previous).comment == comment:
            shutil.copyfile(previous, partial)
        else:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                for name, source in members.items():
                    method = zipfile.ZIP_STORED if name.endswith(COMPRESSED) else zipfile.ZIP_DEFLATED
                    if isinstance(source, str):
                        archive.writestr(name, source, compress_type=method)
                    else:
                        archive.write(source, name, compress_type=method)
                archive.comment = comment
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def write_handout(book: Project, html: Path, chapter: str, target: Path, previous: Path | None = None) -> Path:
    """Zip one chapter of the rendered book ``html`` into ``target`` (``previous``: see ``_zip``)."""
    root = book.root
    notebooks = chapter_notebooks(root, chapter)
    reads = {nb: notebook_reads(root, nb) for nb in notebooks}
    page = html / "chapters" / f"{chapter}.html"
    members: dict[str, Path | str] = {"README.md": _readme(chapter, notebooks, reads, book.code)}
    for path in [page, *_page_assets(html, page)]:
        members[f"book/{path.resolve().relative_to(html.resolve())}"] = _regular(root, path)
    files = [*(f"notebooks/{nb}.ipynb" for nb in notebooks), *shared_files(book),
             *(r for nb in notebooks for r in reads[nb] if (root / r).is_file())]  # e.g. examples/
    members.update((name, _regular(root, root / name)) for name in files)
    return _zip(target, members, previous)


def _code_files(book: Project) -> list[str]:
    """Every file of the book's code (``compendium.code`` in ``_config.yml``), folders walked."""
    found = []
    for name in book.code:
        path = book.root / name
        walked = sorted(path.rglob("*")) if path.is_dir() and not path.is_symlink() else [path]
        found += [str(p.relative_to(book.root)) for p in walked
                  if (p.is_symlink() or not p.is_dir()) and "__pycache__" not in p.parts]
    return found


def shared_files(book: Project) -> list[str]:
    """What every chapter's zip holds besides its notebooks and the files they read."""
    return ["references.bib", "pyproject.toml", *_data_files(book.root), *_code_files(book)]


def check_regular(book: Project) -> None:
    """Refuse, before anything runs, a symbolic link among the files every zip of the build holds
    (a zip only finds one after the book is rendered)."""
    for name in [*(str(nb) for nb in book_notebooks(book.root)), *shared_files(book)]:
        _regular(book.root, book.root / name)


def write_data_package(root: Path, target: Path, previous: Path | None = None) -> Path:
    """Zip the data package (as declared) and ``references.bib`` into ``target`` (``previous``: see ``_zip``)."""
    return _zip(target, {name: _regular(root, root / name) for name in [*_data_files(root), "references.bib"]},
                previous)


def write_bundles(book: Project, html: Path) -> list[Path]:
    """Write, inside the rendered book ``html``, the data package's zip and the zip of every
    chapter that pastes from a notebook (the landing page aside)."""
    root = book.root
    folder, previous = html / BUNDLES, root / HTML / BUNDLES
    written = [write_data_package(root, folder / f"{DATA_BUNDLE}.zip", previous / f"{DATA_BUNDLE}.zip")]
    for chapter in taught_chapters(root):
        written.append(write_handout(book, html, chapter, folder / f"{chapter}.zip", previous / f"{chapter}.zip"))
    say(f"[done]   {len(written)} zips for download in {BUNDLES}/ "
        f"({sum(p.stat().st_size for p in written) // 1024} KiB)")
    return written
