"""The store interface: what every backend offers the build, the CLI, the service and the views.

A :class:`Store` answers SPARQL 1.1 over srkg's named graphs, with the
default graph as their union. Results are engine-neutral: rdflib terms in a
:class:`SelectResult` for SELECT, ``bool`` for ASK, a list of rdflib triples
for CONSTRUCT and DESCRIBE; :meth:`Store.query_serialized` gives a standard
serialisation instead, for clients that want bytes. Writes, snapshots and the
capabilities a caller must know of (:attr:`Store.needs_query_workers`) are
methods of the interface, so no caller needs to know which backend it holds.
"""

from __future__ import annotations

import asyncio
import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self, overload

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from .. import namespaces as ns
from ..errors import QueryError

Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, Node]


@dataclass
class SelectResult:
    """Rows of a SELECT query: each row maps variable name to an rdflib term (or None)."""

    variables: list[str]
    rows: list[dict[str, Node | None]] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def values(self, variable: str) -> list[Node | None]:
        return [r.get(variable) for r in self.rows]


QueryResult = SelectResult | bool | list[Triple]


class Store(ABC):
    """A quad store that answers SPARQL 1.1 and holds srkg's named graphs."""

    #: True when the store cannot interrupt one of its own queries, so that a time limit needs the query to
    #: run in a process that can be killed (the embedded store); False when the store enforces it itself.
    needs_query_workers: bool = False

    @abstractmethod
    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, max_rows: int | None = None) -> QueryResult:
        """Run a query. Without ``default_graphs`` the default graph is the union of all graphs.

        Past ``max_rows`` rows or triples, :class:`~graph.errors.ResultTooLarge` is raised."""

    @abstractmethod
    def query_serialized(self, sparql: str, result_type: str, graph_type: str, *,
                         default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                         max_rows: int | None = None) -> tuple[str, bytes]:
        """Run a query and serialise its result: ``(media type, bytes)``.

        SELECT and ASK results are written as ``result_type`` (a key of
        :data:`graph.store.results.RESULT_FORMATS`), graphs as ``graph_type`` (a key of
        :data:`graph.store.results.GRAPH_FORMATS`).
        """

    async def aquery_serialized(self, sparql: str, result_type: str, graph_type: str, *,
                                default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                                max_rows: int | None = None) -> tuple[str, bytes]:
        """:meth:`query_serialized` for an event loop (in a thread, unless a backend does better)."""
        return await asyncio.to_thread(functools.partial(
            self.query_serialized, sparql, result_type, graph_type, default_graphs=default_graphs,
            named_graphs=named_graphs, max_rows=max_rows))

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL Update atomically."""

    @abstractmethod
    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        """Replace the content of one named graph atomically."""

    @abstractmethod
    def graphs(self) -> dict[str, int]:
        """Every named graph with its number of triples."""

    @abstractmethod
    def dump(self, media_type: str = "application/n-quads") -> bytes:
        """The whole dataset, every named graph, serialised."""

    def quads_around(self, *, subjects: Iterable[str] = (), objects: Iterable[str] = (),
                     graphs: Iterable[str] = ()) -> set[ox.Quad]:
        """Every quad of a named graph whose subject is one of ``subjects``, whose object is one of
        ``objects`` (IRIs), or that lies in one of ``graphs``: what a curator's write is checked against.

        This default asks the store in SPARQL, a few hundred nodes per query; the embedded store reads
        its indexes directly."""
        out: set[ox.Quad] = set()
        for variable, iris in (("s", sorted(set(subjects))), ("o", sorted(set(objects))), ("g", sorted(set(graphs)))):
            for start in range(0, len(iris), 200):
                values = " ".join(f"<{iri}>" for iri in iris[start:start + 200])
                rows = self.query(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?{variable} {{ {values} }} "
                                  "GRAPH ?g { ?s ?p ?o } }")
                if not isinstance(rows, SelectResult):
                    raise QueryError("expected a SELECT result")
                for r in rows:
                    s, p, o, g = r["s"], r["p"], r["o"], r["g"]
                    assert s is not None and p is not None and o is not None and g is not None
                    t = to_oxigraph_triple((s, p, o))
                    out.add(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(g))))
        return out

    def backup(self, target: Path) -> Store | None:
        """A cheap writable copy of the store in the folder ``target``, for trying a write on; None when the
        backend cannot make one (then :meth:`snapshot` is the way to a copy)."""
        return None

    def snapshot(self) -> ox.Store:
        """An in-memory copy of every named graph, for checking a write before it is applied."""
        copy = ox.Store()
        copy.bulk_load(self.dump("application/n-quads"), format=ox.RdfFormat.N_QUADS)
        return copy

    def close(self) -> None:  # noqa: B027 - a store with nothing to release needs no override
        """Release the store's resources."""

    def select(self, sparql: str, **bindings: object) -> SelectResult:
        """Run a SELECT, with optional ``bindings`` appended as a VALUES block."""
        from ..catalogue import bind

        result = self.query(bind(sparql, **bindings))
        if not isinstance(result, SelectResult):
            raise QueryError("expected a SELECT query")
        return result

    def ask(self, sparql: str) -> bool:
        result = self.query(sparql)
        if not isinstance(result, bool):
            raise QueryError("expected an ASK query")
        return result

    def graph_names(self) -> set[str]:
        """The IRIs of the named graphs (cheap: no counting)."""
        return set(self.graphs())

    def __len__(self) -> int:
        return sum(self.graphs().values())

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------
# The one term model: rdflib terms above the store, pyoxigraph's inside it
# --------------------------------------------------------------------------

@overload
def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node: ...
@overload
def to_rdflib(term: object) -> Node | None: ...


def to_rdflib(term: object) -> Node | None:
    """An rdflib term for a pyoxigraph term (None for the default graph or an unbound value)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value, term.language)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported term {term!r}")


@functools.lru_cache(maxsize=65_536)
def _literal(value: str, datatype: str, language: str | None) -> Literal:
    """An rdflib literal; cached, because rdflib parses typed values (dates above all) slowly and
    results repeat their literals (rdflib terms are immutable, so sharing them is safe)."""
    if language:
        return Literal(value, lang=language)
    if datatype == ns.XSD + "string":
        return Literal(value)
    return Literal(value, datatype=URIRef(datatype))


def to_int(term: Node | None) -> int:
    """The integer a SELECT result binds (the lexical form of an integer literal, as ``int()`` reads it)."""
    if not isinstance(term, Identifier):
        raise TypeError(f"expected an integer literal, not {term!r}")
    return int(term)


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph_triple(triple: Triple) -> ox.Triple:
    """A pyoxigraph triple for an rdflib triple (TypeError if its subject is a literal or its predicate no IRI)."""
    subject, predicate, obj = (to_oxigraph(t) for t in triple)
    if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
        raise TypeError(f"unsupported triple {triple!r}")
    return ox.Triple(subject, predicate, obj)


_SYNTAX_POSITION = re.compile(r"(?:at|error at) (\d+):(\d+)")


def query_syntax_error(e: SyntaxError) -> QueryError:
    """A :class:`QueryError` carrying the line and column of a SPARQL syntax error."""
    message = str(e)
    m = _SYNTAX_POSITION.search(message)
    if m:
        return QueryError(f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {message}",
                          int(m.group(1)), int(m.group(2)))
    return QueryError(f"SPARQL syntax error: {message}")
