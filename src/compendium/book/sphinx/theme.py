"""The book's look and page furniture: its stylesheet and favicon, each inline script once per
page, no Thebe or Binder configuration, bibliography entries marked as list items, and the
extensions' stylesheets copied before pages are written."""
from pathlib import Path

from docutils import nodes
from myst_nb.sphinx_ext import add_global_html_resources
from sphinx_exercise import copy_asset_files

STATIC = Path(__file__).parent / "static"
SITE_ROOT = Path(__file__).parent / "site_root"  # copied to the top of the rendered book (favicon.ico)


def _favicon(app, config) -> None:
    config.html_favicon = config.html_favicon or str(STATIC / "favicon.png")


def _unique_scripts(app, pagename, templatename, context, doctree) -> None:
    # sphinx-thebe registers its inline configuration script once per build of the
    # environment, which Jupyter Book triggers twice: the second copy redeclares constants
    # and stops the page's scripts with an error. The list is changed in place: it is the
    # builder's own, to which later handlers (MathJax's) still add.
    seen, unique = set(), []
    scripts = context.get("script_files", [])
    for script in scripts:
        key = (getattr(script, "filename", script) or "", getattr(script, "attributes", {}).get("body"))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


THEBE = ("sphinx-thebe.js", "sphinx-thebe.css", "THEBE_JS_URL")


def _without_thebe(app, pagename, templatename, context, doctree) -> None:
    # Jupyter Book always loads sphinx-thebe, which puts on every page a configuration pointing
    # Binder at an example repository of its own; the book has no live code, so none of it ships.
    for key in ("script_files", "css_files"):
        files = context.get(key, [])
        files[:] = [f for f in files if not any(mark in str(getattr(f, "filename", f) or "")
                                                 or mark in str(getattr(f, "attributes", {}).get("body", ""))
                                                 for mark in THEBE)]


def _no_thebe_nodes(app, doctree, docname) -> None:
    for raw in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in raw.astext() or "kernelName =" in raw.astext():
            raw.parent.remove(raw)


def _citation_list_items(app, pagename, templatename, context, doctree) -> None:
    # docutils writes a bibliography as a role="list" block whose entries carry the deprecated
    # role doc-biblioentry, which is no list item: assistive technology (and axe-core) then
    # finds a list without items. The entries are list items.
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def _add_stylesheet(app) -> None:
    app.config.html_static_path.append(str(STATIC))
    app.config.html_extra_path.append(str(SITE_ROOT))  # browsers ask every site for /favicon.ico
    app.add_css_file("compendium.css")


def _extension_stylesheets_first(app, builder) -> None:
    """Copy the stylesheets of myst-nb and sphinx-exercise before the pages are written.

    Both copy them when the build ends, but Sphinx links a stylesheet with a checksum only
    when the file is already in the output: a page would otherwise differ between a clean
    build and one that keeps the previous output."""
    if builder.format == "html":
        Path(app.outdir, "_static").mkdir(parents=True, exist_ok=True)
        add_global_html_resources(app, None)
        copy_asset_files(app, None)


def setup(app):
    app.connect("builder-inited", _add_stylesheet)
    app.connect("html-page-context", _unique_scripts, priority=100)  # before handlers that end the event
    app.connect("html-page-context", _citation_list_items)
    app.connect("html-page-context", _without_thebe, priority=100)
    app.connect("doctree-resolved", _no_thebe_nodes, priority=900)  # after sphinx-thebe adds them
    app.connect("config-inited", _favicon)
    app.connect("write-started", _extension_stylesheets_first)
