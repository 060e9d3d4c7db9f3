"""The PDF's title page and document information (title, authors, subject, keywords, dates), from
the book's title (``_config.yml``) and its citation metadata (``CITATION.cff``, a source of the book).

The release date of ``CITATION.cff`` (``date-released``) is the one date of the PDF: the title page
prints it and it is the creation and modification date of the document, so the same sources give
the same metadata whenever and wherever the PDF is made. The work the book republishes (the first
of the citation's ``references``) makes the subject and the title page's line under the authors.
"""
from __future__ import annotations

from pathlib import Path

from sphinx.util.i18n import format_date
from sphinx.util.texescape import escape

from compendium.book.citation import citation, names, released


def _surnames(people: list) -> str:
    """'A, B & C' from the family names (or names) of a work's authors."""
    names = [person.get("family-names") or person.get("name", "") for person in people or []]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} & {names[-1]}"


def republished(cited: dict) -> str:
    """The work the book republishes, in a line: 'A, B & C (2026). Title. Journal, 5(3). https://doi.org/…'."""
    works = [ref for ref in cited.get("references") or [] if isinstance(ref, dict)]
    if not works:
        return ""
    work = works[0]
    issue = f"({work['issue']})" if "issue" in work else ""
    venue = ", ".join(str(part) for part in (work.get("journal"), f"{work.get('volume', '')}{issue}") if part)
    doi = f"https://doi.org/{work['doi']}" if "doi" in work else ""
    parts = [f"{_surnames(work.get('authors'))} ({work.get('year', 'n.d.')})", work.get("title"), venue, doi]
    return ". ".join(str(part).rstrip(".") for part in parts if part)


def _tex(text: str) -> str:
    return escape(str(text), "xelatex")


def document_information(title: str, cited: dict) -> str:
    """LaTeX that sets the PDF's title, authors, subject, keywords and dates."""
    day = released(cited)
    stamp = f"D:{day:%Y%m%d}000000Z" if day else ""
    fields = {"pdftitle": title, "pdfauthor": ", ".join(names(cited.get("authors"))),
              "pdfsubject": f"Executable compendium of {republished(cited)}" if republished(cited) else "",
              "pdfkeywords": ", ".join(str(k) for k in cited.get("keywords") or []),
              "pdfcreationdate": stamp, "pdfmoddate": stamp}
    return "\\hypersetup{%s}" % ", ".join(f"{key}={{{_tex(value) if 'date' not in key else value}}}"
                                          for key, value in fields.items() if value)


def title_page(title: str, release: str, today: str, cited: dict) -> str:
    """LaTeX of the title page: title, authors, the work republished, release and date, keywords."""
    day = released(cited)
    date = f"{day:%d %B %Y}".lstrip("0") if day else today
    authors = names(cited.get("authors"))
    work = republished(cited)
    keywords = ", ".join(str(k) for k in cited.get("keywords") or [])
    lines = [
        document_information(title, cited),  # before the first page is shipped out, which writes it
        "\\begin{titlepage}\\raggedright\\py@HeaderFamily",
        "\\noindent\\rule{\\textwidth}{1pt}\\par\\vspace{2.5em}",
        f"{{\\huge\\bfseries {_tex(title)}\\par}}\\vspace{{2em}}",
        f"{{\\Large {_tex(', '.join(authors))}\\par}}\\vspace{{2.5em}}" if authors else "",
        f"{{\\large An executable compendium of\\par}}\\vspace{{0.6em}}{{\\normalfont {_tex(work)}\\par}}"
        if work else "",
        "\\vfill",
        f"{{\\large Release {_tex(release)}, {_tex(date)}\\par}}\\vspace{{0.6em}}",
        f"{{\\small Keywords: {_tex(keywords)}\\par}}\\vspace{{1em}}" if keywords else "",
        "\\noindent\\rule{\\textwidth}{1pt}",
        "\\end{titlepage}",
    ]
    return "\\makeatletter\n" + "\n".join(line for line in lines if line) + "\n\\makeatother\n"


def _title_page(app) -> None:
    if app.builder.format != "latex":
        return
    config = app.config
    today = config.today or format_date(config.today_fmt or "%d %B %Y", language=config.language)
    title = config.html_title or config.project
    app.builder.context["maketitle"] = title_page(title, config.release, today, citation(Path(app.srcdir)))


def setup(app):
    app.connect("builder-inited", _title_page)  # the LaTeX builder has read its settings and can escape text
