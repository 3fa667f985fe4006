"""Collaboration's records fulfil the roles matrix (collaboration/work.py): each source closes its
assignment with a link through the real services, and undoing the work reopens it with the reason."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ipshub.collaboration import services
from ipshub.collaboration.models import Meeting, MeetingKind, MeetingSeries, TrainingCompletion
from ipshub.collaboration.work import SOURCES
from ipshub.implementation.fulfilment import PERIODS, assignments_reconcile
from ipshub.implementation.models import Assignment, ItemStatus, StatusSource
from ipshub.tenancy.models import Person, Phase, Program
from ipshub.tenancy.services import program_note_event
from tests.fidelity.factories import delivered_review
from tests.implementation.helpers import complete_partnership, to_ongoing
from tests.work_changed import committed
from tests.world import World

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Read at each use, not once at import: a run that passes local midnight would compare two days."""
    return timezone.localdate()


def quarter() -> str:
    return PERIODS["quarter"](today()).key


def year() -> str:
    return PERIODS["year"](today()).key


MISSING = {source.key: source.missing for source in SOURCES}


def assignment(program: Program, key: str, period_key: str = "") -> Assignment:
    return Assignment.objects.get(program=program, responsibility__key=key, period_key=period_key)


def assert_done(program: Program, key: str, kind: str, pk: int, period_key: str = "") -> Assignment:
    found = assignment(program, key, period_key)
    assert (found.status, found.status_source) == (ItemStatus.DONE, StatusSource.WORK), (key, found.status_reason)
    # (A record two of the duty's sources both find is linked twice: the engine does not merge them.)
    assert {(link["kind"], link["id"]) for link in found.fulfilled_by} == {(kind, pk)}, key
    return found


def assert_open(program: Program, key: str, period_key: str = "") -> Assignment:
    found = assignment(program, key, period_key)
    assert found.status == ItemStatus.NOT_STARTED, (key, found.status, found.status_reason)
    assert found.fulfilled_by == []
    return found


def assert_reopened(program: Program, key: str, source: str, period_key: str = "") -> None:
    found = assert_open(program, key, period_key)
    assert found.status_reason.startswith("Reopened on"), found.status_reason
    assert MISSING[source] in found.status_reason


def implementation(world: World) -> Program:
    program = world.programs["p1"]
    complete_partnership(program, world.state_lead)
    program_note_event(actor=world.state_lead, program=program, event="first_referral", on=datetime.date(2025, 2, 5))
    program.refresh_from_db()
    assert program.phase == Phase.IMPLEMENTATION
    return program


def ongoing(world: World) -> Program:
    program = world.programs["p1"]
    to_ongoing(program, world.state_lead)
    program.refresh_from_db()
    assert program.phase == Phase.ONGOING
    return program


def series(world: World, kind: str, program: Program | None = None) -> MeetingSeries:
    if program is None:
        return services.series_create(
            actor=world.state_lead, organization=world.orgs["team_a"], kind=kind, title=f"Statewide {kind}"
        )
    return services.series_create(actor=world.admin, program=program, kind=kind, title=f"{program} {kind}")


def meet(world: World, of: MeetingSeries, *attendees: Person, on: datetime.date | None = None) -> Meeting:
    return services.meeting_record(
        actor=world.admin if of.program else world.state_lead,
        series=of,
        date=on or today(),
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(10, 0),
        attendees=list(attendees),
    )


def change_attendance(world: World, meeting: Meeting, *attendees: Person) -> None:
    services.meeting_update(
        actor=world.admin,
        meeting=meeting,
        date=meeting.date,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        attendees=list(attendees),
    )


def train(world: World, person: Person, course: str, on: datetime.date | None = None) -> TrainingCompletion:
    return services.training_record(
        actor=world.admin,
        membership=person.memberships.get(),
        course=course,
        completed_on=on or today(),
        hours=Decimal(2),
    )


# --- Meetings -------------------------------------------------------------------------------------------


def test_a_planning_meeting_closes_the_duties_of_each_party_present(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]  # prior to implementation
    planning = series(world, MeetingKind.PLANNING, program)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, planning, world.trainer, world.director, world.supervisor, world.counselor)
    for key in ("R-PRI-ST-02", "R-PRI-MH-03", "R-PRI-EP-01", "R-PRI-DVR-01"):
        done = assert_done(program, key, "meeting", meeting.pk)
        assert done.fulfilled_by[0]["url"] == f"/collaboration/meetings/{meeting.pk}/"
        assert done.completed_on == today()
    # DVR turns out not to have come: only DVR's duty reopens, saying why.
    with committed(django_capture_on_commit_callbacks):
        change_attendance(world, meeting, world.trainer, world.director, world.supervisor)
    assert_reopened(program, "R-PRI-DVR-01", "meeting.planning")
    assert_done(program, "R-PRI-MH-03", "meeting", meeting.pk)


def test_only_attendance_counts_not_an_invitation(world: World, django_capture_on_commit_callbacks) -> None:
    program = world.programs["p1"]
    planning = series(world, MeetingKind.PLANNING, program)
    with committed(django_capture_on_commit_callbacks):
        services.meeting_record(
            actor=world.admin,
            series=planning,
            date=today(),
            starts_at=datetime.time(9, 0),
            ends_at=datetime.time(10, 0),
            attendees=[world.director],
            invited=[world.counselor],
        )
    assert assignment(program, "R-PRI-MH-03").status == ItemStatus.DONE
    assert_open(program, "R-PRI-DVR-01")


def test_an_ips_unit_meeting_closes_the_quarter_and_reopens_when_removed(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = ongoing(world)
    unit = series(world, MeetingKind.IPS_UNIT, program)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, unit, world.supervisor, world.specialist)
    assert_done(program, "R-ONG-EP-05", "meeting", meeting.pk, quarter())
    assert_open(program, "R-ONG-DVR-04", quarter())  # DVR was not there
    with committed(django_capture_on_commit_callbacks):
        services.meeting_delete(actor=world.admin, meeting=meeting)
    assert_reopened(program, "R-ONG-EP-05", "meeting.ips_unit", quarter())


def test_the_first_ips_unit_meeting_closes_the_one_time_duty(world: World, django_capture_on_commit_callbacks) -> None:
    program = implementation(world)
    unit = series(world, MeetingKind.IPS_UNIT, program)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, unit, world.supervisor, on=datetime.date(2025, 3, 4))
    assert_done(program, "R-IMP-MH-01", "meeting", meeting.pk)


def test_a_treatment_team_meeting_with_dvr_closes_dvrs_quarter(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = ongoing(world)
    team = series(world, MeetingKind.TREATMENT_TEAM, program)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, team, world.case_manager, world.counselor)
    assert_done(program, "R-ONG-DVR-04", "meeting", meeting.pk, quarter())
    assert_open(program, "R-ONG-EP-05", quarter())
    with committed(django_capture_on_commit_callbacks):
        change_attendance(world, meeting, world.case_manager)
    assert_reopened(program, "R-ONG-DVR-04", "meeting.treatment_team", quarter())


def test_a_program_meeting_with_dvr_counts_whatever_its_kind(world: World, django_capture_on_commit_callbacks) -> None:
    program = ongoing(world)
    dvr = series(world, MeetingKind.DVR_COLLABORATION, program)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, dvr, world.counselor)
    assert_done(program, "R-ONG-DVR-02", "meeting", meeting.pk, quarter())
    assert_open(program, "R-ONG-EP-04", quarter())  # the provider must be there too
    assert_open(program, "R-ONG-ST-06", year())  # and the state team for its yearly duty
    with committed(django_capture_on_commit_callbacks):
        change_attendance(world, meeting, world.counselor, world.specialist, world.trainer)
    assert_done(program, "R-ONG-EP-04", "meeting", meeting.pk, quarter())
    assert_done(program, "R-ONG-ST-06", "meeting", meeting.pk, year())
    with committed(django_capture_on_commit_callbacks):
        change_attendance(world, meeting, world.specialist, world.trainer)
    assert_reopened(program, "R-ONG-DVR-02", "meeting.with_dvr", quarter())


def test_a_steering_committee_meeting_after_the_report_reviews_it(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = world.programs["p1"]
    review = delivered_review(world)  # delivered today
    steering = series(world, MeetingKind.STEERING, program)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, steering, world.director, world.supervisor, world.dvr_supervisor)
    period = f"review:{review.pk}"
    for key in ("R-FID-MH-07", "R-FID-EP-05", "R-FID-EP-03", "R-FID-DVR-02"):
        assert_done(program, key, "meeting", meeting.pk, period)
    with committed(django_capture_on_commit_callbacks):
        services.meeting_delete(actor=world.admin, meeting=meeting)
    assert_reopened(program, "R-FID-MH-07", "meeting.steering", period)


def test_a_statewide_supervisors_meeting_counts_for_the_programs_of_those_who_came(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = ongoing(world)
    statewide = series(world, MeetingKind.SUPERVISORS)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, statewide, world.trainer)
    # The state team's own people at its meeting don't make a program attend.
    assert_open(program, "R-ONG-EP-09", quarter())
    with committed(django_capture_on_commit_callbacks):
        change_attendance(world, meeting, world.trainer, world.supervisor)
    assert_done(program, "R-ONG-EP-09", "meeting", meeting.pk, quarter())
    assert_done(program, "R-ONG-MH-06", "meeting", meeting.pk, quarter())
    with committed(django_capture_on_commit_callbacks):
        change_attendance(world, meeting, world.trainer)
    assert_reopened(program, "R-ONG-EP-09", "meeting.supervisors", quarter())


def test_a_webinar_attended_or_completed_as_training_closes_the_quarter(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = ongoing(world)
    webinar = series(world, MeetingKind.WEBINAR)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, webinar, world.specialist)
    assert_done(program, "R-ONG-EP-10", "meeting", meeting.pk, quarter())
    with committed(django_capture_on_commit_callbacks):
        services.meeting_delete(actor=world.state_lead, meeting=meeting)
    assert_reopened(program, "R-ONG-EP-10", "meeting.webinar", quarter())
    with committed(django_capture_on_commit_callbacks):
        completion = train(world, world.specialist, "quarterly_webinar")
    assert_done(program, "R-ONG-MH-07", "training", completion.pk, quarter())
    with committed(django_capture_on_commit_callbacks):
        services.training_delete(actor=world.admin, completion=completion)
    assert_reopened(program, "R-ONG-MH-07", "training.webinar", quarter())


def test_any_statewide_meeting_held_in_the_state_counts_for_each_program_of_the_state(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = ongoing(world)
    to_ongoing(world.programs["pb"], world.other_state_lead)
    statewide = series(world, MeetingKind.SUPERVISORS)
    with committed(django_capture_on_commit_callbacks):
        meeting = meet(world, statewide, world.trainer)
    assert_done(program, "R-ONG-ST-05", "meeting", meeting.pk, quarter())
    assert_open(world.programs["pb"], "R-ONG-ST-05", quarter())  # another state's meeting
    with committed(django_capture_on_commit_callbacks):
        services.meeting_delete(actor=world.state_lead, meeting=meeting)
    assert_reopened(program, "R-ONG-ST-05", "meeting.statewide", quarter())


def test_a_meeting_to_come_does_not_count_yet(world: World, django_capture_on_commit_callbacks) -> None:
    program = ongoing(world)
    unit = series(world, MeetingKind.IPS_UNIT, program)
    tomorrow = today() + datetime.timedelta(days=1)
    with committed(django_capture_on_commit_callbacks):
        meet(world, unit, world.supervisor, on=tomorrow)
    assert_open(program, "R-ONG-EP-05", quarter())


# --- Training -------------------------------------------------------------------------------------------


def test_any_training_of_a_party_closes_its_duty(world: World, django_capture_on_commit_callbacks) -> None:
    program = world.programs["p1"]
    with committed(django_capture_on_commit_callbacks):
        completion = train(world, world.case_manager, "online_practitioner")
    done = assert_done(program, "R-PRI-MH-07", "training", completion.pk)
    assert done.fulfilled_by[0]["url"] == f"/collaboration/programs/{program.pk}/training/"
    assert_open(program, "R-PRI-EP-03")  # the provider's people have not trained
    with committed(django_capture_on_commit_callbacks):
        services.training_delete(actor=world.admin, completion=completion)
    assert_reopened(program, "R-PRI-MH-07", "training.any")


def test_a_trainers_conference_is_no_programs_attendance(world: World, django_capture_on_commit_callbacks) -> None:
    program = ongoing(world)
    train(world, world.trainer, "annual_conference")  # touches no program: the state team is no program's party
    assignments_reconcile([program.pk])
    assert_open(program, "R-ONG-MH-05", year())
    with committed(django_capture_on_commit_callbacks):
        completion = train(world, world.supervisor, "annual_conference")
    assert_done(program, "R-ONG-MH-05", "training", completion.pk, year())
    assert_done(program, "R-ONG-EP-08", "training", completion.pk, year())
    with committed(django_capture_on_commit_callbacks):
        services.training_delete(actor=world.supervisor, completion=completion)
    assert_reopened(program, "R-ONG-EP-08", "training.conference", year())


@pytest.mark.parametrize(
    ("key", "who", "course", "source"),
    [
        ("R-IMP-EP-06", "specialist", "ips_initial", "training.initial"),
        ("R-IMP-MH-07", "case_manager", "mh_half_day", "training.mh_half_day"),
        ("R-IMP-DVR-08", "counselor", "online_dvr", "training.online_dvr"),
    ],
)
def test_the_first_year_courses_close_the_implementation_duties(
    world: World, django_capture_on_commit_callbacks, key: str, who: str, course: str, source: str
) -> None:
    program = implementation(world)
    with committed(django_capture_on_commit_callbacks):
        train(world, world.people[who], "annual_conference")  # another course does not count
    assert_open(program, key)
    with committed(django_capture_on_commit_callbacks):
        completion = train(world, world.people[who], course)
    assert_done(program, key, "training", completion.pk)
    with committed(django_capture_on_commit_callbacks):
        services.training_delete(actor=world.admin, completion=completion)
    assert_reopened(program, key, source)


def test_an_online_course_closes_the_year(world: World, django_capture_on_commit_callbacks) -> None:
    program = ongoing(world)
    with committed(django_capture_on_commit_callbacks):
        completion = train(world, world.specialist, "online_specialist")
    assert_done(program, "R-ONG-EP-11", "training", completion.pk, year())
    assert_done(program, "R-ONG-MH-08", "training", completion.pk, year())
    with committed(django_capture_on_commit_callbacks):
        services.training_delete(actor=world.admin, completion=completion)
    assert_reopened(program, "R-ONG-EP-11", "training.online", year())


def test_dvr_staff_training_closes_dvrs_yearly_duty(world: World, django_capture_on_commit_callbacks) -> None:
    program = ongoing(world)
    with committed(django_capture_on_commit_callbacks):
        completion = train(world, world.counselor, "online_dvr")
    assert_done(program, "R-ONG-DVR-05", "training", completion.pk, year())


# --- Technical assistance ------------------------------------------------------------------------------


def log_ta(world: World, program: Program, kind: str) -> int:
    activity = services.ta_log(
        actor=world.trainer, program=program, date=today(), kind=kind, topics="Job development", hours=Decimal(1)
    )
    return activity.pk


def test_technical_assistance_closes_the_trainers_quarter(world: World, django_capture_on_commit_callbacks) -> None:
    program = ongoing(world)
    with committed(django_capture_on_commit_callbacks):
        pk = log_ta(world, program, "call")
    done = assert_done(program, "R-ONG-ST-01", "technical_assistance", pk, quarter())
    assert done.fulfilled_by[0]["url"] == f"/collaboration/programs/{program.pk}/technical-assistance/#ta-{pk}"
    assert_done(program, "R-ONG-MH-02", "technical_assistance", pk, quarter())


def test_only_a_site_visit_or_on_site_training_is_field_assistance(
    world: World, django_capture_on_commit_callbacks
) -> None:
    program = implementation(world)
    with committed(django_capture_on_commit_callbacks):
        log_ta(world, program, "call")
    assert_open(program, "R-IMP-MH-03", quarter())
    with committed(django_capture_on_commit_callbacks):
        pk = log_ta(world, program, "visit")
    assert_done(program, "R-IMP-MH-03", "technical_assistance", pk, quarter())


# --- The sources answer in a fixed number of queries -----------------------------------------------------


def test_each_source_reads_a_fixed_number_of_queries(world: World) -> None:
    ongoing(world)
    for key, who in (("p1", world.supervisor), ("p2", world.other_agency_director)):
        unit = series(world, MeetingKind.IPS_UNIT, world.programs[key])
        for weeks in range(6):
            meet(world, unit, who, world.trainer, on=today() - datetime.timedelta(weeks=weeks))
        services.ta_log(
            actor=world.trainer, program=world.programs[key], date=today(), kind="visit", topics="t", hours=Decimal(1)
        )
        train(world, who, "online_specialist")
    statewide = series(world, MeetingKind.WEBINAR)
    meet(world, statewide, world.supervisor, world.other_agency_director)
    one = [world.programs["p1"].pk]
    every = [p.pk for p in world.programs.values()]
    for source in SOURCES:
        counts = []
        for ids in (one, every):
            with CaptureQueriesContext(connection) as queries:
                found = list(source.find(ids, datetime.date(2000, 1, 1)))
            counts.append(len(queries))
        assert counts[0] == counts[1] <= 8, (source.key, counts)
        assert all(w.program_id in every for w in found)
