"""Writes by curators (SPARQL Update, Graph Store Protocol), checked like a build before they land.

A write is checked against what it changes, not against the whole store:

1. its :class:`~graph.delta.Delta`, the quads it adds and removes (:mod:`graph.delta`);
2. the derived graphs (RDFS entailments, qualified assertions, shortcuts) recomputed for the nodes the
   delta touches, with the build's own :func:`graph.entailment.derive` (:func:`derived_delta`);
3. the focus: every node whose validity the change can alter (:func:`focus_of`), and its
   neighbourhood, which holds all those nodes' descriptions and their values' (:func:`neighbourhood`);
4. the build's checks on that neighbourhood: terms and literals (:func:`graph.checks.check_quads`), SHACL
   for the focus nodes (:func:`graph.shacl.validate`) and the fidelity checks of the changed graphs
   (:func:`graph.fidelity.check`, against the sources' texts in the data folder).

Only if all pass is the delta, derived graphs included, applied in one SPARQL update, which every store
applies as one transaction (:meth:`CheckedWrite.apply`). Any failure raises and leaves the store as it was.

Quotes (``srkg:quote``) are not grounded here: a write carries full ``srkg:Evidence`` nodes, as the store
holds them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from . import checks, delta, fidelity, layout, shacl
from . import namespaces as ns
from .dataset import Dataset, skolemise
from .delta import Delta, Overlay
from .entailment import DERIVATIONS, derive
from .errors import DataError, Problem
from .settings import Settings
from .store import Store

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
    """Check one write against what it changes; raise if it is invalid, else return it ready to apply.

    Either ``update`` (a SPARQL Update) or ``graph`` with ``mode`` ``replace``
    (PUT), ``merge`` (POST) or ``drop`` (DELETE) and, for the first two, the
    ``data`` in ``media_type``.
    """
    if graph is not None and graph in PROTECTED_GRAPHS:
        raise DataError([Problem(None, None, f"<{graph}> is maintained by the build; write the reference "
                                             "or a source graph instead")])
    if update is not None:
        change = delta.of_update(store, update)
    else:
        assert graph is not None, "a write is an update or a graph"
        quads = _parse(data or b"", media_type or "text/turtle", graph) if mode != "drop" else []
        change = delta.of_graph_write(store, graph, quads, mode)
    # what an update removes from a derived graph (DELETE WHERE { GRAPH ?g … }) is derived again below
    change.removed = {q for q in change.removed if _iri(q.graph_name) not in DERIVED_GRAPHS}
    protected = {g for g in change.graphs if g in PROTECTED_GRAPHS}
    if protected:
        raise DataError([Problem(None, None, "the write changes " + ", ".join(f"<{g}>" for g in sorted(protected))
                                 + ", which only the build maintains")])
    if not change:
        return CheckedWrite([], "")
    ontology = store.quads_around(graphs=[ns.ONTOLOGY_GRAPH])
    total = change.merged(derived_delta(Overlay(store, change), change, ontology))
    after = Overlay(store, total)
    shapes = layout.shapes_file(settings.ontology_dir)
    focus = focus_of(after, total, shacl.value_paths(shapes))
    checked = neighbourhood(after, focus, change.graphs, ontology)
    total.emptied = {g for g in _iris(q.graph_name for q in change.removed)  # the neighbourhood holds them whole
                     if next(checked.store.quads_for_pattern(None, None, None, ox.NamedNode(g)), None) is None}
    checks.check_quads(checked, (q for q in checked.store if _iri(q.subject) in focus
                                 and _iri(q.graph_name) not in PROTECTED_GRAPHS))
    shacl.validate(checked, shapes, focus=focus, engine=settings.shacl_engine)
    fidelity.check(checked.store, fidelity.source_texts(checked.store, settings.data_dir),
                   lambda graph, iri: (None, None), graphs=change.graphs)
    return CheckedWrite(sorted(total.graphs), total.update())


def _iri(term: object) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def _iris(terms: Iterable[object]) -> set[str]:
    return {v for v in map(_iri, terms) if v is not None}


def _data(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    return {q for q in quads if _iri(q.graph_name) not in PROTECTED_GRAPHS}


def derived_delta(after: Overlay, change: Delta, ontology: set[ox.Quad]) -> Delta:
    """How the derived graphs change with ``change``, recomputed for the nodes it touches.

    A derived triple about a node follows from the node's own triples, the triples that point at it
    (inverses) and the stances it holds (shortcuts). So the derived triples of every node the change
    names, or that a changed node points at (a stance's holder), are derived again from those nodes'
    triples, the triples pointing at them and the descriptions of their subjects, after the change."""
    changed = change.added | change.removed
    touched = _iris(q.subject for q in changed)
    nodes = touched | _iris(q.object for q in changed)
    nodes |= _iris(q.object for q in _data(after.around(subjects=touched) | after.before(subjects=touched)))
    star = _data(after.around(subjects=nodes, objects=nodes))
    support = star | _data(after.around(subjects=_iris(q.subject for q in star)))
    scratch = Dataset()
    scratch.store.extend(ontology | support)
    derive(scratch)
    derived = {q for g in DERIVED_GRAPHS for q in scratch.store.quads_for_pattern(None, None, None, ox.NamedNode(g))
               if _iri(q.subject) in nodes}
    held = {q for q in after.before(subjects=nodes) if _iri(q.graph_name) in DERIVED_GRAPHS}
    return Delta.between(held, derived)


def focus_of(after: Overlay, total: Delta, value_paths: frozenset[str]) -> set[str]:
    """Every node whose conformance ``total`` can change: the subjects and values of changed triples
    (``sh:targetObjectsOf``), and the nodes pointing at a changed node when its types changed (``sh:class``)
    or through a property whose values are validated in depth."""
    changed = total.added | total.removed
    subjects = _iris(q.subject for q in changed)
    focus = subjects | _iris(q.object for q in changed if _iri(q.graph_name) not in PROTECTED_GRAPHS)
    retyped = _iris(q.subject for q in changed if q.predicate.value == ns.RDF_TYPE)
    for q in after.around(objects=subjects):
        if _iri(q.object) in retyped or q.predicate.value in value_paths:
            focus.update(_iris([q.subject]))
    return focus


def neighbourhood(after: Overlay, focus: set[str], graphs: set[str], ontology: set[ox.Quad]) -> Dataset:
    """What the checks read, as the store will be: the ontology, the changed graphs whole, and the full
    descriptions of the focus nodes, the changed graphs' subjects, and every value they point at."""
    whole = after.around(graphs=graphs)
    described = after.around(subjects=focus | _iris(q.subject for q in whole))
    values = _iris(q.object for q in whole | described)
    out = Dataset()
    out.store.extend(ontology | whole | described | after.around(subjects=values))
    return out
