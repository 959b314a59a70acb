"""srkg's benchmarks: load, query and service figures against rdflib and Oxigraph server (``srkg bench``),
the views in headless Chromium (``python -m bench.views``), and a bounded soak (``bench/soak.py``).

They start the same throwaway servers as the tests (``tests/fixtures/servers.py``), so the tests'
folder is put on the import path here: the benchmarks run from a checkout, never from an installed wheel.
"""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent.parent / "tests")
if _TESTS not in sys.path:
    sys.path.append(_TESTS)
