"""A lexical scan of SPARQL text: the one tokeniser for every check or rewrite that must skip comments,
strings and IRIs (the service's network guard, the remote store's VALUES rewrite).

It does not parse SPARQL: it cuts the text into tokens of a few kinds, so that
a keyword inside a string or a comment is never taken for a keyword.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
  | (?P<pname>[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*?:[\w.\-%:\u00B7-\uFFFF]*|:[\w.\-%:\u00B7-\uFFFF]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>\S)
    """, re.VERBOSE | re.DOTALL)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

COMMENT, STRING, IRI, VAR, PNAME, WORD, OTHER = "comment", "string", "iri", "var", "pname", "word", "other"


@dataclass(frozen=True)
class Token:
    """One token: its kind (comment, string, iri, var, pname, word, other), its text and where it starts."""

    kind: str
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def upper(self) -> str:
        return self.text.upper()


def tokens(text: str, *, comments: bool = False) -> Iterator[Token]:
    """The tokens of ``text`` in order; comments only when asked for."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or OTHER
        if kind != COMMENT or comments:
            yield Token(kind, m.group(), m.start())


QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
#: the words of a prologue, which come before a query's form or an update's first operation
PROLOGUE_WORDS = frozenset({"BASE", "PREFIX", "VERSION"})


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the query form of ``text``, or None (an update, or not SPARQL)."""
    for t in tokens(text):
        if t.kind == WORD and t.upper not in PROLOGUE_WORDS:
            return t.upper if t.upper in QUERY_FORMS else None
    return None


_INTEGER = re.compile(r"\s*(\d+)")


def _outermost(text: str) -> Iterator[tuple[Token, Token | None]]:
    """The tokens of ``text`` outside every ``{ }`` group, each with the token before it (at any depth)."""
    depth, previous = 0, None
    for t in tokens(text):
        if t.kind == OTHER and t.text in "{}":
            depth += 1 if t.text == "{" else -1
        elif depth == 0:
            yield t, previous
        previous = t


@functools.lru_cache(maxsize=1024)  # asked of every query a store serialises; clients repeat their queries
def top_level_limit(text: str) -> int | None:
    """The ``LIMIT`` of the query as a whole (outside every group: not a subquery's), or None."""
    limit = None
    for t, _ in _outermost(text):
        if t.kind == WORD and t.upper == "LIMIT":
            found = _INTEGER.match(text, t.end)
            limit = int(found[1]) if found else None
    return limit


def has_escapes(text: str) -> bool:
    """Whether ``text`` holds ``\\u`` or ``\\U`` escapes, which SPARQL decodes before it tokenises."""
    return _ESCAPE.search(text) is not None


def decode_escapes(text: str) -> str:
    """``text`` with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded, as a SPARQL parser first does."""
    def repl(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)
    return _ESCAPE.sub(repl, text)


def inline_values(sparql: str) -> str:
    """Move a trailing ``VALUES`` block (what :func:`graph.catalogue.bind` appends) to the end of the WHERE group.

    The two mean the same (a join with the whole pattern), but some servers
    (Virtuoso 7) apply a trailing block after the projection and fail when it
    binds a variable the query does not select. A query with no trailing
    block, or no WHERE group, is returned unchanged.
    """
    groups: list[tuple[int, int]] = []  # top-level { … } spans: offsets of "{" and "}"
    keywords: list[tuple[int, str]] = []  # top-level WHERE / VALUES
    depth, opened = 0, 0
    for t in tokens(sparql):
        if t.kind == OTHER and t.text == "{":
            if depth == 0:
                opened = t.start
            depth += 1
        elif t.kind == OTHER and t.text == "}":
            depth -= 1
            if depth == 0:
                groups.append((opened, t.start))
        elif depth == 0 and t.kind == WORD and t.upper in ("WHERE", "VALUES"):
            keywords.append((t.start, t.upper))
    if len(groups) < 2 or depth != 0 or not keywords or keywords[-1][1] != "VALUES":
        return sparql
    values_at = keywords[-1][0]
    if not groups[-1][0] > values_at > groups[-2][1] or sparql[groups[-1][1] + 1:].strip():
        return sparql  # the last VALUES is not the query's trailing block
    where = [at for at, word in keywords if word == "WHERE"]
    body = next((g for g in groups if not where or g[0] > where[0]), None)
    if body is None or body is groups[-1]:
        return sparql
    block = sparql[values_at:].strip()
    return f"{sparql[:body[1]]}\n  {block}\n{sparql[body[1]:values_at].rstrip()}\n"


def with_using(update: str, default_graphs: list[str], named_graphs: list[str]) -> str:
    """``update`` as if ``USING <g>`` for each of ``default_graphs`` and ``USING NAMED <g>`` for each of
    ``named_graphs`` were written in each of its operations that has a WHERE clause: what the protocol's
    ``using-graph-uri`` and ``using-named-graph-uri`` mean. ``DELETE WHERE``, which takes no USING clause,
    and operations without a WHERE clause are left as they are."""
    clause = "".join(f"USING <{g}> " for g in default_graphs) + "".join(f"USING NAMED <{g}> " for g in named_graphs)
    if not clause:
        return update
    cuts = [t.start for t, previous in _outermost(update) if t.kind == WORD and t.upper == "WHERE"
            and not (previous is not None and previous.kind == WORD and previous.upper == "DELETE")]
    for at in reversed(cuts):
        update = update[:at] + clause + update[at:]
    return update
