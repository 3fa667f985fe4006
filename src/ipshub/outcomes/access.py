"""Who may see and change outcome reports, goals, benchmarks and uploads.

Reading: everyone who sees a program (tenancy.access.programs_visible_to) sees its outcome figures:
they are aggregates, never client-level data. Writing figures and goals: the program's IPS supervisors
and mental health directors, and the state IPS team (leads and administrators), who may enter figures
sent to them on a program's behalf. Reviewing (accept or return) and benchmarks: the state team.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ipshub.outcomes.models import AggregateUpload, Goal, QuarterlyReport, Upload
from ipshub.tenancy.access import (
    is_platform_admin,
    seats,
    state_ids_with_roles,
    statewide_state_ids,
    visible_program_ids,
)
from ipshub.tenancy.models import Person, Program, State
from ipshub.tenancy.roles import Role

PROGRAM_WRITER_ROLES = (Role.IPS_SUPERVISOR, Role.MH_DIRECTOR)
STATE_REVIEWER_ROLES = (Role.STATE_LEAD, Role.ADMINISTRATOR)


def reports_visible_to(person: Person) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.filter(program_id__in=visible_program_ids(person))


def get_report_for(person: Person, report_id: int) -> QuarterlyReport:
    try:
        return reports_visible_to(person).select_related("program", "program__state").get(pk=report_id)
    except QuarterlyReport.DoesNotExist:
        raise Http404("No such report.") from None


def goals_visible_to(person: Person) -> QuerySet[Goal]:
    return Goal.objects.filter(program_id__in=visible_program_ids(person))


def get_goal_for(person: Person, goal_id: int) -> Goal:
    try:
        return goals_visible_to(person).select_related("program").get(pk=goal_id)
    except Goal.DoesNotExist:
        raise Http404("No such goal.") from None


def uploads_visible_to(person: Person) -> QuerySet[Upload]:
    return Upload.objects.filter(program_id__in=visible_program_ids(person))


def get_upload_for(person: Person, upload_id: int) -> Upload:
    try:
        return uploads_visible_to(person).select_related("program", "uploaded_by").get(pk=upload_id)
    except Upload.DoesNotExist:
        raise Http404("No such upload.") from None


def can_review(person: Person, state_id: int) -> bool:
    return is_platform_admin(person) or state_id in state_ids_with_roles(person, STATE_REVIEWER_ROLES)


def can_write_for(person: Person, program: Program) -> bool:
    if can_review(person, program.state_id):
        return True
    orgs = {program.mh_agency_id, program.employment_provider_id}
    return any(s.organization_id in orgs and s.role in PROGRAM_WRITER_ROLES for s in seats(person))


def require_writer(person: Person, program: Program) -> None:
    if not can_write_for(person, program):
        raise PermissionDenied(
            "Only the program's IPS supervisor or mental health director, or the state IPS team, can change "
            "its outcome reports and goals."
        )


def require_reviewer(person: Person, state_id: int) -> None:
    if not can_review(person, state_id):
        raise PermissionDenied("Only the state IPS team (a lead or an administrator) can review reports.")


def dashboard_states(person: Person) -> QuerySet[State]:
    """States whose dashboard the person sees: the state team's own state (every state for platform admins)."""
    if is_platform_admin(person):
        return State.objects.all()
    return State.objects.filter(pk__in=statewide_state_ids(person))


# --- Exchange: aggregate files (outcomes/aggregates.py) ---------------------------------------------
# Publishing a state's aggregate file is the state team's review role (leads, administrators). Imported
# aggregates belong to no program of this install and hold no client data: the state team of any state
# (and platform admins) may see the pooled roll-up; the leads and administrators of a state import a file
# for it, and only they see their state's checked files.


def aggregate_uploads_visible_to(person: Person) -> QuerySet[AggregateUpload]:
    """A state team's own checked files (a platform admin sees every state's)."""
    if is_platform_admin(person):
        return AggregateUpload.objects.all()
    return AggregateUpload.objects.filter(state_id__in=state_ids_with_roles(person, STATE_REVIEWER_ROLES))


def get_aggregate_upload_for(person: Person, aggregate_upload_id: int) -> AggregateUpload:
    try:
        return aggregate_uploads_visible_to(person).select_related("uploaded_by").get(pk=aggregate_upload_id)
    except AggregateUpload.DoesNotExist:
        raise Http404("No such aggregate file.") from None
