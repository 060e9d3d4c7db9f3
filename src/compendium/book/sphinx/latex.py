"""The PDF: set on A4, one-sided, within the margins below (running head and page number
included), with the page design of ``latex/compendium.sty``; images at full text width, no
downloads, numbered references that read as on the web, lists of references where the pages
put them, and a stand-in for a TeX package Debian
ships only in a huge bundle (``bbm.sty``). Tables: ``latex_tables.py``; the title page and the
document's metadata: ``titlepage.py``."""
import os
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex.nodes import thebibliography
from sphinx.transforms.post_transforms import SphinxPostTransform

from compendium.book.sphinx.nodes_in import with_class

LATEX = Path(__file__).parent / "latex"  # the page design, templates, stand-ins for TeX packages
MARGINS_MM = {"left": 25, "right": 25, "top": 18, "bottom": 18}  # A4's edges to the text block, head and foot in it
A4_MM = (210, 297)
HEAD_PT, HEADSEP_MM, FOOTSKIP_MM = 14, 5, 6  # the running head's height and its gap to the text; the foot's room


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


class NumbersAsOnTheWeb(SphinxPostTransform):
    """In the PDF, a numbered reference ("Exercise 20") reads as on the web: Sphinx has numbered
    its target already, and that text becomes the link. LaTeX would ask its own counters, which
    never counted an exercise ("Exercise ??"). The target gets the label the link points at, which
    an exercise, labelled its own way, lacks."""

    default_priority = 20  # after the references are resolved
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        targets = {}  # "docname:id" -> node, each id under the innermost file that holds it
        for start in self.document.findall(addnodes.start_of_file):
            for node in start.findall(nodes.Element):
                targets.update((f"{start['docname']}:{i}", node) for i in node.get("ids", []))
        labelled = set()
        for reference in list(self.document.findall(lambda n: type(n) is addnodes.number_reference)):
            link = nodes.reference("", "", *reference.children, internal=True)
            link.update_all_atts(reference, replace=False)
            reference.replace_self(link)
            uri = reference.get("refuri", "")
            key = uri[1:].replace("#", ":") if uri.startswith("%") else None
            if key in targets and key not in labelled:
                labelled.add(key)
                target = targets[key]
                target.parent.insert(target.parent.index(target), nodes.raw(
                    "", f"\\phantomsection\\label{{\\detokenize{{{key}}}}}", format="latex"))


class bibliography_place(nodes.Element):
    """Where a list of references stood, while Sphinx gathers every reference at the document's end."""


class MarkBibliographies(SphinxPostTransform):
    """Before Sphinx gathers every reference of the PDF into one list at its end: mark where each
    list stood (``BibliographiesInPlace`` puts them back)."""

    default_priority = 740  # just before Sphinx's BibliographyTransform
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        runs: list[list[nodes.citation]] = []  # each run of references one after another is a list
        for citation in self.document.findall(nodes.citation):
            previous = citation.previous_sibling()
            if runs and previous is runs[-1][-1]:
                runs[-1].append(citation)
            else:
                runs.append([citation])
        for run in runs:
            run[0].parent.insert(run[0].parent.index(run[0]),
                                 bibliography_place(citations=[citation["ids"][0] for citation in run]))


class BibliographiesInPlace(SphinxPostTransform):
    """In the PDF, each list of references stays where the page puts it (the article, its reference
    list, the compendium's own sources), under its heading as on the web."""

    default_priority = 760  # just after Sphinx's BibliographyTransform
    builders = ("latex",)

    def run(self, **kwargs) -> None:
        gathered = [node for node in self.document.findall(thebibliography)]
        citations = {c["ids"][0]: c for whole in gathered for c in whole.children}
        for place in list(self.document.findall(bibliography_place)):
            entries = [citations.pop(i) for i in place["citations"]]
            for entry in entries:
                entry.parent.remove(entry)
            place.replace_self(thebibliography("", *entries))
        for whole in gathered:
            if not len(whole.children):
                whole.parent.remove(whole)


def geometry() -> str:
    """The ``geometry`` package as the PDF uses it: A4 and ``MARGINS_MM``, head and foot inside."""
    margins = ", ".join(f"{side}={mm}mm" for side, mm in MARGINS_MM.items())
    return (f"\\usepackage[a4paper, {margins}, includeheadfoot, headheight={HEAD_PT}pt, headsep={HEADSEP_MM}mm, "
            f"footskip={FOOTSKIP_MM}mm]{{geometry}}")


def _page_design(app, config) -> None:
    elements = config.latex_elements
    elements.update(papersize="a4paper", geometry=geometry(), fncychap="\\usepackage[Sonny]{fncychap}",
                    makeindex="", printindex="")  # the book has no index
    elements["classoptions"] = elements.get("classoptions", "") + ",oneside,openany"
    elements["preamble"] = elements.get("preamble", "") + "\n\\usepackage{compendium}\n"
    config.latex_additional_files = [*config.latex_additional_files, str(LATEX / "bbm.sty"),
                                      str(LATEX / "compendium.sty")]
    config.templates_path = [*config.templates_path, str(LATEX / "templates")]


def _one_pdf_at_the_end(app) -> None:
    """XeLaTeX's passes write only their layout, and the PDF is made once, after the last
    (latexmk's -xelatex, which Sphinx's Makefile for LaTeX takes from LATEXMKOPTS; Jupyter Book
    runs it from this process)."""
    if app.builder.format == "latex":
        os.environ["LATEXMKOPTS"] = "-xelatex"


def setup(app):
    app.add_post_transform(PrintWithoutDownloads)
    app.add_post_transform(LatexImages)
    app.add_post_transform(NumbersAsOnTheWeb)
    app.add_post_transform(MarkBibliographies)
    app.add_post_transform(BibliographiesInPlace)
    app.add_node(bibliography_place)
    app.connect("config-inited", _page_design)
    app.connect("builder-inited", _one_pdf_at_the_end)
