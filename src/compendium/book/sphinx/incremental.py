"""Incremental renders that stay true: a page is read again with the notebooks it pastes from."""
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


def setup(app):
    app.connect("env-get-outdated", _pages_pasting_from_notebooks_read)
