"""The running service's state: its stores, query workers, projection cache, and how a write is applied.

One :class:`Service` per app. It asks the store the settings name what it
needs (:attr:`graph.store.Store.needs_query_workers`) and never which backend
it is: a store that cannot interrupt its own queries (the embedded one) is
read through killable worker processes (:mod:`api.executor`), with bounded
lookups answered by an in-process reader; a store that keeps its own time
limit (a SPARQL server) is read directly.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import networkx as nx

from graph import catalogue
from graph.catalogue import CatalogueQuery
from graph.curation import CheckedWrite
from graph.read.projection import ProjectionCache
from graph.settings import Settings
from graph.store import Store, open_store

from .executor import PooledStore, QueryPool
from .result_cache import ResultCache
from .search_index import LiveSearchIndex

T = TypeVar("T")


@dataclass
class Service:
    """Everything a request needs."""

    settings: Settings
    store: Store  # queries of clients, under the query time limit
    analytics: Store  # the service's own whole-graph queries, under their longer time limit
    writer: Store | None = None  # curators' writes; None unless SRKG_UPDATE_TOKEN is set
    pool: QueryPool | None = None  # the query workers, when the store needs them
    reader: Store | None = None  # in-process reads of bounded lookups (see api.guard.is_lookup)
    reader_lock: threading.Lock = field(default_factory=threading.Lock)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    projection: ProjectionCache = field(default_factory=ProjectionCache)
    search: LiveSearchIndex | None = None  # full-text search, rebuilt after each write (api.search_index)
    results: ResultCache | None = None  # answers to SPARQL queries, until the next write (api.result_cache)
    _graphs: dict[str, int] | None = None
    _names: set[str] | None = None

    @classmethod
    def start(cls, settings: Settings, workers: int = 2) -> Service:
        """Open the store the settings name (FileNotFoundError if nothing was built yet), and its search index."""
        writes = bool(settings.update_token)
        base = open_store(settings, read_only=not writes)
        if not base.needs_query_workers:  # the store enforces the time limit itself
            service = cls(settings, base, base, base if writes else None)
        else:
            pool = QueryPool(settings, size=workers)
            store = PooledStore(pool, timeout_s=settings.query_timeout_s)
            analytics = PooledStore(pool, timeout_s=settings.analytics_timeout_s)
            reader = base if not writes else open_store(settings, read_only=True)
            service = cls(settings, store, analytics, base if writes else None, pool, reader)
            if settings.result_cache_mb:  # only this service writes an embedded store: it knows when it changes
                service.results = ResultCache(settings.result_cache_mb * 1024 * 1024)
        # with writes on, the index is rebuilt after each one: read through the writer's own store (it reads
        # a consistent snapshot while it is written), so that a rebuild holds no query worker a write waits for
        service.search = LiveSearchIndex.start(settings, service.writer or service.analytics)
        return service

    def lookup(self, sparql: str, result_type: str, graph_type: str, *, default_graphs: list[str] | None = None,
               named_graphs: list[str] | None = None, max_rows: int | None = None) -> tuple[str, bytes] | None:
        """:meth:`Store.query_serialized` in this process, for a query :func:`api.guard.is_lookup` accepts;
        None when there is no in-process reader or a write is being applied (the caller then goes to the
        query workers)."""
        with self.reader_lock:
            if self.reader is None:
                return None
            return self.reader.query_serialized(sparql, result_type, graph_type, default_graphs=default_graphs,
                                                named_graphs=named_graphs, max_rows=max_rows)

    def projected(self) -> nx.MultiDiGraph:
        """The networkx projection of the current store (built once per store state)."""
        return self.projection.get(self.analytics)

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per store state (see :meth:`graph.read.projection.ProjectionCache.derived`)."""
        return self.projection.derived(name, self.analytics, compute)

    def close(self) -> None:
        if self.search is not None:
            self.search.close()
        if self.pool is not None:
            self.pool.close()
        with self.reader_lock:
            reader, self.reader = self.reader, None
        closed: set[int] = set()
        for store in (reader, self.writer, self.store, self.analytics):
            if store is not None and id(store) not in closed:
                closed.add(id(store))
                store.close()

    def graphs(self) -> dict[str, int]:
        """Named graphs and their sizes (cached until a write; counting costs a scan of the store)."""
        if self._graphs is None:
            self._graphs = self.store.graphs()
        return self._graphs

    def graph_names(self) -> set[str]:
        """The IRIs of the named graphs (cached until a write)."""
        if self._names is None:
            with self.reader_lock:  # listing graphs is cheap: in this process when it can be
                names = self.reader.graph_names() if self.reader is not None else None
            self._names = names if names is not None else self.store.graph_names()
        return self._names

    @property
    def graph_names_cached(self) -> set[str] | None:
        """The cached graph names, or None when the next :meth:`graph_names` has to ask the store."""
        return self._names

    def commit(self, write: CheckedWrite) -> None:
        """Apply a checked write in one update. With query workers, readers are held first and reopen the
        store after it, so they see the write: reading a store that another process writes is undefined in RocksDB."""
        assert self.writer is not None
        with self.reader_lock:  # no in-process read is running or starts until the write is applied
            reader, self.reader = self.reader, None
        reopen = reader is not None and reader is not self.writer
        try:
            with self.pool.paused() if self.pool is not None else contextlib.nullcontext():
                if reopen and reader is not None:
                    reader.close()
                write.apply(self.writer)
        finally:
            if reader is not None:
                with self.reader_lock:
                    self.reader = open_store(self.settings, read_only=True) if reopen else reader
        self._graphs = self._names = None
        if self.results is not None:
            self.results.invalidate()
        self.projection.invalidate()
        if self.search is not None:
            self.search.refresh()  # in the background: searches answer from the old index until the new is ready

    def examples(self) -> list[CatalogueQuery]:
        """The competency questions, read from the catalogue now (they may have changed)."""
        queries = catalogue.read(self.settings.queries_dir)
        return [q for q in queries.values() if q.group == "cq"]

    def query_text(self, name: str, **bindings: object) -> str:
        """A catalogued query of the service's own queries folder, with bindings."""
        return catalogue.bind(catalogue.load(self.settings.queries_dir)[name].text, **bindings)
