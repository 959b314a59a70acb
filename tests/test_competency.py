"""Competency questions: each catalogue query under ``cq/`` answers its question
about PISM Spotlight No. 34/2024 with exactly the expected answer, against the
store built from the real data."""

from __future__ import annotations

import pytest

from graph import catalogue
from graph import namespaces as ns
from graph.settings import Settings
from graph.store.embedded import EmbeddedStore

ID = ns.ID
SRKG = ns.SRKG
SLUG = "pism-spotlight-2024-34"
SOURCE = ns.SOURCE_ID_PREFIX + SLUG


def run(store: EmbeddedStore, name: str, **bindings: object) -> list[dict[str, str | None]]:
    """Rows of catalogue query ``name`` with every value as a plain string (None if unbound)."""
    rows = store.select(catalogue.text(name, **bindings))
    return [{k: (None if v is None else str(v)) for k, v in r.items()} for r in rows]


def bound(value: str | None) -> str:
    """A value the query must bind (a failed assertion, rather than an AttributeError, if it does not)."""
    assert value is not None
    return value


def column(rows: list[dict[str, str | None]], *names: str) -> set:
    """The set of values (or tuples of values) of some columns."""
    if len(names) == 1:
        return {r.get(names[0]) for r in rows}
    return {tuple(r.get(n) for n in names) for r in rows}


def test_every_competency_question_is_catalogued_with_a_title() -> None:
    names = sorted(n for n in catalogue.load() if n.startswith("cq/"))
    assert [n.split("/")[1][:2] for n in names] == [f"{i:02d}" for i in range(1, 19)]
    for n in names:
        q = catalogue.get(n)
        assert q.title and q.title != n and q.description, n
        assert "PREFIX srkg:" in q.text, n


def test_cq01_source_documents(store: EmbeddedStore) -> None:
    rows = [r for r in run(store, "cq/01-source-documents") if r["source"] == SOURCE]
    assert rows == [{
        "source": SOURCE,
        "title": "Putin's Visit to China — Strengthening Strategic Cooperation",
        "series": "PISM Spotlight",
        "number": "34/2024",
        "date": "2024-05-21",
        "publisher": "Polish Institute of International Affairs",
        "authors": "Anna Maria Dyner; Marcin Przychodniak",
    }]


def test_cq02_visit_dates_host_and_cities(store: EmbeddedStore) -> None:
    rows = run(store, "cq/02-visit-when-host-cities")
    assert column(rows, "visit") == {ID + "putin-visit-china-2024"}
    assert column(rows, "begin", "end") == {("2024-05-16", "2024-05-17")}
    assert column(rows, "hostLabel") == {"China"}
    assert column(rows, "cityLabel") == {"Beijing", "Harbin"}


def test_cq03_first_foreign_trip_of_the_fifth_term(store: EmbeddedStore) -> None:
    rows = run(store, "cq/03-first-foreign-trip")
    assert len(rows) == 1
    r = rows[0]
    assert r["visit"] == ID + "putin-visit-china-2024"
    assert r["travellerLabel"] == "Vladimir Putin"
    assert r["event"] == ID + "putin-inauguration-2024"
    assert r["eventLabel"] == "Vladimir Putin's inauguration for a fifth term as Russian president"
    assert r["postLabel"] == "President of Russia"
    assert r["ordinal"] == "5"


def test_cq04_documents_of_the_visit_and_their_parties(store: EmbeddedStore) -> None:
    rows = run(store, "cq/04-documents-of-the-visit")
    parties: dict[str, set] = {}
    kinds: dict[str, str] = {}
    for r in rows:
        document = bound(r["documentLabel"])
        parties.setdefault(document, set())
        kinds[document] = bound(r["kind"])
        if r["partyLabel"]:
            parties[document].add(r["partyLabel"])
    media = {"Chinese media organisations (unnamed)", "Russian media organisations (unnamed)"}
    assert parties == {
        "Joint statement on the development of the Russia-China strategic partnership": {"Russia", "China"},
        "agreement on facilitating Russian beef exports to China": set(),
        "list of specific agreements revealed during Putin's visit": set(),
        "media cooperation agreement 1 of 3": media,
        "media cooperation agreement 2 of 3": media,
        "media cooperation agreement 3 of 3": media,
    }
    assert sorted(kinds.values()).count("agreement") == 4
    assert kinds["Joint statement on the development of the Russia-China strategic partnership"] == "joint statement"
    issuers = column([r for r in rows if r["issuerLabel"]], "issuerLabel")
    assert issuers == {"Vladimir Putin", "Xi Jinping"}


def test_cq05_joint_statement_cooperation_topics(store: EmbeddedStore) -> None:
    rows = run(store, "cq/05-joint-statement-cooperation")
    assert column(rows, "areaLabel") == {
        "coordination of military activities",
        "Sino-Russian financial cooperation",
        "nuclear energy cooperation",
        "artificial intelligence cooperation",
    }
    assert {frozenset(bound(r["holders"]).split("; ")) for r in rows} == {frozenset({"Russia", "China"})}


def test_cq06_positions_of_china_that_russia_supports(store: EmbeddedStore) -> None:
    rows = run(store, "cq/06-russia-supports-china")
    assert column(rows, "positionLabel", "holderLabel") == {
        ("Chinese claims in the South China Sea", "Russia"),
        ("Chinese claims against Taiwan", "Russia"),
        ("Chinese ideas to end the conflict", "Vladimir Putin"),
    }
    # Xi pointed to a new European security architecture; the brief does not say China proposed it.
    assert "construction of a new European security architecture" not in column(rows, "positionLabel")
    assert column(rows, "attribution") == {SRKG + "ReportedFact"}


def test_cq07_what_russia_and_china_jointly_oppose(store: EmbeddedStore) -> None:
    rows = run(store, "cq/07-jointly-opposed")
    # "will cooperate against U.S. interests" is the authors' expectation, not a reported position
    assert column(rows, "targetLabel", "quotes") == {
        ("expansion of NATO", "Russia and China also oppose the expansion of NATO")}


def test_cq08_principle_needed_to_end_the_war_and_russias_reading(store: EmbeddedStore) -> None:
    rows = run(store, "cq/08-principle-to-end-war")
    assert len(rows) == 1
    r = rows[0]
    assert r["principleLabel"] == "indivisibility of security"
    assert set(bound(r["holders"]).split("; ")) == {"Russia", "China"}
    assert r["interpreterLabel"] == "Russia"
    assert r["cue"] == "In Russia's view"
    assert r["meaning"] == ("An increase in the security of one country must not negatively affect other "
                            "countries, which is why Ukraine's membership of NATO is unacceptable.")


def test_cq09_economic_sectors_named(store: EmbeddedStore) -> None:
    rows = run(store, "cq/09-economic-sectors")
    assert column(rows, "sectorLabel") == {
        "energy", "nuclear energy", "raw materials", "banking", "finance",
        "automotive", "agriculture", "arms industry",
    }


def test_cq10_who_travelled_with_putin(store: EmbeddedStore) -> None:
    rows = run(store, "cq/10-travelled-with-putin")
    assert column(rows, "memberLabel", "kind", "postLabel") == {
        ("Russian ministers", "group", "Minister of the Russian government"),
        ("former Russian defence minister (unnamed)", "person", "Minister of Defence of Russia"),
        ("current Russian defence minister (unnamed)", "person", "Minister of Defence of Russia"),
        ("Russian governors", "group", "Governor of a Russian region"),
        ("heads of major Russian state-owned corporations", "group", None),
    }
    heads = [r for r in rows if bound(r["memberLabel"]).startswith("heads of")][0]
    assert set(bound(heads["sectors"]).split("; ")) == {"energy", "raw materials", "banking"}


def test_cq11_anniversary_and_cultural_years_opened(store: EmbeddedStore) -> None:
    rows = run(store, "cq/11-anniversary-and-cultural-years")
    assert column(rows, "eventLabel", "kind", "relation", "ordinal") == {
        ("Chinese year in Russia", "cultural year", "inaugurated", None),
        ("Russian year in China", "cultural year", "inaugurated", None),
        ("75th anniversary of the establishment of diplomatic relations between China and Russia",
         "anniversary", "part of the celebrations of", "75"),
    }
    anniversary = [r for r in rows if r["kind"] == "anniversary"][0]
    assert anniversary["commemoratesLabel"] == \
        "establishment of diplomatic relations between China and the Soviet Union"


def test_cq12_eu_member_states_on_trade_with_china(store: EmbeddedStore) -> None:
    rows = run(store, "cq/12-eu-states-on-china-trade")
    assert column(rows, "stateLabel", "polarityLabel", "targetLabel") == {
        ("Germany", "supports", "economic cooperation with China"),
        ("France", "supports", "economic cooperation with China"),
        ("Germany", "opposes", "the European Commission's tightening trade policy towards China"),
        ("Germany", "opposes", "EC anti-subsidy proceedings against Chinese electric vehicles"),
        ("Sweden", "opposes", "the European Commission's tightening trade policy towards China"),
        ("Sweden", "opposes", "EC anti-subsidy proceedings against Chinese electric vehicles"),
    }


def test_cq13_dated_events_in_chronological_order(store: EmbeddedStore) -> None:
    grounded = {str(r["e"]) for r in store.select(
        "SELECT DISTINCT ?e WHERE { ?e a srkg:Event ; srkg:evidence/oa:hasSource ?src }", src=SOURCE)}
    rows = [r for r in run(store, "cq/13-events-chronological") if r["event"] in grounded]
    assert [(r["event"], r["begin"], r["end"]) for r in rows] == [
        (ID + "establishment-russia-china-diplomatic-relations", "1949", None),
        (ID + "anniversary-75-russia-china-diplomatic-relations", "2024", None),
        (ID + "putin-xi-talks-tight-circle-2024", "2024-05-16", "2024-05-16"),
        (ID + "putin-xi-dinner-2024-05-16", "2024-05-16", "2024-05-16"),
        (ID + "putin-visit-china-2024", "2024-05-16", "2024-05-17"),
    ]


def test_cq14_every_stance_quote_is_the_source_text_at_its_offsets(store: EmbeddedStore,
                                                                   settings: Settings) -> None:
    text = (settings.data_dir / "sources" / SLUG / "text.txt").read_text(encoding="utf-8")
    rows = [r for r in run(store, "cq/14-stance-evidence") if r["source"] == SOURCE]
    stances = {str(r["s"]) for r in store.select(
        "SELECT ?s WHERE { GRAPH ?g { ?s a srkg:Stance } }", g=ns.source_graph(SLUG))}
    assert len(stances) >= 40
    assert column(rows, "stance") == stances  # every stance has evidence
    for r in rows:
        start, end = int(bound(r["start"])), int(bound(r["end"]))
        assert 0 <= start < end <= len(text)
        assert text[start:end] == r["exact"], r["stance"]
        assert r["evidence"] == f"{SOURCE}/evidence/{start}-{end}"


def test_cq14_one_stance_bound(store: EmbeddedStore) -> None:
    stance = f"{ID}{SLUG}/stance-russia-opposes-nato-expansion"
    rows = run(store, "cq/14-stance-evidence", stance=stance)
    assert column(rows, "holderLabel", "polarity", "exact") == {
        ("Russia", SRKG + "Opposes", "Russia and China also oppose the expansion of NATO")}


def test_cq15_authors_assessments_with_hedging(store: EmbeddedStore) -> None:
    rows = run(store, "cq/15-authors-assessments")
    by_label = {r["label"]: (r["kind"], r["hedgingLabel"]) for r in rows}
    assert by_label == {
        ("The visit confirmed the continuation of strategic cooperation, including China's support for Russian "
         "policies and Russia's war economy"): ("assessment", "certain"),
        ("The statement indicates that both countries will focus on building a new international order with the "
         "Global South"): ("assessment", "expected"),
        ("Developing cooperation with China is crucial for Russia, because both countries seek a new multipolar "
         "world order"): ("assessment", "certain"),
        ("The delegation's make-up indicates expanding economic cooperation in energy, automotive and "
         "agriculture"): ("assessment", "presumed"),
        ("The international situation is good for China, as Xi's visit to France and German, French and Swedish "
         "positions confirm"): ("assessment", "certain"),
        ("Possibly, in Xi's view, China's support for Russia matters less in EU-China "
         "relations"): ("assessment", "possible"),
        ("The frontline, U.S. aid, the NATO summit and the U.S. campaign increased Xi's willingness to talk to "
         "Putin"): ("assessment", "certain"),
        "The situation on the frontline may change after the unblocking of U.S. aid": ("assessment", "possible"),
        ("The tight-circle talks were presumably on China's support for Russia's war economy and actions towards "
         "the U.S. and the EU"): ("assessment", "presumed"),
        ("Russia and China will support each other's proposals to end the war, aiming to subordinate Ukraine to "
         "Russia"): ("assessment", "expected"),
        ("Expanded military and technological cooperation, including arms industries, is to be "
         "expected"): ("assessment", "expected"),
        "The effects of the visit confirm the maintenance of strategic cooperation": ("assessment", "certain"),
        ("The political dimension of the partnership is complemented by intensive working "
         "contacts"): ("assessment", "certain"),
        ("Nothing indicates that China is limiting its support for the Russian economy, including dual-use "
         "goods"): ("assessment", "presumed"),
        ("The declared military coordination and joint exercises may increase security risks for Western "
         "countries"): ("assessment", "possible"),
        ("The media agreements suggest that coordination on disinformation and manipulation is developing among "
         "European countries and the U.S."): ("assessment", "presumed"),
        ("That EU relations did not come up may confirm China's desire not to antagonise the "
         "EU"): ("assessment", "possible"),
        ("The tone of the talks leaves no doubt that China intends to help Russia and build a new world "
         "order"): ("assessment", "certain"),
        ("The EU should strengthen derisking and intensify sanctions on Chinese companies supporting "
         "Russia"): ("recommendation", "certain"),
        "China supports Russian policy towards the EU (the authors' conclusion)": ("stance", "certain"),
        "China supports Russian policy towards NATO (the authors' conclusion)": ("stance", "certain"),
        "China supports Russian policy towards Ukraine (the authors' conclusion)": ("stance", "certain"),
        "China supports Russia's war economy (the authors' conclusion)": ("stance", "certain"),
        ("Russia will promote the indivisibility of security internationally (the authors' "
         "expectation)"): ("stance", "expected"),
        ("China will promote the indivisibility of security internationally (the authors' "
         "expectation)"): ("stance", "expected"),
        ("Russia will support China by making proposals to end the war (the authors' "
         "expectation)"): ("stance", "expected"),
        ("China will support Russia by making proposals to end the war (the authors' "
         "expectation)"): ("stance", "expected"),
        "Russia will cooperate with China against U.S. interests (the authors' expectation)": ("stance", "expected"),
        "China will cooperate with Russia against U.S. interests (the authors' expectation)": ("stance", "expected"),
        "Russia seeks to shape a new multipolar world order (the authors' account)": ("stance", "certain"),
        "China seeks to shape a new multipolar world order (the authors' account)": ("stance", "certain"),
    }
    assert column(rows, "authors") == {"Anna Maria Dyner; Marcin Przychodniak"}
    cues = {r["label"]: set((r["cues"] or "").split("; ")) for r in rows}
    assert cues["The tone of the talks leaves no doubt that China intends to help Russia and build a new world "
                "order"] == {"leaves no doubt"}
    assert "presumably" in cues["The tight-circle talks were presumably on China's support for Russia's war economy "
                                "and actions towards the U.S. and the EU"]
    assert "is also to be expected" in cues["Expanded military and technological cooperation, including arms "
                                            "industries, is to be expected"]
    assert cues["Russia and China will support each other's proposals to end the war, aiming to subordinate Ukraine "
                "to Russia"] == {"will", "as evidenced by"}


def test_cq16_what_the_eu_should_do(store: EmbeddedStore) -> None:
    rows = run(store, "cq/16-what-eu-should-do")
    assert column(rows, "actionLabel") == {
        "strengthening EU derisking",
        "intensifying sanctions on Chinese companies for supporting Russia",
    }
    assert column(rows, "hedging") == {SRKG + "Certain"}
    assert column(rows, "cues") == {"implies the need"}


def test_cq17_inferred_facts_with_their_basis(store: EmbeddedStore) -> None:
    rows = run(store, "cq/17-inferred-facts")
    basis = {(bound(r["subject"]).removeprefix(ID), bound(r["predicate"]).rsplit("/", 1)[-1].rsplit("#", 1)[-1],
              r["object"]): r["basisLabel"] for r in rows}
    assert basis[("putin-visit-china-2024", "hasBeginTimeStamp", "2024-05-16")] == "from the source's date"
    assert basis[("putin-xi-dinner-2024-05-16", "hasBeginTimeStamp", "2024-05-16")] == "from the source's date"
    assert basis[("establishment-russia-china-diplomatic-relations", "hasBeginTimeStamp", "1949")] == \
        "reasoned from the text"
    assert basis[("xi-putin-closest-associates", "approximateSize", "8")] == "reasoned from the text"
    assert basis[("supply-of-dual-use-technology", "supplier", ID + "china")] == "presupposed"
    assert basis[("supply-of-dual-use-technology", "recipient", ID + "russia")] == "presupposed"
    assert basis[("russia-china-official-talks-2024", "subEventOf", ID + "putin-talks-beijing-2024")] == \
        "curator's reading"
    assert basis[("unblocking-of-us-aid-to-ukraine", "status", ns.SRKG + "Occurred")] == "presupposed"
    sections = [k for k, b in basis.items() if k[1] == "expressedIn" and b == "curator's reading"]
    assert len(sections) == 12  # stances placed at the visit or in the statement by the section they stand in
    assert basis[("establishment-russia-china-diplomatic-relations", "participant", ID + "soviet-union")] == \
        "world knowledge"
    assert basis[("germany", "memberOf", ID + "eu")] == "world knowledge"
    assert {r["basisLabel"] for r in rows} == {"from the source's date", "reasoned from the text", "presupposed",
                                              "curator's reading", "world knowledge"}
    assert all(r["reason"] for r in rows)
    world = [r for r in rows if r["basisLabel"] == "world knowledge"]
    assert world and all(r["reference"] and r["reference"].startswith(ns.WIKIDATA) for r in world)
    assert len(rows) == 45


def test_cq18_what_each_assessment_rests_on(store: EmbeddedStore) -> None:
    rows = run(store, "cq/18-assessment-premises")
    grounds: dict[str, set] = {}
    for r in rows:
        grounds.setdefault(bound(r["assertion"]).rsplit("/", 1)[-1], set()).add(
            (r["link"], bound(r["ground"]).rsplit("/", 1)[-1], r["groundLayer"]))
    assert grounds["assessment-visit-confirmed-strategic-cooperation"] == {
        ("premise", "putin-visit-china-2024", "fact"),
        ("includes", "stance-china-supports-russian-policy-eu", "AuthorInference"),
        ("includes", "stance-china-supports-russian-policy-nato", "AuthorInference"),
        ("includes", "stance-china-supports-russian-policy-ukraine", "AuthorInference"),
        ("includes", "stance-china-supports-russian-war-economy", "AuthorInference"),
    }
    assert grounds["assessment-proposals-aim-to-subordinate-ukraine"] == {
        ("premise", "stance-putin-supports-chinese-ideas", "ReportedFact"),
        ("includes", "stance-russia-mutual-support-proposals", "AuthorInference"),
        ("includes", "stance-china-mutual-support-proposals", "AuthorInference"),
    }
    assert grounds["assessment-international-situation-good-for-china"] == {
        ("premise", "xi-visit-france-2024", "fact"),
        ("premise", "stance-germany-ready-economic-cooperation-china", "ReportedFact"),
        ("premise", "stance-france-ready-economic-cooperation-china", "ReportedFact"),
        ("premise", "stance-germany-opposes-ec-trade-policy", "ReportedFact"),
        ("premise", "stance-sweden-opposes-ec-trade-policy", "ReportedFact"),
    }
    assert ("premise", "assessment-international-situation-good-for-china", "AuthorInference") in \
        grounds["assessment-xi-support-for-russia-waning"]
    assert ("premise", "assessment-china-intends-to-help-russia", "AuthorInference") in \
        grounds["recommendation-eu-derisking-and-sanctions"]
    assert ("premise", "media-cooperation-agreements", "fact") in \
        grounds["assessment-media-agreements-suggest-disinformation"]


@pytest.mark.parametrize("name", [f"cq/{n}" for n in (
    "02-visit-when-host-cities", "04-documents-of-the-visit", "10-travelled-with-putin",
    "11-anniversary-and-cultural-years", "12-eu-states-on-china-trade")])
def test_cq_rows_have_one_label_each(store: EmbeddedStore, name: str) -> None:
    """Alternative labels (skos:altLabel, entailed as rdfs:label) never multiply the answer rows."""
    rows = run(store, name)
    keys = [tuple(v for k, v in r.items() if not k.endswith("Label")) for r in rows]
    assert len(keys) == len(set(keys)), name
