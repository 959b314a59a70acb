"""Schemathesis, with every one of its checks, against the OpenAPI schema of a real server: 0 failures.

The run covers all operations (the REST API, the SPARQL and Graph Store protocols, the pages and the network
views), in all four of schemathesis' phases: the schema's examples, its boundaries (coverage), random
requests (fuzzing), and sequences that follow the schema's links (stateful). Writes are authorised, on a
private copy of the data, so the write paths are fuzzed too. ``tests/schemathesis.toml`` says, operation by
operation, which answers the schema cannot express (a SPARQL syntax error is a 400 for a schema-valid string).

The seed is fixed so that CI is repeatable; set ``SRKG_FUZZ_SEED`` to explore others.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fixtures.copies import private_copy
from fixtures.servers import running_service
from graph.build import build

CONFIG = Path(__file__).with_name("schemathesis.toml")
TOKEN = "fuzz-token"
SEED = os.environ.get("SRKG_FUZZ_SEED", "20261201")


@pytest.fixture(scope="module")
def base(tmp_path_factory, settings):
    s = private_copy(tmp_path_factory.mktemp("api-fuzz"), settings)
    build(s)
    with running_service(s, update_token=TOKEN, query_timeout_s=5, max_result_rows=500) as url:
        yield url


def test_every_check_passes_on_every_operation(base, tmp_path):
    run = subprocess.run(
        [str(Path(sys.executable).with_name("schemathesis")), "--config-file", str(CONFIG), "--no-color",
         "run", f"{base}/openapi.json", "--checks", "all", "--max-examples", "25", "--seed", SEED,
         "--header", f"Authorization: Bearer {TOKEN}", "--request-timeout", "60"],
        capture_output=True, text=True, timeout=1200, cwd=tmp_path)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-6000:]
    operations = re.search(r"Operations:\s+(\d+) selected / (\d+) total", out)
    assert operations and operations[1] == operations[2] and int(operations[1]) >= 45, out[-3000:]
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert re.search(rf"✅ {phase}", out), (phase, out[-3000:])
    cases = re.search(r"(\d+) generated, (\d+) passed", out)
    assert cases and cases[1] == cases[2] and int(cases[1]) > 1000, out[-3000:]
    links = re.search(r"API Links:\s+(\d+) covered", out)
    assert links and int(links[1]) >= 3, out[-3000:]  # the stateful phase followed the schema's links
