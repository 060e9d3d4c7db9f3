"""Incremental renders that stay true: a page is read again with the notebooks it pastes from,
and every page is read again when the table of contents changed (its previous and next links,
its place in the navigation)."""
import hashlib
from pathlib import Path

from compendium.book.toc import NOTEBOOK_LINK


def _pages_pasting_from_notebooks_read(app, env, added, changed, removed) -> list[str]:
    """The pages to read again with the notebooks they paste from or link to: what a page
    pastes from another page is settled when the page itself is read."""
    notebooks = {Path(doc).name for doc in added | changed if doc.startswith("notebooks/")}
    if not notebooks:
        return []
    return sorted(doc for doc in env.found_docs - added - changed
                  if notebooks & set(NOTEBOOK_LINK.findall(Path(env.doc2path(doc)).read_text(encoding="utf-8"))))


def _every_page_when_the_toc_changed(app, env, added, changed, removed) -> list[str]:
    """Every page, when the table of contents differs from the one the environment was read with
    (its sha256 is kept in the environment)."""
    toc = Path(app.srcdir) / (getattr(app.config, "external_toc_path", None) or "_toc.yml")
    digest = hashlib.sha256(toc.read_bytes()).hexdigest() if toc.is_file() else None
    if getattr(env, "compendium_toc_sha256", digest) == digest:
        env.compendium_toc_sha256 = digest
        return []
    env.compendium_toc_sha256 = digest
    return sorted(env.found_docs)


def setup(app):
    app.connect("env-get-outdated", _pages_pasting_from_notebooks_read)
    app.connect("env-get-outdated", _every_page_when_the_toc_changed)
