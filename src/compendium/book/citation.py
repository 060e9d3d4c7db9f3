"""The book's citation metadata (``CITATION.cff``): the one place for its title, version, authors
and licences. The build writes the title and the version into the staged Sphinx configuration,
from where they reach the pages' footer, the PDF and its title page (a page shows the title as
``{{ title }}``, a MyST substitution); the release takes its name,
its crate and its ``.zenodo.json`` from here too."""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import yaml

from compendium.book.messages import BuildError
from compendium.book.paths import DIST
from compendium.escape import for_html

CITATION = "CITATION.cff"


def citation(folder: Path) -> dict:
    """The citation metadata in ``folder``, or nothing when it has no readable ``CITATION.cff``."""
    try:
        found = yaml.safe_load((folder / CITATION).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return found if isinstance(found, dict) else {}


def required(folder: Path) -> dict:
    """The citation metadata, refused in one line when title or version is missing."""
    cited = citation(folder)
    for key in ("title", "version"):
        if not isinstance(cited.get(key), (str, int, float)) or not str(cited[key]).strip():
            raise BuildError(f"{CITATION}: field {key} is missing (the release takes its name from it)")
    return cited


def names(people: list) -> list[str]:
    """'Given Family' (or the name of an entity) for each person of a citation."""
    return [person.get("name") or " ".join(str(person[k]) for k in ("given-names", "family-names") if k in person)
            for person in people or [] if isinstance(person, dict)]


def released(cited: dict) -> datetime.date | None:
    value = cited.get("date-released")
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def licences(cited: dict) -> list[str]:
    """The SPDX identifiers of ``license`` (one, or a list)."""
    value = cited.get("license") or []
    return [value] if isinstance(value, str) else [str(v) for v in value]


PARTS = {"MIT": "the code", "CC-BY-4.0": "the text and the data"}  # as the README says


def covers(spdx: str) -> str:
    """What of the compendium a licence of ``CITATION.cff`` covers."""
    return PARTS.get(spdx, "the compendium")


def republished_doi(cited: dict) -> str | None:
    """The DOI of the work the book republishes (the first of ``references``), if it has one."""
    works = [ref for ref in cited.get("references") or [] if isinstance(ref, dict)]
    return str(works[0]["doi"]) if works and "doi" in works[0] else None


def slug(cited: dict) -> str:
    """A file name from the title: its words before any colon or dash, lowercased and hyphenated."""
    head = re.split(r"\s*[:—–]\s*", str(cited.get("title", "")))[0]
    return re.sub(r"[^a-z0-9]+", "-", head.lower()).strip("-") or "compendium"


def release_name(cited: dict) -> str:
    """The release's name: the title's slug and the version."""
    return f"{slug(cited)}-{cited.get('version', '')}"


def release_archive(cited: dict) -> str:
    """Where ``make release`` writes the release, relative to the project."""
    return f"{DIST}/{release_name(cited)}.zip"


def staged_config(config: dict, cited: dict) -> dict:
    """The Jupyter Book configuration with the citation's title, authors and version in it."""
    if cited.get("title"):
        config["title"] = str(cited["title"])
        parse = config.setdefault("parse", {})  # a page writes {{ title }} for it
        extensions = parse.setdefault("myst_enable_extensions", [])
        if "substitution" not in extensions:
            extensions.append("substitution")
        parse.setdefault("myst_substitutions", {})["title"] = str(cited["title"])
    authors = names(cited.get("authors"))
    if authors:
        config["author"] = ", ".join(authors)
    if cited.get("version"):
        version = str(cited["version"])
        sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
        sphinx["release"] = sphinx["version"] = version
        config.setdefault("html", {})["extra_footer"] = (
            f"<p>{for_html(config.get('title', ''))}, version {for_html(version)}</p>")
    return config
