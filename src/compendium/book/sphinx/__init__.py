"""The book's Sphinx extensions, one module per concern; ``_config.yml`` loads them all as
``compendium.book.sphinx``."""
from compendium.book.sphinx import (
    bibstyle,
    bundles,
    formulas,
    glued,
    incremental,
    latex,
    links,
    pinpoints,
    provenance,
    theme,
)

CONCERNS = (glued, provenance, bundles, links, latex, theme, formulas, incremental, pinpoints, bibstyle)


def setup(app):
    for concern in CONCERNS:
        concern.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
