"""A :class:`~graph.store.Store` on a remote SPARQL 1.1 server, over HTTP.

Speaks the three W3C protocols every SPARQL server offers (Oxigraph server,
Apache Jena Fuseki, Virtuoso, GraphDB, Amazon Neptune):

- SPARQL 1.1 Protocol for queries (``POST`` ``application/sparql-query``),
- SPARQL 1.1 Update (``POST`` ``application/sparql-update``),
- the Graph Store Protocol for whole graphs (``PUT``/``GET``/``DELETE``
  ``?graph=IRI``).

It is chosen by configuration: ``SRKG_STORE=http://host:7878`` plus the
paths ``SRKG_REMOTE_QUERY_PATH``, ``SRKG_REMOTE_UPDATE_PATH`` and
``SRKG_REMOTE_STORE_PATH`` (Oxigraph's ``/query``, ``/update``, ``/store`` by
default; Fuseki's are ``/DATASET/sparql``, ``/DATASET/update``,
``/DATASET/data``). Credentials in the URL (``http://user:password@host``)
are sent as HTTP basic authentication.

srkg's queries expect the default graph to be the union of the named graphs.
Where the server has a per-request switch for that, its query parameter is
``SRKG_REMOTE_UNION_PARAMETER`` (Oxigraph: ``union-default-graph``); set it
empty for servers configured to do so themselves (Fuseki's
``tdb2:unionDefaultGraph``, Virtuoso's default).

A server that cannot be reached raises :class:`StoreUnavailable`, which the
service answers with 503; the next call tries again, so nothing needs a
restart when the server comes back. A query the server does not answer within
the time limit raises :class:`RemoteTimeout` (a :class:`QueryError`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from . import namespaces as ns
from .errors import QueryError, SrkgError
from .store import (EmbeddedStore, QueryResult, ResultTooLarge, SelectResult, Store, Triple, query_syntax_error,
                    to_oxigraph, to_rdflib)

_RESULTS_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.5"
_POSITION = re.compile(r"(?:at|line) (\d+):\d+")


class StoreUnavailable(SrkgError):
    """The remote SPARQL server cannot be reached (down, restarting, or a wrong URL)."""


class RemoteTimeout(QueryError):
    """The remote SPARQL server did not answer within the time limit."""


def _prologue() -> str:
    return ns.sparql_prologue()


_PROLOGUE_LINES = _prologue().count("\n")


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
        auth = httpx.BasicAuth(unquote(parts.username), unquote(parts.password or "")) if parts.username else None
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        netloc = host + (f":{parts.port}" if parts.port else "")
        self.base_url = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        self.query_url = self.base_url + settings.remote_query_path
        self.update_url = self.base_url + settings.remote_update_path
        self.store_url = self.base_url + settings.remote_store_path
        self.has_graph_store = bool(settings.remote_store_path)
        self.union_parameter = settings.remote_union_parameter or None
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
        message = response.text.strip()[:2000] or response.reason_phrase
        if response.status_code in (400, 415):
            m = _POSITION.search(message)
            if m and int(m.group(1)) > _PROLOGUE_LINES:  # a syntax error: locate it in the caller's text
                message = f"{message[:m.start(1)]}{int(m.group(1)) - _PROLOGUE_LINES}{message[m.end(1):]}"
                raise query_syntax_error(SyntaxError(message))
            raise QueryError(f"{what} was rejected by the server: {message}")
        if response.status_code in (401, 403):
            raise StoreUnavailable(f"the SPARQL server at {self.base_url} refused access (HTTP "
                                   f"{response.status_code}); check the credentials in SRKG_STORE")
        raise QueryError(f"{what} failed on the server (HTTP {response.status_code}): {message}")

    # -- Store interface ----------------------------------------------------

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, max_rows: int | None = None) -> QueryResult:
        """See :meth:`Store.query`; ``max_rows`` raises :class:`ResultTooLarge` past it, as the embedded store does."""
        params: list[tuple[str, str]] = []
        if default_graphs:
            params += [("default-graph-uri", g) for g in default_graphs]
        elif self.union_parameter:
            params.append((self.union_parameter, ""))
        params += [("named-graph-uri", g) for g in named_graphs or []]
        response = self._request("POST", self.query_url, params=params, content=(_prologue() + sparql).encode(),
                                 headers={"Content-Type": "application/sparql-query; charset=utf-8",
                                          "Accept": _RESULTS_ACCEPT})
        self._raise_for(response, "the query")
        result = self._parse_result(response)
        if max_rows is not None and not isinstance(result, bool) and len(result) > max_rows:
            raise ResultTooLarge(f"the query returns more than {max_rows} results, the cap of this service: "
                                 "add a LIMIT or narrow the query")
        return result

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
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(result, SelectResult)
        return dict(sorted((str(r["g"]), int(r["n"])) for r in result))  # type: ignore[arg-type]

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, SelectResult)
        return int(result.rows[0]["n"])  # type: ignore[arg-type]

    def dump(self, media_type: str = "application/n-quads") -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise ValueError(f"unsupported format {media_type}")
        if not self.has_graph_store:
            raise QueryError("dumping needs the Graph Store Protocol: set SRKG_REMOTE_STORE_PATH")
        params = {} if fmt.supports_datasets else {"default": ""}
        response = self._request("GET", self.store_url, params=params, headers={"Accept": media_type})
        self._raise_for(response, "the dump")
        return response.content

    def snapshot(self) -> EmbeddedStore:
        """An in-memory copy of every named graph, for checking a write before it is sent (:mod:`graph.curation`)."""
        copy = ox.Store()
        if self.has_graph_store:
            copy.bulk_load(self.dump("application/n-quads"), format=ox.RdfFormat.N_QUADS)
        else:
            rows = self.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
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
    dataset does not are deleted afterwards. ``progress`` is called with the
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


class OxigraphServer:
    """An Oxigraph SPARQL server (``pip install oxigraph``) run on 127.0.0.1, for tests, benchmarks and trials.

    ``start()`` launches ``oxigraph serve`` on ``port`` (a free one if not
    given) with its data in ``location`` and returns once the server answers;
    ``stop()`` ends it. Starting again reuses the same port and data folder.
    """

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

    @staticmethod
    def executable() -> str:
        import shutil
        import sys
        from pathlib import Path

        found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
        if not found:
            raise SrkgError("the Oxigraph server is not installed: `pip install oxigraph` provides the `oxigraph` command")
        return found

    def start(self) -> "OxigraphServer":
        import subprocess
        import tempfile
        import time

        self._log = tempfile.TemporaryFile()  # the server's messages, shown if it fails to start
        self.process = subprocess.Popen(
            [self.executable(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
            + (["--timeout-s", str(max(1, round(self.timeout_s)))] if self.timeout_s else []),
            stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.ready_timeout_s
        with httpx.Client(timeout=1.0) as client:
            while True:
                if self.process.poll() is not None:
                    self._log.seek(0)
                    err = self._log.read().decode(errors="replace")
                    raise SrkgError(f"the Oxigraph server on port {self.port} exited at start: {err.strip()}")
                try:
                    if client.get(self.url + "/query", params={"query": "ASK {}"}).status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise SrkgError(f"the Oxigraph server on port {self.port} did not answer "
                                    f"within {self.ready_timeout_s:g} s")
                time.sleep(0.02)  # poll interval while waiting for the port to open

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

    def __enter__(self) -> "OxigraphServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
