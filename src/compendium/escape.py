"""One escaping function per target: every value from data that reaches a page passes one.

- ``for_html``: text inside an HTML element or attribute value;
- ``for_myst``: text pasted into MyST Markdown source (chapters the build writes).

Each turns the value into text that its target shows literally: no markup, role, math,
link, include or command can come from a value. Line breaks and other control characters
become spaces, so a value stays on the line it was pasted into.
"""
from __future__ import annotations

import html
import re

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
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
