"""The HTML pages' templates: Jinja2 with autoescape on for every template, so data never becomes markup."""

from __future__ import annotations

from pathlib import Path

import jinja2

HERE = Path(__file__).resolve().parent
_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                          undefined=jinja2.StrictUndefined)


def render(template: str, **context: object) -> str:
    """``template`` (a file of ``api/templates``) filled with ``context``."""
    return _ENV.get_template(template).render(**context)
