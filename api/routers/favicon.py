"""The service's icon: ``/favicon.svg`` (which every page links) and ``/favicon.ico`` (which browsers and
other clients ask for by convention), both the SVG of ``api/static/favicon.svg`` as ``image/svg+xml``.

Every current browser reads an SVG icon whatever its path says; one file keeps the two from drifting apart.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from ..pages import HERE

router = APIRouter()
ICON = HERE / "static" / "favicon.svg"


@router.get("/favicon.svg", include_in_schema=False)
@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    return FileResponse(ICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})
