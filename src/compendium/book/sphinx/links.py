"""Links from values: ``{doi}``, a glued DOI as a link to doi.org."""
from urllib.parse import quote

from docutils import nodes
from myst_nb.ext.glue.utils import PendingGlueReferenceError, create_pending_glue_ref
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxRole

from compendium.book.sphinx.nodes_in import with_class


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


class ResolveDois(SphinxPostTransform):
    """Pasted DOIs link to doi.org (just after MyST-NB pastes them)."""

    default_priority = 6

    def run(self, **kwargs) -> None:
        for holder in list(self.document.findall(with_class(nodes.inline, "doi-link"))):
            doi = holder.astext().strip()
            holder.replace_self(nodes.reference(doi, doi, refuri=f"https://doi.org/{quote(doi, safe='/')}"))


def setup(app):
    app.add_role("doi", DoiRole())
    app.add_post_transform(ResolveDois)
