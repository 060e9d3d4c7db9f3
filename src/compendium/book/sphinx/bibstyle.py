"""The pybtex style of the book's bibliography: each entry as the article's reference list prints it.

``AsPrinted`` (registered as ``as_printed`` under ``pybtex.style.formatting`` in
``pyproject.toml``) writes APA-like entries in the article's form:

    Surname, A. B., & Other, C. (2005). Title as stored. *Journal*, 49(2), 345–365. https://doi.org/…
    Surname, A. (2018). *Book title as stored*. Publisher.
    Surname, A. (2026). Report title as stored. *Report series*.

Fields are printed as stored (no case changes: every field is ``Protected``) and only the
fields a form prints are used; nothing is added that the entry does not hold. A title is
italic unless the entry names a venue (``journal``, ``booktitle``, or a report ``series``),
which is then italic instead. Entries are sorted by author, year and title; their labels are
the book's reference labels (``compendium.reference_labels`` in ``_config.yml``; by default
author-year labels, :func:`compendium.book.labels.author_year`), and the year an entry
prints is the year of its label, so a repeated label's letter (2015a) shows in both.
"""
from __future__ import annotations

import re
from pathlib import Path

from pybtex.backends.plaintext import Backend as PlainText
from pybtex.database import Entry, Person
from pybtex.richtext import HRef, Protected, Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import FieldIsMissing

from compendium.book import project
from compendium.book.bibfields import field_text
from compendium.escape import for_link

REPORTS = ("techreport", "report")  # types whose ``series`` is printed as their venue
PUBLISHERS = ("publisher", "institution", "organization", "school", "howpublished")
LABEL_YEAR = re.compile(r"\(([^()]+)\)$")


def _printed(entry: Entry, name: str) -> Text:
    """A field as stored (the LaTeX the book prints decoded: ``bibfields``), protected from any case change."""
    if name not in entry.fields:
        raise FieldIsMissing(name, entry)
    return Text(Protected(field_text(entry.fields[name])))


def _surname(person: Person) -> Text:
    return Text(" ").join([*person.rich_prelast_names, *person.rich_last_names])


def _author(person: Person) -> Text:
    """'Surname, A. B.' (given names as initials; a name given as one part stays as it is)."""
    initials = [name.abbreviate() for name in [*person.rich_first_names, *person.rich_middle_names]]
    parts = [_surname(person), Text(" ").join(initials), Text(" ").join(person.rich_lineage_names)]
    return Text(", ").join([part for part in parts if part])


def _authors(entry: Entry) -> Text:
    """'A', 'A, & B' or 'A, B, & C': the article's (APA's) list of authors."""
    if not entry.persons.get("author"):
        raise FieldIsMissing("author", entry)
    names = [_author(person) for person in entry.persons["author"]]
    return names[0] if len(names) == 1 else Text(Text(", ").join(names[:-1]), ", & ", names[-1])


def _locator(entry: Entry) -> Text:
    """The DOI as a link written https://doi.org/…, else the URL, else nothing. Only an http,
    https or doi address is a link (``escape.for_link``); any other shows as text."""
    if "doi" in entry.fields:
        url = "https://doi.org/" + entry.fields["doi"]
    elif "url" in entry.fields:
        url = entry.fields["url"]
    else:
        return Text()
    target = for_link(url)
    return Text(HRef(target, url)) if target else Text(url)


def _optional(entry: Entry, name: str) -> Text:
    return _printed(entry, name) if name in entry.fields else Text()


def _numbering(entry: Entry) -> Text:
    """', 49(2), 345–365' from volume, number and pages, each as stored and only if present."""
    volume = _optional(entry, "volume")
    if "number" in entry.fields:
        volume = Text(volume, "(", _printed(entry, "number"), ")")
    return Text(*[Text(", ", part) for part in (volume, _optional(entry, "pages")) if part])


def _venue(entry: Entry) -> str | None:
    """The field naming where a work appeared (a journal, a collection, a report series), if any."""
    venues = ("journal", "booktitle", *(("series",) if entry.type in REPORTS else ()))
    return next((name for name in venues if name in entry.fields), None)


def _body(entry: Entry) -> Text:
    """Everything after the year: title, venue or publisher, numbering, locator."""
    title = _printed(entry, "title")
    venue = _venue(entry)
    publisher = next((name for name in PUBLISHERS if name in entry.fields), None)
    if venue == "booktitle":
        pages = Text(" (pp. ", _printed(entry, "pages"), ")") if "pages" in entry.fields else Text()
        sentences = [title, Text("In ", Tag("em", _printed(entry, venue)), pages)]
    elif venue:
        sentences = [title, Text(Tag("em", _printed(entry, venue)), _numbering(entry))]
    else:
        version = Text(" (Version ", _printed(entry, "version"), ")") if "version" in entry.fields else Text()
        sentences = [Text(Tag("em", title), version)]
    if publisher and venue != "journal":
        sentences.append(_printed(entry, publisher))
    parts = [*(sentence.add_period() for sentence in sentences), _locator(entry)]
    return Text(" ").join([part for part in parts if part])


def _label_year(label: str, entry: Entry) -> str:
    """The year in an author-year label, with its letter ('2015a'); the entry's year otherwise."""
    found = LABEL_YEAR.search(label or "")
    if found:
        return found.group(1)
    if "year" not in entry.fields:
        raise FieldIsMissing("year", entry)
    return entry.fields["year"]


PLAIN = PlainText()  # render_as("text") would look the backend up among the entry points on every call


class BookLabels(BaseLabelStyle):
    """The labels the book declares (``compendium.reference_labels``), from each entry's surnames and year."""

    book = Path.cwd()  # the book being rendered: set when Sphinx starts (``setup``)

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        # an entry without authors is labelled by its key here; printing it fails, naming the field
        authors = [[_surname(person).render(PLAIN) for person in entry.persons.get("author", [])] or [entry.key]
                   for entry in entries]
        labels = project.load(self.book).hook("reference_labels")
        return labels(authors, [entry.fields.get("year", "n.d.") for entry in entries])


class AsPrinted(BaseStyle):
    """Entries as the article prints them (see the module's docstring)."""

    default_label_style = BookLabels
    default_sorting_style = "author_year_title"

    def format_entry(self, label, entry, bib_data=None) -> FormattedEntry:
        year = Protected(_label_year(label, entry))
        text = Text(_authors(entry).add_period(), " (", year, "). ", _body(entry))
        return FormattedEntry(entry.key, text, label)


def _book_of(app, config) -> None:
    BookLabels.book = Path(app.srcdir)


def setup(app):
    app.connect("config-inited", _book_of)
