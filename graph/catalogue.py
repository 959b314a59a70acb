"""The query catalogue: every SPARQL query the project relies on, as files.

Queries live in ``ontology/queries/`` as ``NAME.rq`` (subfolders group them:
``cq/`` holds the competency questions). Each file opens with comment lines::

    # title: Which source documents does the graph hold?
    # description: Title, series and number, date, authors and publisher.

The tests, the service's examples and its handlers all read queries from
here, so a query is written once. :func:`bind` fills parameters with a
trailing ``VALUES`` block, which works on every SPARQL 1.1 engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .settings import get_settings

_HEADER = re.compile(r"^#\s*(\w[\w-]*)\s*:\s*(.*)$")


@dataclass(frozen=True)
class CatalogueQuery:
    """One catalogued query: its name (path without ``.rq``), metadata and text."""

    name: str
    title: str
    description: str
    text: str
    path: Path
    meta: tuple[tuple[str, str], ...] = ()

    @property
    def group(self) -> str:
        return self.name.split("/")[0] if "/" in self.name else ""


def _read(path: Path, root: Path) -> CatalogueQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    for line in text.splitlines():
        m = _HEADER.match(line)
        if m:
            key = m.group(1).lower()
            meta[key] = (meta[key] + " " + m.group(2)).strip() if key in meta else m.group(2).strip()
        elif line.strip() and not line.startswith("#"):
            break
    name = path.relative_to(root).with_suffix("").as_posix()
    return CatalogueQuery(name, meta.pop("title", name), meta.pop("description", ""), text, path,
                          tuple(sorted(meta.items())))


def read(root: Path) -> dict[str, CatalogueQuery]:
    """Every query under ``root``, by name, read from disk now (for callers that must see edits)."""
    return {q.name: q for q in (_read(p, root) for p in sorted(root.glob("**/*.rq")))}


@lru_cache(maxsize=4)
def load(root: Path | None = None) -> dict[str, CatalogueQuery]:
    """Every query under ``root`` (default: the configured queries folder), by name, read once."""
    return read(root or get_settings().queries_dir)


def get(name: str) -> CatalogueQuery:
    """One query by name, such as ``"cq/01-source-documents"``; KeyError if missing."""
    return load()[name]


def text(name: str, **bindings: object) -> str:
    """The text of query ``name`` with ``bindings`` filled in (see :func:`bind`)."""
    return bind(get(name).text, **bindings)


def _term(value: object) -> str:
    from rdflib.term import Literal, Node, URIRef

    if isinstance(value, Node):
        return value.n3()
    if isinstance(value, bool):
        return Literal(value).n3()
    if isinstance(value, int | float):
        return Literal(value).n3()
    if isinstance(value, str) and re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value, re.I):
        return URIRef(value).n3()
    return Literal(str(value)).n3()


def bind(query: str, **bindings: object) -> str:
    """Append ``VALUES (?a ?b) { (x y) }`` so the query runs with those values.

    Strings that look like absolute IRIs become IRIs; other values become
    properly escaped literals. ``None`` leaves a variable unbound (``UNDEF``).
    """
    if not bindings:
        return query
    names = " ".join(f"?{k}" for k in bindings)
    values = " ".join("UNDEF" if v is None else _term(v) for v in bindings.values())
    return f"{query.rstrip()}\nVALUES ({names}) {{ ({values}) }}\n"
