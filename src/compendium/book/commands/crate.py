"""``ro-crate-metadata.json``: the release described as an RO-Crate (written with ``rocrate``).

The root dataset carries the citation's title, abstract, authors, version, keywords, release date
and licences, and the article it republishes as what it is based on. Every file is an entity with
its encoding format, size and sha256, and its licence: the code (``source/`` code files and the
notebooks) MIT, the text and the data CC BY 4.0, as the README says; the theme's files in
``book/_static/`` keep their own licences and claim none. Notebooks and scripts are described as
software source code, the data package as a Frictionless Data Package, the manuscripts as articles.
"""
from __future__ import annotations

import hashlib
import json
import mimetypes
import sys
from pathlib import PurePosixPath

from compendium.book.citation import covers, licences, names, released, republished_doi

LICENCE_IDS = {"MIT": "https://spdx.org/licenses/MIT", "CC-BY-4.0": "https://spdx.org/licenses/CC-BY-4.0"}
CODE_FOLDERS = {"src", "tests", "notebooks", ".ci", "benchmarks"}
CODE_FILES = {"Makefile", "pyproject.toml", "requirements.txt", "requirements.in", "LICENSE", ".gitignore"}
FORMATS = {".ipynb": "application/x-ipynb+json", ".md": "text/markdown", ".yml": "application/yaml",
           ".cff": "application/yaml", ".bib": "application/x-bibtex", ".jsonld": "application/ld+json",
           ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           ".xml": "application/jats+xml", ".toml": "application/toml", ".sty": "application/x-tex",
           ".jinja": "text/plain", ".inv": "application/octet-stream", ".in": "text/plain"}
DATA_PACKAGE = "https://specs.frictionlessdata.io/data-package/"


def encoding_format(name: str) -> str:
    path = PurePosixPath(name)
    if path.suffix in FORMATS:
        return FORMATS[path.suffix]
    guessed = mimetypes.guess_type(path.name, strict=False)[0]
    return guessed or ("text/plain" if path.suffix in ("", ".txt") or path.name.startswith(".") else
                       "application/octet-stream")


def licence_of(name: str) -> str | None:
    """The SPDX identifier that covers a file of the release, or None for the theme's own files."""
    parts = PurePosixPath(name).parts
    if parts[:2] == ("book", "_static"):
        return None
    if parts[0] == "source" and (parts[1] in CODE_FOLDERS or parts[-1] in CODE_FILES or parts[-1].endswith(".py")):
        return "MIT"
    return "CC-BY-4.0"


def _kind(name: str) -> dict:
    """What a file is, beyond a file: type, language, conformance, description."""
    path = PurePosixPath(name)
    if path.suffix in (".ipynb", ".py"):
        return {"@type": ["File", "SoftwareSourceCode"], "programmingLanguage": {"@id": "#python"}}
    if path.name == "datapackage.json" or path.name == "data-package.zip":
        return {"conformsTo": {"@id": DATA_PACKAGE},
                "description": "the data package: CSV files with their Table Schema, data dictionary and "
                               "bibliography" if path.suffix == ".zip" else "the data package's descriptor"}
    if path.parts[0] == "manuscript" and path.suffix in (".pdf", ".docx", ".xml"):
        return {"@type": ["File", "ScholarlyArticle"], "description": f"the whole book as {path.suffix[1:].upper()}"}
    return {}


def crate_metadata(files: dict[str, bytes], cited: dict) -> bytes:
    """The crate's metadata for ``files`` (crate path -> bytes), as JSON bytes, entries sorted."""
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate

    crate = ROCrate()
    authors = []
    for number, person in enumerate(cited.get("authors") or []):
        kind = "Person" if "family-names" in person else "Organization"
        entity = crate.add(ContextEntity(crate, f"#author-{number + 1}", {"@type": kind,
                                                                         "name": names([person])[0]}))
        authors.append({"@id": entity.id})
    spdx = licences(cited)
    for identifier in spdx:
        crate.add(ContextEntity(crate, LICENCE_IDS.get(identifier, identifier),
                                {"@type": "CreativeWork", "name": identifier, "description": covers(identifier)}))
    crate.add(ContextEntity(crate, "#python", {"@type": "ComputerLanguage", "name": "Python",
                                               "version": f"{sys.version_info.major}.{sys.version_info.minor}",
                                               "url": "https://www.python.org/"}))
    crate.add(ContextEntity(crate, DATA_PACKAGE, {"@type": "CreativeWork", "name": "Frictionless Data Package"}))
    root = crate.root_dataset
    root["name"] = str(cited["title"])
    root["description"] = str(cited.get("abstract", cited["title"])).strip()
    root["version"] = str(cited["version"])
    root["keywords"] = [str(k) for k in cited.get("keywords") or []]
    root["license"] = [{"@id": LICENCE_IDS.get(s, s)} for s in spdx]
    root["author"] = authors
    day = released(cited)
    if day:
        root["datePublished"] = day.isoformat()
    doi = republished_doi(cited)
    if doi:
        work = cited["references"][0]
        article = crate.add(ContextEntity(crate, f"https://doi.org/{doi}", {
            "@type": "ScholarlyArticle", "name": str(work.get("title", "")), "identifier": f"https://doi.org/{doi}",
            "author": ", ".join(names(work.get("authors")))}))
        root["isBasedOn"] = {"@id": article.id}
    for name in sorted(files):
        data = files[name]
        properties = {"name": PurePosixPath(name).name, "encodingFormat": encoding_format(name),
                      "contentSize": str(len(data)), "sha256": hashlib.sha256(data).hexdigest(), **_kind(name)}
        licence = licence_of(name)
        if licence:
            properties["license"] = {"@id": LICENCE_IDS.get(licence, licence)}
        else:
            properties["description"] = "a file of the book's theme or one of its extensions, under its own licence"
        crate.add_file(dest_path=name, properties=properties)
    metadata = crate.metadata.generate()
    metadata["@graph"].sort(key=lambda entity: (entity["@id"] not in ("ro-crate-metadata.json", "./"),
                                                entity["@id"]))
    return (json.dumps(metadata, indent=1, ensure_ascii=False) + "\n").encode()
