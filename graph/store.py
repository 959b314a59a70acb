"""The store interface, and the embedded store behind it.

Everything above this module (build, CLI, API, analytics, views) talks to a
:class:`Store`; only this module knows pyoxigraph. A remote SPARQL 1.1 server
plugs in as another :class:`Store` implementation.

Query results are engine-neutral: rdflib terms in :class:`SelectResult` rows,
``bool`` for ASK, a list of rdflib triples for CONSTRUCT and DESCRIBE.
:meth:`Store.query_serialized` returns a standard result serialisation
(SPARQL JSON/XML/CSV/TSV, Turtle, N-Triples, …) for clients that want bytes;
the embedded store writes it from pyoxigraph's terms, without rdflib.
"""

from __future__ import annotations

import functools
import re
import shutil
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from . import namespaces as ns
from .errors import QueryError

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


QueryResult = Union[SelectResult, bool, list[Triple]]

class Store(ABC):
    """A quad store that answers SPARQL 1.1 and holds srkg's named graphs."""

    @abstractmethod
    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, max_rows: int | None = None) -> QueryResult:
        """Run a query. Without ``default_graphs`` the default graph is the union of all graphs.

        Past ``max_rows`` rows or triples, :class:`ResultTooLarge` is raised."""

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

    def close(self) -> None:  # pragma: no cover - trivial
        """Release the store's resources."""

    def select(self, sparql: str, **bindings: object) -> SelectResult:
        """Run a SELECT, with optional ``bindings`` appended as a VALUES block."""
        from .catalogue import bind

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

    def query_serialized(self, sparql: str, result_type: str, graph_type: str, *,
                         default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                         max_rows: int | None = None) -> tuple[str, bytes]:
        """Run a query and serialise its result: ``(media type, bytes)``.

        SELECT and ASK results are written as ``result_type`` (a key of
        :data:`graph.results.RESULT_FORMATS`), graphs as ``graph_type`` (a key of
        :data:`graph.results.GRAPH_FORMATS`).
        """
        from . import results

        result = self.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs, max_rows=max_rows)
        fmt = results.RESULT_FORMATS[result_type]
        if isinstance(result, bool):
            return result_type, results.ask_bytes(result, fmt)
        if isinstance(result, SelectResult):
            rows = ([row.get(v) for v in result.variables] for row in result.rows)
            return result_type, results.select_bytes(result.variables, rows, fmt, results.rdflib_parts)
        return graph_type, results.graph_bytes(result, graph_type)

    def __len__(self) -> int:
        return sum(self.graphs().values())

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------
# Term conversion between pyoxigraph and rdflib
# --------------------------------------------------------------------------

def to_rdflib(term: object) -> Node | None:
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


def to_oxigraph(term: Node) -> object:
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


_SYNTAX_POSITION = re.compile(r"(?:at|error at) (\d+):(\d+)")


def query_syntax_error(e: SyntaxError) -> QueryError:
    """A :class:`QueryError` carrying the line and column of a pyoxigraph syntax error."""
    message = str(e)
    m = _SYNTAX_POSITION.search(message)
    if m:
        return QueryError(f"SPARQL syntax error at line {m.group(1)}, column {m.group(2)}: {message}",
                          int(m.group(1)), int(m.group(2)))
    return QueryError(f"SPARQL syntax error: {message}")


class ResultTooLarge(QueryError):
    """A query returned more rows or triples than the caller allows."""


def _capped(results: Iterable, max_rows: int | None) -> Iterator:
    for i, item in enumerate(results):
        if max_rows is not None and i >= max_rows:
            raise ResultTooLarge(f"the query returns more than {max_rows} results, the cap of this service: "
                                 "add a LIMIT or narrow the query")
        yield item


class EmbeddedStore(Store):
    """srkg's default store: pyoxigraph, in memory or persisted in a folder."""

    def __init__(self, path: Path | None = None, *, store: ox.Store | None = None, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        if store is not None:
            self._store = store
        elif path is None:
            self._store = ox.Store()
        elif read_only:
            # Several processes (the service, the CLI, workers) may read one built store at once.
            self._store = ox.Store.read_only(str(path))
        else:
            self._store = ox.Store(str(path))

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store, for the build and the benchmarks only."""
        return self._store

    def _run(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None) -> object:
        """The engine's own result of ``sparql``, with srkg's dataset defaults and errors."""
        kwargs: dict[str, object] = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self._store.query(sparql, prefixes=ns.PREFIXES, **kwargs)
        except SyntaxError as e:
            raise query_syntax_error(e) from e
        except (OSError, RuntimeError, ValueError) as e:
            raise QueryError(f"the query failed: {e}") from e

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, max_rows: int | None = None) -> QueryResult:
        """See :meth:`Store.query`; ``max_rows`` stops reading and raises :class:`ResultTooLarge` past it."""
        result = self._run(sparql, default_graphs, named_graphs)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [{v: to_rdflib(sol[v]) for v in variables} for sol in _capped(result, max_rows)]
            return SelectResult(variables, rows)
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))  # type: ignore[attr-defined]
                for t in _capped(result, max_rows)]  # type: ignore[arg-type]

    def query_serialized(self, sparql: str, result_type: str, graph_type: str, *,
                         default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                         max_rows: int | None = None) -> tuple[str, bytes]:
        """See :meth:`Store.query_serialized`; written straight from pyoxigraph's terms."""
        from . import results

        result = self._run(sparql, default_graphs, named_graphs)
        fmt = results.RESULT_FORMATS[result_type]
        try:
            if isinstance(result, ox.QueryBoolean):
                return result_type, results.ask_bytes(bool(result), fmt)
            if isinstance(result, ox.QuerySolutions):
                variables = [v.value for v in result.variables]
                rows = [[sol[i] for i in range(len(variables))] for sol in _capped(result, max_rows)]
                return result_type, results.select_bytes(variables, rows, fmt, results.ox_parts)
            return graph_type, results.graph_bytes(list(_capped(result, max_rows)), graph_type)  # type: ignore
        except (OSError, RuntimeError) as e:
            raise QueryError(f"the query failed: {e}") from e

    def update(self, sparql: str) -> None:
        try:
            self._store.update(sparql, prefixes=ns.PREFIXES)
        except SyntaxError as e:
            raise query_syntax_error(e) from e

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        # One SPARQL update is one transaction in Oxigraph: readers see the old
        # graph or the new one, never a mix.
        body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
        self._store.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")

    def graphs(self) -> dict[str, int]:
        counts = self._store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        out = {g.value: 0 for g in self._store.named_graphs()}  # an empty graph counts too
        out.update({row["g"].value: int(row["n"].value) for row in counts})  # type: ignore[index,union-attr]
        return dict(sorted(out.items()))

    def graph_names(self) -> set[str]:
        return {g.value for g in self._store.named_graphs()}

    def __len__(self) -> int:
        return len(self._store)

    def dump(self, media_type: str = "application/n-quads") -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise ValueError(f"unsupported format {media_type}")
        if fmt.supports_datasets:
            return self._store.dump(format=fmt, prefixes=ns.PREFIXES) if fmt != ox.RdfFormat.N_QUADS \
                else self._store.dump(format=fmt)
        return self._store.dump(format=fmt, from_graph=ox.DefaultGraph())

    def quads(self) -> Iterator[Quad]:
        for q in self._store:
            yield (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name))

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        try:
            if not self.read_only:
                self._store.flush()
        except Exception:  # noqa: BLE001 - in-memory stores cannot flush
            pass
        self._store = None  # type: ignore[assignment]


# --------------------------------------------------------------------------
# Opening the configured store
# --------------------------------------------------------------------------

CURRENT = "current"


def current_store_path(store_dir: Path) -> Path:
    """The folder of the store the last successful build produced."""
    return store_dir / CURRENT


def open_store(settings: "Settings | None" = None, *, read_only: bool = False) -> Store:  # noqa: F821
    """Open the store the settings name: the embedded one by default.

    ``read_only`` opens an embedded store so that other processes can read it
    at the same time (the CLI's read commands do).
    """
    from .settings import get_settings

    settings = settings or get_settings()
    if settings.store != "embedded":
        from .remote import RemoteStore  # type: ignore[import-not-found]

        return RemoteStore(settings.store, settings=settings)
    path = current_store_path(settings.store_dir)
    if not path.exists():
        raise FileNotFoundError(f"no store at {path}: run `srkg build` first")
    return EmbeddedStore(path.resolve(), read_only=read_only)


def publish(new_store: Path, store_dir: Path) -> None:
    """Make ``new_store`` the current store in one atomic rename; drop superseded builds."""
    link = current_store_path(store_dir)
    tmp = store_dir / f".{CURRENT}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(new_store.resolve())
    old = link.resolve() if link.is_symlink() else None
    tmp.replace(link)
    builds = store_dir / "builds"
    for d in builds.iterdir() if builds.is_dir() else []:
        if d.resolve() not in {new_store.resolve(), old} and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)
