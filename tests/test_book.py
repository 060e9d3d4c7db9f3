"""The built book: strict, with every table, figure and number as the data hold them, its links,
downloads, handouts and record (what an edit does to it: test_edits.py)."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ARTICLE, needs_shared, run
from reference_list import as_printed, parts, printed_entries

from compendium import files
from compendium.analysis import data, synthesis
from compendium.book import paths, reads

pytestmark = pytest.mark.book
TABLE_1_ROW_1 = "Communication facilitation,High,high,,,18 sources,18"


def page(project: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((project / "_build/html" / name).read_text(encoding="utf-8"), "html.parser")


def straight(text: str) -> str:
    """``text`` with the typographic quotes Sphinx sets turned back into the straight ones typed."""
    return text.translate(str.maketrans("‘’“”", "''\"\""))


def text_of(soup: BeautifulSoup) -> str:
    return re.sub(r"\s+", " ", soup.find("main").get_text(" ", strip=True))


def test_results_page_shows_every_table_as_the_data_hold_it(book):
    findings = data.load_findings(book / "data")
    meta = data.load_tables(book / "data")
    soup = page(book, "chapters/results.html")
    rendered = [soup.select_one(f"table#table-{n}") for n in meta["table"]]
    for table, html in zip(meta.itertuples(), rendered, strict=True):
        headers = [th.get_text() for th in html.select("thead th")]
        assert headers == [table.label_column, table.rating_column, table.count_column]
        cells = [[td.get_text() for td in tr.select("td")] for tr in html.select("tbody tr")]
        expected = findings[findings["table"] == table.table][["label", "rating_printed", "count_printed"]]
        assert cells == expected.values.tolist()


def test_phone_labels_are_attributes_never_text(book):
    """A table stacked into cards on a phone names each value's column through the cell's
    data-label attribute (shown by the stylesheet), so page text, search summaries and copied
    text hold the values alone, as the notebook glued them."""
    from compendium.book.pipeline.exports import glued_outputs
    from compendium.book.tables import TABLE_MIME

    glued = glued_outputs(book / "notebooks" / "06_audit.ipynb")["audit"][TABLE_MIME]
    soup = page(book, "chapters/audit.html")
    table = soup.select_one("table.stacked#audit-table")
    headers = [th.get_text() for th in table.select("thead th")]
    assert headers == glued["columns"]
    for tr, row in zip(table.select("tbody tr"), glued["rows"], strict=True):
        assert [td["data-label"] for td in tr.select("td")] == headers
        assert [straight(td.get_text()) for td in tr.select("td")] == [row[c] for c in headers]
    stacked = 0
    for html in sorted((book / "_build/html").glob("*/*.html")):
        for table in page(book, str(html.relative_to(book / "_build/html"))).select("table.stacked"):
            stacked += 1
            headers = [th.get_text() for th in table.select("thead th")]
            assert all([td.get("data-label") for td in tr.select("td")] == headers for tr in table.select("tbody tr"))
            assert table.select(".cell-label") == []
    assert stacked >= 30


def test_results_page_has_each_figure_with_caption_alt_text_and_provenance(book):
    meta = data.load_tables(book / "data")
    findings = data.load_findings(book / "data")
    soup = page(book, "chapters/results.html")
    notebook = page(book, "notebooks/04_results.html")
    images = [soup.select_one(f"#figure-{n} img") for n in meta["figure"]]
    read = ", ".join(f"data/{name}.csv ({files.file_sha256(book / 'data' / f'{name}.csv')[:8]})"
                     for name in ("exhibits", "findings", "sample", "tables"))  # what the loading cell reads
    for table, img in zip(meta.itertuples(), images, strict=True):
        assert (book / "_build/html/chapters" / img["src"]).is_file()
        assert img["alt"].startswith(f"Bar chart, {table.figure_title}: one bar per row")
        assert all(label in img["alt"] for label in findings.loc[findings["table"] == table.table, "label"])
        caption = img.find_parent("figure").find("figcaption")
        provenance = caption.select_one(".provenance")
        cell = provenance.select_one("a[href^='../notebooks/04_results.html#']")
        assert cell["href"] == f"../notebooks/04_results.html#glue-fig{table.figure}"
        assert notebook.find(id=f"glue-fig{table.figure}").find_parent("div", class_="cell") is not None
        text = " ".join(provenance.get_text(" ", strip=True).split())
        assert re.fullmatch(rf"Computed by cell \d+ of 04_results\.ipynb from {re.escape(read)}; book version "
                            r"\d+\.\d+\.\d+\. Download: PNG · SVG · notebook \(\.ipynb\) \.", text), text
        assert [a.get_text() for a in provenance.select("a.download")] == ["PNG", "SVG", "notebook (.ipynb)"]


def test_each_exhibit_names_the_files_its_own_cells_read(book):
    literature = page(book, "chapters/literature.html")
    figure_1 = literature.select_one("#figure-1 .provenance").get_text(" ", strip=True)
    assert "data/framework.csv" in figure_1 and "data/exhibits.csv" in figure_1
    assert "data/citations.csv" not in figure_1 and "references.bib" not in figure_1
    citation_map = literature.select_one("#citation-map .provenance").get_text(" ", strip=True)
    assert "data/citations.csv" in citation_map and "references.bib" in citation_map
    assert "data/framework.csv" not in citation_map
    intro = page(book, "chapters/intro.html")
    year = intro.select_one("a.glued-value[href='../notebooks/01_background.html#glue-article-received']")
    assert year["data-provenance"] == "Computed in cell 2 of 01_background.ipynb from references.bib"


def test_every_glued_value_links_to_the_cell_that_glued_it(book):
    notebooks = {}
    for name in CHAPTERS:
        soup = page(book, f"chapters/{name}.html")
        for value in soup.select("main .pasted-text"):
            link = value.find_parent("a")
            assert link is not None and "glued-value" in link["class"], f"{name}: {value}"
            target, _, anchor = link["href"].partition("#")
            assert target.startswith("../notebooks/") and anchor.startswith("glue-")
            if target not in notebooks:
                notebooks[target] = page(book, target.removeprefix("../"))
            assert notebooks[target].find(id=anchor) is not None, link["href"]
            assert link["data-provenance"].startswith("Computed in cell ")


def test_tables_download_as_tidy_numbers(book):
    html = book / "_build/html"
    [csv] = [p for p in html.glob("_downloads/*/table1.csv")]
    table = pd.read_csv(csv)
    findings = data.load_findings(book / "data")
    rows = findings[findings["table"] == 1]
    assert table["count_printed"].tolist() == rows["count_printed"].tolist()
    assert table["n_sources"].tolist() == rows["n_sources"].astype(int).tolist()
    assert table["share"].tolist() == (rows["n_sources"].astype(int) / 50).tolist()
    [csv] = [p for p in html.glob("_downloads/*/intervals.csv")]
    intervals = pd.read_csv(csv)
    assert {"n_sources", "n", "share", "lower", "upper", "confidence"} <= set(intervals.columns)
    assert all(intervals[c].dtype.kind == "f" for c in ("share", "lower", "upper"))


def test_results_prose_states_the_computed_numbers(book):
    text = text_of(page(book, "chapters/results.html"))
    assert "The sample has 50 documents" in text
    assert "Communication facilitation , with 18 documents, or 36% of the sample" in text
    assert "Economic limitations is counted most often ( 20 documents, 40% of the sample on the same reading)" in text
    assert "The counts of Table 1 add up to 63 , 13 more than the 50 sampled documents" in text


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
    own = [item.select_one(".label").get_text("", strip=True).strip("[]")
           for item in soup.select("#the-compendium-s-own-sources .citation-list > [role=listitem]")]
    assert own == ["Cohen (1960)", "Efron & Tibshirani (1993)", "Krippendorff (2004)", "Page et al. (2021)",
                   "Tong et al. (2012)", "Wilson (1927)"]  # the labels their citations use, no prefix


def test_bibliography_prints_the_reference_list_as_the_article_does(book):
    needs_shared(ARTICLE)
    items = page(book, "chapters/bibliography.html").select("#its-reference-list .citation-list > [role=listitem]")
    rendered = [as_printed(item.p) for item in items]
    printed = printed_entries()
    assert [parts(entry)["title"] for entry in rendered] == [parts(entry)["title"] for entry in printed]
    assert rendered == printed


CHAPTERS = ["intro", "background", "literature", "methods", "results", "discussion", "audit", "coding_lab",
            "appraisal", "record", "bibliography"]


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
    ("literature", "The article makes 48 citations that reach 34 of the 36 listed works"),
    ("literature", "Citations that match no entry: 2 ( Hussain (2026) and Irfan Karim (2026) ); listed works that no "
                   "citation matches: 2 ( Karim (2026) and Shaikh (2026) )"),
    ("literature", "2 listed works fall outside the window: Bercovitch & DeRouen (2005) and Waltz (1979)"),
    ("methods", "The sample is stated as 50 documents Abstract , §3.4 : 30 journal articles, 12 policy reports and "
                "8 academic books"),
    ("methods", "it holds 16 journal articles, 4 reports and 16 books"),
    ("discussion", "a difference of 14 percentage points"),
    ("discussion", "Of the 24 pairs: shown different at α whatever the overlap: 1 ( Diplomatic communication "
                   "reopening against Long-term peace contribution ); undecided by what the article publishes: 16 ;"),
    ("discussion", "the pairs shown different at α whatever the overlap number 0"),
    ("discussion", "Table 2 constraints that no recommendation addresses: none"),
    ("results", "not shown different at α whatever the overlap 12 0 12 1 all comparisons 12 3 12 3"),
    ("results", "the comparisons whose verdict changes are: Table 2 top vs bottom (undecided by what the article "
                "publishes to not shown different at α whatever the overlap)"),
    ("results", "cannot show that order at α = 0.05"),
    ("results", "At α = 0.10 the verdicts that change are:"),
    ("results", "whiskers show the compendium’s 95% Wilson interval for each count"),
    ("intro", "are shown different at α = 0.05 whatever that overlap, on the compendium’s reading"),
    ("intro", "the whiskers are the compendium’s 95% Wilson interval for each count"),
    ("audit", "The audit classes 0 checks as errors"),
    ("results", "p-value is 0.002 ; if 0 do, it is 0.076 . The verdict: undecided by what the article publishes"),
    ("results", "at a confidence level of 95%"),
    ("coding_lab", "The list has 36 entries but 35 distinct works"),
    ("coding_lab", "Per indicator, alpha ranges from -0.074 to 0.859 , each over 9 to 10 documents"),
    ("appraisal", "The only domain with an item reported in full is Introduction ; items not reported at all are most "
                  "numerous in Synthesis of findings (4 of its 8 items)"),
    ("appraisal", "sample size the article states, 50 documents"),
    ("appraisal", "it has 36 entries for 35 distinct works"),
])
def test_chapters_state_numbers_computed_from_the_data(book, name, sentence):
    assert sentence in text_of(page(book, f"chapters/{name}.html"))


def test_the_audit_page_states_the_counts_of_the_registered_checks(book):
    from compendium.analysis import audit

    counts = audit.class_counts(audit.run_audit(audit.load_bundle(book / "data", book / "references.bib")))
    sentence = (" ".join(f"{name} {counts[name]}" for name in audit.CLASSES) + f" all checks {counts['n_checks']} "
                f"findings that can change a result {counts['changes_result']}")
    assert sentence in text_of(page(book, "chapters/audit.html"))


def all_pages(project: Path) -> dict[str, BeautifulSoup]:
    html = project / "_build/html"
    return {str(p.relative_to(html)): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for sub in ("chapters", "notebooks") for p in sorted((html / sub).glob("*.html"))}


def test_the_published_record_is_stated_with_its_hashes_and_no_notice(book):
    from compendium.book.pipeline.pages import record_status

    status = record_status(book)
    assert all(s["published"] == s["current"] for s in status)
    text = text_of(page(book, "chapters/record.html"))
    assert "This book reproduces the published record" in text
    for s in status:
        assert f"{s['path']} {s['current'][:12]} {s['current'][:12]} matches" in text
    assert all(soup.select(".bd-header-announcement") == [] for soup in all_pages(book).values())


def test_a_chapter_handout_holds_page_notebook_data_and_readme(built):
    import zipfile

    done = run(["-m", "compendium", "chapter", "results"], cwd=built)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(built / "_build/handouts/results-student.zip") as archive:
        names = set(archive.namelist())
        readme = archive.read("README.md").decode()
    assert {"README.md", "book/chapters/results.html", "notebooks/04_results.ipynb", "data/findings.csv",
            "data/datapackage.json", "references.bib", "src/compendium/analysis/data.py", "requirements.txt"} <= names
    assert any(name.startswith("book/_images/") for name in names)
    assert any(name.startswith("book/_static/") and name.endswith(".css") for name in names)
    assert "notebooks/05_discussion.ipynb" not in names
    assert "`data/findings.csv`" in readme and "PYTHONPATH=../src papermill 04_results.ipynb" in readme
    assert "student edition" in readme and "INSTRUCTORS.md" not in names
    done = run(["-m", "compendium", "chapter", "results", "--edition", "instructor"], cwd=built)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(built / "_build/handouts/results-instructor.zip") as archive:
        assert "INSTRUCTORS.md" in archive.namelist() and "instructor edition" in archive.read("README.md").decode()
    refused = run(["-m", "compendium", "chapter", "nowhere"], cwd=built)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[0].startswith(
        "chapter 'nowhere' is not a chapter of the book (choose one of: appraisal, audit, background,")


def test_each_chapter_links_its_zip_whose_notebook_runs_from_the_unzipped_folder(book, tmp_path):
    import subprocess
    import sys
    import zipfile

    for name in ("background", "literature", "methods", "results", "discussion", "audit"):
        [link] = page(book, f"chapters/{name}.html").select(".chapter-bundle a")
        zipped = f"{name}-student.zip"
        assert link["href"] == f"../_bundles/{zipped}" and (book / "_build/html/_bundles" / zipped).is_file()
    assert page(book, "chapters/intro.html").select(".chapter-bundle") == []
    with zipfile.ZipFile(book / "_build/html/_bundles/results-student.zip") as archive:
        archive.extractall(tmp_path / "results")
    folder = tmp_path / "results" / "notebooks"
    unzipped = {p for p in (tmp_path / "results").rglob("*")}
    log = tmp_path / "reads.jsonl"
    env = {**os.environ, "PYTHONPATH": "../src", paths.READ_LOG: str(log)}
    done = subprocess.run([sys.executable, "-m", "papermill", "04_results.ipynb", "my_04_results.ipynb",
                           "-k", "python3"], cwd=folder, env=env, capture_output=True, text=True)  # as its README says
    assert done.returncode == 0, done.stderr[-2000:]
    left = {p for p in (tmp_path / "results").rglob("*") if "__pycache__" not in p.parts} - unzipped
    assert left == {folder / "my_04_results.ipynb"}  # no build/, no egg-info: only what the reader ran
    logged = {record["path"] for record in reads.read_log(log)}
    assert logged and all(path.startswith(str(tmp_path / "results")) for path in logged)
    with zipfile.ZipFile(book / "_build/html/_bundles/data-package.zip") as archive:
        declared = [f"data/{r['path']}" for r in data.read_descriptor(book / "data")["resources"]]
        assert set(archive.namelist()) == {*declared, "data/datapackage.json", "data/README.md", "references.bib"}
    [link] = page(book, "chapters/intro.html").select("a.bundle")
    assert link["href"] == "../_bundles/data-package.zip"


def test_the_record_page_lists_each_notebook_run_and_the_locked_versions(book):
    text = text_of(page(book, "chapters/record.html"))
    for notebook in sorted((book / "notebooks").glob("*.ipynb")):
        row = (rf"notebooks/{notebook.stem}\.ipynb : executed \d{{4}}-\d\d-\d\d \d\d:\d\d UTC in [\d.]+ s, "
               r"kernel Python 3 \(python3\); Python 3\.\d+\.\d+\. Files read \(sha256, first 12 hex digits\): "
               r"(?:(?!notebooks/).)*?data/datapackage\.json [0-9a-f]{12}")
        assert re.search(row, text), notebook.stem
    findings = files.file_sha256(book / "data/findings.csv")[:12]
    assert re.search(rf"notebooks/04_results\.ipynb :(?:(?!notebooks/).)*? data/findings\.csv {findings}", text)
    pins = dict(line.split("==") for line in (book / "requirements.txt").read_text().splitlines() if "==" in line)
    assert f"pandas {pins['pandas']}" in text and f"jupyter-book {pins['jupyter-book']}" in text


def test_the_landing_page_links_the_doi_and_names_the_release_archive_when_no_repository_is_set(book):
    article = data.load_article(book / "references.bib")
    intro = page(book, "chapters/intro.html")
    assert intro.find("a", href=f"https://doi.org/{article['doi']}").get_text() == article["doi"]
    cited = yaml.safe_load((book / "CITATION.cff").read_text(encoding="utf-8"))
    sources = intro.find(string=re.compile("Its sources")).find_parent("p")  # _config.yml sets no repository
    assert re.fullmatch(rf"Its sources: the release archive dist/[a-z0-9-]+-{re.escape(cited['version'])}\.zip "
                        r"\(written by make release\), which holds every source file of the book\.",
                        sources.get_text(" ", strip=True).replace(" )", ")").replace("( ", "("))


def test_the_landing_page_cites_the_compendium_and_the_article_in_full_ready_to_copy(book):
    article = data.load_article(book / "references.bib")
    cited = yaml.safe_load((book / "CITATION.cff").read_text(encoding="utf-8"))
    intro = page(book, "chapters/intro.html")
    [brief] = intro.select("p.citation-text")  # the article, under "The article"
    shown = brief.get_text().replace("’", "'")  # typeset with a typographic apostrophe
    assert article["title"] in shown and f"({article['year']})" in shown
    texts = [block.get_text() for block in intro.select("div.citation-text pre")]
    entries = [block.get_text() for block in intro.select("div.citation-bibtex pre")]
    assert len(texts) == len(entries) == 2  # the compendium, then the article
    assert texts[0].startswith(f"{cited['authors'][0]['name']} ({str(cited['date-released'])[:4]}). {cited['title']} "
                               f"(version {cited['version']})")
    assert texts[1].startswith("Mohsin, Z., Hamza, M. A., Sajjad, & Saif, W.") and article["title"] in texts[1]
    assert texts[1].rstrip().endswith(f"https://doi.org/{article['doi']}")
    assert entries[0].startswith("@software{") and f"title = {{{{{cited['title']}}}}}" in entries[0]
    assert entries[1].startswith(f"@article{{{article['key']},") and article["title"] in entries[1]
    assert all(block.find_parent("div", class_="highlight") for block in intro.select("div.citation-text pre"))
    [cff] = [a for a in intro.select("a.download") if a["href"].endswith("CITATION.cff")]
    assert (book / "_build/html/chapters" / cff["href"]).resolve().read_bytes() == (book / "CITATION.cff").read_bytes()
    assert not [th for th in intro.select("main th") if not th.get_text(strip=True)]  # no empty header cell


def tables_after(notebook: Path, heading: str) -> int:
    """How many outputs of an executed notebook, after the markdown cell opening with ``heading``, show a table."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    start = next(i for i, cell in enumerate(cells) if "".join(cell["source"]).startswith(heading))
    return sum("<table" in "".join(output.get("data", {}).get("text/html", ""))
               for cell in cells[start:] for output in cell.get("outputs", []))


ARTICLE_CHAPTERS = ["background", "literature", "methods", "results", "discussion"]


def test_the_lab_page_labels_everything_synthetic_and_states_the_packages_alpha(book):
    from test_lab import EXAMPLE, reference_alpha

    soup = page(book, "chapters/coding_lab.html")
    fed = [exhibit for exhibit in soup.select("main figure.glued-figure, main table.glued-table")
           if exhibit.get("id") not in ("coding-rules", "coding-sheet", "lab-documents")]
    assert len(fed) == 9
    for exhibit in fed:
        caption = exhibit.find(["figcaption", "caption"]).get_text(" ", strip=True)
        assert "SYNTHETIC" in caption, exhibit.get("id")
        cells = [td.get_text() for td in exhibit.select("tbody tr td:first-child")]
        assert all(cell == "SYNTHETIC example" for cell in cells), exhibit.get("id")
    assert "SYNTHETIC example: consensus shares" in soup.select_one("#lab-comparison img")["alt"]
    for exhibit in soup.select("main figure.glued-figure, main table.glued-table"):  # frames don't read codings
        files = exhibit.select_one(".provenance").get_text(" ", strip=True)
        frame = exhibit.get("id") in ("coding-rules", "coding-sheet", "lab-documents")
        assert ("coder_a.csv" in files) != frame and "data/findings.csv" in files, exhibit.get("id")
    assert f"Here alpha is {reference_alpha(EXAMPLE):.3f}" in text_of(soup)
    notebook = page(book, "notebooks/07_coding_lab.html")
    codings_heading = notebook.find(id="the-codings")
    later = [t for t in notebook.select("main table") if codings_heading in t.find_all_previous(id="the-codings")]
    assert len(later) == tables_after(book / "notebooks/07_coding_lab.ipynb", "## The codings")
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
    with zipfile.ZipFile(built / "_build/handouts/coding_lab-student.zip") as archive:
        names = set(archive.namelist())
    assert {"notebooks/07_coding_lab.ipynb", "examples/codings/coder_a.csv", "examples/codings/SYNTHETIC.md",
            "data/coding_rules.csv"} <= names
