"""REST: stances, filtered by holder, target, polarity, theme, attribution layer and hedging."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from .. import models, read_model
from ..deps import Limit, Offset, ServiceDep
from ..problems import PROBLEM_RESPONSES
from ..responses import paginate

router = APIRouter(prefix="/api/v1", tags=["Stances"], responses=PROBLEM_RESPONSES)
Filter = Annotated[str | None, Query(max_length=300)]


@router.get("/stances", response_model=models.Page[models.Stance])
def list_stances(service: ServiceDep,
                 holder: Annotated[str | None, Query(max_length=300, description="IRI, id or label")] = None,
                 target: Filter = None,
                 polarity: Annotated[str | None, Query(max_length=50,
                                                       description="Supports, Opposes, CommitsTo")] = None,
                 theme: Filter = None,
                 attribution: Annotated[str | None, Query(max_length=50, description="ReportedFact, "
                                                          "ActorAttributed, AuthorInference")] = None,
                 hedged: Annotated[bool | None, Query(description="only hedged or attributed (true) or "
                                                      "only unhedged reported (false) stances")] = None,
                 hedging: Annotated[str | None, Query(max_length=50, description="Certain, Expected, Presumed, "
                                                      "Possible")] = None,
                 offset: Offset = 0, limit: Limit = 50) -> dict[str, object]:
    items = read_model.stances(service)
    chosen: set[int] | None = None
    for field, wanted in (("holder", holder), ("targets", target), ("themes", theme)):
        if wanted:
            found = set(read_model.stance_index(service, field).get(wanted.casefold(), []))
            chosen = found if chosen is None else chosen & found
    if chosen is not None:
        items = [items[i] for i in sorted(chosen)]
    for name, value in (("polarity", polarity), ("attribution", attribution), ("hedging", hedging)):
        if value:
            items = [s for s in items if (getattr(s, name) or "").casefold() == value.casefold()]
    if hedged is not None:
        items = [s for s in items if s.hedged == hedged]
    return paginate(items, offset, limit)
