"""REST: events as a timeline, filtered by date range."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from .. import models, read_model
from ..deps import Limit, Offset, ServiceDep
from ..language import LanguageDep, localise
from ..problems import PROBLEM_RESPONSES
from ..responses import paginate

router = APIRouter(prefix="/api/v1", tags=["Events"], responses=PROBLEM_RESPONSES)


def iso_day(value: object) -> object:
    """A day as the schema says it, ``YYYY-MM-DD``, and nothing else (pydantic alone would take ``0`` as
    1970-01-01); a ValueError, so a 422 problem, for anything else."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD, e.g. 2024-05-16")
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _overlaps(e: models.Event, start: dt.date | None, end: dt.date | None) -> bool:
    if e.begin is None:
        return start is None and end is None
    begin = e.begin[:10]
    finish = (e.end or e.begin)[:10]
    if len(begin) == 4:  # a year
        begin, finish = begin + "-01-01", (finish if len(finish) > 4 else finish + "-12-31")
    if start is not None and finish < start.isoformat():
        return False
    return not (end is not None and begin > end.isoformat())


@router.get("/events", response_model=models.Page[models.Event])
def list_events(service: ServiceDep, language: LanguageDep,
                start: Annotated[dt.date | None, BeforeValidator(iso_day),
                                 Query(alias="from", description="first day, YYYY-MM-DD")] = None,
                end: Annotated[dt.date | None, BeforeValidator(iso_day),
                               Query(alias="to", description="last day, YYYY-MM-DD")] = None,
                offset: Offset = 0, limit: Limit = 50) -> dict[str, object]:
    """Events in date order; with ``from``/``to``, those that overlap the range (undated ones are left out)."""
    items = read_model.events(service)
    if start is not None or end is not None:
        items = [e for e in items if _overlaps(e, start, end)]
    return localise(paginate(items, offset, limit), service, language.language)
