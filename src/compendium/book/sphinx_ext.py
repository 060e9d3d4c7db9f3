"""Sphinx extension for the book's pages.

``glued-figure``: a figure or a table whose body is a glued notebook output from another
page — ``{glued-figure} key`` with ``:doc:`` — captioned by the directive's first paragraph
(which may itself paste glued text). A glued table (``publish.PublishedTable``) becomes a
real table, numbered and captioned as a table in HTML and LaTeX; a glued figure keeps the
alt text its notebook computed. MyST-NB's ``glue:figure`` only reads its own page.

Provenance: every caption ends with a line naming the notebook cell that made the exhibit
(a link to that cell), the data files that cell and the cells it draws on read, each with
a short sha256, the book's version, and download links. Every number or string pasted
into a chapter with ``glue:text`` links to the cell that glued it, with a tooltip naming
those files. Both come from ``_exports/<notebook>/provenance.json``, written by the build
from the data layer's read log (``compendium.book.provenance``).

Notebook pages: an anchor per cell and per glue key; glued tables as real tables; images
with the alt text their output carries (``NotebookOutputs``, a MyST-NB mime renderer
plugin registered in ``pyproject.toml``, which also renders the CSV twin of a table as
nothing: it is data for download, not page content).

Numbering: the captions carry the article's own table and figure numbers, so a glued
figure or table is a node class of its own that Sphinx does not number ("Fig. N",
"Table N"); numbering stays on for what needs it, such as exercises. LaTeX still numbers
every captioned float of the PDF, figures and tables apart.

Also: ``{doi}`` (a glued DOI as a link to doi.org), ``{bundle}`` (a zip the build writes
next to the pages), ``repository-link`` (the repository URL of ``_config.yml``, only when
one is set), a download link to its zip on every chapter that has a notebook, the book's
stylesheet and favicon, each inline script once per page, bibliography entries marked as
list items, and for the PDF the images of cross-page glue at full text width and a
stand-in for ``bbm.sty``.
"""
import json
import os
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

from docutils import nodes
from docutils.parsers.rst import directives
from myst_nb.ext.glue.utils import PendingGlueReference, PendingGlueReferenceError, create_pending_glue_ref
from myst_nb.sphinx_ext import add_global_html_resources
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import ReferenceRole, SphinxDirective, SphinxRole
from sphinx_exercise import copy_asset_files

from compendium.analysis.publish import TABLE_MIME, linked_parts
from compendium.book.exports import EXPORTS_DIR
from compendium.book.handout import BUNDLES
from compendium.book.provenance import PROVENANCE
from compendium.book.toc import NOTEBOOK_LINK, chapter_notebooks, landing_page

STATIC = Path(__file__).parent / "static"
SITE_ROOT = Path(__file__).parent / "site_root"  # copied to the top of the rendered book (favicon.ico)
LATEX = Path(__file__).parent / "latex"  # stand-ins for TeX packages Debian ships only in huge bundles
EXPORT_FILES = (("figures", ".png", "PNG"), ("figures", ".svg", "SVG"), ("tables", ".csv", "CSV"))
PHONE_TEXT_WIDTH = 44  # characters that fit across a phone's column of text (390 px screen)


class glued_figure(nodes.figure):
    """A figure whose caption carries the article's own number: Sphinx numbers only the
    node classes it knows (``nodes.figure`` exactly), so this one gets no "Fig. N" prefix."""


class glued_table(nodes.table):
    """A table whose caption carries the article's own number (or none): not numbered by Sphinx."""


FIGURE_VISITORS = (lambda self, node: self.visit_figure(node), lambda self, node: self.depart_figure(node))
TABLE_VISITORS = (lambda self, node: self.visit_table(node), lambda self, node: self.depart_table(node))


def glue_anchor(key: str) -> str:
    """The id of the notebook cell that glued ``key``, on its notebook's page."""
    return nodes.make_id(f"glue-{key}")


def cell_anchor(count: int) -> str:
    """The id of the code cell with execution count ``count``, on its notebook's page."""
    return f"cell-{count}"


@lru_cache(maxsize=32)
def _json(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _read(path: Path) -> dict:
    return _json(str(path), path.stat().st_mtime) if path.is_file() else {}


def provenance_of(env, notebook_doc: str) -> dict:
    """The build's provenance record of a notebook page (``{}`` when the book was built without it)."""
    return _read(Path(env.srcdir) / EXPORTS_DIR / Path(notebook_doc).name / PROVENANCE)


def glued_output(env, notebook_doc: str, key: str) -> dict:
    """The mime bundle and metadata of one glued output of a staged, executed notebook."""
    notebook = _read(Path(env.doc2path(notebook_doc)))
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {})
            if meta.get("scrapbook", {}).get("name") == key:
                prefix = len(meta["scrapbook"].get("mime_prefix", ""))
                return {"data": {mime[prefix:]: value for mime, value in output.get("data", {}).items()},
                        "metadata": {mime[prefix:]: value for mime, value in meta.items()}}
    return {"data": {}, "metadata": {}}


def table_node(cells: dict, classes: list[str], kind: type = nodes.table) -> nodes.table:
    """A docutils table (of class ``kind``) from ``PublishedTable.cells()``: a header row, then one
    row per row of cells, each word of the table's links a link.

    A table of four or more columns too wide for a phone even with every column at its longest
    word is marked to be stacked into cards there (narrower ones scroll in their container),
    and carries in every cell its column's name (hidden unless the stylesheet stacks the table).
    """
    columns, links = cells["columns"], cells.get("links", {})
    stacked = len(columns) >= 4 and _narrowest(cells) > PHONE_TEXT_WIDTH
    table = kind(classes=["compendium-table", *(["stacked"] if stacked else []), *classes])
    group = nodes.tgroup(cols=len(columns))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in columns]

    def row(values, header: bool) -> nodes.row:
        line = nodes.row()
        for column, value in zip(columns, values, strict=True):
            pieces = [nodes.reference(piece, piece, refuri=address) if address else nodes.Text(piece)
                      for piece, address in linked_parts(value, {} if header else links)]
            paragraph = nodes.paragraph()
            if stacked and not header:  # label and value: the two items of a card's line
                paragraph += [nodes.inline(column, column, classes=["cell-label"]), nodes.inline("", "", *pieces)]
            else:
                paragraph += pieces
            line += nodes.entry("", paragraph)
        return line

    group += nodes.thead("", row(columns, True))
    group += nodes.tbody("", *(row([values[c] for c in columns], False) for values in cells["rows"]))
    return table


def _narrowest(cells: dict) -> int:
    """Roughly how many characters wide a table is at its narrowest: every column at its longest
    word, plus room for the padding between columns."""
    return sum(max(len(word) for text in (column, *(row[column] for row in cells["rows"]))
                   for word in (text.split() or [""])) + 3
               for column in cells["columns"])


class PendingCellLink(nodes.Inline, nodes.TextElement):
    """A link to a notebook page's cell, resolved once the builder knows where pages go."""


class GluedFigure(SphinxDirective):
    """A figure, or a table, around a glued output from ``:doc:``, captioned by the content."""

    required_arguments = 1
    has_content = True
    option_spec = {"doc": directives.unchanged_required, "name": directives.unchanged,
                   "provenance": directives.unchanged}

    def _notebook_doc(self) -> str:
        _, path = self.env.relfn2path(self.options["doc"], self.env.docname)
        return self.env.path2doc(path)

    def _provenance(self, notebook_doc: str) -> list[nodes.Node]:
        doc, key = self.options["doc"], self.arguments[0]
        name = Path(doc).name
        record = provenance_of(self.env, notebook_doc)
        self.env.note_dependency(str(Path(self.env.srcdir) / EXPORTS_DIR / Path(doc).stem / PROVENANCE))
        glued = record.get("glue", {}).get(key)
        if glued is None:
            raise self.error(f"glued-figure {key}: no provenance for it in {name} (build with `make book`)")
        made = [nodes.Text("Computed by "),
                PendingCellLink("", f"cell {glued['cell']} of {name}", refdoc=notebook_doc,
                                anchor=glue_anchor(key))]
        files = [f"{path} ({record['sha256'][path][:8]})" for path in glued["files"]]
        made.append(nodes.Text(f" from {', '.join(files)}" if files else " from no data file"))
        made.append(nodes.Text(f"; book version {self.config.release}. "))
        downloads = [f"{{download}}`{label} <{path}>`" for label, path in _exports_of(self.env, doc, key)]
        downloads.append(f"{{download}}`notebook (.ipynb) <{doc}>`")
        links, messages = self.state.inline_text(f"Download: {' · '.join(downloads)}.", self.lineno)
        return [nodes.inline("", "", *made, nodes.inline("", "", *links, classes=["downloads"]),
                             classes=["provenance"]), *messages]

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
        provenance = self._provenance(notebook_doc)
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
            exhibit["alt_text"] = output["metadata"].get("image/png", {}).get("alt", "")
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
        alt = data.output_metadata.get(data.mime_type, {}).get("alt")
        if data.mime_type in ("image/png", "image/svg+xml") and alt:
            images = renderer.render_image(data)
            for image in images:
                image["alt"] = alt
            return images
        return None


class CellAnchors(SphinxTransform):
    """On a notebook's page, an anchor on each code cell: ``cell-N`` by execution count, and
    ``glue-<key>`` for every key the cell glues."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        source = Path(self.env.doc2path(self.env.docname))
        if source.suffix != ".ipynb":
            return
        cells = _read(source).get("cells", [])
        for container in self.document.findall(nodes.container):
            if container.get("nb_element") != "cell_code" or container.get("exec_count") is None:
                continue
            outputs = cells[container["cell_index"]].get("outputs", [])
            keys = [o["metadata"]["scrapbook"]["name"] for o in outputs if "scrapbook" in o.get("metadata", {})]
            ids = [cell_anchor(container["exec_count"]), *(glue_anchor(key) for key in keys)]
            container.insert(0, nodes.target("", "", ids=ids, classes=["cell-anchor"]))


class ChapterBundleLink(SphinxTransform):
    """Under the title of every chapter that pastes from a notebook: its zip for a class (HTML only)."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        docname = self.env.docname
        if not docname.startswith("chapters/") or not (Path(self.env.srcdir) / f"{docname}.md").is_file():
            return
        chapter, root = Path(docname).name, Path(self.env.srcdir)
        if chapter == landing_page(root) or not chapter_notebooks(root, chapter):
            return
        section = next(self.document.findall(nodes.section), None)
        if section is None:
            return
        link = bundle_reference(docname, chapter, f"{chapter}.zip")
        paragraph = nodes.paragraph("", "", nodes.Text("For a class or for offline work: "), link,
                                    nodes.Text(" holds this page, its notebook, the data and the package, "
                                               "ready to run."), classes=["chapter-bundle"])
        only = addnodes.only(expr="html")
        only += paragraph
        section.insert(1, only)


def bundle_reference(docname: str, name: str, text: str) -> nodes.reference:
    """A link from page ``docname`` to the zip ``name`` the build writes next to the pages."""
    uri = "../" * docname.count("/") + f"{BUNDLES}/{name}.zip"
    return nodes.reference(text, text, refuri=uri, classes=["download", "bundle"])


class BundleRole(ReferenceRole):
    """``{bundle}`text <name>``: a link to the zip ``name`` the build writes next to the pages."""

    def run(self):
        return [bundle_reference(self.env.docname, self.target, self.title)], []


class DoiRole(SphinxRole):
    """``{doi}`<notebook>::<key>``: a DOI glued by a notebook, as a link to doi.org."""

    def run(self):
        doc, _, key = self.text.partition("::")
        source, line = self.get_source_info()
        try:
            pending = create_pending_glue_ref(self.inliner.document, source, line, doc, key, inline=True,
                                              gtype="text", fmt_spec="s")
        except PendingGlueReferenceError as exc:
            return [], [self.inliner.reporter.error(f"doi {self.text}: {exc}", line=line)]
        return [nodes.inline("", "", pending, classes=["doi-link"])], []


class RepositoryLink(SphinxDirective):
    """The repository URL set in ``_config.yml`` (``repository: url:``) as a paragraph, or nothing."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        url = (self.config.html_theme_options or {}).get("repository_url") or ""
        if not url:
            return []
        paragraph = nodes.paragraph()
        self.state.nested_parse(self.content, self.content_offset, paragraph)
        prefix = paragraph[0].children if len(paragraph) else [nodes.Text("Repository: ")]
        return [nodes.paragraph("", "", *prefix, nodes.Text(" "), nodes.reference(url, url, refuri=url))]


class LinkGluedValues(SphinxPostTransform):
    """Every glued text pasted into a chapter links to the cell that glued it, with a tooltip
    naming the data files behind it (HTML; just before MyST-NB pastes the values)."""

    default_priority = 4
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for pending in list(self.document.findall(PendingGlueReference)):
            if pending.gtype != "text" or _inside(pending, (nodes.reference,)):
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


def _with_class(kind: type, name: str):
    return lambda node: isinstance(node, kind) and name in node["classes"]


def _inside(node: nodes.Node, kinds: tuple) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent
    return False


class ResolveLinks(SphinxPostTransform):
    """Cell links of provenance lines become references; pasted DOIs link to doi.org (after MyST-NB
    pastes them); in the PDF, links to zips next to the pages become plain text and captions
    lose their download links."""

    default_priority = 6

    def run(self, **kwargs) -> None:
        for pending in list(self.document.findall(PendingCellLink)):
            uri = self.app.builder.get_relative_uri(self.env.docname, pending["refdoc"]) + "#" + pending["anchor"]
            pending.replace_self(nodes.reference("", "", *pending.children, internal=True, refuri=uri))
        for holder in list(self.document.findall(_with_class(nodes.inline, "doi-link"))):
            doi = holder.astext().strip()
            holder.replace_self(nodes.reference(doi, doi, refuri=f"https://doi.org/{quote(doi, safe='/')}"))
        if self.app.builder.format == "latex":  # a PDF offers no downloads
            for link in list(self.document.findall(_with_class(nodes.reference, "bundle"))):
                link["classes"] = []
                link.replace_self(nodes.inline(link.astext(), link.astext()))
            for downloads in list(self.document.findall(_with_class(nodes.inline, "downloads"))):
                downloads.parent.remove(downloads)


class LatexImages(SphinxPostTransform):
    """In the PDF, every image spans the text width. MyST-NB points cross-page glued images at
    the HTML page layout ("../<hash>.png"); a LaTeX build is one folder, where the same image
    sits under its own name."""

    default_priority = 6  # just after MyST-NB replaces its pending glue references
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for image in self.document.findall(nodes.image):
            image["width"] = "100%"
            name = Path(image["uri"]).name
            if image["uri"].startswith("../") and "candidates" in image:
                image["uri"] = name
                image["candidates"] = {"*": name}


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
    """Each glued figure's image gets the alt text its notebook computed, or else its caption
    (less the provenance line)."""
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


def _favicon(app, config) -> None:
    config.html_favicon = config.html_favicon or str(STATIC / "favicon.png")


def _latex_support_files(app, config) -> None:
    config.latex_additional_files = [*config.latex_additional_files, str(LATEX / "bbm.sty")]


def _book_version(app, config) -> None:
    config.release = config.release or version("compendium")


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


def _pages_pasting_from_notebooks_read(app, env, added, changed, removed) -> list[str]:
    """The pages to read again with the notebooks they paste from or link to: what a page
    pastes from another page is settled when the page itself is read."""
    notebooks = {Path(doc).name for doc in added | changed if doc.startswith("notebooks/")}
    if not notebooks:
        return []
    return sorted(doc for doc in env.found_docs - added - changed
                  if notebooks & set(NOTEBOOK_LINK.findall(Path(env.doc2path(doc)).read_text(encoding="utf-8"))))


def setup(app):
    app.add_node(PendingCellLink)
    for kind, visitors in ((glued_figure, FIGURE_VISITORS), (glued_table, TABLE_VISITORS)):
        app.add_node(kind, **dict.fromkeys(("html", "latex", "text", "man", "texinfo"), visitors))
    app.add_directive("glued-figure", GluedFigure)
    app.add_directive("repository-link", RepositoryLink)
    app.add_role("doi", DoiRole())
    app.add_role("bundle", BundleRole())
    app.add_transform(CellAnchors)
    app.add_transform(ChapterBundleLink)
    app.add_post_transform(LinkGluedValues)
    app.add_post_transform(ResolveLinks)
    app.add_post_transform(LatexImages)
    app.connect("builder-inited", _add_stylesheet)
    app.connect("html-page-context", _unique_scripts, priority=100)  # before handlers that end the event
    app.connect("html-page-context", _citation_list_items)
    app.connect("config-inited", _latex_support_files)
    app.connect("config-inited", _favicon)
    app.connect("config-inited", _book_version)
    app.connect("doctree-resolved", _fill_alt)
    app.connect("env-get-outdated", _pages_pasting_from_notebooks_read)
    app.connect("write-started", _extension_stylesheets_first)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
