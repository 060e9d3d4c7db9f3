"""One escaping function per target: every value from data that reaches a page passes one.

- ``for_html``: text inside an HTML element or attribute value;
- ``for_myst``: text pasted into MyST Markdown source (chapters the build writes);
- ``for_link``: an address from data or a bibliography, kept only when it is http, https or doi;
- ``for_csv``: a text cell of a CSV download, kept from being run as a formula by a spreadsheet.

Each turns the value into text that its target shows literally: no markup, role, math,
link, include or command can come from a value. Line breaks, other control characters and
the controls that reorder text (bidirectional embeddings, overrides, isolates and marks)
become spaces, so a value stays on the line it was pasted into and reads in its own order.
"""
from __future__ import annotations

import html
import re

BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional marks, embeddings, overrides, isolates
CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI}]")
LINK_SCHEMES = ("http", "https", "doi")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP: what a spreadsheet takes for a formula
NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
MYST_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def _one_line(value: object) -> str:
    return CONTROL.sub(" ", str(value))


def for_html(value: object) -> str:
    """``value`` as HTML text: ``&``, ``<``, ``>`` and both quotes as entities."""
    return html.escape(_one_line(value), quote=True)


def for_myst(value: object) -> str:
    """``value`` as MyST Markdown text: every ASCII punctuation character backslash-escaped.

    CommonMark lets any ASCII punctuation be escaped, so emphasis, links, roles, raw HTML,
    dollar math, table pipes and directive fences all lose their meaning.
    """
    return MYST_SPECIAL.sub(r"\\\1", _one_line(value))


def for_link(address: object) -> str | None:
    """``address`` as a link target, or None when it is not an http, https or doi address
    (``doi:10.x/y`` becomes ``https://doi.org/10.x/y``, which a browser opens).

    Spaces around it are dropped; an address with a control character or a space inside is
    refused (a browser drops those from a scheme: ``java\tscript:``)."""
    text = str(address).strip()
    found = SCHEME.match(text)
    if not found or found.group(1).lower() not in LINK_SCHEMES or CONTROL.search(text) or " " in text:
        return None
    return "https://doi.org/" + text[len("doi:"):] if found.group(1).lower() == "doi" else text


def for_csv(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a text starting (after any spaces) with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` unless it is a plain
    number; anything
    that is not text (numbers, missing values) is returned as it is."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value
