"""HTTP helpers of the REST API: a model written as JSON in one pass, a page of a list."""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def json_response(model: BaseModel) -> Response:
    """``model`` as JSON, written by pydantic in one pass (FastAPI's re-validation and generic encoder take
    seconds on a hub entity's detail; the route's ``response_model`` still documents the shape)."""
    return Response(model.model_dump_json(), media_type="application/json")


def paginate(items: list, offset: int, limit: int) -> dict[str, object]:
    return {"total": len(items), "offset": offset, "limit": limit, "items": items[offset:offset + limit]}
