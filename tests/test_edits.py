"""What an edit does to the built book: the pages that show an edited value change, only the
notebooks that read an edited file run again and only the pages that depend on them are read
again, a failing notebook leaves the previous book as it was, and nbval fails until
``make record`` saves the record again."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import build, copy_of_book, edit, run
from test_book import TABLE_1_ROW_1, all_pages, page, text_of

from compendium import files
from compendium.analysis import data
from compendium.book.pipeline.cache import notebook_reads
from compendium.book.pipeline.render import ANSI
from compendium.book.toc import book_notebooks

pytestmark = pytest.mark.book


HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_TITLE = "<script>alert('title')</script>"
NOTICE = re.compile(rb'<aside class="bd-header-announcement".*?</aside>\n', re.S)  # as record.announce puts it
EDITED = {"data/sample.csv", "data/findings.csv", "references.bib"}  # the data the edits below change


def test_only_the_notebooks_that_read_an_edited_file_run_again(built):
    readers = sorted(nb.stem for nb in book_notebooks(built) if "data/framework.csv" in notebook_reads(built, nb.stem))
    assert readers == ["02_literature", "06_audit"]  # framework.csv feeds Figure 1 and the audit's framework check
    log = built / "_build/.render/jupyter-book-html.log"
    read = lambda: sorted(re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)",  # noqa: E731
                                     ANSI.sub("", log.read_text(encoding="utf-8")), flags=re.M))
    pages = lambda: {p.relative_to(built / "_build/html"): p.read_bytes()  # noqa: E731
                     for sub in ("chapters", "notebooks") for p in (built / "_build/html" / sub).glob("*.html")}
    unnoticed = lambda html: NOTICE.sub(b"", html)  # noqa: E731 - a page without the notice of modified data
    literature = lambda: text_of(page(built, "chapters/literature.html"))  # noqa: E731
    explained = literature().count("explains")
    dependents = ["chapters/audit", "chapters/intro", "chapters/literature", "chapters/record",  # the pages that
                  "notebooks/02_literature", "notebooks/06_audit"]  # paste from or show the notebooks, the record
    shown = {"chapters/audit", "chapters/literature", "chapters/record", "notebooks/02_literature"}  # the edge or
    # the file's hash shows there; the landing page and the audit notebook's page paste nothing the edit changes
    original = (built / "data/framework.csv").read_text(encoding="utf-8")
    edit(built / "data/framework.csv", "Mediation theory,theory,Communication broker,role,explains",
         "Mediation theory,theory,Communication broker,role,frames")
    assert build(built) == readers  # every page is read: the project moved, which Sphinx notices
    edited = pages()
    assert all(NOTICE.search(html) for html in edited.values())  # the notice of modified data, on every page
    assert "frames" in literature() and literature().count("explains") == explained - 1
    assert build(built) == []  # and nothing runs when nothing changed
    (built / "data/framework.csv").write_text(original, encoding="utf-8")  # the published data again:
    assert build(built) == readers
    assert read() == dependents  # only the pages that depend on the file are read again,
    restored = pages()
    assert not any(NOTICE.search(html) for html in restored.values())  # the notice goes from every page,
    changed = {str(p) for p in edited if unnoticed(edited[p]) != unnoticed(restored[p])}
    assert changed == {f"{name}.html" for name in shown}  # and apart from it only what shows the edit changes
    assert "frames" not in literature() and literature().count("explains") == explained


def test_an_edit_of_the_package_code_or_the_lock_runs_every_notebook_again(built):
    from compendium.book import project
    from compendium.book.pipeline.cache import is_current, read_entry
    from compendium.book.pipeline.fingerprints import tree_digest

    def current() -> list[str]:  # the notebooks whose cached execution the build would reuse
        code = tree_digest(built, project.load(built).code)
        return [nb.stem for nb in book_notebooks(built) if is_current(built, nb, read_entry(built, nb.stem)[0], code)]

    assert current() == [nb.stem for nb in book_notebooks(built)]
    edit(built / "src/compendium/analysis/stats.py", '"""Pure functions', '"""Pure, tested functions')
    assert current() == []
    edit(built / "src/compendium/analysis/stats.py", '"""Pure, tested functions', '"""Pure functions')
    assert len(current()) == len(book_notebooks(built))
    (built / "requirements.txt").write_text((built / "requirements.txt").read_text() + "# edited\n")
    assert current() == []


def test_a_failing_notebook_leaves_the_previous_book_untouched(built):
    html = built / "_build/html"
    before = {p.relative_to(html): p.read_bytes() for p in html.rglob("*") if p.is_file()}
    notebook = built / "notebooks/05_discussion.ipynb"
    edit(notebook, "rows = synthesis.indicators(", "1 / 0\\n\",\n    \"rows = synthesis.indicators(")
    edit(built / "data/codebook.csv", "could achieve as a go-between", "could achieve as an intermediary")
    done = run(["-m", "compendium", "build"], cwd=built)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "notebooks/05_discussion.ipynb cell 4: ZeroDivisionError: division by zero"
    ran = re.findall(r"^\[ran\]\s+(\S+)", done.stdout, flags=re.M)
    assert ran == ["notebooks/06_audit.ipynb"]  # the other reader of codebook.csv succeeded with the edit
    assert "Traceback" not in done.stdout + done.stderr
    after = {p.relative_to(html): p.read_bytes() for p in html.rglob("*") if p.is_file()}
    assert after == before


@pytest.fixture(scope="module")
def edited(book, tmp_path_factory) -> Path:
    """A copy of the built book, built again after five edits at once: a count of Table 1 and a
    count of the sample, which pages and figures state; a hostile label and a hostile title; and
    the address of the source repository in _config.yml, which runs no notebook and shows on the
    landing page. The edits' own test reads its pages; the record's test then re-saves it."""
    project = copy_of_book(book, tmp_path_factory.mktemp("edited") / "built")
    readers = sorted(nb.stem for nb in book_notebooks(project) if EDITED & set(notebook_reads(project, nb.stem)))
    assert {"03_methods", "04_results", "05_discussion", "06_audit", "07_coding_lab"} <= set(readers)  # sample.csv's
    edit(project / "data/findings.csv", TABLE_1_ROW_1, TABLE_1_ROW_1.replace("18", "19"))
    edit(project / "data/findings.csv", ",Communication facilitation,", f",{HOSTILE_LABEL},")
    edit(project / "data/sample.csv", "journal articles,30", "journal articles,70")
    edit(project / "references.bib", "{Theory of international politics}", "{" + HOSTILE_TITLE + "}")
    edit(project / "_config.yml", 'url: ""', 'url: "https://github.com/example/compendium"')
    assert build(project) == readers
    return project


def test_edits_of_data_and_settings_reach_every_page_that_shows_them(book, edited):
    pages = all_pages(edited)
    results = pages["chapters/results.html"]
    first_row = [td.get_text() for td in results.select("#table-1 tbody tr")[0].select("td")]
    assert first_row == [HOSTILE_LABEL, "High", "19 sources"]
    assert "with 19 documents, or 21% of the sample" in text_of(results)  # 19 of the 90 the edit makes
    assert "Table 1 add up to 64 , 26 fewer than the 90 sampled documents" in text_of(results)
    figure_2 = lambda soup: soup.select_one("#figure-2 img")["src"]  # noqa: E731 - file named by content hash
    assert figure_2(results) != figure_2(page(book, "chapters/results.html"))
    link = pages["chapters/intro.html"].find("a", href="https://github.com/example/compendium")
    assert link is not None
    assert link.find_parent("p").get_text(" ", strip=True).startswith("Its sources: the repository")
    expected = {
        "intro": "as numbers of the 90 documents the authors reviewed",
        "methods": "The sample is stated as 90 documents Abstract , §3.4 : 70 journal articles",
        "results": "The sample has 90 documents",
        "discussion": "a difference of 8 percentage points",
    }
    for name, sentence in expected.items():
        assert sentence in text_of(pages[f"chapters/{name}.html"]), name
    for name, soup in pages.items():
        assert soup.find("img", src="x") is None, name
        assert not [s for s in soup.find_all("script") if "alert(" in (s.string or "")], name
        assert not [tag for tag in soup.find_all(True)
                    if any(a.startswith("on") and "alert(" in str(v) for a, v in tag.attrs.items())], name
        notice = soup.select_one(".bd-header-announcement")
        assert notice is not None, f"{name}: no notice of modified data"
        assert all(f in notice.get_text() for f in EDITED)
        assert "data/framework.csv" not in notice.get_text()
    assert HOSTILE_LABEL in text_of(results)
    assert HOSTILE_TITLE in text_of(pages["chapters/bibliography.html"])
    record = text_of(pages["chapters/record.html"])
    assert "This book was built from modified data." in record
    assert "data/findings.csv" in record and "modified" in record


def test_nbval_fails_on_edited_data_until_make_record_saves_the_record_again(edited):
    nbval = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "notebooks/04_results.ipynb"]
    stale = run(nbval, cwd=edited)
    assert stale.returncode == 1, stale.stdout
    assert "Cell outputs differ" in stale.stdout
    recorded = run(["-m", "compendium", "record"], cwd=edited)
    assert recorded.returncode == 0, recorded.stderr
    fresh = run(nbval, cwd=edited)
    assert fresh.returncode == 0, fresh.stdout
    descriptor = data.read_descriptor(edited / "data")
    findings = next(r for r in descriptor["resources"] if r["name"] == "findings")
    assert findings["hash"] == "sha256:" + files.file_sha256(edited / "data/findings.csv")
