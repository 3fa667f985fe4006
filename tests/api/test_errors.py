"""Every API error in the one documented JSON shape (api/errors.py), whoever produces it: DRF, Django's
own handlers, the database; and no JSON body, however hostile, makes a 500."""

import json

import pytest
from django.db import connection
from django.test import Client, override_settings
from rest_framework import exceptions

from ipshub.api.errors import exception_handler
from ipshub.api.parsers import MAX_DEPTH, nesting_depth
from tests.api.test_api import assert_error
from tests.test_url_walk import INSIDERS, is_api, object_ids, routes, url_for
from tests.world import World

pytestmark = pytest.mark.django_db

WRITE_METHODS = ("post", "put", "patch")
# Reviewed: write endpoints that take no body (the URL says it all), so they never read one.
TAKE_NO_BODY = {"POST api:outcome-report-submit"}
HOSTILE = {
    "arrays": "[" * 5000,
    "objects": '{"a":' * 5000,
    "closed arrays": "[" * 100_000 + "]" * 100_000,
    "deep inside a field": '{"name": ' + "[" * 3000 + "]" * 3000 + "}",
}


def _json_routes() -> list[tuple[str, str, str]]:
    """(route name, method, view class) for every write method of every API endpoint, from the resolver."""
    found = []
    for route in routes():
        view_class = getattr(route.callback, "cls", None)
        if not is_api(route) or view_class is None:
            continue
        taken = [m for m in WRITE_METHODS if m in view_class.http_method_names and hasattr(view_class, m)]
        found += [(route.name, m, view_class) for m in taken]
    return found


def test_the_depth_scan_counts_brackets_outside_strings_only() -> None:
    assert nesting_depth('{"a": "[[[[{{{", "b": [[1], {"c": "\\"]]"}]}', MAX_DEPTH) == 3
    assert nesting_depth("[" * 5000, MAX_DEPTH) == MAX_DEPTH + 1  # stops counting past the limit
    assert nesting_depth("[" * MAX_DEPTH + "]" * MAX_DEPTH, MAX_DEPTH) == MAX_DEPTH
    assert nesting_depth('"' + "[" * 500, MAX_DEPTH) > MAX_DEPTH  # an unclosed string: refused as deep


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_hostile_json_on_every_json_endpoint_is_a_400_in_the_error_shape(world: World, api, shape) -> None:
    """Every write method of every API endpoint, at the world's own objects, as the first person (with a
    token) who may write there: the parser refuses the body with a 400 before any view code uses it."""
    found = _json_routes()
    assert len(found) >= 12, found
    ids = object_ids(world)
    clients = [api(world.people[name]) for name in INSIDERS]
    for client in clients:
        client.raise_request_exception = False
    for name, method, view_class in found:
        route = next(r for r in routes() if r.name == name)
        takes_files = "multipart/form-data" in [p.media_type for p in view_class().get_parsers()]
        url = url_for(route, ids) + (f"?program={ids['program_id']}" if takes_files else "")
        # An update names the version it read (any: the body is refused before versions are compared); without
        # one it is a 428 before its body is read.
        headers = {"HTTP_IF_MATCH": '"read-earlier"'} if method in ("patch", "put") else {}
        for client in clients:  # until someone may write there: outsiders are refused before the body is read
            response = getattr(client, method)(url, HOSTILE[shape], content_type="application/json", **headers)
            if response.status_code not in (403, 404):
                break
        if f"{method.upper()} {name}" in TAKE_NO_BODY:
            assert response.status_code < 500 and response["Content-Type"] == "application/json", name
        elif takes_files:
            assert_error(response, 415, "unsupported_media_type")  # file uploads take no JSON at all
        else:
            error = assert_error(response, 400, "parse_error")
            assert f"nested more than {MAX_DEPTH} levels" in error["message"], (name, error)


def test_json_at_the_depth_limit_is_read(world: World, api) -> None:
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # inside the body's own object: MAX_DEPTH in all
    response = api(world.people["supervisor"]).post(
        "/api/v1/clients/", f'{{"first_name": {nested}}}', content_type="application/json"
    )
    error = assert_error(response, 400, "invalid")  # read, then refused by the serializer: a field message
    assert "first_name" in error["fields"]


def test_invalid_json_says_so(world: World, api) -> None:
    response = api(world.people["supervisor"]).post("/api/v1/clients/", "{", content_type="application/json")
    assert "not valid JSON" in assert_error(response, 400, "parse_error")["message"]


def test_a_body_over_the_upload_limit_is_a_413(world: World, api, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    body = json.dumps({"name": "x" * 200_000})
    response = api(world.people["supervisor"]).post("/api/v1/clients/", body, content_type="application/json")
    error = assert_error(response, 413, "request_too_large")
    assert "97 KB" in error["message"] and "/api/v1/imports/" in error["message"]


def test_a_form_body_over_the_upload_limit_is_a_413_outside_drf_too(settings) -> None:
    """Django's CSRF check reads a form body before any API view runs; it still answers in the shape."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = "x" * 32  # so the check goes on to read the form's token from the body
    response = browser.post("/api/v1/docs/", "a=" + "x" * 5000, content_type="application/x-www-form-urlencoded")
    assert_error(response, 413, "request_too_large")


@pytest.mark.parametrize("path", ["/api/v1/clients%0A/", "/api/v1/%0A", "/api/v1/clients/%0A1/", "/api/%0A"])
def test_paths_with_a_newline_are_a_json_404(world: World, api, path) -> None:
    response = api(world.people["supervisor"]).get(path)
    assert_error(response, 404, "not_found")


def test_wrong_method_and_media_type(world: World, api) -> None:
    client = api(world.people["supervisor"])
    response = client.delete("/api/v1/employers/")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]
    assert_error(client.post("/api/v1/clients/", "name=x", content_type="text/plain"), 415)


def test_throttling_is_a_429_with_retry_after() -> None:
    response = exception_handler(exceptions.Throttled(wait=12), {})
    assert response is not None and response.status_code == 429
    assert response.data["error"]["code"] == "throttled" and response["Retry-After"] == "12"


@override_settings(ROOT_URLCONF="tests.api.errors_urls")
def test_an_unexpected_failure_is_a_json_500(world: World, api) -> None:
    client = api(world.people["supervisor"])
    client.raise_request_exception = False
    response = client.get("/api/v1/test-failure/")
    error = assert_error(response, 500, "server_error")
    assert "RuntimeError" not in response.content.decode()  # no internals leak
    assert "tell your administrator" in error["message"]
    assert response["Content-Security-Policy"]  # the security headers survive the reshaping


def test_a_database_error_is_a_json_503(world: World, api) -> None:
    """The employer table is renamed inside the test's transaction (undone with it), so the real query fails
    in the database: on SQLite an OperationalError, as "database is locked" is, which the product answers 503."""
    client = api(world.people["supervisor"])
    client.raise_request_exception = False
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE clients_employer RENAME TO clients_employer_away")
    response = client.get("/api/v1/employers/")
    if connection.vendor == "sqlite":
        error = assert_error(response, 503, "unavailable")
        assert response["Retry-After"] == "30" and "nothing was saved" in error["message"]
    else:  # PostgreSQL calls a missing table a ProgrammingError: a 500, also in the shape
        assert_error(response, 500, "server_error")
