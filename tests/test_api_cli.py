"""``srkg serve``: it serves the built store on the host and port asked for, and says what to do without one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from fixtures.servers import env_for
from graph.settings import Settings

SRKG = [sys.executable, "-c", "from graph.cli import main; main()"]


@pytest.mark.parametrize("processes", ["1", "2"])
def test_serve_serves_the_built_store(settings, processes, tmp_path):
    """``srkg --store-dir … serve`` serves that store, in every server process, whatever the environment says."""
    env = {**env_for(settings, query_timeout_s=30), "SRKG_STORE_DIR": str(tmp_path / "not-this-one")}
    proc = subprocess.Popen([*SRKG, "--store-dir", str(settings.store_dir), "serve", "--host", "127.0.0.1",
                             "--port", "0", "--data-dir", str(settings.data_dir), "--workers", "1",
                             "--processes", processes], env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        port, started = None, 0
        for line in proc.stderr:  # uvicorn reports the port it bound, and each process its startup
            m = re.search(r"running on http://127\.0\.0\.1:(\d+)", line)
            port = int(m.group(1)) if m else port
            started += "Application startup complete" in line
            if port and started == int(processes):
                break
        assert port, "the server never said where it listens"
        r = httpx.get(f"http://127.0.0.1:{port}/api/v1/entities/russia", timeout=60)
        assert r.status_code == 200 and r.json()["label"] == "Russia"
        r = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { id:china a srkg:State }"}, timeout=60)
        assert r.json()["boolean"] is True
        if processes == "2":  # two server processes share the port, each with its own query worker
            servers = [c for c in _children(proc.pid) if "resource_tracker" not in _cmdline(c)]
            assert len(servers) == 2, servers
    finally:
        proc.terminate()
        proc.wait(30)


def test_serve_without_a_store_says_to_build(tmp_path: Path, settings: Settings) -> None:
    env = {**os.environ, "SRKG_STORE_DIR": str(tmp_path / "nothing")}
    r = subprocess.run([*SRKG, "serve", "--port", "0"], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "srkg build" in r.stderr


def test_several_processes_refuse_writes(settings):
    env = env_for(settings, update_token="secret")
    r = subprocess.run([*SRKG, "serve", "--port", "0", "--processes", "2"], env=env, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0
    assert "--processes 1" in r.stderr


def _children(pid: int) -> list[int]:
    return [int(x) for task in Path(f"/proc/{pid}/task").iterdir() for x in (task / "children").read_text().split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return ""
