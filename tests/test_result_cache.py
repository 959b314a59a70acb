"""The result cache (api/result_cache.py) on its own: least recently used out, bounded in bytes, and never
keeping an answer computed before a write. That a write empties it over a real server is in
tests/test_api_writes.py (the same query asked before and after a write)."""

from __future__ import annotations

from api.result_cache import ResultCache
from graph.errors import ResultTooLarge

JSON = "application/sparql-results+json"


def test_the_least_recently_used_answer_goes_first_when_the_bytes_run_out():
    cache = ResultCache(max_bytes=80)
    for key in "abc":
        cache.put(key, (JSON, b"x" * 10), cache.generation)
    assert cache.get("a") == (JSON, b"x" * 10)  # a is now the most recent
    for key in "defgh":
        cache.put(key, (JSON, b"x" * 10), cache.generation)
    assert len(cache) == 8 and cache.size == 80
    cache.put("i", (JSON, b"x" * 10), cache.generation)
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("i") is not None
    assert cache.size <= 80


def test_an_answer_larger_than_an_eighth_is_not_kept():
    cache = ResultCache(max_bytes=80)
    cache.put("big", (JSON, b"x" * 11), cache.generation)
    cache.put("small", (JSON, b"x" * 10), cache.generation)
    assert cache.get("big") is None and cache.get("small") is not None


def test_a_write_forgets_every_answer_and_refuses_those_computed_before_it():
    cache = ResultCache(max_bytes=1000)
    started = cache.generation
    cache.put("before", (JSON, b"old"), started)
    cache.invalidate()  # a write landed
    assert cache.get("before") is None and len(cache) == 0 and cache.size == 0
    cache.put("slow", (JSON, b"old"), started)  # a query that started before the write ends after it
    assert cache.get("slow") is None
    cache.put("after", (JSON, b"new"), cache.generation)
    assert cache.get("after") == (JSON, b"new")


def test_too_many_results_is_kept_like_an_answer():
    cache = ResultCache(max_bytes=1000)
    refused = ResultTooLarge("the query returns more than 10 results")
    cache.put("huge", refused, cache.generation)
    assert cache.get("huge") is refused and cache.size == len(str(refused))
