"""Where the graph is kept: the store interface and its two backends.

- :mod:`graph.store.base`: the :class:`Store` interface and the term model;
- :mod:`graph.store.embedded`: pyoxigraph on disk (the default), and how a build is published;
- :mod:`graph.store.remote`: any SPARQL 1.1 server, over HTTP;
- :mod:`graph.store.results`: results and graphs as bytes.

:func:`open_store` opens the one the settings name; callers then use the
interface and never ask which backend they hold.
"""

from __future__ import annotations

from ..settings import Settings, get_settings
from .base import Quad, QueryResult, SelectResult, Store, Triple, to_oxigraph, to_rdflib
from .embedded import open_current
from .remote import RemoteStore

__all__ = ["QueryResult", "Quad", "SelectResult", "Store", "Triple", "open_store", "to_oxigraph", "to_rdflib"]


def open_store(settings: Settings | None = None, *, read_only: bool = False) -> Store:
    """Open the store the settings name: the embedded one by default, or a SPARQL server's URL.

    ``read_only`` opens an embedded store so that other processes can read it at the same time (the
    CLI's read commands, the service's query workers). FileNotFoundError if nothing was built yet.
    """
    settings = settings or get_settings()
    if settings.store != "embedded":
        return RemoteStore(settings.store, settings=settings)
    return open_current(settings.store_dir, read_only=read_only)
