"""The areas through the API: client records follow the clients area's field rules (the exact JSON
field names each role receives are pinned here), writes go through the areas' services (same messages,
same audit events), and the lists run a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ipshub.audit.models import AuditEvent
from ipshub.clients import services as client_services
from ipshub.clients.models import EmployerContact, Enrollment, Job
from ipshub.outcomes.models import QuarterlyReport
from tests.api.test_api import assert_error
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.fidelity.factories import planned_review
from tests.world import World

pytestmark = pytest.mark.django_db

CLIENT_FIELDS = {
    "id",
    "client",
    "program",
    "specialist",
    "referral_date",
    "referral_source",
    "referral_note",
    "status",
    "accepted_on",
    "first_meeting_on",
    "engaged_on",
    "closed_on",
    "closure_reason",
    "reopened_on",
    "jobs",
}
CLIENT_PERSON_FIELDS = {
    "id",
    "first_name",
    "last_name",
    "preferred_name",
    "birth_date",
    "record_number",
    "phone",
    "email",
    "preferred_language",
    "interpreter_needed",
}
JOB_FIELDS = {
    "id",
    "enrollment",
    "employer",
    "title",
    "job_type",
    "hours_per_week",
    "hourly_wage",
    "is_competitive",
    "disclosure",
    "started_on",
    "ended_on",
    "end_reason",
    "end_note",
    "next_job_help_offered_on",
}
# The DVR view (clients.selectors.DvrClientPage): employment and eligibility fields only.
DVR_FIELDS = {
    "id",
    "first_name",
    "last_name",
    "birth_date",
    "program_name",
    "specialist_name",
    "specialist_email",
    "status",
    "referral_date",
    "consent_expires_on",
    "dvr_case",
    "jobs",
}
DVR_ROW_FIELDS = {"id", "first_name", "last_name", "birth_date", "program_name", "status", "referral_date"}
DVR_JOB_FIELDS = {
    "employer",
    "title",
    "job_type",
    "hours_per_week",
    "hourly_wage",
    "is_competitive",
    "started_on",
    "ended_on",
    "end_reason",
}


def _with_job(world: World) -> Enrollment:
    enrollment = enroll(world)
    start_job(world.people["specialist"], enrollment, employer(world))
    return enrollment


def _share_with_dvr(world: World, enrollment: Enrollment) -> None:
    client_services.consent_create(
        actor=world.people["specialist"],
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(5),
    )


@pytest.mark.parametrize("persona", ["specialist", "supervisor", "case_manager", "reviewer"])
def test_whole_record_readers_get_exactly_these_fields(world: World, api, persona: str) -> None:
    if persona == "reviewer":
        planned_review(world)  # the reviewer reads the program's records during the review window
    enrollment = _with_job(world)
    client = api(world.people[persona])
    listed = client.get("/api/v1/clients/").json()
    assert [row["id"] for row in listed["results"]] == [enrollment.pk]
    row = listed["results"][0]
    detail = client.get(f"/api/v1/clients/{enrollment.pk}/").json()
    for record in (row, detail):
        assert set(record) == CLIENT_FIELDS
        assert set(record["client"]) == CLIENT_PERSON_FIELDS
        assert [set(job) for job in record["jobs"]] == [JOB_FIELDS]
    assert detail["jobs"][0]["employer"] == {"id": detail["jobs"][0]["employer"]["id"], "name": "Cedar Bakery"}
    views = AuditEvent.objects.filter(action="client.view", actor=world.people[persona], detail__view="full")
    assert views.count() == 1
    assert AuditEvent.objects.filter(action="client.list", actor=world.people[persona]).count() == 1


def test_the_dvr_counselor_with_a_consent_gets_only_the_dvr_view(world: World, api) -> None:
    enrollment = _with_job(world)
    counselor = api(world.counselor)
    assert counselor.get("/api/v1/clients/").json()["count"] == 0
    assert assert_error(counselor.get(f"/api/v1/clients/{enrollment.pk}/"), 404)
    _share_with_dvr(world, enrollment)
    assert counselor.get("/api/v1/clients/").json()["count"] == 0  # never the whole record
    rows = counselor.get("/api/v1/clients/shared/").json()["results"]
    assert [set(row) for row in rows] == [DVR_ROW_FIELDS]
    found = counselor.post("/api/v1/clients/shared/search/", {"q": rows[0]["last_name"]}, format="json").json()
    assert [row["id"] for row in found["results"]] == [enrollment.pk] and set(found["results"][0]) == DVR_ROW_FIELDS
    assert counselor.post("/api/v1/clients/search/", {"q": rows[0]["last_name"]}, format="json").json()["count"] == 0
    detail = counselor.get(f"/api/v1/clients/{enrollment.pk}/").json()
    assert set(detail) == DVR_FIELDS
    assert [set(job) for job in detail["jobs"]] == [DVR_JOB_FIELDS]
    assert detail["jobs"][0]["employer"] == "Cedar Bakery" and detail["dvr_case"] is None
    assert "record_number" not in str(detail) and "referral_note" not in str(detail)
    assert AuditEvent.objects.filter(action="client.view", actor=world.counselor, detail__view="dvr").count() == 1
    # Jobs are read through the DVR view only.
    job = Job.objects.get(enrollment=enrollment)
    assert_error(counselor.get(f"/api/v1/jobs/{job.pk}/"), 404)
    assert counselor.get("/api/v1/jobs/").json()["count"] == 0


def test_the_state_team_gets_no_client_records_and_outsiders_nothing(world: World, api) -> None:
    enrollment = _with_job(world)
    error = assert_error(api(world.state_lead).get("/api/v1/clients/"), 403, "permission_denied")
    assert "not shared with the state IPS team" in error["message"]
    assert_error(api(world.state_lead).get(f"/api/v1/clients/{enrollment.pk}/"), 403, "permission_denied")
    for name in ("other_agency_director", "other_agency_specialist", "other_state_lead"):
        assert_error(api(world.people[name]).get(f"/api/v1/clients/{enrollment.pk}/"), 404, "not_found")
    assert api(world.people["other_agency_specialist"]).get("/api/v1/clients/").json()["count"] == 0


def test_client_lists_filter_and_order(world: World, api) -> None:
    first = enroll(world, first="Ada", last="Zephyr", referred=50)
    second = enroll(world, first="Bea", last="Abbott", referred=10)
    client = api(world.supervisor)
    ids = lambda q: [r["id"] for r in client.get(f"/api/v1/clients/?{q}").json()["results"]]  # noqa: E731
    assert ids("") == [second.pk, first.pk]
    assert ids("ordering=referral_date") == [first.pk, second.pk]
    search = lambda q, url="/api/v1/clients/search/": client.post(url, {"q": q}, format="json")  # noqa: E731
    assert [r["id"] for r in search("zephyr").json()["results"]] == [first.pk]
    assert [
        r["id"]
        for r in client.post("/api/v1/clients/search/?ordering=referral_date", {"q": "a"}, format="json").json()[
            "results"
        ]
    ] == [
        first.pk,
        second.pk,
    ]
    # Names never go in URLs: a ?q= on the list is refused with the way to search.
    assert "POST" in assert_error(client.get("/api/v1/clients/?q=zephyr"), 400)["fields"]["q"][0]
    assert "q" in assert_error(search(""), 400)["fields"]
    assert_error(client.get("/api/v1/clients/search/"), 405)
    # Outsiders find nothing by name; the state team is refused as on the list.
    assert search("zephyr").json()["count"] == 1
    for name in ("other_agency_specialist", "other_state_lead", "other_state_director"):
        found = api(world.people[name]).post("/api/v1/clients/search/", {"q": "zephyr"}, format="json")
        assert found.status_code in (200, 403) and "Zephyr" not in found.content.decode()
    assert_error(api(world.state_lead).post("/api/v1/clients/search/", {"q": "zephyr"}, format="json"), 403)
    assert ids(f"referred_since={days_ago(20).isoformat()}") == [second.pk]
    assert ids("status=closed") == []
    assert "status" in assert_error(client.get("/api/v1/clients/?status=gone"), 400)["fields"]


# --- Writes ---------------------------------------------------------------------------------------


def _referral(world: World, **extra) -> dict:
    return {
        "program": world.programs["p1"].pk,
        "first_name": "Rosa",
        "last_name": "Marsh",
        "birth_date": "1988-02-03",
        "record_number": "MR-1001",
        "referral_date": days_ago(3).isoformat(),
        "referral_source": "case_manager",
        **extra,
    }


def test_a_case_manager_refers_a_client_through_the_service(world: World, api) -> None:
    client = api(world.case_manager)
    response = client.post("/api/v1/clients/", _referral(world), format="json")
    assert response.status_code == 201, response.content
    enrollment = Enrollment.objects.get(pk=response.json()["id"])
    assert response.json()["status"] == "received" and enrollment.client.record_number == "MR-1001"
    assert AuditEvent.objects.filter(action="client.refer", actor=world.case_manager).count() == 1
    again = assert_error(client.post("/api/v1/clients/", _referral(world), format="json"), 400, "invalid")
    assert "with this name and birth date" in again["fields"]["not_duplicate"][0]
    different = client.post("/api/v1/clients/", _referral(world, not_duplicate=True), format="json")
    assert different.status_code == 201
    future = client.post("/api/v1/clients/", _referral(world, referral_date="2999-01-01"), format="json")
    assert assert_error(future, 400)["fields"]["referral_date"] == [
        "The referral date can't be in the future: enter the day the referral was made."
    ]


def test_only_the_programs_people_may_refer(world: World, api) -> None:
    assert_error(api(world.counselor).post("/api/v1/clients/", _referral(world), format="json"), 403)
    assert_error(api(world.reviewer).post("/api/v1/clients/", _referral(world), format="json"), 403)
    other = api(world.people["other_agency_director"]).post("/api/v1/clients/", _referral(world), format="json")
    assert "program" in assert_error(other, 400)["fields"]
    assert Enrollment.objects.count() == 0


def test_the_specialist_logs_employer_contacts_and_records_jobs(world: World, api) -> None:
    enrollment = enroll(world)
    client = api(world.specialist)
    contact = client.post(
        "/api/v1/employer-contacts/",
        {
            "program": world.programs["p1"].pk,
            "new_employer_name": "Harbor Hardware",
            "enrollment": enrollment.pk,
            "contacted_on": days_ago(2).isoformat(),
            "purpose": "client",
            "outcome": "Manager will call back.",
        },
        format="json",
    )
    assert contact.status_code == 201, contact.content
    body = contact.json()
    assert body["employer"]["name"] == "Harbor Hardware" and body["specialist"]["username"] == "specialist"
    assert AuditEvent.objects.filter(action="client.employer_contact").count() == 1
    assert client.get("/api/v1/employer-contacts/").json()["count"] == 1
    hardware = body["employer"]["id"]
    assert client.get(f"/api/v1/employers/{hardware}/").json()["name"] == "Harbor Hardware"

    started = client.post(
        f"/api/v1/clients/{enrollment.pk}/jobs/",
        {
            "employer": hardware,
            "title": "Stock clerk",
            "job_type": "retail",
            "hours_per_week": "15",
            "hourly_wage": "17.25",
            "started_on": days_ago(1).isoformat(),
        },
        format="json",
    )
    assert started.status_code == 201, started.content
    job = started.json()
    assert job["hourly_wage"] == "17.25" and job["ended_on"] is None
    assert AuditEvent.objects.filter(action="client.job_start").count() == 1
    too_early = client.post(
        f"/api/v1/jobs/{job['id']}/end/",
        {"ended_on": days_ago(30).isoformat(), "end_reason": "quit"},
        format="json",
    )
    assert "A job can't end before it starts" in assert_error(too_early, 400)["fields"]["ended_on"][0]
    ended = client.post(
        f"/api/v1/jobs/{job['id']}/end/", {"ended_on": days_ago(0).isoformat(), "end_reason": "quit"}, format="json"
    )
    assert ended.status_code == 200, ended.content
    assert ended.json()["end_reason"] == "quit"
    assert AuditEvent.objects.filter(action="client.job_end").count() == 1
    assert client.get("/api/v1/jobs/?current=false").json()["count"] == 1


def test_readers_may_not_record_services(world: World, api) -> None:
    planned_review(world)
    enrollment = _with_job(world)
    _share_with_dvr(world, enrollment)
    job = Job.objects.get(enrollment=enrollment)
    body = {"new_employer_name": "X", "title": "T", "job_type": "food", "hours_per_week": "1"}
    body |= {"hourly_wage": "15", "started_on": days_ago(1).isoformat()}
    for persona in ("reviewer", "case_manager", "counselor"):
        client = api(world.people[persona])
        assert_error(client.post(f"/api/v1/clients/{enrollment.pk}/jobs/", body, format="json"), 403)
        end = {"ended_on": days_ago(0).isoformat(), "end_reason": "quit"}
        assert client.post(f"/api/v1/jobs/{job.pk}/end/", end, format="json").status_code in (403, 404)
        contact = {"program": world.programs["p1"].pk, "new_employer_name": "Y", "contacted_on": "2025-01-02"}
        contact["purpose"] = "client"
        assert_error(client.post("/api/v1/employer-contacts/", contact, format="json"), 403)
    assert Job.objects.count() == 1 and Job.objects.get().ended_on is None
    assert EmployerContact.objects.count() == 0


# --- Outcomes -------------------------------------------------------------------------------------


FIGURES = {"served": 40, "worked": 18, "in_education": 3, "job_starts": 5, "job_endings": 2}


def test_a_supervisor_submits_quarterly_outcomes(world: World, api) -> None:
    client = api(world.supervisor)
    program = world.programs["p1"].pk
    draft = client.post(
        "/api/v1/outcome-reports/", {"program": program, "year": 2025, "quarter": 3, **FIGURES}, format="json"
    )
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == "draft" and draft.json()["worked"] == 18
    again = client.post(
        "/api/v1/outcome-reports/",
        {"program": program, "year": 2025, "quarter": 3, **FIGURES, "worked": 20, "avg_hourly_wage": "16.40"},
        format="json",
    )
    assert again.status_code == 200 and again.json()["id"] == draft.json()["id"]
    assert again.json()["avg_hourly_wage"] == "16.40"
    report_id = draft.json()["id"]
    submitted = client.post(f"/api/v1/outcome-reports/{report_id}/submit/", format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["submitted_by"]["username"] == "supervisor"
    assert [
        e.action
        for e in AuditEvent.objects.filter(object_id=str(report_id), action__startswith="outcome_report.").order_by(
            "pk"
        )
    ] == [
        "outcome_report.create",
        "outcome_report.update",
        "outcome_report.submit",
    ]
    locked = client.post(
        "/api/v1/outcome-reports/", {"program": program, "year": 2025, "quarter": 3, **FIGURES}, format="json"
    )
    assert "waiting for the state team's review" in assert_error(locked, 400)["fields"]["quarter"][0]
    one_step = client.post(
        "/api/v1/outcome-reports/",
        {"program": program, "year": 2025, "quarter": 4, **FIGURES, "submit": True},
        format="json",
    )
    assert one_step.status_code == 201 and one_step.json()["status"] == "submitted"
    listed = api(world.state_lead).get(f"/api/v1/outcome-reports/?program={program}&status=submitted").json()
    assert listed["count"] == 2


def test_outcome_figures_get_the_services_messages_and_readers_403(world: World, api) -> None:
    program = world.programs["p1"].pk
    bad = api(world.supervisor).post(
        "/api/v1/outcome-reports/",
        {"program": program, "year": 2025, "quarter": 1, "served": 3, "worked": 5},
        format="json",
    )
    assert assert_error(bad, 400)["fields"] == {"worked": ["Worked (5) can't be more than served (3)."]}
    shapes = api(world.supervisor).post(
        "/api/v1/outcome-reports/", {"program": program, "year": 1999, "quarter": 5, "served": -1}, format="json"
    )
    assert set(assert_error(shapes, 400)["fields"]) == {"year", "quarter", "served"}
    body = {"program": program, "year": 2025, "quarter": 1, **FIGURES}
    assert_error(api(world.specialist).post("/api/v1/outcome-reports/", body, format="json"), 403)
    outsider = api(world.people["other_state_lead"]).post("/api/v1/outcome-reports/", body, format="json")
    assert "program" in assert_error(outsider, 400)["fields"]
    assert QuarterlyReport.objects.count() == 0


# --- Query counts ---------------------------------------------------------------------------------


AREA_LISTS = {
    "supervisor": ("/api/v1/clients/", "/api/v1/jobs/", "/api/v1/employers/", "/api/v1/employer-contacts/"),
    "counselor": ("/api/v1/clients/shared/",),
    "state_lead": ("/api/v1/outcome-reports/",),
}


def _count(client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def _grow(world: World, n: int, start: int) -> None:
    bakery = employer(world, name=f"Employer {start}")
    for i in range(start, start + n):
        enrollment = enroll(world, first=f"Grown{i}")
        start_job(world.specialist, enrollment, bakery)
        _share_with_dvr(world, enrollment)
        client_services.employer_contact_log(
            actor=world.specialist,
            program=world.programs["p1"],
            contacted_on=days_ago(1),
            purpose="client",
            employer=bakery,
            enrollment=enrollment,
        )
        QuarterlyReport.objects.create(
            program=world.programs["p1"],
            year=2000 + i,
            quarter=1,
            definition_code="worked_over_served",
            definition_version=1,
            due_on=datetime.date(2000 + i, 5, 1),
            served=10,
            worked=Decimal(3),
        )


def test_area_lists_run_a_fixed_number_of_queries(world: World, api) -> None:
    clients = {persona: api(world.people[persona]) for persona in AREA_LISTS}
    _grow(world, 2, 0)
    small = {path: _count(clients[p], path) for p, paths in AREA_LISTS.items() for path in paths}
    _grow(world, 12, 2)
    large = {path: _count(clients[p], path) for p, paths in AREA_LISTS.items() for path in paths}
    assert small == large
    assert max(large.values()) <= 14, large
