"""Pydantic response models of the REST API, so that the OpenAPI schema says exactly what comes back."""

from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, computed_field

from graph import namespaces as ns

T = TypeVar("T")


def _entity_path(iri: str) -> str | None:
    return iri[len(ns.ID):] if iri.startswith(ns.ID) else None


class Evidence(BaseModel):
    """A verbatim passage of a source: the quote and its offsets (code points, end exclusive)."""

    iri: str
    source: str
    quote: str
    start: int
    end: int
    reader: str | None = Field(None, description="the passage in its source's reader: /sources/{slug}#at-{start}-{end}")


class Inferred(BaseModel):
    """Why a statement that its source does not make in so many words is held."""

    basis: str = Field(description="from the source's date, reasoned from the text, presupposed, "
                                   "curator's reading, or world knowledge")
    reason: str
    reference: str | None = Field(None, description="the external reference of world knowledge, such as a "
                                                    "Wikidata item")


class EntityRef(BaseModel):
    """A short reference to an entity: enough to show and link it."""

    iri: str
    label: str
    type: str = Field(description="most specific srkg class (local name)")
    group: str = Field(description="actor, place, event, document, proposition, theme, assertion, stance, post, other")
    page: str = Field(description="path of its page in this service")

    @computed_field(description="what /api/v1/entities/{path} and /id/{path} take (null outside id:)")  # type: ignore[prop-decorator]
    @property
    def path(self) -> str | None:
        return _entity_path(self.iri)


class EntitySummary(EntityRef):
    types: list[str] = []
    aliases: list[str] = []


class Page(BaseModel, Generic[T]):
    total: int
    offset: int
    limit: int
    items: list[T]


class Relation(BaseModel):
    predicate: str
    relation: str
    direction: str = Field(description="'out' (entity → other) or 'in' (other → entity)")
    other: EntityRef
    graph: str
    evidence: list[Evidence]
    inferred: Inferred | None = Field(None, description="set when the source does not state the relation itself")


class Value(BaseModel):
    """A literal the graph states about an entity (a date, a count, a status flag), with its basis if inferred."""

    predicate: str
    relation: str
    value: str
    datatype: str | None
    inferred: Inferred | None = None


class Stance(BaseModel):
    iri: str
    label: str
    holder: EntityRef | None
    targets: list[EntityRef]
    polarity: str | None
    attribution: str | None
    hedging: str | None
    hedged: bool = Field(description="true for a qualified assertion: attributed to an actor, inferred by the "
                                     "authors, or hedged; such a stance never becomes a plain edge")
    themes: list[EntityRef]
    evidence: list[Evidence]


class Participant(BaseModel):
    role: str
    entity: EntityRef


class Event(BaseModel):
    iri: str
    label: str
    type: str
    begin: str | None
    end: str | None
    begin_inferred: Inferred | None = Field(None, description="set when the source does not give the begin date")
    end_inferred: Inferred | None = Field(None, description="set when the source does not give the end date")
    status: str | None
    participants: list[Participant]
    places: list[EntityRef]
    themes: list[EntityRef]
    evidence: list[Evidence]


class Agreement(BaseModel):
    iri: str
    label: str
    type: str
    parties: list[EntityRef]
    related: list[Relation]
    themes: list[EntityRef]
    evidence: list[Evidence]


class Theme(BaseModel):
    iri: str
    label: str
    broader: str | None
    count: int

    @computed_field(description="what /view/theme/{path} takes")  # type: ignore[prop-decorator]
    @property
    def path(self) -> str | None:
        return _entity_path(self.iri)


class Assessment(BaseModel):
    iri: str
    label: str
    type: str
    claim: str | None
    cue: str | None
    attribution: str | None
    hedging: str | None
    authors: list[EntityRef]
    themes: list[EntityRef]
    about: list[Relation]
    premises: list[EntityRef] = Field(default_factory=list, description="what the assertion rests on "
                                      "(\"as confirmed by\", \"as evidenced by\", \"this indicates\")")
    includes: list[EntityRef] = Field(default_factory=list, description="narrower assertions it includes")
    evidence: list[Evidence]


class Label(BaseModel):
    value: str
    lang: str | None


class EntityDetail(BaseModel):
    iri: str
    label: str
    labels: list[Label]
    aliases: list[Label]
    types: list[str]
    wikidata: str | None
    values: list[Value] = Field(default_factory=list, description="dates, counts and flags the graph states")
    notes: list[str] = Field(default_factory=list, description="the curators' notes on how the source is read")
    page: str
    view: str
    outgoing: list[Relation]
    incoming: list[Relation]
    stances_held: list[Stance]
    stances_targeted: list[Stance]
    events: list[Event]
    agreements: list[Agreement]
    evidence: list[Evidence]
    totals: dict[str, int] = Field(default_factory=dict, description=(
        "how many items each list has in all; a list holds at most the first 100 of them (the full lists "
        "page through /api/v1/stances?holder=…, ?target=… and SPARQL)"))


class Assertion(BaseModel):
    node: EntityRef
    evidence: list[Evidence]


class Source(BaseModel):
    iri: str
    title: str
    graph: str
    metadata: dict[str, list[str]]
    text_length: int
    assertions: list[Assertion]


class Centrality(BaseModel):
    entity: EntityRef
    degree: float
    betweenness: float
    eigenvector: float


class Community(BaseModel):
    id: int
    size: int
    members: list[EntityRef]


class Hop(BaseModel):
    source: EntityRef
    target: EntityRef
    relation: str
    predicate: str
    direction: str = Field(description="'forward' if the statement goes source → target, else 'backward'")
    evidence: list[Evidence]


class Path(BaseModel):
    length: int
    hops: list[Hop]


class Paths(BaseModel):
    source: EntityRef
    target: EntityRef
    paths: list[Path]


class SourceSummary(BaseModel):
    """A source document as the home page lists it: what a citation needs, and where to read it."""

    iri: str
    slug: str
    title: str
    date: str | None
    authors: list[EntityRef]
    publisher: EntityRef | None
    series: str | None
    number: str | None
    reader: str = Field(description="its reader in this service: the text with every assertion drawn from it")
    view: str = Field(description="its network view")
    api: str = Field(description="its JSON, with every assertion and its offsets")


class KindCount(BaseModel):
    """How many instances of a class (sub-classes included) the graph holds."""

    kind: str = Field(description="class local name, e.g. State")
    label: str = Field(description="the plural a person reads, e.g. states")
    count: int
    entities: str | None = Field(description="the /entities page of this kind (none for evidence, which is not "
                                             "an entity)")


class CentralActor(BaseModel):
    """An actor with its degree centrality in the projection and its number of distinct neighbours."""

    entity: EntityRef
    degree: float
    connections: int


class DatedEvent(BaseModel):
    """An event with its dates and status; a date the source does not give carries its basis."""

    entity: EntityRef
    begin: str | None
    end: str | None
    status: str | None
    begin_inferred: Inferred | None = Field(None, description="set when the source does not give the begin date")
    end_inferred: Inferred | None = Field(None, description="set when the source does not give the end date")


class EntryPoint(BaseModel):
    """A way into the graph: a page of this service."""

    title: str
    href: str
    description: str


class Summary(BaseModel):
    """What the graph holds: exactly what the home page shows."""

    triples: int
    named_graphs: int
    sources: list[SourceSummary] = Field(description="the newest sources (sources_total counts them all)")
    sources_total: int
    counts: list[KindCount]
    central_actors: list[CentralActor] = Field(description="the actors of highest degree centrality")
    latest_events: list[DatedEvent] = Field(description="the events with the latest begin dates, latest first")
    events_dated: int = Field(description="how many events have a begin date")
    entry_points: list[EntryPoint]


class SearchPart(BaseModel):
    """A piece of a highlighted text: ``match`` is true where it matches a word of the query."""

    text: str
    match: bool


class SearchEntity(BaseModel):
    """An entity whose label or another of its names matches."""

    kind: Literal["entity"] = "entity"
    iri: str
    label: str
    type: str = Field(description="the label of its most specific class")
    parts: list[SearchPart] = Field(description="the label, cut where it matches")
    alias: str | None = Field(None, description="another name that matched, when the label does not")
    alias_parts: list[SearchPart] = []
    link: str = Field(description="its page in this service")


class SearchMention(BaseModel):
    """An entity that an evidence quote grounds."""

    iri: str
    label: str
    link: str


class SearchPassage(BaseModel):
    """A sentence of a source, or the quote of a piece of evidence, that matches."""

    kind: Literal["passage"] = "passage"
    passage: Literal["sentence", "quote"]
    source: str = Field(description="the source's slug")
    source_iri: str
    source_title: str
    start: int = Field(description="offset of its first character in the source's text (code points)")
    end: int = Field(description="offset just after its last character")
    text: str
    parts: list[SearchPart] = Field(description="a snippet of the text around the matches, cut where it matches")
    about: list[SearchMention] = Field(description="for a quote, the entities it is the evidence of")
    link: str = Field(description="the passage in the source reader")


class SearchPage(BaseModel):
    """One page of search results: entities first, then passages, each in rank order."""

    query: str
    kind: Literal["entity", "passage"] | None
    total: int
    totals: dict[str, int] = Field(description="matches of each kind searched")
    offset: int
    limit: int
    items: list[Annotated[SearchEntity | SearchPassage, Field(discriminator="kind")]]


# -- the timeline (graph.read.timeline) -------------------------------------------------------------

class PartOf(BaseModel):
    """An event this one is part of (``sem:subEventOf``)."""

    event: EntityRef
    inferred: Inferred | None = Field(None, description="set when the source does not say so in so many words")


class TimelineEvent(Event):
    """An event as the timeline places it."""

    axis_start: str | None = Field(description="first day on the axis, YYYY-MM-DD (a year covers the whole year); "
                                               "none for an undated event")
    axis_end: str | None = Field(description="the day after the last day on the axis (exclusive)")
    prospective: bool = Field(description="planned or announced: not (yet) happened at the date of the source")
    parent: EntityRef | None = Field(description="the event it nests under: the most specific one it is part of")
    part_of: list[PartOf] = Field(description="every event it is part of")
    row: str | None = Field(description="IRI of the group whose row draws it; none for an event in no group")
    sources: list[EntityRef]


class TimelineGroup(BaseModel):
    """An event with dated sub-events: a row of the timeline, with the groups nested under it."""

    event: EntityRef
    parent: str | None = Field(description="IRI of the group it nests under")
    level: int
    nested: list[str] = Field(description="IRIs of the groups nested under it, by date")
    items: list[str] = Field(description="IRIs of the events its row draws: its own, and sub-events that head "
                                         "no group")
    on_axis: bool = Field(description="whether the event itself has a date")


class Facet(BaseModel):
    """A value a filter can take, with how many events have it."""

    id: str = Field(description="what the filter parameter takes: an entity's id, or a source's slug")
    iri: str
    label: str
    events: int


class Timeline(BaseModel):
    """Dated events on a time axis with sub-events nested under their parent; undated events apart."""

    filters: dict[str, str | None] = Field(description="the actor, theme and source filtered by (IRIs)")
    total: int = Field(description="dated events that pass the filters")
    shown: int
    omitted: int = Field(description="dated events left out by the limit (the oldest)")
    limit: int
    events: list[TimelineEvent] = Field(description="the most recent `limit` dated events, in date order")
    groups: list[TimelineGroup] = Field(description="parents before their nested groups")
    ungrouped: list[str] = Field(description="IRIs of the events that belong to no group")
    undated: list[TimelineEvent] = Field(description="events without a date that pass the filters (at most "
                                                     "`limit`)")
    undated_total: int
    facets: dict[str, list[Facet]] = Field(description="the values of each filter, most frequent first")


# -- the stance matrix (graph.read.stance_matrix) ---------------------------------------------------

class MatrixStance(BaseModel):
    iri: str
    page: str
    polarity: str | None
    attribution: str | None
    hedging: str | None
    hedged: bool = Field(description="a qualified assertion: hedged, the authors' inference or an actor's view")
    evidence: list[Evidence] = Field(description="each with its passage in the source's reader")


class StanceReading(BaseModel):
    """The stances of a cell with one polarity, held one way."""

    polarity: str | None
    text: str = Field(description='e.g. "+ supports", "− opposes ~ hedged (expected) ‡ the authors\' inference"')
    symbols: str
    plain: bool = Field(description="reported and unhedged")
    hedged: bool
    hedging: str | None
    authors_inference: bool
    actor_view: bool
    stances: int


class MatrixCell(BaseModel):
    holder: str
    target: str
    readings: list[StanceReading]
    direction: str = Field(description="for (supports, commits to), against (opposes) or mixed")
    plain: bool = Field(description="some stance of the cell is reported and unhedged")
    sources: int = Field(description="distinct sources of its stances' evidence")
    stances_total: int
    stances: list[MatrixStance] = Field(description="its first 20 stances")


class MatrixAxis(BaseModel):
    entity: EntityRef
    id: str = Field(description="what ?a= and ?b= take")
    stances: int


class StanceMatrix(BaseModel):
    """Holders as rows, targets as columns; only the cells that hold a stance are listed."""

    mode: Literal["matrix"] = "matrix"
    holders: list[MatrixAxis]
    targets: list[MatrixAxis]
    holders_total: int
    targets_total: int
    cells: list[MatrixCell]


class AlignmentRow(BaseModel):
    target: MatrixAxis
    category: str = Field(description="both-support, both-oppose, differ, only-a or only-b")
    a: MatrixCell | None
    b: MatrixCell | None


class StanceAlignment(BaseModel):
    """Two actors compared on every target either of them takes a position on."""

    mode: Literal["align"] = "align"
    a: MatrixAxis
    b: MatrixAxis
    headings: dict[str, str] = Field(description="each category in words")
    counts: dict[str, int]
    rows: list[AlignmentRow]
