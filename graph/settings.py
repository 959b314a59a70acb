"""Settings of srkg, read once from the environment (``SRKG_*``) or defaults.

All paths default to the checkout this package lives in, so that a clone
works without configuration.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Where the ontology, the data and the store live, and how to reach the store."""

    model_config = SettingsConfigDict(env_prefix="SRKG_", extra="ignore")

    ontology_dir: Path = Field(REPO_ROOT / "ontology", description="folder of the ontology, shapes and queries")
    data_dir: Path = Field(REPO_ROOT / "data", description="folder of reference data and sources")
    store_dir: Path = Field(REPO_ROOT / "var" / "store", description="where the embedded store is kept")
    store: str = Field("embedded", description="'embedded', or the base URL of a SPARQL 1.1 server")
    query_timeout_s: float = Field(10.0, description="time limit of one query, in seconds")
    analytics_timeout_s: float = Field(
        600.0, description="time limit of the service's own whole-graph queries (the networkx projection and "
                           "the REST indexes, computed once per store state), in seconds")
    max_result_rows: int = Field(10_000, description="cap on the rows a query may return")
    query_workers: int = Field(3, ge=1, le=32, description="query worker processes of the service (each "
                               "runaway query is killed in its worker)")
    max_queries_per_client: int | None = Field(
        None, ge=1, description="queries one client may run at once in the query workers (default: one fewer "
                                "than the workers, so that one client always leaves a worker to the others)")
    queue_wait_s: float = Field(3.0, gt=0, description="how long a query waits for its client's turn or a free "
                                "worker before it is refused (429 or 503, with Retry-After), in seconds")
    result_cache_mb: int = Field(64, ge=0, description="MiB of query results the service keeps for the next "
                                 "client who asks the same query, until the next write (0: none; an embedded "
                                 "store only, since others may write a SPARQL server)")
    client_key_header: str | None = Field(
        None, description="behind a proxy, the header whose last address is the client's (X-Forwarded-For); "
                          "the peer address otherwise")
    shacl_engine: Literal["rudof", "pyshacl"] = Field(
        "rudof", description="SHACL engine: 'rudof' (pyrudof, about ten times faster) or 'pyshacl' (the reference); "
                             "both report the same violations on srkg's shapes")
    update_token: str | None = Field(None, description="bearer token that enables writes; writes are off without it")
    remote_query_path: str = Field("/query", description="path of the SPARQL query endpoint of a remote store")
    remote_update_path: str = Field("/update", description="path of the SPARQL update endpoint of a remote store")
    remote_store_path: str = Field("/store", description="path of the Graph Store Protocol endpoint of a remote "
                                   "store ('' if it has none: whole graphs then go through SPARQL Update)")
    remote_union_parameter: str = Field("union-default-graph", description="query parameter that makes a remote "
                                        "server's default graph the union of all graphs ('' if it does so itself)")
    remote_inline_values: bool = Field(False, description="move the VALUES block that bindings append into the "
                                       "WHERE group (Virtuoso fails on a trailing one binding an unselected variable)")
    remote_auth: str = Field("basic", description="how credentials in SRKG_STORE are sent: 'basic', or 'digest' "
                             "(Virtuoso's /sparql-auth and /sparql-graph-crud-auth)")

    @property
    def queries_dir(self) -> Path:
        return self.ontology_dir / "queries"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings."""
    return Settings()
