"""Glued figures and tables from other pages, and notebook outputs as the book shows them.

``glued-figure``: a figure or a table whose body is a glued notebook output from another
page — ``{glued-figure} key`` with ``:doc:`` — captioned by the directive's first paragraph
(which may itself paste glued text), ending with its provenance line. A glued table
(``compendium.book.tables.PublishedTable``) becomes a real table, numbered and captioned as a
table in HTML and LaTeX; a glued figure keeps the alt text its notebook computed. MyST-NB's
``glue:figure`` only reads its own page.

Numbering: the captions carry the article's own table and figure numbers, so a glued
figure or table is a node class of its own that Sphinx does not number ("Fig. N",
"Table N"); numbering stays on for what needs it, such as exercises. LaTeX still numbers
every captioned float of the PDF, figures and tables apart.

Notebook pages: glued tables as real tables; images with the alt text their output carries
(``NotebookOutputs``, a MyST-NB mime renderer plugin registered in ``pyproject.toml``, which
also renders the CSV twin of a table as nothing: it is data for download, not page content).
"""
import base64
import math
import re
import struct

from docutils import nodes
from docutils.parsers.rst import directives
from myst_nb.ext.glue.utils import PendingGlueReferenceError, create_pending_glue_ref
from sphinx.util.docutils import SphinxDirective

from compendium.book.sphinx.cards import labelled_entry, too_wide_for_a_phone
from compendium.book.sphinx.provenance import provenance_line
from compendium.book.sphinx.staged import glued_output
from compendium.book.tables import TABLE_MIME, linked_parts


class glued_figure(nodes.figure):
    """A figure whose caption carries the article's own number: Sphinx numbers only the
    node classes it knows (``nodes.figure`` exactly), so this one gets no "Fig. N" prefix."""


class glued_table(nodes.table):
    """A table whose caption carries the article's own number (or none): not numbered by Sphinx."""


FIGURE_VISITORS = (lambda self, node: self.visit_figure(node), lambda self, node: self.depart_figure(node))
TABLE_VISITORS = (lambda self, node: self.visit_table(node), lambda self, node: self.depart_table(node))


def table_node(cells: dict, classes: list[str], kind: type = nodes.table) -> nodes.table:
    """A docutils table (of class ``kind``) from ``PublishedTable.cells()``: a header row, then one
    row per row of cells, each word of the table's links a link.

    A table of four or more columns too wide for a phone even with every column at its longest
    word is marked to be stacked into cards there (narrower ones scroll in their container),
    and carries in every cell its column's name as an attribute (``labelled_entry``).
    """
    columns, links = cells["columns"], cells.get("links", {})
    stacked = too_wide_for_a_phone([[column, *(row[column] for row in cells["rows"])] for column in columns])
    table = kind(classes=["compendium-table", *(["stacked"] if stacked else []), *classes])
    group = nodes.tgroup(cols=len(columns))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in columns]

    def row(values, header: bool) -> nodes.row:
        line = nodes.row()
        for value in values:
            pieces = [nodes.reference(piece, piece, refuri=address) if address else nodes.Text(piece)
                      for piece, address in linked_parts(value, {} if header else links)]
            cell = labelled_entry() if stacked and not header else nodes.entry()
            cell += nodes.paragraph("", "", *pieces)
            line += cell
        return line

    group += nodes.thead("", row(columns, True))
    group += nodes.tbody("", *(row([values[c] for c in columns], False) for values in cells["rows"]))
    return table


class GluedFigure(SphinxDirective):
    """A figure, or a table, around a glued output from ``:doc:``, captioned by the content."""

    required_arguments = 1
    has_content = True
    option_spec = {"doc": directives.unchanged_required, "name": directives.unchanged,
                   "provenance": directives.unchanged}

    def _notebook_doc(self) -> str:
        _, path = self.env.relfn2path(self.options["doc"], self.env.docname)
        return self.env.path2doc(path)

    def _caption(self) -> tuple[nodes.paragraph, list[nodes.Node]]:
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        first = holder[0] if len(holder) else nodes.paragraph()
        if not isinstance(first, nodes.paragraph):
            raise self.error("glued-figure: the caption must be a paragraph")
        return first, list(holder[1:])

    def run(self) -> list[nodes.Node]:
        key = self.arguments[0]
        notebook_doc = self._notebook_doc()
        if notebook_doc is None:
            raise self.error(f"glued-figure {key}: no page {self.options['doc']}")
        caption, rest = self._caption()
        provenance = provenance_line(self, notebook_doc)
        output = glued_output(self.env, notebook_doc, key)
        if TABLE_MIME in output["data"]:
            exhibit = table_node(output["data"][TABLE_MIME], ["glued-table"], glued_table)
            exhibit.insert(0, nodes.title(caption.rawsource, "", *caption.children, nodes.Text(" "), *provenance))
        else:
            source, line = self.get_source_info()
            try:
                body = create_pending_glue_ref(self.state.document, source, line, self.options["doc"], key)
            except (PendingGlueReferenceError, KeyError) as exc:
                raise self.error(f"glued-figure {key}: {exc}") from None
            exhibit = glued_figure("", body, classes=["glued-figure"])
            shown = output["metadata"].get("image/png", {})
            exhibit["alt_text"] = shown.get("alt", "")
            if shown.get("smallest_text_px") and "image/png" in output["data"]:
                exhibit["image_classes"] = legible_classes(output["data"]["image/png"],
                                                           float(shown["smallest_text_px"]))
            exhibit += nodes.caption(caption.rawsource, "", *caption.children, nodes.Text(" "), *provenance)
            if rest:
                exhibit += nodes.legend("", *rest)
                rest = []
        self.set_source_info(exhibit)
        self.add_name(exhibit)
        return [exhibit, *rest]


class NotebookOutputs:
    """MyST-NB mime renderer plugin for notebook pages: a glued table as a real table, an image
    with the alt text its output carries, and a table's CSV twin as nothing (it is for download)."""

    mime_priority_overrides = [("*", "text/csv", None), ("*", TABLE_MIME, 5)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type == "text/csv":
            return []
        if data.mime_type == TABLE_MIME and not inline:
            return [table_node(data.content, ["notebook-table"])]
        meta = data.output_metadata.get(data.mime_type, {})
        if data.mime_type in ("image/png", "image/svg+xml") and meta.get("alt"):
            images = renderer.render_image(data)
            for image in images:
                image["alt"] = meta["alt"]
                if data.mime_type == "image/png" and meta.get("smallest_text_px"):
                    image["classes"] += legible_classes(data.content, float(meta["smallest_text_px"]))
            return images
        return None


PHONE_SMALLEST_TEXT = 9  # CSS pixels: no figure's text is shown smaller on a phone
LEGIBLE = re.compile(r'<img ([^>]*?)class="([^"]*?)legible-(\d+)-(\d+)([^"]*)"([^>]*?)/?>')


def legible_classes(png_base64: str, smallest_text_px: float) -> list[str]:
    """Classes that carry to the page the width (CSS px) at which a PNG's smallest text (its height
    in the PNG's pixels) shows at ``PHONE_SMALLEST_TEXT``, and that height in tenths of a pixel."""
    width = struct.unpack(">I", base64.b64decode(png_base64[:44])[16:20])[0]
    return [f"legible-{math.ceil(width * PHONE_SMALLEST_TEXT / smallest_text_px)}-{round(smallest_text_px * 10)}"]


def _legible_figures(app, pagename, templatename, context, doctree) -> None:
    """Every figure with a known smallest text opens full size on a tap (a link to its image) and,
    on a phone, is shown no narrower than its text needs (``--legible-width``; the stylesheet lets
    it scroll sideways within its frame, never the page)."""
    def link(match: re.Match) -> str:
        attributes = f"{match.group(1)}{match.group(6)}"
        source = re.search(r'src="([^"]+)"', attributes).group(1)
        return (f'<a class="figure-full" href="{source}"><img {match.group(1)}class="{match.group(2)}legible'
                f'{match.group(5)}" style="--legible-width: {match.group(3)}px" '
                f'data-smallest-text="{int(match.group(4)) / 10}"{match.group(6)}/></a>')

    if "body" in context:
        context["body"] = LEGIBLE.sub(link, context["body"])


def _fill_alt(app, doctree, docname) -> None:
    """Each glued figure's image gets the alt text its notebook computed, or else its caption
    (less the provenance line), and the classes that make it legible on a phone."""
    for figure in doctree.findall(nodes.figure):
        captions = list(figure.findall(nodes.caption))
        if not captions:
            continue
        caption = captions[0].deepcopy()
        for part in list(caption.findall(lambda n: isinstance(n, nodes.Element) and "provenance" in n["classes"])):
            part.parent.remove(part)
        for image in figure.findall(nodes.image):
            if not image.get("alt"):
                image["alt"] = figure.get("alt_text") or caption.astext().strip()
            image["classes"] += [c for c in figure.get("image_classes", []) if c not in image["classes"]]


def setup(app):
    for kind, visitors in ((glued_figure, FIGURE_VISITORS), (glued_table, TABLE_VISITORS)):
        app.add_node(kind, **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), visitors))
    app.add_directive("glued-figure", GluedFigure)
    app.connect("doctree-resolved", _fill_alt)
    app.connect("html-page-context", _legible_figures)
