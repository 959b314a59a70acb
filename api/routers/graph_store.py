"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graphs/service?graph=…``.

``GET`` reads a named graph (negotiated RDF); ``PUT`` replaces it, ``POST``
adds to it, ``DELETE`` drops it. Writes need the bearer token and are
checked and atomic (:mod:`api.writes`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from .. import writes
from ..deps import ServiceDep
from ..formats import GRAPH_TYPES, negotiate, serialize_graph, triples_of
from ..links import is_iri
from ..problems import PROBLEM_RESPONSES, ProblemError
from ..service import Service

router = APIRouter(tags=["Graph Store"])
GraphParam = Annotated[str, Query(description="IRI of the named graph", min_length=1)]
_RDF_BODY = {"requestBody": {"content": {t: {"schema": {"type": "string"}} for t in GRAPH_TYPES}}}
_OK = {**PROBLEM_RESPONSES, 204: {"description": "done"}}


def _known(service: Service, graph: str) -> None:
    if graph not in service.graph_names():
        raise ProblemError(404, "No such graph", f"the store has no graph <{graph}>; GET /sparql lists the graphs",
                           "no-graph")


@router.get("/rdf-graphs/service", responses={**PROBLEM_RESPONSES, 200: {
    "description": "the graph", "content": {t: {} for t in GRAPH_TYPES}}})
def get_graph(request: Request, service: ServiceDep, graph: GraphParam) -> Response:
    _known(service, graph)
    media = negotiate(request.headers.get("accept"), list(GRAPH_TYPES))
    triples = triples_of(service.store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", default_graphs=[graph]))
    return Response(serialize_graph(triples, media), media_type=media)


async def _write(request: Request, service: Service, graph: str, mode: str) -> Response:
    writes.authorise(service, request)
    body = await request.body()
    if len(body) > writes.MAX_WRITE_BYTES:
        raise ProblemError(413, "Request too large", f"the body has {len(body)} bytes; the limit is "
                           f"{writes.MAX_WRITE_BYTES}", "too-large")
    media = request.headers.get("content-type", "text/turtle").split(";")[0].strip().lower()
    if mode != "drop" and media not in GRAPH_TYPES:
        raise ProblemError(415, "Unsupported media type", f"cannot read {media}; send one of "
                           + ", ".join(GRAPH_TYPES), "media-type")
    if mode == "drop":
        _known(service, graph)
    if not is_iri(graph):
        raise ProblemError(400, "Bad graph IRI", f"{graph!r} is not an absolute IRI, as in "
                           "https://w3id.org/srkg/graph/…", "bad-iri")
    created = graph not in service.graph_names()
    await run_in_threadpool(writes.apply, service, request, graph=graph, data=body, media_type=media, mode=mode)
    return Response(status_code=201 if created and mode != "drop" else 204)


@router.put("/rdf-graphs/service", responses=_OK, openapi_extra=_RDF_BODY, status_code=204)
async def put_graph(request: Request, service: ServiceDep, graph: GraphParam) -> Response:
    return await _write(request, service, graph, "replace")


@router.post("/rdf-graphs/service", responses=_OK, openapi_extra=_RDF_BODY, status_code=204)
async def post_graph(request: Request, service: ServiceDep, graph: GraphParam) -> Response:
    return await _write(request, service, graph, "merge")


@router.delete("/rdf-graphs/service", responses=_OK, status_code=204)
async def delete_graph(request: Request, service: ServiceDep,
                       graph: GraphParam) -> Response:
    return await _write(request, service, graph, "drop")
