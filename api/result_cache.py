"""Serialised query results, kept for the next client who asks the same, until the store changes.

The service answers SPARQL from an embedded store that only it writes, so a result stays right until the
service's next write. The cache holds the bytes a query produced, keyed by what decides them: the query text,
its dataset, the row cap and the media types asked for. A write empties it and moves its generation, so a
query that started before the write and ends after it does not store its result (:meth:`ResultCache.put`
with the generation read when it started).

The cache is bounded in bytes, least recently used first out; a result larger than an eighth of it is
not kept. Of the errors, only "too many results" is kept: it is as certain as a result, and as costly to
find again (the query runs up to the cap). A syntax error is cheap to find again, and a timeout depends on
the load. A service reading a SPARQL server has no cache, since others may write there.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from graph.errors import ResultTooLarge

#: what a cached answer holds: the media type produced and the body, or the query's refusal for its size
Answer = tuple[str, bytes] | ResultTooLarge


def _size(answer: Answer) -> int:
    return len(str(answer)) if isinstance(answer, ResultTooLarge) else len(answer[1])


class ResultCache:
    """A least-recently-used map from a query's key to its answer, at most ``max_bytes`` of bodies."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.generation = 0
        self._entries: OrderedDict[Hashable, Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Answer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: Answer, generation: int) -> None:
        """Keep ``answer`` unless the store changed since ``generation`` was read, or it is too large."""
        size = _size(answer)
        with self._lock:
            if generation != self.generation or size > self.max_bytes // 8 or key in self._entries:
                return
            self._entries[key] = answer
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= _size(dropped)

    def invalidate(self) -> None:
        """The store changed: forget every answer, and refuse those computed before now."""
        with self._lock:
            self.generation += 1
            self._entries.clear()
            self._size = 0

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """The bytes of the bodies held."""
        return self._size
