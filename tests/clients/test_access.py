"""Who sees which client records, and exactly which fields each role receives on the client page."""

import dataclasses

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.clients import access, services
from ipshub.clients.sections import Overview
from ipshub.clients.selectors import DvrCaseView, DvrClientPage, DvrJob
from ipshub.fidelity.access import reviewer_program_ids
from tests.clients.factories import days_ago, employer, enroll, start_job

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_admin", "other_state_lead")


@pytest.fixture
def records(world):
    mine = enroll(world)
    unassigned = enroll(world, supervisor=None, specialist=None)
    job = start_job(world.specialist, mine, employer(world))
    return {"mine": mine, "unassigned": unassigned, "job": job}


def _detail(client_for, person, enrollment) -> tuple[int, object]:
    response = client_for(person).get(reverse("clients:detail", kwargs={"enrollment_id": enrollment.pk}))
    return response.status_code, (response.context or {}).get("page") if response.status_code == 200 else None


def test_a_specialist_sees_their_own_caseload_only(world, records) -> None:
    visible = set(access.enrollments_visible_to(world.specialist))
    assert visible == {records["mine"]}


def test_a_supervisor_sees_the_programs_caseload(world, records) -> None:
    assert set(access.enrollments_visible_to(world.supervisor)) == {records["mine"], records["unassigned"]}


def test_mental_health_staff_see_their_agencys_clients(world, records) -> None:
    for name in ("director", "case_manager"):
        assert set(access.enrollments_visible_to(world.people[name])) == {
            records["mine"],
            records["unassigned"],
        }


def test_outsiders_see_nothing_and_get_404(world, records, client_for) -> None:
    for name in OUTSIDERS:
        person = world.people[name]
        assert not access.enrollments_visible_to(person).exists()
        assert not access.dvr_enrollments_visible_to(person).exists()
        assert _detail(client_for, person, records["mine"])[0] == 404


def test_the_state_team_gets_no_client_records(world, records, client_for) -> None:
    for name in ("admin", "state_lead", "trainer"):
        person = world.people[name]
        assert not access.enrollments_visible_to(person).exists()
        response = client_for(person).get(reverse("clients:detail", kwargs={"enrollment_id": records["mine"].pk}))
        assert response.status_code == 403
        assert "not shared with you" in response.content.decode()
        assert records["mine"].client.first_name not in response.content.decode()
        assert "page" not in response.context


def test_a_fidelity_reviewer_sees_nothing_outside_a_review_window(world, records, client_for) -> None:
    # Uses the real ipshub.fidelity.access.reviewer_program_ids: empty today, so the reviewer sees
    # no client records. (With the fidelity area's grants, the P1 reviewer would read P1 read-only.)
    reviewer = world.reviewer
    assert reviewer_program_ids(reviewer) == set()
    assert not access.enrollments_visible_to(reviewer).exists()
    status, page = _detail(client_for, reviewer, records["mine"])
    assert status == 403 and page is None  # the "not shared with you" page, with no record on it


def test_a_dvr_counselor_sees_a_client_only_under_an_active_consent(world, records, client_for) -> None:
    counselor, mine = world.counselor, records["mine"]
    assert _detail(client_for, counselor, mine)[0] == 404
    consent = services.consent_create(
        actor=world.case_manager,
        enrollment=mine,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(3),
    )
    status, page = _detail(client_for, counselor, mine)
    assert status == 200 and isinstance(page, DvrClientPage)
    assert set(access.dvr_enrollments_visible_to(counselor)) == {mine}
    # Revocation takes effect on the very next request.
    services.consent_revoke(actor=world.case_manager, enrollment=mine, consent=consent, how="writing")
    assert _detail(client_for, counselor, mine)[0] == 404
    assert not access.dvr_enrollments_visible_to(counselor).exists()


def test_an_expired_or_future_consent_shares_nothing(world, records, client_for) -> None:
    mine = records["mine"]
    services.consent_create(
        actor=world.case_manager,
        enrollment=mine,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(30),
        expires_on=days_ago(1),
    )
    assert _detail(client_for, world.counselor, mine)[0] == 404
    # A consent to another DVR office shares nothing with this one.
    services.consent_create(
        actor=world.case_manager,
        enrollment=mine,
        organization=world.orgs["dvr2"],
        scope="employment",
        starts_on=days_ago(1),
    )
    assert _detail(client_for, world.counselor, mine)[0] == 404


# The whole record's overview (clients/sections.py); each section reads only what it shows.
FULL_FIELDS = {
    "benefits_prompts",
    "next_job_prompts",
    "last_plan",
    "current_jobs",
    "past_jobs",
    "profile",
    "job_search_plan",
    "employer_contacts",
    "support_contacts",
    "education_current",
    "education_count",
    "dvr_case",
    "active_consents",
    "consents_count",
    "history",
}
DVR_FIELDS = {
    "enrollment_id",
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
DVR_CASE_FIELDS = {
    "dvr_office",
    "counselor",
    "referred_on",
    "applied_on",
    "eligibility",
    "eligibility_on",
    "plan_started_on",
    "plan_ends_on",
}


def _names(obj: object) -> set[str]:
    return {f.name for f in dataclasses.fields(obj)}  # type: ignore[arg-type]


def test_snapshot_of_the_fields_each_role_receives(world, records, client_for) -> None:
    mine = records["mine"]
    services.consent_create(
        actor=world.case_manager,
        enrollment=mine,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(3),
    )
    services.dvr_case_save(
        actor=world.counselor,
        enrollment=mine,
        dvr_office=world.orgs["dvr1"],
        counselor=world.counselor,
        referred_on=days_ago(2),
        applied_on=days_ago(1),
        eligibility="pending",
        eligibility_on=None,
        plan_started_on=None,
        plan_ends_on=None,
    )
    received = {}
    for name in ("specialist", "supervisor", "director", "case_manager", "counselor", "dvr_supervisor"):
        status, page = _detail(client_for, world.people[name], mine)
        assert status == 200, name
        received[name] = page
    for name in ("specialist", "supervisor", "director", "case_manager"):
        assert isinstance(received[name], Overview)
        assert _names(received[name]) == FULL_FIELDS
    for name in ("counselor", "dvr_supervisor"):
        page = received[name]
        assert type(page) is DvrClientPage
        assert _names(page) == DVR_FIELDS
        assert type(page.dvr_case) is DvrCaseView and _names(page.dvr_case) == DVR_CASE_FIELDS
        assert all(type(job) is DvrJob for job in page.jobs) and _names(page.jobs[0]) == DVR_JOB_FIELDS
        # Plain values only: nothing in the DVR view leads back to a model instance.
        for value in dataclasses.asdict(page).values():
            assert not hasattr(value, "_meta")


def test_the_dvr_page_shows_no_clinical_or_profile_fields(world, records, client_for) -> None:
    mine = records["mine"]
    services.career_profile_write(
        actor=world.specialist, enrollment=mine, legal_history="SECRET-LEGAL", barriers="SECRET-BARRIER"
    )
    services.consent_create(
        actor=world.case_manager,
        enrollment=mine,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(3),
    )
    html = (
        client_for(world.counselor).get(reverse("clients:detail", kwargs={"enrollment_id": mine.pk})).content.decode()
    )
    assert "SECRET" not in html and "Baker" in html
    full = (
        client_for(world.specialist)
        .get(reverse("clients:record_profile", kwargs={"enrollment_id": mine.pk}))
        .content.decode()
    )
    assert "SECRET-LEGAL" in full


def test_a_dvr_counselor_cannot_write_employment_services(world, records, client_for) -> None:
    mine = records["mine"]
    services.consent_create(
        actor=world.case_manager,
        enrollment=mine,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(3),
    )
    response = client_for(world.counselor).post(
        reverse("clients:support_add", kwargs={"enrollment_id": mine.pk}),
        {"contacted_on": days_ago(0).isoformat(), "kind": "phone", "setting": "office"},
    )
    assert response.status_code == 403
    assert not mine.support_contacts.exists()


def test_every_read_of_a_client_record_is_audited(world, records, client_for) -> None:
    mine = records["mine"]
    before = AuditEvent.objects.filter(action="client.view").count()
    _detail(client_for, world.specialist, mine)
    event = AuditEvent.objects.filter(action="client.view").latest("id")
    assert AuditEvent.objects.filter(action="client.view").count() == before + 1
    assert event.actor == world.specialist and event.detail["enrollment"] == mine.pk
    client_for(world.supervisor).get(reverse("clients:caseload"))
    listed = AuditEvent.objects.filter(action="client.list").latest("id")
    assert set(listed.detail["enrollments"]) == {mine.pk, records["unassigned"].pk}


def test_no_client_names_in_urls(world, records, client_for) -> None:
    html = client_for(world.supervisor).get(reverse("clients:caseload")).content.decode()
    name = records["mine"].client.first_name
    assert name in html
    import re

    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and not any(name in href for href in hrefs)


def test_anonymous_client_is_redirected(records) -> None:
    response = HttpClient().get(reverse("clients:detail", kwargs={"enrollment_id": records["mine"].pk}))
    assert response.status_code == 302
