"""Fidelity checks: the graph says what its sources say, in the layer their sentences call for.

They run on a dataset once it is complete (the build's new store before it is
published, or a curator's write before it lands), through the catalogue
queries ``fidelity/*``, and raise :class:`~graph.errors.DataError` naming file
and line:

- **cues**: no plain fact (a node that states something and is not a
  qualified assertion) has evidence in the scope of a cue of the lexicon
  (``ontology/cues.ttl``, :mod:`graph.cues`), unless the node waives that cue
  with a reason (``srkg:cueWaiver``); a waiver that matches no cue is stale;
- **stated literals**: every date, year or number a node states appears in
  its evidence, or the statement carries its basis as an ``srkg:InferredFact``;
- **inferred facts** describe statements that the same graph holds;
- **duplicates**: one source states one stance once.

:class:`Report` keeps what the cue check found, reviewed or not, for
``srkg validate`` to show.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import catalogue, cues
from . import namespaces as ns
from .errors import DataError, Problem

#: Where a node is written: ``(graph, IRI) -> (file, line)``, either unknown.
Locator = Callable[[str, str], tuple[Path | None, int | None]]

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())})
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True)
class CueFinding:
    """A cue whose scope holds evidence of a plain fact; ``reason`` is the waiver's, or None if unreviewed."""

    graph: str
    node: str
    hit: cues.CueHit
    evidence: tuple[int, int]
    reason: str | None


@dataclass
class Report:
    """What the fidelity checks found: every cue in the scope of a plain fact, reviewed or not."""

    cue_hits: int = 0
    findings: list[CueFinding] = field(default_factory=list)

    @property
    def reviewed(self) -> list[CueFinding]:
        return [f for f in self.findings if f.reason is not None]

    @property
    def unreviewed(self) -> list[CueFinding]:
        return [f for f in self.findings if f.reason is None]


#: A term of a query solution (None for an unbound variable).
_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def _rows(store: ox.Store, graphs: Collection[str] | None, name: str) -> Iterator[dict[str, _Term]]:
    """The rows of the catalogue query ``name``; only those of ``graphs`` (its ``?g``) unless that is None."""
    result = store.query(catalogue.get(name).text, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)  # the fidelity queries are SELECT queries
    variables = [v.value for v in result.variables]
    for solution in result:
        if graphs is None or _value(solution["g"]) in graphs:
            yield {v: solution[v] for v in variables}


def _value(term: _Term) -> str:
    """The IRI, blank node label or lexical form of a bound term."""
    if term is None or isinstance(term, ox.Triple):
        raise TypeError(f"expected an IRI, a blank node or a literal, not {term!r}")
    return term.value


def _curie(iri: str) -> str:
    return ns.curie(iri, bracket=True)


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def check(store: ox.Store, texts: dict[str, str], locate: Locator, *,
          graphs: Collection[str] | None = None) -> Report:
    """Run every fidelity check on ``store`` (whose default graph is read as the union of its graphs).

    ``texts`` maps each source graph to its source's text. With ``graphs``, only the problems of those
    named graphs count (a curator's write checks the graphs it changes). Raises :class:`DataError` listing
    every problem found; returns the :class:`Report` otherwise.
    """
    problems: list[Problem] = []
    report = Report()
    lexicon = cues.lexicon(store.quads_for_pattern(None, None, None, ox.NamedNode(ns.ONTOLOGY_GRAPH)))
    if graphs is not None:
        texts = {g: t for g, t in texts.items() if g in graphs}
    problems += _check_cues(store, graphs, texts, lexicon, locate, report)
    problems += _check_literals(store, graphs, locate)
    problems += _check_inferred_facts(store, graphs, locate)
    problems += _check_duplicates(store, graphs, locate)
    if problems:
        raise DataError(problems)
    return report


def source_texts(store: ox.Store, data_dir: Path) -> dict[str, str]:
    """The text of every source of ``store`` by named graph, read from the data folder's layout."""
    texts = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(ns.SRKG + "textFile"), None, None):
        if isinstance(q.graph_name, ox.DefaultGraph) or isinstance(q.object, ox.Triple):
            continue
        graph = q.graph_name.value
        if graph.startswith(ns.SOURCE_GRAPH_PREFIX):
            path = data_dir / "sources" / graph.removeprefix(ns.SOURCE_GRAPH_PREFIX) / q.object.value
            try:
                texts[graph] = path.read_text(encoding="utf-8")
            except OSError as e:
                raise DataError([Problem(path, None, f"cannot read the text of {graph}: {e.strerror}")]) from e
    return texts


def _problem(locate: Locator, graph: str, node: str, message: str) -> Problem:
    path, line = locate(graph, node)
    return Problem(path, line, message)


def _check_cues(store: ox.Store, graphs: Collection[str] | None, texts: dict[str, str], lexicon: list[cues.Cue],
                locate: Locator, report: Report) -> list[Problem]:
    evidence: dict[str, dict[str, set[tuple[int, int]]]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(store, graphs, "fidelity/plain-facts"):
        evidence[_value(row["g"])][_value(row["node"])].add((int(_value(row["start"])), int(_value(row["end"]))))
    waivers: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
    for row in _rows(store, graphs, "fidelity/cue-waivers"):
        given = row.get("reason")
        waivers[(_value(row["g"]), _value(row["node"]))][_value(row["cue"]).casefold()] = (
            _value(given) if given is not None else None)
    used: set[tuple[str, str, str]] = set()
    problems: list[Problem] = []
    for graph, text in texts.items():
        hits = cues.find(text, lexicon)
        report.cue_hits += len(hits)
        for node, spans in sorted(evidence.get(graph, {}).items()):
            waived = waivers.get((graph, node), {})
            for start, end in sorted(spans):
                for hit in hits:
                    if not hit.governs(start, end):
                        continue
                    key = hit.words.casefold()
                    reason = waived.get(key)
                    report.findings.append(CueFinding(graph, node, hit, (start, end), reason))
                    if key in waived:
                        used.add((graph, node, key))
                        continue
                    suggests = f" (srkg:{hit.cue.suggests})" if hit.cue.suggests else ""
                    problems.append(_problem(locate, graph, node, (
                        f"{_curie(node)} is a plain fact, but its evidence {_short(text[start:end], 60)} "
                        f"[{start}-{end}] lies in the scope of the {hit.cue.kind.removesuffix('Cue').lower()} "
                        f"cue {hit.words!r} in {_short(hit.sentence.text)}. Put it in the layer the cue calls "
                        f"for{suggests}, or, if the cue governs another part of the sentence, add "
                        f"srkg:cueWaiver [ srkg:waivedCue {hit.words!r} ; srkg:reason \"…\" ]")))
    for (graph, node), waived in sorted(waivers.items()):
        for key, reason in sorted(waived.items()):
            if reason is None or not reason.strip():
                problems.append(_problem(locate, graph, node, f"{_curie(node)} waives the cue {key!r} "
                                         "without a reason: say why the cue does not weaken it (srkg:reason)"))
            elif (graph, node, key) not in used:
                problems.append(_problem(locate, graph, node, (
                    f"{_curie(node)} waives the cue {key!r}, but no evidence of it lies in the scope of that "
                    "cue (or it is not a plain fact): remove the stale waiver")))
    return problems


def literal_parts(value: str, datatype: str) -> list[set[str]]:
    """What a text must contain to state ``value``: for each part (a number, or a date's day, month and
    year), the tokens that write it (``"5"`` is ``5``, ``five`` or ``fifth``; May is ``5``, ``05`` or ``may``)."""
    def number(n: int) -> set[str]:
        return {str(n)} | {w for w, i in _NUMBER_WORDS.items() if i == n}

    if datatype in (ns.XSD + "date", ns.XSD + "gYearMonth", ns.XSD + "gYear"):
        m = re.fullmatch(r"(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?.*", value)
        if not m:
            return []
        parts = [{m.group(1).lstrip("-")}]
        if m.group(2):
            month = int(m.group(2))
            parts.append({str(month), f"{month:02d}", _MONTHS[month - 1]} if 1 <= month <= 12 else {m.group(2)})
        if m.group(3):
            parts.append({str(int(m.group(3))), m.group(3)})
        return parts
    try:
        return [number(int(float(value)))]
    except ValueError:
        return [{value}]


def _check_literals(store: ox.Store, graphs: Collection[str] | None, locate: Locator) -> list[Problem]:
    stated: dict[tuple[str, str, str, str, str], list[str]] = defaultdict(list)
    for row in _rows(store, graphs, "fidelity/stated-literals"):
        literal = row["value"]
        if not isinstance(literal, ox.Literal):
            raise TypeError(f"expected a literal, not {literal!r}")
        key = (_value(row["g"]), _value(row["node"]), _value(row["p"]), literal.value, literal.datatype.value)
        stated[key].extend([_value(row["exact"])] if row.get("exact") is not None else [])
    problems: list[Problem] = []
    for (graph, node, predicate, value, datatype), quotes in sorted(stated.items()):
        tokens = {t.casefold() for q in quotes for t in _TOKEN.findall(q)}
        tokens |= {t.lstrip("0") for t in tokens if t.isdigit() and t != "0"}
        missing = [sorted(p)[0] for p in literal_parts(value, datatype) if not p & tokens]
        if missing:
            problems.append(_problem(locate, graph, node, (
                f"{_curie(node)} {_curie(predicate)} {value!r}: its evidence does not state "
                f"{', '.join(repr(m) for m in missing)}. Quote the passage that does, or, if the source does not "
                "say it in so many words, describe the statement as an srkg:InferredFact with its srkg:basis "
                "and srkg:reason")))
    return problems


def _check_inferred_facts(store: ox.Store, graphs: Collection[str] | None, locate: Locator) -> list[Problem]:
    problems = []
    for row in _rows(store, graphs, "fidelity/unmatched-inferred-facts"):
        graph, subject = _value(row["g"]), _value(row["s"])
        problems.append(_problem(locate, graph, subject, (
            f"an srkg:InferredFact describes {_curie(subject)} {_curie(_value(row['p']))} {row['o']}, "
            "which its graph does not state: fix the description, or add the statement")))
    return problems


def _check_duplicates(store: ox.Store, graphs: Collection[str] | None, locate: Locator) -> list[Problem]:
    problems = []
    for row in _rows(store, graphs, "fidelity/duplicate-stances"):
        graph = _value(row["g"])
        stances = sorted(_value(row["stances"]).split())
        problems.append(_problem(locate, graph, stances[0], (
            f"{' and '.join(_curie(s) for s in stances)} are one stance ({_curie(_value(row['holder']))} "
            f"{_curie(_value(row['polarity']))} {_curie(_value(row['target']))}) stated twice: merge them into "
            "one stance that carries all their evidence")))
    return problems
