"""POST /api/v1/clients/transfer/: the caseload's transfer of several clients through the API (all or none,
a reason, the same messages and audit events as the web), and GET: the specialists with their caseloads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshub.audit.models import AuditEvent
from ipshub.clients.models import Enrollment
from ipshub.tenancy.models import Membership, Person
from ipshub.tenancy.roles import Role
from tests.api.test_api import assert_error
from tests.clients.factories import enroll
from tests.world import World

pytestmark = pytest.mark.django_db
URL = "/api/v1/clients/transfer/"


def _specialist(world: World, username: str = "second", org: str = "provider1") -> Person:
    person = Person.objects.create(username=username, first_name="Sam", last_name=username.title())
    Membership.objects.create(person=person, organization=world.orgs[org], role=Role.EMPLOYMENT_SPECIALIST)
    return person


def test_the_supervisor_lists_specialists_and_moves_two_clients(world: World, api) -> None:
    second = _specialist(world)
    one, two = enroll(world), enroll(world)
    supervisor = api(world.supervisor)
    loads = {row["name"]: row for row in supervisor.get(URL).json()["specialists"]}
    assert loads["Sam Second"]["open_clients"] == 0 and loads["Specialist Tester"]["open_clients"] == 2
    assert loads["Sam Second"]["programs"] == [world.programs["p1"].pk]
    response = supervisor.post(
        URL, {"clients": [one.pk, two.pk], "specialist": second.pk, "reason": "Covers the east side"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"transferred": [one.pk, two.pk], "specialist": second.pk, "specialist_open_clients": 2}
    assert set(Enrollment.objects.filter(specialist=second).values_list("pk", flat=True)) == {one.pk, two.pk}
    assert AuditEvent.objects.filter(action="client.transfer", detail__reason="Covers the east side").count() == 2


def test_bad_input_gets_a_precise_json_4xx_and_nothing_moves(world: World, api) -> None:
    second = _specialist(world)
    one = enroll(world)
    supervisor = api(world.supervisor)
    error = assert_error(supervisor.post(URL, {"clients": [one.pk], "specialist": second.pk}, format="json"), 400)
    assert "Say why the client is moving" in error["fields"]["reason"][0]
    error = assert_error(supervisor.post(URL, {"clients": [], "specialist": "x"}, format="json"), 400)
    assert set(error["fields"]) == {"clients", "specialist"}
    error = assert_error(
        supervisor.post(URL, {"clients": [one.pk, 999999], "specialist": second.pk, "reason": "r"}, format="json"), 400
    )
    assert "999999" in error["fields"]["clients"][0]
    outsider = _specialist(world, "far", org="provider_b")
    error = assert_error(
        supervisor.post(URL, {"clients": [one.pk], "specialist": outsider.pk, "reason": "r"}, format="json"), 400
    )
    assert "Far" not in str(error)  # a person of another state is not named back
    assert Enrollment.objects.get(pk=one.pk).specialist == world.specialist


def test_the_specialist_is_refused_and_outsiders_see_no_client(world: World, api) -> None:
    second = _specialist(world)
    one = enroll(world)
    body = {"clients": [one.pk], "specialist": second.pk, "reason": "r"}
    assert_error(api(world.specialist).post(URL, body, format="json"), 403)
    for who in ("other_agency_specialist", "other_agency_director", "other_state_director"):
        error = assert_error(api(world.people[who]).post(URL, body, format="json"), 400)
        assert str(one.pk) in error["fields"]["clients"][0]
        assert api(world.people[who]).get(URL).json() == {"specialists": []}
    assert Enrollment.objects.get(pk=one.pk).specialist == world.specialist


CASELOAD = "/api/v1/clients/caseload/"


def test_the_caseload_endpoint_filters_sorts_and_says_what_needs_attention(world: World, api) -> None:
    quiet = enroll(world, first="Quiet", last="Able", referred=50)
    enroll(world, first="New", last="Baker", referred=5)
    supervisor = api(world.supervisor)
    rows = supervisor.get(CASELOAD, {"sort": "-name"}).json()["results"]
    assert [r["client"]["last_name"] for r in rows] == ["Baker", "Able"]
    assert set(rows[1]) == {
        "id", "client", "program", "specialist", "status", "referral_date", "working", "last_contact",
        "days_since_last_contact", "last_employer_contact", "needs_attention",
    }  # fmt: skip
    attention = supervisor.get(CASELOAD, {"attention": "any"}).json()
    assert attention["count"] == 1 and attention["results"][0]["id"] == quiet.pk
    assert {a["key"] for a in attention["results"][0]["needs_attention"]} == {"no_contact", "no_employer_contact"}
    assert AuditEvent.objects.filter(action="client.list", detail__enrollments=[quiet.pk]).exists()
    for bad in ({"sort": "birth_date"}, {"attention": "maybe"}, {"specialist": "x"}, {"contact": "1"}):
        error = assert_error(supervisor.get(CASELOAD, bad), 400)
        assert set(error["fields"]) == set(bad)
    for who in ("other_agency_specialist", "other_state_director"):
        assert api(world.people[who]).get(CASELOAD).json()["count"] == 0


def test_the_caseload_endpoint_runs_a_fixed_number_of_queries(world: World, api) -> None:
    supervisor = api(world.supervisor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert supervisor.get(CASELOAD, {"sort": "-attention"}).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        enroll(world)
    queries()  # the first request of a token records when it was used
    few = queries()
    for _ in range(20):
        enroll(world)
    assert queries() == few
