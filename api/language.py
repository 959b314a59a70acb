"""The reader's language in the service: negotiated per request, applied to the labels of what a route
returns, and said in the response.

A route that speaks the reader's language declares :data:`LanguageDep`. Its
``lang`` query parameter, then ``Accept-Language``, pick one of
:data:`graph.language.LANGUAGES` (English when neither matches); the route
passes its result through :func:`localise`, which gives every object with
an ``iri`` and a ``label`` the label in that language when the graph has
one. :class:`ContentLanguageMiddleware` then says in the response which
language was used (``Content-Language``) and that the answer depends on
``Accept-Language`` (``Vary``), on every response of such a route, JSON and
HTML alike.
"""

from __future__ import annotations

from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph.language import LANGUAGES, Negotiated, negotiate
from graph.read.labels import Labels
from graph.read.projection import labels_of

from .service import Service

T = TypeVar("T")
_STATE_KEY = "srkg_language"


def negotiated_language(request: Request, lang: Annotated[str | None, Query(
        max_length=35, description=f"the language of the labels and the page: one of {', '.join(LANGUAGES)} "
                                   "(zh, zh-CN and zh-SG also mean zh-Hans); otherwise Accept-Language decides, "
                                   "and English when neither names one of them. Content-Language says which "
                                   "was used; a node without a label in that language keeps its English one.",
        examples=["ru"])] = None) -> Negotiated:
    """The response's language, remembered in the request's scope for :class:`ContentLanguageMiddleware`."""
    chosen = negotiate(lang, request.headers.get("accept-language"))
    request.scope.setdefault("state", {})[_STATE_KEY] = chosen
    return chosen


def request_language(request: Request) -> Negotiated:
    """:func:`negotiated_language` for a route that serves a page among other media and so does not declare
    ``lang`` as a parameter of its own (the SPARQL editor, the ontology's documentation)."""
    return negotiated_language(request, request.query_params.get("lang"))


LanguageDep = Annotated[Negotiated, Depends(negotiated_language)]


def labels(service: Service) -> Labels:
    """The labels in other languages of the service's store (read with its projection, once per store state)."""
    return labels_of(service.projected())


def localise(value: T, service: Service, language: str) -> T:
    """``value`` (a model, or lists and dicts of them) with each ``label`` of an object that has an ``iri`` in
    ``language`` where the graph has one (:meth:`graph.read.labels.Labels.localise`)."""
    return labels(service).localise(value, language)


class ContentLanguageMiddleware:
    """Adds ``Content-Language`` and ``Vary: Accept-Language`` to the response of every request whose route
    negotiated a language (:func:`negotiated_language`)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_language(message: Message) -> None:
            chosen = scope.get("state", {}).get(_STATE_KEY) if message["type"] == "http.response.start" else None
            if chosen is not None:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-language"]
                vary = [v for k, v in headers if k.lower() == b"vary"]
                headers = [(k, v) for k, v in headers if k.lower() != b"vary"]
                values = {p.strip() for v in vary for p in v.decode("latin-1").split(",") if p.strip()}
                values.add("Accept-Language")
                headers += [(b"content-language", chosen.language.encode("ascii")),
                            (b"vary", ", ".join(sorted(values)).encode("latin-1"))]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_language)
