"""Writes to collaboration records: keyword-only, atomic, validated, audited."""

import datetime
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ipshub.areakit import hooks
from ipshub.audit.services import audit_record
from ipshub.collaboration import access as collab_access
from ipshub.collaboration import training
from ipshub.collaboration.models import (
    DEFAULT_CADENCE,
    PROGRAM_KINDS,
    STATEWIDE_KINDS,
    Attendance,
    AttendanceStatus,
    Decision,
    DigestFrequency,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MentoringActivity,
    MentoringSession,
    NotificationPreference,
    TAActivity,
    TAKind,
    TrainingCompletion,
)
from ipshub.collaboration.selectors import eligible_memberships, hash_token
from ipshub.tenancy import access
from ipshub.tenancy.models import Membership, Organization, Person, Program
from ipshub.tenancy.roles import OrgKind, Role

# Dates of collaboration work (meetings, follow-ups, training, mentoring, technical assistance): years far away
# are typing mistakes, and the calendar feed and the cadence count days around them (a follow-up due on 9999-12-31
# would run off the end of the calendar).
FIRST_YEAR, LAST_YEAR = 1900, 2199


def _year_problem(day: datetime.date | None) -> str | None:
    if day is None or FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return f"Use a date between the years {FIRST_YEAR} and {LAST_YEAR}."


# --- Meeting series -------------------------------------------------------------------------------


def _programs_touched(series: MeetingSeries) -> None:
    """A meeting of this series was recorded, changed or removed: the roles matrix of the programs it may
    count for follows (hooks.work_changed). A statewide meeting counts for every program of its state."""
    if series.program_id is not None:
        hooks.work_changed(series.program_id)
        return
    assert series.organization is not None
    for program_id in Program.objects.filter(state_id=series.organization.state_id).values_list("pk", flat=True):
        hooks.work_changed(program_id)


def _trainee_programs_touched(organization_id: int) -> None:
    """A training completion of someone of this organization changed: every program in which the
    organization plays a party (one query)."""
    programs = Program.objects.filter(
        Q(mh_agency_id=organization_id) | Q(employment_provider_id=organization_id) | Q(dvr_offices=organization_id)
    )
    for program_id in programs.values_list("pk", flat=True).distinct():
        hooks.work_changed(program_id)


def _state_id(series: MeetingSeries) -> int:
    if series.program is not None:
        return series.program.state_id
    assert series.organization is not None
    return series.organization.state_id


@transaction.atomic
def series_create(
    *,
    actor: Person,
    kind: str,
    title: str,
    program: Program | None = None,
    organization: Organization | None = None,
    cadence: str = "",
    notes: str = "",
) -> MeetingSeries:
    if (program is None) == (organization is None):
        raise ValidationError(_("A meeting series belongs to a program or to the state team, not both."))
    if program is not None:
        collab_access.require_program_meeting_writer(actor, program)
        if kind not in PROGRAM_KINDS:
            raise ValidationError(
                {
                    "kind": _("A program can't own a '%(label)s' series; the state team does.")
                    % {"label": MeetingKind(kind).label}
                }
            )
    else:
        assert organization is not None
        if organization.kind != OrgKind.STATE_TEAM:
            raise ValidationError({"organization": _("Statewide series belong to a state IPS team.")})
        if not (access.is_platform_admin(actor) or organization.pk in access.organization_ids(actor)):
            raise PermissionDenied("Only members of the state IPS team can set up statewide series.")
        if kind not in STATEWIDE_KINDS:
            raise ValidationError(
                {"kind": _("'%(label)s' series belong to a program.") % {"label": MeetingKind(kind).label}}
            )
    if not title.strip():
        raise ValidationError({"title": _("Give the series a title, e.g. 'Pine County IPS unit meeting'.")})
    series = MeetingSeries(
        program=program,
        organization=organization,
        kind=kind,
        title=title.strip(),
        cadence=cadence or DEFAULT_CADENCE[MeetingKind(kind)],
        notes=notes,
    )
    series.full_clean()
    series.save()
    audit_record(actor=actor, action="meeting_series.create", obj=series, state_id=_state_id(series))
    return series


# --- Meetings -------------------------------------------------------------------------------------


def _seat_preference(membership: Membership) -> int:
    # The trainer's seat first (the cadence checks look for it), then employment staff.
    order = [Role.STATE_TRAINER, Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST]
    return order.index(Role(membership.role)) if membership.role in order else len(order)


def _attendance_seats(series: MeetingSeries, people: Iterable[Person]) -> dict[int, Membership]:
    seats: dict[int, list[Membership]] = {}
    for membership in eligible_memberships(series):
        seats.setdefault(membership.person_id, []).append(membership)
    refused = []
    chosen: dict[int, Membership] = {}
    for person in people:
        options = seats.get(person.pk)
        if not options:
            refused.append(person)
        else:
            chosen[person.pk] = min(options, key=_seat_preference)
    if refused:
        names = ", ".join(_with_agency(p) for p in refused)
        where = (
            f"{series.program}'s partner organizations or the state IPS team"
            if series.program
            else f"an organization in {series.organization.state if series.organization else 'the state'}"
        )
        raise ValidationError(
            {
                "attendees": _(
                    "%(names)s can't be recorded at this meeting: attendees must belong to %(where)s. "
                    "Remove them, or ask an administrator to add the agency to the program."
                )
                % {"names": names, "where": where}
            }
        )
    return chosen


def _with_agency(person: Person) -> str:
    orgs = ", ".join(
        m.organization.name for m in person.memberships.filter(is_active=True).select_related("organization")
    )
    return f"{person} ({orgs})" if orgs else str(person)


def _check_times(date: datetime.date | None, starts_at: datetime.time | None, ends_at: datetime.time | None) -> None:
    errors = {}
    if date is None:
        errors["date"] = _("Enter the meeting's date.")
    elif problem := _year_problem(date):
        errors["date"] = problem
    if starts_at is None:
        errors["starts_at"] = _("Enter the time the meeting started.")
    if ends_at is None:
        errors["ends_at"] = _("Enter the time the meeting ended.")
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = _(
            "The meeting can't end (%(ends_at)s) before or when it starts (%(starts_at)s). Check the end time."
        ) % {"ends_at": format(ends_at, "%-I:%M %p"), "starts_at": format(starts_at, "%-I:%M %p")}
    if errors:
        raise ValidationError(errors)


def _set_attendance(meeting: Meeting, series: MeetingSeries, attendees: list[Person], invited: list[Person]) -> None:
    both = {p.pk for p in attendees} & {p.pk for p in invited}
    if both:
        names = ", ".join(str(p) for p in attendees if p.pk in both)
        raise ValidationError(
            {"invited": _("%(names)s can't be both present and absent. Pick one.") % {"names": names}}
        )
    seats = _attendance_seats(series, [*attendees, *invited])
    meeting.attendances.all().delete()
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            person=person,
            organization_id=seats[person.pk].organization_id,
            role=seats[person.pk].role,
            status=status,
        )
        for people, status in ((attendees, AttendanceStatus.ATTENDED), (invited, AttendanceStatus.INVITED))
        for person in people
    )


@transaction.atomic
def meeting_record(
    *,
    actor: Person,
    series: MeetingSeries,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    attendees: Iterable[Person] = (),
    invited: Iterable[Person] = (),
    location: str = "",
    agenda: str = "",
    minutes: str = "",
) -> Meeting:
    """Record a meeting (past or planned) with who came and who was invited but absent."""
    collab_access.require_series_writer(actor, series)
    _check_times(date, starts_at, ends_at)
    meeting = Meeting.objects.create(
        series=series,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        agenda=agenda,
        minutes=minutes,
        recorded_by=actor,
    )
    _set_attendance(meeting, series, list(attendees), list(invited))
    audit_record(
        actor=actor,
        action="meeting.record",
        obj=meeting,
        state_id=_state_id(series),
        detail={"attendees": meeting.attendances.count()},
    )
    _programs_touched(series)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: Person,
    meeting: Meeting,
    date: datetime.date,
    starts_at: datetime.time,
    ends_at: datetime.time,
    attendees: Iterable[Person] = (),
    invited: Iterable[Person] = (),
    location: str = "",
    agenda: str = "",
    minutes: str = "",
) -> Meeting:
    collab_access.require_series_writer(actor, meeting.series)
    _check_times(date, starts_at, ends_at)
    meeting.date, meeting.starts_at, meeting.ends_at = date, starts_at, ends_at
    meeting.location, meeting.agenda, meeting.minutes = location.strip(), agenda, minutes
    meeting.save()
    _set_attendance(meeting, meeting.series, list(attendees), list(invited))
    audit_record(actor=actor, action="meeting.update", obj=meeting, state_id=_state_id(meeting.series))
    _programs_touched(meeting.series)
    return meeting


@transaction.atomic
def meeting_delete(*, actor: Person, meeting: Meeting) -> None:
    """Remove a meeting recorded in error, with its attendance, decisions and follow-ups."""
    collab_access.require_series_writer(actor, meeting.series)
    converted = [f.converted_to for f in meeting.follow_ups.exclude(converted_to="")]
    if converted:
        raise ValidationError(
            _("This meeting's follow-ups became %(join)s; those records stay, so the meeting stays too.")
            % {"join": ", ".join(converted)}
        )
    series = meeting.series
    audit_record(
        actor=actor,
        action="meeting.delete",
        obj=meeting,
        state_id=_state_id(series),
        summary=f"Removed {meeting}",
        detail={"series": series.pk, "date": meeting.date.isoformat()},
    )
    meeting.delete()
    _programs_touched(series)


@transaction.atomic
def decision_add(*, actor: Person, meeting: Meeting, text: str) -> Decision:
    collab_access.require_series_writer(actor, meeting.series)
    if not text.strip():
        raise ValidationError({"text": _("Write the decision.")})
    decision = Decision.objects.create(meeting=meeting, text=text.strip())
    audit_record(actor=actor, action="meeting.decision_add", obj=decision, state_id=_state_id(meeting.series))
    return decision


@transaction.atomic
def follow_up_add(
    *,
    actor: Person,
    meeting: Meeting,
    text: str,
    owner: Person | None = None,
    due_on: datetime.date | None = None,
) -> FollowUp:
    collab_access.require_series_writer(actor, meeting.series)
    if not text.strip():
        raise ValidationError({"text": _("Say what needs to be done.")})
    if owner is not None and owner.pk not in {m.person_id for m in eligible_memberships(meeting.series)}:
        raise ValidationError(
            {"owner": _("%(owner)s is not part of this program; choose one of its people.") % {"owner": owner}}
        )
    if problem := _year_problem(due_on):
        raise ValidationError({"due_on": problem})
    if due_on is not None and due_on < meeting.date:
        raise ValidationError({"due_on": _("A follow-up can't be due before the meeting that set it.")})
    follow_up = FollowUp.objects.create(meeting=meeting, text=text.strip(), owner=owner, due_on=due_on)
    audit_record(actor=actor, action="follow_up.add", obj=follow_up, state_id=_state_id(meeting.series))
    return follow_up


@transaction.atomic
def follow_up_set_status(*, actor: Person, follow_up: FollowUp, status: str) -> FollowUp:
    if follow_up.owner_id != actor.pk:
        collab_access.require_series_writer(actor, follow_up.meeting.series)
    if status not in FollowUpStatus.values:
        raise ValidationError({"status": _("'%(status)s' is not a follow-up status.") % {"status": status}})
    follow_up.status = status
    follow_up.completed_on = timezone.localdate() if status == FollowUpStatus.DONE else None
    follow_up.save(update_fields=["status", "completed_on"])
    audit_record(
        actor=actor,
        action="follow_up.status",
        obj=follow_up,
        state_id=_state_id(follow_up.meeting.series),
        detail={"status": status},
    )
    return follow_up


@transaction.atomic
def follow_up_convert(*, actor: Person, follow_up: FollowUp, target: str) -> FollowUp:
    """Hand a follow-up to another area (its `follow_up_converters`, areakit/hooks.py), e.g. an action-plan item."""
    collab_access.require_series_writer(actor, follow_up.meeting.series)
    converter = hooks.follow_up_converter(target)
    if converter is None:
        raise ValidationError({"target": _("Follow-ups can't be turned into '%(target)s' here.") % {"target": target}})
    if follow_up.converted_to:
        raise ValidationError(
            {"target": _("This follow-up already became %(converted_to)s.") % {"converted_to": follow_up.converted_to}}
        )
    follow_up.converted_to = converter.convert(actor=actor, follow_up=follow_up)[:64]
    follow_up.save(update_fields=["converted_to"])
    audit_record(
        actor=actor,
        action="follow_up.convert",
        obj=follow_up,
        state_id=_state_id(follow_up.meeting.series),
        detail={"target": follow_up.converted_to},
    )
    return follow_up


# --- Training -------------------------------------------------------------------------------------


@transaction.atomic
def training_record(
    *,
    actor: Person,
    membership: Membership,
    course: str,
    completed_on: datetime.date,
    hours: Decimal | None = None,
    notes: str = "",
) -> TrainingCompletion:
    collab_access.require_training_recorder(actor, membership)
    found = training.course(course)
    errors = {}
    if found is None:
        errors["course"] = _("Choose a course from the training catalog.")
    today = timezone.localdate()
    if completed_on > today:
        errors["completed_on"] = _(
            "A completion can't be in the future (%(completed_on)s). Record it once the training is finished."
        ) % {"completed_on": format(completed_on, "%B %-d, %Y")}
    elif problem := _year_problem(completed_on):
        errors["completed_on"] = problem
    if hours is not None and hours <= 0:
        errors["hours"] = _("Hours must be more than zero, or left empty.")
    if errors:
        raise ValidationError(errors)
    if TrainingCompletion.objects.filter(
        person_id=membership.person_id, course=course, completed_on=completed_on
    ).exists():
        raise ValidationError({"course": _("This completion is already recorded.")})
    completion = TrainingCompletion.objects.create(
        person_id=membership.person_id,
        organization_id=membership.organization_id,
        course=course,
        completed_on=completed_on,
        hours=hours,
        notes=notes,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="training.record",
        obj=completion,
        state_id=membership.organization.state_id,
    )
    _trainee_programs_touched(completion.organization_id)
    return completion


@transaction.atomic
def training_delete(*, actor: Person, completion: TrainingCompletion) -> None:
    """Remove a training completion recorded in error (whoever may record it for that seat)."""
    seat = Membership.objects.filter(person_id=completion.person_id, organization_id=completion.organization_id).first()
    if seat is None or not collab_access.training_recordable_people(actor).filter(pk=seat.pk).exists():
        raise PermissionDenied("You can remove training you could record: your own, or your organization's staff.")
    audit_record(
        actor=actor,
        action="training.delete",
        obj=completion,
        state_id=completion.organization.state_id,
        summary=f"Removed {completion.person}'s {completion.course_title} ({completion.completed_on:%b %-d, %Y})",
        detail={"course": completion.course, "completed_on": completion.completed_on.isoformat()},
    )
    organization_id = completion.organization_id
    completion.delete()
    _trainee_programs_touched(organization_id)


# --- Field mentoring and technical assistance -----------------------------------------------------


@transaction.atomic
def mentoring_log(
    *,
    actor: Person,
    program: Program,
    specialist: Person,
    date: datetime.date,
    activity: str,
    feedback: str,
    next_steps: str = "",
    hours: Decimal | None = None,
) -> MentoringSession:
    collab_access.require_mentoring_writer(actor, program)
    errors = {}
    if not collab_access.program_specialists(program).filter(pk=specialist.pk).exists():
        errors["specialist"] = _("%(specialist)s is not an employment specialist of %(program)s.") % {
            "specialist": specialist,
            "program": program,
        }
    if specialist.pk == actor.pk:
        errors["specialist"] = _("Field mentoring is with another person: choose a specialist.")
    if date > timezone.localdate():
        errors["date"] = _("Log a mentoring session once it has happened (the date is in the future).")
    elif problem := _year_problem(date):
        errors["date"] = problem
    if activity not in MentoringActivity.values:
        errors["activity"] = _("Choose an activity.")
    if not feedback.strip():
        errors["feedback"] = _("Write the feedback you gave.")
    if hours is not None and hours <= 0:
        errors["hours"] = _("Hours must be more than zero, or left empty.")
    if errors:
        raise ValidationError(errors)
    session = MentoringSession.objects.create(
        program=program,
        supervisor=actor,
        specialist=specialist,
        date=date,
        activity=activity,
        feedback=feedback.strip(),
        next_steps=next_steps.strip(),
        hours=hours,
    )
    audit_record(actor=actor, action="mentoring.log", obj=session, state_id=program.state_id)
    return session


def _ta_link_errors(program: Program, items: Sequence[int], action_ids: Sequence[int]) -> dict[str, str]:
    """The fidelity items must be the scale's and the action items the program's own (asked of the fidelity
    area through its hook: an item number or action id of another program is refused, never stored)."""
    if not items and not action_ids:
        return {}
    links = hooks.fidelity_links(program)
    errors = {}
    numbers = {number for number, _label in links.items}
    unknown_items = sorted({int(n) for n in items} - numbers)
    if unknown_items:
        errors["fidelity_items"] = _("No fidelity item %(join)s: the items are 1 to 25.") % {
            "join": ", ".join(map(str, unknown_items))
        }
    known_actions = {ref.id for ref in links.action_items}
    unknown_actions = sorted({int(n) for n in action_ids} - known_actions)
    if unknown_actions:
        errors["action_item_ids"] = _("No action-plan item %(join)s in this program's fidelity action plans.") % {
            "join": ", ".join(map(str, unknown_actions))
        }
    return errors


@transaction.atomic
def ta_log(
    *,
    actor: Person,
    program: Program,
    date: datetime.date,
    kind: str,
    topics: str,
    hours: Decimal,
    results: str = "",
    next_steps_program: str = "",
    next_steps_trainer: str = "",
    fidelity_items: Sequence[int] = (),
    action_item_ids: Sequence[int] = (),
) -> TAActivity:
    collab_access.require_ta_writer(actor, program)
    errors = _ta_link_errors(program, fidelity_items, action_item_ids)
    if date > timezone.localdate():
        errors["date"] = _("Log technical assistance once it has happened (the date is in the future).")
    elif problem := _year_problem(date):
        errors["date"] = problem
    if kind not in TAKind.values:
        errors["kind"] = _("Choose a visit, call, consultation or training.")
    if not topics.strip():
        errors["topics"] = _("List the topics covered.")
    if hours is None or hours <= 0:
        errors["hours"] = _("Enter the hours spent, more than zero (e.g. 1.5).")
    if errors:
        raise ValidationError(errors)
    activity = TAActivity.objects.create(
        program=program,
        trainer=actor,
        date=date,
        kind=kind,
        topics=topics.strip(),
        hours=hours,
        results=results.strip(),
        next_steps_program=next_steps_program.strip(),
        next_steps_trainer=next_steps_trainer.strip(),
        fidelity_items=sorted({int(n) for n in fidelity_items}),
        action_item_ids=sorted({int(n) for n in action_item_ids}),
    )
    audit_record(actor=actor, action="ta.log", obj=activity, state_id=program.state_id)
    hooks.work_changed(program.pk)
    return activity


# --- Preferences and the calendar feed ------------------------------------------------------------


def preference_for(person: Person) -> NotificationPreference:
    preference, _created = NotificationPreference.objects.get_or_create(person=person)
    return preference


@transaction.atomic
def preference_set_frequency(*, actor: Person, frequency: str) -> NotificationPreference:
    if frequency not in DigestFrequency.values:
        raise ValidationError({"frequency": _("Choose daily, weekly or never.")})
    preference = preference_for(actor)
    preference.frequency = frequency
    preference.save(update_fields=["frequency"])
    audit_record(actor=actor, action="reminders.frequency", obj=preference, detail={"frequency": frequency})
    return preference


@transaction.atomic
def calendar_token_reset(*, actor: Person) -> str:
    """Make a new secret calendar token (the old link stops working) and return it once: only its
    hash is kept."""
    token = secrets.token_urlsafe(32)
    preference = preference_for(actor)
    preference.calendar_token_hash = hash_token(token)
    preference.calendar_token_created_at = timezone.now()
    preference.save(update_fields=["calendar_token_hash", "calendar_token_created_at"])
    audit_record(actor=actor, action="reminders.calendar_token_reset", obj=preference)
    return token
