"""The service's search index (:mod:`graph.read.search`): the one of the store it serves, kept current after writes.

At start the service opens the index that ``srkg build`` wrote for the current build
(:func:`graph.read.search.index_path`). When there is none (a store loaded from a dump, an index written by
another version) it builds one there first. For a SPARQL server, whose content may have changed since
anything was indexed, it always builds one, into a temporary folder of its own that it removes at close:
a service in front of a server writes nothing under the store folder.

After a write (:meth:`api.service.Service.commit`), :meth:`LiveSearchIndex.refresh` rebuilds the index in a
background thread into a new file and swaps it in once it is ready: searches meanwhile answer from the old
one. The rebuild starts once writes have paused for :data:`SETTLE_S` (a curator's burst of writes makes one
rebuild, which does not compete with the writes for the processor), and writes that come while a rebuild
runs make one more rebuild, not one each.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path

from graph.read.search import SearchIndex, SearchIndexUnavailable, index_path
from graph.settings import Settings
from graph.store import Store

log = logging.getLogger(__name__)

#: Seconds without a write before the index is rebuilt.
SETTLE_S = 1.0


class LiveSearchIndex:
    """The current :class:`~graph.read.search.SearchIndex` of a store, rebuilt in the background after a write."""

    def __init__(self, settings: Settings, store: Store, path: Path, *, scratch: Path | None = None):
        self.settings, self.store, self.path = settings, store, path  # ``store``: whole-graph queries
        self._scratch = scratch  # a temporary folder holding the index, removed at close
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self._stale = False  # a write came after the last rebuild started
        self._worker: threading.Thread | None = None
        self._closed = False
        self._requested = 0.0  # when the last refresh was asked for
        self._settled = threading.Condition(self._lock)  # notified at close, to end a wait for writes to pause

    @classmethod
    def start(cls, settings: Settings, store: Store) -> LiveSearchIndex:
        """Open (or build) the index of the store ``settings`` name, read through ``store``.

        A failure to build (a SPARQL server that is down) is logged; the first search then tries again."""
        if settings.store == "embedded":
            live = cls(settings, store, index_path(settings))
        else:
            scratch = Path(tempfile.mkdtemp(prefix="srkg-search-"))
            live = cls(settings, store, scratch / "index.sqlite", scratch=scratch)
        try:
            if live._scratch is not None:
                raise SearchIndexUnavailable("a SPARQL server's index is built at every start")
            live._index = SearchIndex.open(live.path)
        except SearchIndexUnavailable as reason:
            log.info("building the search index at %s (%s)", live.path, reason)
            try:
                live._index = live._build()
            except Exception:  # noqa: BLE001 - the service starts anyway (a SPARQL server that is down): logged
                log.warning("building the search index failed; the first search tries again", exc_info=True)
        return live

    def _build(self) -> SearchIndex:
        return SearchIndex.build(self.store, self.path, data_dir=self.settings.data_dir)

    def current(self) -> SearchIndex:
        """The index to search; SearchIndexUnavailable (and a rebuild started) while there is none yet."""
        index = self._index
        if index is None:
            self.refresh()
            raise SearchIndexUnavailable("the search index is being built; try again in a moment")
        return index

    def refresh(self) -> None:
        """Rebuild the index in the background (the store changed); the current one answers meanwhile."""
        with self._lock:
            if self._closed:
                return
            self._stale = True
            self._requested = time.monotonic()
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._rebuild, name="srkg-search-index", daemon=True)
                self._worker.start()

    def _rebuild(self) -> None:
        while True:
            with self._lock:
                if not self._stale or self._closed:
                    self._worker = None
                    return
                quiet = time.monotonic() - self._requested
                if quiet < SETTLE_S:  # writes are still coming: wait for a pause, then rebuild once for all
                    self._settled.wait(SETTLE_S - quiet)
                    continue
                self._stale = False
            try:
                fresh = self._build()
            except Exception:  # noqa: BLE001 - a thread of its own: log, keep the old index, retry on the next write
                log.warning("rebuilding the search index failed; searches answer from the previous one",
                            exc_info=True)
                continue
            with self._lock:
                if self._closed:
                    old = fresh
                else:
                    old, self._index = self._index, fresh
            if old is not None:
                old.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._settled.notify_all()
            worker, index, self._index = self._worker, self._index, None
        if worker is not None:
            worker.join(timeout=30)
        if index is not None:
            index.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
