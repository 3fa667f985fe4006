"""Who sees and changes collaboration records, built on the tenancy access layer.

- Program meeting series, meetings, follow-ups and technical assistance: everyone who sees the program.
  Everyone with a seat in the program (or its trainer, or the state team) may record meetings.
- Statewide series: the state team of that state, and the people who attended one of its meetings.
- Field mentoring: the state team, the program's trainer, supervisors and directors of the program's
  partner organizations, and the specialist mentored. Only an IPS supervisor of the program writes it.
- Technical assistance: written by state trainers and leads of the program's state.
- Training completions: the person, supervisors and directors of the organization, the state team.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ipshub.collaboration.models import (
    Decision,
    FollowUp,
    Meeting,
    MeetingSeries,
    MentoringSession,
    TAActivity,
    TrainingCompletion,
)
from ipshub.tenancy import access
from ipshub.tenancy.models import Membership, Person, Program
from ipshub.tenancy.roles import OrgKind, Role

LEADER_ROLES = (Role.MH_DIRECTOR, Role.IPS_SUPERVISOR, Role.DVR_SUPERVISOR)
TA_ROLES = (Role.STATE_TRAINER, Role.STATE_LEAD)


def _partner_org_ids(program: Program) -> set[int]:
    ids = {program.mh_agency_id}
    if program.employment_provider_id:
        ids.add(program.employment_provider_id)
    ids |= set(Program.dvr_offices.through.objects.filter(program=program).values_list("organization_id", flat=True))
    return ids


def partner_org_ids(program: Program) -> set[int]:
    """The program's partner organizations (cached on the program object)."""
    cached: set[int] | None = getattr(program, "_collab_partner_ids", None)
    if cached is None:
        cached = _partner_org_ids(program)
        program._collab_partner_ids = cached  # type: ignore[attr-defined]
    return cached


def is_state_team_for(person: Person, state_id: int) -> bool:
    return access.is_platform_admin(person) or state_id in access.statewide_state_ids(person)


# --- Meeting series and meetings -----------------------------------------------------------------


def series_visible_to(person: Person) -> QuerySet[MeetingSeries]:
    if access.is_platform_admin(person):
        return MeetingSeries.objects.all()
    attended = Meeting.objects.filter(attendances__person=person).values("series_id")
    return MeetingSeries.objects.filter(
        Q(program_id__in=access.visible_program_ids(person))
        | Q(organization__state_id__in=access.statewide_state_ids(person))
        | Q(organization_id__in=access.organization_ids(person))
        | Q(id__in=attended)
    )


def get_series_for(person: Person, series_id: int) -> MeetingSeries:
    try:
        return series_visible_to(person).select_related("program", "organization").get(pk=series_id)
    except MeetingSeries.DoesNotExist:
        raise Http404("No such meeting series.") from None


def meetings_visible_to(person: Person) -> QuerySet[Meeting]:
    return Meeting.objects.filter(series__in=series_visible_to(person))


def get_meeting_for(person: Person, meeting_id: int) -> Meeting:
    try:
        return (
            meetings_visible_to(person)
            .select_related("series", "series__program", "series__organization", "recorded_by")
            .get(pk=meeting_id)
        )
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None


def decisions_visible_to(person: Person) -> QuerySet[Decision]:
    return Decision.objects.filter(meeting__in=meetings_visible_to(person))


def follow_ups_visible_to(person: Person) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(meeting__in=meetings_visible_to(person))


def get_follow_up_for(person: Person, follow_up_id: int) -> FollowUp:
    try:
        return (
            follow_ups_visible_to(person)
            .select_related("meeting", "meeting__series", "meeting__series__program", "owner")
            .get(pk=follow_up_id)
        )
    except FollowUp.DoesNotExist:
        raise Http404("No such follow-up.") from None


def can_record_program_meetings(person: Person, program: Program) -> bool:
    return (
        is_state_team_for(person, program.state_id)
        or program.trainer_id == person.pk
        or bool(access.organization_ids(person) & partner_org_ids(program))
    )


def can_record_series(person: Person, series: MeetingSeries) -> bool:
    if series.program is not None:
        return can_record_program_meetings(person, series.program)
    assert series.organization is not None
    return access.is_platform_admin(person) or series.organization_id in access.organization_ids(person)


def require_series_writer(person: Person, series: MeetingSeries) -> None:
    if not can_record_series(person, series):
        raise PermissionDenied("Only the series' own people can record its meetings.")


def require_program_meeting_writer(person: Person, program: Program) -> None:
    if not can_record_program_meetings(person, program):
        raise PermissionDenied("Only the program's partners and the state team can set up its meetings.")


def state_team_orgs_for(person: Person) -> list[int]:
    """State team organizations the person belongs to (they may own statewide series)."""
    return [s.organization_id for s in access.seats(person) if s.kind == OrgKind.STATE_TEAM]


# --- Field mentoring -----------------------------------------------------------------------------


def mentoring_visible_to(person: Person) -> QuerySet[MentoringSession]:
    if access.is_platform_admin(person):
        return MentoringSession.objects.all()
    leader_orgs = {s.organization_id for s in access.seats(person) if s.role in LEADER_ROLES}
    dvr_program_ids = Program.dvr_offices.through.objects.filter(organization_id__in=leader_orgs).values("program_id")
    return MentoringSession.objects.filter(
        Q(program__state_id__in=access.statewide_state_ids(person))
        | Q(program__trainer_id=person.pk)
        | Q(program__mh_agency_id__in=leader_orgs)
        | Q(program__employment_provider_id__in=leader_orgs)
        | Q(program_id__in=dvr_program_ids)
        | Q(specialist_id=person.pk)
        | Q(supervisor_id=person.pk)
    )


def can_log_mentoring(person: Person, program: Program) -> bool:
    """An IPS supervisor of the program's IPS unit (provider, or the agency's own unit)."""
    unit_org = program.employment_provider_id or program.mh_agency_id
    return access.is_platform_admin(person) or any(
        s.role == Role.IPS_SUPERVISOR and s.organization_id == unit_org for s in access.seats(person)
    )


def require_mentoring_writer(person: Person, program: Program) -> None:
    if not can_log_mentoring(person, program):
        raise PermissionDenied("Only an IPS supervisor of the program can log field mentoring.")


def program_specialists(program: Program) -> QuerySet[Person]:
    unit_org = program.employment_provider_id or program.mh_agency_id
    ids = Membership.objects.filter(organization_id=unit_org, role=Role.EMPLOYMENT_SPECIALIST, is_active=True).values(
        "person_id"
    )
    return Person.objects.filter(id__in=ids, is_active=True)


# --- Technical assistance ------------------------------------------------------------------------


def ta_visible_to(person: Person) -> QuerySet[TAActivity]:
    return TAActivity.objects.filter(program_id__in=access.visible_program_ids(person))


def can_log_ta(person: Person, program: Program) -> bool:
    return access.is_platform_admin(person) or program.state_id in access.state_ids_with_roles(person, TA_ROLES)


def require_ta_writer(person: Person, program: Program) -> None:
    if not can_log_ta(person, program):
        raise PermissionDenied("Only the state IPS team's trainers and leads log technical assistance.")


# --- Training ------------------------------------------------------------------------------------


def completions_visible_to(person: Person) -> QuerySet[TrainingCompletion]:
    if access.is_platform_admin(person):
        return TrainingCompletion.objects.all()
    leader_orgs = {s.organization_id for s in access.seats(person) if s.role in LEADER_ROLES}
    return TrainingCompletion.objects.filter(
        Q(person_id=person.pk)
        | Q(organization_id__in=leader_orgs)
        | Q(organization__state_id__in=access.statewide_state_ids(person))
    )


def get_completion_for(person: Person, completion_id: int) -> TrainingCompletion:
    try:
        return completions_visible_to(person).select_related("person", "organization").get(pk=completion_id)
    except TrainingCompletion.DoesNotExist:
        raise Http404("No such training completion.") from None


def training_recordable_people(person: Person) -> QuerySet[Membership]:
    """Seats whose training the person may record: their own, their organization's staff if they lead
    it, everyone in the state for the state team."""
    if access.is_platform_admin(person):
        return Membership.objects.filter(is_active=True)
    leader_orgs = {s.organization_id for s in access.seats(person) if s.role in LEADER_ROLES}
    return Membership.objects.filter(is_active=True).filter(
        Q(person_id=person.pk)
        | Q(organization_id__in=leader_orgs)
        | Q(organization__state_id__in=access.statewide_state_ids(person))
    )


def require_training_recorder(person: Person, membership: Membership) -> None:
    if not training_recordable_people(person).filter(pk=membership.pk).exists():
        raise PermissionDenied("You can record training for yourself, or for staff of an organization you lead.")
