"""Names in Russian and Chinese, the negotiation of the reader's language, and search in every script.

The names are checked in the data (each language in its own script, the
English rdfs:label one per entity, nothing of a brief translated); the
negotiation on a real server, through the REST API and the entity pages.
"""

from __future__ import annotations

import re
import unicodedata

import httpx
import pytest
import rdflib

from fixtures.servers import running_service
from graph import namespaces as ns
from graph.language import accept_language, negotiate, supported
from graph.store import Store

PUTIN = ns.ID + "vladimir-putin"
NAME_PROPERTIES = (rdfs_label := ns.RDFS + "label", ns.SKOS + "prefLabel", ns.SKOS + "altLabel")


def _names(store: Store, language_filter: str) -> list[tuple[str, str, str, str]]:
    rows = store.select(f"""
        SELECT ?node ?p ?name (LANG(?name) AS ?lang) WHERE {{
          VALUES ?p {{ rdfs:label skos:prefLabel skos:altLabel }}
          GRAPH ?g {{ ?node ?p ?name }} FILTER ({language_filter})
          FILTER (?g = <{ns.REFERENCE_GRAPH}> || STRSTARTS(STR(?g), "{ns.SOURCE_GRAPH_PREFIX}"))
        }}""")
    return [(str(r["node"]), str(r["p"]), str(r["name"]), str(r["lang"])) for r in rows]


def _scripts(text: str) -> set[str]:
    """The scripts of the letters of ``text``, by the first word of their Unicode names."""
    return {unicodedata.name(c).split()[0] for c in text if c.isalpha()}


def test_every_russian_name_is_in_cyrillic(store):
    names = _names(store, 'LANGMATCHES(LANG(?name), "ru")')
    assert len({n for n, *_ in names}) >= 30, "the reference entities have Russian names"
    for node, _, name, _ in names:
        assert _scripts(name) == {"CYRILLIC"}, (node, name)


def test_every_chinese_name_is_in_han_characters_and_pinyin_in_latin(store):
    names = _names(store, 'LANGMATCHES(LANG(?name), "zh")')
    hans = [n for n in names if n[3] == "zh-hans"]
    pinyin = [n for n in names if n[3] == "zh-latn-pinyin"]
    assert len(hans) + len(pinyin) == len(names), {n[3] for n in names}
    for node, _, name, _ in hans:
        assert _scripts(name) == {"CJK"}, (node, name)  # "CJK UNIFIED IDEOGRAPH-…"
    for node, p, name, _ in pinyin:
        assert _scripts(name) == {"LATIN"} and p == ns.SKOS + "altLabel", (node, name)


def test_rdfs_label_stays_english_and_one_per_language(store):
    """Other languages are skos:prefLabel, at most one per language (SKOS), so queries that join rdfs:label
    keep one row per entity."""
    assert not [n for n in _names(store, 'LANG(?name) != "en" && LANG(?name) != ""') if n[1] == rdfs_label]
    per_language: dict[tuple[str, str], int] = {}
    for node, p, _, lang in _names(store, 'LANG(?name) != ""'):
        if p == ns.SKOS + "prefLabel":
            per_language[node, lang] = per_language.get((node, lang), 0) + 1
    assert per_language and max(per_language.values()) == 1


def test_no_name_from_a_brief_is_translated(store):
    """Names in other languages are in the reference graph only: a source graph's labels keep the brief's
    language."""
    names = _names(store, 'LANG(?name) != "en" && LANG(?name) != ""')
    graphs = {str(r["g"]) for r in store.select(
        'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s skos:prefLabel ?l } FILTER (LANG(?l) = "ru") }')}
    assert names and graphs == {ns.REFERENCE_GRAPH}


@pytest.mark.parametrize(("lang", "header", "expected", "source"), [
    ("ru", "zh", "ru", "query"),
    (None, "zh", "zh-Hans", "header"),
    (None, "zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans", "header"),
    (None, "zh-TW, ru;q=0.5", "ru", "header"),  # srkg has no traditional script: the next choice wins
    (None, "de, ru;q=0.1", "ru", "header"),
    (None, "ru;q=0, en", "en", "header"),
    ("xx-invalid", "fr, *;q=0.1", "en", "header"),
    (None, "de", "en", "default"),
    (None, ";;;q=2,\x00", "en", "default"),
    ("ZH-hans", None, "zh-Hans", "query"),
])
def test_negotiation(lang, header, expected, source):
    chosen = negotiate(lang, header)
    assert (chosen.language, chosen.source) == (expected, source)


def test_accept_language_order_and_hostile_input():
    assert accept_language("en;q=0.5, ru, zh;q=0.8") == ["ru", "zh", "en"]
    assert accept_language("ru;q=abc, <script>, zh") == ["zh"]
    assert accept_language("x" * 10_000) == []
    assert supported("zh-Hant") is None and supported("../../etc") is None and supported("") is None


def test_a_label_falls_back_to_english():
    from graph.read.labels import Labels

    known = Labels({ns.ID + "vladimir-putin": {"ru": "Путин"}})
    assert known.pick(ns.ID + "vladimir-putin", "ru", "Putin") == "Путин"
    assert known.pick(ns.ID + "vladimir-putin", "zh-Hans", "Putin") == "Putin"
    assert known.pick(ns.ID + "russia", "ru", "Russia") == "Russia"
    assert known.pick(ns.ID + "vladimir-putin", "en", "Putin") == "Putin"


@pytest.fixture(scope="module")
def client(settings):
    with running_service(settings, query_timeout_s=30) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def test_rest_label_in_the_language_asked_for(client):
    for params, headers, label, language in [
        ({"lang": "ru"}, {}, "Владимир Путин", "ru"),
        ({}, {"Accept-Language": "zh"}, "弗拉基米尔·普京", "zh-Hans"),
        ({"lang": "en"}, {"Accept-Language": "ru"}, "Vladimir Putin", "en"),
        ({}, {}, "Vladimir Putin", "en"),
    ]:
        r = client.get("/api/v1/entities/vladimir-putin", params=params, headers=headers)
        assert r.status_code == 200 and r.json()["label"] == label, (params, headers)
        assert r.headers["content-language"] == language
        assert "Accept-Language" in r.headers["vary"]
    detail = client.get("/api/v1/entities/vladimir-putin", headers={"Accept-Language": "zh"}).json()
    assert {"value": "普京", "lang": "zh-hans"} in detail["aliases"]


def test_rest_lists_and_nested_references_are_localised(client):
    stances = client.get("/api/v1/stances", params={"holder": "china", "limit": 5, "lang": "zh-Hans"}).json()
    assert stances["items"] and {s["holder"]["label"] for s in stances["items"]} == {"中国"}
    events = client.get("/api/v1/events", params={"limit": 500, "lang": "ru"}).json()
    participants = {p["entity"]["label"] for e in events["items"] for p in e.get("participants", [])}
    assert "Владимир Путин" in participants and "Vladimir Putin" not in participants
    matrix = client.get("/api/v1/stances/matrix", params={"lang": "ru"}).json()
    assert "Россия" in {h["entity"]["label"] for h in matrix["holders"]}
    english = client.get("/api/v1/stances/matrix").json()
    assert "Russia" in {h["entity"]["label"] for h in english["holders"]}


def test_unknown_language_falls_back_to_english_and_is_never_an_error(client):
    r = client.get("/api/v1/entities/russia", params={"lang": "tlh"})
    assert r.status_code == 200 and r.json()["label"] == "Russia" and r.headers["content-language"] == "en"
    assert client.get("/api/v1/entities/russia", params={"lang": "x" * 36}).status_code == 422


def test_entity_page_in_russian_and_chinese(client):
    ru = client.get("/id/vladimir-putin", params={"lang": "ru"}, headers={"Accept": "text/html"})
    assert ru.status_code == 200 and ru.headers["content-language"] == "ru"
    assert "Владимир Путин" in ru.text and '<html lang="ru">' in ru.text
    zh = client.get("/id/vladimir-putin", headers={"Accept": "text/html", "Accept-Language": "zh-CN"})
    assert "弗拉基米尔·普京" in zh.text and '<html lang="zh-Hans">' in zh.text
    assert re.search(r'href="/id/vladimir-putin\?lang=ru"', zh.text), "the language menu links the page in Russian"


def test_rdf_description_keeps_every_language(client):
    turtle = client.get("/id/vladimir-putin", headers={"Accept": "text/turtle", "Accept-Language": "ru"})
    g = rdflib.Graph().parse(data=turtle.text, format="turtle")
    names = {(str(o), o.language) for o in g.objects(rdflib.URIRef(PUTIN), None) if isinstance(o, rdflib.Literal)}
    assert ("Vladimir Putin", "en") in names and ("Владимир Путин", "ru") in names


@pytest.mark.parametrize(("q", "label"), [("普京", "弗拉基米尔·普京"), ("Путин", "弗拉基米尔·普京"),
                                          ("putin", "弗拉基米尔·普京"), ("Си Цзиньпин", "习近平")])
def test_search_finds_every_script(client, q, label):
    found = client.get("/api/v1/search", params={"q": q, "kind": "entity"}, headers={"Accept-Language": "zh"})
    items = found.json()["items"]
    assert items and items[0]["label"] == label, items[:3]
    assert any(p["match"] for p in items[0]["parts"]) or items[0]["alias_parts"]


def test_search_in_english_still_shows_english_labels(client):
    items = client.get("/api/v1/search", params={"q": "普京", "kind": "entity"}).json()["items"]
    assert items[0]["iri"] == PUTIN and items[0]["label"] == "Vladimir Putin" and "普京" in items[0]["alias"]


@pytest.mark.parametrize(("url", "lang"), [("/sparql", "ru"), ("/ontology", "zh-Hans"), ("/", "ru"),
                                           ("/entities", "zh-Hans"), ("/search?q=Harbin", "ru"),
                                           ("/view/timeline", "ru"), ("/view/stances/matrix", "zh-Hans"),
                                           ("/sources/pism-spotlight-2024-34", "ru")])
def test_every_page_says_its_language(client, url, lang):
    r = client.get(url, headers={"Accept": "text/html", "Accept-Language": f"{lang}, en;q=0.5"})
    assert r.status_code == 200 and r.headers["content-language"] == lang, url
    assert f'<html lang="{lang}">' in r.text and "Accept-Language" in r.headers["vary"]
    english = client.get(url, headers={"Accept": "text/html"})
    assert english.headers["content-language"] == "en" and '<html lang="en">' in english.text


def test_localise_walks_dataclasses_models_and_containers():
    from dataclasses import dataclass

    from pydantic import BaseModel

    from graph.read.labels import Labels

    @dataclass(frozen=True)
    class Ref:
        iri: str
        label: str

    @dataclass(frozen=True)
    class Row:
        target: Ref
        refs: tuple[Ref, ...]
        note: str = ""

    class Model(BaseModel):
        iri: str
        label: str
        rows: list[Row]

    known = Labels({"a": {"ru": "А"}, "b": {"zh-Hans": "乙"}})
    value = Model(iri="b", label="B", rows=[Row(Ref("a", "A"), (Ref("b", "B"), Ref("c", "C")))])
    ru = known.localise(value, "ru")
    assert ru.label == "B" and ru.rows[0].target.label == "А" and [r.label for r in ru.rows[0].refs] == ["B", "C"]
    assert value.rows[0].target.label == "A", "the original is left as it was"
    zh = known.localise(value, "zh-Hans")
    assert zh.label == "乙" and zh.rows[0].refs[0].label == "乙" and zh.rows[0].target is value.rows[0].target
    assert known.localise(value, "en") is value


@pytest.mark.parametrize(("url", "name"), [("/view/timeline?lang=zh-Hans", "中国"),
                                           ("/view/stances/matrix?lang=zh-Hans", "中国"),
                                           ("/view/stances/matrix?a=russia&b=china&lang=ru", "Китай"),
                                           ("/api/v1/timeline?lang=ru", "Китай")])
def test_timeline_and_matrix_name_entities_in_the_language(client, url, name):
    r = client.get(url)
    assert r.status_code == 200 and name in r.text
