"""A :class:`~graph.store.base.Store` on a remote SPARQL 1.1 server, over HTTP.

It speaks the three W3C protocols every SPARQL server offers: the SPARQL 1.1
Protocol for queries (a URL-encoded form, which every server answers), SPARQL
1.1 Update, and the Graph Store Protocol for whole graphs. Where servers
differ (endpoint paths, the switch that makes the default graph the union of
the named graphs, where a ``VALUES`` block may stand, how credentials are
sent), a setting says so (:class:`graph.settings.Settings`, ``remote_*``); the
README lists the values for Oxigraph server, Fuseki, Virtuoso, GraphDB and
Neptune. srkg's graphs are those under ``https://w3id.org/srkg/graph/``: it
lists, publishes and deletes only those, so a server's own graphs and other
applications' data are left alone.

A server that cannot be reached raises :class:`~graph.errors.StoreUnavailable`
and the next call tries again; one that does not answer in time raises
:class:`~graph.errors.RemoteTimeout`; a result the server cut short raises
instead of passing for complete.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .. import namespaces as ns
from ..errors import QueryError, RemoteTimeout, ResultTooLarge, SrkgError, StoreUnavailable
from ..settings import Settings, get_settings
from ..sparql_lexer import inline_values, query_form
from . import results
from .base import QueryResult, SelectResult, Store, Triple, query_syntax_error, to_int, to_oxigraph_triple, to_rdflib

_RESULTS_ACCEPT = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.5"
_POSITION = re.compile(r"(?:at|line) (\d+):\d+")
_LINE_ONLY = re.compile(r"SPARQL compiler, line (\d+):")  # Virtuoso names the line of a syntax error, not the column
_ECHO = re.compile(r"\s*SPARQL query:\n.*", re.S)  # Virtuoso repeats the whole query after its message
_TIMED_OUT = re.compile(r"\bS1T00\b")  # the SQL state of a query stopped at the server's time limit (Virtuoso)
_SRKG_GRAPHS = f'FILTER(STRSTARTS(STR(?g), "{ns.GRAPH}"))'


def _prologue() -> str:
    return ns.sparql_prologue()


_PROLOGUE_LINES = _prologue().count("\n")


def _accept(sparql: str) -> str:
    """The result formats to ask for: RDF for CONSTRUCT and DESCRIBE, SPARQL results otherwise.

    Asked for both, Virtuoso answers a CONSTRUCT with a table of ?s ?p ?o in
    SPARQL results JSON, so the two are never offered together.
    """
    return _GRAPH_ACCEPT if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else _RESULTS_ACCEPT


def _json_term(value: dict | None) -> Node | None:
    """An rdflib term from a SPARQL JSON results binding, typed as the embedded store types it."""
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(value["value"], lang=value["xml:lang"])
        dt = value.get("datatype")
        if dt is None or dt == ns.XSD + "string":
            return Literal(value["value"])
        return Literal(value["value"], datatype=URIRef(dt))
    raise QueryError(f"the server returned an unsupported term type {kind!r}")


class RemoteStore(Store):
    """srkg's named graphs on a SPARQL 1.1 server reached over HTTP."""

    def __init__(self, base_url: str, *, settings: Settings | None = None, timeout_s: float | None = None) -> None:
        settings = settings or get_settings()
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SrkgError(f"SRKG_STORE must be 'embedded' or an http(s) URL of a SPARQL server, not {base_url!r}")
        auth_scheme = settings.remote_auth
        if auth_scheme not in ("basic", "digest"):
            raise SrkgError(f"SRKG_REMOTE_AUTH must be 'basic' or 'digest', not {auth_scheme!r}")
        auth_class = httpx.DigestAuth if auth_scheme == "digest" else httpx.BasicAuth
        auth = auth_class(unquote(parts.username), unquote(parts.password or "")) if parts.username else None
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        netloc = host + (f":{parts.port}" if parts.port else "")
        self.base_url = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        self.query_url = self.base_url + settings.remote_query_path
        self.update_url = self.base_url + settings.remote_update_path
        self.store_url = self.base_url + settings.remote_store_path
        self.has_graph_store = bool(settings.remote_store_path)
        self.union_parameter = settings.remote_union_parameter or None
        self.inline_values = settings.remote_inline_values
        timeout = timeout_s if timeout_s is not None else settings.query_timeout_s
        self._write_timeout = httpx.Timeout(max(timeout, 300.0), connect=min(timeout, 5.0))  # whole graphs
        self._client = httpx.Client(auth=auth, timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
                                    headers={"User-Agent": "srkg"})

    def __repr__(self) -> str:
        return f"RemoteStore({self.base_url!r})"

    # -- HTTP ---------------------------------------------------------------

    def _request(self, method: str, url: str, *, content: bytes | None = None, headers: dict[str, str] | None = None,
                 params: dict[str, str] | None = None, timeout: httpx.Timeout | None = None) -> httpx.Response:
        """One HTTP request (``timeout``: the client's unless given); an unreachable server becomes
        :class:`StoreUnavailable`."""
        try:
            response = self._client.request(method, url, content=content, headers=headers, params=params,
                                            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT)
        except httpx.TimeoutException as e:
            if isinstance(e, (httpx.ConnectTimeout, httpx.PoolTimeout)):
                raise self._unavailable(e) from e
            raise RemoteTimeout(f"the SPARQL server at {self.base_url} did not answer within the time limit "
                                f"({(timeout or self._client.timeout).read:g} s)") from e
        except (httpx.TransportError, OSError) as e:
            raise self._unavailable(e) from e
        if response.status_code in (502, 503, 504):
            raise StoreUnavailable(f"the SPARQL server at {self.base_url} is unavailable "
                                   f"(HTTP {response.status_code}); try again shortly")
        return response

    def _unavailable(self, e: Exception) -> StoreUnavailable:
        return StoreUnavailable(f"the SPARQL server at {self.base_url} cannot be reached ({type(e).__name__}: "
                                f"{e or 'no answer'}); check that it is running and that SRKG_STORE points at it")

    def _raise_for(self, response: httpx.Response, what: str) -> None:
        if response.is_success:
            return
        message = _ECHO.sub("", response.text.strip())[:2000] or response.reason_phrase
        if response.status_code in (400, 415):
            m = _POSITION.search(message)
            if m and int(m.group(1)) > _PROLOGUE_LINES:  # a syntax error: locate it in the caller's text
                message = f"{message[:m.start(1)]}{int(m.group(1)) - _PROLOGUE_LINES}{message[m.end(1):]}"
                raise query_syntax_error(SyntaxError(message))
            m = _LINE_ONLY.search(message)
            if m and int(m.group(1)) > _PROLOGUE_LINES:
                line = int(m.group(1)) - _PROLOGUE_LINES
                message = f"{message[:m.start(1)]}{line}{message[m.end(1):]}"
                raise QueryError(f"SPARQL syntax error at line {line}: {message}", line)
            raise QueryError(f"{what} was rejected by the server: {message}")
        if _TIMED_OUT.search(message):  # Virtuoso: HTTP 500 with SQL state S1T00 past MaxQueryExecutionTime
            raise RemoteTimeout(f"the SPARQL server at {self.base_url} stopped {what} at its own time limit: "
                                f"{message.splitlines()[0]}")
        if response.status_code in (401, 403):
            raise StoreUnavailable(f"the SPARQL server at {self.base_url} refused access (HTTP "
                                   f"{response.status_code}); check the credentials in SRKG_STORE")
        raise QueryError(f"{what} failed on the server (HTTP {response.status_code}): {message}")

    # -- Store interface ----------------------------------------------------

    def _post_query(self, sparql: str, default_graphs: list[str] | None, named_graphs: list[str] | None,
                    accept: str) -> httpx.Response:
        """Send one query (with srkg's prologue and dataset) and return the server's checked answer."""
        if self.inline_values:
            sparql = inline_values(sparql)
        form: list[tuple[str, str]] = [("query", _prologue() + sparql)]
        if default_graphs:
            form += [("default-graph-uri", g) for g in default_graphs]
        elif self.union_parameter:
            form.append((self.union_parameter, ""))
        form += [("named-graph-uri", g) for g in named_graphs or []]
        response = self._request("POST", self.query_url, content=urlencode(form).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept})
        self._raise_for(response, "the query")
        self._refuse_partial(response)
        return response

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, max_rows: int | None = None) -> QueryResult:
        """See :meth:`Store.query`; ``max_rows`` raises :class:`ResultTooLarge` past it, as the embedded store does."""
        result = self._parse_result(self._post_query(sparql, default_graphs, named_graphs, _accept(sparql)))
        if max_rows is not None and not isinstance(result, bool) and len(result) > max_rows:
            raise results.too_large(max_rows)
        return result

    def query_serialized(self, sparql: str, result_type: str, graph_type: str, *,
                         default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                         max_rows: int | None = None) -> tuple[str, bytes]:
        """See :meth:`Store.query_serialized`: the server's own serialisation, passed on (rewritten by
        pyoxigraph only when the server answers in another format than the one asked for)."""
        graph = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        wanted = graph_type if graph else result_type
        response = self._post_query(sparql, default_graphs, named_graphs, wanted)
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        body = response.content
        try:
            if graph:
                fmt = ox.RdfFormat.from_media_type(media)
                if fmt is None:
                    raise QueryError(f"the server answered a graph in an unsupported format {media!r}")
                if media != wanted or max_rows is not None:
                    triples = [q.triple for q in ox.parse(body, format=fmt)]
                    if max_rows is not None and len(triples) > max_rows:
                        raise results.too_large(max_rows)
                    if media != wanted:
                        body = results.triples_bytes(triples, wanted)
                return wanted, body
            given = results.RESULT_FORMATS.get(media)
            if given is None:
                raise QueryError(f"the server answered in an unsupported format {media!r}")
            if given != results.RESULT_FORMATS[wanted]:
                return wanted, results.solutions_bytes(ox.parse_query_results(body, format=given), wanted, max_rows)
            return wanted, results.check_rows(body, given, max_rows)
        except SyntaxError as e:
            raise QueryError(f"the server's answer could not be read: {e}") from e

    def _refuse_partial(self, response: httpx.Response) -> None:
        """Raise if the server says its answer is cut short (Virtuoso's headers; other servers fail instead)."""
        if response.headers.get("x-sql-state") == "S1TAT":  # an "anytime" query: partial results when time ran out
            raise RemoteTimeout(f"the SPARQL server at {self.base_url} ran out of time and returned a partial "
                                f"result ({response.headers.get('x-sql-message', 'no message')}); narrow the query "
                                "or raise the server's limit (Virtuoso: MaxQueryExecutionTime)")
        cap = response.headers.get("x-sparql-maxrows")
        if cap is not None:
            raise ResultTooLarge(f"the SPARQL server at {self.base_url} cut the result at {cap} rows, its own cap "
                                 "(Virtuoso: ResultSetMaxRows): add a LIMIT or narrow the query")

    def _parse_result(self, response: httpx.Response) -> QueryResult:
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in ("application/sparql-results+json", "application/json"):
            data = json.loads(response.content)
            if "boolean" in data:
                return bool(data["boolean"])
            variables = list(data["head"].get("vars", []))
            rows = [{v: _json_term(b.get(v)) for v in variables} for b in data["results"]["bindings"]]
            return SelectResult(variables, rows)
        fmt = ox.RdfFormat.from_media_type(media)
        if fmt is None:
            raise QueryError(f"the server answered in an unsupported format {media!r}")
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                for t in ox.parse(response.content, format=fmt)]

    def update(self, sparql: str) -> None:
        self._post_update(_prologue() + sparql, "the update")

    def _post_update(self, sparql: str, what: str) -> None:
        response = self._request("POST", self.update_url, content=sparql.encode("utf-8"),
                                 headers={"Content-Type": "application/sparql-update; charset=utf-8"},
                                 timeout=self._write_timeout)
        self._raise_for(response, what)

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace one graph with an N-Triples body through the Graph Store Protocol.

        Without a store path (servers with no Graph Store Protocol, such as
        Amazon Neptune) the same is one SPARQL update: drop, then insert.
        """
        if not self.has_graph_store:
            body = ntriples.decode("utf-8")
            self._post_update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}",
                              f"replacing the graph <{graph}>")
            return
        response = self._request("PUT", self.store_url, params={"graph": graph}, content=ntriples,
                                 headers={"Content-Type": "application/n-triples"}, timeout=self._write_timeout)
        self._raise_for(response, f"replacing the graph <{graph}>")

    def delete_graph(self, graph: str) -> None:
        """Remove one graph through the Graph Store Protocol; a missing graph is not an error."""
        if not self.has_graph_store:
            self._post_update(f"DROP SILENT GRAPH <{graph}>", f"deleting the graph <{graph}>")
            return
        response = self._request("DELETE", self.store_url, params={"graph": graph}, timeout=self._write_timeout)
        if response.status_code != 404:
            self._raise_for(response, f"deleting the graph <{graph}>")

    def get_graph(self, graph: str) -> list[Triple]:
        """The triples of one graph, read through the Graph Store Protocol (empty if it does not exist)."""
        if not self.has_graph_store:
            result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
            assert isinstance(result, list)  # a CONSTRUCT query
            return result
        response = self._request("GET", self.store_url, params={"graph": graph},
                                 headers={"Accept": "application/n-triples"})
        if response.status_code == 404:
            return []
        self._raise_for(response, f"reading the graph <{graph}>")
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        body = ox.serialize([to_oxigraph_triple(t) for t in triples], format=ox.RdfFormat.N_TRIPLES)
        self.put_graph(graph, body or b"")

    def graphs(self) -> dict[str, int]:
        result = self.query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_SRKG_GRAPHS} }} "
                            "GROUP BY ?g")
        assert isinstance(result, SelectResult)
        return dict(sorted((str(r["g"]), to_int(r["n"])) for r in result))

    def graph_names(self) -> set[str]:
        result = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} {_SRKG_GRAPHS} }}")
        assert isinstance(result, SelectResult)
        return {str(r["g"]) for r in result if r.get("g") is not None}

    def __len__(self) -> int:
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_SRKG_GRAPHS} }}")
        assert isinstance(result, SelectResult)
        return to_int(result.rows[0]["n"])

    def dump(self, media_type: str = "application/n-quads") -> bytes:
        """The dataset in one request where the server offers it (Oxigraph, Fuseki), else srkg's graphs one by one.

        A dump of the whole dataset is an extension of the Graph Store
        Protocol; a server without it (Virtuoso answers 406) is read graph by
        graph, which covers exactly the graphs :meth:`graphs` lists.
        """
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise ValueError(f"unsupported format {media_type}")
        if not self.has_graph_store:
            raise QueryError("dumping needs the Graph Store Protocol: set SRKG_REMOTE_STORE_PATH")
        params = {} if fmt.supports_datasets else {"default": ""}
        response = self._request("GET", self.store_url, params=params, headers={"Accept": media_type})
        if fmt.supports_datasets and response.status_code in (400, 404, 405, 406):
            quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(g))
                     for g in self.graphs() for t in map(to_oxigraph_triple, self.get_graph(g))]
            return ox.serialize(quads, format=fmt) or b""
        self._raise_for(response, "the dump")
        return response.content

    def snapshot(self) -> ox.Store:
        """An in-memory copy of srkg's graphs, for checking a write before it is sent (:mod:`graph.curation`)."""
        copy = ox.Store()
        if self.has_graph_store:
            copy.bulk_load(self.dump("application/n-quads"), format=ox.RdfFormat.N_QUADS)
        else:
            rows = self.query(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_SRKG_GRAPHS} }}")
            assert isinstance(rows, SelectResult)
            copy.extend(_quads(rows))
        return copy

    def close(self) -> None:
        self._client.close()


def _quads(rows: SelectResult) -> Iterator[ox.Quad]:
    """The quads of the rows ``?g ?s ?p ?o`` of a SELECT (all bound: they match a GRAPH pattern)."""
    for r in rows:
        s, p, o, g = r["s"], r["p"], r["o"], r["g"]
        assert s is not None and p is not None and o is not None and g is not None
        t = to_oxigraph_triple((s, p, o))
        yield ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(str(g)))


def publish_remote(dataset_or_nquads: object, store: RemoteStore,
                   progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Make the server hold exactly the given dataset, graph by graph, through the Graph Store Protocol.

    ``dataset_or_nquads`` is a :class:`graph.dataset.Dataset`, a pyoxigraph
    store, or N-Quads bytes. Each named graph is replaced with one ``PUT``
    (atomic per graph on every server); graphs the server holds that the
    dataset does not are deleted afterwards (only srkg's own graphs, those
    :meth:`RemoteStore.graphs` lists: a server's system graphs and other
    applications' graphs are never touched). ``progress`` is called with the
    number of triples written after each graph. Returns triples per graph.
    """
    source = getattr(dataset_or_nquads, "store", dataset_or_nquads)
    if isinstance(source, (bytes, str)):
        parsed = ox.Store()
        parsed.bulk_load(source.encode() if isinstance(source, str) else source, format=ox.RdfFormat.N_QUADS)
        source = parsed
    if not isinstance(source, ox.Store):
        raise TypeError(f"publish_remote needs a Dataset, a pyoxigraph store or N-Quads, not {type(source).__name__}")
    before = set(store.graphs())
    written: dict[str, int] = {}
    for g in sorted(source.named_graphs(), key=lambda n: n.value):
        body = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b""
        store.put_graph(g.value, body)
        written[g.value] = body.count(b"\n")
        if progress:
            progress(written[g.value])
    for name in sorted(before - set(written)):
        store.delete_graph(name)
    return written
