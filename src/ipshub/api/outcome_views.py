"""The writes of the web's outcome pages (outcomes/urls.py), one operation per step: compute a quarter from
the client records, edit a draft, correct an accepted report, the state team's review (return, accept),
goals, benchmarks, the upload of a file of figures (check, then commit); and the state roll-up by quarter,
read through the state dashboard's own selector.

Each operation finds the report (or program, goal, upload, state) with the outcome access layer's `get_*_for`
or the dashboard's states (404 for "not found" and "not yours"), makes the web view's access check
(`require_writer`, `require_reviewer`: 403 for a person who may see but not act) before it reads the body,
checks the body's shape and calls the same service function as the web view: the service validates (its
messages are the API's 400s, on the field they name) and records the audit event. Updates (a draft's figures,
the benchmarks) require If-Match (api/versions.py).
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ipshub.api import area_serializers as area_s
from ipshub.api import area_views, versions
from ipshub.api import outcome_serializers as s
from ipshub.api.inputs import refuse_unknown, validated
from ipshub.api.versions import OneObject
from ipshub.api.views import ApiMixin
from ipshub.lib import tables
from ipshub.lib.replica import reads_from_replica
from ipshub.outcomes import access, selectors, services
from ipshub.outcomes.definitions import DEFAULT_CODE, catalog
from ipshub.outcomes.figures import NAMES
from ipshub.outcomes.metrics import SMALL_COUNT, Quarter, visible_rate
from ipshub.outcomes.models import Goal, QuarterlyReport, Status, Upload
from ipshub.tenancy.access import get_program_for, programs_visible_to
from ipshub.tenancy.models import Person, State

REPORT = {200: area_s.OutcomeReportSerializer}
LEVELS = ("minimal", "average", "excellent")
GOALS_WRITERS = "Only the program's IPS supervisor or director, or the state team, set goals."  # the web's words


def _report_rows(report_id: int) -> Any:
    return QuarterlyReport.objects.filter(pk=report_id).select_related("program", "submitted_by")


def _report_data(report: QuarterlyReport) -> Any:
    return area_s.OutcomeReportSerializer(report).data


def _report_answer(report_id: int, status: int = 200) -> Response:
    return Response(_report_data(_report_rows(report_id).get()), status=status)


def _figures(report: QuarterlyReport, given: dict[str, Any]) -> dict[str, Any]:
    """The report's figures with those sent replacing them (a figure left out keeps its value)."""
    return {name: given.get(name, getattr(report, name)) for name in NAMES}


# --- Reports -----------------------------------------------------------------------------------------------


class ReportCompute(ApiMixin, APIView):
    """A quarter computed from the client records (the web's "Compute from records")."""

    @extend_schema(
        request=s.ComputeSerializer,
        responses={201: area_s.OutcomeReportSerializer, 200: area_s.OutcomeReportSerializer},
        summary="Compute a quarter's figures from the client records into a draft (201 a new draft, 200 the "
        "current draft's figures replaced) (the program's IPS supervisor or director, the state team)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = get_program_for(self.person, program_id)
        access.require_writer(self.person, program)
        data = validated(s.ComputeSerializer, request)
        existing = selectors.current_report(program, data["year"], data["quarter"], data["definition_code"])
        report = services.report_compute(actor=self.person, program=program, **data)
        return _report_answer(report.pk, status=200 if existing is not None and existing.pk == report.pk else 201)


class ReportDetail(area_views.OutcomeReportDetail):
    """One outcome report (its ETag is the If-Match of its PATCH)."""

    @extend_schema(
        request=s.ReportEditSerializer,
        responses=REPORT,
        summary="Change the figures of a draft or returned report; figures left out keep their values (the "
        "program's IPS supervisor or director, the state team)",
    )
    def patch(self, request: Request, report_id: int) -> Response:
        report = access.get_report_for(self.person, report_id)
        access.require_writer(self.person, report.program)  # 403 before 428
        versions.require_if_match(request)
        given = validated(s.ReportEditSerializer, request)
        with transaction.atomic():
            current = versions.locked_current(request, _report_rows(report.pk), _report_data)
            services.report_update(actor=self.person, report=current, figures=_figures(current, given))
        return _report_answer(report.pk)


class ReportCorrect(ApiMixin, APIView):
    """A correction of an accepted report (the web's "Correct")."""

    @extend_schema(
        request=s.CorrectionSerializer,
        responses={201: area_s.OutcomeReportSerializer},
        summary="Correct the current accepted report: a new draft version with the reason, to submit for review "
        "again; figures left out keep the accepted values (the program's IPS supervisor or director, the state "
        "team)",
    )
    def post(self, request: Request, report_id: int) -> Response:
        report = access.get_report_for(self.person, report_id)
        access.require_writer(self.person, report.program)
        data = validated(s.CorrectionSerializer, request)
        reason = data.pop("reason")
        correction = services.report_correct(
            actor=self.person, report=report, reason=reason, figures=_figures(report, data)
        )
        return _report_answer(correction.pk, status=201)


class _Review(ApiMixin, APIView):
    """The state team's review of a submitted report (the web's review form)."""

    def reviewed(self, report_id: int) -> QuarterlyReport:
        report = access.get_report_for(self.person, report_id)
        access.require_reviewer(self.person, report.program.state_id)
        return report


class ReportReturn(_Review):
    """Return a submitted report to the program."""

    @extend_schema(
        request=s.ReturnSerializer,
        responses=REPORT,
        summary="Return a submitted report to the program, saying what needs to change (the state IPS team: "
        "leads and administrators)",
    )
    def post(self, request: Request, report_id: int) -> Response:
        report = self.reviewed(report_id)
        data = validated(s.ReturnSerializer, request)
        services.report_return(actor=self.person, report=report, comment=data["comment"])
        return _report_answer(report.pk)


class ReportAccept(_Review):
    """Accept a submitted report."""

    @extend_schema(
        request=s.AcceptSerializer,
        responses=REPORT,
        summary="Accept a submitted report; it is then locked and counted in the state's totals (the state IPS "
        "team: leads and administrators)",
    )
    def post(self, request: Request, report_id: int) -> Response:
        report = self.reviewed(report_id)
        data = validated(s.AcceptSerializer, request)
        services.report_accept(actor=self.person, report=report, comment=data["comment"])
        return _report_answer(report.pk)


# --- Goals -------------------------------------------------------------------------------------------------


def _goal_answers(program: Any, goals: list[Goal] | None = None) -> list[Goal]:
    """The program's goals (or those given) with their actual figures, as the goals page computes them."""
    reports = selectors.program_reports(program, DEFAULT_CODE)
    checks = selectors.goal_checks(program, reports)
    wanted = None if goals is None else {goal.pk for goal in goals}
    answered = []
    for check in checks:
        if wanted is not None and check.goal.pk not in wanted:
            continue
        check.goal.program = program
        check.goal.actual, check.goal.met = check.actual, check.met  # type: ignore[attr-defined]
        answered.append(check.goal)
    return answered


class ProgramGoals(ApiMixin, APIView):
    """A program's outcome goals (the web's goals page)."""

    @extend_schema(
        responses={200: s.GoalSerializer(many=True)},
        summary="A program's outcome goals, each with the actual figure of its reports so far",
    )
    def get(self, request: Request, program_id: int) -> Response:
        program = get_program_for(self.person, program_id)
        return Response(s.GoalSerializer(_goal_answers(program), many=True).data)

    @extend_schema(
        request=s.GoalWriteSerializer,
        responses={201: s.GoalSerializer, 200: s.GoalSerializer},
        summary="Set a goal: 201 a new one, 200 the target of the same year, period and metric replaced (the "
        "program's IPS supervisor or director, the state team)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = get_program_for(self.person, program_id)
        if not access.can_write_for(self.person, program):
            raise PermissionDenied(GOALS_WRITERS)
        data = validated(s.GoalWriteSerializer, request)
        period = {key: data[key] for key in ("year", "quarter", "metric")}
        existed = Goal.objects.filter(program=program, **period).exists()
        goal = services.goal_set(actor=self.person, program=program, **data)
        answered = _goal_answers(program, [goal])
        return Response(s.GoalSerializer(answered[0]).data, status=200 if existed else 201)


class GoalDetail(OneObject, ApiMixin, APIView):
    """One outcome goal."""

    @extend_schema(responses={200: s.GoalSerializer}, summary="One outcome goal, with its actual figure so far")
    def get(self, request: Request, goal_id: int) -> Response:
        goal = access.get_goal_for(self.person, goal_id)
        return Response(s.GoalSerializer(_goal_answers(goal.program, [goal])[0]).data)

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Remove a goal (the program's IPS supervisor or director, the state team)",
    )
    def delete(self, request: Request, goal_id: int) -> Response:
        goal = access.get_goal_for(self.person, goal_id)
        access.require_writer(self.person, goal.program)
        refuse_unknown(request.data, ())  # the step takes no body
        services.goal_delete(actor=self.person, goal=goal)
        return Response(status=204)


# --- Benchmarks and the state roll-up ------------------------------------------------------------------------


def _dashboard_state(person: Person, state_id: int) -> State:
    """A state whose dashboard the person sees (the state team's own; every state for platform admins);
    any other is not found, as the web's dashboard export answers."""
    state = access.dashboard_states(person).filter(pk=state_id).first()
    if state is None:
        raise Http404("The state dashboard is for the state IPS team.")
    return state


def _benchmarks_data(state: State) -> Any:
    rows = []
    for code, name in catalog().choices():
        values = selectors.benchmarks_for(state, code)
        rows.append({"definition_code": code, "definition_name": name, **{k: values.get(k) for k in LEVELS}})
    return s.BenchmarksSerializer({"state": state, "definitions": rows}).data


class StateBenchmarks(OneObject, ApiMixin, APIView):
    """A state's benchmarks (the web's benchmarks page)."""

    @extend_schema(
        responses={200: s.BenchmarksSerializer},
        summary="The state's employment-rate benchmarks, per outcome definition (the state IPS team)",
    )
    def get(self, request: Request, state_id: int) -> Response:
        return Response(_benchmarks_data(_dashboard_state(self.person, state_id)))

    @extend_schema(
        request=s.BenchmarkWriteSerializer,
        responses={200: s.BenchmarksSerializer},
        summary="Set one definition's benchmarks: minimal below average below excellent (the state IPS team: "
        "leads and administrators)",
    )
    def put(self, request: Request, state_id: int) -> Response:
        state = _dashboard_state(self.person, state_id)
        access.require_reviewer(self.person, state.pk)  # 403 before 428
        versions.require_if_match(request)
        data = validated(s.BenchmarkWriteSerializer, request)
        with transaction.atomic():
            current = versions.locked_current(request, State.objects.filter(pk=state.pk), _benchmarks_data)
            services.benchmarks_set(actor=self.person, state=current, **data)
        return Response(_benchmarks_data(state))


def _named(programs: list[selectors.ProgramTrend]) -> list[dict[str, Any]]:
    return [{"id": p.program_id, "name": p.name} for p in programs]


def _withheld(cell: selectors.Cell, exact: bool) -> bool:
    counts = [c for c in (cell.served, cell.worked) if c is not None]
    return not exact and any(c < SMALL_COUNT for c in counts)


def _rollup_quarter(board: selectors.Dashboard, index: int) -> dict[str, Any]:
    """One quarter of the board: the state totals (accepted reports, the dashboard's own sums), and the
    programs behind them read off each program's cell (reported, counted, awaiting review, missing, late)."""
    total = board.totals[index]
    cells = [(p, p.cells[index]) for p in board.programs]
    reported = [p for p, c in cells if c.status in selectors.REPORTED]
    withheld = _withheld(total, board.exact)
    return {
        "year": total.quarter.year,
        "quarter": total.quarter.quarter,
        "served": None if withheld else total.served,
        "worked": None if withheld else total.worked,
        "employment_rate": visible_rate(total.worked, total.served, total.rate, board.exact),
        "withheld": withheld,
        "programs_total": len(board.programs),
        "programs_reported": len(reported),
        "programs_counted": sum(1 for _p, c in cells if c.status == Status.ACCEPTED),
        # --- Trustworthy figures: who owes the quarter, and whether the total holds every one of them.
        "programs_expected": total.completeness.expected if total.completeness else 0,
        "complete": total.completeness.complete if total.completeness else True,
        "reported": total.completeness.sentence if total.completeness else "",
        # --- end of trustworthy figures
        "awaiting_review": _named([p for p, c in cells if c.status == Status.SUBMITTED]),
        "missing": _named([p for p, c in cells if c.missing]),
        "late": _named([p for p, c in cells if c.late]),
    }


YEAR = {"type": "integer", "minimum": 2000, "maximum": 2100}
ROLLUP_PARAMS = [
    OpenApiParameter(
        "year", YEAR, description="The (last) quarter's year; with `quarter`. Left out: the last complete quarter."
    ),
    OpenApiParameter("quarter", {"type": "integer", "minimum": 1, "maximum": 4}, description="The (last) quarter."),
    OpenApiParameter(
        "quarters",
        {"type": "integer", "minimum": 1, "maximum": 40},
        description="How many quarters, ending with the one asked (1 unless given).",
    ),
    OpenApiParameter(
        "definition_code", OpenApiTypes.STR, description=f"The outcome definition ({DEFAULT_CODE} unless given)."
    ),
]


def _whole(request: Request, name: str, low: int, high: int, message: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationError({name: message})
    return int(raw)


def _period(request: Request) -> tuple[Quarter, int]:
    year = _whole(request, "year", 2000, 2100, "Give the year as four digits, e.g. 2025.")
    quarter = _whole(request, "quarter", 1, 4, "The quarter is 1, 2, 3 or 4.")
    count = _whole(request, "quarters", 1, 40, "Ask for 1 to 40 quarters.")
    if (year is None) != (quarter is None):
        missing = "year" if year is None else "quarter"
        raise ValidationError({missing: "Give both the year and the quarter, or neither (the last complete one)."})
    end = selectors.last_complete_quarter(timezone.localdate()) if year is None else Quarter(year, quarter or 1)
    return end, count or 1


class StateOutcomes(OneObject, ApiMixin, APIView):
    """The state roll-up by quarter (the state outcomes dashboard)."""

    @reads_from_replica
    @extend_schema(
        parameters=ROLLUP_PARAMS,
        responses={200: s.RollupSerializer},
        summary="The state roll-up by quarter, as the state outcomes dashboard: totals and employment rate of the "
        "accepted reports, programs reported and counted, and which are missing, late or awaiting review (the "
        "state IPS team)",
    )
    def get(self, request: Request, state_id: int) -> Response:
        state = _dashboard_state(self.person, state_id)
        end, count = _period(request)
        code = request.query_params.get("definition_code", DEFAULT_CODE)
        if code not in catalog().codes:
            raise ValidationError(
                {"definition_code": f"Unknown definition. Choose one of: {', '.join(catalog().codes)}."}
            )
        exact = access.can_review(self.person, state.pk)  # as the dashboard: exact figures for the reviewers
        board = selectors.state_dashboard(
            state=state,
            programs=programs_visible_to(self.person),
            definition_code=code,
            quarters=selectors.window(end, count),
            exact=exact,
        )
        body = {
            "state": state,
            "definition_code": code,
            "exact": exact,
            "benchmarks": {k: Decimal(str(v)) for k, v in board.benchmarks.items()},
            "quarters": [_rollup_quarter(board, i) for i in range(len(board.quarters))],
        }
        return Response(s.RollupSerializer(body).data)


# --- Uploads -----------------------------------------------------------------------------------------------


def _upload_data(upload_id: int) -> Any:
    upload = Upload.objects.select_related("program", "uploaded_by").get(pk=upload_id)
    return s.UploadSerializer(upload).data


class ProgramUploads(ApiMixin, APIView):
    """Upload a file of quarterly figures (the web's upload page)."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request=area_views.IMPORT_BODY,
        responses={201: s.UploadSerializer},
        summary="Upload a CSV or XLSX file of quarterly figures and check every row (nothing is entered yet; "
        "commit it next) (the program's IPS supervisor or director, the state team)",
    )
    def post(self, request: Request, program_id: int) -> Response:
        program = get_program_for(self.person, program_id)
        access.require_writer(self.person, program)
        refuse_unknown(request.data, ("file",))
        file = request.FILES.get("file")
        if file is None:
            raise ValidationError({"file": "Send the file as the form field 'file'."})
        checked = services.upload_check(
            actor=self.person, program=program, filename=file.name or "", content=file.read(tables.MAX_BYTES + 1)
        )
        return Response(_upload_data(checked.pk), status=201)


class UploadDetail(OneObject, ApiMixin, APIView):
    """A checked upload."""

    @extend_schema(responses={200: s.UploadSerializer}, summary="A checked upload: every row, with each problem found")
    def get(self, request: Request, upload_id: int) -> Response:
        return Response(_upload_data(access.get_upload_for(self.person, upload_id).pk))


class UploadCommit(ApiMixin, APIView):
    """Enter a checked upload (the web's upload page, "Enter")."""

    @extend_schema(
        request=s.UploadCommitSerializer,
        responses={200: s.UploadCommittedSerializer},
        summary="Enter a checked upload's rows as drafts: every row, or only the good ones (the program's IPS "
        "supervisor or director, the state team)",
    )
    def post(self, request: Request, upload_id: int) -> Response:
        upload = access.get_upload_for(self.person, upload_id)
        access.require_writer(self.person, upload.program)
        data = validated(s.UploadCommitSerializer, request)
        entered = services.upload_commit(actor=self.person, upload=upload, only_good_rows=data["mode"] == "good")
        return Response({"entered": entered, "upload": _upload_data(upload.pk)})
