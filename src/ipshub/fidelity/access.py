"""Who sees and does what in fidelity reviews, and reviewers' temporary read access to client records.

- The state IPS team (lead, trainer, administrator) sees every review in its state; leads and
  administrators schedule, plan and deliver them.
- A fidelity reviewer sees the reviews they are on, in states where they hold the reviewer role.
- Program partners (agency, provider, DVR office) see their program's reviews: the schedule and plan, the
  report once delivered, and the action plan. They never see individual reviewers' scores.
- Reviewers score independently: nobody sees another reviewer's scores until both have submitted.

The client-services access layer asks `reviewer_program_ids(person)` which programs a reviewer may read
right now (read only: never change or export); it is empty outside a review window.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ipshub.fidelity.models import (
    ActionItem,
    DocumentRequest,
    DocumentUpload,
    PrepTask,
    Review,
    ReviewInvitee,
    ReviewTeamMember,
    SelfAssessment,
)
from ipshub.lib.kept import keep, kept
from ipshub.tenancy import access
from ipshub.tenancy.models import Person, Program
from ipshub.tenancy.roles import OrgKind, Role

PROGRAM_LEAD_ROLES = (Role.MH_DIRECTOR, Role.IPS_SUPERVISOR)


def reviewer_state_ids(person: Person) -> set[int]:
    return access.state_ids_with_roles(person, (Role.FIDELITY_REVIEWER,))


def reviewer_program_ids(person: Person, at: datetime.datetime | None = None) -> set[int]:
    """Programs whose client records `person` may read (never change or export) at `at` (default now).

    True while `at` falls within the window of an open or delivered review the person is on, and the
    person still holds the fidelity reviewer role in the program's state. Computed from the dates, so
    access ends by itself when the window closes."""
    states = reviewer_state_ids(person)
    if not states:
        return set()
    day = timezone.localdate(at) if at is not None else timezone.localdate()
    rows = ReviewTeamMember.objects.filter(
        person=person,
        review__program__state_id__in=states,
        review__window_opens__lte=day,
        review__window_closes__gte=day,
    ).exclude(review__status=Review.Status.CANCELLED)
    return set(rows.values_list("review__program_id", flat=True))


def _team_review_ids(person: Person) -> QuerySet[ReviewTeamMember, Any]:  # rows of {review_id}
    return ReviewTeamMember.objects.filter(
        person=person, review__program__state_id__in=reviewer_state_ids(person)
    ).values("review_id")


def reviews_visible_to(person: Person) -> QuerySet[Review]:
    if access.is_platform_admin(person):
        return Review.objects.all()
    visible = Q(program_id__in=access.visible_program_ids(person))
    if reviewer_state_ids(person):  # only a fidelity reviewer is on review teams
        visible |= Q(id__in=_team_review_ids(person))
    return Review.objects.filter(visible)


# Who has Fidelity in the navigation whether or not they see a review yet (partners once they do).
ALWAYS_IN_NAVIGATION = {Role.STATE_LEAD, Role.STATE_TRAINER, Role.ADMINISTRATOR, Role.FIDELITY_REVIEWER}


def sees_reviews(person: Person) -> bool:
    """Whether the person sees any review (the navigation shows Fidelity to partners once they do). Asked once
    per request: the home page's reminders answer it in their own query (`remember_sees_reviews`)."""
    return kept(person, "sees_reviews", lambda: reviews_visible_to(person).exists())


def remember_sees_reviews(person: Person, sees: bool) -> None:
    keep(person, "sees_reviews", sees)


def get_review_for(person: Person, review_id: int) -> Review:
    try:
        return reviews_visible_to(person).select_related("program", "program__state", "scale").get(pk=review_id)
    except Review.DoesNotExist:
        raise Http404("No such review.") from None


def actions_visible_to(person: Person) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(review__in=reviews_visible_to(person).values("id"))


def get_action_for(person: Person, action_id: int) -> ActionItem:
    try:
        return actions_visible_to(person).select_related("review", "review__program", "owner").get(pk=action_id)
    except ActionItem.DoesNotExist:
        raise Http404("No such action.") from None


def get_invitee_for(person: Person, invitee_id: int) -> ReviewInvitee:
    try:
        return (
            ReviewInvitee.objects.filter(review__in=reviews_visible_to(person).values("id"))
            .select_related("review", "review__program")
            .get(pk=invitee_id)
        )
    except ReviewInvitee.DoesNotExist:
        raise Http404("No such invitation.") from None


# --- Roles within a review ----------------------------------------------------------------------------


def team_member(person: Person, review: Review) -> ReviewTeamMember | None:
    if review.program.state_id not in reviewer_state_ids(person):
        return None
    return ReviewTeamMember.objects.filter(review=review, person=person).first()


def is_lead_reviewer(person: Person, review: Review) -> bool:
    member = team_member(person, review)
    return member is not None and member.is_lead


def can_manage_reviews(person: Person, state_id: int) -> bool:
    """State IPS team leads and administrators schedule, plan and deliver reviews."""
    return access.can_manage_programs(person, state_id)


def require_review_manager(person: Person, review_or_program: Review | Program) -> None:
    program = review_or_program.program if isinstance(review_or_program, Review) else review_or_program
    if not can_manage_reviews(person, program.state_id):
        raise PermissionDenied("Only the state IPS team can schedule, plan and move fidelity reviews.")


def can_plan(person: Person, review: Review) -> bool:
    return can_manage_reviews(person, review.program.state_id) or is_lead_reviewer(person, review)


def require_planner(person: Person, review: Review) -> None:
    if not can_plan(person, review):
        raise PermissionDenied("Only the state IPS team or the lead reviewer can plan this review.")


def require_team_member(person: Person, review: Review) -> ReviewTeamMember:
    member = team_member(person, review)
    if member is None:
        raise PermissionDenied("Only the review team's reviewers score this review.")
    return member


def require_lead_reviewer(person: Person, review: Review) -> None:
    if not is_lead_reviewer(person, review):
        raise PermissionDenied("Only the lead reviewer records consensus and writes the report.")


def can_deliver(person: Person, review: Review) -> bool:
    return can_manage_reviews(person, review.program.state_id) or is_lead_reviewer(person, review)


def require_deliverer(person: Person, review: Review) -> None:
    if not can_deliver(person, review):
        raise PermissionDenied("Only the lead reviewer or the state IPS team delivers the report.")


def can_see_team_scores(person: Person, review: Review) -> bool:
    """Side-by-side scores: the team and the state team, once both reviewers have submitted."""
    both_in = review.status in (Review.Status.CONSENSUS, Review.Status.REPORTING, Review.Status.DELIVERED)
    if not both_in:
        return False
    return team_member(person, review) is not None or review.program.state_id in access.statewide_state_ids(person)


def can_read_report(person: Person, review: Review) -> bool:
    """A draft report is read by the team and the state team; partners read it once delivered."""
    if review.status == Review.Status.DELIVERED:
        return True
    return (
        access.is_platform_admin(person)
        or team_member(person, review) is not None
        or review.program.state_id in access.statewide_state_ids(person)
    )


def is_program_lead(person: Person, program: Program) -> bool:
    """The program's mental health director or IPS supervisor (agency or provider)."""
    org_ids = {program.mh_agency_id, program.employment_provider_id}
    return any(
        s.organization_id in org_ids and s.role in PROGRAM_LEAD_ROLES and s.kind != OrgKind.STATE_TEAM
        for s in access.seats(person)
    )


def can_edit_actions(person: Person, review: Review) -> bool:
    return (
        can_manage_reviews(person, review.program.state_id)
        or is_lead_reviewer(person, review)
        or is_program_lead(person, review.program)
    )


def require_action_editor(person: Person, review: Review) -> None:
    if not can_edit_actions(person, review):
        raise PermissionDenied(
            "Only the state IPS team, the lead reviewer, or the program's director or IPS supervisor "
            "can change the action plan."
        )


def can_update_action(person: Person, action: ActionItem) -> bool:
    return action.owner_id == person.pk or can_edit_actions(person, action.review)


def require_action_updater(person: Person, action: ActionItem) -> None:
    if not can_update_action(person, action):
        raise PermissionDenied("Only the action's owner, the program's leaders or the state team can update it.")


def can_edit_invitees(person: Person, review: Review) -> bool:
    """The clients and family members invited to the visit's interviews are the program's to list: its
    director and IPS supervisor, or the state team that plans the review with them."""
    return can_manage_reviews(person, review.program.state_id) or is_program_lead(person, review.program)


def require_invitee_editor(person: Person, review: Review) -> None:
    if not can_edit_invitees(person, review):
        raise PermissionDenied(
            "Only the program's director or IPS supervisor, or the state IPS team, can list the people invited."
        )


# --- Running fidelity estimate ------------------------------------------------------------------------


def can_see_estimate(person: Person, program: Program) -> bool:
    """The program's director and IPS supervisor, and the state team (leads, trainers, administrators)."""
    return (
        access.is_platform_admin(person)
        or program.state_id in access.statewide_state_ids(person)
        or is_program_lead(person, program)
    )


def can_edit_specialist_time(person: Person, program: Program) -> bool:
    """The program's director and IPS supervisor record their specialists' time (the state team reads it)."""
    return is_program_lead(person, program)


def require_specialist_time_editor(person: Person, program: Program) -> None:
    if not can_edit_specialist_time(person, program):
        raise PermissionDenied("Only the program's director or IPS supervisor can record the specialists' time.")


def get_estimate_program_for(person: Person, program_id: int) -> Program:
    """The program, if `person` may see its running estimate; otherwise 404, like a program that isn't there."""
    program = access.get_program_for(person, program_id)
    if not can_see_estimate(person, program):
        raise Http404("No such program.")
    return program


# --- Self-assessment (issue #26, branch fidself) ------------------------------------------------------
#
# The program's own people score themselves: its mental health director, IPS supervisor and employment
# specialists (seats in the program's mental health agency or employment provider). The state team and the
# program's assigned trainer read them, to coach. A fidelity reviewer does not: the reviewers' scores are
# meant to be independent, so a self-assessment is not shown to them (404) unless they are also one of the
# program's own people. Everyone else (DVR partners, case managers, other agencies and states) gets 404.

SELF_ASSESSMENT_ROLES = (Role.MH_DIRECTOR, Role.IPS_SUPERVISOR, Role.EMPLOYMENT_SPECIALIST)


def is_program_team(person: Person, program: Program) -> bool:
    """The program's director, IPS supervisor or one of its employment specialists."""
    org_ids = {program.mh_agency_id, program.employment_provider_id}
    return any(
        s.organization_id in org_ids and s.role in SELF_ASSESSMENT_ROLES and s.kind != OrgKind.STATE_TEAM
        for s in access.seats(person)
    )


def can_read_self_assessments(person: Person, program: Program) -> bool:
    return (
        access.is_platform_admin(person)
        or program.state_id in access.statewide_state_ids(person)
        or program.trainer_id == person.pk
        or is_program_team(person, program)
    )


def can_write_self_assessments(person: Person, program: Program) -> bool:
    return is_program_team(person, program)


def require_self_assessor(person: Person, program: Program) -> None:
    if not can_write_self_assessments(person, program):
        raise PermissionDenied(
            "Only the program's IPS supervisor, employment specialists and mental health director score its "
            "self-assessment."
        )


def get_self_assessment_program_for(person: Person, program_id: int) -> Program:
    """The program, if `person` may read its self-assessments; otherwise 404."""
    program = access.get_program_for(person, program_id)
    if not can_read_self_assessments(person, program):
        raise Http404("No such program.")
    return program


def self_assessment_programs_for(person: Person) -> QuerySet[Program]:
    """The programs whose self-assessments `person` reads, for the self-assessment index (one query)."""
    if access.is_platform_admin(person):
        return Program.objects.all()
    team_orgs = [
        s.organization_id
        for s in access.seats(person)
        if s.role in SELF_ASSESSMENT_ROLES and s.kind != OrgKind.STATE_TEAM
    ]
    return Program.objects.filter(
        Q(state_id__in=access.statewide_state_ids(person))
        | Q(trainer_id=person.pk)
        | Q(mh_agency_id__in=team_orgs)
        | Q(employment_provider_id__in=team_orgs)
    )


def self_assessments_visible_to(person: Person) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(program__in=self_assessment_programs_for(person).values("id"))


def get_self_assessment_for(person: Person, assessment_id: int) -> SelfAssessment:
    try:
        assessment = SelfAssessment.objects.select_related(
            "program", "program__state", "scale", "created_by", "updated_by"
        ).get(pk=assessment_id)
    except SelfAssessment.DoesNotExist:
        raise Http404("No such self-assessment.") from None
    if not can_read_self_assessments(person, assessment.program):
        raise Http404("No such self-assessment.")
    return assessment


# --- Review preparation (issue #26) ------------------------------------------------------------------------


def in_review_window(person: Person, review: Review, at: datetime.datetime | None = None) -> bool:
    """On this review's team, still a reviewer in its state, and `at` (default now) inside its access window."""
    if review.status == Review.Status.CANCELLED or review.window_opens is None or review.window_closes is None:
        return False
    day = timezone.localdate(at) if at is not None else timezone.localdate()
    return review.window_opens <= day <= review.window_closes and team_member(person, review) is not None


def can_answer_checklist(person: Person, review: Review) -> bool:
    """The program's director and IPS supervisor answer the documents requested, while the review is open."""
    return review.is_open and is_program_lead(person, review.program)


def require_checklist_answerer(person: Person, review: Review) -> None:
    if not can_answer_checklist(person, review):
        raise PermissionDenied(
            "Only the program's director or IPS supervisor can answer the documents requested, while the review "
            "is open."
        )


def can_read_prep_answers(person: Person, review: Review) -> bool:
    """The answers (notes and files) hold program records, some about clients: the program's leaders read them,
    and the review team only inside its access window, never before or after. The state team sees which
    requests are answered, not the answers."""
    return is_program_lead(person, review.program) or in_review_window(person, review)


def get_document_request_for(person: Person, request_id: int) -> DocumentRequest:
    try:
        return (
            DocumentRequest.objects.filter(review__in=reviews_visible_to(person).values("id"))
            .select_related("review", "review__program", "review__program__state")
            .get(pk=request_id)
        )
    except DocumentRequest.DoesNotExist:
        raise Http404("No such document request.") from None


def get_document_upload_for(person: Person, upload_id: int) -> DocumentUpload:
    """A file answering a request, for someone who may read the answers now; 404 for anyone else (a reviewer
    outside the window cannot tell the file exists)."""
    try:
        upload = (
            DocumentUpload.objects.filter(request__review__in=reviews_visible_to(person).values("id"))
            .select_related("request", "request__review", "request__review__program")
            .get(pk=upload_id)
        )
    except DocumentUpload.DoesNotExist:
        raise Http404("No such file.") from None
    if not can_read_prep_answers(person, upload.request.review):
        raise Http404("No such file.")
    return upload


def can_mark_prep_tasks(person: Person, review: Review) -> bool:
    """Whoever prepares the review ticks its steps: the state team, the review team, the program's leaders."""
    return review.is_open and (
        can_manage_reviews(person, review.program.state_id)
        or team_member(person, review) is not None
        or is_program_lead(person, review.program)
    )


def require_prep_task_marker(person: Person, review: Review) -> None:
    if not can_mark_prep_tasks(person, review):
        raise PermissionDenied(
            "Only the state IPS team, the review team or the program's leaders can mark preparation steps, while "
            "the review is open."
        )


def get_prep_task_for(person: Person, task_id: int) -> PrepTask:
    try:
        return (
            PrepTask.objects.filter(review__in=reviews_visible_to(person).values("id"))
            .select_related("review", "review__program", "review__program__state")
            .get(pk=task_id)
        )
    except PrepTask.DoesNotExist:
        raise Http404("No such preparation step.") from None


def can_see_chart_worksheet(person: Person, review: Review) -> bool:
    """The worksheet names clients: the review team inside its window, and the program's leaders (who pull the
    charts); never the state team (no client-level data) nor other partners."""
    return in_review_window(person, review) or is_program_lead(person, review.program)


def get_worksheet_review_for(person: Person, review_id: int) -> Review:
    """The review, if `person` may read its chart-review worksheet now; otherwise 404."""
    review = get_review_for(person, review_id)
    if not can_see_chart_worksheet(person, review):
        raise Http404("No such worksheet.")
    return review


# #26 (branch fidfin): the reviewers choose how many charts the worksheet samples.
def can_choose_chart_sample(person: Person, review: Review) -> bool:
    return team_member(person, review) is not None and review.status in Review.OPEN_STATUSES


def require_chart_sample_chooser(person: Person, review: Review) -> None:
    if not can_choose_chart_sample(person, review):
        raise PermissionDenied("Only the review team's reviewers choose the chart sample, while the review is open.")
