"""The layers read from the folders: the import graph of graph/, api/ and visualisation/ has no cycle, the
core imports neither the service nor the views nor the tooling, and the service names no store backend.

Imports are read from the source with :mod:`ast`, those inside functions and
``TYPE_CHECKING`` blocks included, and resolved to the modules of the project.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parent.parent
LAYERS = ("graph", "api", "visualisation")
BACKENDS = ("graph.store.embedded", "graph.store.remote")
BACKEND_CLASSES = {"EmbeddedStore", "RemoteStore"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(*packages: str) -> dict[str, Path]:
    return {module_name(p): p for package in packages for p in sorted((REPO / package).rglob("*.py"))}


def imports(path: Path, name: str, known: set[str]) -> dict[str, frozenset[str]]:
    """The project modules ``path`` imports, each with the names it takes from it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault(alias.name, set())
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in known:  # "from . import read_model" imports a module
                    found.setdefault(target, set())
                else:
                    found.setdefault(base, set()).add(alias.name)
    out: dict[str, frozenset[str]] = {}
    for target, names in found.items():
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            out[target] = out.get(target, frozenset()) | names
    return out


@pytest.fixture(scope="module")
def graph_of_imports() -> nx.DiGraph:
    found = modules(*LAYERS, "bench")
    g: nx.DiGraph[str] = nx.DiGraph()
    for name, path in found.items():
        g.add_node(name)
        for target, names in imports(path, name, set(found)).items():
            g.add_edge(name, target, names=names)
    return g


def test_the_layers_have_no_import_cycle(graph_of_imports: nx.DiGraph) -> None:
    layers = graph_of_imports.subgraph([n for n in graph_of_imports if n.split(".")[0] in LAYERS])
    cycles = list(nx.simple_cycles(layers))
    assert cycles == [], cycles


@pytest.mark.parametrize("above", ["api", "visualisation", "bench"])
def test_the_core_imports_nothing_above_it(graph_of_imports: nx.DiGraph, above: str) -> None:
    upward = [(a, b) for a, b in graph_of_imports.edges if a.startswith("graph") and b.split(".")[0] == above]
    assert upward == []


def test_the_views_do_not_import_the_service(graph_of_imports: nx.DiGraph) -> None:
    upward = [(a, b) for a, b in graph_of_imports.edges if a.startswith("visualisation") and b.startswith("api")]
    assert upward == []


def test_the_service_names_no_store_backend(graph_of_imports: nx.DiGraph) -> None:
    named = [(a, b) for a, b, d in graph_of_imports.edges(data=True) if a.startswith(("api", "visualisation"))
             and (b in BACKENDS or d["names"] & BACKEND_CLASSES)]
    assert named == []
    for name, path in modules("api", "visualisation").items():
        text = path.read_text(encoding="utf-8")
        assert not any(cls in text for cls in BACKEND_CLASSES), name


def test_the_check_sees_imports_inside_functions() -> None:
    """The reader finds a lazy import and a relative one, so a cycle closed inside a function cannot hide."""
    found = modules("graph")
    deps = set(imports(found["graph.store"], "graph.store", set(found)))
    assert {"graph.store.base", "graph.store.embedded", "graph.store.remote", "graph.settings"} <= deps
    deps = set(imports(found["graph.cli.data"], "graph.cli.data", set(found)))
    assert {"graph.build", "graph.synth", "graph.store.remote"} <= deps  # imported inside command functions
