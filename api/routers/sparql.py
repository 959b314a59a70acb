"""The SPARQL 1.1 Protocol endpoint ``/sparql``: queries, the service description, the editor page.

- ``GET /sparql?query=…``, ``POST`` form (``query=``) and ``POST``
  ``application/sparql-query``; ``default-graph-uri`` and ``named-graph-uri``
  set the dataset, otherwise the default graph is the union of all graphs.
- The response type is negotiated from ``Accept`` (:mod:`api.formats`); a
  browser gets the query editor (YASGUI, vendored in ``api/static/yasgui/``
  and set up for this endpoint only by ``api/static/sparql-editor.js``),
  whose no-script fallback holds the results as a table.
- ``GET /sparql`` without a query: the editor page for browsers, the service
  description (with VoID statistics) for RDF clients.
- Updates go to ``/sparql/update`` (or ``POST /sparql`` with ``update=``);
  they need the configured bearer token (:mod:`api.writes`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypedDict
from urllib.parse import parse_qs

import rdflib
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from graph import namespaces as ns
from graph.errors import QueryError, ResultTooLarge
from graph.store import SelectResult, Triple

from .. import guard, pages, protocol, writes
from ..deps import ServiceDep
from ..formats import GRAPH_TYPES, HTML, RESULT_TYPES, NotAcceptable, negotiate, serialize_graph
from ..language import request_language
from ..links import page_of
from ..problems import PROBLEM_RESPONSES, ProblemError, problem_for
from ..service import Service

router = APIRouter(tags=["SPARQL"])

RESULT_OFFER = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values", "application/json", "application/xml", HTML]
GRAPH_OFFER = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", HTML,
               "application/x-turtle", "text/plain"]
DESCRIPTION_OFFER = [HTML, "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]
MAX_QUERY_CHARS = 100_000
EMPTY_GRAPH = ns.GRAPH + "empty"  # never holds anything: stands for an empty default graph or named graph set

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")

_RESPONSES: dict[int | str, dict[str, Any]] = {**PROBLEM_RESPONSES, 200: {
    "description": "query results, negotiated from Accept",
    "content": {t: {} for t in RESULT_OFFER[:4] + GRAPH_OFFER[:4] + [HTML]}}}
_DATASET = {"default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}}}
_TEXT = {"type": "string", "minLength": 1}
_VERSION = {"type": "string", "enum": list(protocol.VERSIONS)}
_USING = {"using-graph-uri": {"type": "array", "items": {"type": "string"}},
          "using-named-graph-uri": {"type": "array", "items": {"type": "string"}}}
#: a protocol POST: a form with a query (or, on /sparql, an update), or the query or update as the body
_POST_BODY = {"requestBody": {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "query": _TEXT, "update": _TEXT, "version": _VERSION, **_DATASET, **_USING}, "oneOf": [
            {"required": ["query"]}, {"required": ["update"]}]}},
    "application/sparql-query": {"schema": _TEXT},
    "application/sparql-update": {"schema": _TEXT}}}}
#: an update POST: a form with the update, or the update as the body
_UPDATE_BODY = {"requestBody": {"required": True, "content": {
    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
        "update": _TEXT, "version": _VERSION, **_USING}, "required": ["update"]}},
    "application/sparql-update": {"schema": _TEXT}}}}


class Dataset(TypedDict):
    """The keyword arguments that set a query's dataset and row cap (see :meth:`graph.store.Store.query`)."""

    default_graphs: list[str] | None
    named_graphs: list[str] | None
    max_rows: int | None


def service_description(service: Service, base: str) -> list[Triple]:
    """The SPARQL 1.1 service description, with one VoID dataset per named graph."""
    g = rdflib.Graph()
    s = rdflib.URIRef(base + "sparql")
    add = g.add
    add((s, rdflib.RDF.type, SD.Service))
    add((s, SD.endpoint, s))
    add((s, SD.supportedLanguage, SD.SPARQL11Query))
    if service.settings.update_token:
        add((s, SD.supportedLanguage, SD.SPARQL11Update))
    add((s, SD.feature, SD.UnionDefaultGraph))
    for t in list(RESULT_TYPES) + list(GRAPH_TYPES):
        add((s, SD.resultFormat, rdflib.Literal(t)))
    dataset = rdflib.URIRef(base + "sparql#dataset")
    default = rdflib.URIRef(base + "sparql#default-graph")
    add((s, SD.defaultDataset, dataset))
    add((dataset, rdflib.RDF.type, SD.Dataset))
    add((dataset, rdflib.RDF.type, VOID.Dataset))
    add((dataset, VOID.sparqlEndpoint, s))
    add((dataset, VOID.uriSpace, rdflib.Literal(ns.ID)))
    add((dataset, VOID.vocabulary, rdflib.URIRef(ns.SRKG)))
    add((dataset, SD.defaultGraph, default))
    add((default, rdflib.RDF.type, SD.Graph))
    graphs = service.graphs()
    add((default, VOID.triples, rdflib.Literal(sum(graphs.values()))))
    for iri, count in graphs.items():
        node = rdflib.URIRef(base + "sparql#graph-" + iri.rsplit("/graph/", 1)[-1].replace("/", "-"))
        add((dataset, SD.namedGraph, node))
        add((node, rdflib.RDF.type, SD.NamedGraph))
        add((node, SD.name, rdflib.URIRef(iri)))
        add((node, SD.graph, rdflib.URIRef(iri + "#description")))
        add((rdflib.URIRef(iri + "#description"), rdflib.RDF.type, SD.Graph))
        add((rdflib.URIRef(iri + "#description"), VOID.triples, rdflib.Literal(count)))
    return list(g)


def editor_page(service: Service, request: Request, query: str = "", result: object = None,
                error: str | None = None, status: int = 200) -> HTMLResponse:
    """The editor: YASGUI on this endpoint, with the competency questions as examples; the same page holds a
    plain form and the results of ``query`` as a table (or its ``error``) for browsers without script."""
    table = None
    if isinstance(result, SelectResult):
        table = {"head": result.variables, "rows": [[row.get(v) for v in result.variables] for row in result.rows]}
    elif isinstance(result, bool):
        table = {"head": ["answer"], "rows": [[rdflib.Literal(result)]]}
    elif isinstance(result, list):
        table = {"head": ["subject", "predicate", "object"], "rows": [list(t) for t in result]}
    lang = request_language(request).language
    examples = service.examples()
    first = examples[0].text if examples else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
    config = {"endpoint": "/sparql", "query": first, "prefixes": ns.PREFIXES,
              "examples": [{"name": q.name, "title": q.title, "description": q.description, "query": q.text}
                           for q in examples]}
    html = pages.render("sparql.html", query=query or first, examples=examples, table=table, error=error,
                        max_rows=service.settings.max_result_rows, cell=_cell, prefixes=list(ns.PREFIXES),
                        config=config, views=pages.has_views(request), lang=lang,
                        lang_links=pages.lang_links(request, lang))
    return pages.page(html, status, csp=pages.CSP_INLINE_STYLES)


def _cell(term: object) -> dict[str, str]:
    """How a result term is shown: text, a link (srkg's IRIs go to their page here) and a language tag."""
    cell = {"text": "", "href": "", "lang": ""}
    if isinstance(term, rdflib.URIRef):
        iri = str(term)
        cell["text"] = ns.curie(iri)
        if iri.startswith(("http://", "https://")):
            cell["href"] = page_of(iri)
    elif isinstance(term, rdflib.Literal):
        cell["text"], cell["lang"] = str(term), term.language or ""
    elif term is not None:
        cell["text"] = str(term)
    return cell


def _prepare(service: Service, query: str, default_graphs: list[str],
             named_graphs: list[str]) -> tuple[guard.Scan, list[str], list[str]]:
    """Refuse what must not run (size, updates, network access, unknown graphs); the dataset to query."""
    if len(query) > MAX_QUERY_CHARS:
        raise ProblemError(413, "Query too long", f"the query has {len(query)} characters; the limit is "
                           f"{MAX_QUERY_CHARS}", "too-large")
    known = service.graph_names()
    found = guard.check(query, known, update=False)
    if found.is_update:
        raise ProblemError(400, "Update on the query endpoint",
                           "this is a SPARQL Update; the query endpoint only answers queries. "
                           "Curators send updates to /sparql/update with their bearer token", "update-refused")
    guard.check_graphs(default_graphs + named_graphs, known)
    if not default_graphs and not named_graphs:  # the protocol's parameters override FROM and FROM NAMED
        default_graphs, named_graphs = found.from_default, found.from_named
    if default_graphs or named_graphs:  # an explicit dataset: what it leaves out is empty
        default_graphs = default_graphs or [EMPTY_GRAPH]
        named_graphs = named_graphs or [EMPTY_GRAPH]
    return found, default_graphs, named_graphs


def _acceptable(accept: str | None, offer: list[str]) -> str | None:
    try:
        return negotiate(accept, offer)
    except NotAcceptable:
        return None


async def run(service: Service, request: Request, query: str, default_graphs: list[str],
              named_graphs: list[str]) -> Response:
    """Check, run and serialise one query as the client asked.

    Results go out as the query worker serialised them (no rdflib on this path); a browser gets the editor.
    """
    from starlette.concurrency import run_in_threadpool

    found, default_graphs, named_graphs = await run_in_threadpool(
        _prepare, service, query, default_graphs, named_graphs) if service.graph_names_cached is None \
        else _prepare(service, query, default_graphs, named_graphs)
    accept = request.headers.get("accept")
    media = negotiate(accept, GRAPH_OFFER if found.form in {"CONSTRUCT", "DESCRIBE"} else RESULT_OFFER)
    dataset: Dataset = {"default_graphs": default_graphs or None, "named_graphs": named_graphs or None,
                        "max_rows": service.settings.max_result_rows}
    if media == HTML:
        try:
            result = await run_in_threadpool(lambda: service.store.query(query, **dataset))
        except QueryError as e:
            return editor_page(service, request, query, error=str(e), status=400)
        return editor_page(service, request, query, result)
    result_type = media if media in RESULT_TYPES else _acceptable(accept, RESULT_OFFER[:4])
    graph_type = media if media in GRAPH_TYPES else _acceptable(accept, GRAPH_OFFER[:4])
    args = (query, result_type or RESULT_OFFER[0], graph_type or GRAPH_OFFER[0])
    produced, body = await _answer(service, args, dataset)
    if produced in GRAPH_TYPES and graph_type is None:
        raise NotAcceptable(GRAPH_OFFER[:4])
    if produced in RESULT_TYPES and result_type is None:
        raise NotAcceptable(RESULT_OFFER[:4])
    return Response(body, media_type=produced)


async def _answer(service: Service, args: tuple[str, str, str], dataset: Dataset) -> tuple[str, bytes]:
    """The serialised answer to the query ``args`` (text, result type, graph type) over ``dataset``: from
    the result cache, from the in-process reader for a lookup, or from a query worker."""
    cache = service.results
    key = (*args, tuple(dataset["default_graphs"] or ()), tuple(dataset["named_graphs"] or ()), dataset["max_rows"])
    if cache is not None:
        generation = cache.generation
        if (cached := cache.get(key)) is not None:
            if isinstance(cached, ResultTooLarge):
                raise ResultTooLarge(str(cached))  # a new one: raising the kept one would grow its traceback
            return cached
    try:
        answer = None
        if service.reader is not None and not dataset["default_graphs"] and not dataset["named_graphs"] \
                and guard.is_lookup(args[0]):
            answer = service.lookup(*args, **dataset)  # bounded by one node's degree and the row cap: no worker
        if answer is None:
            answer = await service.store.aquery_serialized(*args, **dataset)
    except ResultTooLarge as refused:
        if cache is not None:
            cache.put(key, refused, generation)
        raise
    if cache is not None:
        cache.put(key, answer, generation)
    return answer


def describe_service(service: Service, request: Request) -> Response:
    media = negotiate(request.headers.get("accept"), DESCRIPTION_OFFER)
    if media == HTML:
        return editor_page(service, request)
    return Response(serialize_graph(service_description(service, str(request.base_url)), media), media_type=media)


@router.get("/sparql", responses=_RESPONSES, summary="SPARQL query (GET), service description, or editor")
async def sparql_get(request: Request, service: ServiceDep,
               query: Annotated[str | None, Query(min_length=1, description="a SPARQL 1.1 query; without it, "
                                                   "the service description (or the editor, for a browser)")] = None,
               default_graph_uri: Annotated[list[str], Query(alias="default-graph-uri")] = [],  # noqa: B006
               named_graph_uri: Annotated[list[str], Query(alias="named-graph-uri")] = [],  # noqa: B006
               version: Annotated[str | None, Query(description="the SPARQL version the query is written in",
                                                    json_schema_extra={"enum": list(protocol.VERSIONS)})] = None,
               ) -> Response:
    op = protocol.read(protocol.QUERY, _parameters(request))
    if op.text is None or not op.text.strip():
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(describe_service, service, request)
    return await run(service, request, op.text, op.default_graphs, op.named_graphs)


def _parameters(request: Request) -> dict[str, list[str]]:
    """The URL parameters of ``request``, each with all its values."""
    params = request.query_params
    return {name: params.getlist(name) for name in params.keys()}


async def read_form_or_body(request: Request, limit: int) -> tuple[str, dict[str, list[str]], str]:
    """The body of a protocol POST: ``(content type, form fields, raw text)``."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if len(body) > limit:
        raise ProblemError(413, "Request too large", f"the request body has {len(body)} bytes; the limit is {limit}",
                           "too-large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProblemError(400, "Bad encoding", "the request body is not UTF-8", "bad-encoding") from None
    fields = parse_qs(text, keep_blank_values=True) if ctype == "application/x-www-form-urlencoded" else {}
    return ctype, fields, text


@router.post("/sparql", responses=_RESPONSES, openapi_extra=_POST_BODY,
             summary="SPARQL query by POST (form or application/sparql-query), or update by form")
async def sparql_post(request: Request, service: ServiceDep) -> Response:
    from starlette.concurrency import run_in_threadpool

    ctype, fields, text = await read_form_or_body(request, MAX_QUERY_CHARS * 4)
    params, header = _parameters(request), request.headers.get("content-type")
    if ctype == "application/sparql-query":
        op = protocol.read(protocol.QUERY, params, body=text, content_type=header)
        return await run(service, request, text, op.default_graphs, op.named_graphs)
    if ctype == "application/sparql-update":
        update = protocol.read(protocol.UPDATE, params, body=text, content_type=header)
        return await run_in_threadpool(writes.update, service, request, update)
    if ctype == "application/x-www-form-urlencoded":
        if "update" in fields and "query" in fields:
            raise ProblemError(400, "Query and update", "the form holds both a query and an update; send one "
                               "(updates preferably to /sparql/update)", "query-and-update")
        if "update" in fields:
            update = protocol.read(protocol.UPDATE, params, fields)
            return await run_in_threadpool(writes.update, service, request, update)
        op = protocol.read(protocol.QUERY, params, fields)
        if op.text is not None and op.text.strip():
            return await run(service, request, op.text, op.default_graphs, op.named_graphs)
        raise ProblemError(400, "No query", "the form has no 'query' field; send query=… (or update=…)", "no-query")
    raise ProblemError(415, "Unsupported media type",
                       f"cannot read a {ctype or 'body without Content-Type'}; send application/sparql-query, "
                       "application/sparql-update or an application/x-www-form-urlencoded form", "media-type")


@router.post("/sparql/update", responses={**PROBLEM_RESPONSES, 204: {"description": "the update was applied"}},
             openapi_extra=_UPDATE_BODY, summary="SPARQL 1.1 Update (needs the bearer token)", status_code=204)
async def sparql_update(request: Request, service: ServiceDep) -> Response:
    from starlette.concurrency import run_in_threadpool

    ctype, fields, text = await read_form_or_body(request, writes.MAX_WRITE_BYTES)
    params, header = _parameters(request), request.headers.get("content-type")
    if ctype == "application/x-www-form-urlencoded":
        update = protocol.read(protocol.UPDATE, params, fields)
        if update.text is None:
            raise ProblemError(400, "No update", "the form has no 'update' field", "no-update")
    elif ctype == "application/sparql-update":
        update = protocol.read(protocol.UPDATE, params, body=text, content_type=header)
    else:
        raise ProblemError(415, "Unsupported media type", "send application/sparql-update or a form with update=…",
                           "media-type")
    return await run_in_threadpool(writes.update, service, request, update)


class FastPath:
    """``GET /sparql?query=…`` answered straight from ASGI, before FastAPI's routing and dependencies.

    Query requests are the hot path of a SPARQL service, and FastAPI's per-request machinery costs more
    than a lookup by IRI does. This wrapper hands such requests to the same :func:`run` the route uses and
    answers errors with the same :func:`api.problems.problem_for`; everything else (the editor, the service
    description, POST, every other path) goes on to the app.
    """

    def __init__(self, app: Any, service: Callable[[], Service | None]):
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = self.service() if scope["type"] == "http" and scope["method"] == "GET" \
            and scope["path"] == "/sparql" and b"query=" in scope["query_string"] else None
        if service is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            op = protocol.read(protocol.QUERY, _parameters(request))
            if op.text is None or not op.text.strip():
                await self.app(scope, receive, send)
                return
            response = await run(service, request, op.text, op.default_graphs, op.named_graphs)
        except Exception as exc:  # noqa: BLE001 - every error becomes its problem response, as on the route
            response = problem_for(request, exc)
        await response(scope, receive, send)
