"""Exports that analysts' tools open: the network as GraphML and GEXF, the stances, assessments and events as
CSV, and each source's citation as CSL-JSON and BibTeX.

Each export is built by one function here, which ``srkg export --format …`` (:mod:`graph.cli.ask`) and the
REST routes ``/api/v1/exports/…`` and ``/api/v1/sources/{slug}/citation`` (``api.routers.exports``) both call;
:data:`EXPORTS` lists them, with the CLI's format name, the REST file name and the media type.

**The network** (:func:`network_graph`) is the networkx projection (:mod:`graph.read.projection`) with scalar
attributes only, as GraphML and GEXF need them: a node carries ``label``, ``class`` (its most specific class,
local name), ``class_iri``, ``group``, and where it has them ``polarity``, ``layer`` (the attribution layer),
``hedging``, ``hedged`` (a qualified assertion: hedged, inferred or attributed) and ``evidence`` (the IRIs of
its evidence, separated by spaces); its ``weight`` is its degree centrality (:mod:`graph.read.network`, the
measure the views size nodes by). An edge carries ``label`` (its relation), ``predicate`` (its IRI, or
``stance`` for the edge a stance draws from its holder to each target), ``graph``, ``stance``, ``polarity``,
``layer``, ``hedging``, ``hedged``, ``evidence``, and for a relation the source does not state ``inferred`` (the
basis), ``inferred_reason`` and ``inferred_reference``; its ``weight`` is 1.0 (one relation, so a tool that
merges parallel edges counts them). An attribute an element does not have is left out, never written empty
or as None. Node ids are the IRIs; edge keys are ``e0``, ``e1``… in the projection's order (the projection's
own keys, a predicate or a stance, repeat, and GraphML and GEXF want unique edge ids): GraphML writes the key
as the edge's id, GEXF as a ``networkx_key`` attribute (``nx.read_gexf`` takes it back as the key and adds the
GEXF ``id``). Characters XML 1.0 cannot hold are dropped.

**The tables** (:func:`stances_table`, :func:`assessments_table`, :func:`events_table`) have **one row per
piece of evidence**: each row's ``quote`` is exactly characters ``[start, end)`` of the text of its ``source``
(code points, end exclusive), so a row can be checked against its source on its own; the item's own columns
repeat on each of its rows, and an item without evidence has one row with the evidence columns empty. A linked
thing (holder, targets, themes…) has two columns: the labels, joined by "; ", and the IRIs in the same
order, joined by a space. Layers and hedging are the local names the REST API uses (``ReportedFact``,
``Expected``). The CSV is UTF-8 without a byte-order mark, with a header row and CRLF line ends (RFC 4180);
values are written as the graph has them (no spreadsheet-formula escaping, which would change the quotes).

**Citations** (:func:`citations`, :func:`csl_json`, :func:`bibtex`) come from the catalogue query
``exports/source-citations``. Authors are listed in the order the source's own text names them (where their
name's evidence starts; those without evidence after, by name); a person's name is split at its last space
("Anna Maria Dyner": given "Anna Maria", family "Dyner"), or at a comma written "Family, Given"; another
creator (an organisation) keeps its whole name. A CSL-JSON item is a ``report``; a BibTeX entry is a
``@techreport`` whose key is the source's slug, written in UTF-8 with TeX's special characters escaped.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
from rdflib import Literal

from .. import catalogue
from .. import namespaces as ns
from ..store import Store
from ..store.base import to_int
from . import network
from .annotations import UnknownSource, slug_of
from .events import EventDates, EventRecord, by_label, event_records, read_event_dates
from .projection import Evidence, build_projection, local_name

GRAPHML = "application/graphml+xml"
GEXF = "application/gexf+xml"
CSV = "text/csv"
CSL_JSON = "application/vnd.citationstyles.csl+json"
BIBTEX = "application/x-bibtex"

HOLDER, TARGET, THEME = ns.SRKG + "holder", ns.SRKG + "target", ns.SRKG + "theme"
EXPRESSED_IN, ABOUT, PREMISE = ns.SRKG + "expressedIn", ns.SRKG + "about", ns.SRKG + "premise"
ATTRIBUTED_TO = ns.PROV + "wasAttributedTo"

# -- the network -----------------------------------------------------------------------------------------

#: Characters XML 1.0 cannot hold (controls other than tab, newline and carriage return; lone surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
Scalar = str | bool | int | float


def _scalars(attributes: Mapping[str, object]) -> dict[str, Scalar]:
    """``attributes`` without the missing ones (None or ""), strings cleaned of what XML cannot hold."""
    out: dict[str, Scalar] = {}
    for key, value in attributes.items():
        if isinstance(value, str):
            value = _NOT_XML.sub("", value)
        if value is None or value == "":
            continue
        if not isinstance(value, str | bool | int | float):
            raise TypeError(f"attribute {key!r} is not a scalar: {value!r}")
        out[key] = value
    return out


def _evidence_iris(evidence: Iterable[Evidence] | None) -> str:
    return " ".join(dict.fromkeys(e.iri for e in evidence or ()))


def network_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The projection ``g`` with the scalar attributes of the module docstring, for GraphML and GEXF."""
    out: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    weights = network.centrality(g, "degree")
    for node, d in g.nodes(data=True):
        out.add_node(node, **_scalars({
            "label": d.get("label"), "class": d.get("cls_label"), "class_iri": d.get("cls"), "group": d.get("group"),
            "polarity": d.get("polarity"), "layer": d.get("attribution"), "hedging": d.get("hedging"),
            "hedged": d.get("qualified"), "evidence": _evidence_iris(d.get("evidence")),
            "weight": float(weights.get(node, 0.0))}))
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        inferred = d.get("inferred")
        out.add_edge(u, v, key=f"e{i}", **_scalars({
            "label": d.get("relation"), "predicate": d.get("predicate"), "graph": d.get("graph"),
            "stance": d.get("stance"), "polarity": d.get("polarity"), "layer": d.get("attribution"),
            "hedging": d.get("hedging"), "hedged": d.get("hedged"), "evidence": _evidence_iris(d.get("evidence")),
            "inferred": inferred.basis if inferred else None, "inferred_reason": inferred.reason if inferred else None,
            "inferred_reference": inferred.reference if inferred else None, "weight": 1.0}))
    return out


def graphml(g: nx.MultiDiGraph) -> bytes:
    """The network of projection ``g`` as GraphML (UTF-8)."""
    buf = io.BytesIO()
    nx.write_graphml(network_graph(g), buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def gexf(g: nx.MultiDiGraph) -> bytes:
    """The network of projection ``g`` as GEXF 1.2 (UTF-8)."""
    buf = io.BytesIO()
    nx.write_gexf(network_graph(g), buf, encoding="utf-8", prettyprint=True, version="1.2draft")
    return buf.getvalue()


# -- the tables ------------------------------------------------------------------------------------------

Cell = str | int
EVIDENCE_COLUMNS = ("evidence", "quote", "source", "start", "end")


@dataclass(frozen=True)
class Table:
    """A table with its column names and its rows (every row has every column)."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, Cell], ...]

    def csv(self) -> bytes:
        """The table as CSV: UTF-8, a header row, CRLF line ends."""
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=self.columns, lineterminator="\r\n", extrasaction="raise")
        writer.writeheader()
        writer.writerows(self.rows)
        return buf.getvalue().encode("utf-8")


def _label(g: nx.MultiDiGraph, iri: str) -> str:
    return str(g.nodes[iri].get("label") or local_name(iri)) if iri in g else local_name(iri)


def _linked(g: nx.MultiDiGraph, node: str, predicate: str) -> tuple[str, ...]:
    """What ``node`` links to through ``predicate``, sorted by label."""
    return by_label(g, (v for _, v, d in g.out_edges(node, data=True) if d.get("predicate") == predicate))


def _columns(name: str, iris_name: str, g: nx.MultiDiGraph, iris: Sequence[str]) -> dict[str, Cell]:
    """A linked thing's two columns: its labels joined by "; ", its IRIs in the same order joined by a space."""
    return {name: "; ".join(_label(g, i) for i in iris), iris_name: " ".join(iris)}


def _rows(item: dict[str, Cell], evidence: Iterable[Evidence]) -> list[dict[str, Cell]]:
    """One row per piece of ``evidence`` (in the order of the text), or one without evidence if there is none."""
    found = sorted(set(evidence), key=lambda e: (e.source, e.start, e.end, e.iri))
    if not found:
        return [{**item, **dict.fromkeys(EVIDENCE_COLUMNS, "")}]
    return [{**item, "evidence": e.iri, "quote": e.exact, "source": e.source, "start": e.start, "end": e.end}
            for e in found]


def _table(columns: Sequence[str], items: Iterable[tuple[dict[str, Cell], Iterable[Evidence]]]) -> Table:
    all_columns = (*columns, *EVIDENCE_COLUMNS)
    rows = tuple(row for item, evidence in items for row in _rows(item, evidence))
    assert all(tuple(r) == all_columns for r in rows), "a row does not have the table's columns"
    return Table(all_columns, rows)


@dataclass(frozen=True)
class Details:
    """The literal details of an assertion the projection leaves out: its claims and cue words."""

    claims: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()


def assertion_details(store: Store) -> dict[str, Details]:
    """The claims and cues of every assertion (catalogue query ``api/assertion-details``), by IRI."""
    claims: dict[str, set[str]] = defaultdict(set)
    cues: dict[str, set[str]] = defaultdict(set)
    for row in store.select(catalogue.text("api/assertion-details")):
        iri = str(row["assertion"])
        if row.get("claim") is not None:
            claims[iri].add(str(row["claim"]))
        if row.get("cue") is not None:
            cues[iri].add(str(row["cue"]))
    return {iri: Details(tuple(sorted(claims[iri])), tuple(sorted(cues[iri]))) for iri in claims.keys() | cues.keys()}


def _held(g: nx.MultiDiGraph, node: str, details: Mapping[str, Details]) -> dict[str, Cell]:
    """How an assertion is held: its layer, hedging, whether it is qualified, and its cue words."""
    d = g.nodes[node]
    return {"layer": str(d.get("attribution") or ""), "hedging": str(d.get("hedging") or ""),
            "hedged": "true" if d.get("qualified") else "false",
            "cues": "; ".join(details.get(node, Details()).cues)}


STANCE_COLUMNS = ("iri", "label", "holder", "holder_iri", "polarity", "targets", "target_iris", "layer", "hedging",
                  "hedged", "cues", "expressed_in", "expressed_in_iris", "themes", "theme_iris", "authors",
                  "author_iris")


def stances_table(g: nx.MultiDiGraph, details: Mapping[str, Details]) -> Table:
    """Every stance of projection ``g`` (by IRI), one row per piece of its evidence; ``details`` are
    :func:`assertion_details`."""
    def item(node: str) -> dict[str, Cell]:
        d = g.nodes[node]
        return {"iri": node, "label": str(d.get("label", "")),
                **_columns("holder", "holder_iri", g, _linked(g, node, HOLDER)),
                "polarity": str(d.get("polarity") or ""),
                **_columns("targets", "target_iris", g, _linked(g, node, TARGET)),
                **_held(g, node, details),
                **_columns("expressed_in", "expressed_in_iris", g, _linked(g, node, EXPRESSED_IN)),
                **_columns("themes", "theme_iris", g, _linked(g, node, THEME)),
                **_columns("authors", "author_iris", g, _linked(g, node, ATTRIBUTED_TO))}

    stances = sorted(n for n, d in g.nodes(data=True) if d.get("group") == "stance")
    return _table(STANCE_COLUMNS, ((item(n), g.nodes[n].get("evidence", [])) for n in stances))


ASSESSMENT_COLUMNS = ("iri", "label", "kind", "claim", "holder", "holder_iri", "about", "about_iris", "layer",
                      "hedging", "hedged", "cues", "premises", "premise_iris", "themes", "theme_iris", "authors",
                      "author_iris")


def assessments_table(g: nx.MultiDiGraph, details: Mapping[str, Details]) -> Table:
    """Every assessment, recommendation and actor's view of projection ``g`` (what ``/api/v1/assessments``
    lists, by IRI), one row per piece of its evidence; ``details`` are :func:`assertion_details`."""
    def item(node: str) -> dict[str, Cell]:
        d = g.nodes[node]
        return {"iri": node, "label": str(d.get("label", "")), "kind": str(d.get("cls_label", "")),
                "claim": "; ".join(details.get(node, Details()).claims),
                **_columns("holder", "holder_iri", g, _linked(g, node, HOLDER)),
                **_columns("about", "about_iris", g, _linked(g, node, ABOUT)),
                **_held(g, node, details),
                **_columns("premises", "premise_iris", g, _linked(g, node, PREMISE)),
                **_columns("themes", "theme_iris", g, _linked(g, node, THEME)),
                **_columns("authors", "author_iris", g, _linked(g, node, ATTRIBUTED_TO))}

    assessments = sorted(n for n, d in g.nodes(data=True) if d.get("group") == "assertion")
    return _table(ASSESSMENT_COLUMNS, ((item(n), g.nodes[n].get("evidence", [])) for n in assessments))


EVENT_COLUMNS = ("iri", "label", "type", "begin_date", "begin_basis", "end_date", "end_basis", "status",
                 "participants", "participant_iris", "places", "place_iris", "themes", "theme_iris", "part_of",
                 "part_of_iris")


def events_table(g: nx.MultiDiGraph, dates: Mapping[str, EventDates]) -> Table:
    """Every event of projection ``g`` in date order (undated last), one row per piece of its evidence;
    ``dates`` are :func:`graph.read.events.read_event_dates`. A date the source does not state has its basis
    (``begin_basis``, ``end_basis``); ``participants`` reads "role: label"."""
    def item(r: EventRecord) -> dict[str, Cell]:
        return {"iri": r.iri, "label": r.label, "type": r.type,
                "begin_date": r.begin or "", "begin_basis": r.begin_inferred.basis if r.begin_inferred else "",
                "end_date": r.end or "", "end_basis": r.end_inferred.basis if r.end_inferred else "",
                "status": r.status or "",
                "participants": "; ".join(f"{p.role}: {_label(g, p.actor)}" for p in r.participants),
                "participant_iris": " ".join(p.actor for p in r.participants),
                **_columns("places", "place_iris", g, r.places), **_columns("themes", "theme_iris", g, r.themes),
                **_columns("part_of", "part_of_iris", g, [p.event for p in r.part_of])}

    records = event_records(g, dict(dates))
    return _table(EVENT_COLUMNS, ((item(r), r.evidence) for r in records))


# -- citations -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Creator:
    """An author of a source: their name, and whether they are a person (whose name splits into given and
    family names) or an organisation (whose name does not)."""

    name: str
    person: bool = True

    def parts(self) -> tuple[str, str] | None:
        """``(given, family)`` of a person's name, or None for a name that does not split (see the module
        docstring)."""
        name = " ".join(self.name.split())
        if not self.person:
            return None
        if "," in name:
            family, _, given = name.partition(",")
            return (given.strip(), family.strip()) if given.strip() and family.strip() else None
        given, _, family = name.rpartition(" ")
        return (given, family) if given else None


@dataclass(frozen=True)
class Citation:
    """What a citation of one source document needs, as the graph states it."""

    iri: str
    slug: str
    title: str
    authors: tuple[Creator, ...]
    publisher: str | None
    date: str | None
    language: str | None
    series: str | None
    number: str | None
    identifier: str | None


def _first(values: Iterable[str]) -> str | None:
    return min(values, default=None)


def _title(titles: Iterable[Literal], language: str | None) -> str:
    """The title in the source's own language, else in English or without a tag, else the first by text."""
    found = sorted(set(titles), key=lambda t: (t.language or "", str(t)))

    def rank(t: Literal) -> int:
        tag = (t.language or "").lower()
        return 0 if language and tag == language.lower() else 1 if tag in ("en", "") else 2

    return str(min(found, key=rank)) if found else ""


def citations(store: Store) -> list[Citation]:
    """Every source document of ``store`` with what its citation needs (``exports/source-citations``), by slug."""
    fields: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    titles: dict[str, set[Literal]] = defaultdict(set)
    names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # by source, then by author
    persons: set[str] = set()
    named_at: dict[str, dict[str, int]] = defaultdict(dict)  # where the source's text first names an author
    for row in store.select(catalogue.text("exports/source-citations")):
        source = str(row["source"])
        seen = fields[source]
        for key in ("date", "language", "series", "number", "identifier", "publisherName"):
            if row.get(key) is not None:
                seen[key].add(str(row[key]))
        title = row.get("title")
        if isinstance(title, Literal):
            titles[source].add(title)
        if row.get("author") is None:
            continue
        author = str(row["author"])
        names[source][author].add(str(row["authorName"]) if row.get("authorName") is not None
                                  else local_name(author))
        if row.get("person") is not None:
            persons.add(author)
        if row.get("authorAt") is not None:
            at = to_int(row["authorAt"])
            named_at[source][author] = min(at, named_at[source].get(author, at))
    out = []
    for source, seen in fields.items():
        by_author = {author: min(found) for author, found in names[source].items()}
        language = _first(seen["language"])
        out.append(Citation(
            iri=source, slug=slug_of(source), title=_title(titles[source], language),
            authors=tuple(Creator(by_author[a], a in persons) for a in _byline(by_author, named_at[source])),
            publisher=_first(seen["publisherName"]), date=_first(seen["date"]), language=language,
            series=_first(seen["series"]), number=_first(seen["number"]), identifier=_first(seen["identifier"])))
    return sorted(out, key=lambda c: (c.slug, c.iri))


def _byline(names: Mapping[str, str], named_at: Mapping[str, int]) -> list[str]:
    """The authors (IRIs, with their ``names``) in the order the source's text names them (``named_at``), then
    those it does not name, by name."""
    def order(author: str) -> tuple[int, int, str, str]:
        at = named_at.get(author)
        return (0, at, "", author) if at is not None else (1, 0, names[author], author)

    return sorted(names, key=order)


def find_citation(found: Iterable[Citation], slug: str) -> Citation:
    """The citation of source ``slug``; :class:`~graph.read.annotations.UnknownSource` if there is none."""
    for c in found:
        if c.slug == slug:
            return c
    raise UnknownSource(slug)


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_parts(date: str | None) -> list[int]:
    """``[year, month, day]`` (as far as ``date`` gives them: an xsd:date, gYearMonth or gYear), or []."""
    m = _DATE.match(date or "")
    return [int(p) for p in m.groups() if p is not None] if m else []


def csl_item(c: Citation) -> dict[str, object]:
    """The CSL-JSON item of citation ``c`` (a ``report``)."""
    item: dict[str, object] = {"id": c.slug, "type": "report", "title": c.title}
    if c.authors:
        item["author"] = [{"family": p[1], "given": p[0]} if (p := a.parts()) else {"literal": a.name}
                          for a in c.authors]
    if parts := date_parts(c.date):
        item["issued"] = {"date-parts": [parts]}
    for key, value in (("publisher", c.publisher), ("collection-title", c.series), ("number", c.number),
                       ("language", c.language)):
        if value:
            item[key] = value
    return item


def csl_json(found: Sequence[Citation]) -> bytes:
    """CSL-JSON: an array of the items of ``found`` (UTF-8)."""
    return (json.dumps([csl_item(c) for c in found], indent=2, ensure_ascii=False) + "\n").encode("utf-8")


#: TeX's special characters, and how a BibTeX field writes each so that it prints as itself. Braces are
#: written as commands: BibTeX counts every brace in a field, escaped or not.
_TEX = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "&": r"\&", "%": r"\%",
        "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_TEX_SPECIAL = re.compile("[" + re.escape("".join(_TEX)) + "]")
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def tex(text: str) -> str:
    """``text`` as the value of a BibTeX field: special characters escaped, white space on one line."""
    return _TEX_SPECIAL.sub(lambda m: _TEX[m.group()], " ".join(text.split()))


def _bibtex_name(creator: Creator) -> str:
    parts = creator.parts()
    if parts is None:
        return "{" + tex(creator.name) + "}"  # braced: BibTeX takes it whole, as it is

    def part(text: str) -> str:  # a comma or a word "and" inside a name would split it: brace the part
        return "{" + tex(text) + "}" if "," in text or re.search(r"\band\b", text, re.I) else tex(text)

    return f"{part(parts[1])}, {part(parts[0])}"


def bibtex_key(c: Citation) -> str:
    """The entry's key: the source's slug, with any character a key cannot hold replaced by "-"."""
    return re.sub(r"[^A-Za-z0-9_.:/-]", "-", c.slug) or "source"


def bibtex_entry(c: Citation) -> str:
    """The ``@techreport`` entry of citation ``c``."""
    fields: list[tuple[str, str]] = []
    if c.authors:
        fields.append(("author", "{" + " and ".join(_bibtex_name(a) for a in c.authors) + "}"))
    fields.append(("title", "{{" + tex(c.title) + "}}"))  # double braces keep its capitals
    for key, value in (("institution", c.publisher), ("type", c.series), ("number", c.number)):
        if value:
            fields.append((key, "{" + tex(value) + "}"))
    parts = date_parts(c.date)
    if parts:
        fields.append(("year", "{" + str(parts[0]) + "}"))
    if len(parts) > 1 and 1 <= parts[1] <= 12:
        fields.append(("month", MONTHS[parts[1] - 1]))  # BibTeX's month macro
    if parts:
        fields.append(("date", "{" + "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) + "}"))
    body = ",\n".join(f"  {key} = {value}" for key, value in fields)
    return f"@techreport{{{bibtex_key(c)},\n{body}\n}}\n"


def bibtex(found: Sequence[Citation]) -> bytes:
    """The BibTeX entries of ``found``, a blank line apart (UTF-8)."""
    return "\n".join(bibtex_entry(c) for c in found).encode("utf-8")


# -- every export, by name -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What the exports read: the store (for catalogue queries), its projection and its events' dates (each a
    function, called only by the exports that need it)."""

    store: Store
    projection: Callable[[], nx.MultiDiGraph]
    event_dates: Callable[[], dict[str, EventDates]]

    @classmethod
    def of(cls, store: Store) -> Inputs:
        """The inputs of ``store``, each computed when first asked for (the command line's)."""
        return cls(store, functools.cache(lambda: build_projection(store)),
                   functools.cache(lambda: read_event_dates(store)))


@dataclass(frozen=True)
class ExportFormat:
    """One export: its ``srkg export --format`` name, its file name under ``/api/v1/exports/``, its media type,
    what it holds, and the function that makes it."""

    name: str
    file: str
    media_type: str
    description: str
    make: Callable[[Inputs], bytes]


#: Every export of this module, by its format name.
EXPORTS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("graphml", "network.graphml", GRAPHML, "the network (the networkx projection) as GraphML",
                 lambda i: graphml(i.projection())),
    ExportFormat("gexf", "network.gexf", GEXF, "the network (the networkx projection) as GEXF 1.2",
                 lambda i: gexf(i.projection())),
    ExportFormat("stances-csv", "stances.csv", CSV, "every stance, one row per evidence quote with its offsets",
                 lambda i: stances_table(i.projection(), assertion_details(i.store)).csv()),
    ExportFormat("assessments-csv", "assessments.csv", CSV, "every assessment, recommendation and actor's view, "
                 "one row per evidence quote with its offsets",
                 lambda i: assessments_table(i.projection(), assertion_details(i.store)).csv()),
    ExportFormat("events-csv", "events.csv", CSV, "every event with its dates, one row per evidence quote with "
                 "its offsets", lambda i: events_table(i.projection(), i.event_dates()).csv()),
    ExportFormat("csl-json", "citations.json", CSL_JSON, "the citation of every source document, as CSL-JSON",
                 lambda i: csl_json(citations(i.store))),
    ExportFormat("bibtex", "citations.bib", BIBTEX, "the citation of every source document, as BibTeX",
                 lambda i: bibtex(citations(i.store))),
)}
