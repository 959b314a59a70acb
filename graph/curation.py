"""Writes by curators (SPARQL Update, Graph Store Protocol), checked like a build before they land.

A write is applied to an in-memory copy of the store (:meth:`Store.snapshot`); the RDFS entailments
and shortcuts are recomputed there with the build's queries, and the copy
goes through the build's checks (:func:`graph.checks.check_terms`), SHACL
(:func:`graph.shacl.validate`) and the fidelity checks
(:func:`graph.fidelity.check`, against the sources' texts in the data folder). Only if all pass are the graphs
that changed written to the store, in one SPARQL update, which Oxigraph applies as one
transaction (:meth:`CheckedWrite.apply`). Any failure raises and leaves the store as it was.

Quotes (``srkg:quote``) are not grounded here: a write carries full
``srkg:Evidence`` nodes, as the store holds them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pyoxigraph as ox

from . import checks, fidelity, layout, shacl
from . import namespaces as ns
from .dataset import Dataset, skolemise
from .entailment import DERIVATIONS, derive
from .errors import DataError, Problem
from .settings import Settings
from .store import Store
from .store.base import query_syntax_error

DERIVED_GRAPHS = {graph for _, graph in DERIVATIONS}
PROTECTED_GRAPHS = {ns.ONTOLOGY_GRAPH} | DERIVED_GRAPHS


def _parse(data: bytes, media_type: str, graph: str) -> list[ox.Quad]:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None or fmt.supports_datasets:
        raise DataError([Problem(None, None, f"cannot read {media_type}; send text/turtle, application/n-triples, "
                                             "application/ld+json or application/rdf+xml")])
    try:
        g = ox.NamedNode(graph)
        quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(data, format=fmt, base_iri=graph)]
    except SyntaxError as e:
        raise DataError([Problem(None, None, f"syntax error in the {media_type} body: {e}")]) from e
    return skolemise(quads, f"{ns.GENID}write-{uuid.uuid4().hex[:12]}/")


def _by_graph(store: ox.Store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for q in store:
        if isinstance(q.graph_name, ox.DefaultGraph):
            continue
        out.setdefault(q.graph_name.value, set()).add(f"{q.subject} {q.predicate} {q.object} .")
    return out


@dataclass(frozen=True)
class CheckedWrite:
    """A write that passed every check: the graphs it changes and the one update that applies it."""

    changed: list[str]
    update: str

    def apply(self, store: Store) -> None:
        """Apply it in one transaction: one SPARQL update (nothing if it changes nothing)."""
        if self.update:
            store.update(self.update)


def prepare(store: Store, settings: Settings, *, update: str | None = None, graph: str | None = None,
            data: bytes | None = None, media_type: str | None = None, mode: str = "replace") -> CheckedWrite:
    """Check one write on a copy of the store; raise if it is invalid, else return it ready to apply.

    Either ``update`` (a SPARQL Update) or ``graph`` with ``mode`` ``replace``
    (PUT), ``merge`` (POST) or ``drop`` (DELETE) and, for the first two, the
    ``data`` in ``media_type``.
    """
    if graph is not None and graph in PROTECTED_GRAPHS:
        raise DataError([Problem(None, None, f"<{graph}> is maintained by the build; write the reference "
                                             "or a source graph instead")])
    candidate = Dataset()
    candidate.store = store.snapshot()
    before = _by_graph(candidate.store)
    if update is not None:
        try:
            candidate.store.update(update, prefixes=ns.PREFIXES)
        except SyntaxError as e:
            raise query_syntax_error(e) from e
        except (OSError, ValueError, RuntimeError) as e:
            raise DataError([Problem(None, None, f"the update failed: {e}")]) from e
    elif graph is not None:
        target = ox.NamedNode(graph)
        if mode in {"replace", "drop"} and candidate.store.contains_named_graph(target):
            candidate.store.remove_graph(target)
        if mode in {"replace", "merge"}:
            candidate.store.extend(_parse(data or b"", media_type or "text/turtle", graph))
    for g in DERIVED_GRAPHS:
        if candidate.store.contains_named_graph(ox.NamedNode(g)):
            candidate.store.remove_graph(ox.NamedNode(g))
    derive(candidate)
    after = _by_graph(candidate.store)
    if any(before.get(g) != after.get(g) for g in PROTECTED_GRAPHS - DERIVED_GRAPHS):
        raise DataError([Problem(None, None, "the write changes the ontology graph, which only the build maintains")])
    data_graphs = sorted(g for g in after if g not in PROTECTED_GRAPHS)
    checks.check_terms(candidate, data_graphs)
    shacl.validate(candidate, layout.shapes_file(settings.ontology_dir))
    fidelity.check(candidate.store, fidelity.source_texts(candidate.store, settings.data_dir),
                   lambda graph, iri: (None, None))
    changed = sorted(g for g in set(before) | set(after) if before.get(g) != after.get(g))
    ops = []
    for g in changed:
        ops.append(f"DROP SILENT GRAPH <{g}>")
        if after.get(g):
            ops.append(f"INSERT DATA {{ GRAPH <{g}> {{\n" + "\n".join(sorted(after[g])) + "\n} }")
    return CheckedWrite(changed, " ;\n".join(ops))
