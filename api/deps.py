"""Shared state of a running service and the FastAPI dependencies that hand it to routers.

:class:`Service` holds the settings, the store, the writer (only when updates
are enabled), the projection cache and the HTML templates. On the embedded
store every read runs in a killable worker process of a query pool; on a
remote SPARQL server (``SRKG_STORE=http://…``) the store is a
:class:`graph.remote.RemoteStore`, whose HTTP calls carry the query time limit
themselves, so there is no pool, and checked writes are sent to the server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from pathlib import Path

import jinja2
import networkx as nx
from fastapi import Request

from graph import catalogue
from graph.catalogue import CatalogueQuery
from graph.curation import CheckedWrite
from graph.projection import ProjectionCache
from graph.remote import RemoteStore
from graph.settings import Settings
from graph.store import EmbeddedStore, Store, current_store_path

from .executor import PooledStore, QueryPool

HERE = Path(__file__).resolve().parent
T = TypeVar("T")
log = logging.getLogger(__name__)


def templates() -> jinja2.Environment:
    """Jinja2 with autoescape on for every template: data never becomes markup."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env


@dataclass
class Service:
    """Everything a request needs; one per app."""

    settings: Settings
    pool: QueryPool | None  # None on a remote store
    store: PooledStore | RemoteStore
    writer: EmbeddedStore | RemoteStore | None
    analytics: PooledStore | RemoteStore | None = None  # the store for whole-graph queries (longer time limit)
    reader: EmbeddedStore | None = None  # in-process reads of bounded lookups (see guard.is_lookup); None in writes
    reader_lock: threading.Lock = field(default_factory=threading.Lock)
    projection: ProjectionCache = field(default_factory=ProjectionCache)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    env: jinja2.Environment = field(default_factory=templates)
    _graphs: dict[str, int] | None = None
    _names: set[str] | None = None

    @classmethod
    def start(cls, settings: Settings, workers: int = 2) -> Service:
        if settings.store != "embedded":  # a SPARQL server; it may be down now and come up later
            remote = RemoteStore(settings.store, settings=settings, timeout_s=settings.query_timeout_s)
            return cls(settings, None, remote, remote if settings.update_token else None)
        path = current_store_path(settings.store_dir)
        if not path.exists():
            raise FileNotFoundError(f"no store at {path}: run `srkg build` first")
        path = path.resolve()
        writer = EmbeddedStore(path) if settings.update_token else None
        pool = QueryPool(path, size=workers)
        store = PooledStore(pool, timeout_s=settings.query_timeout_s, max_rows=None)
        analytics = PooledStore(pool, timeout_s=settings.analytics_timeout_s, max_rows=None)
        return cls(settings, pool, store, writer, analytics, EmbeddedStore(path, read_only=True))

    def lookup(self, *args: object, **kwargs: object) -> tuple[str, bytes] | None:
        """:meth:`EmbeddedStore.query_serialized` in this process, for a query :func:`api.guard.is_lookup`
        accepts; None while a write is being applied (the caller then goes to the query workers)."""
        with self.reader_lock:
            if self.reader is None:
                return None
            return self.reader.query_serialized(*args, **kwargs)  # type: ignore[arg-type]

    def __post_init__(self) -> None:
        if self.analytics is None:
            self.analytics = self.store

    def projected(self) -> nx.MultiDiGraph:
        """The networkx projection of the current store (built once per store state)."""
        assert self.analytics is not None
        return self.projection.get(self.analytics)

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per store state (see :meth:`graph.projection.ProjectionCache.derived`)."""
        assert self.analytics is not None
        return self.projection.derived(name, self.analytics, compute)

    def warm(self) -> None:
        """Build the projection and the REST indexes now, so the service is ready only once the first
        requests find them (with several server processes, each is warm when it accepts a connection).
        A failure (a SPARQL server that is down) is logged; a request that needs them reports it."""
        from . import knowledge

        try:
            knowledge.warm(self)
        except Exception:  # noqa: BLE001 - see the docstring
            log.warning("warming the projection failed", exc_info=True)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        with self.reader_lock:
            if self.reader is not None:
                self.reader.close()
                self.reader = None
        if self.writer is not None and self.writer is not self.store:
            self.writer.close()
        if isinstance(self.store, RemoteStore):
            self.store.close()

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

    def write_base(self) -> EmbeddedStore:
        """What a write is checked against (:func:`graph.curation.prepare`): the writer, or a copy of the server."""
        assert self.writer is not None
        return self.writer.snapshot() if isinstance(self.writer, RemoteStore) else self.writer

    def commit(self, write: "CheckedWrite") -> None:
        """Apply a checked write: to the server in one update, or to the embedded store with its readers stopped.

        Reading a store that another process writes to is undefined in RocksDB, so the workers are
        stopped first; queries that arrive meanwhile wait for the fresh workers.
        """
        assert self.writer is not None
        if isinstance(self.writer, RemoteStore):
            if write.update:
                self.writer.update(write.update)  # one SPARQL update: one transaction on the server
        else:
            assert self.pool is not None
            with self.reader_lock:  # no in-process read is running or starts until the write is applied
                reader, self.reader = self.reader, None
            try:
                with self.pool.paused():
                    if reader is not None:
                        reader.close()
                    write.apply(self.writer)
            finally:
                if reader is not None:
                    with self.reader_lock:
                        self.reader = EmbeddedStore(reader.path, read_only=True)
        self._graphs = self._names = None
        self.projection.invalidate()

    def examples(self) -> list[CatalogueQuery]:
        """The competency questions, read from the catalogue now (they may have changed)."""
        queries = catalogue.read(self.settings.queries_dir)
        return [q for q in queries.values() if q.group == "cq"]

    def query_text(self, name: str, **bindings: object) -> str:
        """A catalogued query of the service's own queries folder, with bindings."""
        return catalogue.bind(catalogue.load(self.settings.queries_dir)[name].text, **bindings)

    def render(self, template: str, **context: object) -> str:
        return self.env.get_template(template).render(**context)


def get_service(request: Request) -> Service:
    return request.app.state.service


def get_store(request: Request) -> Store:
    return request.app.state.service.store


def get_projection(request: Request) -> "nx.MultiDiGraph":
    """The networkx projection of the service's store, current after every write."""
    service: Service = request.app.state.service
    return service.projected()
