"""IRIs of the srkg vocabulary, its identifiers and its named graphs, in one place."""

from __future__ import annotations

BASE = "https://w3id.org/srkg/"
SRKG = BASE + "ontology#"
ONTOLOGY_IRI = BASE + "ontology"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

ONTOLOGY_GRAPH = GRAPH + "ontology"
REFERENCE_GRAPH = GRAPH + "reference"
INFERRED_GRAPH = GRAPH + "inferred"
SHORTCUTS_GRAPH = GRAPH + "shortcuts"
SOURCE_GRAPH_PREFIX = GRAPH + "source/"
SOURCE_ID_PREFIX = ID + "source/"
#: Skolem IRIs that stand for the blank nodes of the data files (RDF 1.1, section 3.5).
GENID = BASE + ".well-known/genid/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
TIME = "http://www.w3.org/2006/time#"
SCHEMA = "https://schema.org/"
WIKIDATA = "http://www.wikidata.org/entity/"

RDF_TYPE = RDF + "type"

#: Prefixes offered to every query run through the project (CLI, service, tests).
PREFIXES: dict[str, str] = {
    "srkg": SRKG,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "oa": OA,
    "dcterms": DCTERMS,
    "prov": PROV,
    "sem": SEM,
    "org": ORG,
    "foaf": FOAF,
    "time": TIME,
    "schema": SCHEMA,
    "wd": WIKIDATA,
}


def curie(iri: str, *, bracket: bool = False) -> str:
    """``iri`` written with the first prefix of :data:`PREFIXES` it starts with (``srkg:Stance``); otherwise the
    IRI itself, in angle brackets if ``bracket``."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base):
            return f"{prefix}:{iri[len(base):]}"
    return f"<{iri}>" if bracket else iri


def source_graph(slug: str) -> str:
    """The named graph that holds the assertions drawn from source ``slug``."""
    return SOURCE_GRAPH_PREFIX + slug


def sparql_prologue() -> str:
    """``PREFIX`` declarations for every prefix in :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
