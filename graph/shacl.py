"""SHACL validation of the data against ``ontology/shapes.ttl``, with rudof (default) or pyshacl.

The data graph is the union of the ontology, the data graphs and their RDFS
entailments, so that shapes can say ``sh:class srkg:Actor`` and match states
and persons. Violations are reported with the file the focus node was written
in and the line where it first appears.

Two engines give the same violations on srkg's shapes (``tests/test_shacl_engines.py`` holds them to it):

- ``rudof`` (pyrudof, in Rust) is about ten times faster from 100k triples up, and the default;
- ``pyshacl`` is the reference, chosen with ``SRKG_SHACL_ENGINE=pyshacl``.

rudof writes its own text for some constraints (``sh:or``, qualified value shapes); every message is
therefore taken from the shapes file, by the shape that reported it, and the engine's own text is used
only where the file gives none.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate

from . import namespaces as ns
from .dataset import Dataset, subject_of
from .errors import DataError, Problem, find_line, find_subject
from .store.base import to_rdflib

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
ENGINES = ("rudof", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One SHACL violation: its focus node, the path (an IRI, if any), the message and the value."""

    focus: str
    path: str | None
    message: str
    value: str | None = None


def _union_quads(dataset: Dataset, focus: Collection[str] | None) -> list[ox.Quad]:
    """The quads to validate: all of them; for a write's neighbourhood (``focus``), all but the ontology's,
    save what it says of the values the data points at (the polarity ``srkg:Supports`` is an
    ``srkg:Polarity`` there)."""
    quads = list(dataset.store)
    if focus is None:
        return quads
    ontology = ox.NamedNode(ns.ONTOLOGY_GRAPH)
    values = {q.object for q in quads if q.graph_name != ontology}
    return [q for q in quads if q.graph_name != ontology or q.subject in values]


@lru_cache(maxsize=4)
def _shapes(path: Path, modified: float) -> rdflib.Graph:
    """The shapes file, with each property shape written as a blank node named by an IRI of its own
    (``srkgsh:StanceShape/holder/1``), so that either engine's report says which shape a violation broke."""
    try:
        shapes = rdflib.Graph().parse(path, format="turtle")
    except Exception as e:  # noqa: BLE001 - rdflib raises many kinds of syntax errors
        raise DataError([Problem(path, None, f"cannot parse the shapes: {e}")]) from e
    for n, (parent, shape) in enumerate(sorted(shapes.subject_objects(SH.property)), start=1):
        if not isinstance(shape, rdflib.BNode):
            continue
        property_path = shapes.value(shape, SH.path)
        name = rdflib.URIRef(f"{parent}/{str(property_path).rsplit('/', 1)[-1].rsplit('#', 1)[-1]}/{n}")
        for p, o in list(shapes.predicate_objects(shape)):
            shapes.add((name, p, o))
        for s, p in list(shapes.subject_predicates(shape)):
            shapes.add((s, p, name))
        shapes.remove((shape, None, None))
        shapes.remove((None, None, shape))
    return shapes


def _shapes_graph(path: Path) -> rdflib.Graph:
    return _shapes(path, path.stat().st_mtime)  # parsed once per version of the file


@lru_cache(maxsize=4)
def _shapes_turtle(path: Path, modified: float) -> str:
    return _shapes(path, modified).serialize(format="turtle")


def message(shapes: rdflib.Graph, shape: str, component: str) -> str:
    """The message of a violation of ``shape``'s ``component``: the shape's ``sh:message``, or, where the file
    gives none, the constraint itself (``fails sh:class srkg:Actor``)."""
    node = rdflib.URIRef(shape)
    given = shapes.value(node, SH.message)
    if given is not None:
        return str(given)
    name = component.removeprefix(str(SH)).removesuffix("ConstraintComponent")
    parameter = SH[name[:1].lower() + name[1:]]
    value = shapes.value(node, parameter)
    shown = ns.curie(str(value)) if isinstance(value, rdflib.URIRef) else str(value) if value is not None else ""
    return f"fails sh:{parameter.removeprefix(str(SH))} {shown}".rstrip()


@dataclass(frozen=True)
class _Result:
    focus: str
    path: str | None
    shape: str
    component: str
    value: str | None


def _pyshacl(quads: list[ox.Quad], shapes_path: Path) -> list[_Result]:
    data = rdflib.Graph()
    data.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), data) for q in quads)
    conforms, report, _ = pyshacl_validate(data, shacl_graph=_shapes_graph(shapes_path), inference="none",
                                           inplace=True, advanced=True, allow_warnings=True)
    if conforms:
        return []
    out = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        path, value = report.value(result, SH.resultPath), report.value(result, SH.value)
        out.append(_Result(str(report.value(result, SH.focusNode)),
                           str(path) if isinstance(path, rdflib.URIRef) else None,
                           str(report.value(result, SH.sourceShape)),
                           str(report.value(result, SH.sourceConstraintComponent)),
                           str(value) if value is not None else None))
    return out


def _rudof(quads: list[ox.Quad], shapes_path: Path) -> list[_Result]:
    import pyrudof

    if not quads:  # rudof refuses empty data; nothing is there to break a shape
        return []
    data = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads), format=ox.RdfFormat.N_TRIPLES)
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data((data or b"").decode("utf-8"), format=pyrudof.RDFFormat.NTriples)
    rudof.read_shacl(_shapes_turtle(shapes_path, shapes_path.stat().st_mtime), format=pyrudof.ShaclFormat.Turtle)
    report = rudof.validate_shacl()
    if report.conforms:
        return []
    return [_Result(str(e.focus_node), str(e.path) if e.path is not None else None, str(e.source_shape),
                    str(e.constraint_component), str(e.value) if e.value is not None else None)
            for e in report if "Violation" in str(e.severity)]


_RUN: dict[str, Callable[[list[ox.Quad], Path], list[_Result]]] = {"rudof": _rudof, "pyshacl": _pyshacl}


@lru_cache(maxsize=4)
def _value_paths(path: Path, modified: float) -> frozenset[str]:
    shapes = _shapes(path, modified)
    deep = set(shapes.subjects(SH.qualifiedValueShape, None)) | set(shapes.subjects(SH.node, None))
    return frozenset(str(p) for shape in deep for p in shapes.objects(shape, SH.path) if isinstance(p, rdflib.URIRef))


def value_paths(shapes: Path) -> frozenset[str]:
    """The properties whose values the shapes validate beyond their types (``sh:node``,
    ``sh:qualifiedValueShape``): a change to such a value changes whether the node pointing at it conforms."""
    return _value_paths(shapes, shapes.stat().st_mtime)


def violations(dataset: Dataset, shapes_path: Path, *, focus: Collection[str] | None = None,
               engine: str = "rudof") -> list[Violation]:
    """Every SHACL violation of ``dataset`` (only those of the ``focus`` nodes, if given), sorted."""
    if engine not in _RUN:
        raise ValueError(f"unknown SHACL engine {engine!r}; choose one of {', '.join(ENGINES)}")
    shapes = _shapes_graph(shapes_path)  # a broken shapes file is reported as such, whatever the engine
    found = _RUN[engine](_union_quads(dataset, focus), shapes_path)
    return sorted({Violation(r.focus, r.path, message(shapes, r.shape, r.component), r.value) for r in found
                   if focus is None or r.focus in focus}, key=lambda v: (v.focus, v.path or "", v.message))


def validate(dataset: Dataset, shapes_path: Path, *, focus: Collection[str] | None = None,
             engine: str = "rudof") -> None:
    """Raise :class:`DataError` listing every SHACL violation, located in its file.

    With ``focus``, only violations whose focus node is one of those IRIs count: a curator's write is
    validated on the neighbourhood of what it changed, where nodes at the edge lack their own neighbours."""
    problems = []
    for v in violations(dataset, shapes_path, focus=focus, engine=engine):
        file, line = _locate(dataset, v.focus)
        text = f"SHACL: {'<' + v.focus + '>' if not v.focus.startswith('_:') else 'a node'}"
        if v.path is not None:
            text += f" {ns.curie(v.path)}"
        text += f": {v.message}"
        if v.value is not None:
            text += f" (value: {v.value})"
        problems.append(Problem(file, line, text))
    if problems:
        raise DataError(sorted(problems, key=lambda p: (str(p.file), p.line or 0, p.message)))


def _locate(dataset: Dataset, iri: str) -> tuple[Path | None, int | None]:
    """The file and line that describe ``iri``; for a node the build made (evidence, selectors) or a blank
    node of the data (a skolem IRI), the description of the node that points at it."""
    file = None if iri.startswith(ns.GENID) else dataset.file_of(iri)
    if file is None:
        node = ox.BlankNode(iri[2:]) if iri.startswith("_:") else ox.NamedNode(iri)
        for q in dataset.store.quads_for_pattern(None, None, node, None):
            file = dataset.file_of(subject_of(q).value)
            if file:
                iri = subject_of(q).value
                break
    if file is None and iri.startswith(ns.GENID):  # a blank node of its own, such as an inferred fact
        file = dataset.file_of(iri)
        for q in dataset.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(ns.RDF + "subject"), None, None):
            if isinstance(q.object, ox.Triple):  # a triple term is no node a file describes
                continue
            about = q.object.value
            forms = [f"<{about}>", f":{about.rsplit('/', 1)[-1]}"] + [
                f"{p}:{about[len(b):]}" for p, b in ns.PREFIXES.items() if about.startswith(b)]
            return file, find_line(file, *(f"rdf:subject {f} " for f in forms)) if file else None
    if file is None:
        return None, None
    return file, find_subject([file], iri, ns.PREFIXES)[1]
