"""How the notebook regression (nbval) compares the stored record with a fresh run.

Text outputs — tables, glued numbers and strings, and the ``drawn_bars`` listing of every
bar a figure draws — must match exactly. Figure images (PNG and SVG) are not compared byte for byte:
their bytes change with matplotlib, FreeType and font versions while the figure says the same
thing, so each figure's content is checked through the text listing printed beside it.
"""
from nbval.plugin import IPyNbFile

FIGURE_BITMAPS = ("image/png", "application/papermill.record/image/png",
                  "image/svg+xml", "application/papermill.record/image/svg+xml")


def pytest_collection_modifyitems(items):
    for notebook in {item.parent for item in items if isinstance(item.parent, IPyNbFile)}:
        notebook.skip_compare = tuple(notebook.skip_compare) + FIGURE_BITMAPS
