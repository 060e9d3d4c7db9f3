"""``make chapter CH=x [EDITION=student|instructor]``: one chapter of the book as a zip for a class."""
from __future__ import annotations

from pathlib import Path

from compendium.book import project
from compendium.book.messages import BuildError, say
from compendium.book.paths import HANDOUTS, handout_name
from compendium.book.pipeline.build import build
from compendium.book.pipeline.bundles import write_handout
from compendium.book.toc import book_chapters, chapter_notebooks


def check_chapter(root: Path, chapter: str) -> None:
    """Refuse anything but the name of a chapter the table of contents publishes."""
    known = sorted(book_chapters(root))
    if chapter not in known:
        raise BuildError(f"chapter {chapter!r} is not a chapter of the book (choose one of: {', '.join(known)})")


def make_handout(root: Path, chapter: str, edition: str = "student") -> Path:
    """Build the book if needed, then zip one chapter in one edition into
    ``_build/handouts/<chapter>-<edition>.zip``."""
    check_chapter(root, chapter)
    target = write_handout(project.load(root), build(root), chapter, root / HANDOUTS / handout_name(chapter, edition),
                           edition=edition)
    say(f"handout for {chapter} ({edition} edition): {target.relative_to(root)} "
        f"({len(chapter_notebooks(root, chapter))} notebook(s), {target.stat().st_size // 1024} KiB)")
    return target
