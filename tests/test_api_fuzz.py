"""Schemathesis fuzzes the OpenAPI schema of a real server: no 500s, every response matches its schema.

Bounded (a few examples per operation) so it runs in well under a minute. The network views
(/view/…) belong to the visualisation package and are fuzzed there, not here. The operations are
driven with Hypothesis directly (schemathesis' pytest plugin does not load under this pytest).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance
from schemathesis.core.result import Err, Ok

from fixtures.servers import running_service

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def base(settings):
    with running_service(settings, query_timeout_s=5, max_result_rows=500) as url:
        yield url


def test_no_server_errors_and_responses_match_the_schema(base):
    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    results = list(schema.get_all_operations())
    errors = [r.err() for r in results if isinstance(r, Err)]
    assert not errors, errors  # operations the schema does not describe validly
    operations = [r.ok() for r in results if isinstance(r, Ok)]
    operations = [op for op in operations if not op.path.startswith("/view")]
    assert len(operations) >= 20
    calls: dict[str, int] = {}
    for op in operations:
        _fuzz(base, op, calls)
    assert set(calls) == {op.label for op in operations}


def _fuzz(base: str, op: schemathesis.APIOperation, calls: dict[str, int]) -> None:
    """Call one operation with a few generated requests and check every response."""

    @given(case=op.as_strategy())
    @hsettings(max_examples=5, deadline=None, phases=[Phase.explicit, Phase.generate], database=None,
               suppress_health_check=list(HealthCheck))
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(base_url=base, checks=CHECKS, timeout=60)
        calls[op.label] = calls.get(op.label, 0) + 1

    fuzz()
