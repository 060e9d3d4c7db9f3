"""Formulas on the web, typeset by MathJax 3 served from the book itself: nothing is fetched from
outside the site when a page loads.

The book carries one file of MathJax, its SVG build (``tex-svg.js``, from the locked package
``sphinx-mathjax-offline``): SVG output draws every glyph from data inside that file, so a page
needs no font or other component at run time, and a chapter's zip, which holds the files its
page links, typesets its formulas unzipped. Sphinx adds the script only to pages with math.
"""
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util.fileutil import copy_asset_file

PACKAGE = "sphinx-mathjax-offline"
SCRIPT = "tex-svg.js"
FOLDER = "mathjax"  # under _static/


def mathjax_script() -> Path:
    """MathJax's SVG build as the locked package ships it."""
    try:
        path = Path(distribution(PACKAGE).locate_file(f"{PACKAGE}/static/mathjax/{SCRIPT}"))
    except PackageNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise ExtensionError(f"{PACKAGE} (requirements.txt) is not installed: the book's formulas need its {SCRIPT}")
    return path


def _local_mathjax(app, config) -> None:
    config.mathjax_path = f"{FOLDER}/{SCRIPT}"  # under _static/: never a CDN, whatever else is configured


def _copy_mathjax(app) -> None:
    if app.builder.format == "html":
        folder = Path(app.outdir, "_static", FOLDER)
        folder.mkdir(parents=True, exist_ok=True)
        copy_asset_file(str(mathjax_script()), str(folder))


def setup(app):
    app.connect("config-inited", _local_mathjax)
    app.connect("builder-inited", _copy_mathjax)
