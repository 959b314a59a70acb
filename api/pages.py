"""The HTML pages' templates: Jinja2 with autoescape on for every template, so data never becomes markup;
and the response every page goes out in, with its Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from graph.language import DEFAULT, install_gettext, language_links

HERE = Path(__file__).resolve().parent
#: The gettext catalogues of the pages' words (``<language>/LC_MESSAGES/messages.po``, see ``make translations``).
LOCALES_DIR = HERE / "locales"
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined)
install_gettext(_ENV, LOCALES_DIR)


def render(template: str, *, lang: str = DEFAULT, lang_links: Sequence[Mapping[str, object]] | None = None,
           **context: object) -> str:
    """``template`` (a file of ``api/templates``) filled with ``context``, its words in ``lang`` (one of
    :data:`graph.language.LANGUAGES`), with the language menu ``lang_links`` (:func:`lang_links`; none
    without)."""
    return _ENV.get_template(template).render(lang=lang, lang_links=lang_links, **context)


def lang_links(request: Request, lang: str) -> list[dict[str, object]]:
    """The language menu of the page ``request`` asked for, ``lang`` being the page's language: the same
    path and query in each language (``{"lang", "name", "href", "current"}``, see
    :func:`graph.language.language_links`)."""
    return language_links(request_path(request), request.query_params.multi_items(), lang)


def request_path(request: Request) -> str:
    """The path of ``request`` as the client sent it (percent-encoded), for links back to the same page."""
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if isinstance(raw, bytes) and raw else request.url.path


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
