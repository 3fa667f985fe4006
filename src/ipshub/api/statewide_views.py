"""The statewide views through the API (issue 23), for the state IPS team and trainers (403 for anyone else),
each over the programs of the person's states: technical-assistance activity, training gaps, meeting cadence
and the fidelity schedule. The lists page over programs ({count, next, previous, results})."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api.area_serializers import ProgramRefSerializer
from ipshub.api.pagination import PageNumberPagination, page_size_schema
from ipshub.api.views import ApiMixin
from ipshub.collaboration import selectors as collab_selectors
from ipshub.collaboration import statewide as collab_statewide
from ipshub.fidelity import statewide as fidelity_statewide
from ipshub.tenancy import access
from ipshub.tenancy.models import Program

PAGE = OpenApiParameter("page", OpenApiTypes.INT, description="A page number within the programs (by name).")
PAGE_SIZE = OpenApiParameter("page_size", page_size_schema(), description="Programs per page (25; at most 100).")
STATEWIDE = " (the state IPS team's leads, trainers and administrators, over their state's programs)"


class PageSerializer(serializers.Serializer[object]):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)


def _page(view: APIView, request: Request, programs: QuerySet[Program]) -> tuple[list[Program], dict[str, Any]]:
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(programs.order_by("name", "pk"), request, view=view) or []
    assert paginator.page is not None  # the paginator has a page size: it always pages
    links = {
        "count": paginator.page.paginator.count,
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
    }
    return list(page), links


# --- Technical assistance -----------------------------------------------------------------------------


class TAGroupSerializer(serializers.Serializer[object]):
    key = serializers.CharField(help_text="The trainer's person id, the quarter (YYYY-Qn) or the kind.")
    name = serializers.CharField(source="label", help_text="The trainer's name, the quarter or the kind, in words.")
    hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    entries = serializers.IntegerField()
    programs = serializers.IntegerField(help_text="Programs reached.")


class TAActivitySerializer(serializers.Serializer[object]):
    since = serializers.DateField()
    until = serializers.DateField()
    quarters = serializers.IntegerField()
    programs_in_scope = serializers.IntegerField()
    programs_reached = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    entries = serializers.IntegerField()
    by_trainer = TAGroupSerializer(many=True)
    by_quarter = TAGroupSerializer(many=True)
    by_kind = TAGroupSerializer(many=True)


class StatewideTA(ApiMixin, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "quarters", OpenApiTypes.INT, enum=list(collab_statewide.QUARTER_CHOICES), description="Quarters back."
            )
        ],
        responses={200: TAActivitySerializer},
        summary="Technical-assistance activity across the state: hours, entries and programs reached by trainer, "
        "quarter and kind" + STATEWIDE,
    )
    def get(self, request: Request) -> Response:
        access.require_statewide(self.person)
        raw = request.query_params.get("quarters", str(collab_statewide.QUARTER_CHOICES[0]))
        if not (raw.isascii() and raw.isdigit() and int(raw) in collab_statewide.QUARTER_CHOICES):
            raise exceptions.ValidationError({"quarters": ["Give 4, 8 or 12."]})
        report = collab_statewide.ta_activity(self.person, timezone.localdate(), int(raw))
        return Response(TAActivitySerializer(report).data)


# --- Training gaps ------------------------------------------------------------------------------------


class CourseGapSerializer(serializers.Serializer[object]):
    title = serializers.CharField()
    missing = serializers.IntegerField(help_text="People who have not completed it.")


class ProgramGapsSerializer(serializers.Serializer[object]):
    program = ProgramRefSerializer()
    people = serializers.IntegerField()
    people_with_gaps = serializers.IntegerField()
    gaps = serializers.IntegerField(help_text="Required courses not completed, person by person.")
    overdue = serializers.IntegerField(help_text="Of those, past their first-year deadline.")
    courses = serializers.SerializerMethodField(help_text="The courses missing, most missed first.")

    @extend_schema_field(CourseGapSerializer(many=True))
    def get_courses(self, row: collab_statewide.ProgramGaps) -> list[dict[str, Any]]:
        return [{"title": title, "missing": n} for title, n in row.courses]


class TrainingGapsPageSerializer(PageSerializer):
    results = ProgramGapsSerializer(many=True)


class StatewideTrainingGaps(ApiMixin, APIView):
    @extend_schema(
        parameters=[PAGE, PAGE_SIZE],
        responses={200: TrainingGapsPageSerializer},
        summary="Training gaps across the state's programs" + STATEWIDE,
    )
    def get(self, request: Request) -> Response:
        access.require_statewide(self.person)
        programs, links = _page(self, request, access.statewide_programs(self.person))
        rows = collab_statewide.training_gaps(programs, timezone.localdate())
        return Response(TrainingGapsPageSerializer({**links, "results": rows}).data)


# --- Meeting cadence ----------------------------------------------------------------------------------


class CadenceCheckSerializer(serializers.Serializer[object]):
    key = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="label")


class ProgramCadenceSerializer(serializers.Serializer[object]):
    program = ProgramRefSerializer()
    status = serializers.CharField(help_text="The worst of the program's checks this month.")
    status_label = serializers.CharField(source="label")
    checks = CadenceCheckSerializer(many=True)


class CadencePageSerializer(PageSerializer):
    month = serializers.CharField()
    results = ProgramCadenceSerializer(many=True)


class StatewideCadence(ApiMixin, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="The month, YYYY-MM; this month when left out."),
            PAGE,
            PAGE_SIZE,
        ],
        responses={200: CadencePageSerializer},
        summary="Meeting cadence across the state's programs in a month" + STATEWIDE,
    )
    def get(self, request: Request) -> Response:
        access.require_statewide(self.person)
        today = timezone.localdate()
        month = request.query_params.get("month") or today.strftime("%Y-%m")
        try:
            first = datetime.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise exceptions.ValidationError({"month": ["Give a month as YYYY-MM."]}) from None
        programs, links = _page(self, request, access.statewide_programs(self.person))
        rows = collab_selectors.cadence_for(programs, today, first.year, first.month)
        return Response(CadencePageSerializer({**links, "month": month, "results": rows}).data)


# --- Fidelity schedule --------------------------------------------------------------------------------


class ScheduleReviewSerializer(serializers.Serializer[object]):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    status = serializers.CharField()
    due_on = serializers.DateField()
    report_date = serializers.DateField(allow_null=True)


class ScheduleRowSerializer(serializers.Serializer[object]):
    program = ProgramRefSerializer()
    phase = serializers.CharField(source="program.phase")
    last_review = ScheduleReviewSerializer(source="last", allow_null=True)
    last_total = serializers.IntegerField(source="total.estimate", allow_null=True, default=None)
    last_band = serializers.CharField(source="total.band", allow_null=True, default=None)
    next_review = ScheduleReviewSerializer(source="upcoming", allow_null=True)
    overdue = serializers.BooleanField()


class SchedulePageSerializer(PageSerializer):
    results = ScheduleRowSerializer(many=True)


class StatewideFidelitySchedule(ApiMixin, APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("show", OpenApiTypes.STR, enum=list(fidelity_statewide.FILTERS), description="Which."),
            PAGE,
            PAGE_SIZE,
        ],
        responses={200: SchedulePageSerializer},
        summary="The fidelity schedule across the state's programs: the last review and its total, the next "
        "review and whether it is overdue" + STATEWIDE,
    )
    def get(self, request: Request) -> Response:
        access.require_statewide(self.person)
        show = request.query_params.get("show", "all")
        if show not in fidelity_statewide.FILTERS:
            raise exceptions.ValidationError({"show": [f"Give one of {', '.join(fidelity_statewide.FILTERS)}."]})
        today = timezone.localdate()
        programs, links = _page(
            self, request, fidelity_statewide.filtered(access.statewide_programs(self.person), show, today)
        )
        rows = fidelity_statewide.schedule(self.person, programs, today)
        return Response(SchedulePageSerializer({**links, "results": rows}).data)
