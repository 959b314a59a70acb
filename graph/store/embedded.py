"""The embedded store: pyoxigraph, in memory or on disk, and how a built store is published.

A build writes a new store into ``<store dir>/builds/<stamp>`` through
pyoxigraph's bulk loader (:class:`BulkLoader`), and :func:`new_build`
publishes it with one atomic rename of the ``current`` link, or removes it if
anything failed. Readers open ``current`` read-only, so the service, the CLI
and query workers can read one store at once.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from .. import namespaces as ns
from ..errors import QueryError, ResultTooLarge, SrkgError
from ..sparql_lexer import top_level_limit
from . import results
from .base import QueryResult, SelectResult, Store, Triple, query_syntax_error, to_rdflib

CURRENT = "current"
#: the base IRI of every query without a BASE of its own: a relative IRI names an entity, <russia> is id:russia
BASE_IRI = ns.ID


def _capped(items: Iterable[Any], max_rows: int | None) -> Iterator[Any]:
    for i, item in enumerate(items):
        if max_rows is not None and i >= max_rows:
            raise results.too_large(max_rows)
        yield item


def _open_read_only(path: Path, attempts: int = 20) -> ox.Store:
    """``ox.Store.read_only(path)``, tried again when a file it lists vanished: the writer of a store being
    written to (a curator's write) compacts it in the background, and a reader opening meanwhile may read a
    list of files that one compaction has just replaced."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as e:  # RocksDB reports the vanished file as corruption (RuntimeError)
            if attempt == attempts - 1 or "No such file" not in str(e):
                raise
            time.sleep(0.005 * (attempt + 1))
    raise AssertionError("unreachable")


class EmbeddedStore(Store):
    """srkg's default store: pyoxigraph, in memory or persisted in a folder."""

    needs_query_workers = True  # pyoxigraph cannot interrupt a running query

    def __init__(self, path: Path | None = None, *, store: ox.Store | None = None, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        self._store: ox.Store | None
        if store is not None:
            self._store = store
        elif path is None:
            self._store = ox.Store()
        elif read_only:
            # Several processes (the service, the CLI, workers) may read one built store at once.
            self._store = _open_read_only(path)
        else:
            self._store = ox.Store(str(path))

    @property
    def engine(self) -> ox.Store:
        """The pyoxigraph store, for the build, its checks and the bulk loader."""
        if self._store is None:
            raise RuntimeError("the store is closed")
        return self._store

    def _run(self, sparql: str, default_graphs: list[str] | None,
             named_graphs: list[str] | None) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """The engine's own result of ``sparql``, with srkg's dataset defaults and errors."""
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = (
            [ox.NamedNode(g) for g in default_graphs] if default_graphs else None)
        named: list[ox.NamedNode | ox.BlankNode] | None = (
            [ox.NamedNode(g) for g in named_graphs] if named_graphs else None)
        engine = self.engine
        try:
            return engine.query(sparql, prefixes=ns.PREFIXES, base_iri=BASE_IRI,
                                use_default_graph_as_union=default is None, default_graph=default,
                                named_graphs=named)
        except SyntaxError as e:
            raise query_syntax_error(e) from e
        except (OSError, RuntimeError, ValueError) as e:
            raise QueryError(f"the query failed: {e}") from e

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, max_rows: int | None = None) -> QueryResult:
        result = self._run(sparql, default_graphs, named_graphs)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [{v: to_rdflib(sol[v]) for v in variables} for sol in _capped(result, max_rows)]
            return SelectResult(variables, rows)
        return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in _capped(result, max_rows)]

    def query_serialized(self, sparql: str, result_type: str, graph_type: str, *,
                         default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                         max_rows: int | None = None) -> tuple[str, bytes]:
        """See :meth:`Store.query_serialized`; written by pyoxigraph straight from its own terms."""
        result = self._run(sparql, default_graphs, named_graphs)
        try:
            if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
                return result_type, results.solutions_bytes(result, result_type, max_rows,
                                                            limit=top_level_limit(sparql))
            return graph_type, results.triples_bytes(_capped(result, max_rows), graph_type)
        except ResultTooLarge:
            raise
        except (OSError, RuntimeError) as e:
            raise QueryError(f"the query failed: {e}") from e

    def update(self, sparql: str) -> None:
        try:
            self.engine.update(sparql, prefixes=ns.PREFIXES)
        except SyntaxError as e:
            raise query_syntax_error(e) from e
        if self.path is not None:
            self.engine.flush()

    def replace_graph(self, graph: str, triples: Iterable[Triple]) -> None:
        # One SPARQL update is one transaction in Oxigraph: readers see the old
        # graph or the new one, never a mix.
        body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
        self.update(f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}")

    def graphs(self) -> dict[str, int]:
        counts = self.engine.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(counts, ox.QuerySolutions)  # a SELECT query
        out = {g.value: 0 for g in self.engine.named_graphs()}  # an empty graph counts too
        out.update({row["g"].value: int(row["n"].value) for row in counts})
        return dict(sorted(out.items()))

    def graph_names(self) -> set[str]:
        return {g.value for g in self.engine.named_graphs()}

    def __len__(self) -> int:
        return len(self.engine)

    def dump(self, media_type: str = "application/n-quads") -> bytes:
        fmt = ox.RdfFormat.from_media_type(media_type)
        if fmt is None:
            raise ValueError(f"unsupported format {media_type}")
        if fmt.supports_datasets:
            return (self.engine.dump(format=fmt, prefixes=ns.PREFIXES) if fmt != ox.RdfFormat.N_QUADS
                    else self.engine.dump(format=fmt)) or b""
        return self.engine.dump(format=fmt, from_graph=ox.DefaultGraph()) or b""

    def quads_around(self, *, subjects: Iterable[str] = (), objects: Iterable[str] = (),
                     graphs: Iterable[str] = ()) -> set[ox.Quad]:
        engine, out = self.engine, set[ox.Quad]()
        for s in set(subjects):
            out.update(q for q in engine.quads_for_pattern(ox.NamedNode(s), None, None, None)
                       if not isinstance(q.graph_name, ox.DefaultGraph))
        for o in set(objects):
            out.update(q for q in engine.quads_for_pattern(None, None, ox.NamedNode(o), None)
                       if not isinstance(q.graph_name, ox.DefaultGraph))
        for g in set(graphs):
            out.update(engine.quads_for_pattern(None, None, None, ox.NamedNode(g)))
        return out

    def backup(self, target: Path) -> EmbeddedStore | None:
        """A writable copy of this on-disk store in ``target``, made of hard links (cheap at any size); None
        for a store in memory or opened read-only, which cannot make one."""
        if self.path is None or self.read_only:
            return None
        self.engine.backup(str(target))
        return EmbeddedStore(target)

    def snapshot(self) -> ox.Store:
        copy = ox.Store()
        copy.extend(self.engine)
        return copy

    def close(self) -> None:
        if self._store is None:
            return
        with contextlib.suppress(OSError, RuntimeError):  # an in-memory or read-only store has nothing to flush
            if not self.read_only and self.path is not None:
                self._store.flush()
        self._store = None


# --------------------------------------------------------------------------
# Opening and publishing built stores
# --------------------------------------------------------------------------

def current_store_path(store_dir: Path) -> Path:
    """The folder of the store the last successful build produced."""
    return store_dir / CURRENT


def open_current(store_dir: Path, *, read_only: bool = False) -> EmbeddedStore:
    """The store the last build published in ``store_dir``; FileNotFoundError if there is none."""
    path = current_store_path(store_dir)
    if not path.exists():
        raise FileNotFoundError(f"no store at {path}: run `srkg build` first")
    return EmbeddedStore(path.resolve(), read_only=read_only)


def publish(new_store: Path, store_dir: Path) -> None:
    """Make ``new_store`` the current store in one atomic rename; drop superseded builds."""
    link = current_store_path(store_dir)
    tmp = store_dir / f".{CURRENT}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(new_store.resolve())
    old = link.resolve() if link.is_symlink() else None
    tmp.replace(link)
    builds = store_dir / "builds"
    for d in builds.iterdir() if builds.is_dir() else []:
        if d.resolve() not in {new_store.resolve(), old} and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)


@contextlib.contextmanager
def new_build(store_dir: Path) -> Iterator[Path]:
    """A fresh folder for a new store under ``store_dir/builds``: published when the block succeeds,
    removed when it fails, so the current store survives any failure."""
    builds = store_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    target = builds / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    try:
        yield target
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    publish(target, store_dir)


class BulkLoader:
    """pyoxigraph's bulk loader in two threads, fed N-Quads chunks as the build makes them final.

    ``bulk_load`` releases the GIL, so loading overlaps the Python steps and
    two chunks load at once on two cores. Each chunk is ingested as sorted
    files of its own, which overlap those of the other chunks: queries would
    have to merge them all (up to twice as slow), so :meth:`compact` merges
    them into one sorted run per index when more than one chunk came.
    """

    THREADS = 2

    def __init__(self, path: Path):
        self.path = path
        self.store = EmbeddedStore(path)
        self.queue: queue.Queue[bytes | None] = queue.Queue()
        self.errors: list[BaseException] = []
        self.chunks = 0
        self.threads = [threading.Thread(target=self._run, name=f"srkg-load-{i}", daemon=True)
                        for i in range(self.THREADS)]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while (chunk := self.queue.get()) is not None:
            if self.errors:
                continue
            self.chunks += 1
            try:
                self.store.engine.bulk_load(chunk, format=ox.RdfFormat.N_QUADS, lenient=True)
            except BaseException as e:  # noqa: BLE001 - re-raised by finish()
                self.errors.append(e)

    def put(self, chunk: bytes) -> None:
        if chunk:
            self.queue.put(chunk)

    def _join(self) -> None:
        for _ in self.threads:
            self.queue.put(None)
        for t in self.threads:
            t.join()

    def finish(self) -> None:
        """Wait for every chunk (raises what a loader thread raised)."""
        self._join()
        if self.errors:
            raise self.errors[0]

    def compact(self) -> None:
        """Merge the chunks' overlapping files (if more than one chunk came); flush and close the store."""
        if self.chunks > 1:
            self.store.engine.optimize()
        self.store.close()

    def abandon(self) -> None:
        """Skip the chunks not started, wait for those being loaded, and close the half-written store."""
        self.errors.append(RuntimeError("abandoned"))
        if any(t.is_alive() for t in self.threads):
            self._join()
        self.store.close()


def load_dump(source: Path, target: Path, progress: Callable[[int], None] | None = None,
              chunk: int = 200_000) -> int:
    """Bulk-load an N-Quads, TriG or Turtle dump into a new on-disk store at ``target``.

    Quads are streamed from the file and handed to pyoxigraph's bulk loader
    in chunks; ``progress`` is called with the bytes read so far. Returns the
    number of quads.
    """
    fmt = ox.RdfFormat.from_extension(source.suffix.lstrip(".")) or ox.RdfFormat.N_QUADS
    store = ox.Store(str(target))
    total = 0
    with source.open("rb") as raw:
        reader = _CountingReader(raw, progress)
        batch: list[ox.Quad] = []
        try:
            # the stubs want a typing.IO; pyoxigraph only calls read()
            for quad in ox.parse(reader, format=fmt, base_iri=source.resolve().as_uri()):  # type: ignore[arg-type]
                batch.append(quad if isinstance(quad, ox.Quad) else ox.Quad(quad.subject, quad.predicate, quad.object))
                if len(batch) >= chunk:
                    store.bulk_extend(batch)
                    total += len(batch)
                    batch = []
        except SyntaxError as e:
            raise SrkgError(f"{source}: {e}") from e
        store.bulk_extend(batch)
        total += len(batch)
    store.flush()
    return total


class _CountingReader:
    """A binary file that reports how many bytes were read."""

    def __init__(self, raw: IO[bytes], progress: Callable[[int], None] | None) -> None:
        self.raw, self.progress = raw, progress

    def read(self, n: int = -1) -> bytes:
        data = self.raw.read(n)
        if self.progress and data:
            self.progress(len(data))
        return data
