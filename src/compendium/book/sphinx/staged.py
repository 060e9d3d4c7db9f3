"""What the build staged beside the pages, as the Sphinx extensions read it: executed notebooks,
their glued outputs, and each notebook's provenance record (``_exports/<stem>/provenance.json``)."""
import json
import os
from functools import lru_cache
from pathlib import Path

from compendium.book.paths import EXPORTS_DIR, PROVENANCE

EXPORT_FILES = (("figures", ".png", "PNG"), ("figures", ".svg", "SVG"), ("tables", ".csv", "CSV"))


@lru_cache(maxsize=32)
def _json(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_json(path: Path) -> dict:
    """A JSON file of the staged sources (read again only when it changes), or ``{}`` when absent."""
    return _json(str(path), path.stat().st_mtime) if path.is_file() else {}


def provenance_of(env, notebook_doc: str) -> dict:
    """The build's provenance record of a notebook page (``{}`` when the book was built without it)."""
    return read_json(Path(env.srcdir) / EXPORTS_DIR / Path(notebook_doc).name / PROVENANCE)


def glued_output(env, notebook_doc: str, key: str) -> dict:
    """The mime bundle and metadata of one glued output of a staged, executed notebook."""
    notebook = read_json(Path(env.doc2path(notebook_doc)))
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {})
            if meta.get("scrapbook", {}).get("name") == key:
                prefix = meta["scrapbook"].get("mime_prefix", "")
                return {"data": {mime.removeprefix(prefix): value for mime, value in output.get("data", {}).items()},
                        "metadata": {mime.removeprefix(prefix): value for mime, value in meta.items()}}
    return {"data": {}, "metadata": {}}


def exports_of(env, doc: str, key: str) -> list[tuple[str, str]]:
    """(label, path relative to the current page) of each exported file of a glued output."""
    page_dir = Path(env.doc2path(env.docname)).parent
    stem = Path(doc).stem
    found = []
    for kind, suffix, label in EXPORT_FILES:
        path = Path(env.srcdir) / EXPORTS_DIR / stem / kind / f"{key}{suffix}"
        if path.is_file():
            found.append((label, os.path.relpath(path, page_dir)))
    return found
