"""Reads that span relations, each in a fixed number of queries."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from ipshub.collaboration import access as collab_access
from ipshub.collaboration import cadence, training
from ipshub.collaboration.models import (
    Attendance,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingSeries,
    MentoringSession,
    NotificationPreference,
    TAActivity,
    TrainingCompletion,
)
from ipshub.tenancy import access
from ipshub.tenancy.models import Membership, Person, Phase, PhaseChange, Program
from ipshub.tenancy.roles import OrgKind, Role

UPCOMING_DAYS = 14


def upcoming_meetings(
    person: Person, today: datetime.date, days: int = UPCOMING_DAYS, limit: int = 10
) -> list[Meeting]:
    return list(
        collab_access.meetings_visible_to(person)
        .filter(date__range=(today, today + datetime.timedelta(days=days)))
        .select_related("series", "series__program", "series__organization")
        .order_by("date", "starts_at")[:limit]
    )


def my_meetings(person: Person, since: datetime.date, until: datetime.date) -> QuerySet[Meeting]:
    """Meetings the person attended or was invited to (the calendar feed)."""
    return (
        Meeting.objects.filter(attendances__person=person, date__range=(since, until))
        .select_related("series", "series__program", "series__organization")
        .order_by("date", "starts_at")
        .distinct()
    )


def series_for_program(program: Program) -> list[MeetingSeries]:
    return list(
        MeetingSeries.objects.filter(program=program)
        .annotate(meeting_count=Count("meetings"))
        .order_by("kind", "title")
    )


def series_meetings(series: MeetingSeries) -> QuerySet[Meeting]:
    return series.meetings.annotate(attended=Count("attendances", filter=Q(attendances__status="attended"))).order_by(
        "-date", "-starts_at"
    )


def meeting_detail(meeting: Meeting) -> dict[str, object]:
    attendances = list(meeting.attendances.select_related("person", "organization"))
    return {
        "attendances": attendances,
        "decisions": list(meeting.decisions.all()),
        "follow_ups": list(meeting.follow_ups.select_related("owner")),
    }


def recent_mentoring(person: Person, program: Program, limit: int = 10) -> list[MentoringSession]:
    return list(
        collab_access.mentoring_visible_to(person)
        .filter(program=program)
        .select_related("supervisor", "specialist")[:limit]
    )


def recent_ta(person: Person, program: Program, limit: int = 10) -> list[TAActivity]:
    return list(collab_access.ta_visible_to(person).filter(program=program).select_related("trainer")[:limit])


def implementation_start(program: Program) -> datetime.date | None:
    change = (
        PhaseChange.objects.filter(program=program, to_phase=Phase.IMPLEMENTATION)
        .order_by("effective_on", "changed_at")
        .first()
    )
    return change.effective_on if change else None


def follow_ups_for(person: Person) -> QuerySet[FollowUp]:
    """The follow-ups the person owns that are still open."""
    return FollowUp.objects.filter(owner=person, status=FollowUpStatus.OPEN)


# --- Training gaps --------------------------------------------------------------------------------


@dataclass
class Gap:
    membership: Membership
    course: training.Course
    due_by: datetime.date | None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due_by is not None and self.due_by < today


@dataclass
class ProgramTraining:
    people: int = 0
    gaps: list[Gap] = field(default_factory=list)
    completions: list[TrainingCompletion] = field(default_factory=list)


def program_training(program: Program) -> ProgramTraining:
    """Required courses not yet completed by the people of the program's partner organizations."""
    memberships = list(
        Membership.objects.filter(
            organization_id__in=collab_access.partner_org_ids(program), is_active=True, person__is_active=True
        )
        .select_related("person", "organization")
        .order_by("person__last_name", "person__first_name")
    )
    person_ids = {m.person_id for m in memberships}
    completions = list(
        TrainingCompletion.objects.filter(person_id__in=person_ids).select_related("person").order_by("-completed_on")
    )
    done = {(c.person_id, c.course) for c in completions}
    start = implementation_start(program)
    gaps = []
    for membership in memberships:
        for course in training.required_courses(membership.role):
            if (membership.person_id, course.key) in done:
                continue
            gaps.append(Gap(membership, course, _due_by(membership, start, course)))
    return ProgramTraining(people=len(person_ids), gaps=gaps, completions=completions)


def _due_by(membership: Membership, start: datetime.date | None, course: training.Course) -> datetime.date | None:
    anchors = [d for d in (membership.started_on, start) if d is not None]
    if not anchors or course.within_days is None:
        return None
    return max(anchors) + datetime.timedelta(days=course.within_days)


def personal_gaps(person: Person, completed: set[str] | None = None) -> list[Gap]:
    """The person's own required courses not yet completed, with the first-year deadline. `completed`: the
    course keys the person completed, when the caller read them already (collaboration/reminders.py)."""
    required = [(m, course) for m in access.memberships(person) for course in training.required_courses(m.role)]
    if not required:
        return []  # no course is required of the person's roles: nothing to look up
    if completed is None:
        completed = set(TrainingCompletion.objects.filter(person=person).values_list("course", flat=True))
    return [Gap(m, course, _due_by(m, None, course)) for m, course in required if course.key not in completed]


def has_required_courses(person: Person) -> bool:
    """Whether any of the person's seats requires a course (no query: seats and the catalog's file)."""
    return any(training.required_courses(m.role) for m in access.memberships(person))


# --- Cadence --------------------------------------------------------------------------------------


def cadence_for(
    programs: list[Program], today: datetime.date, year: int | None = None, month: int | None = None
) -> list[cadence.ProgramCadence]:
    return cadence.cadence_for_programs(programs, year or today.year, month or today.month, today)


def cadence_watch_programs(person: Person) -> QuerySet[Program]:
    """Programs whose cadence the person answers for: as their trainer, or as IPS supervisor or
    director of a partner organization."""
    seats = access.seats(person)
    lead_orgs = {s.organization_id for s in seats if s.role in (Role.IPS_SUPERVISOR, Role.MH_DIRECTOR)}
    if not lead_orgs and not any(s.role == Role.STATE_TRAINER for s in seats):
        return Program.objects.none()  # only a state trainer is a program's trainer (tenancy/services.py)
    return Program.objects.filter(
        Q(trainer_id=person.pk) | Q(mh_agency_id__in=lead_orgs) | Q(employment_provider_id__in=lead_orgs)
    ).order_by("name")


def attendance_prefetch() -> "Prefetch[str, QuerySet[Attendance], str]":
    return Prefetch("attendances", queryset=Attendance.objects.select_related("person"))


def eligible_memberships(series: MeetingSeries) -> list[Membership]:
    """Seats that may attend: the program's partner organizations and its state's IPS team; for a
    statewide series, every organization of the state."""
    qs = Membership.objects.filter(is_active=True).select_related("organization", "person")
    if series.program is not None:
        program = series.program
        return list(
            qs.filter(organization_id__in=collab_access.partner_org_ids(program))
            | qs.filter(organization__state_id=program.state_id, organization__kind=OrgKind.STATE_TEAM)
        )
    assert series.organization is not None
    return list(qs.filter(organization__state_id=series.organization.state_id))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def person_for_calendar_token(token: str) -> Person | None:
    """The owner of a calendar token; the lookup is by SHA-256 hash, so the secret is never compared
    character by character."""
    if not token or len(token) > 200:
        return None
    preference = (
        NotificationPreference.objects.filter(calendar_token_hash=hash_token(token), person__is_active=True)
        .select_related("person")
        .first()
    )
    return preference.person if preference else None
