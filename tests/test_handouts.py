"""A chapter's zip, unzipped, stands alone: every link of its pages resolves inside it, its files
have ordinary modes, and the student edition holds no solution's text anywhere."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from compendium.book.paths import EDITIONS, handout_name
from compendium.book.pipeline.handout_pages import SOLUTION_TAG
from compendium.book.toc import chapter_notebooks, taught_chapters

pytestmark = pytest.mark.book
CSS_LINK = re.compile(r"""(?:url\(["']?|@import\s+["'])([^"')#?]+)""")
ROLE = re.compile(r"\{[\w:-]+\}`[^`]*`")  # a MyST role: pasted values, pinpoints, references


def bundles(book: Path) -> dict[tuple[str, str], Path]:
    folder = book / "_build/html/_bundles"
    return {(chapter, edition): folder / handout_name(chapter, edition)
            for chapter in taught_chapters(book) for edition in EDITIONS}


def dead_links(folder: Path) -> list[str]:
    """Every link of the unzipped ``folder``'s pages and stylesheets (href, src, action, url(),
    @import) whose file, or whose fragment on a page of the folder, is missing."""
    soups = {page.resolve(): BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
             for page in sorted(folder.rglob("*.html"))}
    ids = {page: {tag["id"] for tag in soup.find_all(id=True)} for page, soup in soups.items()}
    dead = []
    for page, soup in soups.items():
        for tag in soup.find_all(True):
            for attribute in ("href", "src", "action"):
                link = tag.get(attribute)
                parts = urlsplit(link or "")
                if not link or parts.scheme or parts.netloc:
                    continue
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                missing = not target.is_file() or not target.is_relative_to(folder.resolve())
                if missing or (parts.fragment and target in ids and parts.fragment not in ids[target]):
                    dead.append(f"{page.relative_to(folder.resolve())}: {link}")
    for sheet in folder.rglob("*.css"):
        for link in CSS_LINK.findall(sheet.read_text(encoding="utf-8", errors="replace")):
            if not link.startswith("data:") and "://" not in link and not (sheet.parent / link).resolve().is_file():
                dead.append(f"{sheet.relative_to(folder)}: {link}")
    return dead


def test_every_unzipped_chapter_bundle_has_no_dead_link(book, tmp_path):
    zips = bundles(book)
    written = [p for e in EDITIONS for p in (book / "_build/html/_bundles").glob(f"*-{e}.zip")]
    assert len(zips) == 2 * len(taught_chapters(book)) == len(written)
    for (chapter, edition), path in zips.items():
        folder = tmp_path / f"{chapter}-{edition}"
        with zipfile.ZipFile(path) as archive:
            archive.extractall(folder)
        pages = {str(p.relative_to(folder / "book")) for p in (folder / "book").rglob("*.html")}
        assert {f"chapters/{chapter}.html", *(f"notebooks/{nb}.html" for nb in chapter_notebooks(book, chapter)),
                "chapters/statements.html"} == pages, chapter
        assert (folder / "book/_static/basic.css").is_file()  # imported by the theme's stylesheet
        assert dead_links(folder) == [], path.name


def test_the_link_check_finds_a_dead_link(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book/a.html").write_text('<a href="b.html#x">b</a><a href="a.html#here" id="here">a</a>'
                                          '<img src="missing.png">', encoding="utf-8")
    (tmp_path / "book/b.html").write_text('<p id="y">b</p>', encoding="utf-8")
    (tmp_path / "book/s.css").write_text('@import "gone.css"; a { background: url(ok.png) }', encoding="utf-8")
    (tmp_path / "book/ok.png").write_bytes(b"")
    assert sorted(dead_links(tmp_path)) == ["book/a.html: b.html#x", "book/a.html: missing.png", "book/s.css: gone.css"]


def test_every_member_of_every_zip_is_a_regular_file_readable_by_all(book):
    for path in (book / "_build/html/_bundles").glob("*.zip"):
        with zipfile.ZipFile(path) as archive:
            modes = {info.external_attr >> 16 for info in archive.infolist()}
        assert modes == {0o100644}, path.name


def words(text: str) -> str:
    """``text`` as its words only, in lower case, one space apart (markup, quotes and spacing aside)."""
    return " ".join(re.findall(r"\w+", text.lower()))


SOLUTION_BLOCK = re.compile(r"^:::\{solution\}[^\n]*\n(?::class:[^\n]*\n)?(.*?)^:::", flags=re.M | re.S)


def said_elsewhere() -> str:
    """The words of what the book says outside its solutions: chapters without their solution
    blocks, the data (the article's quotations among them), the code and the notebooks' untagged cells."""
    texts = [SOLUTION_BLOCK.sub("", p.read_text(encoding="utf-8")) for p in (ROOT / "chapters").glob("*.md")]
    texts += [p.read_text(encoding="utf-8") for p in [*(ROOT / "data").glob("*.csv"), *(ROOT / "src").rglob("*.py")]]
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        texts += ["".join(cell["source"]) for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
                  if SOLUTION_TAG not in cell.get("metadata", {}).get("tags", [])]
    return words(" ".join(texts))


def solution_passages(chapter: str, elsewhere: str) -> list[list[str]]:
    """For each solution of a chapter, the prose found only there, in runs of at least six words
    between pasted values, pinpoints and other roles and between punctuation marks, as ``words``."""
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    return [[passage for piece in ROLE.split(block) for p in re.split(r"[()\"“”;:,.]", piece)
             if len((passage := words(p)).split()) >= 6 and passage not in elsewhere]
            for block in SOLUTION_BLOCK.findall(text)]


def zip_text(path: Path) -> str:
    """Every text a zip shows or holds: its pages as read, its notebooks' cells and outputs, its other files."""
    parts = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            body = archive.read(name)
            if name.endswith(".html"):
                parts.append(BeautifulSoup(body, "html.parser").get_text(" "))
            elif name.endswith((".ipynb", ".md", ".py", ".csv", ".txt", ".bib", ".json")):
                parts.append(body.decode("utf-8", errors="replace"))
    return words(" ".join(parts).replace("\\n", " "))


def solution_keys(notebook: Path) -> set[str]:
    """The glue keys of the notebook cells tagged as computing what solutions state."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return {output["metadata"]["scrapbook"]["name"] for cell in cells
            if SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])
            for output in cell.get("outputs", []) if "scrapbook" in output.get("metadata", {})}


def test_a_student_zip_holds_no_solution_text_and_an_instructor_zip_holds_it_all(book):
    elsewhere = said_elsewhere()
    for chapter in taught_chapters(book):
        solutions = solution_passages(chapter, elsewhere)
        assert solutions and all(solutions), chapter  # each of its solutions has text of its own to look for
        passages = [passage for solution in solutions for passage in solution]
        student, instructor = (zip_text(bundles(book)[chapter, e]) for e in EDITIONS)
        assert [p for p in passages if p in student] == [], chapter
        assert [p for p in passages if p not in instructor] == [], chapter
        for nb in chapter_notebooks(book, chapter):
            keys = solution_keys(ROOT / "notebooks" / f"{nb}.ipynb")
            assert [key for key in keys if words(key) in student or words(f"glue-{key}") in student] == []
        assert words("This is the student edition of the chapter") in student


def test_an_instructor_zip_adds_the_chapters_section_of_the_guide(book):
    for chapter in taught_chapters(book):
        with zipfile.ZipFile(bundles(book)[chapter, "instructor"]) as archive:
            guide = archive.read("INSTRUCTORS.md").decode()
            readme = archive.read("README.md").decode()
        assert all(part in guide for part in ("**Discussion prompts.**", "**Assessment.**", "*Marking:*",
                                              "**Common wrong answers.**")), chapter
        assert "instructor edition" in readme and "`INSTRUCTORS.md`" in readme
        with zipfile.ZipFile(bundles(book)[chapter, "student"]) as archive:
            assert "INSTRUCTORS.md" not in archive.namelist()


def test_the_guide_links_both_editions_and_each_chapter_its_student_edition(book):
    guide = BeautifulSoup((book / "_build/html/chapters/instructors.html").read_text(encoding="utf-8"), "html.parser")
    linked = {a["href"] for a in guide.select("a.bundle")}
    assert linked == {f"../_bundles/{handout_name(c, e)}" for c in taught_chapters(book) for e in EDITIONS}
    for chapter in taught_chapters(book):
        page = BeautifulSoup((book / f"_build/html/chapters/{chapter}.html").read_text(encoding="utf-8"),
                             "html.parser")
        assert [a["href"] for a in page.select(".chapter-bundle a")] == [f"../_bundles/{chapter}-student.zip"]
