"""What a curator's write changes: the quads it adds and removes, found without copying the store.

A write's effect is a :class:`Delta`: the quads it adds and the quads it
removes, each in its named graph. It is found three ways, the cheapest that
is exact:

- a Graph Store Protocol write (PUT, POST, DELETE of one graph) names its
  graph: the delta is that graph's content against the new one;
- a SPARQL Update names the graphs it may write (:func:`written_graphs`, read
  from its algebra); it runs on a cheap copy of the store (an on-disk store's
  backup is made of hard links) and only those graphs are compared;
- when that cannot be known (a template writes ``GRAPH ?g``, or the store
  cannot make a cheap copy), every graph of a full in-memory copy is compared.

:class:`Overlay` reads the store as it will be once the delta is applied, so
the checks of :mod:`graph.curation` look at the write's neighbourhood only.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import URIRef

from . import namespaces as ns
from .dataset import skolemise
from .errors import DataError, Problem, SrkgError
from .store import Store
from .store.base import query_syntax_error


@dataclass
class Delta:
    """The quads a write adds and removes (never both: a quad removed and added back is no change)."""

    added: set[ox.Quad] = field(default_factory=set)
    removed: set[ox.Quad] = field(default_factory=set)
    emptied: set[str] = field(default_factory=set)  # graphs the write leaves empty, to be dropped

    @classmethod
    def between(cls, before: Iterable[ox.Quad], after: Iterable[ox.Quad]) -> Delta:
        old, new = set(before), set(after)
        return cls(new - old, old - new)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def merged(self, other: Delta) -> Delta:
        """This delta followed by ``other``."""
        added = (self.added - other.removed) | other.added
        removed = (self.removed - other.added) | other.removed
        return Delta(added - removed, removed - added, self.emptied | other.emptied)

    @property
    def graphs(self) -> set[str]:
        """The named graphs the delta changes."""
        return {q.graph_name.value for q in self.added | self.removed if isinstance(q.graph_name, ox.NamedNode)}

    def update(self) -> str:
        """The delta as one SPARQL update (one transaction in every SPARQL store): removals, then additions."""
        ops = []
        for keyword, quads in (("DELETE DATA", self.removed), ("INSERT DATA", self.added)):
            if quads:
                if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object)):
                    raise DataError([Problem(None, None, "the store holds a blank node this write would change; "
                                                         "rebuild the store (the build skolemises blank nodes)")])
                by_graph: dict[str, list[str]] = {}
                for q in quads:
                    by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
                ops += [f"{keyword} {{ GRAPH {g} {{\n" + "\n".join(sorted(lines)) + "\n} }"
                        for g, lines in sorted(by_graph.items())]  # one graph per operation: some servers
                # (Virtuoso) apply only the first GRAPH block of an operation
        ops += [f"DROP SILENT GRAPH <{g}>" for g in sorted(self.emptied)]
        return " ;\n".join(ops)


class Overlay:
    """The store as it will be once ``delta`` is applied, read around given nodes."""

    def __init__(self, store: Store, delta: Delta) -> None:
        self.store = store
        self.delta = delta

    def around(self, *, subjects: Iterable[str] = (), objects: Iterable[str] = (),
               graphs: Iterable[str] = ()) -> set[ox.Quad]:
        """:meth:`graph.store.Store.quads_around`, after the delta."""
        subjects, objects, graphs = set(subjects), set(objects), set(graphs)
        if not (subjects or objects or graphs):
            return set()
        found = self.store.quads_around(subjects=subjects, objects=objects, graphs=graphs) - self.delta.removed
        return found | {q for q in self.delta.added if _named(q.subject, subjects) or _named(q.object, objects)
                        or _named(q.graph_name, graphs)}

    def before(self, *, subjects: Iterable[str] = (), graphs: Iterable[str] = ()) -> set[ox.Quad]:
        """The same, before the delta."""
        subjects, graphs = set(subjects), set(graphs)
        if not (subjects or graphs):
            return set()
        return self.store.quads_around(subjects=subjects, graphs=graphs)


def _named(term: object, iris: set[str]) -> bool:
    return isinstance(term, ox.NamedNode) and term.value in iris


def of_graph_write(store: Store, graph: str, quads: list[ox.Quad], mode: str) -> Delta:
    """The delta of a Graph Store Protocol write: ``replace`` (PUT) or ``merge`` (POST) ``graph`` with
    ``quads``, or ``drop`` it (DELETE)."""
    before = store.quads_around(graphs=[graph])
    if mode == "merge":
        return Delta(set(quads) - before, set())
    return Delta.between(before, quads if mode == "replace" else ())


def _part(node: Any, key: str) -> Any:
    """A part of an rdflib algebra node, None when it has none (its ``get`` would answer the key itself)."""
    return node[key] if key in node else None


def written_graphs(update: str) -> set[str] | None:
    """The named graphs a SPARQL Update may write, read from its algebra; None when that cannot be known
    (a template names ``GRAPH ?g``, an operation acts on every graph, or rdflib cannot parse the update).

    A write into the default graph is refused: srkg keeps every triple in a named graph."""
    operations = _operations(update)
    if operations is None:
        return None
    out: set[str] = set()

    def named(term: object) -> bool:
        if isinstance(term, URIRef):
            out.add(str(term))
            return True
        return False

    def template(block: object, default: object = None) -> bool:
        if not block:
            return True
        quads, triples = _part(block, "quads") or {}, _part(block, "triples") or []
        if triples and not named(default):
            raise DataError([Problem(None, None, "this update writes into the default graph, but srkg keeps "
                                                 "every triple in a named graph: write inside GRAPH <…> { }")])
        return all(named(g) for g in quads)

    for op in operations:
        if op.name in {"InsertData", "DeleteData", "DeleteWhere"}:
            known = template(op)
        elif op.name == "Modify":
            known = template(_part(op, "delete"), _part(op, "withClause")) and template(_part(op, "insert"),
                                                                                        _part(op, "withClause"))
        elif op.name in {"Clear", "Drop"}:
            known = named(_part(op, "graphiri"))
        elif op.name in {"Add", "Copy", "Move"}:
            source, target = op["graph"]
            known = named(target) and (op.name != "Move" or named(source) or source == "DEFAULT")
        elif op.name == "Create":
            known = True
        else:
            known = False
        if not known:
            return None
    return out


def of_update(store: Store, update: str) -> Delta:
    """The delta of a SPARQL Update: for one that only inserts data, its quads less those the store holds;
    else found by running it on a copy of ``store``."""
    graphs = written_graphs(update)  # first: it refuses a write into the default graph
    if _only_inserts_data(update):
        inserted = ox.Store()  # the engine reads the quads, as it would into the store
        _run(lambda: inserted.update(update, prefixes=ns.PREFIXES))
        quads = {q for q in inserted if isinstance(q.graph_name, ox.NamedNode)}
        held = store.quads_around(subjects=_subjects(quads))
        return _skolemised(Delta(quads - held, set()))
    with tempfile.TemporaryDirectory(prefix="srkg-write-") as scratch:
        copy = store.backup(Path(scratch) / "copy") if graphs is not None else None
        try:
            if copy is not None:
                _run(lambda: copy.update(update))
                after = copy.quads_around(graphs=graphs or ())
                delta = Delta.between(store.quads_around(graphs=graphs or ()), after)
            else:
                full = store.snapshot()
                before = {q for q in full if isinstance(q.graph_name, ox.NamedNode)}
                _run(lambda: full.update(update, prefixes=ns.PREFIXES))
                delta = Delta.between(before, (q for q in full if isinstance(q.graph_name, ox.NamedNode)))
        finally:
            if copy is not None:
                copy.close()
                shutil.rmtree(Path(scratch) / "copy", ignore_errors=True)
    return _skolemised(delta)


def _skolemised(delta: Delta) -> Delta:
    """``delta`` with the blank nodes it adds named by fresh skolem IRIs, as the build names those of files."""
    if any(isinstance(t, ox.BlankNode) for q in delta.added for t in (q.subject, q.object)):
        delta.added = set(skolemise(sorted(delta.added, key=str), f"{ns.GENID}write-{uuid.uuid4().hex[:12]}/"))
    return delta


def _subjects(quads: Iterable[ox.Quad]) -> set[str]:
    return {q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)}


@lru_cache(maxsize=16)
def _operations(update: str) -> tuple[CompValue, ...] | None:
    """The operations of ``update`` in rdflib's algebra (with srkg's prefixes, as the engine reads it); None
    when rdflib cannot parse it (the engine will judge it)."""
    prologue = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in ns.PREFIXES.items())
    try:
        return tuple(translateUpdate(parseUpdate(prologue + update)).algebra)
    except Exception:  # noqa: BLE001 - rdflib raises many kinds of parse errors
        return None


def _only_inserts_data(update: str) -> bool:
    operations = _operations(update)
    return bool(operations) and all(getattr(op, "name", None) == "InsertData" for op in operations or ())


def _run(apply: Callable[[], None]) -> None:
    try:
        apply()
    except SrkgError:
        raise
    except SyntaxError as e:
        raise query_syntax_error(e) from e
    except Exception as e:  # noqa: BLE001 - the engine's own errors (a bad IRI, a failed operation) become a 422
        raise DataError([Problem(None, None, f"the update failed: {e}")]) from e
