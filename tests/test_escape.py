"""Each escaping function makes hostile values show literally in its target."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from compendium.escape import for_csv, for_html, for_link, for_myst

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "a \"quoted\" 'value' & more",
    "{glue:text}`../notebooks/04_results.ipynb::sample_n:d`",
    "[link](javascript:alert(1)) and ![img](x.png)",
    "$\\input{/etc/passwd}$ and $$x$$",
    "```{include} /etc/passwd\n```",
    "| a | b |\n| --- | --- |",
    "*emph* _under_ **strong** ~strike~ # heading",
    "\\textbf{x} 100% #1 ^ ~ _ & {}",
    "line one\nline two\r\x00\x1b[31m",
    "data/My Projects/x.csv",
]
BIDI_CONTROLS = [chr(c) for c in [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


@pytest.mark.parametrize("value", HOSTILE)
def test_html_text_reads_back_as_the_value(value):
    soup = BeautifulSoup(f'<p title="{for_html(value)}">{for_html(value)}</p>', "html.parser")
    shown = " ".join(value.split()).replace("\x00", "").replace("\x1b", " ")
    assert [tag.name for tag in soup.find_all(True)] == ["p"]
    assert " ".join(soup.p.get_text().split()) == " ".join(shown.split())
    assert " ".join(soup.p["title"].split()) == " ".join(shown.split())


@pytest.mark.parametrize("value", HOSTILE)
def test_myst_text_parses_to_one_paragraph_of_the_value(value):
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    doctree = publish_doctree(for_myst(value), parser=Parser(),
                              settings_overrides={"myst_enable_extensions": ["dollarmath", "colon_fence"],
                                                  "report_level": 5})
    kinds = {type(node).__name__ for node in doctree.findall() if node is not doctree}
    assert kinds <= {"paragraph", "Text"}, kinds
    assert " ".join(doctree.astext().split()) == " ".join(value.replace("\x00", " ").replace("\x1b", " ").split())


@pytest.mark.parametrize("value", HOSTILE)
def test_myst_text_stays_in_its_table_cell(value):
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    source = f"| file | status |\n| --- | --- |\n| {for_myst(value)} | matches |\n"
    doctree = publish_doctree(source, parser=Parser(), settings_overrides={
        "myst_enable_extensions": ["dollarmath", "colon_fence"], "report_level": 5})
    rows = [[" ".join(entry.astext().split()) for entry in row.findall(lambda n: n.tagname == "entry")]
            for row in doctree.findall(lambda n: n.tagname == "row")]
    shown = " ".join(value.replace("\x00", " ").replace("\x1b", " ").split())
    assert rows == [["file", "status"], [shown, "matches"]]


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BIDI_CONTROLS])
def test_no_control_that_reorders_text_reaches_a_page(control):
    assert for_html(f"18 documents{control}, or 36%") == "18 documents , or 36%"
    assert for_myst(f"a{control}b") == "a b"


@pytest.mark.parametrize("address, target", [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("http://example.org", "http://example.org"),
    ("  HTTPS://example.org  ", "HTTPS://example.org"),
    ("doi:10.1093/isr/vix023", "https://doi.org/10.1093/isr/vix023"),
    ("javascript:alert(document.cookie)", None),
    ("  JaVaScRiPt:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("java\nscript:alert(1)", None),
    ("data:text/html;base64,PHNjcmlwdD4=", None),
    ("vbscript:msgbox(1)", None),
    ("file:///etc/passwd", None),
    ("ftp://example.org/x", None),
    ("//evil.example/x", None),
    ("relative/page.html", None),
    ("https://example.org/\u202egnp.exe", None),
    ("https://exa mple.org", None),
])
def test_a_link_from_data_is_http_https_or_doi_only(address, target):
    assert for_link(address) == target


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("  =1+1", "'  =1+1"),
    ("-", "'-"),
    ("-12", "-12"), ("+0.5", "+0.5"), ("1e-3", "1e-3"),
    ("Communication facilitation", "Communication facilitation"),
    (18, 18), (0.36, 0.36), (None, None),
])
def test_a_csv_cell_never_starts_a_formula_and_numbers_stay_numbers(cell, written):
    assert for_csv(cell) == written


def test_a_table_download_keeps_formulas_as_text_and_numbers_as_numbers():
    import csv
    import io

    import pandas as pd

    from compendium.book.tables import PublishedTable

    data = pd.DataFrame({"label": ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "Trust building"],
                         "n_sources": [18, 0, 12], "share": [0.36, 0.0, 0.24], "note": ["-", None, "-5"]})
    written = list(csv.reader(io.StringIO(PublishedTable(data)._repr_mimebundle_()["text/csv"])))
    assert written == [["label", "n_sources", "share", "note"],
                       ["'=HYPERLINK(\"http://x\",\"y\")", "18", "0.36", "'-"],
                       ["'@SUM(A1)", "0", "0.0", ""],
                       ["Trust building", "12", "0.24", "-5"]]
