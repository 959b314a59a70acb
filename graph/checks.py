"""Closed-world checks on data that SHACL cannot phrase well, each naming file and line.

- every class and property the data uses is defined by the ontology;
- every ``srkg:`` individual the data points at exists;
- every ``id/`` IRI the data points at is described somewhere (no dangling references);
- every typed literal is valid for its datatype (a date is a date).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .dataset import Corpus, Dataset, subject_of
from .errors import DataError, Problem, find_line

_DECLARATIONS = {ns.OWL + "Class", ns.OWL + "ObjectProperty", ns.OWL + "DatatypeProperty",
                 ns.OWL + "AnnotationProperty", ns.RDFS + "Class", ns.RDF + "Property",
                 ns.OWL + "NamedIndividual"}
_ALWAYS_ALLOWED = {ns.RDF_TYPE}
_RDF_TYPE = ox.NamedNode(ns.RDF_TYPE)


def _is_int(s: str, minimum: int | None = None) -> bool:
    if not re.fullmatch(r"[+-]?\d+", s.strip()):
        return False
    return minimum is None or int(s) >= minimum


def _is_date(s: str) -> bool:
    m = re.fullmatch(r"(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?", s)
    if not m:
        return False
    try:
        dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return True


LITERAL_CHECKS: dict[str, tuple[Callable[[str], bool], str]] = {
    ns.XSD + "date": (_is_date, "a valid xsd:date (YYYY-MM-DD)"),
    ns.XSD + "gYear": (lambda s: bool(re.fullmatch(r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?", s)), "a valid xsd:gYear (YYYY)"),
    ns.XSD + "gYearMonth": (lambda s: bool(re.fullmatch(r"-?\d{4,}-(0[1-9]|1[0-2])", s)), "a valid xsd:gYearMonth"),
    ns.XSD + "integer": (_is_int, "an integer"),
    ns.XSD + "nonNegativeInteger": (lambda s: _is_int(s, 0), "a non-negative integer"),
    ns.XSD + "positiveInteger": (lambda s: _is_int(s, 1), "a positive integer"),
    ns.XSD + "boolean": (lambda s: s in {"true", "false", "1", "0"}, "true or false"),
}


def _curie(iri: str) -> str:
    return ns.curie(iri, bracket=True)


def _needles(iri: str) -> tuple[str, ...]:
    local = re.split(r"[#/]", iri)[-1]
    return (_curie(iri), iri, f":{local}" if local else iri)


def _defined(quads: Iterable[ox.Quad]) -> set[str]:
    out: set[str] = set(_ALWAYS_ALLOWED)
    for q in quads:
        if q.predicate == _RDF_TYPE and isinstance(q.subject, ox.NamedNode):
            out.add(q.subject.value)
    return out


def defined_terms(dataset: Dataset) -> set[str]:
    """IRIs the ontology graph declares as class, property or named individual."""
    return _defined(dataset.store.quads_for_pattern(None, _RDF_TYPE, None, ox.NamedNode(ns.ONTOLOGY_GRAPH)))


def check_terms(dataset: Dataset, data_graphs: list[str]) -> None:
    """Every term and reference in the data graphs is defined; every literal is valid."""
    check_quads(dataset, (q for graph in data_graphs
                          for q in dataset.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))


def check_quads(dataset: Dataset, quads: Iterable[ox.Quad]) -> None:
    """:func:`check_terms` for some quads of ``dataset``, whose ontology graph defines the terms and whose
    typed nodes count as described."""
    defined = defined_terms(dataset)
    described = {q.subject.value for q in dataset.store.quads_for_pattern(None, _RDF_TYPE, None, None)
                 if isinstance(q.subject, ox.NamedNode)}
    _raise_problems(quads, defined, described, dataset.file_of)


def check_corpus(corpus: Corpus) -> None:
    """:func:`check_terms` for a parsed :class:`~graph.dataset.Corpus`.

    The same rules run on the distinct terms the corpus indexed while parsing;
    only when one fails are the quads read again, to report every problem
    with its file and line exactly as :func:`check_terms` does.
    """
    defined = _defined(q for p in corpus.parsed if p.file.graph == ns.ONTOLOGY_GRAPH for q in p.quads)
    described = corpus.described
    suspect = any(p.value not in defined for p in corpus.predicates) or any(
        isinstance(c, ox.NamedNode) and c.value not in defined for c in corpus.classes)
    for o in corpus.objects | corpus.classes if not suspect else ():
        if _bad_object(o, defined, described):
            suspect = True
            break
    if suspect:
        quads = (q for p in corpus.parsed if p.file.graph != ns.ONTOLOGY_GRAPH for q in p.quads)
        _raise_problems(quads, defined, described, corpus.file_of)


def _bad_object(o: object, defined: set[str], described: set[str]) -> bool:
    if isinstance(o, ox.NamedNode):
        v = o.value
        return (v.startswith(ns.SRKG) and v not in defined) or (v.startswith(ns.ID) and v not in described)
    if isinstance(o, ox.Literal) and o.datatype.value in LITERAL_CHECKS:
        return not LITERAL_CHECKS[o.datatype.value][0](o.value)
    return False


def _raise_problems(quads: Iterable[ox.Quad], defined: set[str], described: set[str],
                    file_of: Callable[[str], Path | None]) -> None:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    def report(subject: str, key: str, message: str, *needles: str) -> None:
        if (subject, key) in seen:
            return
        seen.add((subject, key))
        path = file_of(subject)
        problems.append(Problem(path, find_line(path, *needles) if path else None, message))

    for q in quads:
        s, p, o = subject_of(q).value, q.predicate.value, q.object
        if p not in defined:
            report(s, p, f"unknown property {_curie(p)}: the ontology does not define it", *_needles(p))
        if p == ns.RDF_TYPE and isinstance(o, ox.NamedNode) and o.value not in defined:
            report(s, o.value, f"unknown class {_curie(o.value)}: the ontology does not define it", *_needles(o.value))
        elif isinstance(o, ox.NamedNode):
            if o.value.startswith(ns.SRKG) and o.value not in defined:
                report(s, o.value, f"unknown term {_curie(o.value)}: the ontology does not define it",
                       *_needles(o.value))
            elif o.value.startswith(ns.ID) and o.value not in described:
                report(s, o.value, f"dangling reference to {_curie(o.value)}: nothing in the data describes it "
                       "(give it an rdf:type and a label, or fix the name)", *_needles(o.value))
        elif isinstance(o, ox.Literal) and o.datatype.value in LITERAL_CHECKS:
            valid, expected = LITERAL_CHECKS[o.datatype.value]
            if not valid(o.value):
                report(s, o.value, f"{o.value!r} is not {expected} (on {_curie(p)})",
                       f'"{o.value}"', o.value)
    if problems:
        raise DataError(problems)
