"""The parameters of a SPARQL Protocol request, read the same way by every route that takes one.

A query (``GET /sparql``, a form or a direct ``POST``) and an update (``POST /sparql/update``, or a form with
``update=`` on ``/sparql``) carry exactly one operation string, at most one ``version`` (a parameter, a form
field, or the ``version`` parameter of the body's media type, as SPARQL 1.2 allows) and a dataset: the
``default-graph-uri``/``named-graph-uri`` of a query, the ``using-graph-uri``/``using-named-graph-uri`` of an
update. Each breach of that is a 400 problem that says what to send instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import Message

from .problems import ProblemError

#: the versions of SPARQL a request may announce (SPARQL 1.2 Protocol, "Version Announcement")
VERSIONS = ("1.1", "1.2", "1.2-basic")


@dataclass(frozen=True)
class Operation:
    """One query or update as the protocol delivered it."""

    text: str | None
    default_graphs: list[str]
    named_graphs: list[str]


@dataclass(frozen=True)
class Kind:
    """The parameter names of one kind of operation."""

    text: str
    default_graphs: str
    named_graphs: str


QUERY = Kind("query", "default-graph-uri", "named-graph-uri")
UPDATE = Kind("update", "using-graph-uri", "using-named-graph-uri")


def media_parameter(content_type: str | None, name: str) -> list[str]:
    """The values of the parameter ``name`` of a ``Content-Type`` header (``version`` of
    ``application/sparql-query; version=1.2``)."""
    if not content_type:
        return []
    header = Message()
    header["content-type"] = content_type
    return [str(value) for key, value in header.get_params(failobj=[])[1:] if key.lower() == name]


def read(kind: Kind, *parts: Mapping[str, Sequence[str]], body: str | None = None,
         content_type: str | None = None) -> Operation:
    """The operation that the request's ``parts`` (its URL parameters, its form fields) and, for a direct
    POST, its ``body`` carry; a 400 problem for two operation strings or two versions, or an unknown one
    (a version that passes needs nothing more: the engine reads SPARQL 1.1 and 1.2 alike)."""

    def every(name: str) -> list[str]:
        return [value for part in parts for value in part.get(name, [])]

    texts = every(kind.text) + ([body] if body is not None else [])
    if len(texts) > 1:
        raise ProblemError(400, f"More than one {kind.text}",
                           f"the request carries {len(texts)} {kind.text} strings; the protocol takes exactly one",
                           "repeated-operation")
    versions = every("version") + media_parameter(content_type, "version")
    if len(versions) > 1:
        raise ProblemError(400, "More than one version", f"the request announces {len(versions)} versions "
                           f"({', '.join(versions)}); send at most one", "repeated-version")
    if versions and versions[0] not in VERSIONS:
        raise ProblemError(400, "Unsupported version", f"this service speaks SPARQL {', '.join(VERSIONS)}, "
                           f"not {versions[0]!r}", "unsupported-version")
    return Operation(texts[0] if texts else None, every(kind.default_graphs), every(kind.named_graphs))
