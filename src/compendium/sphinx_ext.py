"""Sphinx extension for the book's pages.

``glued-figure``: a figure (or captioned table) whose body is a glued notebook output from
another page — ``{glued-figure} key`` with ``:doc:`` — and whose caption is the directive's
first paragraph (which may itself paste glued text). MyST-NB's ``glue:figure`` only reads
glue data from its own page.

Numbering: the captions carry the article's own table and figure numbers, so Sphinx's
"Fig. N" prefix (which sphinx-jupyterbook-latex switches on for every builder) is switched
off again for HTML.

CSV outputs: tables glued from notebooks carry a ``text/csv`` twin of their HTML so they
can be exported as data; ``CsvOutputs`` (a MyST-NB mime renderer plugin, registered in
``pyproject.toml``) renders that twin as nothing, leaving the HTML to show the table.

Alt text: a figure image without alt text gets its caption as alt text, so the alt text is
computed with the caption rather than typed.
"""
from docutils import nodes
from docutils.parsers.rst import directives
from myst_nb.ext.glue.utils import PendingGlueReferenceError, create_pending_glue_ref
from sphinx.util.docutils import SphinxDirective


class GluedFigure(SphinxDirective):
    """A figure node around a glued output from ``:doc:``, captioned by the content."""

    required_arguments = 1
    has_content = True
    option_spec = {"doc": directives.unchanged_required, "name": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        source, line = self.get_source_info()
        try:
            body = create_pending_glue_ref(self.state.document, source, line,
                                           self.options["doc"], self.arguments[0])
        except (PendingGlueReferenceError, KeyError) as exc:
            raise self.error(f"glued-figure {self.arguments[0]}: {exc}")
        figure = nodes.figure("", body, classes=["glued-figure"])
        self.set_source_info(figure)
        self.add_name(figure)
        if self.content:
            holder = nodes.Element()
            self.state.nested_parse(self.content, self.content_offset, holder)
            first = holder[0]
            if not isinstance(first, nodes.paragraph):
                raise self.error("glued-figure: the caption must be a paragraph")
            figure += nodes.caption(first.rawsource, "", *first.children)
            if len(holder) > 1:
                figure += nodes.legend("", *holder[1:])
        return [figure]


class CsvOutputs:
    """MyST-NB mime renderer plugin: ``text/csv`` outputs are data for export, not page content."""

    mime_priority_overrides = [("*", "text/csv", None)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        return [] if data.mime_type == "text/csv" else None


def _fill_alt(app, doctree, docname) -> None:
    for figure in doctree.findall(nodes.figure):
        captions = list(figure.findall(nodes.caption))
        if not captions:
            continue
        for image in figure.findall(nodes.image):
            if not image.get("alt"):
                image["alt"] = captions[0].astext()


def _no_html_numfig(app) -> None:
    if app.builder.format == "html":
        app.config.numfig = False


def setup(app):
    app.add_directive("glued-figure", GluedFigure)
    app.connect("builder-inited", _no_html_numfig)
    app.connect("doctree-resolved", _fill_alt)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
