"""Links to the zips the build writes next to the pages: under every chapter's title the student
edition of its zip for a class, ``{bundle}`text <name>``` anywhere, and ``chapter-handouts``, a
list of both editions of every chapter's zip (HTML only; in the PDF such a link is plain text)."""
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import ReferenceRole, SphinxDirective

from compendium.book.paths import BUNDLES, EDITIONS, handout_name
from compendium.book.toc import chapter_notebooks, landing_page, taught_chapters


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
        name = handout_name(chapter, EDITIONS[0])
        link = bundle_reference(docname, name.removesuffix(".zip"), name)
        paragraph = nodes.paragraph("", "", nodes.Text("For a class or for offline work: "), link,
                                    nodes.Text(" holds this page without the exercises' solutions, its notebook, "
                                               "the data and the package, ready to run."), classes=["chapter-bundle"])
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


class ChapterHandouts(SphinxDirective):
    """``chapter-handouts``: every chapter taught from a notebook, with a link to each edition of its zip."""

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        items = nodes.bullet_list()
        for chapter in taught_chapters(root):
            page = addnodes.pending_xref("", nodes.inline("", chapter), refdomain="std", reftype="doc",
                                         reftarget=f"/chapters/{chapter}", refexplicit=False,
                                         refdoc=self.env.docname)
            links = [bundle_reference(self.env.docname, handout_name(chapter, e).removesuffix(".zip"),
                                      f"{e} edition") for e in EDITIONS]
            items += nodes.list_item("", nodes.paragraph("", "", page, nodes.Text(": "), links[0],
                                                         nodes.Text(" · "), links[1]))
        only = addnodes.only(expr="html")
        only += items
        return [only]


def setup(app):
    app.add_transform(ChapterBundleLink)
    app.add_role("bundle", BundleRole())
    app.add_directive("chapter-handouts", ChapterHandouts)
