"""Synthetic corpora: reproducible data folders of any size, for load tests and benchmarks.

:func:`synthesise` writes a data folder in srkg's layout (``reference/*.ttl``
and ``sources/<slug>/{source.ttl,text.txt,facts.ttl}``) that follows the
ontology and passes every build check and SHACL shape: each document is a
brief with authors, a publisher and a date; it reports an event with dates,
host, guest and place; stances of actors on policies, initiatives and other
actors; agreements with their parties; the authors' hedged assessments; all
tagged with themes and each grounded by ``srkg:quote`` in a sentence of the
generated text. Actors come from a fixed, realistic pool of states, leaders,
ministries, corporations and international organisations.

A built document weighs about a hundred triples (evidence and entailments
included), so 10,000 documents make about a million. The same ``seed`` and
``documents`` give byte-identical folders.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .errors import SrkgError

PREFIXES = """@prefix id:      <https://w3id.org/srkg/id/> .
@prefix srkg:    <https://w3id.org/srkg/ontology#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix sem:     <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

# ---------------------------------------------------------------------------
# The reference pool: (slug, label, class, extra) tuples
# ---------------------------------------------------------------------------

STATES = [
    ("russia", "Russia"), ("china", "China"), ("united-states", "United States"), ("ukraine", "Ukraine"),
    ("india", "India"), ("kazakhstan", "Kazakhstan"), ("mongolia", "Mongolia"), ("north-korea", "North Korea"),
    ("iran", "Iran"), ("turkey", "Turkey"), ("germany", "Germany"), ("france", "France"), ("poland", "Poland"),
    ("japan", "Japan"), ("south-korea", "South Korea"), ("belarus", "Belarus"), ("uzbekistan", "Uzbekistan"),
    ("kyrgyzstan", "Kyrgyzstan"), ("tajikistan", "Tajikistan"), ("pakistan", "Pakistan"), ("vietnam", "Vietnam"),
    ("brazil", "Brazil"), ("south-africa", "South Africa"), ("saudi-arabia", "Saudi Arabia"), ("serbia", "Serbia"),
    ("hungary", "Hungary"), ("united-kingdom", "United Kingdom"), ("finland", "Finland"), ("sweden", "Sweden"),
    ("georgia", "Georgia"), ("armenia", "Armenia"), ("azerbaijan", "Azerbaijan"),
]
INTERNATIONAL = [
    ("sco", "Shanghai Cooperation Organisation"), ("brics", "BRICS"), ("eu", "European Union"), ("nato", "NATO"),
    ("united-nations", "United Nations"), ("asean", "ASEAN"), ("eaeu", "Eurasian Economic Union"),
    ("csto", "Collective Security Treaty Organization"), ("g20", "G20"), ("opec-plus", "OPEC+"),
]
ORGANISATIONS = [  # (slug, label, class, state)
    ("gazprom", "Gazprom", "StateOwnedCorporation", "russia"),
    ("rosatom", "Rosatom", "StateOwnedCorporation", "russia"),
    ("rosneft", "Rosneft", "StateOwnedCorporation", "russia"),
    ("cnpc", "China National Petroleum Corporation", "StateOwnedCorporation", "china"),
    ("sinopec", "Sinopec", "StateOwnedCorporation", "china"),
    ("cosco", "COSCO Shipping", "StateOwnedCorporation", "china"),
    ("russian-railways", "Russian Railways", "StateOwnedCorporation", "russia"),
    ("russian-mfa", "Ministry of Foreign Affairs of Russia", "Ministry", "russia"),
    ("chinese-mfa", "Ministry of Foreign Affairs of China", "Ministry", "china"),
    ("russian-mod", "Ministry of Defence of Russia", "Ministry", "russia"),
    ("chinese-mnd", "Ministry of National Defense of China", "Ministry", "china"),
    ("mofcom", "Ministry of Commerce of China", "Ministry", "china"),
    ("russian-ministry-economy", "Ministry of Economic Development of Russia", "Ministry", "russia"),
    ("pla", "People's Liberation Army", "Government", "china"),
    ("xinhua", "Xinhua", "MediaOrganisation", "china"),
    ("tass", "TASS", "MediaOrganisation", "russia"),
]
THINK_TANKS = [
    ("pism", "Polish Institute of International Affairs"), ("osw", "Centre for Eastern Studies"),
    ("merics", "Mercator Institute for China Studies"), ("carnegie", "Carnegie Endowment for International Peace"),
    ("iiss", "International Institute for Strategic Studies"),
    ("sipri", "Stockholm International Peace Research Institute"),
    ("ecfr", "European Council on Foreign Relations"), ("chatham-house", "Chatham House"),
    ("ifri", "French Institute of International Relations"), ("fiia", "Finnish Institute of International Affairs"),
]
LEADERS = [  # (slug, name, state)
    ("vladimir-putin", "Vladimir Putin", "russia"), ("xi-jinping", "Xi Jinping", "china"),
    ("sergey-lavrov", "Sergey Lavrov", "russia"), ("wang-yi", "Wang Yi", "china"),
    ("mikhail-mishustin", "Mikhail Mishustin", "russia"), ("li-qiang", "Li Qiang", "china"),
    ("andrei-belousov", "Andrei Belousov", "russia"), ("dong-jun", "Dong Jun", "china"),
    ("sergei-shoigu", "Sergei Shoigu", "russia"), ("li-shangfu", "Li Shangfu", "china"),
    ("dmitry-medvedev", "Dmitry Medvedev", "russia"), ("han-zheng", "Han Zheng", "china"),
    ("alexei-miller", "Alexei Miller", "russia"), ("igor-sechin", "Igor Sechin", "russia"),
    ("wang-wentao", "Wang Wentao", "china"), ("denis-manturov", "Denis Manturov", "russia"),
    ("narendra-modi", "Narendra Modi", "india"), ("kassym-jomart-tokayev", "Kassym-Jomart Tokayev", "kazakhstan"),
    ("alexander-lukashenko", "Alexander Lukashenko", "belarus"), ("kim-jong-un", "Kim Jong Un", "north-korea"),
    ("recep-tayyip-erdogan", "Recep Tayyip Erdoğan", "turkey"), ("viktor-orban", "Viktor Orbán", "hungary"),
    ("volodymyr-zelensky", "Volodymyr Zelensky", "ukraine"), ("olaf-scholz", "Olaf Scholz", "germany"),
    ("emmanuel-macron", "Emmanuel Macron", "france"), ("shavkat-mirziyoyev", "Shavkat Mirziyoyev", "uzbekistan"),
    ("ukhnaagiin-khurelsukh", "Ukhnaagiin Khürelsükh", "mongolia"), ("luiz-inacio-lula", "Luiz Inácio Lula da Silva",
                                                                      "brazil"),
]
CITIES = [  # (slug, label, state)
    ("moscow", "Moscow", "russia"), ("beijing", "Beijing", "china"), ("harbin", "Harbin", "china"),
    ("shanghai", "Shanghai", "china"), ("vladivostok", "Vladivostok", "russia"), ("st-petersburg", "St Petersburg",
                                                                                  "russia"),
    ("kazan", "Kazan", "russia"), ("astana", "Astana", "kazakhstan"), ("samarkand", "Samarkand", "uzbekistan"),
    ("tianjin", "Tianjin", "china"), ("khabarovsk", "Khabarovsk", "russia"), ("urumqi", "Ürümqi", "china"),
    ("new-delhi", "New Delhi", "india"), ("minsk", "Minsk", "belarus"), ("ulaanbaatar", "Ulaanbaatar", "mongolia"),
    ("bishkek", "Bishkek", "kyrgyzstan"), ("dushanbe", "Dushanbe", "tajikistan"), ("johannesburg", "Johannesburg",
                                                                                   "south-africa"),
]
THEMES = [  # (slug, label, broader)
    ("security", "security", None), ("economy", "economy", None), ("diplomacy", "diplomacy", None),
    ("world-order", "world order", None), ("energy", "energy", "economy"), ("trade", "trade", "economy"),
    ("finance", "finance", "economy"), ("technology", "technology", "economy"),
    ("war-in-ukraine", "war in Ukraine", "security"), ("arms-control", "arms control", "security"),
    ("military-cooperation", "military cooperation", "security"), ("arctic", "the Arctic", "world-order"),
    ("central-asia", "Central Asia", "world-order"), ("culture", "culture", "diplomacy"),
]
PROPOSITIONS = [  # (slug, label, class, theme, proposed by)
    ("belt-and-road-initiative", "the Belt and Road Initiative", "Initiative", "economy", "china"),
    ("global-security-initiative", "the Global Security Initiative", "Initiative", "security", "china"),
    ("global-development-initiative", "the Global Development Initiative", "Initiative", "economy", "china"),
    ("nato-expansion", "the expansion of NATO", "Policy", "security", None),
    ("western-sanctions", "Western sanctions against Russia", "Policy", "finance", None),
    ("export-controls", "export controls on dual-use goods", "Policy", "technology", None),
    ("de-dollarisation", "settling trade in national currencies", "Policy", "finance", None),
    ("power-of-siberia-2", "the Power of Siberia 2 pipeline", "CooperationArea", "energy", None),
    ("northern-sea-route", "shipping on the Northern Sea Route", "CooperationArea", "arctic", None),
    ("nuclear-energy", "cooperation on nuclear energy", "CooperationArea", "energy", None),
    ("artificial-intelligence", "cooperation on artificial intelligence", "CooperationArea", "technology", None),
    ("joint-patrols", "joint naval and air patrols", "CooperationArea", "military-cooperation", None),
    ("multipolar-order", "a multipolar world order", "Goal", "world-order", None),
    ("indivisible-security", "the indivisibility of security", "Principle", "security", None),
    ("non-interference", "non-interference in internal affairs", "Principle", "world-order", None),
    ("peace-talks-ukraine", "peace talks on Ukraine on Russia's terms", "Proposal", "war-in-ukraine", None),
    ("twelve-point-plan", "China's twelve-point position on the war in Ukraine", "Proposal", "war-in-ukraine",
     "china"),
    ("missile-defence", "missile defence deployments in Asia", "Policy", "arms-control", None),
    ("taiwan-claim", "China's claim to Taiwan", "Claim", "world-order", "china"),
    ("brics-enlargement", "the enlargement of BRICS", "Goal", "world-order", None),
]
FIRST_NAMES = ["Anna", "Marek", "Ewa", "Jakub", "Katarzyna", "Tomasz", "Elena", "Lukas", "Sofia", "Jonas",
               "Marta", "Pierre", "Claire", "Mikko", "Aino", "James", "Sarah", "Chen", "Mei", "Olga", "Pavel",
               "Ingrid", "Karl", "Laura", "Daniel"]
LAST_NAMES = ["Nowak", "Kowalska", "Schmidt", "Virtanen", "Dubois", "Lindqvist", "Novak", "Horvath", "Walsh",
              "Fischer", "Rossi", "Berg", "Kaminski", "Laine", "Moreau", "Evans", "Wang", "Zhou", "Petrova",
              "Sokolov"]
SERIES = ["Spotlight", "Bulletin", "Commentary", "Policy Paper", "Analysis", "Brief"]

EVENT_KINDS = [  # (class, noun, verb phrase)
    ("StateVisit", "state visit", "made a state visit to"),
    ("Talks", "talks", "held talks in"),
    ("Summit", "summit", "attended a summit in"),
    ("MilitaryExercise", "joint military exercise", "observed a joint military exercise near"),
    ("Dinner", "working dinner", "hosted a working dinner in"),
]
POLARITY = {"Supports": ("supports", "backed"), "Opposes": ("opposes", "rejected"),
            "CommitsTo": ("commits to", "committed itself to")}
HEDGES = [("Possible", "may"), ("Expected", "is likely to"), ("Presumed", "presumably will")]
ASSESSMENT_CLAIMS = [
    "deepen {a}'s dependence on {b} in {theme}",
    "strengthen the position of {a} towards {b} on questions of {theme}",
    "increase the pressure on {b} in matters of {theme}",
    "make {a} a junior partner of {b} in {theme}",
    "weaken Western influence over {b} in {theme}",
]
FILLER = [
    "The talks took place against the background of the war in Ukraine and tightening Western sanctions.",
    "Neither side published the full text of the documents signed.",
    "Trade between the two countries reached a record level in the previous year.",
    "Observers noted the absence of any reference to the conflict in the final communiqué.",
    "The meeting was prepared over several months by the foreign ministries of both sides.",
    "Both delegations stressed the long history of their relations.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _en(s: str) -> str:
    return _lit(s) + "@en"


def _day(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def analysts() -> list[tuple[str, str]]:
    """The pool of authors: (slug, name), the same for every seed."""
    out = []
    for i, first in enumerate(FIRST_NAMES):
        for j, last in enumerate(LAST_NAMES):
            if (i + j) % 3 == 0:
                out.append((f"{first}-{last}".lower(), f"{first} {last}"))
    return out


# ---------------------------------------------------------------------------
# Reference files
# ---------------------------------------------------------------------------

def reference_files() -> dict[str, str]:
    """The reference graph of every synthetic corpus: file name → Turtle."""
    states = [f"id:{s} a srkg:State ;\n    rdfs:label {_en(label)} .\n" for s, label in STATES]
    states += [f"id:{s} a srkg:InternationalOrganisation ;\n    rdfs:label {_en(label)} .\n"
               for s, label in INTERNATIONAL]
    orgs = [f"id:{s} a srkg:{cls} ;\n    rdfs:label {_en(label)} ;\n    srkg:locatedIn id:{state} .\n"
            for s, label, cls, state in ORGANISATIONS]
    orgs += [f"id:{s} a srkg:ThinkTank ;\n    rdfs:label {_en(label)} .\n" for s, label in THINK_TANKS]
    people = [f"id:{s} a srkg:Person ;\n    rdfs:label {_en(name)} ;\n    foaf:name {_lit(name)} ;\n"
              f"    srkg:memberOf id:{state} .\n" for s, name, state in LEADERS]
    people += [f"id:{s} a srkg:Person ;\n    rdfs:label {_en(name)} ;\n    foaf:name {_lit(name)} .\n"
               for s, name in analysts()]
    places = [f"id:{s} a srkg:City ;\n    rdfs:label {_en(label)} ;\n    srkg:locatedIn id:{state} .\n"
              for s, label, state in CITIES]
    themes = ["id:synth-themes a skos:ConceptScheme ;\n    rdfs:label \"srkg themes (synthetic corpus)\"@en .\n"]
    for s, label, broader in THEMES:
        rel = f"skos:broader id:theme-{broader}" if broader else "skos:topConceptOf id:synth-themes"
        themes.append(f"id:theme-{s} a srkg:Theme ;\n    skos:prefLabel {_en(label)} ; rdfs:label {_en(label)} ;\n"
                      f"    skos:inScheme id:synth-themes ; {rel} .\n")
    props = []
    for s, label, cls, theme, by in PROPOSITIONS:
        extra = f" ;\n    srkg:proposedBy id:{by}" if by else ""
        props.append(f"id:{s} a srkg:{cls} ;\n    rdfs:label {_en(label)} ;\n"
                     f"    srkg:theme id:theme-{theme}{extra} .\n")
    header = "# Generated by `srkg synth`: the reference pool of a synthetic corpus.\n" + PREFIXES + "\n"
    return {name: header + "\n".join(body) for name, body in [
        ("states.ttl", states), ("organisations.ttl", orgs), ("people.ttl", people), ("places.ttl", places),
        ("themes.ttl", themes), ("propositions.ttl", props)]}


# ---------------------------------------------------------------------------
# One document
# ---------------------------------------------------------------------------

@dataclass
class Document:
    """One synthetic source: its folder name and the three files in it."""

    slug: str
    source_ttl: str
    facts_ttl: str
    text: str


class _Writer:
    """Collects the sentences of a text and the Turtle that quotes them."""

    def __init__(self) -> None:
        self.paragraphs: list[list[str]] = [[]]
        self.quotes: list[str] = []

    def say(self, sentence: str, *, quoted: bool = True) -> str:
        self.paragraphs[-1].append(sentence)
        if quoted:
            self.quotes.append(sentence)
        return sentence

    def paragraph(self) -> None:
        if self.paragraphs[-1]:
            self.paragraphs.append([])

    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs if p) + "\n"


def _actor_label(slug: str) -> str:
    for pool in (STATES, INTERNATIONAL):
        for s, label in pool:
            if s == slug:
                return label
    raise KeyError(slug)


def document(seed: int, number: int) -> Document:
    """Document ``number`` of the corpus of ``seed``; the same arguments give the same document."""
    rng = random.Random(f"srkg-synth:{seed}:{number}")
    slug = f"synth-{number:06d}"
    local = f"https://w3id.org/srkg/id/{slug}/"
    w = _Writer()
    published = date(2014, 1, 1) + timedelta(days=rng.randrange(0, 12 * 365))
    think_tank = rng.choice(THINK_TANKS)
    authors = rng.sample(analysts(), rng.choice([1, 1, 2]))
    series = rng.choice(SERIES)
    series_number = f"{number % 97 + 1}/{published.year}"
    a, b = ("russia", "china") if rng.random() < 0.7 else tuple(rng.sample([s for s, _ in STATES], 2))
    theme = rng.choice(THEMES)
    kind_cls, kind_noun, kind_verb = rng.choice(EVENT_KINDS)
    city = rng.choice([c for c in CITIES if c[2] in (a, b)] or CITIES)
    guest = rng.choice([p for p in LEADERS if p[2] == (a if city[2] == b else b)] or LEADERS)
    start = published - timedelta(days=rng.randrange(3, 60))
    end = start + timedelta(days=rng.randrange(0, 3))
    title = f"{_actor_label(a)} and {_actor_label(b)}: {theme[1].capitalize()} after the {kind_noun} in {city[1]}"

    # -- the text and the facts that quote it
    w.say(f"{think_tank[1]} {series} No. {series_number}, {_day(published)}.", quoted=False)
    w.paragraph()
    w.say(title)
    w.paragraph()
    w.say(", ".join(n for _, n in authors), quoted=False)
    w.paragraph()
    facts: list[str] = []
    event = f"<{local}event>"
    same_month = (start.year, start.month) == (end.year, end.month)
    dates = _day(start) if start == end else f"{start.day if same_month else _day(start)}–{_day(end)}"
    sentence = w.say(f"{guest[1]} {kind_verb} {city[1]} on {dates}, hosted by {_actor_label(city[2])}.")
    facts.append(
        f"{event} a srkg:{kind_cls} ;\n"
        f"    rdfs:label {_en(f'{guest[1]} at the {kind_noun} in {city[1]}, {start.year}')} ;\n"
        f"    srkg:guest id:{guest[0]} ;\n    srkg:host id:{city[2]} ;\n    srkg:destination id:{city[0]} ;\n"
        f"    sem:hasBeginTimeStamp \"{start.isoformat()}\"^^xsd:date ;\n"
        f"    sem:hasEndTimeStamp \"{end.isoformat()}\"^^xsd:date ;\n"
        f"    srkg:status srkg:Occurred ;\n    srkg:theme id:theme-{theme[0]} ;\n    srkg:quote {_lit(sentence)} .\n")
    w.say(rng.choice(FILLER), quoted=False)

    stated: set[tuple[str, str, str, bool]] = set()
    for k in range(rng.choice([1, 1, 1, 2])):
        holder = rng.choice([a, b])
        target = rng.choice(PROPOSITIONS)
        polarity = rng.choice(list(POLARITY))
        attributed = rng.random() < 0.3
        while (holder, polarity, target[0], attributed) in stated:  # a source states one stance once
            target = rng.choice(PROPOSITIONS)
        stated.add((holder, polarity, target[0], attributed))
        verb = POLARITY[polarity][1]
        if attributed:
            sentence = w.say(f"In the view of {_actor_label(holder)}, it {verb} {target[1]} at the {kind_noun} "
                             f"(statement {k + 1}).")
        else:
            sentence = w.say(f"{_actor_label(holder)} {verb} {target[1]} during the {kind_noun} "
                             f"(statement {k + 1}).")
        hedge = "    srkg:hedging srkg:Presumed ;\n" if attributed else ""
        facts.append(
            f"<{local}stance-{k + 1}> a srkg:Stance ;\n"
            f"    rdfs:label {_en(f'{_actor_label(holder)} {POLARITY[polarity][0]} {target[1]}')} ;\n"
            f"    srkg:holder id:{holder} ;\n    srkg:polarity srkg:{polarity} ;\n    srkg:target id:{target[0]} ;\n"
            f"    srkg:attribution srkg:{'ActorAttributed' if attributed else 'ReportedFact'} ;\n{hedge}"
            f"    srkg:expressedIn {event} ;\n    srkg:theme id:theme-{target[3]} ;\n"
            f"    srkg:quote {_lit(sentence)} .\n")
    w.paragraph()

    if rng.random() < 0.35:
        area = rng.choice([p for p in PROPOSITIONS if p[2] == "CooperationArea"])
        sentence = w.say(f"During the {kind_noun}, {_actor_label(a)} and {_actor_label(b)} signed an agreement "
                         f"on {area[1].removeprefix('cooperation on ')}.")
        facts.append(
            f"<{local}agreement> a srkg:Agreement ;\n"
            f"    rdfs:label {_en(f'Agreement between {_actor_label(a)} and {_actor_label(b)} on {area[1]}')} ;\n"
            f"    srkg:party id:{a} , id:{b} ;\n    srkg:concludedDuring {event} ;\n"
            f"    srkg:theme id:theme-{area[3]} ;\n    srkg:quote {_lit(sentence)} .\n")
        w.say(rng.choice([f for f in FILLER if f not in w.paragraphs[-1]]), quoted=False)

    if rng.random() < 0.3:
        hedging, cue = rng.choice(HEDGES)
        claim = f"The {kind_noun} {cue} " + rng.choice(ASSESSMENT_CLAIMS).format(
            a=_actor_label(a), b=_actor_label(b), theme=theme[1]) + "."
        w.paragraph()
        sentence = w.say(claim)
        facts.append(
            f"<{local}assessment> a srkg:Assessment ;\n    rdfs:label {_en(claim.rstrip('.'))} ;\n"
            f"    srkg:claim {_lit(claim)} ;\n    srkg:attribution srkg:AuthorInference ;\n"
            f"    srkg:hedging srkg:{hedging} ;\n"
            f"    srkg:cue {_lit(cue.split()[0] if hedging != 'Expected' else 'likely')} ;\n"
            f"    prov:wasAttributedTo {' , '.join(f'id:{s}' for s, _ in authors)} ;\n"
            f"    srkg:theme id:theme-{theme[0]} ;\n    srkg:quote {_lit(sentence)} .\n")

    text = w.text()
    for q in w.quotes:  # every quote occurs exactly once, or the build would reject it
        if text.count(q) != 1:
            raise AssertionError(f"synthetic quote {q!r} occurs {text.count(q)} times in {slug}")
    source_ttl = (
        f"# Generated by `srkg synth` (seed {seed}, document {number}).\n{PREFIXES}\n"
        f"<https://w3id.org/srkg/id/source/{slug}> a srkg:SourceDocument ;\n"
        f"    rdfs:label {_en(title)} ;\n    dcterms:title {_en(title)} ;\n"
        f"    dcterms:creator {' , '.join(f'id:{s}' for s, _ in authors)} ;\n"
        f"    dcterms:publisher id:{think_tank[0]} ;\n    dcterms:date \"{published.isoformat()}\"^^xsd:date ;\n"
        f"    dcterms:language \"en\" ;\n    srkg:seriesTitle {_lit(think_tank[1] + ' ' + series)} ;\n"
        f"    srkg:seriesNumber {_lit(series_number)} ;\n    srkg:textFile \"text.txt\" ;\n"
        f"    srkg:quote {_lit(title)} .\n")
    facts_ttl = f"# Generated by `srkg synth` (seed {seed}, document {number}).\n{PREFIXES}\n" + "\n".join(facts)
    return Document(slug, source_ttl, facts_ttl, text)


def synthesise(out: Path, documents: int, seed: int = 0, *, force: bool = False,
               progress: Callable[[int], None] | None = None) -> int:
    """Write a corpus of ``documents`` documents into ``out``; returns the number of files written.

    ``out`` must be empty or absent, or ``force`` must be given to replace it.
    ``progress`` is called with 1 after each document.
    """
    if documents < 1:
        raise SrkgError("--documents must be at least 1")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SrkgError(f"{out} is not empty: choose an empty folder, or pass --force to replace it")
        shutil.rmtree(out)
    (out / "reference").mkdir(parents=True, exist_ok=True)
    files = 0
    for name, body in reference_files().items():
        (out / "reference" / name).write_text(body, encoding="utf-8")
        files += 1
    sources = out / "sources"
    for number in range(1, documents + 1):
        doc = document(seed, number)
        folder = sources / doc.slug
        folder.mkdir(parents=True)
        (folder / "source.ttl").write_text(doc.source_ttl, encoding="utf-8")
        (folder / "facts.ttl").write_text(doc.facts_ttl, encoding="utf-8")
        (folder / "text.txt").write_text(doc.text, encoding="utf-8")
        files += 3
        if progress:
            progress(1)
    return files
