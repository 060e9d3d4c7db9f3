"""The PDF: images at full text width, no downloads, and a stand-in for a TeX package Debian ships
only in a huge bundle (``bbm.sty``)."""
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from compendium.book.sphinx.nodes_in import with_class

LATEX = Path(__file__).parent / "latex"  # stand-ins for TeX packages Debian ships only in huge bundles


class PrintWithoutDownloads(SphinxPostTransform):
    """In the PDF, links to zips next to the pages become plain text and captions lose their
    download links: a PDF offers no downloads."""

    default_priority = 6
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        for link in list(self.document.findall(with_class(nodes.reference, "bundle"))):
            link["classes"] = []
            link.replace_self(nodes.inline(link.astext(), link.astext()))
        for downloads in list(self.document.findall(with_class(nodes.inline, "downloads"))):
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


def _latex_support_files(app, config) -> None:
    config.latex_additional_files = [*config.latex_additional_files, str(LATEX / "bbm.sty")]


def setup(app):
    app.add_post_transform(PrintWithoutDownloads)
    app.add_post_transform(LatexImages)
    app.connect("config-inited", _latex_support_files)
