"""Sphinx extension for the book's pages.

``glued-figure``: a figure (or captioned table) whose body is a glued notebook output from
another page — ``{glued-figure} key`` with ``:doc:`` — and whose caption is the directive's
first paragraph (which may itself paste glued text). MyST-NB's ``glue:figure`` only reads
glue data from its own page.

Numbering: the captions carry the article's own table and figure numbers, so a glued
figure is a node class of its own that Sphinx does not number ("Fig. N"); numbering stays
on for what needs it, such as exercises.

CSV outputs: tables glued from notebooks carry a ``text/csv`` twin of their HTML so they
can be exported as data; ``CsvOutputs`` (a MyST-NB mime renderer plugin, registered in
``pyproject.toml``) renders that twin as nothing, leaving the HTML to show the table.

Alt text: a figure image without alt text gets its caption (less the provenance line) as
alt text, so the alt text is computed with the caption rather than typed.

Page hygiene: the book's stylesheet and favicon, each inline script once per page, bibliography
entries marked as list items, and for the PDF the images of cross-page glue and a stand-in for ``bbm.sty``.
"""
import os
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from myst_nb.ext.glue.utils import PendingGlueReferenceError, create_pending_glue_ref
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from compendium.book.exports import EXPORTS_DIR

STATIC = Path(__file__).parent / "static"
LATEX = Path(__file__).parent / "latex"  # stand-ins for TeX packages Debian ships only in huge bundles
EXPORT_FILES = (("figures", ".png", "PNG"), ("figures", ".svg", "SVG"), ("tables", ".csv", "CSV"))


class glued_figure(nodes.figure):
    """A figure whose caption carries the article's own number: Sphinx numbers only the
    node classes it knows (``nodes.figure`` exactly), so this one gets no "Fig. N" prefix."""


FIGURE_VISITORS = (lambda self, node: self.visit_figure(node), lambda self, node: self.depart_figure(node))


class GluedFigure(SphinxDirective):
    """A figure node around a glued output from ``:doc:``, captioned by the content.

    The caption ends with a computed provenance line: a link to the notebook that made the
    output, the data files it read with short hashes (the notebook's glued ``provenance``, or
    the glued text named by the ``:provenance:`` option where an output reads fewer files),
    and download links for the output as files (PNG and SVG figures, CSV tables) and for the
    notebook itself.
    """

    required_arguments = 1
    has_content = True
    option_spec = {"doc": directives.unchanged_required, "name": directives.unchanged,
                   "provenance": directives.unchanged}

    def _provenance_line(self) -> str:
        doc, key = self.options["doc"], self.arguments[0]
        name = Path(doc).name
        files = self.options.get("provenance") or "provenance"
        downloads = [f"{{download}}`{label} <{path}>`" for label, path in _exports_of(self.env, doc, key)]
        downloads.append(f"{{download}}`notebook (.ipynb) <{doc}>`")
        return (f"Computed by [{name}]({doc}) from {{glue:text}}`{doc}::{files}:s`. "
                f"Download: {' · '.join(downloads)}.")

    def run(self) -> list[nodes.Node]:
        source, line = self.get_source_info()
        try:
            body = create_pending_glue_ref(self.state.document, source, line,
                                           self.options["doc"], self.arguments[0])
        except (PendingGlueReferenceError, KeyError) as exc:
            raise self.error(f"glued-figure {self.arguments[0]}: {exc}")
        figure = glued_figure("", body, classes=["glued-figure"])
        self.set_source_info(figure)
        self.add_name(figure)
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        first = holder[0] if len(holder) else nodes.paragraph()
        if not isinstance(first, nodes.paragraph):
            raise self.error("glued-figure: the caption must be a paragraph")
        provenance, messages = self.state.inline_text(self._provenance_line(), self.lineno)
        figure += nodes.caption(first.rawsource, "", *first.children, nodes.Text(" "),
                                nodes.inline("", "", *provenance, classes=["provenance"]))
        if len(holder) > 1:
            figure += nodes.legend("", *holder[1:])
        return [figure, *messages]


class CsvOutputs:
    """MyST-NB mime renderer plugin: ``text/csv`` outputs are data for export, not page content."""

    mime_priority_overrides = [("*", "text/csv", None)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        return [] if data.mime_type == "text/csv" else None


def _exports_of(env, doc: str, key: str) -> list[tuple[str, str]]:
    """(label, path relative to the current page) of each exported file of a glued output."""
    page_dir = Path(env.doc2path(env.docname)).parent
    stem = Path(doc).stem
    found = []
    for kind, suffix, label in EXPORT_FILES:
        path = Path(env.srcdir) / EXPORTS_DIR / stem / kind / f"{key}{suffix}"
        if path.is_file():
            found.append((label, os.path.relpath(path, page_dir)))
    return found


def _fill_alt(app, doctree, docname) -> None:
    for figure in doctree.findall(nodes.figure):
        captions = list(figure.findall(nodes.caption))
        if not captions:
            continue
        caption = captions[0].deepcopy()
        for part in list(caption.findall(lambda n: isinstance(n, nodes.Element) and "provenance" in n["classes"])):
            part.parent.remove(part)
        for image in figure.findall(nodes.image):
            if not image.get("alt"):
                image["alt"] = caption.astext().strip()


class LatexGluedImages(SphinxPostTransform):
    """MyST-NB points cross-page glued images at the HTML page layout ("../<hash>.png"); a
    LaTeX build is one file in one folder, where the same image sits under its own name."""

    default_priority = 6  # just after MyST-NB replaces its pending glue references
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for image in self.document.findall(nodes.image):
            name = Path(image["uri"]).name
            if image["uri"].startswith("../") and "candidates" in image:
                image["uri"] = name
                image["candidates"] = {"*": name}


def _favicon(app, config) -> None:
    config.html_favicon = config.html_favicon or str(STATIC / "favicon.png")


def _latex_support_files(app, config) -> None:
    config.latex_additional_files = [*config.latex_additional_files, str(LATEX / "bbm.sty")]


def _unique_scripts(app, pagename, templatename, context, doctree) -> None:
    # sphinx-thebe registers its inline configuration script once per build of the
    # environment, which Jupyter Book triggers twice: the second copy redeclares constants
    # and stops the page's scripts with an error.
    seen, unique = set(), []
    for script in context.get("script_files", []):
        key = (getattr(script, "filename", script) or "", getattr(script, "attributes", {}).get("body"))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _citation_list_items(app, pagename, templatename, context, doctree) -> None:
    # docutils writes a bibliography as a role="list" block whose entries carry the deprecated
    # role doc-biblioentry, which is no list item: assistive technology (and axe-core) then
    # finds a list without items. The entries are list items.
    if "body" in context:
        context["body"] = context["body"].replace('role="doc-biblioentry"', 'role="listitem"')


def _add_stylesheet(app) -> None:
    app.config.html_static_path.append(str(STATIC))
    app.add_css_file("compendium.css")


def setup(app):
    app.add_node(glued_figure, **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), FIGURE_VISITORS))
    app.add_directive("glued-figure", GluedFigure)
    app.connect("builder-inited", _add_stylesheet)
    app.connect("html-page-context", _unique_scripts, priority=100)  # before handlers that end the event
    app.connect("html-page-context", _citation_list_items)
    app.connect("config-inited", _latex_support_files)
    app.connect("config-inited", _favicon)
    app.connect("doctree-resolved", _fill_alt)
    app.add_post_transform(LatexGluedImages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
