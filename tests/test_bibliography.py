"""references.bib holds the article's reference list as printed, and the book's style prints it so."""
from __future__ import annotations

import re

import pytest
from conftest import ROOT
from pybtex.database import parse_file, parse_string
from pybtex.plugin import find_plugin
from pybtex.style.template import FieldIsMissing
from reference_list import parts, printed_entries

from compendium.book.sphinx.bibstyle import AsPrinted

needs_article = pytest.mark.usefixtures("article_lines")  # the article's text: skipped without it, failed in CI


def listed_entries():
    """The entries of references.bib that make up the article's list, in file order."""
    entries = parse_file(str(ROOT / "references.bib"), bib_format="bibtex").entries
    return [entry for entry in entries.values() if "republished" not in entry.fields.get("keywords", "")]


def fields_as_printed(entry_type: str, printed: dict) -> dict:
    """The BibTeX fields a printed entry gives, named for the entry's type."""
    fields = {"year": printed["year"], "title": printed["title"]}
    if printed["form"] == "book":
        fields["publisher" if entry_type == "book" else "institution"] = printed["publisher"]
    else:
        fields["journal" if entry_type == "article" else "series"] = printed["venue"]
        fields.update({name: printed[name] for name in ("volume", "number", "pages", "doi") if name in printed})
    return fields


def rendered(bib: str, **style_options) -> list[tuple[str, str]]:
    """(label, entry as HTML without pybtex's protection spans) for each entry of a BibTeX string."""
    style = AsPrinted(**style_options)
    entries = parse_string(bib, "bibtex").entries.values()
    return [(e.label, re.sub(r"</?span[^>]*>", "", e.text.render_as("html"))) for e in style.format_entries(entries)]


@needs_article
def test_references_bib_holds_every_printed_field_byte_for_byte():
    printed = printed_entries()
    entries = listed_entries()
    assert len(entries) == len(printed) == 36
    for entry, line in zip(entries, printed, strict=True):
        parsed = parts(line)
        assert [str(person) for person in entry.persons["author"]] == parsed["authors"], line
        assert dict(entry.fields) == fields_as_printed(entry.type, parsed), line
        assert entry.type in ({"book", "techreport"} if parsed["form"] == "book" else {"article", "techreport"})


@needs_article
def test_the_style_prints_every_entry_of_the_list_as_the_article_does():
    style = find_plugin("pybtex.style.formatting", "as_printed")()  # as _config.yml names it
    formatted = list(style.format_entries(listed_entries()))
    as_markdown = [re.sub(r"</?em>", "*", re.sub(r"<a href=[^>]*>|</a>|</?span[^>]*>", "",
                                                 entry.text.render_as("html"))).replace("&amp;", "&")
                   for entry in formatted]
    assert as_markdown == printed_entries()
    assert [entry.label for entry in formatted][:4] == ["Acharya (2018)", "Beardsley (2011)",
                                                         "Bercovitch & DeRouen (2005)", "Bercovitch & Gartner (2006)"]


def test_each_form_prints_only_the_fields_it_holds_without_changing_case():
    bib = r"""
    @article{a, author = {Ames, A. B. and Bell, Carol}, year = {2001}, title = {The US and {NATO}: Why?},
                journal = {Journal of X}, volume = {4}, number = {2}, pages = {1–9}, doi = {10.1/x_y},
                publisher = {Unprinted Press}, month = {May}}
    @book{b, author = {Cole, D. and Dunn, E. and Eve, F.}, year = {2010}, title = {A book on Iran},
             publisher = {Press}}
    @techreport{c, author = {Fox, G.}, year = {2020}, title = {A report on Pakistan}, series = {Think Tank Brief}}
    @techreport{d, author = {Gray, H.}, year = {2021}, title = {Another report}, institution = {Service}}
    @misc{e, author = {{Tool Makers}}, year = {2022}, title = {pybtool}, version = {1.2}, url = {https://x.org/t}}
    """
    assert rendered(bib) == [
        ("Ames & Bell (2001)", 'Ames, A. B., &amp; Bell, C. (2001). The US and NATO: Why? <em>Journal of X</em>, '
                               '4(2), 1–9. <a href="https://doi.org/10.1/x_y">https://doi.org/10.1/x_y</a>'),
        ("Cole et al. (2010)", "Cole, D., Dunn, E., &amp; Eve, F. (2010). <em>A book on Iran</em>. Press."),
        ("Fox (2020)", "Fox, G. (2020). A report on Pakistan. <em>Think Tank Brief</em>."),
        ("Gray (2021)", "Gray, H. (2021). <em>Another report</em>. Service."),
        ("Tool Makers (2022)", 'Tool Makers. (2022). <em>pybtool</em> (Version 1.2). '
                               '<a href="https://x.org/t">https://x.org/t</a>'),
    ]


def test_a_repeated_label_gets_a_letter_in_the_label_and_in_the_printed_year():
    bib = r"""
    @book{x1, author = {Touval, S. and Zartman, I. W.}, year = {2015}, title = {B second}, publisher = {P}}
    @book{x2, author = {Touval, S. and Zartman, I. W.}, year = {2015}, title = {A first}, publisher = {P}}
    @book{x3, author = {Touval, S. and Zartman, I. W.}, year = {2016}, title = {C}, publisher = {P}}
    @book{x4, author = {Touval, S.}, year = {2015}, title = {D}, publisher = {P}}
    """
    assert rendered(bib) == [
        ("Touval (2015)", "Touval, S. (2015). <em>D</em>. P."),
        ("Touval & Zartman (2015a)", "Touval, S., &amp; Zartman, I. W. (2015a). <em>A first</em>. P."),
        ("Touval & Zartman (2015b)", "Touval, S., &amp; Zartman, I. W. (2015b). <em>B second</em>. P."),
        ("Touval & Zartman (2016)", "Touval, S., &amp; Zartman, I. W. (2016). <em>C</em>. P."),
    ]


def test_a_missing_field_fails_naming_it_rather_than_printing_less():
    with pytest.raises(FieldIsMissing, match="title"):
        rendered("@book{k, author = {Ames, A.}, year = {2001}, publisher = {P}}")


def test_an_entry_without_authors_fails_naming_the_field():
    with pytest.raises(FieldIsMissing, match="author"):
        rendered("@book{k, year = {2001}, title = {T}, publisher = {P}}")


@pytest.mark.parametrize("title, printed", [
    ("100% sure: #1 on the list", "100% sure: #1 on the list"),
    ("Rates of 5 \\% and 10% & more", "Rates of 5 % and 10% &amp; more"),
    ("The \\emph{Big} idea", "The <em>Big</em> idea"),
    ("\\textit{Realpolitik} \\textbf{now}", "<em>Realpolitik</em> <strong>now</strong>"),
    ("Caf\\'{e} \\c{c}a", "Café ça"),
])
def test_a_title_prints_as_the_article_would_print_it(title, printed):
    entry = "@book{a2020, author = {Alpha, A.}, year = {2020}, title = {%s}, publisher = {P}}" % title
    assert rendered(entry)[0][1] == f"Alpha, A. (2020). <em>{printed}</em>. P."


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "  JaVaScRiPt:alert(1)", "data:text/html,x",
                                 "vbscript:msgbox(1)", "file:///etc/passwd"])
def test_a_reference_address_that_is_not_http_https_or_doi_is_no_link(url):
    entry = "@misc{a2020, author = {Alpha, A.}, year = {2020}, title = {T}, url = {%s}}" % url
    html = rendered(entry)[0][1]
    assert "<a " not in html and "href" not in html
    assert html.endswith(url.strip())


def test_a_doi_and_an_https_address_are_links():
    both = ("@misc{a2020, author = {Alpha, A.}, year = {2020}, title = {T}, url = {https://example.org/x}}\n"
            "@misc{b2020, author = {Beta, B.}, year = {2020}, title = {T}, doi = {10.1/x}}")
    assert [html.split("</em>. ")[-1] for _, html in rendered(both)] == [
        '<a href="https://example.org/x">https://example.org/x</a>',
        '<a href="https://doi.org/10.1/x">https://doi.org/10.1/x</a>']
