"""Writes: bad input gets a clear message; the right people may write; audit events are left."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ipshub.areakit.hooks import FollowUpConverter, Hooks
from ipshub.audit.models import AuditEvent
from ipshub.collaboration import services, training
from ipshub.collaboration.models import Attendance, FollowUpStatus, MeetingKind
from tests.area_hooks import with_hooks
from tests.collaboration.factories import meeting, series

D = datetime.date
T = datetime.time


@pytest.mark.django_db
def test_a_meeting_ending_before_it_starts_is_refused(world) -> None:
    s = series(world)
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(actor=world.admin, series=s, date=D(2025, 3, 3), starts_at=T(10, 0), ends_at=T(9, 30))
    assert "can't end (9:30 AM) before or when it starts (10:00 AM)" in exc.value.message_dict["ends_at"][0]


@pytest.mark.django_db
def test_an_attendee_from_an_unrelated_agency_is_refused(world) -> None:
    s = series(world)
    with pytest.raises(ValidationError) as exc:
        meeting(world, s, D(2025, 3, 3), attendees=("supervisor", "other_agency_specialist"))
    message = exc.value.message_dict["attendees"][0]
    assert "Other Agency Specialist Tester (A Harbor Behavioral Health)" in message
    assert "partner organizations or the state IPS team" in message
    with pytest.raises(ValidationError):
        meeting(world, s, D(2025, 3, 3), attendees=("other_state_lead",))


@pytest.mark.django_db
def test_attendance_records_the_party_and_prefers_the_trainer_seat(world) -> None:
    s = series(world)
    m = meeting(world, s, D(2025, 3, 3), attendees=("trainer", "specialist", "counselor"), invited=("director",))
    rows = {a.person.username: (a.organization.name, a.role, a.status) for a in Attendance.objects.filter(meeting=m)}
    assert rows == {
        "trainer": ("A State IPS Team", "state_trainer", "attended"),
        "specialist": ("A Summit Employment", "employment_specialist", "attended"),
        "counselor": ("A DVR Pine Office", "dvr_counselor", "attended"),
        "director": ("A Pine County Human Services", "mh_director", "invited"),
    }
    assert AuditEvent.objects.filter(action="meeting.record", object_id=str(m.pk)).exists()


@pytest.mark.django_db
def test_nobody_is_both_present_and_absent(world) -> None:
    with pytest.raises(ValidationError) as exc:
        meeting(world, series(world), D(2025, 3, 3), attendees=("trainer",), invited=("trainer",))
    assert "both present and absent" in exc.value.message_dict["invited"][0]


@pytest.mark.django_db
def test_who_may_set_up_and_record_meetings(world) -> None:
    p1 = world.programs["p1"]
    services.series_create(actor=world.supervisor, program=p1, kind=MeetingKind.IPS_UNIT, title="Unit")
    with pytest.raises(PermissionDenied):
        services.series_create(actor=world.other_agency_director, program=p1, kind=MeetingKind.IPS_UNIT, title="X")
    with pytest.raises(ValidationError) as exc:
        services.series_create(actor=world.admin, program=p1, kind=MeetingKind.SUPERVISORS, title="X")
    assert "the state team does" in exc.value.message_dict["kind"][0]
    statewide = services.series_create(
        actor=world.state_lead,
        organization=world.orgs["team_a"],
        kind=MeetingKind.SUPERVISORS,
        title="Supervisors",
    )
    assert statewide.cadence == "quarterly"
    # Anyone in the state may attend a statewide meeting; nobody from another state.
    services.meeting_record(
        actor=world.state_lead,
        series=statewide,
        date=D(2025, 3, 5),
        starts_at=T(13, 0),
        ends_at=T(14, 0),
        attendees=[world.supervisor, world.other_agency_specialist],
    )
    with pytest.raises(ValidationError):
        services.meeting_record(
            actor=world.state_lead,
            series=statewide,
            date=D(2025, 3, 5),
            starts_at=T(13, 0),
            ends_at=T(14, 0),
            attendees=[world.other_state_director],
        )
    with pytest.raises(PermissionDenied):
        services.series_create(
            actor=world.supervisor, organization=world.orgs["team_a"], kind=MeetingKind.SUPERVISORS, title="X"
        )


@pytest.mark.django_db
def test_follow_ups_and_the_conversion_hook(world) -> None:
    m = meeting(world, series(world), D(2025, 3, 3), attendees=("supervisor",))
    with pytest.raises(ValidationError) as exc:
        services.follow_up_add(actor=world.admin, meeting=m, text="Call DVR", owner=world.other_agency_director)
    assert "is not part of this program" in exc.value.message_dict["owner"][0]
    with pytest.raises(ValidationError):
        services.follow_up_add(actor=world.admin, meeting=m, text="Late", due_on=D(2025, 3, 1))
    f = services.follow_up_add(
        actor=world.admin, meeting=m, text="Call DVR", owner=world.supervisor, due_on=D(2025, 3, 10)
    )
    services.follow_up_set_status(actor=world.supervisor, follow_up=f, status=FollowUpStatus.DONE)
    f.refresh_from_db()
    assert f.status == "done" and f.completed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        services.follow_up_convert(actor=world.admin, follow_up=f, target="responsibility")
    converter = FollowUpConverter("responsibility", "Make it a responsibility", lambda **kw: "responsibility:99")
    with with_hooks(Hooks(follow_up_converters=(converter,))):
        services.follow_up_convert(actor=world.admin, follow_up=f, target="responsibility")
    f.refresh_from_db()
    assert f.converted_to == "responsibility:99"


@pytest.mark.django_db
def test_a_training_completion_in_the_future_is_refused(world) -> None:
    seat = world.specialist.memberships.get()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.training_record(actor=world.specialist, membership=seat, course="ips_initial", completed_on=tomorrow)
    assert "can't be in the future" in exc.value.message_dict["completed_on"][0]
    with pytest.raises(ValidationError) as exc:
        services.training_record(actor=world.specialist, membership=seat, course="nope", completed_on=D(2025, 1, 1))
    assert "training catalog" in exc.value.message_dict["course"][0]
    done = services.training_record(
        actor=world.supervisor,
        membership=seat,
        course="ips_initial",
        completed_on=D(2025, 2, 1),
        hours=Decimal(28),
    )
    assert done.organization == world.orgs["provider1"]
    with pytest.raises(PermissionDenied):
        services.training_record(
            actor=world.other_agency_director,
            membership=seat,
            course="ips_initial",
            completed_on=D(2025, 2, 2),
        )
    with pytest.raises(PermissionDenied):  # a specialist can't record a colleague's training
        services.training_record(
            actor=world.specialist,
            membership=world.supervisor.memberships.get(),
            course="ips_initial",
            completed_on=D(2025, 2, 2),
        )


def test_the_training_catalog_is_valid_data() -> None:
    keys = [c.key for c in training.courses()]
    assert {"ips_initial", "mh_half_day", "online_dvr", "annual_conference", "quarterly_webinar"} <= set(keys)
    initial = training.course("ips_initial")
    assert initial is not None and initial.within_days == 365 and initial.duration == "3–4 days"
    assert [c.key for c in training.required_courses("case_manager")] == ["mh_half_day"]
    with pytest.raises(ValueError, match="unknown role"):
        training.parse_catalog({"courses": [{"key": "x", "title": "X", "recommended_for": ["wizard"]}]})
    with pytest.raises(ValueError, match="used twice"):
        training.parse_catalog({"courses": [{"key": "x", "title": "X"}, {"key": "x", "title": "Y"}]})


@pytest.mark.django_db
def test_mentoring_is_logged_by_the_programs_supervisor_with_its_specialist(world) -> None:
    p1 = world.programs["p1"]
    session = services.mentoring_log(
        actor=world.supervisor,
        program=p1,
        specialist=world.specialist,
        date=D(2025, 3, 3),
        activity="employer_visits",
        feedback="Good rapport with the bakery manager.",
        next_steps="Return with a work sample.",
    )
    assert session.supervisor == world.supervisor
    with pytest.raises(ValidationError) as exc:
        services.mentoring_log(
            actor=world.supervisor,
            program=p1,
            specialist=world.other_agency_specialist,
            date=timezone.localdate() + datetime.timedelta(days=3),
            activity="employer_visits",
            feedback="",
        )
    assert set(exc.value.message_dict) == {"specialist", "date", "feedback"}
    with pytest.raises(PermissionDenied):
        services.mentoring_log(
            actor=world.director,
            program=p1,
            specialist=world.specialist,
            date=D(2025, 3, 3),
            activity="other",
            feedback="x",
        )


@pytest.mark.django_db
def test_technical_assistance_is_logged_by_the_state_team(world) -> None:
    p1 = world.programs["p1"]
    activity = services.ta_log(
        actor=world.trainer,
        program=p1,
        date=D(2025, 3, 3),
        kind="visit",
        topics="Job development",
        hours=Decimal("2.5"),
    )
    assert activity.trainer == world.trainer
    with pytest.raises(ValidationError) as exc:
        services.ta_log(actor=world.trainer, program=p1, date=D(2025, 3, 3), kind="visit", topics=" ", hours=Decimal(0))
    assert set(exc.value.message_dict) == {"topics", "hours"}
    for outsider in (world.supervisor, world.other_state_lead):
        with pytest.raises(PermissionDenied):
            services.ta_log(actor=outsider, program=p1, date=D(2025, 3, 3), kind="call", topics="x", hours=Decimal(1))
