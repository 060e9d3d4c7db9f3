"""The renderer started early (``compendium.book.renderer``), on a one-page book of its own: a
warning fails the render with its first line, and its process ends whether it rendered or not.
(Every build in the other tests renders through it.)"""
from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from compendium.book.build import _render
from compendium.book.messages import BuildError
from compendium.book.renderer import renderer


def tiny_book(folder: Path, target: str) -> Path:
    """A book of one page holding a cross-reference to ``target`` (a label its page defines)."""
    folder.mkdir(parents=True)
    (folder / "_config.yml").write_text("title: Tiny\nexecute:\n  execute_notebooks: 'off'\n", encoding="utf-8")
    (folder / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    (folder / "intro.md").write_text(f"(start)=\n# Intro\n\nSee {{ref}}`{target}`.\n", encoding="utf-8")
    return folder


def test_a_warning_fails_the_render_with_its_first_line(tmp_path):
    book = tiny_book(tmp_path / "a book", "nowhere")
    with renderer(book) as render, pytest.raises(BuildError) as failed:
        _render(book, render)
    assert str(failed.value).startswith("rendering failed (1 warnings/errors; full log ")
    assert "undefined label: 'nowhere'" in str(failed.value)
    assert multiprocessing.active_children() == []


def test_a_renderer_never_asked_to_render_is_ended(tmp_path):
    book = tiny_book(tmp_path / "a book", "start")
    with renderer(book):
        assert [child.name for child in multiprocessing.active_children()] == ["compendium-renderer"]
    assert multiprocessing.active_children() == []
    assert not (book / "_build").exists()
