"""Offline field work (issue #25), the server's side: GET /api/v1/offline/pack/ (what a device keeps: the person's own
caseload, nothing more) and POST /api/v1/offline/sync/ (entries logged offline become records through the same
services, dated when logged, idempotent, with conflicts the person resolves), and the sign-out that wipes the
device (Clear-Site-Data)."""

import datetime
import re
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipshub.accounts.middleware import SIGNED_IN_AT
from ipshub.api.models import OfflineEntry
from ipshub.audit.models import AuditEvent
from ipshub.clients import services
from ipshub.clients.models import EmployerContact, Enrollment, ProgressNote, SupportContact
from ipshub.collaboration.models import MentoringSession
from ipshub.tenancy.models import Membership, Person
from ipshub.tenancy.roles import Role
from tests.api.test_api import assert_error
from tests.clients.factories import days_ago, employer, enroll
from tests.world import World

pytestmark = pytest.mark.django_db
PACK, SYNC = "/api/v1/offline/pack/", "/api/v1/offline/sync/"
CLEAR = '"cache", "storage"'


def _specialist(world: World, username: str = "second") -> Person:
    person = Person.objects.create(username=username, first_name="Sam", last_name=username.title())
    Membership.objects.create(person=person, organization=world.orgs["provider1"], role=Role.EMPLOYMENT_SPECIALIST)
    return person


def _logged(minutes_ago: int = 0) -> str:
    return (timezone.now() - datetime.timedelta(minutes=minutes_ago)).isoformat()


def entry(kind: str, fields: dict, *, logged_at: str | None = None, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "kind": kind, "logged_at": logged_at or _logged(), "fields": fields, **extra}


def support(enrollment: Enrollment, **fields) -> dict:
    return entry(
        "support_contact",
        {"enrollment": enrollment.pk, "contacted_on": str(days_ago(1)), "kind": "in_person", "setting": "community"}
        | fields,
    )


def sync(client, *entries: dict) -> list[dict]:
    response = client.post(SYNC, {"entries": list(entries)}, format="json")
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    return response.json()["results"]


def written() -> tuple[int, ...]:
    return (
        EmployerContact.objects.count(),
        SupportContact.objects.count(),
        ProgressNote.objects.count(),
        MentoringSession.objects.count(),
        OfflineEntry.objects.count(),
    )


# --- The pack -------------------------------------------------------------------------------------------------


def test_the_specialist_gets_their_own_caseload_and_nothing_more(world: World, api) -> None:
    second = _specialist(world)
    mine = enroll(world, first="Ana", last="Ruiz")
    services.enrollment_assign(actor=world.supervisor, enrollment=enroll(world, specialist=None), specialist=second)
    closed = enroll(world)
    services.enrollment_close(actor=world.supervisor, enrollment=closed, on=days_ago(0), reason="moved")
    enroll(world, program="p2", referrer="other_agency_director", supervisor=None, specialist=None)
    shop = employer(world, name="Riverside Market")

    response = api(world.specialist).get(PACK)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["person"] == {"id": world.specialist.pk, "name": "Specialist Tester"}
    mine.refresh_from_db()
    assert body["caseload"] == [
        {
            "enrollment": mine.pk,
            "program": world.programs["p1"].pk,
            "name": "Ana Ruiz",
            "status": mine.status,
            "version": f"enrollment-{mine.pk}-v{mine.version}",
        }
    ]
    assert body["programs"] == [
        {
            "id": world.programs["p1"].pk,
            "name": "Program P1",
            "may_log_employer_contacts": True,
            "may_log_mentoring": False,
        }
    ]
    assert body["employers"] == [{"id": shop.pk, "program": world.programs["p1"].pk, "name": "Riverside Market"}]
    assert body["specialists"] == []
    assert set(body["choices"]) == {
        "employer_contact_purpose",
        "support_kind",
        "support_setting",
        "mentoring_activity",
        "note_kind",
    }
    assert ["client", "With the client"] in body["choices"]["note_kind"]
    generated = datetime.datetime.fromisoformat(body["generated_at"])
    wipe = datetime.datetime.fromisoformat(body["wipe_after"])
    assert wipe - generated == datetime.timedelta(seconds=settings.IPSHUB_SESSION_MAX_SECONDS)
    # Reading the caseload is a disclosure, recorded with the records it named.
    event = AuditEvent.objects.get(action="client.offline_pack")
    assert event.actor == world.specialist and event.detail["enrollments"] == [mine.pk]


def test_the_supervisor_gets_the_programs_open_caseload_and_the_specialists_to_mentor(world: World, api) -> None:
    second = _specialist(world)
    one = enroll(world)
    two = enroll(world, specialist=None)
    services.enrollment_assign(actor=world.supervisor, enrollment=two, specialist=second)
    unassigned = enroll(world, specialist=None, supervisor=None)
    body = api(world.supervisor).get(PACK).json()
    assert {row["enrollment"] for row in body["caseload"]} == {one.pk, two.pk, unassigned.pk}
    assert body["programs"][0]["may_log_mentoring"] is True
    assert {s["id"] for s in body["specialists"]} == {world.specialist.pk, second.pk}
    assert all(set(row) == {"enrollment", "program", "name", "status", "version"} for row in body["caseload"])


def test_the_pack_takes_the_same_queries_whatever_the_caseload(world: World, api) -> None:
    client = api(world.supervisor)
    enroll(world)
    employer(world)
    client.get(PACK)
    with CaptureQueriesContext(connection) as few:
        client.get(PACK)
    for n in range(6):
        enroll(world)
        employer(world, name=f"Shop {n}")
    _specialist(world)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(PACK).json()["caseload"]) == 7
    assert len(many) == len(few)


@pytest.mark.parametrize("outsider", ["other_agency_specialist", "other_state_director", "state_lead", "director"])
def test_people_without_a_caseload_to_record_for_get_an_empty_pack(world: World, api, outsider: str) -> None:
    enroll(world)
    employer(world)
    body = api(world.people[outsider]).get(PACK).json()
    assert body["caseload"] == [] and body["employers"] == [] and body["specialists"] == []
    # The other agency's specialist works in program P2's IPS unit: that program, none of P1.
    own = [world.programs["p2"].pk] if outsider == "other_agency_specialist" else []
    assert [p["id"] for p in body["programs"]] == own
    assert not AuditEvent.objects.filter(action="client.offline_pack").exists()


def test_the_pack_needs_a_signed_in_person(world: World) -> None:
    assert_error(Client().get(PACK), 401)


# --- Saving each kind ------------------------------------------------------------------------------------------


def test_each_kind_is_saved_through_its_service_with_the_time_it_was_logged(world: World, api) -> None:
    enrollment = enroll(world)
    shop = employer(world)
    logged = _logged(90)
    entries = [
        entry(
            "employer_contact",
            {
                "program": world.programs["p1"].pk,
                "enrollment": enrollment.pk,
                "employer": shop.pk,
                "contacted_on": str(days_ago(0)),
                "purpose": "introduce",
                "face_to_face": True,
            },
            logged_at=logged,
        ),
        support(enrollment, note="Met at the library"),
        entry(
            "progress_note",
            {"enrollment": enrollment.pk, "happened_on": str(days_ago(1)), "kind": "client", "text": "Talked jobs."},
        ),
    ]
    results = sync(api(world.specialist), *entries)
    assert [r["status"] for r in results] == ["saved"] * 3, results
    assert [r["id"] for r in results] == [e["id"] for e in entries]
    contact = EmployerContact.objects.get()
    assert results[0]["record"] == {
        "type": "employer_contact",
        "id": contact.pk,
        "url": reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk}),
    }
    assert contact.contacted_on == days_ago(0) and contact.specialist == world.specialist
    note = ProgressNote.objects.get()
    assert results[2]["record"]["url"] == f"/clients/{enrollment.pk}/notes/{note.pk}/"
    assert results[1]["problems"] is None and results[1]["conflict"] is None
    event = AuditEvent.objects.get(action="client.employer_contact")
    assert event.detail["logged_at"] == datetime.datetime.fromisoformat(logged).isoformat()
    assert event.detail["offline_entry"] == entries[0]["id"] and event.detail["enrollment"] == enrollment.pk
    assert event.logged_offline_at == datetime.datetime.fromisoformat(logged)
    for action, sent in (("client.support_contact", entries[1]), ("client.note_write", entries[2])):
        assert AuditEvent.objects.get(action=action).detail["offline_entry"] == sent["id"]
    assert set(OfflineEntry.objects.values_list("outcome", flat=True)) == {"saved"}
    # Only the events recorded while an entry was saved carry its detail.
    assert AuditEvent.objects.filter(detail__has_key="offline_entry").count() == 3
    assert not AuditEvent.objects.filter(action="api_token.create", detail__has_key="logged_at").exists()


def test_the_supervisor_logs_field_mentoring(world: World, api) -> None:
    fields = {
        "program": world.programs["p1"].pk,
        "specialist": world.specialist.pk,
        "date": str(days_ago(2)),
        "activity": "employer_visits",
        "feedback": "Good pitch.",
        "hours": "1.5",
    }
    [result] = sync(api(world.supervisor), entry("field_mentoring", fields))
    session = MentoringSession.objects.get()
    assert result["status"] == "saved" and result["record"]["type"] == "mentoring_session"
    assert result["record"]["id"] == session.pk and session.supervisor == world.supervisor
    assert AuditEvent.objects.get(action="mentoring.log").detail["offline_entry"] == result["id"]
    # A specialist may not: the service's refusal, nothing written.
    [refused] = sync(api(world.specialist), entry("field_mentoring", fields))
    assert refused["status"] == "problems"
    assert refused["problems"] == {
        "non_field_errors": ["Only an IPS supervisor of the program can log field mentoring."]
    }
    assert MentoringSession.objects.count() == 1


def test_the_same_entry_sent_twice_makes_one_record(world: World, api) -> None:
    enrollment = enroll(world)
    sent = support(enrollment)
    client = api(world.specialist)
    [first] = sync(client, sent)
    [again] = sync(client, sent)
    assert first["status"] == "saved" and again["status"] == "already_saved"
    assert again["record"] == first["record"]
    assert SupportContact.objects.count() == 1 and OfflineEntry.objects.count() == 1
    # Another person sending the same id learns nothing of the entry.
    [other] = sync(api(world.supervisor), sent)
    assert other["status"] == "problems" and other["record"] is None and "id" in other["problems"]


def test_entries_are_processed_in_order_each_on_its_own(world: World, api) -> None:
    enrollment = enroll(world)
    entries = [
        support(enrollment, note="first"),
        support(enrollment, contacted_on=str(days_ago(-3))),  # in the future: problems, the others still saved
        support(enrollment, note="third"),
    ]
    results = sync(api(world.specialist), *entries)
    assert [r["status"] for r in results] == ["saved", "problems", "saved"]
    assert [r["id"] for r in results] == [e["id"] for e in entries]
    assert results[0]["record"]["id"] < results[2]["record"]["id"]
    assert list(SupportContact.objects.order_by("pk").values_list("note", flat=True)) == ["first", "third"]


# --- Problems: nothing written --------------------------------------------------------------------------------


def test_bad_fields_come_back_as_problems_with_the_services_messages(world: World, api) -> None:
    enrollment = enroll(world)
    before = written()
    results = sync(
        api(world.specialist),
        support(enrollment, contacted_on=str(days_ago(-3))),
        entry("progress_note", {"enrollment": enrollment.pk, "happened_on": str(days_ago(1)), "kind": "client"}),
        entry("employer_contact", {"program": world.programs["p1"].pk, "contacted_on": "yesterday"}),
        support(enrollment, mood="great"),
        entry("support_contact", {"contacted_on": str(days_ago(1))}),
    )
    assert [r["status"] for r in results] == ["problems"] * 5
    assert "future" in results[0]["problems"]["contacted_on"][0]
    assert "text" in results[1]["problems"]
    assert {"contacted_on", "purpose"} <= set(results[2]["problems"])
    assert results[3]["problems"] == {"mood": ["This operation does not take this field."]}
    assert results[4]["problems"] == {"enrollment": ["Give the enrollment's id as a whole number."]}
    assert all(r["record"] is None and r["conflict"] is None for r in results)
    assert written() == before


@pytest.mark.parametrize("outsider", ["other_agency_specialist", "other_state_director", "case_manager"])
def test_outsiders_entries_about_others_clients_write_nothing(world: World, api, outsider: str) -> None:
    enrollment = enroll(world)
    shop = employer(world)
    client = api(world.people[outsider])
    before = written()
    events = AuditEvent.objects.count()
    results = sync(
        client,
        support(enrollment),
        entry(
            "progress_note",
            {"enrollment": enrollment.pk, "happened_on": str(days_ago(1)), "kind": "client", "text": "x"},
        ),
        entry(
            "employer_contact",
            {
                "program": world.programs["p1"].pk,
                "employer": shop.pk,
                "contacted_on": str(days_ago(1)),
                "purpose": "introduce",
            },
        ),
        entry(
            "field_mentoring",
            {
                "program": world.programs["p1"].pk,
                "specialist": world.specialist.pk,
                "date": str(days_ago(1)),
                "activity": "outreach",
                "feedback": "x",
            },
        ),
        support(enrollment, resolution="record_anyway"),
    )
    assert [r["status"] for r in results] == ["problems"] * 5
    assert (
        results[0]["problems"]
        == results[4]["problems"]
        == {"enrollment": ["There is no client record with this id on a caseload you can record for."]}
    )
    assert written() == before
    assert AuditEvent.objects.count() == events, list(AuditEvent.objects.values_list("action", "detail"))[-2:]


# --- Conflicts ------------------------------------------------------------------------------------------------


def test_a_client_transferred_after_logging_is_a_conflict_the_specialist_can_only_discard(world: World, api) -> None:
    second = _specialist(world)
    enrollment = enroll(world)
    sent = support(enrollment)  # logged now, before the transfer
    services.enrollment_assign(
        actor=world.supervisor, enrollment=enrollment, specialist=second, reason="Covers the east side"
    )
    client = api(world.specialist)
    before = written()
    [result] = sync(client, sent)
    assert result["status"] == "conflict" and result["record"] is None
    assert result["conflict"]["code"] == "client_transferred"
    assert result["conflict"]["choices"] == ["record_anyway", "discard"]
    assert "moved to another employment specialist" in result["conflict"]["message"]
    assert written() == before
    # Record anyway: the access layer no longer lets them record for the client.
    [anyway] = sync(client, sent | {"resolution": "record_anyway"})
    assert anyway["status"] == "problems" and "can no longer record" in anyway["problems"]["non_field_errors"][0]
    assert written() == before
    [discarded] = sync(client, sent | {"resolution": "discard"})
    assert discarded["status"] == "discarded"
    kept = OfflineEntry.objects.get(uuid=sent["id"])
    assert kept.outcome == "discarded" and kept.record_id is None and kept.person == world.specialist
    assert AuditEvent.objects.get(action="offline_entry.discard").detail["offline_entry"] == sent["id"]
    [again] = sync(client, sent | {"resolution": "record_anyway"})
    assert again["status"] == "discarded" and SupportContact.objects.count() == 0


def test_the_supervisor_records_anyway_after_a_transfer(world: World, api) -> None:
    second = _specialist(world)
    enrollment = enroll(world)
    sent = support(enrollment)
    services.enrollment_assign(actor=world.supervisor, enrollment=enrollment, specialist=second, reason="East side")
    client = api(world.supervisor)
    [result] = sync(client, sent)
    assert result["conflict"]["code"] == "client_transferred"
    [anyway] = sync(client, sent | {"resolution": "record_anyway"})
    assert anyway["status"] == "saved" and SupportContact.objects.get().by == world.supervisor


def test_the_conflict_is_told_in_the_persons_language(world: World, api) -> None:
    """The field page shows the server's reasons as they come: in Spanish for a person who reads Spanish."""
    second = _specialist(world)
    enrollment = enroll(world)
    sent = support(enrollment)
    services.enrollment_assign(actor=world.supervisor, enrollment=enrollment, specialist=second, reason="East side")
    response = api(world.supervisor).post(SYNC, {"entries": [sent]}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    [result] = response.json()["results"]
    assert result["conflict"]["code"] == "client_transferred"
    message = result["conflict"]["message"]
    assert message.startswith("Este cliente pasó a otro especialista de empleo el "), message
    assert re.search(r" el \d{1,2} de \w+ de \d{4}, ", message), message  # the date in Spanish too


def test_an_enrollment_closed_after_logging_is_a_conflict_recorded_anyway_on_request(world: World, api) -> None:
    enrollment = enroll(world)
    sent = support(enrollment)
    services.enrollment_close(actor=world.supervisor, enrollment=enrollment, on=days_ago(0), reason="moved")
    client = api(world.specialist)
    [result] = sync(client, sent)
    assert result["status"] == "conflict" and result["conflict"]["code"] == "client_closed"
    assert SupportContact.objects.count() == 0
    [anyway] = sync(client, sent | {"resolution": "record_anyway"})
    assert anyway["status"] == "saved" and SupportContact.objects.count() == 1
    assert AuditEvent.objects.get(action="client.support_contact").detail["offline_entry"] == sent["id"]


def test_closed_and_reopened_since_the_version_logged_is_record_changed(world: World, api) -> None:
    enrollment = enroll(world)
    sent = support(enrollment) | {"base_version": f"enrollment-{enrollment.pk}-v{enrollment.version}"}
    services.enrollment_close(actor=world.supervisor, enrollment=enrollment, on=days_ago(0), reason="moved")
    services.enrollment_reopen(actor=world.supervisor, enrollment=enrollment, on=days_ago(0))
    [result] = sync(api(world.specialist), sent)
    assert result["conflict"]["code"] == "record_changed"
    # A change that does not matter to the entry (a step forward) is no conflict.
    other = enroll(world)
    logged = support(other) | {"base_version": f"enrollment-{other.pk}-v{other.version}"}
    services.enrollment_advance(actor=world.specialist, enrollment=other, to_status="accepted", on=days_ago(0))
    [fine] = sync(api(world.specialist), logged)
    assert fine["status"] == "saved"


# --- Malformed bodies -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"entries": {"id": 1}}, "entries"),
        ({}, "entries"),
        ({"entries": [], "extra": 1}, "extra"),
        (
            {
                "entries": [
                    {"id": "not-a-uuid", "kind": "support_contact", "logged_at": "2026-12-07T09:00:00Z", "fields": {}}
                ]
            },
            "entries.0.id",
        ),
        (
            {
                "entries": [
                    {"id": str(uuid.uuid4()), "kind": "lunch", "logged_at": "2026-12-07T09:00:00Z", "fields": {}}
                ]
            },
            "entries.0.kind",
        ),
        (
            {"entries": [{"id": str(uuid.uuid4()), "kind": "support_contact", "logged_at": "soon", "fields": {}}]},
            "entries.0.logged_at",
        ),
        (
            {
                "entries": [
                    {
                        "id": str(uuid.uuid4()),
                        "kind": "support_contact",
                        "logged_at": "2026-12-07T09:00:00Z",
                        "fields": [],
                    }
                ]
            },
            "entries.0.fields",
        ),
        ({"entries": ["x"]}, "entries.0.non_field_errors"),
    ],
)
def test_malformed_bodies_are_a_400_in_the_error_shape(world: World, api, body: dict, field: str) -> None:
    before = written()
    error = assert_error(api(world.specialist).post(SYNC, body, format="json"), 400)
    assert field in error["fields"] or field.rsplit(".", 1)[0] in error["fields"], error
    assert written() == before


def test_more_than_fifty_entries_or_a_body_that_is_not_json_is_refused(world: World, api) -> None:
    enrollment = enroll(world)
    client = api(world.specialist)
    error = assert_error(client.post(SYNC, {"entries": [support(enrollment) for _ in range(51)]}, format="json"), 400)
    assert error["fields"]["entries"] == ["Send at most 50 entries at a time; send the rest in the next request."]
    assert_error(client.post(SYNC, "{not json", content_type="application/json"), 400)
    assert SupportContact.objects.count() == 0


# --- The browser's session, and the session's end ---------------------------------------------------------------


def test_the_field_page_uses_the_session_with_its_csrf_token(world: World, client_for) -> None:
    enrollment = enroll(world)
    browser = client_for(world.specialist)
    browser.handler.enforce_csrf_checks = True
    assert browser.get(PACK).json()["caseload"][0]["enrollment"] == enrollment.pk
    assert_error(browser.post(SYNC, {"entries": [support(enrollment)]}, content_type="application/json"), 403)
    browser.get(reverse("home"))  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        SYNC, {"entries": [support(enrollment)]}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "saved"
    session_start = browser.session[SIGNED_IN_AT]
    wipe = datetime.datetime.fromisoformat(browser.get(PACK).json()["wipe_after"])
    assert wipe.timestamp() == pytest.approx(session_start + settings.IPSHUB_SESSION_MAX_SECONDS, abs=1)


def test_a_session_without_its_second_factor_gets_nothing(world: World, client_for, settings) -> None:
    settings.IPSHUB_MFA_REQUIRED = True
    enroll(world)
    assert_error(client_for(world.specialist).get(PACK), 401)


def test_sign_out_and_the_absolute_limit_clear_the_site_data(world: World, client_for) -> None:
    browser = client_for(world.specialist)
    response = browser.post(reverse("logout"))
    assert response.status_code == 302 and response["Clear-Site-Data"] == CLEAR
    assert "Clear-Site-Data" not in client_for(world.specialist).get(reverse("home"))
    for path in (reverse("home"), PACK):
        ending = client_for(world.specialist)
        session = ending.session
        session[SIGNED_IN_AT] = time.time() - settings.IPSHUB_SESSION_MAX_SECONDS - 1
        session.save()
        ended = ending.get(path)
        assert ended["Clear-Site-Data"] == CLEAR
        if path == PACK:
            assert_error(ended, 401)
        else:
            assert ended.status_code == 302


def test_the_audit_log_shows_when_an_entry_was_logged_offline(world: World, api, client_for) -> None:
    enrollment = enroll(world)
    logged = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)
    sent = support(enrollment) | {"logged_at": logged.isoformat()}
    sync(api(world.specialist), sent)
    page = client_for(world.people["admin"]).get(reverse("audit:event_list")).content.decode()
    local = timezone.localtime(logged)
    assert f"logged offline at {local:%Y-%m-%d %H:%M}" in page
    report = client_for(world.people["admin"]).get(
        reverse("audit:client_report", kwargs={"enrollment_id": enrollment.pk})
    )
    assert f"logged offline at {local:%Y-%m-%d %H:%M}" in report.content.decode()
