"""Read endpoints for a program's work: implementation assignments (the 98 responsibilities of the roles
matrix per program), fidelity reviews and their item scores, meeting series and meetings with their
follow-ups, the training catalog and training completions.

Each list starts from the area's access layer (`ipshub.implementation.access`, `ipshub.fidelity.access`,
`ipshub.collaboration.access`), so the API shows exactly what the web pages show; each detail is the
area's `get_*_for(person, id)` (404 for "not found" and "not yours").
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import filters, versions
from ipshub.api import program_serializers as s
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin, ListView
from ipshub.collaboration import access as collab_access
from ipshub.collaboration import training
from ipshub.collaboration.models import (
    Attendance,
    Cadence,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingKind,
    MeetingSeries,
    TrainingCompletion,
)
from ipshub.fidelity import access as fidelity_access
from ipshub.fidelity import selectors as fidelity_selectors
from ipshub.fidelity import services as fidelity_services
from ipshub.fidelity.models import Review, ReviewInvitee, ReviewTeamMember
from ipshub.implementation import access as implementation_access
from ipshub.implementation import services as implementation_services
from ipshub.implementation.models import Assignment, ItemStatus
from ipshub.tenancy import access as tenancy_access
from ipshub.tenancy.models import Person
from ipshub.tenancy.roles import Role

OPEN = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS)


def _program(field: str = "program_id") -> filters.Integer:
    return filters.Integer("program", "Id of the program.", lambda qs, v: qs.filter(**{field: v}))


# --- Implementation: assignments ------------------------------------------------------------------


def _overdue_q() -> Q:
    return Q(status__in=OPEN, due_on__lt=timezone.localdate())


def _assignments(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return queryset.select_related(
        "program", "responsibility", "responsibility__phase", "responsibility__party", "organization", "owner"
    )


class AssignmentList(ListView):
    """The roles matrix of the programs you see: each responsibility of the catalog, assigned to the party's
    organization in one program, with its owner, due date and status (give ?program= for one program's)."""

    serializer_class = s.AssignmentSerializer
    filter_params = (
        _program(),
        filters.Choice("status", "The item's status.", lambda qs, v: qs.filter(status=v), ItemStatus.choices),
        filters.Boolean(
            "open",
            "Not started or in progress (true), or done, not applicable or superseded (false).",
            lambda qs, v: qs.filter(status__in=OPEN) if v else qs.exclude(status__in=OPEN),
        ),
        filters.Boolean(
            "overdue",
            "Open past its due date, its period's work missing (true), or not (false).",
            lambda qs, v: qs.filter(_overdue_q()) if v else qs.exclude(_overdue_q()),
        ),
        filters.Text("phase", "The phase's key, e.g. prior.", lambda qs, v: qs.filter(phase_key=v)),
        filters.Text("party", "The party's key, e.g. mh_agency or dvr.", lambda qs, v: qs.filter(party_key=v)),
        filters.Integer(
            "organization", "Id of the organization it is assigned to.", lambda qs, v: qs.filter(organization_id=v)
        ),
        filters.Integer("owner", "Id of the person who owns it.", lambda qs, v: qs.filter(owner_id=v)),
        filters.Date("due_since", "Due on or after this date.", lambda qs, v: qs.filter(due_on__gte=v)),
        filters.Date("due_until", "Due on or before this date.", lambda qs, v: qs.filter(due_on__lte=v)),
    )
    ordering_fields = ("due_on", "status", "phase_key", "party_key", "updated_at")

    def get_queryset(self) -> QuerySet[Assignment]:
        visible = implementation_access.assignments_visible_to(self.person)
        return _assignments(visible).order_by("due_on", "pk")


class AssignmentDetail(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.AssignmentSerializer}, summary="One assignment of the roles matrix")
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = implementation_access.get_assignment_for(self.person, assignment_id)
        return Response(_assignment_data(_assignments(Assignment.objects.filter(pk=assignment.pk)).get()))

    @extend_schema(
        request=s.AssignmentUpdateSerializer,
        responses={200: s.AssignmentSerializer},
        summary="Update an assignment: status by hand (with a comment), due date, owner, notes (its party's people "
        "or the state team)",
    )
    def patch(self, request: Request, assignment_id: int) -> Response:
        assignment = implementation_access.get_assignment_for(self.person, assignment_id)
        implementation_access.require_assignment_updater(self.person, assignment)  # 403 before 428
        versions.require_if_match(request)
        form = s.AssignmentUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        given = form.validated_data
        owner: Person | None = None
        if "owner" in given:
            # Looked up among the people the caller may see: an id of anyone else answers as if unknown, so the
            # error never names a person of another agency or state.
            visible = tenancy_access.people_visible_to(self.person)
            owner = None if given["owner"] is None else visible.filter(pk=given["owner"]).first()
            if given["owner"] is not None and owner is None:
                raise ValidationError({"owner": f"There is no person with id {given['owner']} that you can see."})
        with transaction.atomic():
            current = versions.locked_current(
                request, _assignments(Assignment.objects.filter(pk=assignment.pk)), _assignment_data
            )
            implementation_services.assignment_update(
                actor=self.person,
                assignment=current,
                status=given.get("status", current.status),
                due_on=given.get("due_on", current.due_on),
                owner=owner if "owner" in given else current.owner,
                notes=given.get("notes", current.notes),
                comment=given.get("comment", ""),
            )
        return Response(_assignment_data(_assignments(Assignment.objects.filter(pk=assignment.pk)).get()))


def _assignment_data(assignment: Assignment) -> Any:
    return s.AssignmentSerializer(assignment).data


class AssignmentBulk(ApiMixin, APIView):
    @extend_schema(
        request=s.AssignmentBulkSerializer,
        responses={200: s.AssignmentBulkResultSerializer},
        summary="Waive, retire or restore several assignments with a reason (the state lead of their state)",
    )
    def post(self, request: Request) -> Response:
        form = s.AssignmentBulkSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        wanted = set(form.validated_data["assignments"])
        found = list(
            implementation_access.assignments_visible_to(self.person).filter(pk__in=wanted).select_related("program")
        )
        missing = sorted(wanted - {a.pk for a in found})
        if missing:
            raise ValidationError({"assignments": f"No assignment you can see has the id(s) {missing}."})
        changed = implementation_services.assignments_bulk_set(
            actor=self.person,
            assignments=found,
            action=form.validated_data["action"],
            reason=form.validated_data["reason"],
        )
        return Response({"changed": changed})


# --- Fidelity reviews -----------------------------------------------------------------------------


def _reviews(queryset: QuerySet[Review]) -> QuerySet[Review]:
    team = ReviewTeamMember.objects.select_related("person").order_by("-is_lead", "person__last_name")
    return queryset.select_related("program", "scale").prefetch_related(Prefetch("team", queryset=team))


class ReviewList(ListView):
    """Fidelity reviews you see: the state team's of its state, a reviewer's own reviews, a program's partners'
    of their program. The item scores are on each review's own endpoint."""

    serializer_class = s.ReviewSerializer
    filter_params = (
        _program(),
        filters.Choice("status", "The review's status.", lambda qs, v: qs.filter(status=v), Review.Status.choices),
        filters.Choice("kind", "Baseline or follow-up.", lambda qs, v: qs.filter(kind=v), Review.Kind.choices),
        filters.Date("due_since", "Due on or after this date.", lambda qs, v: qs.filter(due_on__gte=v)),
        filters.Date("due_until", "Due on or before this date.", lambda qs, v: qs.filter(due_on__lte=v)),
    )
    ordering_fields = ("due_on", "report_date", "status", "created_at")

    def get_queryset(self) -> QuerySet[Review]:
        return _reviews(fidelity_access.reviews_visible_to(self.person)).order_by("-due_on", "-pk")


class ReviewDetail(OneObject, ApiMixin, APIView):
    @extend_schema(
        responses={200: s.ReviewDetailSerializer},
        summary="One fidelity review, with the consensus score of each item once the report may be read",
    )
    def get(self, request: Request, review_id: int) -> Response:
        review = fidelity_access.get_review_for(self.person, review_id)
        return Response(review_data(self.person, review))


def review_data(person: Person, review: Review) -> Any:
    """One review as its GET answers it to `person` (the writes of api/fidelity_views.py answer it too, and
    compare an If-Match with its ETag)."""
    report = None
    drafted = review.status in (Review.Status.REPORTING, Review.Status.DELIVERED)
    if drafted and fidelity_access.can_read_report(person, review):
        report = fidelity_selectors.report_for(review)
    found = _reviews(Review.objects.filter(pk=review.pk)).get()
    return s.ReviewDetailSerializer(found, context={"report": report}).data


class ReviewInvitees(ApiMixin, APIView):
    @extend_schema(
        responses={200: s.InviteeSerializer(many=True)},
        summary="The clients and family members invited to the review's interviews",
    )
    def get(self, request: Request, review_id: int) -> Response:
        review = fidelity_access.get_review_for(self.person, review_id)
        invitees = ReviewInvitee.objects.filter(review=review).select_related("recorded_by")
        return Response(s.InviteeSerializer(invitees, many=True).data)

    @extend_schema(
        request=s.InviteeCreateSerializer,
        responses={201: s.InviteeSerializer},
        summary="Record someone invited to the review's interviews (the program's leaders or the state team)",
    )
    def post(self, request: Request, review_id: int) -> Response:
        review = fidelity_access.get_review_for(self.person, review_id)
        form = s.InviteeCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        invitee = fidelity_services.invitee_add(actor=self.person, review=review, **form.validated_data)
        return Response(s.InviteeSerializer(invitee).data, status=201)


# --- Meetings -------------------------------------------------------------------------------------


class SeriesList(ListView):
    """Meeting series you see: your programs' meetings, and the statewide series of your state team or
    that you attended."""

    serializer_class = s.SeriesSerializer
    filter_params = (
        _program(),
        filters.Choice("kind", "The kind of meeting.", lambda qs, v: qs.filter(kind=v), MeetingKind.choices),
        filters.Choice("cadence", "How often it meets.", lambda qs, v: qs.filter(cadence=v), Cadence.choices),
        filters.Boolean(
            "statewide", "Statewide series (true) or a program's (false).", lambda qs, v: qs.filter(program__isnull=v)
        ),
    )
    ordering_fields = ("title", "kind", "created_at")

    def get_queryset(self) -> QuerySet[MeetingSeries]:
        visible = collab_access.series_visible_to(self.person)
        return visible.select_related("program", "organization").order_by("title", "pk")


class SeriesDetail(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.SeriesSerializer}, summary="One meeting series (its meetings: /meetings/?series=)")
    def get(self, request: Request, series_id: int) -> Response:
        return Response(s.SeriesSerializer(collab_access.get_series_for(self.person, series_id)).data)


def _meetings(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.select_related("series", "recorded_by").prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("person", "organization")),
        "decisions",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner")),
    )


class MeetingList(ListView):
    """Meetings of the series you see, with attendance, decisions and follow-ups."""

    serializer_class = s.MeetingSerializer
    filter_params = (
        _program("series__program_id"),
        filters.Integer("series", "Id of the meeting series.", lambda qs, v: qs.filter(series_id=v)),
        filters.Choice("kind", "The kind of meeting.", lambda qs, v: qs.filter(series__kind=v), MeetingKind.choices),
        filters.Date("since", "Held on or after this date.", lambda qs, v: qs.filter(date__gte=v)),
        filters.Date("until", "Held on or before this date.", lambda qs, v: qs.filter(date__lte=v)),
        filters.Choice(
            "follow_up_status",
            "Only meetings with a follow-up in this status.",
            lambda qs, v: qs.filter(pk__in=FollowUp.objects.filter(status=v).values("meeting_id")),
            FollowUpStatus.choices,
        ),
    )
    ordering_fields = ("date", "created_at")

    def get_queryset(self) -> QuerySet[Meeting]:
        return _meetings(collab_access.meetings_visible_to(self.person)).order_by("-date", "-starts_at", "-pk")


class MeetingDetail(OneObject, ApiMixin, APIView):
    @extend_schema(responses={200: s.MeetingSerializer}, summary="One meeting, with attendance and follow-ups")
    def get(self, request: Request, meeting_id: int) -> Response:
        meeting = collab_access.get_meeting_for(self.person, meeting_id)
        return Response(s.MeetingSerializer(_meetings(Meeting.objects.filter(pk=meeting.pk)).get()).data)


# --- Training -------------------------------------------------------------------------------------


def _courses_for_role(courses: Any, role: Any) -> Any:
    return [c for c in courses if c.applies_to(role)]


def _required_courses(courses: Any, required: Any) -> Any:
    return [c for c in courses if bool(c.required_for) == required]


class CourseList(ListView):
    """The training catalog: every course, who must take it and by when. The same for everyone (no tenant
    data)."""

    ipshub_access = "non_tenant"
    serializer_class = s.CourseSerializer
    filter_params = (
        filters.Choice(
            "role",
            "Courses required or recommended for this role.",
            _courses_for_role,
            Role.choices,
        ),
        filters.Boolean(
            "required",
            "Courses required for some role (true) or only recommended (false).",
            _required_courses,
        ),
    )

    def get_queryset(self) -> Any:
        return list(training.courses())


class CompletionList(ListView):
    """Training completions you see: your own, your organization's staff if you lead it, the whole state for
    the state team."""

    serializer_class = s.CompletionSerializer
    filter_params = (
        filters.Integer("person", "Id of the person.", lambda qs, v: qs.filter(person_id=v)),
        filters.Integer("organization", "Id of the organization.", lambda qs, v: qs.filter(organization_id=v)),
        filters.Choice("course", "The course's key.", lambda qs, v: qs.filter(course=v), training.course_choices()),
        filters.Date("since", "Completed on or after this date.", lambda qs, v: qs.filter(completed_on__gte=v)),
        filters.Date("until", "Completed on or before this date.", lambda qs, v: qs.filter(completed_on__lte=v)),
    )
    ordering_fields = ("completed_on", "course")

    def get_queryset(self) -> QuerySet[TrainingCompletion]:
        visible = collab_access.completions_visible_to(self.person)
        return visible.select_related("person", "organization", "recorded_by").order_by("-completed_on", "-pk")
