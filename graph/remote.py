"""A :class:`~graph.store.Store` on a remote SPARQL 1.1 server, over HTTP.

Speaks the three W3C protocols every SPARQL server offers (Oxigraph server,
Apache Jena Fuseki, Virtuoso, GraphDB, Amazon Neptune):

- SPARQL 1.1 Protocol for queries (``POST`` of a URL-encoded form),
- SPARQL 1.1 Update (``POST`` ``application/sparql-update``),
- the Graph Store Protocol for whole graphs (``PUT``/``GET``/``DELETE``
  ``?graph=IRI``).

It is chosen by configuration: ``SRKG_STORE=http://host:7878`` plus the
paths ``SRKG_REMOTE_QUERY_PATH``, ``SRKG_REMOTE_UPDATE_PATH`` and
``SRKG_REMOTE_STORE_PATH`` (Oxigraph's ``/query``, ``/update``, ``/store`` by
default; Fuseki's are ``/DATASET/sparql``, ``/DATASET/update``,
``/DATASET/data``; Virtuoso's ``/sparql``, ``/sparql``,
``/sparql-graph-crud``). Credentials in the URL (``http://user:password@host``)
are sent as HTTP authentication.

srkg's queries expect the default graph to be the union of the named graphs.
Where the server has a per-request switch for that, its query parameter is
``SRKG_REMOTE_UNION_PARAMETER`` (Oxigraph: ``union-default-graph``); set it
empty for servers configured to do so themselves (Fuseki's
``tdb2:unionDefaultGraph``, Virtuoso's default).

Credentials are sent with the scheme ``SRKG_REMOTE_AUTH`` names: ``basic``
(the default), or ``digest`` for Virtuoso's authenticated endpoints
(``/sparql-auth``, ``/sparql-graph-crud-auth``). srkg's graphs are those under
``https://w3id.org/srkg/graph/``: :meth:`RemoteStore.graphs` lists only them,
and publishing never deletes another graph, so a server's own graphs
(Virtuoso's ``virtrdf#``) and other applications' data on a shared server are
left alone. Queries are sent as URL-encoded forms, which every server answers
(Virtuoso 7 never answers a query posted directly as
``application/sparql-query``). ``SRKG_REMOTE_INLINE_VALUES=true`` moves the
``VALUES`` block that bindings append into the WHERE group, for Virtuoso,
which cannot bind an unselected variable with a trailing one. A server that
truncates a result (Virtuoso's ``ResultSetMaxRows``) or returns a partial one
when its time is up (Virtuoso's "anytime" queries) raises an error rather
than passing it off as complete.

A server that cannot be reached raises :class:`StoreUnavailable`, which the
service answers with 503; the next call tries again, so nothing needs a
restart when the server comes back. A query the server does not answer within
the time limit raises :class:`RemoteTimeout` (a :class:`QueryError`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from . import namespaces as ns
from .errors import QueryError, SrkgError
from .store import (EmbeddedStore, QueryResult, ResultTooLarge, SelectResult, Store, Triple, query_syntax_error,
                    to_oxigraph, to_rdflib)

_RESULTS_ACCEPT = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.5"
# the prologue (comments, BASE and PREFIX declarations) and then the keyword that names the query form
_QUERY_FORM = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*"
                         r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_POSITION = re.compile(r"(?:at|line) (\d+):\d+")
_LINE_ONLY = re.compile(r"SPARQL compiler, line (\d+):")  # Virtuoso names the line of a syntax error, not the column
_ECHO = re.compile(r"\s*SPARQL query:\n.*", re.S)  # Virtuoso repeats the whole query after its message
_TIMED_OUT = re.compile(r"\bS1T00\b")  # the SQL state of a query stopped at the server's time limit (Virtuoso)
_SRKG_GRAPHS = f'FILTER(STRSTARTS(STR(?g), "{ns.GRAPH}"))'


class StoreUnavailable(SrkgError):
    """The remote SPARQL server cannot be reached (down, restarting, or a wrong URL)."""


class RemoteTimeout(QueryError):
    """The remote SPARQL server did not answer within the time limit."""


def _prologue() -> str:
    return ns.sparql_prologue()


_PROLOGUE_LINES = _prologue().count("\n")


def _accept(sparql: str) -> str:
    """The result formats to ask for: RDF for CONSTRUCT and DESCRIBE, SPARQL results otherwise.

    Asked for both, Virtuoso answers a CONSTRUCT with a table of ?s ?p ?o in
    SPARQL results JSON, so the two are never offered together.
    """
    m = _QUERY_FORM.match(sparql)
    return _GRAPH_ACCEPT if m and m.group(1).upper() in ("CONSTRUCT", "DESCRIBE") else _RESULTS_ACCEPT


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"|'
                     r"'(?:[^'\\\n]|\\.)*'", re.S)
_KEYWORD = re.compile(r"(?<![\w:?$])(WHERE|VALUES)\b", re.I)


def inline_values(sparql: str) -> str:
    """Move a trailing ``VALUES`` block (what :func:`graph.catalogue.bind` appends) to the end of the WHERE group.

    The two mean the same (a join with the whole pattern), but Virtuoso 7
    applies a trailing block after the projection and fails ("No column")
    when it binds a variable the query does not select. Comments, strings and
    IRIs are skipped while the groups are matched; a query with no trailing
    block, or no WHERE group, is returned unchanged.
    """
    groups: list[tuple[int, int]] = []  # top-level { … } spans
    keywords: list[tuple[int, str]] = []  # top-level WHERE / VALUES
    depth, i, n = 0, 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end
            continue
        if c in "\"'":
            m = _STRING.match(sparql, i)
            i = m.end() if m else i + 1
            continue
        if c == "<":
            m = _IRIREF.match(sparql, i)
            i = m.end() if m else i + 1
            continue
        if c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                groups.append((start, i))
        elif depth == 0 and c in "wWvV":
            m = _KEYWORD.match(sparql, i)
            if m:
                keywords.append((i, m.group(1).upper()))
                i = m.end()
                continue
        i += 1
    if len(groups) < 2 or depth != 0 or not keywords or keywords[-1][1] != "VALUES":
        return sparql
    values_at = keywords[-1][0]
    if not groups[-1][0] > values_at > groups[-2][1] or sparql[groups[-1][1] + 1:].strip():
        return sparql  # the last VALUES is not the query's trailing block
    where = [at for at, word in keywords if word == "WHERE"]
    body = next((g for g in groups if not where or g[0] > where[0]), None)
    if body is None or body is groups[-1]:
        return sparql
    block = sparql[values_at:].strip()
    return f"{sparql[:body[1]]}\n  {block}\n{sparql[body[1]:values_at].rstrip()}\n"


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

    def __init__(self, base_url: str, *, settings: "Settings | None" = None,  # noqa: F821
                 timeout_s: float | None = None) -> None:
        from .settings import get_settings

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

    def _request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        """One HTTP request; an unreachable server becomes :class:`StoreUnavailable`."""
        try:
            response = self._client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TimeoutException as e:
            if isinstance(e, (httpx.ConnectTimeout, httpx.PoolTimeout)):
                raise self._unavailable(e) from e
            raise RemoteTimeout(f"the SPARQL server at {self.base_url} did not answer within the time limit "
                                f"({(kwargs.get('timeout') or self._client.timeout).read:g} s)") from e
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

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, max_rows: int | None = None) -> QueryResult:
        """See :meth:`Store.query`; ``max_rows`` raises :class:`ResultTooLarge` past it, as the embedded store does."""
        if self.inline_values:
            sparql = inline_values(sparql)
        form: list[tuple[str, str]] = [("query", _prologue() + sparql)]
        if default_graphs:
            form += [("default-graph-uri", g) for g in default_graphs]
        elif self.union_parameter:
            form.append((self.union_parameter, ""))
        form += [("named-graph-uri", g) for g in named_graphs or []]
        response = self._request("POST", self.query_url, content=urlencode(form).encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded",
                                          "Accept": _accept(form[0][1])})
        self._raise_for(response, "the query")
        self._refuse_partial(response)
        result = self._parse_result(response)
        if max_rows is not None and not isinstance(result, bool) and len(result) > max_rows:
            raise ResultTooLarge(f"the query returns more than {max_rows} results, the cap of this service: "
                                 "add a LIMIT or narrow the query")
        return result

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
            return self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")  # type: ignore
        response = self._request("GET", self.store_url, params={"graph": graph},
                                 headers={"Accept": "application/n-triples"})
        if response.status_code == 404:
            return []
        self._raise_for(response, f"reading the graph <{graph}>")
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
                for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        body = ox.serialize([ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples],
                            format=ox.RdfFormat.N_TRIPLES)
        self.put_graph(graph, body or b"")

    def graphs(self) -> dict[str, int]:
        result = self.query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_SRKG_GRAPHS} }} "
                            "GROUP BY ?g")
        assert isinstance(result, SelectResult)
        return dict(sorted((str(r["g"]), int(r["n"])) for r in result))  # type: ignore[arg-type]

    def graph_names(self) -> set[str]:
        result = self.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} {_SRKG_GRAPHS} }}")
        assert isinstance(result, SelectResult)
        return {str(r["g"]) for r in result if r.get("g") is not None}

    def __len__(self) -> int:
        result = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_SRKG_GRAPHS} }}")
        assert isinstance(result, SelectResult)
        return int(result.rows[0]["n"])  # type: ignore[arg-type]

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
            quads = [ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(g))
                     for g in self.graphs() for s, p, o in self.get_graph(g)]
            return ox.serialize(quads, format=fmt) or b""
        self._raise_for(response, "the dump")
        return response.content

    def snapshot(self) -> EmbeddedStore:
        """An in-memory copy of every named graph, for checking a write before it is sent (:mod:`graph.curation`)."""
        copy = ox.Store()
        if self.has_graph_store:
            copy.bulk_load(self.dump("application/n-quads"), format=ox.RdfFormat.N_QUADS)
        else:
            rows = self.query(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_SRKG_GRAPHS} }}")
            copy.extend(ox.Quad(*(to_oxigraph(r[v]) for v in ("s", "p", "o", "g"))) for r in rows)  # type: ignore
        return EmbeddedStore(store=copy)

    def close(self) -> None:
        self._client.close()


def publish_remote(dataset_or_nquads: "object", store: RemoteStore,
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
        body = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        store.put_graph(g.value, body)
        written[g.value] = body.count(b"\n")
        if progress:
            progress(written[g.value])
    for g in sorted(before - set(written)):
        store.delete_graph(g)
    return written


class LocalServer:
    """A SPARQL server run as a child process on 127.0.0.1, for tests, benchmarks and trials.

    ``start()`` launches it on ``port`` (a free one if not given) with its data
    in ``location`` and returns once it answers a query; ``stop()`` ends it.
    Starting again reuses the same port and data folder. Subclasses name the
    command, the endpoint paths (:meth:`configure` points settings at them)
    and what to do once the server answers.
    """

    name = "SPARQL"
    query_path, update_path, store_path, union_parameter = "/query", "/update", "/store", "union-default-graph"
    inline_values = False  # SRKG_REMOTE_INLINE_VALUES

    def __init__(self, location: "Path", port: int | None = None, *, ready_timeout_s: float = 30.0,  # noqa: F821
                 timeout_s: float | None = None) -> None:
        self.location = location
        self.timeout_s = timeout_s  # the server's own limit on one query
        self.port = port or _free_port()
        self.ready_timeout_s = ready_timeout_s
        self.process: "subprocess.Popen[bytes] | None" = None  # noqa: F821

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def configure(self, settings: "Settings") -> "Settings":  # noqa: F821
        """``settings`` pointed at this server: ``store`` and the ``remote_*`` settings it needs."""
        return settings.model_copy(update={"store": self.url, "remote_query_path": self.query_path,
                                           "remote_update_path": self.update_path,
                                           "remote_store_path": self.store_path,
                                           "remote_union_parameter": self.union_parameter,
                                           "remote_inline_values": self.inline_values})

    def command(self) -> list[str]:
        raise NotImplementedError

    def prepared(self, deadline: float) -> None:
        """Called once the server answers queries, before :meth:`start` returns (nothing by default)."""

    def start(self) -> "LocalServer":
        import subprocess
        import tempfile
        import time

        self._log = tempfile.TemporaryFile()  # the server's messages, shown if it fails to start
        self.process = subprocess.Popen(self.command(), stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.ready_timeout_s
        with httpx.Client(timeout=1.0) as client:
            while True:
                if self.process.poll() is not None:
                    self._log.seek(0)
                    err = self._log.read().decode(errors="replace")
                    self.process = None
                    self._log.close()
                    raise SrkgError(f"the {self.name} server on port {self.port} exited at start: {err.strip()}")
                try:
                    if client.get(self.url + self.query_path, params={"query": "ASK {}"}).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise SrkgError(f"the {self.name} server on port {self.port} did not answer "
                                    f"within {self.ready_timeout_s:g} s")
                time.sleep(0.02)  # poll interval while waiting for the port to open
        try:
            self.prepared(deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a server that ignores SIGTERM gets SIGKILL
            self.process.kill()
            self.process.wait()
        self._log.close()
        self.process = None

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class OxigraphServer(LocalServer):
    """An Oxigraph SPARQL server (``pip install oxigraph``) run on 127.0.0.1, for tests, benchmarks and trials.

    ``start()`` launches ``oxigraph serve`` on ``port`` (a free one if not
    given) with its data in ``location`` and returns once the server answers;
    ``stop()`` ends it. Starting again reuses the same port and data folder.
    """

    name = "Oxigraph"

    @staticmethod
    def executable() -> str:
        import shutil
        import sys
        from pathlib import Path

        found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
        if not found:
            raise SrkgError("the Oxigraph server is not installed: `pip install oxigraph` provides the `oxigraph` command")
        return found

    def command(self) -> list[str]:
        return ([self.executable(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
                + (["--timeout-s", str(max(1, round(self.timeout_s)))] if self.timeout_s else []))

    def start(self) -> "OxigraphServer":
        return super().start()  # type: ignore[return-value]

    def __enter__(self) -> "OxigraphServer":
        return self.start()


_VIRTUOSO_INI = """\
; written by srkg (graph.remote.VirtuosoServer) for a throwaway server; rewritten at every start
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:{isql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 8
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {dir}
NumberOfBuffers      = {buffers}
MaxDirtyBuffers      = {dirty_buffers}
MaxQueryMem          = 256M
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = 127.0.0.1:{port}
ServerRoot           = {dir}
MaxClientConnections = 20
ServerThreads        = 20
MaxKeepAlives        = 20
EnabledDavVSP        = 0
Charset              = UTF-8
KeepAliveTimeout     = 10

[SPARQL]
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = {timeout_s}
"""


class VirtuosoServer(LocalServer):
    """An OpenLink Virtuoso server (Debian ``virtuoso-opensource``) run on 127.0.0.1, for tests and trials.

    ``start()`` writes a ``virtuoso.ini`` into ``location`` (database files
    there, HTTP on ``port`` and the SQL port ``isql_port`` both on 127.0.0.1,
    free ones if not given, ``buffers`` pages of 8 KiB of cache), runs
    ``virtuoso-t`` in the foreground, waits until ``/sparql`` answers, and
    grants SPARQL Update to Virtuoso's anonymous ``SPARQL`` user through
    ``isql-vt`` as ``dba`` (password ``dba``, Virtuoso's default for a new
    database), so that the plain endpoints accept writes as Oxigraph's do.
    The endpoints are ``/sparql`` for queries and updates and
    ``/sparql-graph-crud`` for the Graph Store Protocol; the default graph of
    a query is already the union of all graphs. ``max_rows`` is the server's
    own cap on a result (``ResultSetMaxRows``) and ``timeout_s`` its own time
    limit (``MaxQueryExecutionTime``; none by default).
    """

    name = "Virtuoso"
    query_path, update_path, store_path, union_parameter = "/sparql", "/sparql", "/sparql-graph-crud", ""
    inline_values = True
    DBA = ("dba", "dba")
    GRANTS = 'grant SPARQL_UPDATE to "SPARQL";'

    def __init__(self, location: "Path", port: int | None = None, *, isql_port: int | None = None,  # noqa: F821
                 ready_timeout_s: float = 120.0, timeout_s: float | None = None, buffers: int = 4000,
                 max_rows: int = 10_000_000) -> None:
        super().__init__(location, port, ready_timeout_s=ready_timeout_s, timeout_s=timeout_s)
        self.isql_port = isql_port or _free_port()
        self.buffers = buffers
        self.max_rows = max_rows

    @staticmethod
    def executables() -> tuple[str, str]:
        """The paths of ``virtuoso-t`` and of Virtuoso's own ``isql`` (``isql-vt`` on Debian)."""
        import shutil

        server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
        if not server or not isql:
            raise SrkgError("Virtuoso is not installed: `apt-get install virtuoso-opensource` provides the "
                            "`virtuoso-t` server and its `isql-vt` client")
        return server, isql

    def command(self) -> list[str]:
        from pathlib import Path

        server, _ = self.executables()
        folder = Path(self.location).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        ini = folder / "virtuoso.ini"
        ini.write_text(_VIRTUOSO_INI.format(
            dir=folder, port=self.port, isql_port=self.isql_port, buffers=self.buffers,
            dirty_buffers=self.buffers * 3 // 4, max_rows=self.max_rows,
            timeout_s=max(1, round(self.timeout_s)) if self.timeout_s else 0), encoding="utf-8")
        return [server, "+foreground", "+configfile", str(ini)]

    def isql(self, sql: str) -> str:
        """Run SQL statements as ``dba`` through ``isql-vt``; raise :class:`SrkgError` with its message on an error."""
        import subprocess

        _, isql = self.executables()
        done = subprocess.run([isql, str(self.isql_port), *self.DBA, f"exec={sql}"], capture_output=True,
                              text=True, timeout=60, stdin=subprocess.DEVNULL)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise SrkgError(f"Virtuoso's isql on port {self.isql_port} failed: {output.strip()}")
        return output

    def prepared(self, deadline: float) -> None:
        """Grant SPARQL Update to the anonymous user; the SQL port may open a moment after the HTTP one."""
        import time

        while True:
            try:
                self.isql(self.GRANTS)
                return
            except SrkgError as e:
                if "U0013" in str(e):  # the role is already granted: a restart on the same database
                    return
                if time.monotonic() > deadline or "Connect failed" not in str(e):
                    raise
            time.sleep(0.05)  # poll interval while the SQL port opens

    def start(self) -> "VirtuosoServer":
        return super().start()  # type: ignore[return-value]

    def __enter__(self) -> "VirtuosoServer":
        return self.start()


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
