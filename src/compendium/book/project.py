"""What the engine needs to know about a book, declared by the book in ``_config.yml``.

The engine knows nothing of any one book's content. A book says, under the key
``compendium`` of its ``_config.yml``::

    compendium:
      sources: [references.bib, chapters, notebooks, data]   # rendered beside _config.yml and _toc.yml
      code: [src/mybook, requirements.txt]   # what every notebook's results also depend on
      validate: mybook.checks:validate_all   # (root) -> one line per problem, before anything runs
      parameters: mybook.reruns:PARAMETERS   # name -> compendium.book.commands.parameters.Parameter
      validate_run: mybook.reruns:validate_run   # (root, values) -> one line per problem of a rerun
      reference_labels: mybook.labels:author_year   # (authors, years) -> one label per entry
      statements: data/statements.csv   # the article's statements that {stmt} pins
      preimport: [pandas, mybook.figures]   # modules make serve's kernels import before they are needed

Hooks are named ``module:attribute`` and imported only when used; every key is optional.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from compendium.book.messages import BuildError

CONFIG = "_config.yml"
SECTION = "compendium"
DEFAULTS = {
    "sources": ["references.bib", "chapters", "notebooks", "data"],
    "code": ["requirements.txt"],
    "validate": None,
    "parameters": None,
    "validate_run": None,
    "reference_labels": "compendium.book.labels:author_year",
    "statements": "data/statements.csv",
    "preimport": [],
}


@dataclass(frozen=True)
class Project:
    """A book's declaration (``_config.yml``, key ``compendium``), with the defaults filled in."""

    root: Path
    settings: dict
    published_url: str = ""  # where the book is published (``html: baseurl:`` of _config.yml), if anywhere

    @property
    def sources(self) -> tuple[str, ...]:
        """Everything the book is rendered from, besides ``_config.yml`` and ``_toc.yml``."""
        return (CONFIG, "_toc.yml", *self.settings["sources"])

    @property
    def code(self) -> tuple[str, ...]:
        return tuple(self.settings["code"])

    @property
    def statements(self) -> str:
        return self.settings["statements"]

    def hook(self, name: str):
        """The object a hook names, or None when the book declares none."""
        spec = self.settings[name]
        if not spec:
            return None
        module, _, attribute = str(spec).partition(":")
        try:
            return getattr(importlib.import_module(module), attribute)
        except (ImportError, AttributeError) as exc:
            raise BuildError(f"{CONFIG}, {SECTION}.{name}: {spec!r} cannot be imported ({exc})") from None


def load(root: Path) -> Project:
    """The declaration of the book in ``root``; refused in one line when it is not a mapping of known keys."""
    path = root / CONFIG
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        first = (str(exc).splitlines() or [""])[0]
        raise BuildError(f"{CONFIG}: cannot be read ({type(exc).__name__}: {first})") from None
    declared = config.get(SECTION) or {}
    unknown = sorted(set(declared) - set(DEFAULTS)) if isinstance(declared, dict) else ["(not a mapping)"]
    if unknown:
        raise BuildError(f"{CONFIG}, {SECTION}: unknown key {unknown[0]!r} (known: {', '.join(DEFAULTS)})")
    html = config.get("html") if isinstance(config.get("html"), dict) else {}
    return Project(root, {**DEFAULTS, **declared}, str(html.get("baseurl") or "").strip())
