#!/usr/bin/env bash
# Run srkg's benchmarks on this machine and print one table (see `srkg bench --help`).
#
#   bench/run.sh                          # 10k triples, a few minutes
#   bench/run.sh --sizes 10k,100k,1m      # the README's figures
#
# Needs the project installed (pip install -e '.[test]': pyoxigraph, rdflib,
# rdflib-endpoint, and the `oxigraph` server from the test extra) and ApacheBench for the service
# figures (Debian: apt-get install apache2-utils). Everything runs on 127.0.0.1
# in a temporary folder and stops by itself. The table is also written to
# bench/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
export PATH="$(dirname "$PYTHON"):$PATH"
command -v ab >/dev/null || echo "note: ApacheBench (apache2-utils) is missing: the service will not be measured" >&2
exec "$PYTHON" -m graph.cli bench --out bench/results.txt "$@"
