"""The remote store, the CLI and the service when no SPARQL server answers as it should.

A store URL that is not http(s) is refused at once; the CLI names a server
that cannot be reached; the service in front of a server that accepts
connections but never answers gives a 503 ``Query timeout`` naming it, never a
hang. The remote store against real servers (Oxigraph server, Virtuoso) is
tested in ``tests/test_remote_servers.py``.
"""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from fixtures.faults.serve import serving
from fixtures.remote_checks import affected
from fixtures.servers import free_port
from graph.errors import SrkgError
from graph.settings import get_settings
from graph.store.remote import RemoteStore


def test_a_bad_store_url_is_a_clear_error() -> None:
    with pytest.raises(SrkgError, match="SRKG_STORE must be"):
        RemoteStore("ftp://example")


def test_cli_reports_an_unreachable_server() -> None:
    from graph.cli import main

    url = f"http://127.0.0.1:{free_port()}"
    get_settings.cache_clear()  # the CLI reads SRKG_STORE through the process-wide settings
    try:
        result = CliRunner().invoke(main, ["query", "ASK { ?s ?p ?o }"], env={"SRKG_STORE": url})
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "cannot be reached" in result.output and url in result.output


def test_a_server_that_never_answers_gives_a_503_timeout_not_a_hang(tmp_path: Path) -> None:
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with serving(get_settings(), store=url, query_timeout_s=1, store_dir=tmp_path) as server, \
                httpx.Client(base_url=server.url, timeout=30) as client:
            for r in affected(client):
                assert r.status_code == 503, r.text
                assert r.headers["content-type"].startswith("application/problem+json")
                assert r.json()["title"] == "Query timeout" and url in r.json()["detail"]
