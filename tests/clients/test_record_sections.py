"""The client record in sections (clients/sections.py, record_views.py): each section at its own address, read
through the access layer and recorded as a view, in a fixed number of queries; forms go back to their section."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.clients import services
from ipshub.clients.sections import SECTIONS, record_url, section_url
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.world import World

pytestmark = pytest.mark.django_db

OUTSIDERS = ("other_agency_director", "other_agency_specialist", "other_state_lead", "other_state_director")
# What each section shows of a full record (see _full_record), and nothing of another section's.
SHOWS = {
    "overview": ["Referral and enrollment", "Baker&#x27;s assistant at Cedar Bakery", "Shared with A DVR Pine Office"],
    "profile": ["Mornings near the bus line", "Earlier versions", "Benefits planning", "WIPA counselor"],
    "job_search": ["Stock work downtown"],
    "employer_contacts": ["Employer contacts for Noor", "Asked about openings"],
    "jobs": ["Baker&#x27;s assistant (Food service)", "Record the ending"],
    "supports": ["Follow-along supports", "Checked in after the first week"],
    "education": ["Forklift certificate at Harbor College"],
    "dvr": ["Referred to DVR"],
    "consents": ["Consents to share", "A DVR Pine Office"],
    "history": ["Referral received"],
    "notes": ["Progress notes", "No notes yet."],
    "documents": ["Documents", "No documents yet."],
}


def _full_record(world: World, contacts: int = 1, first: str = "Noor", bakery_name: str = "Cedar Bakery"):
    specialist = world.people["specialist"]
    enrollment = enroll(world, first=first)
    bakery = employer(world, name=bakery_name)
    start_job(specialist, enrollment, bakery)
    services.career_profile_write(actor=specialist, enrollment=enrollment, preferences="Nights.")
    services.career_profile_write(
        actor=specialist, enrollment=enrollment, preferences="Mornings near the bus line", expected_version=1
    )
    services.benefits_planning_record(
        actor=specialist,
        enrollment=enrollment,
        reason="before_start",
        offered_on=days_ago(40),
        planner="WIPA counselor",
    )
    services.job_search_plan_save(actor=specialist, enrollment=enrollment, goal="Stock work downtown")
    for k in range(contacts):
        services.employer_contact_log(
            actor=specialist,
            program=world.programs["p1"],
            employer=bakery,
            enrollment=enrollment,
            contacted_on=days_ago(1 + k % 30),
            purpose="client",
            outcome="Asked about openings",
        )
        services.support_contact_log(
            actor=specialist,
            enrollment=enrollment,
            contacted_on=days_ago(1 + k % 30),
            kind="phone",
            setting="office",
            note="Checked in after the first week",
        )
    services.education_add(
        actor=specialist,
        enrollment=enrollment,
        course="Forklift certificate",
        institution="Harbor College",
        started_on=days_ago(20),
    )
    services.consent_create(
        actor=specialist,
        enrollment=enrollment,
        organization=world.orgs["dvr1"],
        scope="employment",
        starts_on=days_ago(10),
    )
    services.dvr_case_save(
        actor=specialist,
        enrollment=enrollment,
        dvr_office=world.orgs["dvr1"],
        counselor=world.people["counselor"],
        referred_on=days_ago(5),
        applied_on=None,
        eligibility="pending",
        eligibility_on=None,
        plan_started_on=None,
        plan_ends_on=None,
    )
    return enrollment


def test_each_section_has_its_address_shows_its_part_and_is_recorded(world: World, client_for) -> None:
    enrollment = _full_record(world)
    c = client_for(world.people["specialist"])
    for section in SECTIONS:
        url = section_url(enrollment.pk, section.key)
        if section.key != "overview":
            assert url == f"/clients/{enrollment.pk}/record/{section.slug}/"
        before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        response = c.get(url)
        assert response.status_code == 200, section.key
        html = response.content.decode()
        assert "<h1>Noor Tester</h1>" in html, section.key
        for text in SHOWS[section.key]:
            assert text in html, (section.key, text)
        if section.key not in ("overview", "job_search"):
            assert "Stock work downtown" not in html, section.key  # each section reads only its own part
        assert f'aria-current="page">{section.label}<' in html, section.key
        [event] = AuditEvent.objects.filter(pk__gt=before, action="client.view")
        assert event.actor_id == world.specialist.pk and event.detail["enrollment"] == enrollment.pk
        assert event.detail.get("section", "overview") == section.key


def test_sections_are_closed_to_outsiders_and_to_the_dvr_view(world: World, client_for) -> None:
    enrollment = _full_record(world)
    sections = [s for s in SECTIONS if s.key != "overview"]
    for name in OUTSIDERS:
        for section in sections:
            response = client_for(world.people[name]).get(section_url(enrollment.pk, section.key))
            assert response.status_code == 404, (name, section.key)
    # The DVR counselor (consent to their office) has the DVR view: the overview, and of the case file only
    # what is shared with DVR (tests/clients/test_case_file.py).
    counselor = client_for(world.people["counselor"])
    assert counselor.get(section_url(enrollment.pk, "overview")).status_code == 200
    for section in [s for s in sections if s.key not in ("notes", "documents")]:
        response = counselor.get(section_url(enrollment.pk, section.key))
        assert response.status_code == 403 and "Mornings" not in response.content.decode(), section.key
    # The state team: the "not shared with you" page.
    response = client_for(world.people["state_lead"]).get(section_url(enrollment.pk, "jobs"))
    assert response.status_code == 403 and "not shared with you" in response.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["specialist", "supervisor", "case_manager"])
def test_every_section_runs_a_fixed_number_of_queries(world: World, client_for, who: str) -> None:
    small = _full_record(world, contacts=2)
    large = _full_record(world, contacts=40, first="Nadia", bakery_name="Harbor Bakery")
    c = client_for(world.people[who])
    for section in SECTIONS:
        assert _queries(c, section_url(small.pk, section.key)) == _queries(c, section_url(large.pk, section.key)), (
            section.key
        )


def test_long_lists_are_paged(world: World, client_for) -> None:
    enrollment = _full_record(world, contacts=30)
    c = client_for(world.people["supervisor"])
    for key in ("employer_contacts", "supports"):
        first = c.get(section_url(enrollment.pk, key))
        assert len(first.context["page_obj"]) == 25 and first.context["page_obj"].paginator.count == 30
        assert len(c.get(section_url(enrollment.pk, key) + "?page=2").context["page_obj"]) == 5


def test_a_saved_form_goes_back_to_its_section(world: World, client_for) -> None:
    enrollment = enroll(world)
    c = client_for(world.people["specialist"])
    ids = {"enrollment_id": enrollment.pk}
    saved = c.post(reverse("clients:job_search_plan", kwargs=ids), {"goal": "Library work", "version": 0})
    assert saved.status_code == 302 and saved["Location"] == reverse("clients:record_job_search", kwargs=ids)
    saved = c.post(
        reverse("clients:education_add", kwargs=ids),
        {"course": "GED", "institution": "Adult school", "started_on": days_ago(3).isoformat()},
    )
    assert saved["Location"] == reverse("clients:record_education", kwargs=ids)
    assert record_url(enrollment.pk, "benefits") == reverse("clients:record_profile", kwargs=ids) + "#benefits"
    assert record_url(enrollment.pk, "") == record_url(enrollment.pk, "unknown") == f"/clients/{enrollment.pk}/"
    # Links made before the record had sections (#jobs, #profile...) still land on the overview's card.
    html = c.get(reverse("clients:detail", kwargs=ids)).content.decode()
    for anchor in ("profile", "benefits", "job-search", "employer-contacts", "jobs", "supports", "education", "dvr"):
        assert f'id="{anchor}"' in html, anchor
    assert 'id="consents"' in html and 'id="history"' in html
