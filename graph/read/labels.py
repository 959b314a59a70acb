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

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from .. import catalogue
from .. import namespaces as ns
from ..language import DEFAULT, LANGUAGES
from ..store import Store

T = TypeVar("T")

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

    def localise(self, value: T, language: str) -> T:
        """``value`` with the ``label`` of each object in it that has an ``iri`` in ``language`` where the graph
        has one. Objects are dataclasses or pydantic models, in lists, tuples and dicts, at any depth; what
        changes is copied (frozen dataclasses too), what does not is returned as it is (always for English)."""
        if language == DEFAULT or not self.by_node:
            return value
        return self._walk(value, language)

    def _walk(self, value: Any, language: str) -> Any:
        if isinstance(value, BaseModel):
            names: list[str] = list(type(value).model_fields)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = [f.name for f in dataclasses.fields(value) if f.init]
        elif isinstance(value, list | tuple):
            items = [self._walk(v, language) for v in value]
            if all(a is b for a, b in zip(items, value, strict=True)):
                return value
            return items if isinstance(value, list) else type(value)(items)
        elif isinstance(value, dict):
            entries = {k: self._walk(v, language) for k, v in value.items()}
            return value if all(entries[k] is value[k] for k in value) else entries
        else:
            return value
        changes = {}
        for name in names:
            item = getattr(value, name)
            new = self._walk(item, language)
            if new is not item:
                changes[name] = new
        iri, label = getattr(value, "iri", None), getattr(value, "label", None)
        if isinstance(iri, str) and isinstance(label, str) and "label" in names:
            chosen = self.pick(iri, language, label)
            if chosen != label:
                changes["label"] = chosen
        if not changes:
            return value
        if isinstance(value, BaseModel):
            return value.model_copy(update=changes)
        return dataclasses.replace(value, **changes)


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
