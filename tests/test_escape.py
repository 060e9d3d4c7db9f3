"""Each escaping function makes hostile values show literally in its target."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from compendium.escape import for_html, for_myst

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
