"""The disclosure record (audit/disclosure.py): a response that carries client data leaves one audit event
naming the clients, how they went out and from where; nothing is recorded for a refusal; and when the event
cannot be written, the data does not go out."""

import csv
import io

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from ipshub.api.services import token_create
from ipshub.audit.models import AuditEvent
from tests.audit.test_unrecorded import ALLOW, REFUSE, _run
from tests.clients.factories import enroll
from tests.world import World, build_world


def _api(person) -> APIClient:
    api = APIClient(raise_request_exception=False, REMOTE_ADDR="203.0.113.7")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=person, person=person, name='t')[1]}")
    return api


def _new_events(after: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=after, action="client.disclose").order_by("pk"))


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.django_db
def test_an_export_names_every_client_it_carries(world: World) -> None:
    first = enroll(world, first="Odalys", last="Brennecke")
    second = enroll(world, first="Teodor", last="Vasquez")
    supervisor = world.people["supervisor"]
    api = _api(supervisor)
    before = _last()
    response = api.get(f"/api/v1/exports/clients/?program={world.programs['p1'].pk}&file_format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["last_name"] for r in rows} == {"Brennecke", "Vasquez"}
    [event] = _new_events(before)
    assert event.actor_id == supervisor.pk
    assert event.detail["how"] == "export"
    assert set(event.detail["enrollments"]) == {first.pk, second.pk}
    assert set(event.detail["clients"]) == {first.client_id, second.client_id}
    assert event.ip == "203.0.113.7"
    assert event.state_id == world.state_a.pk


@pytest.mark.django_db
def test_a_client_sub_page_is_a_recorded_view(world: World, client_for) -> None:
    enrollment = enroll(world, first="Odalys", last="Brennecke")
    specialist = world.people["specialist"]
    for page in ("profile/", "job-search/", "jobs/new/", "education/new/", "benefits/new/"):
        before = _last()
        response = client_for(specialist).get(f"/clients/{enrollment.pk}/{page}")
        assert response.status_code == 200, page
        assert "Brennecke" in response.content.decode(), page
        [event] = _new_events(before)
        assert event.detail["how"] == "view" and event.detail["enrollment"] == enrollment.pk, page


@pytest.mark.django_db
def test_a_page_that_already_records_its_view_gets_no_second_event(world: World, client_for) -> None:
    enrollment = enroll(world, first="Odalys", last="Brennecke")
    before = _last()
    assert client_for(world.people["specialist"]).get(f"/clients/{enrollment.pk}/").status_code == 200
    assert _new_events(before) == []
    assert AuditEvent.objects.filter(pk__gt=before, action="client.view", detail__enrollment=enrollment.pk).exists()


@pytest.mark.django_db
def test_a_refusal_discloses_nothing_and_records_no_disclosure(world: World, client_for) -> None:
    enrollment = enroll(world, first="Odalys", last="Brennecke")
    before = _last()
    for outsider in ("other_agency_specialist", "other_state_director"):
        response = client_for(world.people[outsider]).get(f"/clients/{enrollment.pk}/profile/")
        assert response.status_code == 404
        assert "Brennecke" not in response.content.decode()
    assert _new_events(before) == []


@pytest.mark.django_db(transaction=True)
def test_no_export_leaves_when_its_disclosure_cannot_be_recorded() -> None:
    world = build_world(with_catalog=False)
    enroll(world, first="Marisol", last="Quintanilla")
    api = _api(world.people["supervisor"])
    browser = Client(raise_request_exception=False)
    browser.force_login(world.people["supervisor"])
    export = f"/api/v1/exports/clients/?program={world.programs['p1'].pk}&file_format=xlsx"
    assert api.get(export).status_code == 200
    _run(REFUSE[_vendor()])
    try:
        response = api.get(export)
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "audit_unavailable"
        assert b"Quintanilla" not in response.content
    finally:
        _run(ALLOW[_vendor()])


def _vendor() -> str:
    return connection.vendor
