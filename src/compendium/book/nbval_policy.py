"""How the notebook regression (nbval) compares the stored record with a fresh run (a pytest plugin:
``-p compendium.book.nbval_policy``).

Text outputs — tables, glued numbers and strings, each figure's alt text, and the ``drawn_*``
listing of what every figure draws (bars, dots, cells, arrows) — must match exactly. Figure
images (PNG and SVG) are not compared byte for byte: their bytes change with matplotlib,
FreeType and font versions while the figure says the same thing, so each figure's content is
checked through the listing its cell prints (tests/test_figures.py checks that every figure
cell prints one).
"""
from nbval.plugin import IPyNbFile

FIGURE_BITMAPS = ("image/png", "application/papermill.record/image/png",
                  "image/svg+xml", "application/papermill.record/image/svg+xml")


def pytest_collection_modifyitems(items):
    for notebook in {item.parent for item in items if isinstance(item.parent, IPyNbFile)}:
        notebook.skip_compare = tuple(notebook.skip_compare) + FIGURE_BITMAPS
