"""schemathesis against /api/v1/schema/, for every role that can hold a token (one persona of each role of
tests/world.py), with every check schemathesis has for single requests: no server errors, no response that
breaks the schema (status, content type, headers, body), no request the schema forbids accepted, no request
it allows refused for its shape (only a rule of the records may refuse one), and no operation that answers
anything but 401 without a token or anything but 405 (with `Allow`) to a method it does not declare.

The world holds records every role can reach (a client with a job shared with the DVR office, the roles
matrix, a review in its window, a meeting, a training completion), so the responses checked against the
schema carry real data. Examples per operation are few (derandomized, so a failure repeats): the two
roles with the most to reach get more, the others fewer, to keep the run short."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework import fields, relations, serializers
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ipshub.api import services
from ipshub.api.inputs import NOT_TAKEN
from ipshub.clients import services as client_services
from tests.api.test_program_records import _assignments, _completion, _meeting
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.dvr.factories import authorize
from tests.fidelity.factories import planned_review
from tests.world import PERSONAS, World

pytestmark = pytest.mark.django_db


def _shape_messages() -> list[re.Pattern[str]]:
    """DRF's own messages for a value of the wrong shape (type, format, length, range, required...): a request
    the schema allows must never earn one, or the schema did not say what the API takes."""
    templates = {
        str(message)
        for module in (fields, relations, serializers)
        for thing in vars(module).values()
        if isinstance(thing, type)
        for key, message in getattr(thing, "default_error_messages", {}).items()
        if key != "does_not_exist"  # a reference to a record that is not there is a rule of the records
    }
    templates.add(NOT_TAKEN)
    return [re.compile(re.sub(r"\\\{\w+\\\}|%\\\(\w+\\\)\w", ".*", re.escape(t))) for t in templates]


SHAPE_MESSAGES = _shape_messages()


def refused_by_a_rule(response: Any) -> bool:
    """A 400 whose every message is the API's own rule about the records (a program already has a review under
    way; a person not among those the caller may choose; an end before the start): rules a schema can't state."""
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return False
    messages = [message for messages in error.get("fields", {}).values() for message in messages]
    messages = messages or [error.get("message", "")]
    return not any(pattern.fullmatch(message) for message in messages for pattern in SHAPE_MESSAGES)


@schemathesis.check
def positive_data_acceptance_or_a_rule(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis's `positive_data_acceptance`, except for a 400 the API explains with a rule of the records."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400 and refused_by_a_rule(response):
            return None
        if response.status_code == 412:  # a well-formed ETag, but not the record's version now: no schema can know it
            return None
        raise


# Every check of schemathesis that applies to single requests (the stateful ones, `use_after_free` and
# `ensure_resource_availability`, need its stateful runner; the coverage phase's `missing_required_header` and
# `unsupported_method` are tested directly below, as the coverage phase's enumeration is too slow for the suite).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance_or_a_rule,
    ignored_auth,
]
# Small, so the suite stays quick (about 230 operations, each called by every role with valid and with invalid
# input); derandomized, so a failure repeats. The two roles with the most to reach get more examples.
EXAMPLES_PER_OPERATION = 3
ROLES = {
    "state_lead": EXAMPLES_PER_OPERATION,
    "specialist": EXAMPLES_PER_OPERATION,
    "admin": 1,
    "trainer": 1,
    "reviewer": 1,
    "director": 1,
    "case_manager": 1,
    "supervisor": 1,
    "dvr_supervisor": 1,
    "counselor": 1,
}
assert {PERSONAS[name][1] for name in ROLES} == {role for _org, role in PERSONAS.values()}
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


def records(world: World) -> None:
    """Something of every area for every role to read."""
    enrollment = enroll(world)
    start_job(world.people["specialist"], enrollment, employer(world))
    client_services.consent_create(
        actor=world.people["specialist"],
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(5),
    )
    authorize(world, enrollment)  # the DVR office's and the provider's lists carry an authorization
    _assignments(world)
    planned_review(world)  # the reviewer reads the program's records during the review window
    _meeting(world)
    _completion(world)


@pytest.mark.parametrize("persona", list(ROLES))
def test_the_api_keeps_its_schema_for(world: World, app: Any, persona: str) -> None:
    records(world)
    person = world.people[persona]
    key = services.token_create(actor=person, person=person, name="schemathesis")[1]
    headers = {"Authorization": f"Token {key}"}
    schema = load_schema(app, key)
    answered: dict[str, set[int]] = {}
    calls: list[int] = []
    for operation in operations(schema):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode, headers=headers))
            @settings(HYPOTHESIS, max_examples=ROLES[persona])
            def run(case: Any) -> None:
                response = case.call(app=app, headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)
                answered.setdefault(case.operation.label, set()).add(response.status_code)
                calls.append(response.status_code)

            try:
                run()
            except Unsatisfiable:  # an operation without parameters or body has no invalid input to send
                assert mode == GenerationMode.NEGATIVE, operation.label
    print(f"\nschemathesis as {persona}: {len(calls)} requests to {len(answered)} operations, 0 failures")
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


def test_a_method_an_operation_does_not_declare_answers_405_with_allow(world: World, api) -> None:
    """schemathesis's `unsupported_method` check, on every path of the schema (its coverage phase, which sends
    these, is too slow to run in the suite): 405, with the methods the path takes in `Allow`."""
    client = api(world.people["admin"])
    paths = client.get("/api/v1/schema/?format=json").json()["paths"]
    ids = {"enrollment_id": 1, "consent_id": 1}
    probed = 0
    for path, item in paths.items():
        declared = {method for method in item if method in ("get", "post", "put", "patch", "delete")}
        url = re.sub(r"\{\w+\}", lambda match: str(ids.get(match.group(0)[1:-1], 1)), path)
        for method in sorted({"get", "post", "put", "patch", "delete"} - declared):
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code == 405, f"{method.upper()} {path}: {response.status_code}"
            allowed = {name.strip().lower() for name in response["Allow"].split(",")}
            assert declared <= allowed, f"{method.upper()} {path}: Allow is {response['Allow']}"
            probed += 1
    assert probed > 100
