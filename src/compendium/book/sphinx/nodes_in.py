"""Finding nodes in a docutils tree."""
from docutils import nodes


def with_class(kind: type, name: str):
    """A condition for ``findall``: a node of ``kind`` carrying the class ``name``."""
    return lambda node: isinstance(node, kind) and name in node["classes"]


def inside(node: nodes.Node, kinds: tuple) -> bool:
    """Whether ``node`` has an ancestor of one of ``kinds``."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent
    return False
