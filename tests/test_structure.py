"""The package's structure: imports run one way, from the book's analysis to the engine, never back,
and no two modules import each other, directly or round a circle (imports inside functions count)."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
from conftest import ROOT

PACKAGE = ROOT / "src" / "compendium"
TEMPLATE = PACKAGE / "book" / "template"  # a new book's files, with placeholders: not modules of this package


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, known: set[str]) -> set[str]:
    """The modules of the package that ``path`` imports anywhere in its code, as modules of ``known``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {name for name in names if name in known}
    return found


def import_graph() -> nx.DiGraph:
    paths = sorted(path for path in PACKAGE.rglob("*.py") if TEMPLATE not in path.parents)
    known = {module_name(path) for path in paths}
    graph = nx.DiGraph()
    for path in paths:
        source = module_name(path)
        graph.add_node(source)
        graph.add_edges_from((source, target) for target in imported(path, known) if target != source
                             and not source.startswith(f"{target}."))  # a package's own __init__ is no edge
    return graph


def test_the_graph_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from compendium.analysis import data\n", encoding="utf-8")
    assert imported(module, {"compendium.analysis", "compendium.analysis.data"}) == {
        "compendium.analysis", "compendium.analysis.data"}


def test_no_module_imports_itself_round_a_circle():
    graph = import_graph()
    assert len(graph) > 40 and graph.has_edge("compendium.analysis.data", "compendium.book.reads")  # read whole
    assert list(nx.simple_cycles(graph)) == []


def test_the_engine_imports_nothing_from_the_books_analysis():
    graph = import_graph()
    engine = [node for node in graph if node.startswith("compendium.book")]
    assert "compendium.book.pipeline.build" in engine and "compendium.book.sphinx.glued" in engine
    crossing = sorted((source, target) for source in engine for target in graph.successors(source)
                      if target.startswith("compendium.analysis"))
    assert crossing == []

