"""Reading a BibTeX file once: its text checked, then parsed by pybtex from that same text.

``@comment{...}`` blocks are taken out before anything looks at the text, so a key inside
one is neither defined nor a duplicate. Control characters other than tabs and line breaks
and the controls that reorder text are refused: they would reach the pages and the PDF. So is
a field the reference list cannot print as the article does (a LaTeX command other than
styles and accents, ``compendium.book.bibfields``) and a ``url`` that is not an http, https
or doi address.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from compendium.book.bibfields import unprintable_command
from compendium.escape import BIDI, for_link
from compendium.files import display_path

REQUIRED = ("author", "title", "year")
ENTRY_KEY = re.compile(r"^\s*@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", flags=re.M)
COMMENT = re.compile(r"@\s*comment\s*([{(])", flags=re.I)
CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{BIDI}]")
UNRESOLVED = "UNRESOLVED"  # the citation key of a name the reference list does not hold


@dataclass(frozen=True)
class Bibliography:
    """A BibTeX file as read: its entries by key (empty when it has problems) and its problems."""

    path: Path
    entries: Mapping = field(default_factory=dict)  # key -> pybtex Entry, in the file's order
    problems: list[str] = field(default_factory=list)


def _without_comments(text: str) -> tuple[str, int | None]:
    """``text`` with every ``@comment`` block blanked (its line breaks kept), and the line of
    an unclosed block (None when all are closed)."""
    parts, position = [], 0
    while found := COMMENT.search(text, position):
        opening = found.group(1)
        closing = "}" if opening == "{" else ")"
        depth = 0
        for index in range(found.end() - 1, len(text)):
            depth += (text[index] == opening) - (text[index] == closing)
            if depth == 0:
                break
        else:
            return text, text.count("\n", 0, found.start()) + 1
        parts += [text[position:found.start()], "\n" * text.count("\n", found.start(), index)]
        position = index + 1
    return "".join(parts) + text[position:], None


def read_bibliography(path: Path | str) -> Bibliography:
    """The BibTeX file at ``path``, with one line per problem: unreadable text, control
    characters, unclosed comments, repeated keys, parse errors, missing author, title or year."""
    from pybtex.database import parse_string
    from pybtex.scanner import PybtexError

    path = Path(path)
    where = display_path(path)
    if not path.is_file():
        return Bibliography(path, problems=[f"{where}: file not found"])
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return Bibliography(path, problems=[f"{where}: not valid UTF-8 ({exc})"])
    problems = [f"{where} line {number}: holds a control character (U+{ord(found.group()):04X})"
                for number, line in enumerate(text.split("\n"), start=1) if (found := CONTROL.search(line))]
    text, unclosed = _without_comments(text)
    if unclosed:
        problems.append(f"{where} line {unclosed}: an @comment block is never closed")
    if problems:
        return Bibliography(path, problems=problems)
    written = ENTRY_KEY.findall(text)
    keys = [key.lower() for key in written]  # BibTeX keys ignore case
    spelled = {key.lower(): key for key in reversed(written)}  # each key as first written
    problems = [f"{where} entry {spelled[key]}: the key is used {keys.count(key)} times"
                for key in sorted({k for k in keys if keys.count(k) > 1})]
    if problems:
        return Bibliography(path, problems=problems)
    try:
        database = parse_string(text, "bibtex")
    except PybtexError as exc:
        return Bibliography(path, problems=[f"{where}: does not parse as BibTeX ({str(exc).splitlines()[0]})"])
    for key, entry in database.entries.items():
        present = {name.lower() for name in entry.fields} | ({"author"} if entry.persons.get("author") else set())
        problems += [f"{where} entry {key}, field {name}: missing but required" for name in REQUIRED
                     if name not in present]
        problems += _field_problems(f"{where} entry {key}", entry.fields)
    return Bibliography(path, {} if problems else database.entries, problems)


def _field_problems(at: str, fields: Mapping) -> list[str]:
    """A field holding a LaTeX command the book does not print, and a url that would not be a safe link."""
    lines = [f"{at}, field {name}: holds the LaTeX command {command}, which the reference list does not print "
             "(it prints \\emph, \\textit, \\textbf and accents)"
             for name, value in fields.items() if (command := unprintable_command(value))]
    if "url" in fields and for_link(fields["url"]) is None:
        lines.append(f"{at}, field url: {fields['url']!r} is not an http, https or doi address")
    return lines
