"""SPARQL results and graphs as bytes, in the formats a client can ask for, written by pyoxigraph.

SELECT and ASK results go out as SPARQL 1.1 Query Results JSON, XML, CSV or
TSV; graphs (CONSTRUCT, DESCRIBE, entity descriptions) as Turtle,
N-Triples, JSON-LD or RDF/XML. pyoxigraph's serialisers write them; this
module maps media types to its formats and enforces the row cap a service
sets on a result.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import ResultTooLarge
from .base import Triple, to_oxigraph_triple

#: result media type -> pyoxigraph's format
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: graph media type -> pyoxigraph's format
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
#: the fewest bytes a result row takes in any format: a body shorter than this many bytes per allowed row
#: cannot hold too many rows, and is not counted
MIN_ROW_BYTES = 3
#: the most bytes a capped result may take per allowed row before writing stops
MAX_ROW_BYTES = 8192


def too_large(max_rows: int) -> ResultTooLarge:
    return ResultTooLarge(f"the query returns more than {max_rows} results, the cap of this service: "
                          "add a LIMIT or narrow the query")


class _Bounded:
    """A binary sink for pyoxigraph's serialisers that stops a result growing past ``limit`` bytes."""

    def __init__(self, limit: int | None, max_rows: int | None):
        self.parts: list[bytes] = []
        self.size, self.limit, self.max_rows = 0, limit, max_rows

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            raise too_large(self.max_rows or 0)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the parts are joined by :meth:`value`."""

    def value(self) -> bytes:
        return b"".join(self.parts)


def count_rows(body: bytes, fmt: ox.QueryResultsFormat) -> int:
    """How many rows a serialised SELECT result holds.

    TSV escapes line breaks, so a line is a row; CSV quotes them, and pyoxigraph does not read CSV back
    (it is lossy), so Python's reader counts its records; JSON and XML are parsed."""
    if fmt == ox.QueryResultsFormat.TSV:
        return max(0, body.count(b"\n") - 1)
    if fmt == ox.QueryResultsFormat.CSV:
        return max(0, sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1)
    parsed = ox.parse_query_results(body, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        raise TypeError("expected the result of a SELECT query, not of an ASK query")
    return sum(1 for _ in parsed)


def check_rows(body: bytes, fmt: ox.QueryResultsFormat, max_rows: int | None) -> bytes:
    """``body``, or :class:`ResultTooLarge` if it holds more than ``max_rows`` rows."""
    if max_rows is not None and len(body) > MIN_ROW_BYTES * max_rows and count_rows(body, fmt) > max_rows:
        raise too_large(max_rows)
    return body


def solutions_bytes(result: ox.QuerySolutions | ox.QueryBoolean, media_type: str,
                    max_rows: int | None = None, *, limit: int | None = None) -> bytes:
    """A SELECT or ASK result of pyoxigraph in the SPARQL results format of ``media_type``; past ``max_rows``
    rows, :class:`ResultTooLarge`. With the query's own ``limit`` within ``max_rows``, the rows are not
    counted (only the bytes are bounded)."""
    fmt = RESULT_FORMATS[media_type]
    if isinstance(result, ox.QueryBoolean):
        return result.serialize(format=fmt) or b""
    sink = _Bounded(max_rows * MAX_ROW_BYTES if max_rows is not None else None, max_rows)
    result.serialize(sink, format=fmt)  # type: ignore[arg-type]  # the stubs want typing.IO; a .write() is enough
    if max_rows is not None and limit is not None and limit <= max_rows:
        return sink.value()
    return check_rows(sink.value(), fmt, max_rows)


def triples_bytes(triples: Iterable[ox.Triple | Triple], media_type: str, *,
                  prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (pyoxigraph's, or rdflib's: they are converted) in the RDF syntax of ``media_type``."""
    converted = [t if isinstance(t, ox.Triple) else to_oxigraph_triple(t) for t in triples]
    fmt = GRAPH_FORMATS[media_type]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD):
        return ox.serialize(converted, format=fmt, prefixes=prefixes if prefixes is not None else ns.PREFIXES) or b""
    return ox.serialize(converted, format=fmt) or b""
