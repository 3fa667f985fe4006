"""The access layer for implementation tracking, built on ipshub.tenancy.access.

Reads: whoever sees a program (tenancy.access.programs_visible_to) sees its implementation records.
Writes (403 for members who may read but not write):
- the program's leaders (state IPS team of the state, the program's trainer, the mental health director,
  the IPS supervisor and the DVR supervisor of the program's organizations) record readiness, partnership
  set-up, the roadmap checklist, the steering committee and the kick-off date;
- an assignment is updated by the people of its organization and by the state team / trainer;
- the state IPS team curates the resource library of its state, sends its resources to programs and sends
  data requests; the program's mental health agency and employment provider answer data requests (their
  answers' files are read by the state team and those two organizations only);
- the program's leaders log outreach and the distribution of IPS materials.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ipshub.implementation.models import (
    Assignment,
    DataRequest,
    DataRequestAnswer,
    Evidence,
    MaterialDistribution,
    OutreachActivity,
    PartnershipItem,
    ReadinessAssessment,
    Resource,
    ResourceShare,
    SteeringMember,
    StrategyProgress,
)
from ipshub.tenancy import access
from ipshub.tenancy.models import Person, Program
from ipshub.tenancy.roles import STATEWIDE_ROLES, OrgKind, Role

ProgramRecord = TypeVar("ProgramRecord", StrategyProgress, PartnershipItem, ReadinessAssessment, SteeringMember)

LEADER_ROLES = (Role.MH_DIRECTOR, Role.IPS_SUPERVISOR, Role.DVR_SUPERVISOR)
CURATOR_ROLES = (Role.STATE_LEAD, Role.STATE_TRAINER, Role.ADMINISTRATOR)


def program_org_ids(program: Program) -> set[int]:
    ids = {program.mh_agency_id}
    if program.employment_provider_id:
        ids.add(program.employment_provider_id)
    ids |= set(Program.dvr_offices.through.objects.filter(program=program).values_list("organization_id", flat=True))
    return ids


def is_state_team_for(person: Person, program: Program) -> bool:
    return (
        access.is_platform_admin(person)
        or program.state_id in access.statewide_state_ids(person)
        or program.trainer_id == person.pk
    )


def can_lead(person: Person, program: Program) -> bool:
    if is_state_team_for(person, program):
        return True
    orgs = program_org_ids(program)
    return any(s.organization_id in orgs and s.role in LEADER_ROLES for s in access.seats(person))


def require_leader(person: Person, program: Program) -> None:
    if not can_lead(person, program):
        raise PermissionDenied(
            "Only the state IPS team, the program's trainer, or the program's mental health director, "
            "IPS supervisor or DVR supervisor can change this."
        )


def can_update_assignment(person: Person, assignment: Assignment) -> bool:
    if is_state_team_for(person, assignment.program):
        return True
    return assignment.organization_id is not None and assignment.organization_id in access.organization_ids(person)


def require_assignment_updater(person: Person, assignment: Assignment) -> None:
    if not can_update_assignment(person, assignment):
        raise PermissionDenied("Only the people of the organization it is assigned to can update this item.")


def can_waive(person: Person, program: Program) -> bool:
    """Waive or retire assignments in bulk: the state lead (or an administrator) of the program's state."""
    return access.is_platform_admin(person) or program.state_id in access.state_ids_with_roles(
        person, (Role.STATE_LEAD, Role.ADMINISTRATOR)
    )


def require_waiver(person: Person, program: Program) -> None:
    if not can_waive(person, program):
        raise PermissionDenied("Only the state IPS lead or an administrator of the program's state can do this.")


def is_of_party(person: Person, assignment: Assignment) -> bool:
    """Works at the organization the assignment is assigned to (the responsible party)."""
    return assignment.organization_id is not None and assignment.organization_id in access.organization_ids(person)


def require_state_team(person: Person, program: Program) -> None:
    """Sending resources and data requests to a program is the state IPS team's (and the trainer's)."""
    if not is_state_team_for(person, program):
        raise PermissionDenied("Only the state IPS team or the program's trainer can send this to the program.")


def answering_org_ids(program: Program) -> set[int]:
    """The organizations that answer the program's data requests: its mental health agency and provider."""
    return {program.mh_agency_id} | ({program.employment_provider_id} if program.employment_provider_id else set())


def can_answer_data_request(person: Person, program: Program) -> bool:
    return bool(access.organization_ids(person) & answering_org_ids(program))


def require_data_answerer(person: Person, program: Program) -> None:
    if not can_answer_data_request(person, program):
        raise PermissionDenied(
            "Only the people of the program's employment service provider or mental health agency answer its "
            "data requests."
        )


def can_read_data_answers(person: Person, program: Program) -> bool:
    """Who asked (the state team) and who answers (the agency and the provider); not the DVR offices."""
    return is_state_team_for(person, program) or can_answer_data_request(person, program)


def require_data_answer_remover(person: Person, answer: DataRequestAnswer) -> None:
    """A wrong file is taken back by who uploaded it, or by a leader of the agency or the provider."""
    program = answer.request.program
    own = answer.answered_by_id == person.pk
    if not (can_answer_data_request(person, program) and (own or can_lead(person, program))):
        raise PermissionDenied("Only who uploaded the file, or a leader of the agency or provider, can remove it.")


# --- Reads ----------------------------------------------------------------------------------------


def assignments_visible_to(person: Person) -> QuerySet[Assignment]:
    return Assignment.objects.filter(program_id__in=access.visible_program_ids(person))


def get_assignment_for(person: Person, assignment_id: int) -> Assignment:
    try:
        return (
            assignments_visible_to(person)
            .select_related(
                "program",
                "program__state",
                "responsibility",
                "responsibility__party",
                "organization",
                "owner",
            )
            .get(pk=assignment_id)
        )
    except Assignment.DoesNotExist:
        raise Http404("No such assignment.") from None


def program_records_visible_to(person: Person, model: type[ProgramRecord]) -> QuerySet[ProgramRecord]:
    """A program's own implementation records (its strategies' progress, partnership set-up items, readiness
    assessments, steering committee): whoever sees the program sees them, as on its implementation pages."""
    return model.objects.filter(program_id__in=access.visible_program_ids(person))


def get_partnership_item_for(person: Person, program: Program, item_id: int) -> PartnershipItem:
    try:
        return PartnershipItem.objects.get(program=program, pk=item_id)
    except PartnershipItem.DoesNotExist:
        raise Http404("No such set-up item.") from None


def get_readiness_for(person: Person, program: Program, assessment_id: int) -> ReadinessAssessment:
    try:
        return ReadinessAssessment.objects.select_related("recorded_by").get(program=program, pk=assessment_id)
    except ReadinessAssessment.DoesNotExist:
        raise Http404("No such readiness assessment.") from None


def get_steering_member_for(person: Person, program: Program, member_id: int) -> SteeringMember:
    try:
        return SteeringMember.objects.get(program=program, pk=member_id)
    except SteeringMember.DoesNotExist:
        raise Http404("No such member.") from None


def evidence_visible_to(person: Person) -> QuerySet[Evidence]:
    return Evidence.objects.filter(program_id__in=access.visible_program_ids(person))


def get_evidence_for(person: Person, evidence_id: int) -> Evidence:
    try:
        return evidence_visible_to(person).select_related("program").get(pk=evidence_id)
    except Evidence.DoesNotExist:
        raise Http404("No such evidence.") from None


def library_state_ids(person: Person) -> set[int]:
    """The states whose resource library the person may read: their own, and those of their programs."""
    states = {s.state_id for s in access.seats(person)}
    if access.is_platform_admin(person):
        return set(Program.objects.values_list("state_id", flat=True).distinct()) | states
    return states


def resources_visible_to(person: Person) -> QuerySet[Resource]:
    if access.is_platform_admin(person):
        return Resource.objects.all()
    return Resource.objects.filter(organization__state_id__in=library_state_ids(person))


def get_resource_for(person: Person, resource_id: int) -> Resource:
    try:
        return resources_visible_to(person).select_related("organization").get(pk=resource_id)
    except Resource.DoesNotExist:
        raise Http404("No such resource.") from None


def curated_state_team_ids(person: Person) -> set[int]:
    """The state team organizations whose library the person curates."""
    return {s.organization_id for s in access.seats(person) if s.kind == OrgKind.STATE_TEAM and s.role in CURATOR_ROLES}


def can_curate(person: Person, resource: Resource | None = None) -> bool:
    orgs = curated_state_team_ids(person)
    return bool(orgs) if resource is None else resource.organization_id in orgs


def require_curator(person: Person, resource: Resource | None = None) -> None:
    if not can_curate(person, resource):
        raise PermissionDenied("Only the state IPS team curates the resource library.")


def board_programs(person: Person) -> QuerySet[Program]:
    """The programs on the state board: every program of the person's states (state team)."""
    if access.is_platform_admin(person):
        return Program.objects.all()
    return Program.objects.filter(Q(state_id__in=access.statewide_state_ids(person)))


def sees_board(person: Person) -> bool:
    return access.is_platform_admin(person) or any(s.role in STATEWIDE_ROLES for s in access.seats(person))


# --- The small records of the roles matrix's tick-box duties --------------------------------------


def outreach_visible_to(person: Person) -> QuerySet[OutreachActivity]:
    return OutreachActivity.objects.filter(program_id__in=access.visible_program_ids(person))


def get_outreach_for(person: Person, program: Program, activity_id: int) -> OutreachActivity:
    try:
        return OutreachActivity.objects.get(program=program, pk=activity_id)
    except OutreachActivity.DoesNotExist:
        raise Http404("No such outreach entry.") from None


def distributions_visible_to(person: Person) -> QuerySet[MaterialDistribution]:
    return MaterialDistribution.objects.filter(program_id__in=access.visible_program_ids(person))


def get_distribution_for(person: Person, program: Program, distribution_id: int) -> MaterialDistribution:
    try:
        return MaterialDistribution.objects.get(program=program, pk=distribution_id)
    except MaterialDistribution.DoesNotExist:
        raise Http404("No such entry.") from None


def shares_visible_to(person: Person) -> QuerySet[ResourceShare]:
    return ResourceShare.objects.filter(program_id__in=access.visible_program_ids(person))


def get_share_for(person: Person, program: Program, share_id: int) -> ResourceShare:
    try:
        return ResourceShare.objects.select_related("resource").get(program=program, pk=share_id)
    except ResourceShare.DoesNotExist:
        raise Http404("No such resource sent.") from None


def data_requests_visible_to(person: Person) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(program_id__in=access.visible_program_ids(person))


def get_data_request_for(person: Person, program: Program, request_id: int) -> DataRequest:
    try:
        return DataRequest.objects.select_related("asked_by").get(program=program, pk=request_id)
    except DataRequest.DoesNotExist:
        raise Http404("No such data request.") from None


def get_data_answer_for(person: Person, answer_id: int) -> DataRequestAnswer:
    """An answer's file: for the state team, the agency and the provider (404 for anyone else)."""
    try:
        answer = (
            DataRequestAnswer.objects.filter(request__program_id__in=access.visible_program_ids(person))
            .select_related("request__program")
            .get(pk=answer_id)
        )
    except DataRequestAnswer.DoesNotExist:
        raise Http404("No such file.") from None
    if not can_read_data_answers(person, answer.request.program):
        raise Http404("No such file.")
    return answer
