"""SHACL validation of the data against ``ontology/shapes.ttl`` with pyshacl.

The data graph handed to pyshacl is the union of the ontology, the data
graphs and their RDFS entailments, so that shapes can say ``sh:class
srkg:Actor`` and match states and persons. Violations are reported with the
file the focus node was written in and the line where it first appears.
"""

from __future__ import annotations

from collections.abc import Collection
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


def _neighbourhood_to_rdflib(dataset: Dataset) -> rdflib.Graph:
    """The data graph of a write's neighbourhood: its quads but the ontology's, save what the ontology says
    of the values the data points at (the polarity ``srkg:Supports`` is an ``srkg:Polarity`` there)."""
    ontology = ox.NamedNode(ns.ONTOLOGY_GRAPH)
    quads = list(dataset.store)
    values = {q.object for q in quads if q.graph_name != ontology}
    g = rdflib.Graph()
    g.addN((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), g) for q in quads
           if q.graph_name != ontology or q.subject in values)
    return g


@lru_cache(maxsize=4)
def _shapes(path: Path, modified: float) -> rdflib.Graph:
    try:
        return rdflib.Graph().parse(path, format="turtle")
    except Exception as e:  # noqa: BLE001 - rdflib raises many kinds of syntax errors
        raise DataError([Problem(path, None, f"cannot parse the shapes: {e}")]) from e


def _to_rdflib(dataset: Dataset) -> rdflib.Graph:
    data = dataset.store.dump(format=ox.RdfFormat.N_QUADS)
    ds = rdflib.Dataset()
    ds.parse(data=data, format="nquads")
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def validate(dataset: Dataset, shapes_path: Path, *, focus: Collection[str] | None = None) -> None:
    """Raise :class:`DataError` listing every SHACL violation, located in its file.

    With ``focus``, only violations whose focus node is one of those IRIs count: a curator's write is
    validated on the neighbourhood of what it changed, where nodes at the edge lack their own neighbours."""
    shapes = _shapes(shapes_path, shapes_path.stat().st_mtime)  # parsed once per version of the file
    data = _to_rdflib(dataset) if focus is None else _neighbourhood_to_rdflib(dataset)
    conforms, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none", inplace=True,
                                           advanced=True, allow_warnings=True)
    if conforms:
        return
    problems: list[Problem] = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity != SH.Violation:
            continue
        node = report.value(result, SH.focusNode)
        if focus is not None and str(node) not in focus:
            continue
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        file, line = _locate(dataset, str(node), node)
        text = f"SHACL: {node.n3() if isinstance(node, rdflib.URIRef) else 'a node'}"
        if path is not None and isinstance(path, rdflib.URIRef):
            text += f" {data.namespace_manager.normalizeUri(path)}"
        text += f": {message}"
        if value is not None:
            text += f" (value: {value})"
        problems.append(Problem(file, line, text))
    if not problems:
        return
    raise DataError(sorted(problems, key=lambda p: (str(p.file), p.line or 0, p.message)))


def _locate(dataset: Dataset, iri: str, focus: rdflib.term.Node) -> tuple[Path | None, int | None]:
    """The file and line that describe ``iri``; for a node the build made (evidence, selectors) or a blank
    node of the data (a skolem IRI), the description of the node that points at it."""
    file = None if iri.startswith(ns.GENID) else dataset.file_of(iri)
    if file is None:
        for q in dataset.store.quads_for_pattern(None, None, _ox(focus), None):
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


def _ox(term: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    return ox.Literal(str(term))
