"""Provenance on the pages: every exhibit and every pasted value says where it was computed.

Every glued exhibit's caption ends with a line naming the notebook cell that made it (a link
to that cell), the data files that cell and the cells it draws on read, each with a short
sha256, the book's version, and download links. Every number or string pasted into a chapter
with ``glue:text`` links to the cell that glued it, with a tooltip naming those files (shown on
hover, focus and touch). Both
come from ``_exports/<notebook>/provenance.json``, written by the build from the data layer's
read log (``compendium.book.pipeline.provenance``). On a notebook's page every code cell carries
an anchor per execution count and per glue key, where those links land.
"""
import re
from importlib.metadata import version
from pathlib import Path

from docutils import nodes
from myst_nb.ext.glue.utils import PendingGlueReference
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from compendium.book.paths import EXPORTS_DIR, PROVENANCE
from compendium.book.sphinx.nodes_in import inside
from compendium.book.sphinx.staged import exports_of, provenance_of, read_json


def glue_anchor(key: str) -> str:
    """The id of the notebook cell that glued ``key``, on its notebook's page."""
    return nodes.make_id(f"glue-{key}")


def cell_anchor(count: int) -> str:
    """The id of the code cell with execution count ``count``, on its notebook's page."""
    return f"cell-{count}"


class PendingCellLink(nodes.Inline, nodes.TextElement):
    """A link to a notebook page's cell, resolved once the builder knows where pages go."""


def provenance_line(directive: SphinxDirective, notebook_doc: str) -> list[nodes.Node]:
    """The line ending a glued exhibit's caption: the cell that computed it (a link), the data files
    behind it with a short sha256 of each, the book's version, and download links."""
    doc, key = directive.options["doc"], directive.arguments[0]
    name = Path(doc).name
    record = provenance_of(directive.env, notebook_doc)
    directive.env.note_dependency(str(Path(directive.env.srcdir) / EXPORTS_DIR / Path(doc).stem / PROVENANCE))
    glued = record.get("glue", {}).get(key)
    if glued is None:
        raise directive.error(f"glued-figure {key}: no provenance for it in {name} (build with `make book`)")
    made = [nodes.Text("Computed by "),
            PendingCellLink("", f"cell {glued['cell']} of {name}", refdoc=notebook_doc,
                            anchor=glue_anchor(key))]
    files = [f"{path} ({record['sha256'][path][:8]})" for path in glued["files"]]
    made.append(nodes.Text(f" from {', '.join(files)}" if files else " from no data file"))
    made.append(nodes.Text(f"; book version {directive.config.release}. "))
    downloads = [f"{{download}}`{label} <{path}>`" for label, path in exports_of(directive.env, doc, key)]
    downloads.append(f"{{download}}`notebook (.ipynb) <{doc}>`")
    links, messages = directive.state.inline_text(f"Download: {' · '.join(downloads)}.", directive.lineno)
    return [nodes.inline("", "", *made, nodes.inline("", "", *links, classes=["downloads"]),
                         classes=["provenance"]), *messages]



class CellAnchors(SphinxTransform):
    """On a notebook's page, an anchor on each code cell: ``cell-N`` by execution count, and
    ``glue-<key>`` for every key the cell glues."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        source = Path(self.env.doc2path(self.env.docname))
        if source.suffix != ".ipynb":
            return
        cells = read_json(source).get("cells", [])
        for container in self.document.findall(nodes.container):
            if container.get("nb_element") != "cell_code" or container.get("exec_count") is None:
                continue
            outputs = cells[container["cell_index"]].get("outputs", [])
            keys = [o["metadata"]["scrapbook"]["name"] for o in outputs if "scrapbook" in o.get("metadata", {})]
            ids = [cell_anchor(container["exec_count"]), *(glue_anchor(key) for key in keys)]
            container.insert(0, nodes.target("", "", ids=ids, classes=["cell-anchor"]))


class LinkGluedValues(SphinxPostTransform):
    """Every glued text pasted into a chapter links to the cell that glued it, with a tooltip
    naming the data files behind it (HTML; just before MyST-NB pastes the values)."""

    default_priority = 4
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for pending in list(self.document.findall(PendingGlueReference)):
            if pending.gtype != "text" or inside(pending, (nodes.reference,)):
                continue
            if isinstance(pending.parent, nodes.inline) and "doi-link" in pending.parent["classes"]:
                continue
            glued = provenance_of(self.env, pending.refdoc).get("glue", {}).get(pending.key, {})
            name = f"{Path(pending.refdoc).name}.ipynb"
            tip = f"Computed in cell {glued['cell']} of {name}" if glued else f"Computed in {name}"
            if glued:
                tip += f" from {', '.join(glued['files'])}" if glued["files"] else " from no data file"
            uri = self.app.builder.get_relative_uri(self.env.docname, pending.refdoc) + "#" + glue_anchor(pending.key)
            link = nodes.reference("", "", internal=True, refuri=uri, reftitle=tip, classes=["glued-value"])
            pending.replace_self(link)
            link += pending


class ResolveCellLinks(SphinxPostTransform):
    """The cell links of provenance lines become references, once the builder knows where pages go."""

    default_priority = 6

    def run(self, **kwargs) -> None:
        for pending in list(self.document.findall(PendingCellLink)):
            uri = self.app.builder.get_relative_uri(self.env.docname, pending["refdoc"]) + "#" + pending["anchor"]
            pending.replace_self(nodes.reference("", "", *pending.children, internal=True, refuri=uri))


GLUED_TITLE = re.compile(r'(<a class="glued-value[^"]*"[^>]*?) title="([^"]*)"')


def _provenance_tips(app, pagename, templatename, context, doctree) -> None:
    """A pasted value's provenance is no ``title`` (shown to a mouse only): the stylesheet shows it
    on hover, keyboard focus and touch, and assistive technology reads it as the link's description."""
    if "body" in context:
        context["body"] = GLUED_TITLE.sub(r'\1 data-provenance="\2" aria-description="\2"', context["body"])


def _book_version(app, config) -> None:
    config.release = config.release or version("compendium")


def setup(app):
    app.add_node(PendingCellLink)
    app.add_transform(CellAnchors)
    app.add_post_transform(LinkGluedValues)
    app.add_post_transform(ResolveCellLinks)
    app.connect("config-inited", _book_version)
    app.connect("html-page-context", _provenance_tips)
