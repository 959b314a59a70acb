"""A node's labels in the languages other than English, so that pages, views and the REST API can speak
the reader's language.

The English labels come with the projection (:mod:`graph.read.projection`);
this reads the others once per store state with the catalogue query
``labels/other-languages``, and :meth:`Labels.pick` chooses one, falling
back to the English label it is given. A node with two labels in one
language shows its ``rdfs:label`` before its ``skos:prefLabel``, then the
first in code-point order, so the choice never depends on the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import catalogue
from .. import namespaces as ns
from ..language import DEFAULT, LANGUAGES
from ..store import Store

#: stores lower-case language tags (RDF 1.1 compares them without case): each back to its spelling here
_CANONICAL = {tag.lower(): tag for tag in LANGUAGES}


@dataclass(frozen=True)
class Labels:
    """Each node's label per language tag (``ru``, ``zh-Hans``); English is not kept here."""

    by_node: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def pick(self, iri: str, language: str, english: str) -> str:
        """The label of ``iri`` in ``language``, or ``english`` (its English label) when it has none."""
        if language == DEFAULT:
            return english
        return self.by_node.get(iri, {}).get(language, english)

    def has(self, iri: str, language: str) -> bool:
        """Whether ``iri`` has a label of its own in ``language`` (English is assumed)."""
        return language == DEFAULT or language in self.by_node.get(iri, {})


def read_labels(store: Store) -> Labels:
    """The labels in other languages than English of every entity of ``store``."""
    found: dict[str, dict[str, tuple[int, str]]] = {}
    for row in store.select(catalogue.text("labels/other-languages")):
        language = _CANONICAL.get(str(row["language"]).lower())
        if language is None:  # a language srkg does not offer, or a transliteration (zh-Latn-pinyin)
            continue
        rank = (0 if str(row["property"]) == ns.RDFS + "label" else 1, str(row["label"]))
        labels = found.setdefault(str(row["node"]), {})
        if language not in labels or rank < labels[language]:
            labels[language] = rank
    return Labels({node: {lang: label for lang, (_, label) in labels.items()} for node, labels in found.items()})
