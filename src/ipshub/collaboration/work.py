"""The collaboration records that fulfil the roles matrix (areakit/work.py): meetings and who attended them,
training completions and technical assistance.

A meeting counts once someone is recorded as having attended it (an invitation alone does not), on its date,
and never before that date has come. Its `parties` are the catalog parties the attendees' organizations
play in the program (tenancy.selectors.program_parties); the engine checks a duty's own party against them.
Statewide meetings and training completions belong to no program: they count for every program in which
the attendee's (trainee's) organization plays the mental health agency's, the provider's or DVR's part —
never the state team's, or a trainer's conference would fulfil every program's duties.

Each source reads a fixed number of queries for any number of programs, and answers small: per program,
month and party present, the first and the last record of the month (the first closes a period that
starts with the month, the last one a window that opens mid-month, such as "after the report").
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ipshub.areakit.work import Work, WorkSource
from ipshub.collaboration import training
from ipshub.collaboration.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    TAActivity,
    TAKind,
    TrainingCompletion,
)
from ipshub.tenancy.models import Program
from ipshub.tenancy.roles import lazy_label as _
from ipshub.tenancy.selectors import program_parties

STATE_TEAM = "state_team"
DVR = "dvr"


@dataclass
class _Record:
    id: int
    program_id: int
    on: datetime.date
    label: str
    parties: set[str] = field(default_factory=set)


def _day(on: datetime.date) -> str:
    return f"{on:%b} {on.day}, {on.year}"


def _first_and_last(records: Iterable[_Record], by_party: bool = True) -> list[_Record]:
    """Per program, month (and party present), the first and the last record: the answer stays small."""
    ends: dict[tuple[int, int, int, str], tuple[_Record, _Record]] = {}
    for record in records:
        for party in sorted(record.parties) if by_party else [""]:
            key = (record.program_id, record.on.year, record.on.month, party)
            first, last = ends.get(key, (record, record))
            if (record.on, record.id) < (first.on, first.id):
                first = record
            if (record.on, record.id) > (last.on, last.id):
                last = record
            ends[key] = (first, last)
    kept = {(r.program_id, r.id): r for pair in ends.values() for r in pair}
    return sorted(kept.values(), key=lambda r: (r.program_id, r.on, r.id))


def _program_orgs(program_ids: list[int]) -> dict[int, list[tuple[int, frozenset[str]]]]:
    """{organization: [(program, the parties it plays there, state team left out)]}."""
    found: dict[int, list[tuple[int, frozenset[str]]]] = {}
    for program_id, orgs in program_parties(program_ids).items():
        for org_id, parties in orgs.items():
            local = parties - {STATE_TEAM}
            if local:
                found.setdefault(org_id, []).append((program_id, local))
    return found


# --- Meetings -------------------------------------------------------------------------------------------


def _meeting_url(meeting_id: int) -> str:
    return reverse("collaboration:meeting_detail", kwargs={"meeting_id": meeting_id})


def _meeting_label(kind: str, on: datetime.date) -> str:
    return f"{MeetingKind(kind).label}, {_day(on)}"


def _meeting_works(records: Iterable[_Record]) -> list[Work]:
    return [
        Work(
            program_id=r.program_id,
            kind="meeting",
            id=r.id,
            url=_meeting_url(r.id),
            on=r.on,
            label=r.label,
            parties=frozenset(r.parties),
        )
        for r in _first_and_last(records)
    ]


def _attended(since: datetime.date) -> Q:
    return Q(status=AttendanceStatus.ATTENDED, meeting__date__gte=since, meeting__date__lte=timezone.localdate())


def _program_meetings(program_ids: list[int], since: datetime.date, kinds: Iterable[str] | None) -> list[_Record]:
    """The program meetings someone attended, with the parties present (four queries)."""
    parties = program_parties(program_ids)
    rows = Attendance.objects.filter(_attended(since), meeting__series__program_id__in=program_ids)
    if kinds is not None:
        rows = rows.filter(meeting__series__kind__in=list(kinds))
    meetings: dict[int, _Record] = {}
    for meeting_id, on, program_id, kind, org_id in (
        rows.order_by()
        .values_list(
            "meeting_id", "meeting__date", "meeting__series__program_id", "meeting__series__kind", "organization_id"
        )
        .distinct()
    ):
        record = meetings.setdefault(meeting_id, _Record(meeting_id, program_id, on, _meeting_label(kind, on)))
        record.parties |= parties.get(program_id, {}).get(org_id, frozenset())
    return list(meetings.values())


def _program_kind(*kinds: str) -> Callable[[list[int], datetime.date], list[Work]]:
    def find(program_ids: list[int], since: datetime.date) -> list[Work]:
        return _meeting_works(_program_meetings(program_ids, since, kinds))

    return find


def with_dvr(program_ids: list[int], since: datetime.date) -> list[Work]:
    """Any meeting of the program, of any kind, that DVR attended."""
    return _meeting_works(r for r in _program_meetings(program_ids, since, None) if DVR in r.parties)


def _statewide_attended(program_ids: list[int], since: datetime.date, kind: str) -> list[_Record]:
    """Statewide meetings of `kind`, one record per program whose organizations' people attended (three
    queries for the parties, one for the attendance)."""
    orgs = _program_orgs(program_ids)
    rows = (
        Attendance.objects.filter(
            _attended(since),
            meeting__series__program__isnull=True,
            meeting__series__kind=kind,
            organization_id__in=list(orgs),
        )
        .order_by()
        .values_list("meeting_id", "meeting__date", "organization_id")
        .distinct()
    )
    found: dict[tuple[int, int], _Record] = {}
    for meeting_id, on, org_id in rows:
        for program_id, parties in orgs.get(org_id, []):
            record = found.setdefault(
                (meeting_id, program_id), _Record(meeting_id, program_id, on, _meeting_label(kind, on))
            )
            record.parties |= parties
    return list(found.values())


def supervisors(program_ids: list[int], since: datetime.date) -> list[Work]:
    return _meeting_works(_statewide_attended(program_ids, since, MeetingKind.SUPERVISORS))


def webinar(program_ids: list[int], since: datetime.date) -> list[Work]:
    """The consortium webinar: the state team's statewide series, or a program's own."""
    records = _statewide_attended(program_ids, since, MeetingKind.WEBINAR)
    records += _program_meetings(program_ids, since, [MeetingKind.WEBINAR])
    return _meeting_works(records)


def statewide(program_ids: list[int], since: datetime.date) -> list[Work]:
    """Any statewide meeting someone attended, for every program of the state it was held in."""
    by_state: dict[int, list[int]] = {}
    for program_id, state_id in Program.objects.filter(pk__in=program_ids).values_list("pk", "state_id"):
        by_state.setdefault(state_id, []).append(program_id)
    rows = (
        Meeting.objects.filter(
            series__program__isnull=True,
            series__organization__state_id__in=list(by_state),
            date__gte=since,
            date__lte=timezone.localdate(),
            attendances__status=AttendanceStatus.ATTENDED,
        )
        .order_by()
        .values_list("pk", "date", "series__kind", "series__organization__state_id")
        .distinct()
    )
    records = [
        _Record(meeting_id, program_id, on, _meeting_label(kind, on))
        for meeting_id, on, kind, state_id in rows
        for program_id in by_state.get(state_id, [])
    ]
    return [
        Work(program_id=r.program_id, kind="meeting", id=r.id, url=_meeting_url(r.id), on=r.on, label=r.label)
        for r in _first_and_last(records, by_party=False)
    ]


# --- Training -------------------------------------------------------------------------------------------

ONLINE_COURSES = ("online_specialist", "online_supervisor", "online_practitioner")


def _training(*courses: str) -> Callable[[list[int], datetime.date], list[Work]]:
    """Completions of these courses (any course when none is named), for every program in which the
    trainee's organization plays a party."""

    def find(program_ids: list[int], since: datetime.date) -> list[Work]:
        orgs = _program_orgs(program_ids)
        rows = TrainingCompletion.objects.filter(organization_id__in=list(orgs), completed_on__gte=since)
        if courses:
            rows = rows.filter(course__in=courses)
        titles = dict(training.course_choices())
        records = [
            _Record(pk, program_id, on, f"{titles.get(course, course)}, {_day(on)}", set(parties))
            for pk, on, org_id, course in rows.order_by().values_list("pk", "completed_on", "organization_id", "course")
            for program_id, parties in orgs.get(org_id, [])
        ]
        return [
            Work(
                program_id=r.program_id,
                kind="training",
                id=r.id,
                url=reverse("collaboration:program_training", kwargs={"program_id": r.program_id}),
                on=r.on,
                label=r.label,
                parties=frozenset(r.parties),
            )
            for r in _first_and_last(records)
        ]

    return find


# --- Technical assistance -------------------------------------------------------------------------------


def _ta(*kinds: str) -> Callable[[list[int], datetime.date], list[Work]]:
    def find(program_ids: list[int], since: datetime.date) -> list[Work]:
        rows = TAActivity.objects.filter(program_id__in=program_ids, date__gte=since)
        if kinds:
            rows = rows.filter(kind__in=kinds)
        records = [
            _Record(pk, program_id, on, f"Technical assistance ({TAKind(kind).label.lower()}), {_day(on)}")
            for pk, on, program_id, kind in rows.order_by().values_list("pk", "date", "program_id", "kind")
        ]
        return [
            Work(
                program_id=r.program_id,
                kind="technical_assistance",
                id=r.id,
                url=reverse("collaboration:technical_assistance", kwargs={"program_id": r.program_id}) + f"#ta-{r.id}",
                on=r.on,
                label=r.label,
            )
            for r in _first_and_last(records, by_party=False)
        ]

    return find


MEETING_GONE = (
    "The meeting was removed, moved to another date, or the people who made it count are no longer recorded "
    "as attending."
)

SOURCES = (
    WorkSource(
        key="meeting.planning",
        describe=_("Partnership planning meetings of the program, with the parties who attended"),
        missing=MEETING_GONE,
        find=_program_kind(MeetingKind.PLANNING),
    ),
    WorkSource(
        key="meeting.ips_unit",
        describe=_("IPS unit meetings of the program, with the parties who attended"),
        missing=MEETING_GONE,
        find=_program_kind(MeetingKind.IPS_UNIT),
    ),
    WorkSource(
        key="meeting.treatment_team",
        describe=_("Mental health treatment team meetings of the program, with the parties who attended"),
        missing=MEETING_GONE,
        find=_program_kind(MeetingKind.TREATMENT_TEAM),
    ),
    WorkSource(
        key="meeting.steering",
        describe=_("Steering committee meetings of the program, with the parties who attended"),
        missing=MEETING_GONE,
        find=_program_kind(MeetingKind.STEERING),
    ),
    WorkSource(
        key="meeting.with_dvr",
        describe=_("Meetings of the program (of any kind) that DVR staff attended"),
        missing=MEETING_GONE,
        find=with_dvr,
    ),
    WorkSource(
        key="meeting.supervisors",
        describe=_("Statewide IPS supervisor meetings attended by the program's people"),
        missing=MEETING_GONE,
        find=supervisors,
    ),
    WorkSource(
        key="meeting.webinar",
        describe=_("Consortium webinars attended by the program's people"),
        missing=MEETING_GONE,
        find=webinar,
    ),
    WorkSource(
        key="meeting.statewide",
        describe=_("Statewide meetings (supervisors' meetings, webinars) held in the program's state"),
        missing="The statewide meeting was removed, moved, or nobody is recorded as attending it.",
        find=statewide,
    ),
    WorkSource(
        key="training.any",
        describe=_("Training courses completed by the program's people"),
        missing="The training completion was removed.",
        find=_training(),
    ),
    WorkSource(
        key="training.initial",
        describe=_("Initial IPS training completed by the program's specialists and supervisors"),
        missing="The initial training completion was removed.",
        find=_training("ips_initial"),
    ),
    WorkSource(
        key="training.mh_half_day",
        describe=_("The half-day IPS training completed by the program's mental health practitioners"),
        missing="The half-day training completion was removed.",
        find=_training("mh_half_day"),
    ),
    WorkSource(
        key="training.online_dvr",
        describe=_("The online course for DVR counselors completed by the program's DVR staff"),
        missing="The online DVR course completion was removed.",
        find=_training("online_dvr"),
    ),
    WorkSource(
        key="training.online",
        describe=_("Online IPS courses completed by the program's people"),
        missing="The online course completion was removed.",
        find=_training(*ONLINE_COURSES),
    ),
    WorkSource(
        key="training.conference",
        describe=_("The annual IPS conference attended by the program's people"),
        missing="The conference attendance was removed.",
        find=_training("annual_conference"),
    ),
    WorkSource(
        key="training.webinar",
        describe=_("The quarterly learning community webinar completed by the program's people"),
        missing="The webinar completion was removed.",
        find=_training("quarterly_webinar"),
    ),
    WorkSource(
        key="ta.activity",
        describe=_("Technical assistance the state trainer logged for the program"),
        missing="The technical-assistance entry was removed.",
        find=_ta(),
    ),
    WorkSource(
        key="ta.field",
        describe=_("Site visits and on-site training the state trainer logged for the program"),
        missing="The site visit or on-site training entry was removed.",
        find=_ta(TAKind.VISIT, TAKind.TRAINING),
    ),
)
