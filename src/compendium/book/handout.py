"""One chapter as a zip for a class: ``make chapter CH=results``.

The zip holds the chapter's rendered page (with the book's styles and images), the
notebook(s) it pastes from, the data package and bibliography those notebooks load, the
``compendium`` package they import with the pinned requirements, and a README.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from compendium.book.build import build
from compendium.book.messages import BuildError, say
from compendium.book.toc import chapter_notebooks, notebook_reads


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


def make_handout(root: Path, chapter: str) -> Path:
    """Build the book if needed, then zip one chapter into ``_build/handouts/<chapter>.zip``."""
    if not (root / "chapters" / f"{chapter}.md").is_file():
        known = sorted(p.stem for p in (root / "chapters").glob("*.md") if not p.stem.startswith("_"))
        raise BuildError(f"chapters/{chapter}.md: no such chapter (choose one of: {', '.join(known)})")
    html = build(root)
    notebooks = chapter_notebooks(root, chapter)
    reads = {nb: notebook_reads(root, nb) for nb in notebooks}
    target = root / "_build" / "handouts" / f"{chapter}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", _readme(chapter, notebooks, reads))
        archive.write(html / "chapters" / f"{chapter}.html", f"book/chapters/{chapter}.html")
        for folder in ("_static", "_images"):
            for path in sorted((html / folder).rglob("*")):
                if path.is_file():
                    archive.write(path, f"book/{path.relative_to(html)}")
        files = [*(f"notebooks/{nb}.ipynb" for nb in notebooks), "references.bib", "pyproject.toml",
                 "requirements.txt", *(str(p.relative_to(root)) for p in sorted((root / "data").glob("*"))),
                 *(str(p.relative_to(root)) for p in sorted((root / "src" / "compendium").rglob("*"))
                   if p.is_file() and "__pycache__" not in p.parts)]
        for name in files:
            archive.write(root / name, name)
    partial.replace(target)
    say(f"handout for {chapter}: {target.relative_to(root)} ({len(notebooks)} notebook(s), "
        f"{target.stat().st_size // 1024} KiB)")
    return target
