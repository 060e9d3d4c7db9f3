"""The book's zips: one chapter for a class (``make chapter CH=results``), and the data package.

A chapter's zip holds its rendered page, the rendered pages of its notebooks and the page of
the article's statements its pinpoints land on, with the styles (and what they import),
scripts and images they use, every link resolving inside the zip or to the published book
(``handout_pages``), the notebook(s) it pastes from, the data package (its descriptor, data dictionary and declared
resources, nothing else from ``data/``) and bibliography those notebooks load, the book's
code they import with the pinned requirements (``compendium.code``), and a README: unzipped,
the notebook runs without the repository or a network. Every member has mode 0644. A chapter
comes in two editions: the student edition leaves out every solution; the instructor edition
keeps them and adds the chapter's section of the instructors' guide. The data package's zip holds the same
data files and ``references.bib``. Zips hold regular files only: a symbolic link is
refused, never followed. The build writes both editions of every chapter's zip
(``<chapter>-student.zip``, ``<chapter>-instructor.zip``) and the data package's next to the
pages (``_bundles/``), where the chapters, the instructors' guide and the landing page link to them.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
import zipfile
from pathlib import Path

from compendium.book.messages import BuildError, say
from compendium.book.paths import BUNDLES, DATA_BUNDLE, EDITIONS, HTML, handout_name
from compendium.book.pipeline.cache import notebook_reads
from compendium.book.pipeline.handout_pages import standalone, student_notebook, without_solutions
from compendium.book.project import Project
from compendium.book.toc import book_notebooks, chapter_notebooks, taught_chapters
from compendium.files import PACKAGE

LINKED = re.compile(r"""(?:href|src)="([^"#?:]+)""")
CSS_URL = re.compile(r"""(?:url\(["']?|@import\s+["'])([^"')#?:]+)""")
GUIDE = "INSTRUCTORS.md"  # in an instructor edition: the chapter's section of the instructors' guide
FILE_MODE = 0o100644  # a regular file, read-write for its owner and readable for everyone


def _edition_lines(edition: str, guide: str | None) -> list[str]:
    if edition == "student":
        return ["This is the **student edition**: the solutions of the exercises are left out of the chapter's "
                "page, and the notebook cells that compute them are left out of the notebook and its page.", ""]
    return ["This is the **instructor edition**: the chapter's page and notebook keep the solutions of the "
            "exercises" + (f", and `{GUIDE}` holds the chapter's section of the instructors' guide." if guide
                           else "."), ""]


def _readme(chapter: str, notebooks: list[str], reads: dict[str, list[str]], code: tuple[str, ...],
            edition: str, guide: str | None) -> str:
    lines = [f"# Chapter handout: {chapter} ({edition} edition)", "", *_edition_lines(edition, guide),
             f"- `book/chapters/{chapter}.html`: the chapter as rendered in the book (open it in a browser), "
             "with the pages of its notebooks and of the article's statements it links to.",
             *[f"- `notebooks/{nb}.ipynb`: the notebook behind it; its results depend on "
               f"{', '.join(f'`{r}`' for r in reads[nb]) or 'no data file'}." for nb in notebooks],
             "- `data/`: the whole data package (the loaders validate every file of it before use).",
             f"- `references.bib`, `pyproject.toml`, {', '.join(f'`{c}`' for c in code)}: what the notebook imports.",
             "", "## Running the notebook", "",
             "Everything the notebook reads is in this folder. Where the packages of `requirements.txt` are "
             "already installed (a class server, a lab machine), no network is needed: point Python at the "
             "bundled package and run it from `notebooks/`:", "",
             *[f"    PYTHONPATH=../src papermill {nb}.ipynb my_{nb}.ipynb   # run from notebooks/" for nb in notebooks],
             "", "Otherwise, with Python 3.11+ and a network, once, in this folder:", "",
             "    python3 -m venv .venv",
             "    .venv/bin/pip install -r requirements.txt",
             "", "and then, from `notebooks/`:", "",
             *[f"    PYTHONPATH=../src ../.venv/bin/papermill {nb}.ipynb my_{nb}.ipynb" for nb in notebooks],
             "", "Nothing is installed into this folder but `.venv`. Open the notebook in any Jupyter front end "
             "to read and change it; edit a file under "
             "`data/` or pass `-p name value` to papermill to rerun it with other data or parameters.", ""]
    return "\n".join(lines)


def _data_files(root: Path) -> list[str]:
    """The data package as declared: descriptor, data dictionary, and each resource's file that
    lies inside data/. A descriptor that cannot be read declares no file here: validation, which
    runs before anything is zipped, says why in one line."""
    try:
        resources = json.loads((root / "data" / PACKAGE).read_text(encoding="utf-8"))["resources"]
        paths = [r["path"] for r in resources if isinstance(r.get("path"), str)]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        paths = []
    data = (root / "data").resolve()
    return [f"data/{PACKAGE}", "data/README.md",
            *(f"data/{path}" for path in paths if (data / path).resolve().is_relative_to(data))]


def _regular(root: Path, path: Path) -> Path:
    """``path`` (under ``root``), refused when it is or passes through a symbolic link."""
    linked = [p for p in (path, *path.parents) if p.is_relative_to(root) and p != root and p.is_symlink()]
    if linked:
        raise BuildError(f"{linked[-1].relative_to(root)}: a symbolic link; a handout holds regular files only")
    return path


def _page_assets(html: Path, page: Path, text: str) -> list[Path]:
    """The files of the rendered book ``html`` that ``page`` (whose text is ``text``) uses:
    stylesheets, scripts, images and downloads, and the fonts, images and stylesheets those
    stylesheets use."""
    found, todo = set(), [(page, text)]
    while todo:
        current, content = todo.pop()
        pattern = CSS_URL if current.suffix == ".css" else LINKED
        for link in pattern.findall(content):
            target = Path(current.parent, link).resolve()
            if target.is_file() and target.is_relative_to(html.resolve()) and target.suffix != ".html" \
                    and target not in found:
                found.add(target)
                if target.suffix == ".css":
                    todo.append((target, target.read_text(encoding="utf-8", errors="replace")))
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
                    entry = zipfile.ZipInfo(name, _stamp())
                    entry.compress_type = zipfile.ZIP_STORED if name.endswith(COMPRESSED) else zipfile.ZIP_DEFLATED
                    entry.external_attr = FILE_MODE << 16
                    archive.writestr(entry, source.encode() if isinstance(source, str) else source.read_bytes())
                archive.comment = comment
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _stamp() -> tuple[int, ...]:
    """The time every member of a zip carries: SOURCE_DATE_EPOCH when set (reproducible zips)."""
    seconds = int(os.environ.get("SOURCE_DATE_EPOCH") or 315532800)  # else 1980-01-01, the first a zip holds
    return time.gmtime(max(seconds, 315532800))[:6]


def _statements_pages(html: Path) -> list[Path]:
    """The rendered pages holding the article's statements table (where pinpoints land)."""
    return [page for page in sorted((html / "chapters").glob("*.html"))
            if 'class="article-statements' in page.read_text(encoding="utf-8", errors="replace")]


def instructors_section(root: Path, chapter: str) -> str | None:
    """The chapter's part of the instructors' guide, as Markdown: its row of the guide's table
    (a row that links ``chapter.md``) and the section headed by the chapter's title there."""
    for guide in sorted((root / "chapters").glob("[!_]*.md")):
        text = guide.read_text(encoding="utf-8")
        row = re.search(rf"^\| \[([^]]+)\]\({re.escape(chapter)}\.md\) \|(.*)\|$", text, flags=re.M)
        section = row and re.search(rf"^### {re.escape(row.group(1))}\n(.*?)(?=^##|\Z)", text, flags=re.M | re.S)
        if not section:
            continue
        header = re.search(r"^\|(.*)\|\n\| ---", text[:row.start()], flags=re.M)
        names = [c.strip() for c in header.group(1).split("|")][1:] if header else []
        values = [c.strip() for c in row.group(2).split("|")]
        title = text.splitlines()[0].lstrip("# ").strip()
        plain = re.sub(r"\{ref\}`([^`]+)`", r"`\1`", section.group(1)).strip()
        return "\n".join([f"# {title}: {row.group(1)}", "", *(f"- **{n}**: {v}" for n, v in zip(names, values,
                                                                                         strict=False)),
                          "", plain, ""])
    return None


def write_handout(book: Project, html: Path, chapter: str, target: Path, previous: Path | None = None,
                  edition: str = "student") -> Path:
    """Zip one chapter of the rendered book ``html`` in one edition into ``target`` (``previous``:
    see ``_zip``)."""
    root = book.root
    notebooks = chapter_notebooks(root, chapter)
    reads = {nb: notebook_reads(root, nb) for nb in notebooks}
    guide = instructors_section(root, chapter) if edition == "instructor" else None
    pages = [html / "chapters" / f"{chapter}.html",
             *(p for nb in notebooks if (p := html / "notebooks" / f"{nb}.html").is_file()), *_statements_pages(html)]
    texts = {page: _regular(root, page).read_text(encoding="utf-8") for page in dict.fromkeys(pages)}
    if edition == "student":
        texts = {page: without_solutions(text) for page, text in texts.items()}
    members: dict[str, Path | str] = {"README.md": _readme(chapter, notebooks, reads, book.code, edition, guide)}
    if guide:
        members[GUIDE] = guide
    html_root = html.resolve()
    names = {page: f"book/{page.resolve().relative_to(html_root)}" for page in texts}
    for page, text in texts.items():
        for path in _page_assets(html, page, text):
            members[f"book/{path.relative_to(html_root)}"] = _regular(root, path)
    if edition == "student":  # the pages' sources hold the solutions; downloaded notebooks lose theirs
        for name in [n for n in members if n.startswith("book/_sources/")]:
            del members[name]
        members.update([(name, student_notebook(source.read_text(encoding="utf-8")))
                        for name, source in members.items() if name.endswith(".ipynb") and not isinstance(source, str)])
    inside = set(members) | set(names.values())
    for page, text in texts.items():
        members[names[page]] = standalone(text, names[page], inside, book.published_url)
    for nb in notebooks:
        source = _regular(root, root / "notebooks" / f"{nb}.ipynb")
        members[f"notebooks/{nb}.ipynb"] = (student_notebook(source.read_text(encoding="utf-8"))
                                            if edition == "student" else source)
    files = [*shared_files(book), *(r for nb in notebooks for r in reads[nb] if (root / r).is_file())]  # examples/
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
        for edition in EDITIONS:
            name = handout_name(chapter, edition)
            written.append(write_handout(book, html, chapter, folder / name, previous / name, edition))
    say(f"[done]   {len(written)} zips for download in {BUNDLES}/ "
        f"({sum(p.stat().st_size for p in written) // 1024} KiB)")
    return written
