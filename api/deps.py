"""FastAPI dependencies and the ``Annotated`` aliases routers declare their parameters with."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import networkx as nx
from fastapi import Depends, Query, Request

from graph.store import Store

from .service import Service


def get_service(request: Request) -> Service:
    return request.app.state.service


def get_store(request: Request) -> Store:
    return get_service(request).store


def get_projection(request: Request) -> nx.MultiDiGraph:
    """The networkx projection of the service's store, current after every write."""
    return get_service(request).projected()


def get_data_dir(request: Request) -> Path:
    """The data folder of the service's settings, where the sources' texts are."""
    return get_service(request).settings.data_dir


ServiceDep = Annotated[Service, Depends(get_service)]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="items to skip")]
Limit = Annotated[int, Query(ge=1, le=500, description="items per page")]
