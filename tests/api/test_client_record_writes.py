"""The client record's own writes through the API (api/record_views.py): close and re-open; benefits planning,
education, support contacts; help toward the next job. Each does what the web form does (the same service: the
record changes and an audit event is left), refuses a person who may read but not do it (403), answers 404 to
people of another agency and another state, and a bad body with a 400 naming the field."""

from typing import Any

import pytest

from ipshub.audit.models import AuditEvent
from ipshub.clients import services as client_services
from ipshub.clients.models import Enrollment, Status
from tests.api.test_api import assert_error
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.world import World

pytestmark = pytest.mark.django_db
OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_director", "other_state_admin")


def _refused_everywhere(world: World, api: Any, url: str, body: dict[str, Any], *, reader: str) -> None:
    """`reader` may read the record but not do this: 403; people of another agency or state: 404."""
    assert_error(api(world.people[reader]).post(url, body, format="json"), 403)
    for who in OUTSIDERS:
        assert_error(api(world.people[who]).post(url, body, format="json"), 404)


def _audited(action: str, enrollment: Enrollment) -> int:
    return AuditEvent.objects.filter(action=action, detail__enrollment=enrollment.pk).count()


# --- The referral's next step ---------------------------------------------------------------------


def test_the_specialist_records_the_referrals_next_step(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/status/"
    response = api(world.specialist).post(url, {"to_status": "first_meeting", "on": days_ago(5)}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.FIRST_MEETING and response.has_header("ETag")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.first_meeting_on) == (Status.FIRST_MEETING, days_ago(5))
    assert _audited("client.status", enrollment) == 1
    response = api(world.supervisor).post(url, {"to_status": "engaged", "on": days_ago(2)}, format="json")
    assert response.status_code == 200 and response.json()["status"] == Status.ENGAGED


def test_the_next_step_refuses_bad_input_readers_and_outsiders(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/status/"
    specialist = api(world.specialist)
    error = assert_error(specialist.post(url, {"to_status": "closed", "on": "soon", "x": 1}, format="json"), 400)
    assert set(error["fields"]) == {"to_status", "on", "x"}
    error = assert_error(specialist.post(url, {"to_status": "engaged", "on": days_ago(400)}, format="json"), 400)
    assert "when the referral was opened" in error["fields"]["on"][0]
    error = assert_error(specialist.post(url, {"to_status": "engaged", "on": "9999-12-31"}, format="json"), 400)
    assert set(error["fields"]) == {"on"}
    client_services.enrollment_advance(
        actor=world.specialist, enrollment=enrollment, to_status="engaged", on=days_ago(3)
    )
    error = assert_error(specialist.post(url, {"to_status": "first_meeting", "on": days_ago(1)}, format="json"), 400)
    assert error["fields"]["to_status"] == ["The referral is already 'Engaged': choose a later step."]
    _refused_everywhere(world, api, url, {"to_status": "engaged", "on": days_ago(1).isoformat()}, reader="case_manager")
    assert _audited("client.status", enrollment) == 1


# --- Close and re-open ----------------------------------------------------------------------------


def test_the_supervisor_closes_and_reopens_an_enrollment(world: World, api) -> None:
    enrollment = enroll(world)
    supervisor = api(world.supervisor)
    closed_on = days_ago(3).isoformat()
    response = supervisor.post(
        f"/api/v1/clients/{enrollment.pk}/close/", {"reason": "not_interested", "on": closed_on}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.CLOSED and response.has_header("ETag")
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.closed_on.isoformat()) == (Status.CLOSED, closed_on)
    assert _audited("client.close", enrollment) == 1
    response = supervisor.post(f"/api/v1/clients/{enrollment.pk}/reopen/", {"on": days_ago(1)}, format="json")
    assert response.status_code == 200, response.content
    enrollment.refresh_from_db()
    assert enrollment.status == Status.ACCEPTED and enrollment.closed_on is None
    assert _audited("client.reopen", enrollment) == 1


def test_close_and_reopen_refuse_bad_input_with_the_web_messages(world: World, api) -> None:
    enrollment = enroll(world)
    supervisor = api(world.supervisor)
    url = f"/api/v1/clients/{enrollment.pk}/close/"
    error = assert_error(supervisor.post(url, {"reason": "bored", "on": "soon", "why": 1}, format="json"), 400)
    assert set(error["fields"]) == {"reason", "on", "why"}
    error = assert_error(supervisor.post(url, {"reason": "not_interested", "on": days_ago(400)}, format="json"), 400)
    assert "before the referral date" in error["fields"]["on"][0]
    reopen = f"/api/v1/clients/{enrollment.pk}/reopen/"
    error = assert_error(supervisor.post(reopen, {"on": days_ago(1)}, format="json"), 400)
    assert error["fields"]["on"] == ["The enrollment is open already."]
    assert Enrollment.objects.get(pk=enrollment.pk).status != Status.CLOSED


def test_close_and_reopen_are_the_supervisors_and_outsiders_see_nothing(world: World, api) -> None:
    enrollment = enroll(world)
    body = {"reason": "not_interested", "on": days_ago(1).isoformat()}
    _refused_everywhere(world, api, f"/api/v1/clients/{enrollment.pk}/close/", body, reader="specialist")
    _refused_everywhere(world, api, f"/api/v1/clients/{enrollment.pk}/reopen/", {"on": body["on"]}, reader="specialist")
    assert Enrollment.objects.get(pk=enrollment.pk).status != Status.CLOSED
    assert not AuditEvent.objects.filter(action__in=("client.close", "client.reopen")).exists()


# --- Benefits planning, education, supports -------------------------------------------------------

PARTS = {
    # part: (a good body, its audit action, a bad body, the field the 400 names, words of its message)
    "benefits-planning": (
        {"reason": "before_start", "offered_on": days_ago(10), "completed_on": days_ago(5), "planner": "WIPA"},
        "client.benefits",
        {"reason": "change", "offered_on": days_ago(5), "completed_on": days_ago(10)},
        "completed_on",
        "can't be completed before it was offered",
    ),
    "education": (
        {"course": "Welding I", "institution": "Pine College", "started_on": days_ago(30)},
        "client.education",
        {"course": "Welding I", "institution": "Pine College", "started_on": days_ago(30), "completed": True},
        "ended_on",
        "Enter the end date of a completed course.",
    ),
    "supports": (
        {"contacted_on": days_ago(2), "kind": "phone", "setting": "community", "note": "Checked in"},
        "client.support_contact",
        {"contacted_on": days_ago(200), "kind": "phone"},
        "contacted_on",
        "before the referral date",
    ),
}


@pytest.mark.parametrize("part", list(PARTS))
def test_the_specialist_adds_to_a_part_of_the_record_and_reads_it_back(world: World, api, part: str) -> None:
    good, action, _bad, _field, _words = PARTS[part]
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/{part}/"
    specialist = api(world.specialist)
    response = specialist.post(url, good, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert _audited(action, enrollment) == 1
    listed = api(world.supervisor).get(url)
    assert listed.status_code == 200 and listed.json() == [made]
    assert AuditEvent.objects.filter(action="client.view", detail__enrollment=enrollment.pk).exists()


@pytest.mark.parametrize("part", list(PARTS))
def test_a_part_of_the_record_refuses_bad_input_readers_and_outsiders(world: World, api, part: str) -> None:
    good, action, bad, field, words = PARTS[part]
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/{part}/"
    specialist = api(world.specialist)
    error = assert_error(specialist.post(url, bad, format="json"), 400)
    assert words in error["fields"][field][0]
    error = assert_error(specialist.post(url, {**good, "version": 3}, format="json"), 400)
    assert set(error["fields"]) == {"version"}
    assert_error(specialist.post(url, {}, format="json"), 400)
    _refused_everywhere(world, api, url, {k: str(v) for k, v in good.items()}, reader="case_manager")
    for who in OUTSIDERS:
        assert_error(api(world.people[who]).get(url), 404)
    assert _audited(action, enrollment) == 0


# --- Help toward the next job ---------------------------------------------------------------------


def test_help_toward_the_next_job_after_a_job_ended(world: World, api) -> None:
    enrollment = enroll(world)
    job = start_job(world.specialist, enrollment, employer(world))
    url = f"/api/v1/jobs/{job.pk}/next-job-help/"
    specialist = api(world.specialist)
    error = assert_error(specialist.post(url, {"on": days_ago(1)}, format="json"), 400)
    assert error["fields"]["on"] == ["The job has not ended."]
    client_services.job_end(actor=world.specialist, job=job, ended_on=days_ago(5), end_reason="quit")
    error = assert_error(specialist.post(url, {"on": days_ago(9), "note": "x"}, format="json"), 400)
    assert set(error["fields"]) == {"note"}
    error = assert_error(specialist.post(url, {"on": days_ago(9)}, format="json"), 400)
    assert error["fields"]["on"] == ["Help toward the next job is offered after the job ends."]
    _refused_everywhere(world, api, url, {"on": days_ago(3).isoformat()}, reader="case_manager")
    assert _audited("client.next_job_help", enrollment) == 0
    response = specialist.post(url, {"on": days_ago(3)}, format="json")
    assert response.status_code == 200, response.content
    job.refresh_from_db()
    assert job.next_job_help_offered_on == days_ago(3)
    assert _audited("client.next_job_help", enrollment) == 1


# --- The job search plan: written over, with the version read -------------------------------------


def test_the_job_search_plan_is_written_with_the_version_read(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/job-search-plan/"
    specialist = api(world.specialist)
    empty = specialist.get(url)
    assert empty.status_code == 200 and empty.json()["version"] == 0
    first = empty["ETag"]
    assert_error(specialist.put(url, {"goal": "Baker"}, format="json"), 428)
    response = specialist.put(url, {"goal": "Baker", "steps": "Visit Cedar"}, format="json", HTTP_IF_MATCH=first)
    assert response.status_code == 200, response.content
    assert response.json()["goal"] == "Baker" and response.json()["version"] == 1
    assert _audited("client.job_search_plan", enrollment) == 1
    stale = specialist.put(url, {"goal": "Cook"}, format="json", HTTP_IF_MATCH=first)
    assert stale.status_code == 412 and stale.json()["error"]["current_version"] == 1
    assert stale["ETag"] == response["ETag"]
    assert enrollment.job_search_plan.goal == "Baker"
    error = assert_error(specialist.put(url, {"goal": " "}, format="json", HTTP_IF_MATCH=response["ETag"]), 400)
    assert error["fields"]["goal"] == ["Write the job the person wants, in their words."]
    error = assert_error(
        specialist.put(url, {"goal": "x", "when": 1}, format="json", HTTP_IF_MATCH=response["ETag"]), 400
    )
    assert set(error["fields"]) == {"when"}


def test_the_job_search_plan_refuses_readers_and_outsiders(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/job-search-plan/"
    etag = api(world.specialist).get(url)["ETag"]
    assert_error(api(world.case_manager).put(url, {"goal": "Baker"}, format="json", HTTP_IF_MATCH=etag), 403)
    for who in OUTSIDERS:
        assert_error(api(world.people[who]).put(url, {"goal": "Baker"}, format="json", HTTP_IF_MATCH=etag), 404)
        assert_error(api(world.people[who]).get(url), 404)
    assert _audited("client.job_search_plan", enrollment) == 0


# --- The DVR case ---------------------------------------------------------------------------------


def test_the_dvr_case_is_written_with_the_version_read_and_the_programs_offices(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/dvr-case/"
    specialist = api(world.specialist)
    empty = specialist.get(url)
    assert empty.status_code == 200 and empty.json()["version"] == 0 and empty.json()["dvr_office"] is None
    read = empty["ETag"]
    body = {
        "dvr_office": world.orgs["dvr1"].pk,
        "counselor": world.counselor.pk,
        "referred_on": days_ago(20),
        "applied_on": days_ago(10),
        "eligibility": "pending",
    }
    foreign = {**body, "dvr_office": world.orgs["dvr_b"].pk, "counselor": world.people["other_state_lead"].pk}
    error = assert_error(specialist.put(url, foreign, format="json", HTTP_IF_MATCH=read), 400)
    assert set(error["fields"]) == {"dvr_office", "counselor"}
    backwards = {**body, "applied_on": days_ago(30)}
    error = assert_error(specialist.put(url, backwards, format="json", HTTP_IF_MATCH=read), 400)
    assert error["fields"]["applied_on"] == ["The application can't be before the referral to DVR."]
    response = specialist.put(url, body, format="json", HTTP_IF_MATCH=read)
    assert response.status_code == 200, response.content
    assert response.json()["dvr_office"] == world.orgs["dvr1"].pk and response.json()["version"] == 1
    assert enrollment.__class__.objects.get(pk=enrollment.pk).dvr_case.counselor == world.counselor
    assert _audited("client.dvr_case", enrollment) == 1
    assert specialist.put(url, body, format="json", HTTP_IF_MATCH=read).status_code == 412


def test_the_dvr_case_refuses_readers_and_outsiders(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/dvr-case/"
    etag = api(world.specialist).get(url)["ETag"]
    body = {"eligibility": "pending"}
    assert_error(api(world.case_manager).put(url, body, format="json", HTTP_IF_MATCH=etag), 403)
    for who in OUTSIDERS:
        assert_error(api(world.people[who]).put(url, body, format="json", HTTP_IF_MATCH=etag), 404)
        assert_error(api(world.people[who]).get(url), 404)
    assert _audited("client.dvr_case", enrollment) == 0


# --- The career profile ---------------------------------------------------------------------------


def test_each_career_profile_write_is_a_new_version_based_on_the_one_read(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/career-profile/"
    specialist = api(world.specialist)
    empty = specialist.get(url)
    assert empty.status_code == 200 and empty.json()["version"] == 0
    read = empty["ETag"]
    error = assert_error(specialist.put(url, {"reason": "First"}, format="json", HTTP_IF_MATCH=read), 400)
    assert "Write at least one part of the career profile" in error["message"]
    error = assert_error(specialist.put(url, {"hobbies": "chess"}, format="json", HTTP_IF_MATCH=read), 400)
    assert set(error["fields"]) == {"hobbies"}
    first = specialist.put(url, {"preferences": "Mornings, outdoors"}, format="json", HTTP_IF_MATCH=read)
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 1 and first.json()["written_by"]["id"] == world.specialist.pk
    assert specialist.put(url, {"strengths": "Punctual"}, format="json", HTTP_IF_MATCH=read).status_code == 412
    second = specialist.put(
        url, {"preferences": "Afternoons", "reason": "After the bakery"}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert second.status_code == 200 and second.json()["version"] == 2
    listed = api(world.supervisor).get(url + "versions/").json()
    assert [(p["version"], p["preferences"]) for p in listed] == [(2, "Afternoons"), (1, "Mornings, outdoors")]
    assert _audited("client.profile", enrollment) == 2


def test_the_career_profile_refuses_readers_and_outsiders(world: World, api) -> None:
    enrollment = enroll(world)
    url = f"/api/v1/clients/{enrollment.pk}/career-profile/"
    etag = api(world.specialist).get(url)["ETag"]
    body = {"preferences": "Mornings"}
    assert_error(api(world.case_manager).put(url, body, format="json", HTTP_IF_MATCH=etag), 403)
    for who in OUTSIDERS:
        assert_error(api(world.people[who]).put(url, body, format="json", HTTP_IF_MATCH=etag), 404)
        assert_error(api(world.people[who]).get(url), 404)
        assert_error(api(world.people[who]).get(url + "versions/"), 404)
    assert _audited("client.profile", enrollment) == 0


# --- Employers ------------------------------------------------------------------------------------


def test_the_ips_unit_adds_an_employer_as_on_the_web(world: World, api) -> None:
    program = world.programs["p1"]
    body = {"program": program.pk, "name": "Cedar Bakery", "industry": "Food", "contact_email": "hr@cedar.test"}
    specialist = api(world.specialist)
    response = specialist.post("/api/v1/employers/", body, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["name"] == "Cedar Bakery" and made["program"]["id"] == program.pk
    assert AuditEvent.objects.filter(action="employer.create", object_id=str(made["id"])).count() == 1
    error = assert_error(specialist.post("/api/v1/employers/", {**body, "name": "cedar bakery"}, format="json"), 400)
    assert "already has an employer named" in error["fields"]["name"][0]
    error = assert_error(
        specialist.post("/api/v1/employers/", {**body, "contact_email": "nope", "size": 3}, format="json"), 400
    )
    assert set(error["fields"]) == {"contact_email", "size"}


def test_employers_are_added_only_by_the_programs_ips_unit(world: World, api) -> None:
    body = {"program": world.programs["p1"].pk, "name": "Harbor Diner"}
    assert_error(api(world.case_manager).post("/api/v1/employers/", body, format="json"), 403)
    assert_error(api(world.people["other_state_director"]).post("/api/v1/employers/", body, format="json"), 403)
    error = assert_error(
        api(world.people["other_agency_specialist"]).post("/api/v1/employers/", body, format="json"), 400
    )
    assert "Choose a program whose IPS unit you belong to" in error["fields"]["program"][0]
    assert not AuditEvent.objects.filter(action="employer.create").exists()


def test_the_ips_unit_changes_an_employer_with_the_version_read(world: World, api) -> None:
    bakery, diner = employer(world), employer(world, name="Harbor Diner")
    url = f"/api/v1/employers/{bakery.pk}/"
    specialist = api(world.specialist)
    read = specialist.get(url)["ETag"]
    assert_error(specialist.patch(url, {"industry": "Food"}, format="json"), 428)
    error = assert_error(specialist.patch(url, {"name": "harbor diner"}, format="json", HTTP_IF_MATCH=read), 400)
    assert "already has an employer named" in error["fields"]["name"][0]
    error = assert_error(specialist.patch(url, {"program": 2}, format="json", HTTP_IF_MATCH=read), 400)
    assert set(error["fields"]) == {"program"}
    response = specialist.patch(url, {"industry": "Food", "hiring_needs": "Bakers"}, format="json", HTTP_IF_MATCH=read)
    assert response.status_code == 200, response.content
    assert response.json()["industry"] == "Food" and response.json()["name"] == "Cedar Bakery"
    assert response["ETag"] != read and response["ETag"] == specialist.get(url)["ETag"]
    bakery.refresh_from_db()
    assert bakery.hiring_needs == "Bakers" and diner.name == "Harbor Diner"
    event = AuditEvent.objects.get(action="employer.update", object_id=str(bakery.pk))
    assert event.detail["fields"] == ["hiring_needs", "industry"]
    assert specialist.patch(url, {"industry": "Retail"}, format="json", HTTP_IF_MATCH=read).status_code == 412


def test_an_employer_is_changed_only_by_its_programs_ips_unit(world: World, api) -> None:
    bakery = employer(world)
    url = f"/api/v1/employers/{bakery.pk}/"
    read = api(world.specialist).get(url)["ETag"]
    assert_error(api(world.director).patch(url, {"industry": "Food"}, format="json", HTTP_IF_MATCH=read), 403)
    for who in OUTSIDERS:
        assert_error(api(world.people[who]).patch(url, {"industry": "Food"}, format="json", HTTP_IF_MATCH=read), 404)
    assert not AuditEvent.objects.filter(action="employer.update").exists()
