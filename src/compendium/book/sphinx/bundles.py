"""Links to the zips the build writes next to the pages: under every chapter's title its zip for a
class, and ``{bundle}`text <name>``` anywhere (HTML only; in the PDF such a link is plain text)."""
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import ReferenceRole

from compendium.book.paths import BUNDLES
from compendium.book.toc import chapter_notebooks, landing_page


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


def setup(app):
    app.add_transform(ChapterBundleLink)
    app.add_role("bundle", BundleRole())
