"""The errors srkg raises, each telling a person what to fix, and the helpers that locate a problem in a file.

Callers (the CLI, the service) handle these and nothing else: a store
backend's own failures are translated into them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    file: Path | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            where += ": "
        return where + self.message


class SrkgError(Exception):
    """Base class of every error srkg raises on bad input."""


class DataError(SrkgError):
    """The ontology or data failed a check; nothing was loaded."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class QueryError(SrkgError):
    """A query could not be parsed or run; ``line``/``column`` locate a syntax error."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        self.line = line
        self.column = column
        super().__init__(message)


class ResultTooLarge(QueryError):
    """A query returned more rows or triples than the caller allows."""


class RemoteTimeout(QueryError):
    """The remote SPARQL server did not answer within the time limit."""


class StoreUnavailable(SrkgError):
    """The store cannot be reached (a remote server that is down, restarting, or a wrong URL)."""


def find_line(path: Path, *needles: str) -> int | None:
    """The first line of ``path`` (1-based) containing any of ``needles``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for needle in needles:
        if not needle:
            continue
        for number, text in enumerate(lines, start=1):
            if needle in text:
                return number
    return None


def find_subject(paths: list[Path], iri: str, namespaces: dict[str, str]) -> tuple[Path | None, int | None]:
    """The file of ``paths`` and the line where a Turtle description of ``iri`` starts.

    It looks for a line that opens with the IRI written in full, as a CURIE of ``namespaces``, or as
    ``:local`` (the files of a source use the empty prefix for its own nodes), and otherwise for the
    first line that mentions it in any of these forms.
    """
    local = iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    forms = [f"<{iri}>"] + [f"{p}:{iri[len(base):]}" for p, base in namespaces.items() if iri.startswith(base)]
    forms.append(f":{local}")
    texts = {}
    for path in paths:
        try:
            texts[path] = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
    for opening in (True, False):
        for path, lines in texts.items():
            for number, line in enumerate(lines, start=1):
                stripped = line.lstrip()
                for form in forms:
                    if (stripped.startswith(form + " ") or stripped == form) if opening else \
                            re.search(re.escape(form) + r"(?![\w.:/-])", line):
                        return path, number
    return None, None
