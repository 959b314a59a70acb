"""Words of a search: how a query is cut into words (never FTS5 syntax), and how a match is highlighted.

A word is a run of letters and digits, compared without case and diacritics ("Harbín" is "harbin"),
as the index's tokenizer (``unicode61 remove_diacritics 2``) compares them. Chinese is written without
spaces, so each Han character is a word of its own, in the index (:func:`index_text`) as in a query:
"普京" finds "弗拉基米尔·普京" and "联邦" finds "俄罗斯联邦". Everything else in a query
(quotes, ``*``, ``-``, parentheses) only separates words, and words such as ``OR`` or ``NEAR`` are
searched as words: :attr:`ParsedQuery.match` quotes each one. Highlighting returns :class:`Part` lists
(text, is_match), never markup, so whoever shows them escapes them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from ..errors import SrkgError

#: the longest query accepted, in characters, and the most words it may have
MAX_QUERY_CHARS = 200
MAX_TERMS = 12
#: how many characters of a passage a snippet shows around its first match
SNIPPET_CHARS = 240
#: the Han ideographs: the CJK Unified Ideographs, their extensions A to F, and the compatibility ideographs
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_HAN_CHAR = re.compile(f"[{_HAN}]")
_WORD = re.compile(f"[{_HAN}]|(?:(?![{_HAN}])[^\\W_])+")


class SearchQueryError(SrkgError):
    """A search query that cannot be run: empty, oversized, or with a bad kind, limit or offset."""


class Part(NamedTuple):
    """A piece of highlighted text: ``match`` is True where it matches a word of the query."""

    text: str
    match: bool


def fold(text: str) -> str:
    """``text`` without diacritics and case, as the tokenizer compares words."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The words of ``text``, folded: runs of letters and digits (everything else separates words)."""
    return _WORD.findall(fold(text))


def index_text(text: str) -> str:
    """``text`` as the index's tokenizer must see it: each Han character set apart by spaces, so that it is
    a word of its own (the tokenizer would take a run of them as one word)."""
    return _HAN_CHAR.sub(r" \g<0> ", text)


def name_key(text: str) -> str:
    """A name or a query as its words separated by one space, to compare exactly or as a prefix."""
    return " ".join(words(text))


@dataclass(frozen=True)
class ParsedQuery:
    """A query cut into words; :attr:`match` is the FTS5 expression (each word quoted, all required)."""

    text: str
    terms: tuple[str, ...]
    prefix: bool  # the last word also matches the words it begins

    @property
    def key(self) -> str:
        return " ".join(self.terms)

    @property
    def match(self) -> str:
        quoted = [f'"{t}"' for t in self.terms]  # a word is letters and digits only: nothing to escape
        if self.prefix:
            quoted[-1] += "*"
        return " ".join(quoted)

    def matches(self, word: str) -> bool:
        """Whether ``word`` (folded) is a word of the query, or begins with the last one when it is a prefix."""
        return word in self.terms or (self.prefix and word.startswith(self.terms[-1]))


def parse_query(q: str, *, prefix: bool = True) -> ParsedQuery:
    """The words of the user's query ``q``; SearchQueryError if it has none, or too many characters or words.

    With ``prefix`` the last word also matches the words it begins (results as you type), unless the
    query ends with a space or that word is a single character."""
    if len(q) > MAX_QUERY_CHARS:
        raise SearchQueryError(f"the query is {len(q)} characters long; the most is {MAX_QUERY_CHARS}")
    terms = words(q)
    if not terms:
        raise SearchQueryError("the query has no words to search for: type a name or a word of the text")
    if len(terms) > MAX_TERMS:
        raise SearchQueryError(f"the query has {len(terms)} words; the most is {MAX_TERMS}")
    complete = q[-1:].isspace() or len(terms[-1]) < 2
    return ParsedQuery(q, tuple(terms), prefix and not complete)


def highlight(text: str, query: ParsedQuery) -> list[Part]:
    """``text`` cut into parts, each word that matches ``query`` a part of its own with ``match`` True."""
    parts: list[Part] = []
    pos = 0
    for m in _WORD.finditer(text):
        if query.matches(fold(m.group())):
            if m.start() > pos:
                parts.append(Part(text[pos:m.start()], False))
            parts.append(Part(m.group(), True))
            pos = m.end()
    if pos < len(text) or not parts:
        parts.append(Part(text[pos:], False))
    return parts


def snippet(text: str, query: ParsedQuery, width: int = SNIPPET_CHARS) -> list[Part]:
    """The highlighted parts of at most about ``width`` characters of ``text`` around its first match, cut at
    spaces, with "…" where it was cut."""
    if len(text) <= width:
        return highlight(text, query)
    first = next((m.start() for m in _WORD.finditer(text) if query.matches(fold(m.group()))), 0)
    start = max(0, min(first - width // 3, len(text) - width))
    end = start + width
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    parts = highlight(text[start:end].strip(), query)
    return ([Part("… ", False)] if start > 0 else []) + parts + ([Part(" …", False)] if end < len(text) else [])
