"""Tables on a phone: a table too wide for a phone's column becomes one card per row there.

Every table of a page, whether pasted from a notebook, written in Markdown or made by a
directive, is marked ``stacked`` when it has four or more columns and does not fit a phone's
column even with every column at its longest word; each of its body cells then carries its
column's name as the attribute ``data-label`` (``labelled_entry``), which the stylesheet shows
beside the value on a phone. Narrower tables keep their columns and scroll inside their
container, whose edge the stylesheet shades while more of the table lies beyond it.
"""
from docutils import nodes
from sphinx.transforms import SphinxTransform

from compendium.escape import for_html

PHONE_TEXT_WIDTH = 44  # characters that fit across a phone's column of text (390 px screen)


class labelled_entry(nodes.entry):
    """A cell of a table stacked into cards on a phone. Its column's name, as the header shows
    it, reaches the web page only as the cell's ``data-label`` attribute, which the stylesheet
    shows beside the value on a phone: it is never text, so the PDF, the search index, copied
    text and every export hold the value alone."""


def narrowest(columns: list[list[str]]) -> int:
    """Roughly how many characters wide a table is at its narrowest: every column (its header and
    cells, as texts) at its longest word, plus room for the padding between columns."""
    return sum(max(len(word) for text in column for word in (text.split() or [""])) + 3 for column in columns)


def too_wide_for_a_phone(columns: list[list[str]]) -> bool:
    """Whether a table of these columns is stacked into cards on a phone."""
    return len(columns) >= 4 and narrowest(columns) > PHONE_TEXT_WIDTH


def _column_name(cell: nodes.entry) -> str:
    row = cell.parent
    head = next(part for part in row.parent.parent.children if isinstance(part, nodes.thead))
    return head[0][row.index(cell)].astext()


def _visit_labelled_entry_html(self, node: labelled_entry) -> None:
    self.visit_entry(node)
    self.body[-1] = self.body[-1].replace("<td", f'<td data-label="{for_html(_column_name(node))}"', 1)


class StackWideTables(SphinxTransform):
    """Mark every table with one header row that is too wide for a phone, and label its cells."""

    default_priority = 800

    def apply(self, **kwargs) -> None:
        for table in list(self.document.findall(nodes.table)):
            if "stacked" in table["classes"] or "compendium-table" in table["classes"]:  # decided when made
                continue
            group = next(iter(table.findall(nodes.tgroup)), None)
            head = next((part for part in group.children if isinstance(part, nodes.thead)), None) if group else None
            body = next((part for part in group.children if isinstance(part, nodes.tbody)), None) if group else None
            if head is None or body is None or len(head.children) != 1:
                continue
            rows = [[entry.astext() for entry in row.children] for row in (head[0], *body.children)]
            if any(len(row) != len(rows[0]) for row in rows):  # spanning cells: no one name per value
                continue
            if too_wide_for_a_phone([list(column) for column in zip(*rows, strict=True)]):
                stack(table, body)


def stack(table: nodes.table, body: nodes.tbody) -> None:
    """Mark ``table`` to be stacked on a phone and turn the cells of ``body`` into labelled ones."""
    table["classes"] += ["stacked"]
    for row in body.children:
        for index, entry in enumerate(list(row.children)):
            row[index] = labelled_entry(entry.rawsource, *entry.children, **entry.attributes)


ENTRY_VISITORS = (lambda self, node: self.visit_entry(node), lambda self, node: self.depart_entry(node))


def setup(app):
    app.add_node(labelled_entry, html=(_visit_labelled_entry_html, ENTRY_VISITORS[1]),
                 **dict.fromkeys(("latex", "text", "man", "texinfo"), ENTRY_VISITORS))
    app.add_transform(StackWideTables)
