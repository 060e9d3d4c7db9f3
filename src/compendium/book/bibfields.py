"""A BibTeX field as the reference list prints it: the LaTeX the book understands, and only that.

A field is LaTeX: ``%`` outside ``\\%`` would end it as a comment, so it is taken as the
percent sign it stands for in a title ("100% sure"); ``#`` and ``&`` print as themselves.
``\\emph{…}`` and ``\\textit{…}`` print in italics, ``\\textbf{…}`` in bold, accents and
special letters (``\\'{e}``, ``\\c{c}``, ``\\ss``) as the letters they make. Any other command
(``\\url``, ``\\cite``, ``\\input``, …) is refused by the bibliography's check, naming it.
"""
from __future__ import annotations

import re

from pybtex.richtext import Tag, Text

STYLED = {"emph": "em", "textit": "em", "textbf": "strong"}
LETTERS = {"c", "v", "u", "H", "k", "r", "d", "b", "t", "o", "O", "ss", "ae", "AE", "aa", "AA", "l", "L", "i",
           "j", "oe", "OE"}  # accents and letters that latexcodec decodes
COMMAND = re.compile(r"\\([A-Za-z]+)")
STYLED_GROUP = re.compile(r"\\(emph|textit|textbf)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
BARE_PERCENT = re.compile(r"(?<!\\)%")


def unprintable_command(value: str) -> str | None:
    """The first LaTeX command in ``value`` that the book does not print (``\\url``), or None."""
    return next((f"\\{name}" for name in COMMAND.findall(value) if name not in STYLED and name not in LETTERS), None)


def field_text(value: str) -> Text:
    """``value`` (a BibTeX field) as rich text: styled groups as tags, the rest decoded from LaTeX."""
    parts, at = [], 0
    for found in STYLED_GROUP.finditer(value):
        parts += [_plain(value[at:found.start()]), Tag(STYLED[found.group(1)], field_text(found.group(2)))]
        at = found.end()
    return Text(*parts, _plain(value[at:]))


def _plain(value: str) -> Text:
    """Text between styled groups, decoded from LaTeX; a space at either end is kept (the decoder drops it)."""
    core = value.strip()
    before, after = " " * (value[:1].isspace() and bool(core)), " " * (value[-1:].isspace() and bool(core))
    return Text(before, Text.from_latex(BARE_PERCENT.sub(r"\\%", core)), after) if core else Text(value[:1] and " ")
