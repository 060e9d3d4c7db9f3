"""``.zenodo.json``, the deposit's metadata for Zenodo, generated from ``CITATION.cff``."""
from __future__ import annotations

import json

from compendium.book.citation import covers, licences, released, republished_doi

UPLOAD_TYPES = {"software": "software", "dataset": "dataset"}  # CFF type -> Zenodo upload_type


def _creator(person: dict) -> dict:
    if "family-names" in person:
        name = f"{person['family-names']}, {person.get('given-names', '')}".rstrip(", ")
    else:
        name = str(person.get("name", ""))
    found = {"name": name}
    if person.get("orcid"):
        found["orcid"] = str(person["orcid"]).rsplit("/", 1)[-1]
    if person.get("affiliation"):
        found["affiliation"] = str(person["affiliation"])
    return found


def zenodo_json(cited: dict) -> str:
    """The ``.zenodo.json`` text: upload type, title, creators, description, licence, version,
    keywords, publication date, and the article as what the deposit supplements. Zenodo takes one
    licence; the first of ``CITATION.cff`` is given, and all of them are named in the notes."""
    spdx = licences(cited)
    day = released(cited)
    record = {
        "upload_type": UPLOAD_TYPES.get(str(cited.get("type", "software")), "software"),
        "title": str(cited["title"]),
        "creators": [_creator(p) for p in cited.get("authors") or [] if isinstance(p, dict)],
        "description": str(cited.get("abstract", cited["title"])).strip(),
        "access_right": "open",
        "license": spdx[0].lower() if spdx else "cc-by-4.0",
        "version": str(cited["version"]),
        "keywords": [str(k) for k in cited.get("keywords") or []],
        "notes": "Licences: " + "; ".join(f"{s} ({covers(s)})" for s in spdx) + ".",
    }
    if day:
        record["publication_date"] = day.isoformat()
    doi = republished_doi(cited)
    if doi:
        record["related_identifiers"] = [{"identifier": doi, "relation": "isSupplementTo", "scheme": "doi",
                                          "resource_type": "publication-article"}]
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
