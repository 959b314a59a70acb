"""Entailment: the derived graphs a build writes beside the data.

- RDFS entailments (super-classes, super-properties, inverses) into the
  inferred graph, so that a query for ``srkg:Actor`` finds states and persons;
- ``srkg:QualifiedAssertion`` for every assertion that is not a plain fact
  (:func:`qualified`, the one place the rule is written in Python);
- the shortcut edges of reported, unhedged stances into the shortcuts graph.

The catalogue queries of :data:`DERIVATIONS` are the specification; this
module computes the same in one pass over indexes (a test holds the two to
the same answer).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from . import namespaces as ns
from .dataset import Dataset, to_nquads

#: The derived graphs and the catalogue queries that specify them, in order.
DERIVATIONS: tuple[tuple[str, str], ...] = (
    ("build/rdfs-types", ns.INFERRED_GRAPH),
    ("build/rdfs-properties", ns.INFERRED_GRAPH),
    ("build/qualified-assertions", ns.INFERRED_GRAPH),
    ("build/shortcuts", ns.SHORTCUTS_GRAPH),
)

_TYPE = f"<{ns.RDF_TYPE}>"
_SUBCLASS, _SUBPROPERTY = ns.RDFS + "subClassOf", ns.RDFS + "subPropertyOf"
_INVERSE, _LABEL = ns.OWL + "inverseOf", f"<{ns.RDFS}label>"
_STANCE = f"<{ns.SRKG}Stance>"
_QUALIFIED = f"<{ns.SRKG}QualifiedAssertion>"
_HOLDER, _POLARITY, _TARGET = ns.SRKG + "holder", ns.SRKG + "polarity", ns.SRKG + "target"
_ATTRIBUTION, _HEDGING = ns.SRKG + "attribution", ns.SRKG + "hedging"
_REPORTED, _CERTAIN = f"<{ns.SRKG}ReportedFact>", f"<{ns.SRKG}Certain>"
#: ``build/shortcuts``: the polarity of a reported, unhedged stance and the shortcut edge it becomes.
SHORTCUT_EDGES = {f"<{ns.SRKG}Supports>": f"<{ns.SRKG}supports>",
                  f"<{ns.SRKG}Opposes>": f"<{ns.SRKG}opposes>",
                  f"<{ns.SRKG}CommitsTo>": f"<{ns.SRKG}commitsTo>"}
_STANCE_FIELDS = {_HOLDER, _POLARITY, _TARGET, _ATTRIBUTION, _HEDGING}


def _closure(edges: dict[str, set[str]]) -> dict[str, list[str]]:
    """Every node reachable in one or more steps (a SPARQL ``+`` path), for each node with an edge."""
    out: dict[str, list[str]] = {}
    for start in edges:
        seen: set[str] = set()
        todo = list(edges[start])
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo += edges.get(n, ())
        out[start] = sorted(seen)
    return out


@dataclass
class Vocabulary:
    """What the ontology graph says that the entailments use (terms written as in N-Triples).

    ``class_supers``: class → super-classes that are IRIs (``rdfs:subClassOf+``);
    ``property_supers``: property IRI → super-properties but ``rdfs:label``
    (``rdfs:subPropertyOf+``); ``inverses``: property IRI → ``owl:inverseOf``
    either way.
    """

    class_supers: dict[str, list[str]]
    property_supers: dict[str, list[str]]
    inverses: dict[str, list[str]]

    @classmethod
    def of(cls, ontology: Iterable[ox.Quad]) -> Vocabulary:
        sub_class: dict[str, set[str]] = {}
        sub_property: dict[str, set[str]] = {}
        inverses: dict[str, set[str]] = {}
        for q in ontology:
            p = q.predicate.value
            if p == _SUBCLASS:
                sub_class.setdefault(str(q.subject), set()).add(str(q.object))
            elif p == _SUBPROPERTY:
                sub_property.setdefault(str(q.subject), set()).add(str(q.object))
            elif p == _INVERSE:
                a, b = str(q.subject), str(q.object)
                inverses.setdefault(a, set()).add(b)
                inverses.setdefault(b, set()).add(a)
        iri = lambda t: t.startswith("<")  # noqa: E731
        return cls({c: [x for x in xs if iri(x)] for c, xs in _closure(sub_class).items()},
                   {p[1:-1]: [x for x in xs if iri(x) and x != _LABEL]
                    for p, xs in _closure(sub_property).items() if iri(p)},
                   {p[1:-1]: sorted(x for x in xs if iri(x)) for p, xs in inverses.items() if iri(p)})

    @property
    def watch(self) -> frozenset[str]:
        """The predicates whose statements :func:`entail` reads."""
        return frozenset(self.property_supers) | frozenset(self.inverses) | _STANCE_FIELDS


def qualified(attribution: Iterable[tuple[str, bool]], hedging: Iterable[tuple[str, bool]]) -> bool:
    """Whether an assertion with these values is not a plain fact: attributed, inferred or hedged.

    The Python twin of the catalogue query ``build/qualified-assertions``, which is the rule's
    specification (a test holds the two to the same answer). Values are terms written as in N-Triples.
    """
    return any(a != _REPORTED for a, _ in attribution) or any(h != _CERTAIN for h, _ in hedging)


def entail(vocabulary: Vocabulary, typed: Iterable[tuple[str, str, str]],
           statements: Iterable[tuple[str, str, str, bool, str]]) -> dict[str, set[bytes]]:
    """The RDFS entailments and the shortcut edges of the data graphs, as N-Triples lines per graph.

    ``typed`` holds every ``(subject, class, graph)`` of an ``rdf:type`` in a
    data graph, ``statements`` every ``(subject, predicate IRI, object,
    object is a resource, graph)`` whose predicate is in
    :attr:`Vocabulary.watch` (terms written as in N-Triples). This is what the
    catalogue queries of :data:`DERIVATIONS` specify, computed in one pass
    over indexes instead of by joins.
    """
    inferred: set[bytes] = set()
    shortcuts: set[bytes] = set()
    stances: set[tuple[str, str]] = set()
    supers = vocabulary.class_supers
    for s, c, g in typed:
        for sup in supers.get(c, ()):
            inferred.add(f"{s} {_TYPE} {sup} .".encode())
        if c == _STANCE:
            stances.add((g, s))
    fields: dict[tuple[str, str], dict[str, list[tuple[str, bool]]]] = {}
    prop_supers, inverses = vocabulary.property_supers, vocabulary.inverses
    for s, p, o, resource, g in statements:
        for sup in prop_supers.get(p, ()):
            inferred.add(f"{s} {sup} {o} .".encode())
        if resource:
            for inverse in inverses.get(p, ()):
                inferred.add(f"{o} {inverse} {s} .".encode())
        if p in _STANCE_FIELDS:
            fields.setdefault((g, s), {}).setdefault(p, []).append((o, resource))
    for (g, s), f in fields.items():
        if _ATTRIBUTION not in f:
            continue
        if qualified(f[_ATTRIBUTION], f.get(_HEDGING, ())):
            inferred.add(f"{s} {_TYPE} {_QUALIFIED} .".encode())
            continue
        if (g, s) not in stances or not g.startswith(ns.SOURCE_GRAPH_PREFIX):
            continue
        for polarity, _ in f.get(_POLARITY, ()):
            edge = SHORTCUT_EDGES.get(polarity)
            if edge is None:
                continue
            for holder, resource in f.get(_HOLDER, ()):
                if resource:
                    for target, _ in f.get(_TARGET, ()):
                        shortcuts.add(f"{holder} {edge} {target} .".encode())
    return {ns.INFERRED_GRAPH: inferred, ns.SHORTCUTS_GRAPH: shortcuts}


def derive(dataset: Dataset) -> None:
    """Write the derived graphs of ``dataset`` into their own graphs (on a checked write; the build calls
    :func:`entail` on its corpus directly)."""
    store = dataset.store
    vocabulary = Vocabulary.of(store.quads_for_pattern(None, None, None, ox.NamedNode(ns.ONTOLOGY_GRAPH)))
    watch = vocabulary.watch
    skip = {ns.ONTOLOGY_GRAPH} | {g for _, g in DERIVATIONS}
    typed: list[tuple[str, str, str]] = []
    statements: list[tuple[str, str, str, bool, str]] = []
    for graph in store.named_graphs():
        g = graph.value
        if g in skip:
            continue
        for q in store.quads_for_pattern(None, None, None, graph):
            p = q.predicate.value
            if p == ns.RDF_TYPE:
                typed.append((str(q.subject), str(q.object), g))
            elif p in watch:
                statements.append((str(q.subject), p, str(q.object), not isinstance(q.object, ox.Literal), g))
    for g, lines in entail(vocabulary, typed, statements).items():
        if lines:  # parsed, then added: a load would give the written blank nodes new identities
            store.extend(ox.parse(to_nquads(b"\n".join(lines) + b"\n", g), format=ox.RdfFormat.N_QUADS))
