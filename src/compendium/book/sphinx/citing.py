"""How to cite the book and the work it republishes, generated, never typed.

``{citation} compendium`` shows the book's citation from ``CITATION.cff`` (authors, title,
version, year of ``date-released``) and where its sources come from: the repository of
``_config.yml`` (``repository: url:``) when one is set, otherwise the release archive
``dist/<slug>-<version>.zip`` that ``make release`` writes. ``{citation} article`` shows the
republished work, the first of ``references`` in ``CITATION.cff``, as its entry in the book's
bibliography (the entry with the same DOI) gives it. Each comes as a formatted reference and as
BibTeX, in blocks a reader copies with one click (the copy button of every code block), or
with ``:brief:`` as the formatted reference alone.
"""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from pybtex.database import BibliographyData, parse_file
from sphinx.util.docutils import SphinxDirective

from compendium.book.bibfields import field_text
from compendium.book.citation import CITATION, citation, names, release_archive, republished_doi, slug


def sources_of(cited: dict, repository: str) -> str:
    """Where the book's sources come from: its repository, or its release archive."""
    return repository or release_archive(cited)


def compendium_reference(cited: dict, repository: str) -> tuple[str, str]:
    """The book's citation, formatted and as BibTeX."""
    authors, year = names(cited.get("authors")), str(cited.get("date-released", ""))[:4]
    title, version = str(cited.get("title", "")), str(cited.get("version", ""))
    where = repository or f"release archive {sources_of(cited, repository)}"
    text = f"{' & '.join(authors)} ({year}). {title} (version {version}) [Computer software]. {where}."
    fields = {"author": " and ".join(f"{{{name}}}" for name in authors), "title": f"{{{title}}}",
              "version": version, "year": year, ("url" if repository else "note"): where}
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    return text, f"@software{{{slug(cited).replace('-', '_')}_{year},\n{body}\n}}"


def _initials(given: list[str]) -> str:
    return " ".join(f"{part[0]}." for name in given for part in name.split("-") if part)


def article_reference(root: Path, cited: dict, bibliographies: list[str]) -> tuple[str, str]:
    """The republished work (first of ``references`` in CITATION.cff) as its bibliography entry
    with the same DOI gives it, formatted and as BibTeX."""
    doi = republished_doi(cited) or ""
    for name in bibliographies:
        entries = parse_file(str(root / name), "bibtex").entries
        for key, entry in entries.items():
            if doi and entry.fields.get("doi", "").lower() == doi.lower():
                people = [" ".join([*p.last_names]) + (f", {_initials(p.first_names + p.middle_names)}"
                                                       if p.first_names else "")
                          for p in entry.persons.get("author", [])]
                authors = ", ".join(people[:-1]) + f", & {people[-1]}" if len(people) > 1 else "".join(people)
                title = field_text(entry.fields.get("title", "")).render_as("text")
                text = f"{authors} ({entry.fields.get('year', '')}). {title}. https://doi.org/{doi}"
                kept = {k: v for k, v in entry.fields.items() if k in ("year", "title", "doi", "journal", "volume",
                                                                      "number", "pages")}
                clean = type(entry)(entry.type, fields=kept, persons={"author": entry.persons.get("author", [])})
                return text, BibliographyData({key: clean}).to_string("bibtex").strip()
    raise ValueError(f"no entry of {', '.join(bibliographies)} has the DOI {doi!r} of {CITATION}'s first reference")


class Citation(SphinxDirective):
    """``{citation} compendium|article``: a formatted reference and its BibTeX, each ready to copy
    (with ``:brief:``, the formatted reference alone, as a paragraph)."""

    required_arguments = 1
    option_spec = {"brief": directives.flag}

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        self.env.note_dependency(str(root / CITATION))
        cited = citation(root)
        repository = (self.config.html_theme_options or {}).get("repository_url") or ""
        try:
            if self.arguments[0] == "compendium":
                text, bibtex = compendium_reference(cited, repository)
            elif self.arguments[0] == "article":
                for name in self.config.bibtex_bibfiles:
                    self.env.note_dependency(str(root / name))
                text, bibtex = article_reference(root, cited, list(self.config.bibtex_bibfiles))
            else:
                raise self.error(f"citation: {self.arguments[0]!r} is neither 'compendium' nor 'article'")
        except ValueError as exc:
            raise self.error(f"citation {self.arguments[0]}: {exc}") from None
        if "brief" in self.options:
            return [nodes.paragraph(text, text, classes=["citation-text"])]
        formatted = nodes.literal_block(text, text, language="text", classes=["citation-text"])
        entry = nodes.literal_block(bibtex, bibtex, language="bibtex", classes=["citation-bibtex"])
        return [nodes.paragraph("", "As text:"), formatted, nodes.paragraph("", "As BibTeX:"), entry]


class Sources(SphinxDirective):
    """``{sources}``: a sentence saying where the book's sources come from: its repository, when
    ``_config.yml`` names one, or else its release archive."""

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        self.env.note_dependency(str(root / CITATION))
        repository = (self.config.html_theme_options or {}).get("repository_url") or ""
        where = sources_of(citation(root), repository)
        if repository:
            return [nodes.paragraph("", "", nodes.Text("Its sources: the repository "),
                                    nodes.reference(where, where, refuri=where), nodes.Text("."))]
        return [nodes.paragraph("", "", nodes.Text("Its sources: the release archive "), nodes.literal(where, where),
                                nodes.Text(" (written by "), nodes.literal("make release", "make release"),
                                nodes.Text("), which holds every source file of the book."))]


def setup(app):
    app.add_directive("citation", Citation)
    app.add_directive("sources", Sources)
