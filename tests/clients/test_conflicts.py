"""Two people save the same client record: the second gets EditConflict (the page: a 409 with both
versions); nothing is written by the refused save, and saving again from the conflict page is a
deliberate overwrite."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ipshub.audit.models import AuditEvent
from ipshub.clients import services
from ipshub.clients.models import CareerProfile, DvrCase, JobChange, JobSearchPlan
from ipshub.lib.concurrency import EditConflict
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.world import World

pytestmark = pytest.mark.django_db


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_a_job_change_from_a_stale_form_is_refused_and_nothing_is_written(world: World) -> None:
    enrollment = enroll(world)
    job = start_job(world.people["specialist"], enrollment, employer(world))
    loaded_at = job.version
    services.job_change(
        actor=world.people["supervisor"],
        job=job,
        changed_on=days_ago(2),
        title="Baker",
        hours_per_week=Decimal("25"),
        hourly_wage=Decimal("17.00"),
        expected_version=loaded_at,
    )
    stale = type(job).objects.get(pk=job.pk)
    stale.version = loaded_at  # what the second person's form was loaded at
    changes, events = JobChange.objects.count(), _events("client.job_change")
    with pytest.raises(EditConflict) as caught:
        services.job_change(
            actor=world.people["specialist"],
            job=stale,
            changed_on=days_ago(1),
            title="Head baker",
            hours_per_week=Decimal("30"),
            hourly_wage=Decimal("18.00"),
            expected_version=loaded_at,
        )
    assert caught.value.current_version == loaded_at + 1
    assert caught.value.saved == {
        "title": "Baker",
        "hours_per_week": Decimal("25.0"),
        "hourly_wage": Decimal("17.00"),
        "is_competitive": True,
    }
    job.refresh_from_db()
    assert (job.title, job.hours_per_week, job.version) == ("Baker", Decimal("25.0"), loaded_at + 1)
    assert JobChange.objects.count() == changes and _events("client.job_change") == events


def test_the_first_save_of_a_job_search_plan_is_not_overwritten_by_a_second_first_save(world: World) -> None:
    enrollment = enroll(world)
    services.job_search_plan_save(
        actor=world.people["specialist"], enrollment=enrollment, goal="Barista", expected_version=0
    )
    with pytest.raises(EditConflict) as caught:
        services.job_search_plan_save(
            actor=world.people["supervisor"], enrollment=enrollment, goal="Cook", expected_version=0
        )
    assert caught.value.current_version == 1 and caught.value.saved["goal"] == "Barista"
    plan = JobSearchPlan.objects.get(enrollment=enrollment)
    assert (plan.goal, plan.version) == ("Barista", 1)
    # From the version the conflict showed, the save goes through on purpose.
    services.job_search_plan_save(
        actor=world.people["supervisor"], enrollment=enrollment, goal="Cook", expected_version=1
    )
    plan.refresh_from_db()
    assert (plan.goal, plan.version) == ("Cook", 2)


def test_a_stale_dvr_case_save_is_refused(world: World) -> None:
    enrollment = enroll(world)
    fields = {
        "dvr_office": None,
        "counselor": None,
        "referred_on": days_ago(10),
        "applied_on": None,
        "eligibility": DvrCase.Eligibility.PENDING,
        "eligibility_on": None,
        "plan_started_on": None,
        "plan_ends_on": None,
    }
    services.dvr_case_save(actor=world.people["specialist"], enrollment=enrollment, expected_version=0, **fields)
    services.dvr_case_save(
        actor=world.people["supervisor"],
        enrollment=enrollment,
        expected_version=1,
        **dict(fields, applied_on=days_ago(5)),
    )
    with pytest.raises(EditConflict) as caught:
        services.dvr_case_save(
            actor=world.people["specialist"],
            enrollment=enrollment,
            expected_version=1,
            **dict(fields, eligibility=DvrCase.Eligibility.ELIGIBLE, eligibility_on=days_ago(1)),
        )
    assert caught.value.saved["applied_on"] == days_ago(5)
    case = DvrCase.objects.get(enrollment=enrollment)
    assert (case.eligibility, case.applied_on, case.version) == (DvrCase.Eligibility.PENDING, days_ago(5), 2)


def test_a_career_profile_based_on_an_older_version_is_refused(world: World) -> None:
    enrollment = enroll(world)
    services.career_profile_write(
        actor=world.people["specialist"], enrollment=enrollment, preferences="Mornings", expected_version=0
    )
    services.career_profile_write(
        actor=world.people["supervisor"], enrollment=enrollment, preferences="Outdoors", expected_version=1
    )
    with pytest.raises(EditConflict) as caught:
        services.career_profile_write(
            actor=world.people["specialist"], enrollment=enrollment, preferences="Evenings", expected_version=1
        )
    assert caught.value.current_version == 2 and caught.value.saved["preferences"] == "Outdoors"
    assert list(CareerProfile.objects.filter(enrollment=enrollment).values_list("version", "preferences")) == [
        (2, "Outdoors"),
        (1, "Mornings"),
    ]


def test_an_assignment_from_a_stale_form_is_refused(world: World) -> None:
    enrollment = enroll(world, specialist=None)
    loaded_at = enrollment.version
    services.enrollment_assign(
        actor=world.people["supervisor"],
        enrollment=enrollment,
        specialist=world.people["specialist"],
        expected_version=loaded_at,
    )
    enrollment.refresh_from_db()
    enrollment.specialist = None  # the second supervisor's page still showed nobody assigned
    with pytest.raises(EditConflict) as caught:
        services.enrollment_assign(
            actor=world.people["supervisor"],
            enrollment=enrollment,
            specialist=world.people["supervisor"],
            expected_version=loaded_at,
        )
    assert caught.value.saved == {"specialist": world.people["specialist"]}
    enrollment.refresh_from_db()
    assert enrollment.specialist == world.people["specialist"] and enrollment.version == loaded_at + 1


def test_two_saves_of_the_job_search_plan_page_the_second_sees_both_versions(world: World, client_for) -> None:
    enrollment = enroll(world)
    url = reverse("clients:job_search_plan", kwargs={"enrollment_id": enrollment.pk})
    specialist, supervisor = client_for(world.people["specialist"]), client_for(world.people["supervisor"])
    # Both load the empty form (version 0), then both save.
    assert 'name="version" value="0"' in specialist.get(url).content.decode()
    assert 'name="version" value="0"' in supervisor.get(url).content.decode()
    assert specialist.post(url, {"goal": "Barista at a café", "version": "0"}).status_code == 302
    response = supervisor.post(url, {"goal": "Line cook", "steps": "Visit three kitchens", "version": "0"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it." in page
    assert "Barista at a café" in page and "Line cook" in page  # both versions
    assert 'name="version" value="1"' in page  # saving again overwrites on purpose
    plan = JobSearchPlan.objects.get(enrollment=enrollment)
    assert (plan.goal, plan.steps, plan.version) == ("Barista at a café", "", 1)
    assert supervisor.post(url, {"goal": "Line cook", "version": "1"}).status_code == 302
    plan.refresh_from_db()
    assert (plan.goal, plan.version) == ("Line cook", 2)


def test_the_job_change_page_refuses_a_stale_save(world: World, client_for) -> None:
    enrollment = enroll(world)
    job = start_job(world.people["specialist"], enrollment, employer(world))
    url = reverse("clients:job_change", kwargs={"enrollment_id": enrollment.pk, "job_id": job.pk})
    form = {"changed_on": days_ago(1).isoformat(), "title": job.title, "version": str(job.version)}
    supervisor, specialist = client_for(world.people["supervisor"]), client_for(world.people["specialist"])
    assert supervisor.post(url, dict(form, hours_per_week="25", hourly_wage="17.00")).status_code == 302
    response = specialist.post(url, dict(form, hours_per_week="32", hourly_wage="18.25"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "25.0" in page and "32" in page and "17.00" in page and "18.25" in page
    job.refresh_from_db()
    assert (job.hours_per_week, job.hourly_wage) == (Decimal("25.0"), Decimal("17.00"))
    assert job.changes.count() == 1
