"""Pydantic response models of the REST API, so that the OpenAPI schema says exactly what comes back."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Evidence(BaseModel):
    """A verbatim passage of a source: the quote and its offsets (code points, end exclusive)."""

    iri: str
    source: str
    quote: str
    start: int
    end: int


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
