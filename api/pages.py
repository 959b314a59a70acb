"""The HTML pages' templates: Jinja2 with autoescape on for every template, so data never becomes markup;
and the response every page goes out in, with its Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

HERE = Path(__file__).resolve().parent
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined)


def render(template: str, **context: object) -> str:
    """``template`` (a file of ``api/templates``) filled with ``context``."""
    return _ENV.get_template(template).render(**context)


#: The pages' Content-Security-Policy: scripts, styles, images and requests from the service only; no inline
#: script or style; forms submit to the service.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'self'")
#: :data:`CSP` with inline style attributes allowed, for the SPARQL editor: YASGUI's editor (CodeMirror) and
#: result table (DataTables) size and place their elements with ``style`` attributes. Still no inline script.
CSP_INLINE_STYLES = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                     "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'")


def page(html: str, status_code: int = 200, *, csp: str = CSP, headers: dict[str, str] | None = None) -> HTMLResponse:
    """``html`` as a page, with ``csp`` and ``nosniff``."""
    return HTMLResponse(html, status_code=status_code, headers={
        "Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", **(headers or {})})


def has_views(request: Request) -> bool:
    """Whether the app serves the network views (``/view/…``: the timeline, the stance matrix, the network),
    so that pages link them."""
    app = request.scope.get("app")
    return bool(app is not None and getattr(app.state, "views", False))
