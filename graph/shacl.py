"""SHACL validation of the data against ``ontology/shapes.ttl`` with pyshacl.

The data graph handed to pyshacl is the union of the ontology, the data
graphs and their RDFS entailments, so that shapes can say ``sh:class
srkg:Actor`` and match states and persons. Violations are reported with the
file the focus node was written in and the line where it first appears.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as pyshacl_validate

from .dataset import Dataset
from .errors import DataError, Problem, find_line

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def _to_rdflib(dataset: Dataset) -> rdflib.Graph:
    data = dataset.store.dump(format=ox.RdfFormat.N_QUADS)
    ds = rdflib.Dataset()
    ds.parse(data=data, format="nquads")
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _local(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[-1]
    return iri


def validate(dataset: Dataset, shapes_path: Path) -> None:
    """Raise :class:`DataError` listing every SHACL violation, located in its file."""
    try:
        shapes = rdflib.Graph().parse(shapes_path, format="turtle")
    except Exception as e:  # noqa: BLE001 - rdflib raises many kinds of syntax errors
        raise DataError([Problem(shapes_path, None, f"cannot parse the shapes: {e}")]) from e
    data = _to_rdflib(dataset)
    conforms, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none",
                                           advanced=True, allow_warnings=True)
    if conforms:
        return
    problems: list[Problem] = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        value = report.value(result, SH.value)
        focus_str = str(focus)
        file = dataset.file_of(focus_str)
        if file is None:  # an evidence or selector node: point at what cites it
            for q in dataset.store.quads_for_pattern(None, None, _ox(focus), None):
                file = dataset.file_of(q.subject.value)
                if file:
                    break
        line = find_line(file, f":{_local(focus_str)} ", f":{_local(focus_str)}", focus_str) if file else None
        text = f"SHACL: {focus.n3() if isinstance(focus, rdflib.URIRef) else 'a node'}"
        if path is not None and isinstance(path, rdflib.URIRef):
            text += f" {data.namespace_manager.normalizeUri(path)}"
        text += f": {message}"
        if value is not None:
            text += f" (value: {value})"
        problems.append(Problem(file, line, text))
    raise DataError(sorted(problems, key=lambda p: (str(p.file), p.line or 0, p.message)))


def _ox(term: rdflib.term.Node) -> object:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    return ox.Literal(str(term))
