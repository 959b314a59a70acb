"""The OpenAPI contract says what the service does: every error is a documented RFC 9457 problem, a 405 names
every method of its path, and what the schema calls a day or an entity path is held to in the handlers.
Over a real server."""

from __future__ import annotations

import httpx
import pytest

from fixtures.servers import running_service

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(settings):
    with running_service(settings, query_timeout_s=30) as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def test_every_documented_error_is_a_problem(client):
    schema = client.get("/openapi.json").json()
    errors = [(path, method, status, set(response.get("content", {})))
              for path, operations in schema["paths"].items() for method, operation in operations.items()
              for status, response in operation["responses"].items() if status[:1] in "45"]
    assert len(errors) > 100
    assert [e for e in errors if e[3] != {PROBLEM}] == []
    assert schema["components"]["schemas"]["Problem"]["properties"]["status"]


@pytest.mark.parametrize("path", ["/view/entity/{path}", "/view/theme/{path}", "/view/source/{slug}",
                                  "/view/static/{name}", "/sources/{slug}", "/view/timeline"])
def test_the_views_document_their_404(client, path):
    schema = client.get("/openapi.json").json()
    assert "404" in schema["paths"][path]["get"]["responses"]
    r = client.get(path.replace("{path}", "nothing-here").replace("{slug}", "nothing-here")
                   .replace("{name}", "nothing-here") + ("?actor=nothing-here" if "timeline" in path else ""))
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize(("path", "allowed"), [("/sparql", "GET, POST"), ("/rdf-graphs/service", None)])
def test_a_405_names_every_method_of_its_path(client, path, allowed):
    schema = client.get("/openapi.json").json()
    documented = ", ".join(sorted(m.upper() for m in schema["paths"][path]))
    r = client.request("OPTIONS", path)
    assert r.status_code == 405 and r.headers["allow"] == documented == (allowed or documented)
    assert r.headers["content-type"].startswith(PROBLEM)


@pytest.mark.parametrize("value", ["0", "20240516", "2024-5-16", "yesterday"])
def test_a_day_is_written_as_the_schema_says(client, value):
    r = client.get("/api/v1/events", params={"to": value})
    assert r.status_code == 422 and "YYYY-MM-DD" in r.json()["detail"]
    assert client.get("/api/v1/events", params={"to": "2024-05-16"}).status_code == 200


@pytest.mark.parametrize("path", ["%C2%8E", "a%7Fb", "%EE%80%80", "%EF%BF%BE", "%25", "50%25", "a%23b%23c"])
def test_an_entity_path_no_iri_can_hold_is_not_found(client, path):
    for prefix in ("/api/v1/entities/", "/id/"):
        r = client.get(prefix + path, headers={"Accept": "application/json, text/turtle"})
        assert r.status_code == 404 and r.json()["type"].endswith("unknown-entity"), (prefix, path)


def test_the_protocol_bodies_require_a_query_or_an_update(client):
    schema = client.get("/openapi.json").json()
    form = schema["paths"]["/sparql"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert form["schema"]["oneOf"] == [{"required": ["query"]}, {"required": ["update"]}]  # one, not both
    update = schema["paths"]["/sparql/update"]["post"]["requestBody"]["content"]
    assert update["application/x-www-form-urlencoded"]["schema"]["required"] == ["update"]
    r = client.post("/sparql", data={}, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400 and r.json()["type"].endswith("no-query")
