"""Full-text search over the graph: entities by their names, and passages of the sources' texts.

The index is one SQLite file with two FTS5 tables (tokenizer ``unicode61 remove_diacritics 2``: case
and diacritics never matter):

- **entities**: every resource under ``https://w3id.org/srkg/id/`` that the data names, by its label
  and its other names (``skos:altLabel``, ``skos:prefLabel``, ``foaf:name``, ``dcterms:title``, labels
  in other languages), with its type (the label of its most specific class). Read from the store with
  the catalogue queries ``search/entity-names``, ``search/entity-classes`` and ``projection/superclasses``.
- **passages**: the sentences of every source's text (cut by :func:`graph.coverage.sentences`; the text
  read as the service reads it, :func:`graph.coverage.text_path`) and the verbatim quotes of the evidence
  (``search/evidence-quotes``), each with its source and character offsets; a quote also names the
  entities it is the evidence of. A quote that is exactly a sentence is one passage.

:meth:`SearchIndex.search` ranks entities above passages (an entity that matches every word of the
query comes before any passage that does), entities by how their names match (a name equal to the
query, then a name that begins with it, then anywhere) and then by bm25, passages by bm25. The words of
a query and their highlighting are :mod:`graph.read.search_text`'s: user input is never FTS5 syntax.

Where an index lives: :func:`build_index_path` for a build of the embedded store (``srkg build`` writes
it before it publishes the store, so the published store and its index match), :func:`index_path` for
the store the settings name (a SPARQL server's is built by the service). :meth:`SearchIndex.build`
writes a new file and renames it over the old one, so that readers of the old file are never disturbed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import queue
import sqlite3
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args
from urllib.request import pathname2url

from .. import catalogue
from .. import namespaces as ns
from ..coverage import sentences, text_path
from ..errors import SrkgError
from ..settings import Settings
from ..store import Store
from ..store.embedded import EmbeddedStore, current_store_path
from .search_text import (
    MAX_QUERY_CHARS,
    ParsedQuery,
    Part,
    SearchQueryError,
    highlight,
    index_text,
    name_key,
    parse_query,
    snippet,
)

__all__ = ["KINDS", "MAX_LIMIT", "MAX_QUERY_CHARS", "EntityHit", "Hit", "Kind", "Mention", "Part", "PassageHit",
           "SearchIndex", "SearchIndexUnavailable", "SearchQueryError", "SearchResults", "build_index_path",
           "index_build", "index_path", "prune"]

log = logging.getLogger(__name__)

Kind = Literal["entity", "passage"]
KINDS: tuple[Kind, ...] = get_args(Kind)
#: the most results one call returns
MAX_LIMIT = 500
TOKENIZER = "unicode61 remove_diacritics 2"
#: the version of the file's tables: an index of another version is rebuilt, never read
SCHEMA_VERSION = "2"
#: the folder, under the store folder, that holds the indexes
INDEX_DIR = "search"
#: naming properties in the order they are preferred for the label shown (English or untagged first)
_LABELS = (ns.RDFS + "label", ns.SKOS + "prefLabel", ns.FOAF + "name", ns.DCTERMS + "title")
#: bm25 weights of the entity columns: a word of the label counts more than a word of another name
_ENTITY_WEIGHTS = (10.0, 4.0)
_RESULTS_JSON = "application/sparql-results+json"


class SearchIndexUnavailable(SrkgError):
    """There is no search index at the path, or one written by another version of srkg."""


@dataclass(frozen=True)
class Mention:
    """An entity a passage is the evidence of."""

    iri: str
    label: str


@dataclass(frozen=True)
class EntityHit:
    """An entity whose names match: its label (highlighted), type, and the other name that matched."""

    iri: str
    label: str
    type: str
    parts: list[Part]
    alias: str | None = None  # another name that matched, when the label does not
    alias_parts: list[Part] = field(default_factory=list)
    kind: Kind = "entity"


@dataclass(frozen=True)
class PassageHit:
    """A sentence of a source, or an evidence quote, that matches; offsets in code points, end exclusive."""

    source: str  # the source's slug
    source_iri: str
    source_title: str
    start: int
    end: int
    text: str
    parts: list[Part]  # a snippet of ``text`` around the matches
    quote: bool  # an evidence quote (then ``about`` names what it is the evidence of), or a sentence
    about: list[Mention] = field(default_factory=list)
    kind: Kind = "passage"


Hit = EntityHit | PassageHit


@dataclass(frozen=True)
class SearchResults:
    """One page of results: entities first, then passages, each in rank order."""

    query: str
    kind: Kind | None
    offset: int
    limit: int
    totals: dict[str, int]  # matches of each kind searched
    hits: list[Hit]

    @property
    def total(self) -> int:
        return sum(self.totals.values())


# --------------------------------------------------------------------------
# Where the index lives
# --------------------------------------------------------------------------

def build_index_path(store_dir: Path, build: Path) -> Path:
    """The index of the embedded store built in folder ``build`` (``<store dir>/builds/<name>``)."""
    return store_dir / INDEX_DIR / f"build-{build.name}.sqlite"


def index_path(settings: Settings) -> Path:
    """The index of the current build of the embedded store ``settings`` name. (A SPARQL server's index is the
    service's own cache, in a temporary folder: :mod:`api.search_index`.)"""
    return build_index_path(settings.store_dir, current_store_path(settings.store_dir).resolve())


def prune(store_dir: Path, *, older_than_s: float = 3600.0) -> None:
    """Remove the indexes of builds that are gone, and files a build left half-written over an hour ago."""
    folder = store_dir / INDEX_DIR
    if not folder.is_dir():
        return
    builds = store_dir / "builds"
    now = time.time()
    for f in folder.iterdir():
        with contextlib.suppress(OSError):  # another process pruned it first
            if f.name.startswith("build-") and f.suffix == ".sqlite":
                if not (builds / f.name.removeprefix("build-").removesuffix(".sqlite")).is_dir():
                    f.unlink()
            elif f.name.endswith(".tmp") and now - f.stat().st_mtime > older_than_s:
                f.unlink()


# --------------------------------------------------------------------------
# Building: what the store holds, read as SPARQL results JSON (no term objects: fast at a million triples)
# --------------------------------------------------------------------------

_SCHEMA = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL, type TEXT NOT NULL,
                     names TEXT NOT NULL, label_key TEXT NOT NULL, names_key TEXT NOT NULL);
CREATE TABLE source (slug TEXT PRIMARY KEY, iri TEXT NOT NULL, title TEXT NOT NULL);
CREATE TABLE passage (id INTEGER PRIMARY KEY, source TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
                      text TEXT NOT NULL, quote INTEGER NOT NULL, about TEXT NOT NULL);
CREATE VIRTUAL TABLE entity_fts USING fts5(label, names, content='', tokenize='{TOKENIZER}', prefix='2 3');
CREATE VIRTUAL TABLE passage_fts USING fts5(text, content='', tokenize='{TOKENIZER}', prefix='2 3');
"""

Row = dict[str, dict[str, str]]  # a SPARQL JSON binding: variable -> {"type", "value", "xml:lang"?}


def _rows(store: Store, name: str) -> list[Row]:
    """The bindings of the catalogue query ``name``."""
    _, body = store.query_serialized(catalogue.text(name), _RESULTS_JSON, "application/n-triples")
    rows: list[Row] = json.loads(body)["results"]["bindings"]
    return rows


def _clean(text: str) -> str:
    """``text`` with control characters (but newlines and tabs) replaced by spaces: offsets stay as they are."""
    return text.translate(_CONTROLS)


_CONTROLS = {c: " " for c in [*range(0, 9), 11, 12, *range(14, 32), 127]}


def _label_and_names(names: list[tuple[str, str, str | None]]) -> tuple[str, list[str]]:
    """The label to show and the entity's other names, each once, from its ``(property, name, language)``."""
    def rank(item: tuple[str, str, str | None]) -> tuple[int, int, str]:
        prop, name, lang = item
        return (0 if lang in (None, "", "en") else 1, _LABELS.index(prop) if prop in _LABELS else len(_LABELS), name)

    ordered = sorted(names, key=rank)
    label = ordered[0][1]
    seen = {name_key(label)}
    others = []
    for _, name, _ in ordered[1:]:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            others.append(name)
    return label, others


@dataclass(frozen=True)
class _Entity:
    iri: str
    label: str
    names: list[str]
    type: str


def _entities(store: Store) -> list[_Entity]:
    """Every named entity, with its label, its other names and its type."""
    names: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for row in _rows(store, "search/entity-names"):
        name = row["name"]
        names[row["entity"]["value"]].append((row["property"]["value"], name["value"], name.get("xml:lang")))
    supers: dict[str, set[str]] = defaultdict(set)
    for row in _rows(store, "projection/superclasses"):
        supers[row["class"]["value"]].add(row["super"]["value"])
    classes: dict[str, set[str]] = defaultdict(set)
    class_labels: dict[str, str] = {}
    for row in _rows(store, "search/entity-classes"):
        cls = row["class"]["value"]
        classes[row["entity"]["value"]].add(cls)
        if "classLabel" in row:
            class_labels[cls] = row["classLabel"]["value"]
    out = []
    for iri in sorted(names):
        own = classes.get(iri, set())
        specific = sorted(c for c in own if not any(c in supers[o] for o in own if o != c))
        cls = specific[0] if specific else ""
        label, others = _label_and_names(names[iri])
        out.append(_Entity(iri, label, others, class_labels.get(cls) or cls.rsplit("#", 1)[-1].rsplit("/", 1)[-1]))
    return out


@dataclass(frozen=True)
class _Source:
    iri: str
    slug: str
    title: str
    graph: str
    text_file: str


def _sources(store: Store) -> list[_Source]:
    """Every source document, its slug (the last segment of its IRI, as in ``/sources/{slug}``) and text file."""
    out = []
    for row in _rows(store, "build/sources"):
        iri = row["source"]["value"]
        out.append(_Source(iri, iri.rstrip("/").rsplit("/", 1)[-1], row["title"]["value"], row["graph"]["value"],
                           row["textFile"]["value"]))
    return out


@dataclass(frozen=True)
class _Passage:
    source: str  # slug
    start: int
    end: int
    text: str
    quote: bool
    about: list[Mention]


def _passages(store: Store, sources: list[_Source], texts: Mapping[str, str] | Path,
              labels: Mapping[str, str]) -> Iterator[_Passage]:
    """Every passage: the distinct evidence quotes, then the sentences that are not one of them."""
    slug_of = {s.iri: s.slug for s in sources}
    about: dict[tuple[str, int, int], dict[str, str]] = defaultdict(dict)
    exact: dict[tuple[str, int, int], str] = {}
    for row in _rows(store, "search/evidence-quotes"):
        slug = slug_of.get(row["source"]["value"])
        if slug is None:
            continue
        span = (slug, int(row["start"]["value"]), int(row["end"]["value"]))
        exact[span] = row["exact"]["value"]
        node = row["node"]["value"]
        if node in labels:
            about[span][node] = labels[node]
    for span in sorted(exact):
        mentions = [Mention(iri, label) for iri, label in sorted(about[span].items(), key=lambda t: (t[1], t[0]))]
        yield _Passage(*span, exact[span], True, mentions)
    for s in sources:
        if isinstance(texts, Path):
            try:
                text = text_path(texts, s.graph, s.text_file).read_text(encoding="utf-8")
            except OSError:
                log.warning("the text of %s is missing: its sentences are not searchable", s.iri)
                continue
        else:
            text = texts.get(s.graph, "")
        for sentence in sentences(text):
            if (s.slug, sentence.start, sentence.end) not in exact:
                yield _Passage(s.slug, sentence.start, sentence.end, sentence.text, False, [])


def _write(db: sqlite3.Connection, store: Store, texts: Mapping[str, str] | Path) -> dict[str, int]:
    """Fill the tables of a new index from ``store``; the number of entities and passages."""
    entities = _entities(store)
    rows = [(i, e.iri, _clean(e.label), e.type, _clean("\n".join(e.names)), name_key(e.label),
             "\n" + "".join(name_key(n) + "\n" for n in e.names)) for i, e in enumerate(entities, start=1)]
    db.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO entity_fts (rowid, label, names) VALUES (?, ?, ?)",
                   [(r[0], index_text(r[2]), index_text(r[4])) for r in rows])
    sources = _sources(store)
    db.executemany("INSERT INTO source VALUES (?, ?, ?)", [(s.slug, s.iri, _clean(s.title)) for s in sources])
    batch: list[tuple[int, str, int, int, str, int, str]] = []
    count = 0

    def flush() -> None:
        db.executemany("INSERT INTO passage VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
        db.executemany("INSERT INTO passage_fts (rowid, text) VALUES (?, ?)", [(b[0], index_text(b[4])) for b in batch])
        batch.clear()

    labels = {e.iri: e.label for e in entities}
    for p in _passages(store, sources, texts, labels):
        count += 1
        batch.append((count, p.source, p.start, p.end, _clean(p.text), int(p.quote),
                      json.dumps([[m.iri, m.label] for m in p.about], ensure_ascii=False)))
        if len(batch) >= 10_000:
            flush()
    flush()
    for table in ("entity_fts", "passage_fts"):
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    counts = {"entity": len(rows), "passage": count}
    db.executemany("INSERT INTO meta VALUES (?, ?)", [("schema", SCHEMA_VERSION), ("built", time.strftime("%FT%T%z")),
                                                      *((f"count-{k}", str(n)) for k, n in counts.items())])
    return counts


# --------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------

_ENTITY_QUERY = f"""
SELECT e.iri, e.label, e.type, e.names,
       CASE WHEN e.label_key = :key THEN 0
            WHEN instr(e.names_key, char(10) || :key || char(10)) > 0 THEN 1
            WHEN substr(e.label_key, 1, length(:key)) = :key THEN 2
            WHEN instr(e.names_key, char(10) || :key) > 0 THEN 3
            ELSE 4 END AS tier
FROM entity_fts JOIN entity e ON e.id = entity_fts.rowid
WHERE entity_fts MATCH :match
ORDER BY tier, bm25(entity_fts, {", ".join(map(str, _ENTITY_WEIGHTS))}), e.label_key, e.iri
LIMIT :limit OFFSET :offset
"""
#: the page is ranked first on the index alone (rowid and score), and only its rows are read whole: sorting every
#: match with its text and mentions cost 40 % more at a million triples, where a common word matches 40,000
_PASSAGE_QUERY = """
SELECT p.source, s.iri, s.title, p.start, p."end", p.text, p.quote, p.about
FROM (SELECT rowid AS id, bm25(passage_fts) AS score FROM passage_fts WHERE passage_fts MATCH :match
      ORDER BY score, rowid LIMIT :limit OFFSET :offset) AS top
JOIN passage p ON p.id = top.id JOIN source s ON s.slug = p.source
ORDER BY top.score, top.id
"""
_COUNT = {"entity": "SELECT count(*) FROM entity_fts WHERE entity_fts MATCH ?",
          "passage": "SELECT count(*) FROM passage_fts WHERE passage_fts MATCH ?"}


class SearchIndex:
    """A search index file, read-only once written; safe to search from many threads at once."""

    def __init__(self, path: Path, counts: dict[str, int]):
        self.path = path
        self.counts = counts  # entities and passages indexed
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._closed = False

    @classmethod
    def build(cls, store: Store, path: Path, *, data_dir: Path,
              texts: Mapping[str, str] | None = None) -> SearchIndex:
        """Index what ``store`` holds into a new file that replaces ``path`` atomically, and open it.

        The sources' texts are ``texts`` (by named graph) when given, else read from ``data_dir``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            db = sqlite3.connect(tmp, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode = OFF")
                db.execute("PRAGMA synchronous = OFF")
                db.executescript(_SCHEMA)
                db.execute("BEGIN")
                _write(db, store, texts if texts is not None else data_dir)
                db.execute("COMMIT")
            finally:
                db.close()
            with tmp.open("rb") as f:
                os.fsync(f.fileno())
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return cls.open(path)

    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        """The index at ``path``; SearchIndexUnavailable if there is none, or one of another version."""
        if not path.is_file():
            raise SearchIndexUnavailable(f"no search index at {path}")
        index = cls(path, {})
        try:
            with index._connection() as db:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as e:
            index.close()
            raise SearchIndexUnavailable(f"{path} is not a search index: {e}") from e
        if meta.get("schema") != SCHEMA_VERSION:
            index.close()
            raise SearchIndexUnavailable(f"{path} was written by another version of srkg")
        index.counts = {k: int(meta.get(f"count-{k}", "0")) for k in KINDS}
        return index

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection from this index's pool (a new one when all are busy)."""
        try:
            db = self._idle.get_nowait()
        except queue.Empty:
            # immutable: a published index is never written (a new index is a new file renamed over it)
            db = sqlite3.connect(f"file:{pathname2url(str(self.path))}?mode=ro&immutable=1", uri=True,
                                 check_same_thread=False)
        try:
            yield db
        finally:
            if self._closed:
                db.close()
            else:
                self._idle.put(db)

    def close(self) -> None:
        """Close the idle connections; those in use close when their search ends."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def search(self, q: str, kind: Kind | None = None, limit: int = 20, offset: int = 0, *,
               prefix: bool = True) -> SearchResults:
        """One page of what matches every word of ``q``: entities first, then passages (or only ``kind``).

        With ``prefix`` the last word also matches the words it begins (see
        :func:`graph.read.search_text.parse_query`). SearchQueryError for a query with no words, one too long,
        or a bad kind, limit or offset."""
        if kind is not None and kind not in KINDS:
            raise SearchQueryError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
        if not 1 <= limit <= MAX_LIMIT or offset < 0:
            raise SearchQueryError(f"limit must be 1 to {MAX_LIMIT} and offset 0 or more")
        query = parse_query(q, prefix=prefix)
        kinds = [kind] if kind else list(KINDS)
        hits: list[Hit] = []
        totals: dict[str, int] = {}
        with self._connection() as db:
            for k in kinds:
                totals[k] = db.execute(_COUNT[k], (query.match,)).fetchone()[0]
            skip, want = offset, limit
            for k in kinds:  # one list, entities then passages: the page may straddle the two
                if want == 0:
                    break
                if skip >= totals[k]:
                    skip -= totals[k]
                    continue
                page = _entity_hits(db, query, want, skip) if k == "entity" else _passage_hits(db, query, want, skip)
                hits += page
                want -= len(page)
                skip = 0
        return SearchResults(q, kind, offset, limit, totals, hits)


def _entity_hits(db: sqlite3.Connection, query: ParsedQuery, limit: int, offset: int) -> list[Hit]:
    out: list[Hit] = []
    rows = db.execute(_ENTITY_QUERY, {"key": query.key, "match": query.match, "limit": limit, "offset": offset})
    for iri, label, type_, names, _ in rows:
        parts = highlight(label, query)
        alias, alias_parts = None, []
        if not any(p.match for p in parts):  # the label does not match: show the name that does
            for name in names.split("\n") if names else []:
                candidate = highlight(name, query)
                if any(p.match for p in candidate):
                    alias, alias_parts = name, candidate
                    break
        out.append(EntityHit(iri, label, type_, parts, alias, alias_parts))
    return out


def _passage_hits(db: sqlite3.Connection, query: ParsedQuery, limit: int, offset: int) -> list[Hit]:
    rows = db.execute(_PASSAGE_QUERY, {"match": query.match, "limit": limit, "offset": offset})
    return [PassageHit(slug, source_iri, title, start, end, text, snippet(text, query), bool(quote),
                       [Mention(iri, label) for iri, label in json.loads(about)])
            for slug, source_iri, title, start, end, text, quote, about in rows]


def index_build(build: Path, settings: Settings, texts: Mapping[str, str] | None = None) -> Path:
    """Index the embedded store built in folder ``build`` (published or about to be) at its
    :func:`build_index_path`, with the sources' ``texts`` by named graph when known; returns that path."""
    path = build_index_path(settings.store_dir, build)
    with EmbeddedStore(build, read_only=True) as store:
        SearchIndex.build(store, path, data_dir=settings.data_dir, texts=texts).close()
    return path
