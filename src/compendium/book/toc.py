"""What the book publishes, read from ``_toc.yml`` and the chapters."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

NOTEBOOK_LINK = re.compile(r"\.\./notebooks/(\w+)\.ipynb")


def book_pages(root: Path) -> list[str]:
    """Every page the table of contents publishes, in reading order, as written there
    ("chapters/intro", "notebooks/01_background", ...)."""
    def walk(node) -> list[str]:
        if isinstance(node, dict):
            found = [node["file"]] if "file" in node else []
            return found + [f for key in ("parts", "chapters", "sections")
                            for child in node.get(key, []) for f in walk(child)]
        return []

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    return [toc.get("root", "")] + walk(toc)


def landing_page(root: Path) -> str:
    """The name under chapters/ of the book's landing page (the root of the table of contents)."""
    return Path(book_pages(root)[0]).stem


def book_chapters(root: Path) -> list[str]:
    """The prose chapters the table of contents publishes (names under chapters/), in reading order."""
    return [Path(f).stem for f in book_pages(root) if Path(f).parts[0] == "chapters"]


def book_notebooks(root: Path) -> list[Path]:
    """The notebooks the table of contents publishes, in reading order, relative to ``root``."""
    return [Path(f).with_suffix(".ipynb") for f in book_pages(root)
            if (root / Path(f).with_suffix(".ipynb")).is_file()]


def chapter_notebooks(root: Path, chapter: str) -> list[str]:
    """The notebooks (stems) a chapter pastes from or links to, in order of first mention."""
    text = (root / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    return list(dict.fromkeys(NOTEBOOK_LINK.findall(text)))


def taught_chapters(root: Path) -> list[str]:
    """The chapters taught from a notebook (each gets a zip for a class), in reading order: every
    chapter that pastes from or links to a notebook, the landing page aside."""
    return [chapter for chapter in book_chapters(root)
            if chapter != landing_page(root) and chapter_notebooks(root, chapter)]
