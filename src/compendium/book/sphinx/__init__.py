"""The book's Sphinx extensions, one module per concern; ``_config.yml`` loads them all as
``compendium.book.sphinx``."""
from compendium.book.sphinx import (
    bibstyle,
    bundles,
    cards,
    citing,
    formulas,
    glued,
    incremental,
    latex,
    latex_tables,
    links,
    pinpoints,
    provenance,
    theme,
    titlepage,
)

CONCERNS = (cards, citing, glued, provenance, bundles, links, latex, latex_tables, titlepage, theme, formulas,
            incremental, pinpoints, bibstyle)


def setup(app):
    for concern in CONCERNS:
        concern.setup(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
