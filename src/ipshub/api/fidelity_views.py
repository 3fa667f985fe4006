"""The writes of a fidelity review, one operation per step a person takes on the web's fidelity pages
(fidelity/urls.py): schedule, reschedule, cancel; the team; the plan and its agenda; each reviewer's own
scores; consensus; the report and its delivery; the action plan; and the running estimate from the records.

Each operation finds the review (or action, or program) with the fidelity access layer's `get_*_for` (404
for "not found" and "not yours"), makes the web view's access check (`require_*`: 403 for a person who may
see but not do) before it reads the body, checks the body's shape, and calls the same service function as
the web view: the service validates (its messages are the API's 400s, on the field they name) and records
the audit event. Updates of shared text (the plan, the report, an action) require If-Match (api/versions.py).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import fidelity_serializers as s
from ipshub.api import program_serializers, program_views, versions
from ipshub.api.inputs import refuse_unknown, validated
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.fidelity import (
    access,
    comparison,
    evidence_records,
    forms,
    selectors,
    self_assessment_services,
    services,
)
from ipshub.fidelity.models import ActionItem, FidelityItem, Review, ReviewerScore, ReviewInvitee, SelfAssessment
from ipshub.fidelity.scales import current_scale
from ipshub.fidelity.self_assessment_services import SelfScoreEntry
from ipshub.fidelity.services import ScoreEntry
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person

REVIEW = {200: program_serializers.ReviewDetailSerializer}


def _review_answer(person: Person, review: Review, status: int = 200) -> Response:
    return Response(program_views.review_data(person, review), status=status)


def _person(person: Person, person_id: int | None, field: str, choices: list[Person]) -> Person | None:
    """A person named in a body: one of the web form's choices (the state's reviewers, the plan's possible
    owners), or else someone the caller may see, whom the service then refuses with its message. Any other
    id answers as if unknown, so the error never names a person of another agency or state."""
    if person_id is None:
        return None
    found = next((p for p in choices if p.pk == person_id), None)
    if found is None:
        found = tenancy_access.people_visible_to(person).filter(pk=person_id).first()
    if found is None:
        raise ValidationError({field: f"There is no person with id {person_id} that you can see."})
    return found


def _items(review: Review, numbers: list[int], field: str) -> dict[int, FidelityItem]:
    """The review's scale items by number; 400 naming the numbers that are not on it."""
    items = {item.number: item for item in selectors.items_of(review)}
    missing = sorted({n for n in numbers if n not in items})
    if missing:
        listed = ", ".join(map(str, missing))
        raise ValidationError({field: f"This review's scale has no item {listed} (its items are 1 to {len(items)})."})
    return items


# --- Scheduling ----------------------------------------------------------------------------------------


class ReviewList(program_views.ReviewList):
    @extend_schema(
        request=s.ScheduleSerializer,
        responses={201: program_serializers.ReviewDetailSerializer},
        summary="Schedule a fidelity review by hand (the state IPS team's leads and administrators)",
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.ScheduleSerializer, request)
        program = tenancy_access.get_program_for(self.person, data.pop("program"))
        access.require_review_manager(self.person, program)
        review = services.review_schedule(actor=self.person, program=program, **data)
        return _review_answer(self.person, review, status=201)


class _ManagedReviewStep(ApiMixin, APIView):
    """A step of the state IPS team's (leads and administrators) on one review."""

    def managed_review(self, review_id: int) -> Review:
        review = access.get_review_for(self.person, review_id)
        access.require_review_manager(self.person, review)
        return review


class ReviewReschedule(_ManagedReviewStep):
    @extend_schema(
        request=s.RescheduleSerializer,
        responses=REVIEW,
        summary="Move a review's due date, with the reason (the state IPS team)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = self.managed_review(review_id)
        data = validated(s.RescheduleSerializer, request)
        services.review_reschedule(actor=self.person, review=review, **data)
        return _review_answer(self.person, review)


class ReviewCancel(_ManagedReviewStep):
    @extend_schema(
        request=s.CancelSerializer, responses=REVIEW, summary="Cancel a review, with the reason (the state IPS team)"
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = self.managed_review(review_id)
        data = validated(s.CancelSerializer, request)
        services.review_cancel(actor=self.person, review=review, reason=data["reason"])
        return _review_answer(self.person, review)


class ReviewTeam(_ManagedReviewStep):
    @extend_schema(
        request=s.TeamSerializer,
        responses=REVIEW,
        summary="Set the review team: the lead and the second reviewer, replacing the team (the state IPS team; "
        "until scoring starts)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = self.managed_review(review_id)
        data = validated(s.TeamSerializer, request)
        reviewers = selectors.eligible_reviewers(review.program)
        lead = _person(self.person, data["lead"], "lead", reviewers)
        second = _person(self.person, data["second"], "second", reviewers)
        assert lead is not None and second is not None
        services.review_set_team(actor=self.person, review=review, lead=lead, second=second)
        return _review_answer(self.person, review)


# --- Plan and agenda -----------------------------------------------------------------------------------


def _plan_rows(review_id: int) -> QuerySet[Review]:
    return Review.objects.filter(pk=review_id).prefetch_related("agenda")


def _plan_data(review: Review) -> Any:
    return s.PlanSerializer(review).data


class ReviewPlan(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.PlanSerializer}, summary="The visit's plan and agenda")
    def get(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        return Response(_plan_data(_plan_rows(review.pk).get()))

    @extend_schema(
        request=s.PlanWriteSerializer,
        responses={200: s.PlanSerializer},
        summary="Plan the visit: its days, the reviewers' access window, the program's contact and the documents "
        "asked for (the state IPS team or the lead reviewer)",
    )
    def put(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_planner(self.person, review)  # 403 before 428
        versions.require_if_match(request)
        data = validated(s.PlanWriteSerializer, request)
        with transaction.atomic():
            current = versions.locked_current(request, _plan_rows(review.pk), _plan_data)
            current.program = review.program  # the service audits with the program's state
            services.review_plan(actor=self.person, review=current, **data)
        return Response(_plan_data(_plan_rows(review.pk).get()))


class AgendaStandard(ApiMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: s.PlanSerializer},
        summary="Replace the agenda with the standard two-day visit (the state IPS team or the lead reviewer)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_planner(self.person, review)
        refuse_unknown(request.data, ())  # the step takes no body
        services.agenda_use_standard(actor=self.person, review=review)
        return Response(_plan_data(_plan_rows(review.pk).get()))


class AgendaSlots(ApiMixin, APIView):
    @extend_schema(
        request=s.AgendaSlotWriteSerializer,
        responses={201: s.AgendaSlotSerializer},
        summary="Add a slot to the visit's agenda (the state IPS team or the lead reviewer)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_planner(self.person, review)
        data = validated(s.AgendaSlotWriteSerializer, request)
        slot = services.agenda_slot_add(actor=self.person, review=review, **data)
        return Response(s.AgendaSlotSerializer(slot).data, status=201)


# --- Scores and consensus ------------------------------------------------------------------------------


def _score_entries(review: Review, rows: list[dict[str, Any]]) -> list[ScoreEntry]:
    items = _items(review, [row["number"] for row in rows], "items")
    return [
        ScoreEntry(
            item=items[row["number"]],
            score=services.CANNOT_RATE if row["score"] is None else str(row["score"]),
            reason=row.get("reason", ""),
            notes=row.get("notes", ""),
            sources=row.get("sources", ""),
            rationale=row.get("rationale", ""),
            strengths=row.get("strengths", ""),
            recommendations=row.get("recommendations", ""),
        )
        for row in rows
    ]


def _saved_scores(save: Any, rows: list[dict[str, Any]]) -> int:
    """Run the service; its errors keyed by item (`score_4`, `reason_4`, as on the web form) name the body's
    field instead (`items.0.score`), with the service's message."""
    try:
        saved: int = save()
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        index = {row["number"]: n for n, row in enumerate(rows)}
        renamed: dict[str, list[str]] = {}
        for key, messages in exc.message_dict.items():
            name, _, number = key.rpartition("_")
            if name in ("score", "reason") and number.isdigit() and int(number) in index:
                key = f"items.{index[int(number)]}.{name}"
            renamed.setdefault(key, []).extend(messages)
        raise ValidationError(renamed) from None
    return saved


def _own_scores(review: Review, person: Person) -> Any:
    member = access.require_team_member(person, review)
    scores = ReviewerScore.objects.filter(review=review, reviewer=person).select_related("item")
    scores = scores.order_by("item__number")
    return s.OwnScoresSerializer(
        {"submitted_at": member.scores_submitted_at, "item_count": len(selectors.items_of(review)), "scores": scores}
    ).data


class ReviewScores(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.OwnScoresSerializer},
        summary="Your own scores on the review (the review team's reviewers; nobody sees another's here)",
    )
    def get(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        return Response(_own_scores(review, self.person))

    @extend_schema(
        request=s.ScoresWriteSerializer,
        responses={200: s.OwnScoresSerializer},
        summary="Save your own scores of the items sent (the review team's reviewers, until they submit)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_team_member(self.person, review)
        rows = validated(s.ScoresWriteSerializer, request)["items"]
        entries = _score_entries(review, rows)
        _saved_scores(lambda: services.scores_save(actor=self.person, review=review, entries=entries), rows)
        return Response(_own_scores(review, self.person))


class ScoresSubmit(ApiMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: s.OwnScoresSerializer},
        summary="Submit your scores: every item scored or marked cannot rate (the review team's reviewers)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_team_member(self.person, review)
        refuse_unknown(request.data, ())  # the step takes no body
        services.scores_submit(actor=self.person, review=review)
        return Response(_own_scores(review, self.person))


class ReviewConsensus(ApiMixin, APIView):
    @extend_schema(
        request=s.ConsensusWriteSerializer,
        responses={200: s.ConsensusSavedSerializer},
        summary="Record the agreed score, rationale, strengths and recommendations of the items sent (the lead "
        "reviewer, once both reviewers have submitted; the agreed scores are in the review's GET once "
        "consensus is complete)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_lead_reviewer(self.person, review)
        rows = validated(s.ConsensusWriteSerializer, request)["items"]
        entries = _score_entries(review, rows)
        saved = _saved_scores(lambda: services.consensus_save(actor=self.person, review=review, entries=entries), rows)
        return Response({"saved": saved})


class ConsensusComplete(ApiMixin, APIView):
    @extend_schema(
        request=None,
        responses=REVIEW,
        summary="Complete consensus: every item agreed; the report is drafted next (the lead reviewer)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_lead_reviewer(self.person, review)
        refuse_unknown(request.data, ())  # the step takes no body
        services.consensus_complete(actor=self.person, review=review)
        return _review_answer(self.person, review)


# --- Report --------------------------------------------------------------------------------------------


class ReviewReport(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses=REVIEW,
        summary="The review with its report, as its GET answers it (the report's text and scores once you may "
        "read them); its ETag is the If-Match of the report's PUT",
    )
    def get(self, request: Request, review_id: int) -> Response:
        return _review_answer(self.person, access.get_review_for(self.person, review_id))

    @extend_schema(
        request=s.OverallWriteSerializer,
        responses=REVIEW,
        summary="Write the report's overall strengths and recommendations (the lead reviewer, while the report is "
        "drafted)",
    )
    def put(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_lead_reviewer(self.person, review)  # 403 before 428
        versions.require_if_match(request)
        data = validated(s.OverallWriteSerializer, request)
        with transaction.atomic():
            versions.locked_current(
                request,
                Review.objects.filter(pk=review.pk),
                lambda _locked: program_views.review_data(self.person, review),
            )
            services.report_save_overall(actor=self.person, review=review, **data)
        review.refresh_from_db()
        return _review_answer(self.person, review)


class ReportDeliver(ApiMixin, APIView):
    @extend_schema(
        request=s.DeliverSerializer,
        responses=REVIEW,
        summary="Deliver the report to the program's partners; the next review is scheduled by the rule (the lead "
        "reviewer or the state IPS team)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_deliverer(self.person, review)
        data = validated(s.DeliverSerializer, request)
        services.report_deliver(actor=self.person, review=review, **data)
        return _review_answer(self.person, review)


# --- Action plan ---------------------------------------------------------------------------------------


def _actions(queryset: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    return queryset.select_related("owner").prefetch_related(
        Prefetch("items", queryset=FidelityItem.objects.order_by("number"))
    )


def _action_data(action: ActionItem) -> Any:
    return s.ActionSerializer(action).data


def _action(action_id: int) -> ActionItem:
    return _actions(ActionItem.objects.filter(pk=action_id)).get()


class ReviewActions(ApiMixin, APIView):
    @extend_schema(responses={200: s.ActionSerializer(many=True)}, summary="The review's action plan")
    def get(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        actions = _actions(ActionItem.objects.filter(review=review)).order_by("due_on", "pk")
        return Response(s.ActionSerializer(actions, many=True).data)

    @extend_schema(
        request=s.ActionCreateSerializer,
        responses={201: s.ActionSerializer},
        summary="Add an action to the plan of a delivered review (the state IPS team, the lead reviewer, or the "
        "program's director or IPS supervisor)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_action_editor(self.person, review)
        data = validated(s.ActionCreateSerializer, request)
        items = _items(review, data["items"], "items")
        action = services.action_create(
            actor=self.person,
            review=review,
            title=data["title"],
            items=[items[n] for n in data["items"]],
            owner=_person(self.person, data["owner"], "owner", selectors.possible_owners(review)),
            due_on=data["due_on"],
        )
        return Response(_action_data(_action(action.pk)), status=201)


class ActionsFromRecommendations(ApiMixin, APIView):
    @extend_schema(
        request=s.FromRecommendationsSerializer,
        responses={201: s.ActionSerializer(many=True)},
        summary="Add one action per consensus recommendation that has none yet (the plan's editors)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = access.get_review_for(self.person, review_id)
        access.require_action_editor(self.person, review)
        data = validated(s.FromRecommendationsSerializer, request)
        owner = _person(self.person, data["owner"], "owner", selectors.possible_owners(review))
        created = services.actions_from_recommendations(
            actor=self.person, review=review, owner=owner, due_on=data["due_on"]
        )
        actions = _actions(ActionItem.objects.filter(pk__in=[a.pk for a in created])).order_by("pk")
        return Response(s.ActionSerializer(actions, many=True).data, status=201)


class ActionDetail(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.ActionSerializer}, summary="One action of a review's action plan")
    def get(self, request: Request, action_id: int) -> Response:
        action = access.get_action_for(self.person, action_id)
        return Response(_action_data(_action(action.pk)))

    @extend_schema(
        request=s.ActionUpdateSerializer,
        responses={200: s.ActionSerializer},
        summary="Update an action: status, owner, due date, the steering committee's review, a progress note "
        "(its owner, the program's leaders or the state team)",
    )
    def patch(self, request: Request, action_id: int) -> Response:
        action = access.get_action_for(self.person, action_id)
        access.require_action_updater(self.person, action)  # 403 before 428
        versions.require_if_match(request)
        given = validated(s.ActionUpdateSerializer, request)
        owners = selectors.possible_owners(action.review) if given.get("owner") else []
        owner = _person(self.person, given["owner"], "owner", owners) if "owner" in given else None
        with transaction.atomic():
            current = versions.locked_current(request, _actions(ActionItem.objects.filter(pk=action.pk)), _action_data)
            current.review = action.review
            services.action_update(
                actor=self.person,
                action=current,
                status=given.get("status", current.status),
                due_on=given.get("due_on", current.due_on),
                owner=owner if "owner" in given else current.owner,
                steering_reviewed_on=given.get("steering_reviewed_on", current.steering_reviewed_on),
                note=given.get("note", ""),
            )
        return Response(_action_data(_action(action.pk)))

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove an action added in error (the state IPS team, the lead reviewer, or the program's leaders)",
    )
    def delete(self, request: Request, action_id: int) -> Response:
        action = access.get_action_for(self.person, action_id)
        access.require_action_editor(self.person, action.review)
        refuse_unknown(request.data, ())  # the step takes no body
        services.action_delete(actor=self.person, action=action)
        return Response(status=204)


# --- The people invited to the visit's interviews (listed and added at fidelity-reviews/{id}/invitees/) ---


class InviteeAnswer(ApiMixin, APIView):
    @extend_schema(
        request=s.InviteeAnswerSerializer,
        responses={200: program_serializers.InviteeSerializer},
        summary="Record whether someone invited to the visit's interviews accepted (the program's director or IPS "
        "supervisor, or the state team)",
    )
    def post(self, request: Request, invitee_id: int) -> Response:
        invitee = access.get_invitee_for(self.person, invitee_id)
        access.require_invitee_editor(self.person, invitee.review)
        data = validated(s.InviteeAnswerSerializer, request)
        services.invitee_answer(actor=self.person, invitee=invitee, accepted=data["accepted"])
        return Response(program_serializers.InviteeSerializer(_invitee(invitee.pk)).data)


class InviteeDetail(ApiMixin, APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove an invitation recorded in error (the program's director or IPS supervisor, or the state team)",
    )
    def delete(self, request: Request, invitee_id: int) -> Response:
        invitee = access.get_invitee_for(self.person, invitee_id)
        access.require_invitee_editor(self.person, invitee.review)
        refuse_unknown(request.data, ())  # the step takes no body
        services.invitee_delete(actor=self.person, invitee=invitee)
        return Response(status=204)


def _invitee(invitee_id: int) -> ReviewInvitee:
    return ReviewInvitee.objects.select_related("recorded_by").get(pk=invitee_id)


# --- Running estimate ----------------------------------------------------------------------------------

PERIOD = {"start": "first_day", "end": "last_day"}  # the API's parameters → the web form's fields


class ProgramEstimate(OneObject, ApiMixin, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start", OpenApiTypes.DATE, required=True, description="The period's first day (YYYY-MM-DD)."
            ),
            OpenApiParameter(
                "end",
                OpenApiTypes.DATE,
                required=True,
                description="The period's last day (YYYY-MM-DD); at most three years after the first.",
            ),
        ],
        responses={200: s.EstimateSerializer},
        summary="The running fidelity estimate: each item measurable from the program's records, its implied "
        "score and the figures behind it (the program's director and IPS supervisor, and the state team)",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = access.get_estimate_program_for(self.person, program_id)
        form = forms.EstimatePeriodForm({field: request.query_params.get(name, "") for name, field in PERIOD.items()})
        if not form.is_valid():
            by_field = {field: name for name, field in PERIOD.items()}
            raise ValidationError({by_field.get(key, key): list(errors) for key, errors in form.errors.items()})
        first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
        estimate = evidence_records.program_estimate(program, first, last, current_scale())
        return Response(s.EstimateSerializer(estimate).data)


# --- Specialists' time, for the estimate's items 1 and 2 -----------------------------------------------


class SpecialistTimes(ApiMixin, APIView):
    @extend_schema(
        responses={200: s.SpecialistTimeSerializer(many=True)},
        summary="The program's employment specialists and their recorded time (who sees the running estimate)",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = access.get_estimate_program_for(self.person, program_id)
        return Response(s.SpecialistTimeSerializer(selectors.specialist_time_rows(program), many=True).data)

    @extend_schema(
        request=s.SpecialistTimeInputSerializer,
        responses={200: s.SpecialistTimeSerializer},
        summary="Record a specialist's full-time equivalent and share of time on employment services (the "
        "program's director or IPS supervisor)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = access.get_estimate_program_for(self.person, program_id)
        access.require_specialist_time_editor(self.person, program)
        data = validated(s.SpecialistTimeInputSerializer, request)
        specialist = _person(self.person, data["specialist"], "specialist", selectors.program_specialists(program))
        assert specialist is not None  # the field is required
        services.specialist_time_set(
            actor=self.person,
            program=program,
            specialist=specialist,
            fte=data["fte"],
            employment_share=data["employment_share"],
        )
        row = next(r for r in selectors.specialist_time_rows(program) if r.specialist.pk == specialist.pk)
        return Response(s.SpecialistTimeSerializer(row).data)


# --- Self-assessment (issue #26, branch fidself) ------------------------------------------------------


def _self_entries(scale_items: list[FidelityItem], rows: list[dict[str, Any]]) -> list[SelfScoreEntry]:
    """The body's items as the service's entries; 400 naming numbers the scale doesn't have."""
    items = {item.number: item for item in scale_items}
    missing = sorted({row["number"] for row in rows if row["number"] not in items})
    if missing:
        listed = ", ".join(map(str, missing))
        raise ValidationError({"items": f"The scale has no item {listed} (its items are 1 to {len(items)})."})
    return [SelfScoreEntry(item=items[row["number"]], score=str(row["score"]), note=row["note"]) for row in rows]


def _self_saved(save: Any, rows: list[dict[str, Any]]) -> Any:
    """Run the service; its errors keyed as on the web form (`score_4`, `note_4`) name the body's field."""
    try:
        return save()
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        index = {row["number"]: n for n, row in enumerate(rows)}
        renamed: dict[str, list[str]] = {}
        for key, messages in exc.message_dict.items():
            name, _, number = key.rpartition("_")
            if name in ("score", "note") and number.isdigit() and int(number) in index:
                key = f"items.{index[int(number)]}.{name}"
            renamed.setdefault(key, []).extend(messages)
        raise ValidationError(renamed) from None


def _assessment_rows(assessment_id: int) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(pk=assessment_id).select_related(
        "program", "scale", "created_by", "updated_by"
    )


def _assessment_data(assessment: SelfAssessment) -> Any:
    scores = comparison.with_scores(assessment)
    total = comparison.assessment_total(scores, assessment.scale)
    return s.SelfAssessmentSerializer({"assessment": assessment, "total": total, "items": list(scores.values())}).data


class ProgramSelfAssessments(ApiMixin, APIView):
    @extend_schema(
        responses={200: s.SelfAssessmentSummarySerializer(many=True)},
        summary="The program's fidelity self-assessments, latest first (the program's own people, the state "
        "team and its trainer; not fidelity reviewers)",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = access.get_self_assessment_program_for(self.person, program_id)
        assessments = list(comparison.assessments_of(program).select_related("program"))
        totals = comparison.totals_of(assessments)
        rows = [{"assessment": a, "total": totals[a.pk]} for a in assessments]
        return Response(s.SelfAssessmentSummarySerializer(rows, many=True).data)

    @extend_schema(
        request=s.SelfAssessmentWriteSerializer,
        responses={201: s.SelfAssessmentSerializer},
        summary="Record a self-assessment: the team's own scores of the items sent (the program's director, IPS "
        "supervisor and employment specialists)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = access.get_self_assessment_program_for(self.person, program_id)
        access.require_self_assessor(self.person, program)
        data = validated(s.SelfAssessmentWriteSerializer, request)
        rows = data.pop("items")
        entries = _self_entries(list(current_scale().items.all()), rows)
        assessment = _self_saved(
            lambda: self_assessment_services.self_assessment_create(
                actor=self.person, program=program, entries=entries, **data
            ),
            rows,
        )
        return Response(_assessment_data(_assessment_rows(assessment.pk).get()), status=201)


class SelfAssessmentDetail(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.SelfAssessmentSerializer},
        summary="One self-assessment with its scores; its ETag is the If-Match of its PUT",
    )
    def get(self, request: Request, self_assessment_id: int) -> Response:
        assessment = access.get_self_assessment_for(self.person, self_assessment_id)
        return Response(_assessment_data(assessment))

    @extend_schema(
        request=s.SelfAssessmentWriteSerializer,
        responses={200: s.SelfAssessmentSerializer},
        summary="Replace a self-assessment: its day, participants, note and scores (an item not sent is unscored; "
        "the program's own people)",
    )
    def put(self, request: Request, self_assessment_id: int) -> Response:
        assessment = access.get_self_assessment_for(self.person, self_assessment_id)
        access.require_self_assessor(self.person, assessment.program)  # 403 before 428
        versions.require_if_match(request)
        data = validated(s.SelfAssessmentWriteSerializer, request)
        rows = data.pop("items")
        entries = _self_entries(list(assessment.scale.items.all()), rows)
        with transaction.atomic():
            current = versions.locked_current(request, _assessment_rows(assessment.pk), _assessment_data)
            _self_saved(
                lambda: self_assessment_services.self_assessment_update(
                    actor=self.person, assessment=current, entries=entries, **data
                ),
                rows,
            )
        return Response(_assessment_data(_assessment_rows(assessment.pk).get()))


class SelfAssessmentItem(ApiMixin, APIView):
    @extend_schema(
        request=s.SelfItemWriteSerializer,
        responses={200: s.SelfAssessmentSerializer},
        summary="Save one item of a self-assessment as the team scores it; a null score unscores it (the "
        "program's own people; the other items, the day and the participants stay as they are)",
    )
    def post(self, request: Request, self_assessment_id: int, item_number: int) -> Response:
        assessment = access.get_self_assessment_for(self.person, self_assessment_id)
        access.require_self_assessor(self.person, assessment.program)
        data = validated(s.SelfItemWriteSerializer, request)
        item = assessment.scale.items.filter(number=item_number).first()
        if item is None:
            raise Http404("The scale has no such item.")
        score = "" if data["score"] is None else str(data["score"])
        try:
            self_assessment_services.self_assessment_item_save(
                actor=self.person, assessment=assessment, item=item, score=score, note=data["note"]
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            # The service keys its errors as the web form does (`score_4`); here the body has one item.
            raise ValidationError(
                {key.rpartition("_")[0] or key: messages for key, messages in exc.message_dict.items()}
            ) from None
        return Response(_assessment_data(_assessment_rows(assessment.pk).get()))


class ProgramFidelityComparison(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.ComparisonSerializer},
        summary="Item by item: the latest self-assessment, the running estimate from the records (six months to "
        "today) and the last delivered review's consensus, with the differences (the program's own people, the "
        "state team and its trainer)",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = access.get_self_assessment_program_for(self.person, program_id)
        result = comparison.comparison_for(program, timezone.localdate())
        return Response(s.ComparisonSerializer(result).data)
