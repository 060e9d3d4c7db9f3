"""The book builds strictly, shows the data's values, and never shows stale ones."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE, build, edit, run
from reference_list import as_printed, parts, printed_entries

from compendium import files
from compendium.analysis import data, synthesis
from compendium.book.cache import notebook_reads
from compendium.book.toc import book_notebooks

pytestmark = pytest.mark.book
TABLE_1_ROW_1 = "Communication facilitation,High,high,,,18 sources,18"


def page(project: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((project / "_build/html" / name).read_text(encoding="utf-8"), "html.parser")


def text_of(soup: BeautifulSoup) -> str:
    return re.sub(r"\s+", " ", soup.find("main").get_text(" ", strip=True))


def test_results_page_shows_every_table_as_the_data_hold_it(book):
    findings = data.load_findings(book / "data")
    meta = data.load_tables(book / "data")
    soup = page(book, "chapters/results.html")
    rendered = [soup.select_one(f"#table-{n} table") for n in meta["table"]]
    for table, html in zip(meta.itertuples(), rendered):
        headers = [th.get_text() for th in html.select("thead th")]
        assert headers == [table.label_column, table.rating_column, table.count_column]
        cells = [[td.get_text() for td in tr.select("td")] for tr in html.select("tbody tr")]
        expected = findings[findings["table"] == table.table][["label", "rating_printed", "count_printed"]]
        assert cells == expected.values.tolist()


def test_results_page_has_each_figure_with_caption_and_alt_text(book):
    meta = data.load_tables(book / "data")
    soup = page(book, "chapters/results.html")
    images = [soup.select_one(f"#figure-{n} img") for n in meta["figure"]]
    for table, img in zip(meta.itertuples(), images):
        assert (book / "_build/html/chapters" / img["src"]).is_file()
        assert img["alt"].startswith(f"Figure {table.figure} redrawn from the data: {table.figure_title}")
        caption = img.find_parent("figure").find("figcaption")
        provenance = caption.select_one(".provenance")
        assert provenance.select_one("a[href='../notebooks/04_results.html']").get_text() == "04_results.ipynb"
        text = " ".join(provenance.get_text(" ", strip=True).split())
        sha = files.file_sha256(book / "data/findings.csv")[:8]
        assert f"Computed by 04_results.ipynb from data/findings.csv ({sha})" in text
        assert [a.get_text() for a in provenance.select("a.download")] == ["PNG", "SVG", "notebook (.ipynb)"]


def test_results_prose_states_the_computed_numbers(book):
    text = text_of(page(book, "chapters/results.html"))
    assert "The sample has 50 documents" in text
    assert "Communication facilitation , with 18 documents, or 36% of the sample" in text
    assert "Economic limitations is counted most often ( 20 documents, 40% of the sample)" in text
    assert "The rows of Table 1 add up to 63 mentions, 13 more than the 50 sampled documents" in text


def test_bibliography_renders_each_entry_once_in_order_with_its_stored_title_and_label(book):
    soup = page(book, "chapters/bibliography.html")
    references = data.load_references(book / "references.bib")  # in file order: the article's order
    for section, rows in (("the-article", ~references["in_reference_list"]),
                          ("its-reference-list", references["in_reference_list"])):
        items = soup.select(f"#{section} .citation-list > [role=listitem]")
        titles = [parts(as_printed(item.p))["title"] for item in items]
        assert titles == list(references.loc[rows, "title"]), section
        labels = [item.select_one(".label").get_text("", strip=True).strip("[]") for item in items]
        assert labels == list(synthesis.work_label(references[rows])), section  # one rule for both
    assert labels[2:4] == ["Bercovitch & DeRouen (2005)", "Bercovitch & Gartner (2006)"]


@pytest.mark.skipif(not ARTICLE.is_file(), reason=f"article text not found at {ARTICLE}")
def test_bibliography_prints_the_reference_list_as_the_article_does(book):
    items = page(book, "chapters/bibliography.html").select("#its-reference-list .citation-list > [role=listitem]")
    rendered = [as_printed(item.p) for item in items]
    printed = printed_entries()
    assert [parts(entry)["title"] for entry in rendered] == [parts(entry)["title"] for entry in printed]
    assert rendered == printed


def test_edited_data_changes_table_figure_prose_and_the_record(built):
    project = built
    before = page(project, "chapters/results.html")
    edit(project / "data/findings.csv", TABLE_1_ROW_1, TABLE_1_ROW_1.replace("18", "19"))
    assert build(project) == ["04_results", "05_discussion", "06_audit", "07_coding_lab"]  # the readers of findings.csv
    after = page(project, "chapters/results.html")
    first_row = [td.get_text() for td in after.select("#table-1 tbody tr")[0].select("td")]
    assert first_row == ["Communication facilitation", "High", "19 sources"]
    assert "with 19 documents, or 38% of the sample" in text_of(after)
    assert "Table 1 add up to 64 mentions, 14 more than" in text_of(after)
    figure_2 = lambda soup: soup.select_one("#figure-2 img")["src"]  # noqa: E731 - file named by content hash
    assert figure_2(after) != figure_2(before)

    nbval = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "notebooks/04_results.ipynb"]
    stale = run(nbval, cwd=project)
    assert stale.returncode == 1, stale.stdout
    assert "Cell outputs differ" in stale.stdout
    recorded = run(["-m", "compendium", "record"], cwd=project)
    assert recorded.returncode == 0, recorded.stderr
    fresh = run(nbval, cwd=project)
    assert fresh.returncode == 0, fresh.stdout
    descriptor = data.read_descriptor(project / "data")
    findings = next(r for r in descriptor["resources"] if r["name"] == "findings")
    assert findings["published_sha256"] == files.file_sha256(project / "data/findings.csv")


CHAPTERS = ["intro", "background", "literature", "methods", "results", "discussion", "audit", "coding_lab",
            "appraisal", "bibliography"]


def test_every_chapter_renders_with_captioned_figures(book):
    for name in CHAPTERS:
        soup = page(book, f"chapters/{name}.html")
        text = text_of(soup)
        assert "{glue" not in text and "glued-figure" not in text, name
        for img in soup.select("main img"):
            assert img.get("alt", "").strip(), f"{name}: image without alt text"
            assert (book / "_build/html/chapters" / img["src"]).is_file(), f"{name}: missing {img['src']}"


@pytest.mark.parametrize("name, sentence", [
    ("background", "fully in part not at all objectives 2 1 1 research questions 2 1 1"),
    ("literature", "The article makes 48 citations that reach 35 of the 36 listed works"),
    ("literature", "Citations that match no entry: 1 ( Hussain (2026) )"),
    ("literature", "2 listed works fall outside the window: Bercovitch & DeRouen (2005) and Waltz (1979)"),
    ("methods", "The sample is stated as 50 documents Abstract , §3.4 : 30 journal articles, 12 policy reports and "
                "8 academic books"),
    ("methods", "it holds 16 journal articles, 4 reports and 16 books"),
    ("discussion", "a difference of 14 percentage points"),
    ("discussion", "Of the 24 pairs: different whatever the overlap: 1 ( Diplomatic communication reopening against "
                   "Long-term peace contribution ); undecided by what the article publishes: 16 ;"),
    ("discussion", "the pairs different whatever the overlap number 0"),
    ("discussion", "Table 2 constraints that no recommendation addresses: none"),
    ("results", "not shown different whatever the overlap 12 0 all comparisons 12 3"),
    ("results", "p-value is 0.002 ; if 0 do, it is 0.076 . The verdict: undecided by what the article publishes"),
    ("results", "at a confidence level of 95%"),
    ("audit", "error 3 unverifiable 15 presentation 12 consistent 4 all checks 34 findings that can change a result 8"),
    ("coding_lab", "The list has 36 entries but 35 distinct works"),
    ("coding_lab", "Per indicator, alpha ranges from -0.074 to 0.859 , each over 9 to 10 documents"),
    ("appraisal", "The only domain with an item reported in full is Introduction ; items not reported at all are most "
                  "numerous in Synthesis of findings (4 of its 8 items)"),
    ("appraisal", "sample size the article states, 50 documents"),
    ("appraisal", "it has 36 entries for 35 distinct works"),
])
def test_chapters_state_numbers_computed_from_the_data(book, name, sentence):
    assert sentence in text_of(page(book, f"chapters/{name}.html"))


def test_a_data_edit_reaches_every_page_that_shows_the_value(built):
    edit(built / "data/sample.csv", "journal articles,30", "journal articles,70")
    assert build(built) == ["03_methods", "04_results", "05_discussion", "06_audit", "07_coding_lab"]
    expected = {
        "intro": "a purposive sample of 90 documents",
        "methods": "The sample is stated as 90 documents Abstract , §3.4 : 70 journal articles",
        "results": "The sample has 90 documents",
        "discussion": "a difference of 8 percentage points",
    }
    for name, sentence in expected.items():
        assert sentence in text_of(page(built, f"chapters/{name}.html")), name


def test_only_the_notebooks_that_read_an_edited_file_run_again(built):
    readers = sorted(nb.stem for nb in book_notebooks(built) if "data/framework.csv" in notebook_reads(built, nb.stem))
    assert readers == ["02_literature"]  # framework.csv feeds Figure 1 only
    edit(built / "data/framework.csv", "Mediation theory,theory,Communication broker,role,explains",
         "Mediation theory,theory,Communication broker,role,frames")
    assert build(built) == readers
    assert build(built) == []  # and nothing runs when nothing changed
    edit(built / "src/compendium/analysis/stats.py", '"""Pure functions', '"""Pure, tested functions')
    assert build(built) == ["01_background", "02_literature", "03_methods", "04_results", "05_discussion",
                            "06_audit", "07_coding_lab", "08_appraisal"]


def test_a_failing_notebook_leaves_the_previous_book_untouched(built):
    html = built / "_build/html"
    before = {p.relative_to(html): p.read_bytes() for p in html.rglob("*") if p.is_file()}
    notebook = built / "notebooks/05_discussion.ipynb"
    edit(notebook, "rows = synthesis.indicators(", "1 / 0\\n\",\n    \"rows = synthesis.indicators(")
    edit(built / "data/findings.csv", TABLE_1_ROW_1, TABLE_1_ROW_1.replace("18", "19"))
    done = run(["-m", "compendium", "build"], cwd=built)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == "notebooks/05_discussion.ipynb cell 4: ZeroDivisionError: division by zero"
    assert "Traceback" not in done.stdout + done.stderr
    after = {p.relative_to(html): p.read_bytes() for p in html.rglob("*") if p.is_file()}
    assert after == before


HOSTILE_LABEL = "<img src=x onerror=alert(1)>"
HOSTILE_TITLE = "<script>alert('title')</script>"


def all_pages(project: Path) -> dict[str, BeautifulSoup]:
    html = project / "_build/html"
    return {str(p.relative_to(html)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for sub in ("chapters", "notebooks") for p in sorted((html / sub).glob("*.html"))}


def test_the_published_record_is_stated_with_its_hashes_and_no_notice(book):
    from compendium.book.record import record_status

    status = record_status(book)
    assert all(s["published"] == s["current"] for s in status)
    text = text_of(page(book, "chapters/intro.html"))
    assert "This book reproduces the published record" in text
    for s in status:
        assert f"{s['path']} {s['current'][:12]} {s['current'][:12]} matches" in text
    assert all(soup.select(".bd-header-announcement") == [] for soup in all_pages(book).values())


def test_hostile_values_render_as_text_and_modified_data_are_announced(built):
    edit(built / "data/findings.csv", ",Communication facilitation,", f",{HOSTILE_LABEL},")
    edit(built / "references.bib", "{Theory of international politics}", "{" + HOSTILE_TITLE + "}")
    build(built)
    pages = all_pages(built)
    for name, soup in pages.items():
        assert soup.find("img", src="x") is None, name
        assert not [s for s in soup.find_all("script") if "alert(" in (s.string or "")], name
        assert not [tag for tag in soup.find_all(True)
                    if any(a.startswith("on") and "alert(" in str(v) for a, v in tag.attrs.items())], name
        notice = soup.select_one(".bd-header-announcement")
        assert notice is not None, f"{name}: no notice of modified data"
        assert "data/findings.csv" in notice.get_text() and "references.bib" in notice.get_text()
        assert "data/sample.csv" not in notice.get_text()
    assert HOSTILE_LABEL in text_of(pages["chapters/results.html"])
    assert HOSTILE_LABEL in pages["chapters/results.html"].select_one("#table-1 td").get_text()
    assert HOSTILE_TITLE in text_of(pages["chapters/bibliography.html"])
    intro = text_of(pages["chapters/intro.html"])
    assert "This book was built from modified data." in intro
    assert "data/findings.csv" in intro and "modified" in intro


def test_a_chapter_handout_holds_page_notebook_data_and_readme(built):
    import zipfile

    done = run(["-m", "compendium", "chapter", "results"], cwd=built)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(built / "_build/handouts/results.zip") as archive:
        names = set(archive.namelist())
        readme = archive.read("README.md").decode()
    assert {"README.md", "book/chapters/results.html", "notebooks/04_results.ipynb", "data/findings.csv",
            "data/datapackage.json", "references.bib", "src/compendium/analysis/data.py", "requirements.txt"} <= names
    assert any(name.startswith("book/_images/") for name in names)
    assert "notebooks/05_discussion.ipynb" not in names
    assert "`data/findings.csv`" in readme and "papermill notebooks/04_results.ipynb" in readme
    refused = run(["-m", "compendium", "chapter", "nowhere"], cwd=built)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0].startswith(
        "chapter 'nowhere' is not a chapter of the book (choose one of: appraisal, audit, background,")


ARTICLE_CHAPTERS = ["background", "literature", "methods", "results", "discussion"]


def test_the_lab_page_labels_everything_synthetic_and_states_the_packages_alpha(book):
    from test_lab import EXAMPLE, reference_alpha

    soup = page(book, "chapters/coding_lab.html")
    fed = [figure for figure in soup.select("main figure.glued-figure")
           if figure.get("id") not in ("coding-rules", "coding-sheet", "lab-documents")]
    assert len(fed) == 9
    for figure in fed:
        caption = figure.find("figcaption").get_text(" ", strip=True)
        assert "SYNTHETIC" in caption, figure.get("id")
        cells = [td.get_text() for td in figure.select("tbody tr td:first-child")]
        assert all(cell == "SYNTHETIC example" for cell in cells), figure.get("id")
    assert soup.select_one("#lab-comparison img")["alt"].startswith("SYNTHETIC example: consensus shares")
    for figure in soup.select("main figure.glued-figure"):  # the frame is computed without the codings
        files = figure.select_one(".provenance").get_text(" ", strip=True)
        frame = figure.get("id") in ("coding-rules", "coding-sheet", "lab-documents")
        assert ("coder_a.csv" in files) != frame and "data/findings.csv" in files, figure.get("id")
    assert f"Here alpha is {reference_alpha(EXAMPLE):.3f}" in text_of(soup)
    notebook = page(book, "notebooks/07_coding_lab.html")
    codings_heading = notebook.find(id="the-codings")
    later = [t for t in notebook.select("main table") if codings_heading in t.find_all_previous(id="the-codings")]
    assert len(later) >= 10
    for table in later:
        assert "Codings" in [th.get_text() for th in table.select("thead th")][:2]  # pandas adds an index
        assert {tr.find("td").get_text() for tr in table.select("tbody tr")} == {"SYNTHETIC example"}
    for name in ARTICLE_CHAPTERS:
        assert "SYNTHETIC" not in text_of(page(book, f"chapters/{name}.html")), name
        assert "07_coding_lab.ipynb" not in (book / "chapters" / f"{name}.md").read_text(encoding="utf-8"), name


def test_the_lab_handout_carries_the_synthetic_codings_its_notebook_reads(built):
    import zipfile

    done = run(["-m", "compendium", "chapter", "coding_lab"], cwd=built)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(built / "_build/handouts/coding_lab.zip") as archive:
        names = set(archive.namelist())
    assert {"notebooks/07_coding_lab.ipynb", "examples/codings/coder_a.csv", "examples/codings/SYNTHETIC.md",
            "data/coding_rules.csv"} <= names
