"""The services: the referral flow, the bad input the issue names, and nothing half-saved."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ipshub.audit.models import AuditEvent
from ipshub.clients import services
from ipshub.clients.models import Client, Enrollment, EnrollmentEvent, Job, Status
from ipshub.tenancy.models import Phase
from tests.clients.factories import days_ago, employer, enroll, start_job
from tests.implementation.helpers import complete_partnership

pytestmark = pytest.mark.django_db


def test_the_first_referral_moves_the_program_into_implementation(world) -> None:
    program = world.programs["p1"]
    assert program.phase == Phase.PRIOR
    # Until the partnership set-up is done (implementation's gate), a referral is recorded but the phase waits.
    enroll(world, referred=5)
    program.refresh_from_db()
    assert program.phase == Phase.PRIOR
    complete_partnership(program, world.people["state_lead"])  # the gate opens: the held referral moves it
    program.refresh_from_db()
    assert program.phase == Phase.IMPLEMENTATION
    assert program.phase_since == program.first_referral_on
    enrollment = enroll(world, referred=3)
    assert program.first_referral_on < enrollment.referral_date
    # A further referral changes nothing.
    enroll(world, referred=1)
    program.refresh_from_db()
    assert program.phase_changes.count() == 2


def test_a_referral_dated_in_the_future_is_refused_and_nothing_is_saved(world) -> None:
    with pytest.raises(ValidationError) as caught:
        services.referral_create(
            actor=world.case_manager,
            program=world.programs["p1"],
            first_name="Ada",
            last_name="Byron",
            birth_date=datetime.date(1990, 1, 1),
            referral_date=datetime.date.today() + datetime.timedelta(days=1),
            referral_source="self",
        )
    assert "can't be in the future" in caught.value.message_dict["referral_date"][0]
    assert not Client.objects.exists() and not Enrollment.objects.exists()


def test_a_likely_duplicate_client_is_flagged_and_can_be_confirmed(world) -> None:
    enroll(world, first="Ada", last="Byron")
    kwargs = dict(
        actor=world.case_manager,
        program=world.programs["p1"],
        first_name=" ada ",
        last_name="BYRON",
        birth_date=datetime.date(1990, 5, 17),
        referral_date=days_ago(1),
        referral_source="self",
    )
    with pytest.raises(ValidationError) as caught:
        services.referral_create(**kwargs)
    assert "with this name and birth date" in caught.value.message_dict["not_duplicate"][0]
    assert Client.objects.count() == 1
    services.referral_create(**kwargs, not_duplicate=True)
    assert Client.objects.count() == 2


def test_the_same_name_in_another_agency_is_not_a_duplicate(world) -> None:
    enroll(world, first="Ada", last="Byron")
    enroll(
        world,
        program="p2",
        referrer="other_agency_director",
        supervisor=None,
        specialist=None,
        first="Ada",
        last="Byron",
    )
    assert Client.objects.count() == 2


def test_the_referral_moves_through_its_steps_and_closes_and_reopens(world) -> None:
    enrollment = enroll(world, referred=40)
    for step, days in ((Status.ACCEPTED, 35), (Status.FIRST_MEETING, 30), (Status.ENGAGED, 20)):
        services.enrollment_advance(actor=world.specialist, enrollment=enrollment, to_status=step, on=days_ago(days))
    with pytest.raises(ValidationError):
        services.enrollment_advance(
            actor=world.specialist, enrollment=enrollment, to_status=Status.ACCEPTED, on=days_ago(1)
        )
    with pytest.raises(PermissionDenied):
        services.enrollment_close(actor=world.specialist, enrollment=enrollment, on=days_ago(1), reason="moved")
    services.enrollment_close(actor=world.supervisor, enrollment=enrollment, on=days_ago(5), reason="moved")
    assert enrollment.status == Status.CLOSED and enrollment.closed_on == days_ago(5)
    with pytest.raises(ValidationError):
        services.enrollment_reopen(actor=world.supervisor, enrollment=enrollment, on=days_ago(6))
    services.enrollment_reopen(actor=world.supervisor, enrollment=enrollment, on=days_ago(1))
    enrollment.refresh_from_db()
    assert enrollment.status == Status.ACCEPTED and enrollment.closed_on is None
    kinds = list(enrollment.events.filter(kind="status").values_list("to_value", flat=True))
    assert kinds == ["received", "accepted", "first_meeting", "engaged", "closed", "accepted"]


def test_only_the_units_specialists_can_be_assigned(world) -> None:
    enrollment = enroll(world, supervisor=None, specialist=None)
    with pytest.raises(ValidationError) as caught:
        services.enrollment_assign(
            actor=world.supervisor, enrollment=enrollment, specialist=world.other_agency_specialist
        )
    assert "not an employment specialist" in caught.value.message_dict["specialist"][0]
    with pytest.raises(PermissionDenied):
        services.enrollment_assign(actor=world.case_manager, enrollment=enrollment, specialist=world.specialist)
    services.enrollment_assign(actor=world.supervisor, enrollment=enrollment, specialist=world.specialist)
    assert EnrollmentEvent.objects.filter(enrollment=enrollment, kind="assign").count() == 1


def test_a_job_cannot_end_before_it_starts(world) -> None:
    enrollment = enroll(world)
    job = start_job(world.specialist, enrollment, employer(world), started=20)
    with pytest.raises(ValidationError) as caught:
        services.job_end(actor=world.specialist, job=job, ended_on=days_ago(25), end_reason="quit")
    assert "can't end before it starts" in caught.value.message_dict["ended_on"][0]
    job.refresh_from_db()
    assert job.ended_on is None and job.end_reason == ""


@pytest.mark.parametrize(("hours", "wage", "field"), [("-1", "15", "hours_per_week"), ("20", "-0.01", "hourly_wage")])
def test_negative_hours_or_wages_are_refused(world, hours, wage, field) -> None:
    enrollment = enroll(world)
    with pytest.raises(ValidationError) as caught:
        services.job_start(
            actor=world.specialist,
            enrollment=enrollment,
            new_employer_name="Brand New Diner",
            title="Cook",
            job_type="food",
            hours_per_week=Decimal(hours),
            hourly_wage=Decimal(wage),
            started_on=days_ago(2),
        )
    assert "can't be negative" in caught.value.message_dict[field][0]
    # Nothing half-saved: not the job, and not the new employer typed on the same form.
    assert not Job.objects.exists()
    assert not world.programs["p1"].employers.exists()


def test_job_start_adds_a_new_employer_typed_on_the_form(world) -> None:
    enrollment = enroll(world)
    job = services.job_start(
        actor=world.specialist,
        enrollment=enrollment,
        new_employer_name="Brand New Diner",
        title="Cook",
        job_type="food",
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("16"),
        started_on=days_ago(2),
    )
    assert job.employer.name == "Brand New Diner" and job.employer.program == world.programs["p1"]


def test_career_profile_is_versioned(world) -> None:
    enrollment = enroll(world)
    services.career_profile_write(actor=world.specialist, enrollment=enrollment, preferences="Outdoors")
    second = services.career_profile_write(
        actor=world.specialist, enrollment=enrollment, preferences="Outdoors, mornings", reason="After a job"
    )
    assert second.version == 2 and enrollment.profiles.count() == 2
    with pytest.raises(ValidationError):
        services.career_profile_write(actor=world.specialist, enrollment=enrollment, preferences="  ")


def test_writes_are_limited_to_the_caseload(world) -> None:
    mine = enroll(world)
    with pytest.raises(PermissionDenied):
        services.support_contact_log(
            actor=world.other_agency_specialist,
            enrollment=mine,
            contacted_on=days_ago(1),
            kind="phone",
            setting="office",
        )
    with pytest.raises(PermissionDenied):
        services.support_contact_log(
            actor=world.case_manager,
            enrollment=mine,
            contacted_on=days_ago(1),
            kind="phone",
            setting="office",
        )
    with pytest.raises(PermissionDenied):
        services.employer_create(actor=world.other_agency_specialist, program=world.programs["p1"], name="X")


def test_employer_contacts_and_support_contacts_are_logged_and_audited(world) -> None:
    enrollment = enroll(world)
    bakery = employer(world)
    services.employer_contact_log(
        actor=world.specialist,
        program=world.programs["p1"],
        employer=bakery,
        enrollment=enrollment,
        contacted_on=days_ago(0),
        purpose="client",
    )
    services.support_contact_log(
        actor=world.specialist,
        enrollment=enrollment,
        contacted_on=days_ago(0),
        kind="in_person",
        setting="community",
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"client.refer", "client.assign", "client.employer_contact", "client.support_contact"} <= actions
    # Audit summaries name records by id, never a client's name.
    assert not AuditEvent.objects.filter(summary__icontains=enrollment.client.first_name).exists()


def test_consent_expiry_before_start_is_refused(world) -> None:
    enrollment = enroll(world)
    with pytest.raises(ValidationError) as caught:
        services.consent_create(
            actor=world.case_manager,
            enrollment=enrollment,
            organization=world.orgs["dvr1"],
            scope="employment",
            starts_on=days_ago(1),
            expires_on=days_ago(5),
        )
    assert "expires_on" in caught.value.message_dict
