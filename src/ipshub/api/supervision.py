"""The supervisor dashboard and a specialist's drill-down as JSON: the web pages' figures
(`clients/supervision.py`), for the same people (the dashboard's rule: others get 404), counts only — no
client is named. A blank figure is null, and `blank` says why in the web page's words."""

import datetime
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.clients import access, supervision, weeks


class PeriodSerializer(serializers.Serializer[supervision.Period]):
    start = serializers.DateField()
    end = serializers.DateField()
    name = serializers.CharField(source="label", help_text="As the web page names it: 'Q4 2026 (to Dec 6)'.")
    in_progress = serializers.BooleanField(help_text="The period ends today: its counts can still grow.")


class WeekSerializer(serializers.Serializer[weeks.WeekCount]):
    monday = serializers.DateField(source="week.monday")
    sunday = serializers.DateField(source="week.sunday")
    face_to_face = serializers.IntegerField()
    contacts = serializers.IntegerField(source="total")
    in_progress = serializers.BooleanField(help_text="The week holding today: not over yet.")
    reached_standard = serializers.BooleanField(source="meets")


class FiguresSerializer(serializers.Serializer[supervision.Figures]):
    kind = serializers.SerializerMethodField(help_text="specialist, not_assigned (clients waiting) or unit.")
    specialist = serializers.IntegerField(source="specialist_id", allow_null=True)
    name = serializers.CharField()
    period = PeriodSerializer()
    open_caseload = serializers.IntegerField(source="caseload")
    working = serializers.IntegerField()
    working_pct = serializers.IntegerField(source="pct_working", allow_null=True)
    in_education = serializers.IntegerField()
    in_education_pct = serializers.IntegerField(source="pct_education", allow_null=True)
    face_to_face_contacts = serializers.IntegerField(source="f2f_contacts")
    contacts = serializers.IntegerField()
    whole_weeks = serializers.IntegerField()
    face_to_face_a_week = serializers.FloatField(
        source="f2f_per_week", allow_null=True, help_text="Average of the whole weeks; the unit's: per specialist."
    )
    weeks_reached_standard = serializers.IntegerField(source="weeks_met", allow_null=True)
    this_week_face_to_face = serializers.SerializerMethodField()
    referred = serializers.IntegerField()
    first_contact_clients = serializers.IntegerField(source="first_contact_n")
    first_contact_median_days = serializers.FloatField(source="median_first_contact", allow_null=True)
    job_starts = serializers.IntegerField()
    jobs_reaching_day_90 = serializers.IntegerField(source="eligible_90")
    held_on_day_90 = serializers.IntegerField(source="retained_90")
    retention_pct = serializers.IntegerField(allow_null=True)
    job_endings = serializers.IntegerField()
    closures = serializers.IntegerField()
    blank = serializers.SerializerMethodField(help_text="Why each null figure is blank, by field name.")

    def get_kind(self, m: supervision.Figures) -> str:
        return "unit" if m.is_unit else ("not_assigned" if m.is_unassigned else "specialist")

    def get_this_week_face_to_face(self, m: supervision.Figures) -> int | None:
        return m.this_week.face_to_face if m.this_week is not None else None

    def get_blank(self, m: supervision.Figures) -> dict[str, str]:
        return m.blank_reasons()


class SpecialistWeeksSerializer(serializers.Serializer[Any]):
    specialist = serializers.IntegerField()
    name = serializers.CharField()
    weeks = WeekSerializer(many=True)


class DashboardSerializer(serializers.Serializer[Any]):
    program = serializers.IntegerField()
    period = PeriodSerializer()
    standard = serializers.IntegerField(help_text="Face-to-face employer contacts a week (fidelity item 17).")
    specialists = FiguresSerializer(many=True, help_text="Each specialist, then the clients not yet assigned.")
    unit = FiguresSerializer()
    quarters = FiguresSerializer(many=True, help_text="The unit quarter by quarter, oldest first.")
    weeks = SpecialistWeeksSerializer(many=True, help_text="Each specialist's 13 weeks to the period's end.")


class StatusCountSerializer(serializers.Serializer[Any]):
    status = serializers.CharField()
    name = serializers.CharField(source="label")
    clients = serializers.IntegerField()


class SpecialistBoardSerializer(serializers.Serializer[Any]):
    program = serializers.IntegerField()
    specialist = serializers.IntegerField()
    name = serializers.CharField()
    period = PeriodSerializer()
    standard = serializers.IntegerField()
    figures = FiguresSerializer()
    quarters = FiguresSerializer(many=True)
    weeks = WeekSerializer(many=True)
    open_today = serializers.IntegerField()
    working_today = serializers.IntegerField()
    by_status_today = StatusCountSerializer(many=True)


PERIOD_PARAMS = [
    OpenApiParameter(
        "start", OpenApiTypes.DATE, description="First day (default: the Monday 12 weeks before the end's week)."
    ),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last day, at most today (default: today)."),
]


def _period(request: Request, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period, or a 400 in the web page's words (the web corrects and says why; a program should know)."""
    start, end, problems = supervision.checked_period(
        request.query_params.get("start", ""), request.query_params.get("end", ""), today
    )
    if problems:
        fields: dict[str, list[str]] = {}
        for problem in problems:
            fields.setdefault(problem.field, []).append(problem.message)
        raise exceptions.ValidationError(fields)
    return start, end


class Dashboard(OneObject, ApiMixin, APIView):
    """A program's IPS dashboard: each specialist over the period, the unit, its quarters and weeks."""

    @extend_schema(parameters=PERIOD_PARAMS, responses={200: DashboardSerializer}, summary="A program's IPS dashboard")
    def get(self, request: Request, program_id: int) -> Response:
        program = access.get_dashboard_program_for(self.person, program_id)
        today = timezone.localdate()
        board = supervision.dashboard(program, *_period(request, today), today)
        history = [
            {"specialist": m.specialist_id, "name": m.name, "weeks": h.weeks}
            for m in board.rows
            if (h := board.history_of(m)) is not None
        ]
        data = {
            "program": program.pk,
            "period": board.period,
            "standard": weeks.FACE_TO_FACE_STANDARD,
            "specialists": board.rows,
            "unit": board.unit,
            "quarters": board.quarters,
            "weeks": history,
        }
        return Response(DashboardSerializer(data).data)


class SpecialistDashboard(OneObject, ApiMixin, APIView):
    """One specialist of the program: the period, the quarters, 13 weeks, the caseload today."""

    @extend_schema(
        parameters=PERIOD_PARAMS,
        responses={200: SpecialistBoardSerializer},
        summary="One specialist's figures on a program's IPS dashboard",
    )
    def get(self, request: Request, program_id: int, specialist_id: int) -> Response:
        program, specialist = access.get_dashboard_specialist_for(self.person, program_id, specialist_id)
        today = timezone.localdate()
        board = supervision.specialist_board(program, specialist, *_period(request, today), today)
        data = {
            "program": program.pk,
            "specialist": specialist.pk,
            "name": str(specialist),
            "period": board.period,
            "standard": weeks.FACE_TO_FACE_STANDARD,
            "figures": board.figures,
            "quarters": board.quarters,
            "weeks": board.history.weeks,
            "open_today": board.open_today,
            "working_today": board.working_today,
            "by_status_today": [
                {"status": status, "label": label, "clients": n} for status, label, n in board.status_mix
            ],
        }
        return Response(SpecialistBoardSerializer(data).data)
