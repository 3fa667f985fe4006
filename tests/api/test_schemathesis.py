"""schemathesis against /api/v1/schema/, for two roles: no server errors, no response that breaks the
schema (status, content type, body), and no operation that answers anything but 401 without a token."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ipshub.api import services
from tests.world import World

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Small, so the suite stays quick; derandomized, so a failure repeats.
EXAMPLES_PER_OPERATION = 6
HYPOTHESIS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def app() -> Iterator[Any]:
    """The real WSGI application, in the test's transaction: like Django's test client, it must not
    close the database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def load_schema(app: Any, key: str) -> Any:
    """The schema as the API serves it, fetched with a token."""
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", app, headers={"Authorization": f"Token {key}"})


def operations(schema: Any) -> list[Any]:
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 36
    return found


@pytest.mark.parametrize("persona", ["state_lead", "specialist"])
def test_the_api_keeps_its_schema_for(world: World, app: Any, persona: str) -> None:
    person = world.people[persona]
    key = services.token_create(actor=person, person=person, name="schemathesis")[1]
    headers = {"Authorization": f"Token {key}"}
    schema = load_schema(app, key)
    answered: dict[str, set[int]] = {}
    for operation in operations(schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @HYPOTHESIS
            def run(case: Any) -> None:
                response = case.call(app=app, headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
                answered.setdefault(case.operation.label, set()).add(response.status_code)

            run()
    # The positive control: the runs reached real data, not only errors.
    assert 200 in answered["GET /api/v1/programs/"] and 200 in answered["GET /api/v1/me/"]
    assert any(code >= 400 for codes in answered.values() for code in codes)


def test_no_operation_answers_without_a_token(world: World, app: Any) -> None:
    person = world.people["admin"]
    schema = load_schema(app, services.token_create(actor=person, person=person, name="schema")[1])
    for operation in operations(schema):

        @given(case=operation.as_strategy())
        @settings(HYPOTHESIS, max_examples=2)
        def run(case: Any) -> None:
            response = case.call(app=app)
            assert response.status_code == 401, f"{case.operation.label} answered {response.status_code}"
            case.validate_response(response, checks=CHECKS)

        run()
